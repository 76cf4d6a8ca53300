// The web console's built files (web/dist), served with the single-page-app fallback: a
// path without a file extension that names no file gets index.html, so that the browser's
// router can take it.
#pragma once

#include <string>

#include "adapters/http/http_types.h"

namespace hotline::adapters::http {

// `path` is the decoded request path ("/", "/assets/app.js", "/unit/queues"). Never leaves
// `root`: a path with ".." or a NUL is refused.
HttpResponse ServeStatic(const std::string& root, const std::string& path);

}  // namespace hotline::adapters::http

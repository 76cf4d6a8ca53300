// The one place that turns ErrorCodes into HTTP statuses.
#pragma once

#include "common/error.h"

namespace hotline::adapters::http {

int HttpStatusFor(ErrorCode code);

}  // namespace hotline::adapters::http

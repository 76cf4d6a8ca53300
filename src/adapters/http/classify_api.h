// ClassifyApi: the classifier's versions in the store and the accuracy of its suggestions
// (分类建议准确率) over HTTP. GET /api/v1/classify itself (the suggestion) is TextApi's.
// Thread-safe.
#pragma once

#include <functional>

#include "adapters/http/api_module.h"
#include "ports/classifier_store.h"

namespace hotline::adapters::http {

class ClassifyApi final : public ApiModule {
 public:
  // `on_activate` runs after a version is activated through the API (the server refreshes
  // its model at once); may be empty.
  ClassifyApi(ports::ClassifierStore& store, std::function<void()> on_activate)
      : store_(store), on_activate_(std::move(on_activate)) {}

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;

 private:
  HttpResponse Accuracy(RequestContext& ctx);
  HttpResponse Models(RequestContext& ctx);
  HttpResponse Activate(RequestContext& ctx, const std::string& version);

  ports::ClassifierStore& store_;
  std::function<void()> on_activate_;
};

}  // namespace hotline::adapters::http

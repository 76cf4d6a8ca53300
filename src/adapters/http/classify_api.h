// ClassifyApi: the classifier's versions in the store and the accuracy of its suggestions
// (分类建议准确率) over HTTP. GET /api/v1/classify itself (the suggestion) is TextApi's.
// Thread-safe.
#pragma once

#include <functional>

#include "adapters/classify/suggestion_recorder.h"
#include "adapters/http/api_module.h"
#include "ports/classifier_store.h"

namespace hotline::adapters::http {

class ClassifyApi final : public ApiModule {
 public:
  // `on_activate` runs after a version is activated through the API (the server refreshes
  // its model at once); may be empty.
  ClassifyApi(ports::ClassifierStore& store, std::function<void()> on_activate)
      : store_(store), on_activate_(std::move(on_activate)) {}

  // The server's suggestion recorder, whose counters (recorded, skipped, failed, dropped,
  // queued, transactions) /metrics shows; may stay unset. Set before the first request; it
  // must outlive this module's requests.
  void SetRecorder(const classify::SuggestionRecorder* recorder) { recorder_ = recorder; }

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;
  std::string MetricsText() override;

 private:
  HttpResponse Accuracy(RequestContext& ctx);
  HttpResponse Models(RequestContext& ctx);
  HttpResponse Activate(RequestContext& ctx, const std::string& version);

  ports::ClassifierStore& store_;
  std::function<void()> on_activate_;
  const classify::SuggestionRecorder* recorder_ = nullptr;
};

}  // namespace hotline::adapters::http

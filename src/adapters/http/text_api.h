// TextApi: the text side of the hotline over HTTP: knowledge-base search and articles for
// the operator's instant answer, open tickets similar to the one being registered (to merge
// instead of dispatching forty orders), and the classifier's category suggestion. Kept out
// of hotline_http so that the core server does not pull in ICU and fastText.
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "adapters/classify/classifier.h"
#include "adapters/http/api_module.h"
#include "adapters/text/similar.h"
#include "adapters/text/tokenizer.h"
#include "ports/kb_store.h"
#include "ports/ticket_store.h"

namespace hotline::adapters::http {

struct TextApiDeps {
  app::TicketService& service;
  ports::TicketStore& tickets;
  std::unique_ptr<ports::KbStore> kb;                // null: no knowledge base
  const text::Tokenizer& tokenizer;                  // outlives the module
  const classify::Classifier* classifier = nullptr;  // null: no suggestions
};

class TextApi final : public ApiModule {
 public:
  explicit TextApi(TextApiDeps deps);
  ~TextApi() override;

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;
  std::string MetricsText() override;

  // Loads the open tickets into the similarity index (in the background when `async`).
  void LoadOpenTickets(bool async);

 private:
  HttpResponse KbSearch(RequestContext& ctx);
  HttpResponse KbArticle(RequestContext& ctx);
  HttpResponse Similar(RequestContext& ctx);
  HttpResponse Classify(RequestContext& ctx);
  void OnChange(const app::TicketChange& change);

  TextApiDeps deps_;
  std::mutex kb_mu_;  // the KB store is used from one thread at a time
  mutable std::shared_mutex similar_mu_;
  text::SimilarityFinder similar_;
  int64_t subscription_ = 0;
  std::atomic<bool> loaded_{false};
  std::thread loader_;
};

}  // namespace hotline::adapters::http

// TextApi: the text side of the hotline over HTTP: knowledge-base search and articles for
// the operator's instant answer, open tickets similar to the one being registered (to merge
// instead of dispatching forty orders), and the classifier's category suggestion. Kept out
// of hotline_http so that the core server does not pull in ICU and fastText.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <utility>
#include <vector>

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
  // null: no knowledge base. Searched from several threads at once: thread-safe (SharedKb::
  // Proxy) unless requests come one at a time; its other calls are made under a lock.
  std::unique_ptr<ports::KbStore> kb;
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
  // Rebuilds the similarity index with `tokenizer` (after a lexicon change) in the
  // background: a new index of the open tickets is built aside, the ticket changes that
  // arrive meanwhile are applied to both, and the new one replaces the old at once. Lookups
  // answer from the old index until then.
  void RebuildSimilar(std::shared_ptr<const text::Tokenizer> tokenizer);
  // `current` gives the tokenizer of the current lexicon (SharedKb::tokenizer); it is asked at
  // each similar-request lookup and, when it is another one (the lexicon changed, maybe in
  // another process), the similarity index is rebuilt with it. Set before serving; unset,
  // the tokenizer never changes.
  void FollowTokenizer(std::function<std::shared_ptr<const text::Tokenizer>()> current) {
    current_tokenizer_ = std::move(current);
  }
  // The tokenizer the similarity index uses now (null: the one given in TextApiDeps).
  std::shared_ptr<const text::Tokenizer> similar_tokenizer() const;

 private:
  HttpResponse KbSearch(RequestContext& ctx);
  HttpResponse KbArticle(RequestContext& ctx);
  HttpResponse Similar(RequestContext& ctx);
  HttpResponse Classify(RequestContext& ctx);
  void OnChange(const app::TicketChange& change);
  // Reads every open ticket into `finder` (under the lock when it is the one `in_use`).
  void LoadInto(text::SimilarityFinder& finder, bool in_use);
  void RunRebuilds();

  TextApiDeps deps_;
  std::function<std::shared_ptr<const text::Tokenizer>()> current_tokenizer_;
  std::mutex kb_mu_;  // the KB store is used from one thread at a time
  mutable std::shared_mutex similar_mu_;
  std::shared_ptr<text::SimilarityFinder> similar_;  // similar_mu_
  std::shared_ptr<const text::Tokenizer> similar_tokenizer_;
  // A rebuild in progress (similar_mu_): the tokenizer wanted last, and the ticket changes
  // seen since the rebuild started, to apply to the new index before it replaces the old.
  std::shared_ptr<const text::Tokenizer> wanted_tokenizer_;
  bool rebuilding_ = false;
  std::vector<std::pair<text::Report, bool>> pending_;  // report, still open
  bool stopping_ = false;
  std::thread rebuilder_;
  int64_t subscription_ = 0;
  std::atomic<bool> loaded_{false};
  std::thread loader_;
};

}  // namespace hotline::adapters::http

// HotTopicsApi: hot topics (热点) and clusters of similar reports (for merging, 并单) over
// HTTP (docs/hot_topics.md):
//   GET /api/v1/hot-topics?from=&to=&region=&category=&limit=
//   GET /api/v1/tickets/clusters?from=&to=&min_size=&region=&limit=
// Centre roles (leader, supervisor, inspector, dispatcher, admin) see the whole city; a
// county platform's staff its county; other unit staff only their own tickets; operators
// and callback agents neither. Hot topics and clusters come from a HotTopicIndex when one is
// set and can answer (SetIndex); otherwise each call reads the period's tickets from the store
// and indexes them afresh. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

#include "adapters/http/api_module.h"
#include "adapters/text/hot_topics.h"
#include "adapters/text/ticket_topics.h"
#include "adapters/text/tokenizer.h"
#include "app/report_service.h"
#include "ports/ticket_store.h"

namespace hotline::adapters::http {

class HotTopicsApi final : public ApiModule {
 public:
  // `tokenizer` outlives the module. A request that would read more than `max_tickets`
  // tickets is refused (429, resource_exhausted) rather than tying up the server.
  HotTopicsApi(ports::TicketStore& tickets, const text::Tokenizer& tokenizer,
               size_t max_tickets = kDefaultMaxTickets);

  static constexpr size_t kDefaultMaxTickets = 200000;

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;

  // Hot topics are answered from `index` (recent tickets kept in memory, fed by the change
  // feed) when it can; else, as without one, from the store. Set before serving.
  void SetIndex(std::shared_ptr<text::HotTopicIndex> index) { index_ = std::move(index); }
  // The same from the index a server keeps (rebuilt aside when the lexicon changes).
  void SetIndex(std::shared_ptr<text::LiveHotTopicIndex> live) { live_ = std::move(live); }
  // The tokenizer of the lexicon now (also after another process changed it): when it is not
  // the live index's, the index is rebuilt aside with it. Set before serving.
  void FollowTokenizer(std::function<std::shared_ptr<const text::Tokenizer>()> current) {
    current_tokenizer_ = std::move(current);
  }

 private:
  HttpResponse HotTopics(RequestContext& ctx);
  HttpResponse Clusters(RequestContext& ctx);

  ports::TicketStore& tickets_;
  const text::Tokenizer& tokenizer_;
  size_t max_tickets_;
  std::shared_ptr<text::HotTopicIndex> CurrentIndex() const;

  std::shared_ptr<text::HotTopicIndex> index_;
  std::shared_ptr<text::LiveHotTopicIndex> live_;
  std::function<std::shared_ptr<const text::Tokenizer>()> current_tokenizer_;
};

// One topic as the API shows it (also `hotline hot-topics --format json`); rank from 1.
nlohmann::json HotTopicJson(const text::HotTopic& topic, size_t rank);

// The text hot topics of the whole city for the daily and weekly reports: from `index` when
// given and it can answer (`now` says which days it keeps), else from the store.
app::HotTopicProvider MakeReportHotTopicProvider(
    ports::TicketStore& tickets, std::function<std::shared_ptr<const app::HotlineConfig>()> config,
    const text::Tokenizer& tokenizer,
    std::function<std::shared_ptr<text::HotTopicIndex>()> index = {},
    std::function<Instant()> now = {});

}  // namespace hotline::adapters::http

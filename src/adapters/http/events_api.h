// EventsApi: live updates as Server-Sent Events at GET /api/v1/events. One hub subscribes
// to the ticket service's change feed; its thread formats each change once and passes it to
// every stream whose viewer may see it (a unit: its own tickets; a county platform: its county; the
// city: everything), optionally only for the tickets it follows (?tickets=N1,N2). Events carry no
// personal data: the page fetches the ticket when it wants more.
#pragma once

#include <atomic>
#include <memory>

#include "adapters/http/api_module.h"

namespace hotline::adapters::http {

class EventsApi final : public ApiModule {
 public:
  EventsApi(app::TicketService& service, size_t max_streams);
  ~EventsApi() override;

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;
  std::string MetricsText() override;

  class Hub;
  struct Counters {
    std::atomic<int64_t> open{0};
    std::atomic<int64_t> opened_total{0};
    std::atomic<int64_t> events_total{0};
    std::atomic<int64_t> dropped_slow{0};
  };

 private:
  size_t max_streams_;
  std::shared_ptr<Hub> hub_;
};

}  // namespace hotline::adapters::http

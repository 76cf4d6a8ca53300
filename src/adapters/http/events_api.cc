#include "adapters/http/events_api.h"

#include <fmt/format.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/http/api_support.h"
#include "adapters/http/http_server.h"
#include "domain/privacy.h"

namespace hotline::adapters::http {

namespace {

// A client that does not read its stream is dropped past this much unsent data.
constexpr size_t kMaxBuffered = 256 * 1024;

class SseStream final : public ResponseStream {
 public:
  SseStream(app::TicketService& service, domain::Actor actor, std::set<std::string> follow,
            std::shared_ptr<EventsApi::Counters> counters)
      : service_(service),
        actor_(std::move(actor)),
        follow_(std::move(follow)),
        counters_(std::move(counters)) {
    ++counters_->open;
    ++counters_->opened_total;
  }
  ~SseStream() override { Close(); }

  void Start(std::function<void()> wake) override {
    {
      std::lock_guard lock(mu_);
      wake_ = std::move(wake);
      // Reconnect after 3 s if the connection drops; a comment the browser ignores.
      buffer_ = "retry: 3000\n: 已连接实时推送\n\n";
    }
    subscription_ = service_.feed().Subscribe([this](const app::TicketChange& c) { OnChange(c); });
    Wake();
  }

  std::string Pull(bool* done) override {
    std::lock_guard lock(mu_);
    *done = overflowed_;
    return std::exchange(buffer_, std::string());
  }

  void Close() override {
    if (closed_.exchange(true)) {
      return;
    }
    if (subscription_ != 0) {
      service_.feed().Unsubscribe(subscription_);
    }
    --counters_->open;
  }

 private:
  void OnChange(const app::TicketChange& c) {
    const domain::Ticket& t = c.ticket;
    if (!follow_.empty() && !follow_.contains(t.number)) {
      return;
    }
    auto config = service_.config();
    if (!domain::MayView(actor_, t, config->org)) {
      return;
    }
    nlohmann::json data = {{"number", t.number},
                           {"state", domain::Code(t.state)},
                           {"state_name", domain::ChineseName(t.state)},
                           {"action", c.action},
                           {"lead_unit", t.lead_unit.value()},
                           {"region", t.region.value()},
                           {"version", t.version}};
    {
      std::lock_guard lock(mu_);
      if (overflowed_) {
        return;
      }
      buffer_ += fmt::format("id: {}\nevent: ticket\ndata: {}\n\n", c.sequence, data.dump());
      if (buffer_.size() > kMaxBuffered) {
        overflowed_ = true;
        buffer_.clear();
        ++counters_->dropped_slow;
      }
    }
    ++counters_->events_total;
    Wake();
  }

  void Wake() {
    std::function<void()> wake;
    {
      std::lock_guard lock(mu_);
      wake = wake_;
    }
    if (wake) {
      wake();
    }
  }

  app::TicketService& service_;
  const domain::Actor actor_;
  const std::set<std::string> follow_;
  std::shared_ptr<EventsApi::Counters> counters_;
  int64_t subscription_ = 0;
  std::atomic<bool> closed_{false};
  std::mutex mu_;
  std::function<void()> wake_;
  std::string buffer_;
  bool overflowed_ = false;
};

}  // namespace

EventsApi::EventsApi(app::TicketService& service, size_t max_streams)
    : service_(service), max_streams_(max_streams), counters_(std::make_shared<Counters>()) {}

std::vector<RouteDoc> EventsApi::Routes() const {
  return {{"get", "/api/v1/events",
           "实时推送（Server-Sent Events）：本人可见工单的变化，event: ticket；可用 "
           "tickets=编号,编号 只关注指定工单",
           true}};
}

std::string EventsApi::MetricsText() {
  return fmt::format(
      "# HELP hotline_live_streams Open live-update streams.\n"
      "# TYPE hotline_live_streams gauge\nhotline_live_streams {}\n"
      "# TYPE hotline_live_streams_opened_total counter\nhotline_live_streams_opened_total {}\n"
      "# TYPE hotline_live_events_total counter\nhotline_live_events_total {}\n"
      "# HELP hotline_live_streams_dropped_total Streams dropped for not reading.\n"
      "# TYPE hotline_live_streams_dropped_total counter\nhotline_live_streams_dropped_total {}\n",
      counters_->open.load(), counters_->opened_total.load(), counters_->events_total.load(),
      counters_->dropped_slow.load());
}

std::optional<HttpResponse> EventsApi::Handle(RequestContext& ctx) {
  if (ctx.parts.empty() || ctx.parts[0] != "events") {
    return std::nullopt;
  }
  if (!ctx.Is("GET", {"events"})) {
    return ErrorResponse(405, "method_not_allowed", "请使用 GET /api/v1/events");
  }
  if (counters_->open.load() >= static_cast<int64_t>(max_streams_)) {
    return ErrorResponse(503, "unavailable", "实时推送连接已满，请稍后重试");
  }
  std::set<std::string> follow;
  const std::string& list = ctx.query["tickets"];
  for (size_t pos = 0; pos < list.size();) {
    size_t end = std::min(list.find(',', pos), list.size());
    if (end > pos) {
      follow.insert(list.substr(pos, end - pos));
    }
    pos = end + 1;
  }
  HttpResponse r;
  r.content_type = "text/event-stream; charset=utf-8";
  r.stream = std::make_shared<SseStream>(service_, ctx.actor, std::move(follow), counters_);
  return r;
}

}  // namespace hotline::adapters::http

#include "adapters/http/events_api.h"

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "adapters/http/api_support.h"
#include "adapters/http/http_server.h"
#include "domain/privacy.h"

namespace hotline::adapters::http {

namespace {

// A client that does not read its stream is dropped past this much unsent data.
constexpr size_t kMaxBuffered = 256 * 1024;

}  // namespace

class SseStream;

// The hub: one subscription to the change feed for all streams, and one thread that fans
// each change out, so that a request that changes a ticket never waits for the streams.
class EventsApi::Hub {
 public:
  explicit Hub(app::TicketService& service) : service_(service) {
    subscription_ = service_.feed().Subscribe([this](const app::TicketChange& c) {
      {
        std::lock_guard lock(queue_mu_);
        queue_.push_back(c);
      }
      queue_cv_.notify_one();
    });
    thread_ = std::thread([this] { Run(); });
  }
  ~Hub() {
    service_.feed().Unsubscribe(subscription_);
    {
      std::lock_guard lock(queue_mu_);
      stopping_ = true;
    }
    queue_cv_.notify_one();
    thread_.join();
  }

  void Add(SseStream* s);
  void Remove(SseStream* s);

  Counters counters;

 private:
  void Run() {
    std::unique_lock lock(queue_mu_);
    while (true) {
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        return;
      }
      std::deque<app::TicketChange> batch;
      batch.swap(queue_);
      lock.unlock();
      auto config = service_.config();
      for (const auto& c : batch) {
        FanOut(c, config->org);
      }
      lock.lock();
    }
  }

  void FanOut(const app::TicketChange& c, const domain::OrgTree& org);

  app::TicketService& service_;
  int64_t subscription_ = 0;
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<app::TicketChange> queue_;
  bool stopping_ = false;
  std::thread thread_;
  std::mutex streams_mu_;
  std::map<int64_t, std::set<SseStream*>> streams_;  // by UnitScope()
};

class SseStream final : public ResponseStream {
 public:
  SseStream(domain::Actor actor, std::set<std::string> follow, std::shared_ptr<EventsApi::Hub> hub)
      : actor_(std::move(actor)), follow_(std::move(follow)), hub_(std::move(hub)) {}
  ~SseStream() override { Close(); }

  void Start(std::function<void()> wake) override {
    {
      std::lock_guard lock(mu_);
      wake_ = std::move(wake);
      // Reconnect after 3 s if the connection drops; a comment the browser ignores.
      buffer_ = "retry: 3000\n: 已连接实时推送\n\n";
    }
    hub_->Add(this);
    Wake();
  }

  std::string Pull(bool* done) override {
    std::lock_guard lock(mu_);
    *done = overflowed_;
    return std::exchange(buffer_, std::string());
  }

  void Close() override {
    if (!closed_.exchange(true)) {
      hub_->Remove(this);
    }
  }

  // The unit whose tickets a unit's staff follow; 0 for centre roles (who see by region or
  // everything): the hub indexes streams by it so that a change is offered only to the
  // streams that may want it.
  int64_t UnitScope() const {
    bool unit_role =
        actor_.role == domain::Role::kUnitHandler || actor_.role == domain::Role::kUnitAdmin;
    return unit_role ? actor_.unit.value() : 0;
  }

  // Called by the hub's thread for every change.
  bool Wants(const domain::Ticket& t, const domain::OrgTree& org) const {
    return (follow_.empty() || follow_.contains(t.number)) && domain::MayView(actor_, t, org);
  }

  // Returns false when the client has fallen too far behind (then it is dropped).
  bool Push(const std::string& frame) {
    {
      std::lock_guard lock(mu_);
      if (overflowed_) {
        return false;
      }
      buffer_ += frame;
      if (buffer_.size() > kMaxBuffered) {
        overflowed_ = true;
        buffer_.clear();
      }
      if (!overflowed_ && buffer_.size() > frame.size()) {
        return true;  // a wake is already pending: the server has not pulled yet
      }
    }
    Wake();
    return !overflowed_;
  }

 private:
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

  const domain::Actor actor_;
  const std::set<std::string> follow_;
  std::shared_ptr<EventsApi::Hub> hub_;
  std::atomic<bool> closed_{false};
  mutable std::mutex mu_;
  std::function<void()> wake_;
  std::string buffer_;
  bool overflowed_ = false;
};

void EventsApi::Hub::Add(SseStream* s) {
  std::lock_guard lock(streams_mu_);
  if (streams_[s->UnitScope()].insert(s).second) {
    ++counters.open;
    ++counters.opened_total;
  }
}

void EventsApi::Hub::Remove(SseStream* s) {
  std::lock_guard lock(streams_mu_);
  auto it = streams_.find(s->UnitScope());
  if (it != streams_.end() && it->second.erase(s) > 0) {
    --counters.open;
    if (it->second.empty() && it->first != 0) {
      streams_.erase(it);
    }
  }
}

void EventsApi::Hub::FanOut(const app::TicketChange& c, const domain::OrgTree& org) {
  const domain::Ticket& t = c.ticket;
  nlohmann::json data = {{"number", t.number},
                         {"state", domain::Code(t.state)},
                         {"state_name", domain::ChineseName(t.state)},
                         {"action", c.action},
                         {"lead_unit", t.lead_unit.value()},
                         {"region", t.region.value()},
                         {"version", t.version}};
  const std::string frame =
      fmt::format("id: {}\nevent: ticket\ndata: {}\n\n", c.sequence, data.dump());
  // The units whose staff may see the ticket: those it concerns and the platforms above
  // them (domain::MayView is still asked for each stream).
  std::set<int64_t> scopes = {0};
  std::vector<domain::UnitId> concerned = t.co_units;
  concerned.push_back(t.lead_unit);
  concerned.push_back(t.dispatching_unit);
  for (domain::UnitId u : concerned) {
    for (const domain::Unit* unit = org.FindUnit(u);
         unit != nullptr && scopes.insert(unit->id.value()).second;
         unit = org.FindUnit(unit->parent)) {
    }
  }
  // Streams remove themselves under streams_mu_ before they are destroyed, so every
  // pointer in the sets is alive while we hold it.
  std::lock_guard lock(streams_mu_);
  for (int64_t scope : scopes) {
    auto it = streams_.find(scope);
    if (it == streams_.end()) {
      continue;
    }
    for (SseStream* s : it->second) {
      if (s->Wants(t, org)) {
        ++counters.events_total;
        if (!s->Push(frame)) {
          ++counters.dropped_slow;
        }
      }
    }
  }
}

EventsApi::EventsApi(app::TicketService& service, size_t max_streams)
    : max_streams_(max_streams), hub_(std::make_shared<Hub>(service)) {}

EventsApi::~EventsApi() = default;

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
      hub_->counters.open.load(), hub_->counters.opened_total.load(),
      hub_->counters.events_total.load(), hub_->counters.dropped_slow.load());
}

std::optional<HttpResponse> EventsApi::Handle(RequestContext& ctx) {
  if (ctx.parts.empty() || ctx.parts[0] != "events") {
    return std::nullopt;
  }
  if (!ctx.Is("GET", {"events"})) {
    return ErrorResponse(405, "method_not_allowed", "请使用 GET /api/v1/events");
  }
  if (hub_->counters.open.load() >= static_cast<int64_t>(max_streams_)) {
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
  r.stream = std::make_shared<SseStream>(ctx.actor, std::move(follow), hub_);
  return r;
}

}  // namespace hotline::adapters::http

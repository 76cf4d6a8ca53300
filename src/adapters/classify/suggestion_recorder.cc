#include "adapters/classify/suggestion_recorder.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "adapters/classify/model_registry.h"
#include "domain/lifecycle.h"

namespace hotline::adapters::classify {

namespace {
constexpr int kTopK = 3;
// The worker's nice value (0 is the request threads'; 19 the lowest priority).
constexpr int kWorkerNice = 10;
}  // namespace

SuggestionRecorder::SuggestionRecorder(app::TicketService& service, ports::ClassifierStore& store,
                                       const SwappableClassifier& classifier,
                                       const ports::Clock& clock, size_t max_queue,
                                       size_t max_batch)
    : service_(service),
      store_(store),
      classifier_(classifier),
      clock_(clock),
      max_queue_(max_queue),
      max_batch_(std::max<size_t>(max_batch, 1)) {}

SuggestionRecorder::~SuggestionRecorder() { Stop(); }

void SuggestionRecorder::Start() {
  {
    std::lock_guard lock(mu_);
    if (worker_.joinable()) {
      return;
    }
    stopping_ = false;
    drain_deadline_.reset();
    worker_ = std::thread([this] { Loop(); });
  }
  // Subscribed outside mu_: Publish holds the feed's lock while the listener takes mu_.
  const std::string registered(domain::Code(domain::Action::kRegister));
  int64_t id = service_.feed().Subscribe([this, registered](const app::TicketChange& c) {
    if (c.action != registered) {
      return;
    }
    std::lock_guard lock(mu_);
    if (stopping_) {
      DropLocked(1, "服务正在停止");
      return;
    }
    if (queue_.size() >= max_queue_) {
      DropLocked(1, "队列已满");
      return;
    }
    queue_.push_back({c.ticket.id, TicketText(c.ticket.title, c.ticket.content), c.ticket.region});
    cv_.notify_one();
  });
  std::lock_guard lock(mu_);
  subscription_ = id;
}

void SuggestionRecorder::Stop(std::optional<std::chrono::milliseconds> drain_limit) {
  int64_t subscription = 0;
  {
    std::lock_guard lock(mu_);
    subscription = subscription_;
    subscription_ = 0;
  }
  if (subscription != 0) {
    service_.feed().Unsubscribe(subscription);
  }
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (drain_limit.has_value()) {
      drain_deadline_ = std::chrono::steady_clock::now() + *drain_limit;
    }
  }
  cv_.notify_all();
  if (worker_.joinable()) {
    worker_.join();
  }
}

void SuggestionRecorder::DropLocked(int64_t n, const char* why) {
  dropped_ += n;
  dropped_since_log_ += n;
  const auto now = std::chrono::steady_clock::now();
  if (last_drop_log_.has_value() && now - *last_drop_log_ < std::chrono::seconds(10)) {
    return;
  }
  std::fprintf(stderr, "hotline: 分类建议未记录（%s）：本次 %lld 条，累计 %lld 条；工单照常登记\n",
               why, static_cast<long long>(dropped_since_log_),
               static_cast<long long>(dropped_.load()));
  last_drop_log_ = now;
  dropped_since_log_ = 0;
}

void SuggestionRecorder::WaitIdle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return (queue_.empty() && in_flight_ == 0) || !worker_.joinable(); });
}

SuggestionRecorderStats SuggestionRecorder::stats() const {
  SuggestionRecorderStats s;
  {
    std::lock_guard lock(mu_);
    s.queued = static_cast<int64_t>(queue_.size() + in_flight_);
  }
  s.recorded = recorded_.load();
  s.skipped = skipped_.load();
  s.failed = failed_.load();
  s.dropped = dropped_.load();
  s.batches = batches_.load();
  return s;
}

void SuggestionRecorder::Loop() {
  // Below the request threads: when the cores are saturated, registrations go first and the
  // queue absorbs the suggestions, which are caught up on when the burst is over (Linux
  // gives each thread its own nice value; a failure leaves the default priority).
  (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kWorkerNice);
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) {
      break;  // stopping, and everything queued is recorded
    }
    if (stopping_ && drain_deadline_.has_value() &&
        std::chrono::steady_clock::now() >= *drain_deadline_) {
      last_drop_log_.reset();  // always said at shutdown
      DropLocked(static_cast<int64_t>(queue_.size()), "停止时超过等待时限");
      queue_.clear();
      break;
    }
    // Everything pending, up to max_batch_: predicted, then written in one transaction.
    std::vector<Item> batch;
    const size_t n = std::min(queue_.size(), max_batch_);
    batch.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    in_flight_ = n;
    lock.unlock();
    RecordBatch(batch);
    lock.lock();
    in_flight_ = 0;
    cv_.notify_all();
  }
  in_flight_ = 0;
  cv_.notify_all();
}

void SuggestionRecorder::RecordBatch(std::vector<Item>& batch) {
  std::vector<ports::ClassifySuggestionRecord> records;
  records.reserve(batch.size());
  for (const Item& item : batch) {
    auto rec = Suggest(item.ticket, item.text, item.region);
    if (rec.has_value()) {
      records.push_back(std::move(rec).value());
    } else if (rec.error().code == ErrorCode::kFailedPrecondition ||
               rec.error().code == ErrorCode::kInvalidArgument) {
      ++skipped_;
    } else {
      ++failed_;
      std::fprintf(stderr, "hotline: 分类建议未能记录（工单 %lld）: %s\n",
                   static_cast<long long>(item.ticket.value()), rec.error().message.c_str());
    }
  }
  if (records.empty()) {
    return;
  }
  Status st = store_.PutClassifySuggestions(records);
  ++batches_;
  if (st.has_value()) {
    recorded_ += static_cast<int64_t>(records.size());
  } else {
    failed_ += static_cast<int64_t>(records.size());
    std::fprintf(stderr, "hotline: %zu 条分类建议未能记录（工单 %lld 等）: %s\n", records.size(),
                 static_cast<long long>(records.front().ticket.value()),
                 st.error().message.c_str());
  }
}

Result<ports::ClassifySuggestionRecord> SuggestionRecorder::Record(domain::TicketId ticket,
                                                                   const std::string& text,
                                                                   domain::RegionId region) {
  HOTLINE_ASSIGN_OR_RETURN(ports::ClassifySuggestionRecord rec, Suggest(ticket, text, region));
  HOTLINE_RETURN_IF_ERROR(store_.PutClassifySuggestion(rec));
  return rec;
}

Result<ports::ClassifySuggestionRecord> SuggestionRecorder::Suggest(domain::TicketId ticket,
                                                                    const std::string& text,
                                                                    domain::RegionId region) const {
  std::shared_ptr<const Classifier> model = classifier_.Current();
  if (model == nullptr) {
    return FailedPrecondition("未加载分类模型");
  }
  HOTLINE_ASSIGN_OR_RETURN(std::vector<Prediction> top, model->Predict(text, kTopK));
  auto config = service_.config();
  ports::ClassifySuggestionRecord rec;
  rec.ticket = ticket;
  rec.at = clock_.Now();
  if (const auto* versioned = dynamic_cast<const VersionedModel*>(model.get())) {
    rec.model_version = versioned->version();
  }
  nlohmann::json arr = nlohmann::json::array();
  for (size_t i = 0; i < top.size(); ++i) {
    domain::CategoryId category = CategoryOfLabel(config->categories, top[i].label);
    if (i < rec.categories.size()) {
      rec.categories[i] = category;
    }
    nlohmann::json s = {{"label", top[i].label}, {"confidence", top[i].confidence}};
    if (category.valid()) {
      s["category"] = category.value();
    }
    arr.push_back(std::move(s));
  }
  rec.suggestions = arr.dump();
  if (rec.categories[0].valid()) {
    auto unit = service_.SuggestUnit(rec.categories[0], region);
    if (unit.has_value()) {
      rec.unit = unit->lead_unit;
    }
  }
  return rec;
}

}  // namespace hotline::adapters::classify

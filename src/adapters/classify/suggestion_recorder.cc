#include "adapters/classify/suggestion_recorder.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "adapters/classify/model_registry.h"
#include "domain/lifecycle.h"

namespace hotline::adapters::classify {

namespace {
constexpr int kTopK = 3;
}  // namespace

SuggestionRecorder::SuggestionRecorder(app::TicketService& service, ports::ClassifierStore& store,
                                       const SwappableClassifier& classifier,
                                       const ports::Clock& clock, size_t max_queue)
    : service_(service),
      store_(store),
      classifier_(classifier),
      clock_(clock),
      max_queue_(max_queue) {}

SuggestionRecorder::~SuggestionRecorder() { Stop(); }

void SuggestionRecorder::Start() {
  {
    std::lock_guard lock(mu_);
    if (worker_.joinable()) {
      return;
    }
    stopping_ = false;
    worker_ = std::thread([this] { Loop(); });
  }
  // Subscribed outside mu_: Publish holds the feed's lock while the listener takes mu_.
  const std::string registered(domain::Code(domain::Action::kRegister));
  int64_t id = service_.feed().Subscribe([this, registered](const app::TicketChange& c) {
    if (c.action != registered) {
      return;
    }
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= max_queue_) {
      ++dropped_;
      return;
    }
    queue_.push_back({c.ticket.id, TicketText(c.ticket.title, c.ticket.content), c.ticket.region});
    cv_.notify_one();
  });
  std::lock_guard lock(mu_);
  subscription_ = id;
}

void SuggestionRecorder::Stop() {
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
  }
  cv_.notify_all();
  if (worker_.joinable()) {
    worker_.join();
  }
}

void SuggestionRecorder::WaitIdle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return (queue_.empty() && !busy_) || !worker_.joinable(); });
}

void SuggestionRecorder::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) {
      break;  // stopping, and everything queued is recorded
    }
    Item item = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    auto st = Record(item.ticket, item.text, item.region);
    if (st.has_value()) {
      ++recorded_;
    } else {
      if (st.error().code == ErrorCode::kFailedPrecondition ||
          st.error().code == ErrorCode::kInvalidArgument) {
        ++skipped_;
      } else {
        ++failed_;
        std::fprintf(stderr, "hotline: 分类建议未能记录（工单 %lld）: %s\n",
                     static_cast<long long>(item.ticket.value()), st.error().message.c_str());
      }
    }
    lock.lock();
    busy_ = false;
    cv_.notify_all();
  }
  busy_ = false;
  cv_.notify_all();
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

// SuggestionRecorder on a real SQLite store: what is pending is written in one transaction
// (group commit), a full queue drops (counted) without blocking a registration, Stop flushes
// everything queued (or counts it as dropped past a drain limit), and a failed batch write
// leaves none of its rows. The classifier is a stand-in that can be held at a gate, so the
// queue's state is known; the model itself is tested elsewhere.
#include "adapters/classify/suggestion_recorder.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/classify/model_registry.h"
#include "adapters/classify/store_service_testing.h"
#include "adapters/sqlite/sqlite_store.h"
#include "testing/matchers.h"
#include "testing/small_city.h"

namespace hotline::adapters::classify {
namespace {

using hotline::testing::SmallCity;

// Suggests 环境保护 first for texts with 噪音, else 城乡建设; can hold predictions at a gate
// (the worker's first prediction waits until Open()).
class GatedClassifier final : public Classifier {
 public:
  Result<std::vector<Prediction>> Predict(std::string_view text, int k) const override {
    {
      std::unique_lock lock(mu_);
      ++entered_;
      cv_.notify_all();
      cv_.wait(lock, [this] { return open_; });
    }
    if (text.find("无法分类") != std::string_view::npos) {
      return InvalidArgument("the text has no words to classify");
    }
    const bool noise = text.find("噪音") != std::string_view::npos;
    std::vector<Prediction> all = {{noise ? "环境保护" : "城乡建设", 0.7},
                                   {noise ? "城乡建设" : "环境保护", 0.2},
                                   {"交通运输", 0.1}};
    all.resize(std::min<size_t>(all.size(), static_cast<size_t>(k)));
    return all;
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void WaitEntered(int n) const {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return entered_ >= n; });
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  mutable int entered_ = 0;
  bool open_ = false;
};

class SuggestionRecorderTest : public StoreServiceTest {
 protected:
  void SetUp() override {
    StoreServiceTest::SetUp();
    model_ = std::make_shared<GatedClassifier>();
    classifier_.Swap(model_);
  }
  void TearDown() override {
    if (model_) {
      model_->Open();
    }
    StoreServiceTest::TearDown();
  }

  domain::Ticket Register(const std::string& text) {
    auto t = service_->Register(city_->Act("op"),
                                {{"type", "投诉"},
                                 {"content", text},
                                 {"region", std::to_string(SmallCity::kStreet.value())}});
    EXPECT_OK(t);
    return *t;
  }
  int64_t Rows() {
    int64_t n = 0;
    for (const auto& t : tickets_) {
      auto rec = store_->FindClassifySuggestion(t.id);
      EXPECT_OK(rec);
      n += rec->has_value() ? 1 : 0;
    }
    return n;
  }
  // Registers `n` tickets (remembered for Rows()).
  void RegisterMany(int n) {
    for (int i = 0; i < n; ++i) {
      tickets_.push_back(Register("小区工地夜间施工噪音扰民，第 " + std::to_string(i) + " 次反映"));
    }
  }

  std::shared_ptr<GatedClassifier> model_;
  SwappableClassifier classifier_;
  std::vector<domain::Ticket> tickets_;
};

TEST_F(SuggestionRecorderTest, WritesWhatIsPendingInOneTransactionAndRecordsWhatSuggestSays) {
  SuggestionRecorder recorder(*service_, *store_, classifier_, clock_);
  recorder.Start();
  RegisterMany(1);
  model_->WaitEntered(1);  // the worker holds the first ticket at the gate
  RegisterMany(20);        // queued meanwhile
  EXPECT_EQ(recorder.stats().queued, 21);
  model_->Open();
  recorder.WaitIdle();
  EXPECT_EQ(recorder.recorded(), 21);
  // The first ticket alone, then the 20 that were pending in one transaction.
  EXPECT_EQ(recorder.batches(), 2);
  EXPECT_EQ(recorder.dropped(), 0);
  EXPECT_EQ(Rows(), 21);

  // What the worker wrote is exactly what Suggest (the CLI's path) makes for the ticket.
  for (const domain::Ticket& ticket : {tickets_.front(), tickets_.back()}) {
    auto stored = store_->FindClassifySuggestion(ticket.id);
    ASSERT_OK(stored);
    ASSERT_TRUE(stored->has_value());
    auto expected =
        recorder.Suggest(ticket.id, TicketText(ticket.title, ticket.content), ticket.region);
    ASSERT_OK(expected);
    EXPECT_EQ((*stored)->suggestions, expected->suggestions);
    EXPECT_EQ((*stored)->categories, expected->categories);
    EXPECT_EQ((*stored)->unit, expected->unit);
    EXPECT_EQ((*stored)->model_version, expected->model_version);
    EXPECT_EQ((*stored)->at, clock_.Now());
    auto json = nlohmann::json::parse((*stored)->suggestions);
    ASSERT_EQ(json.size(), 3u);
    EXPECT_EQ(json[0]["label"], "环境保护");
    EXPECT_EQ(json[0]["category"], city_->categories.FindByPath("环境保护")->id.value());
    EXPECT_EQ((*stored)->unit, SmallCity::kEnvironment);
  }
}

TEST_F(SuggestionRecorderTest, AFullQueueDropsAndCountsWithoutBlockingRegistration) {
  SuggestionRecorder recorder(*service_, *store_, classifier_, clock_, /*max_queue=*/5);
  recorder.Start();
  RegisterMany(1);
  model_->WaitEntered(1);
  // The worker is stuck at the gate: 5 fit in the queue, 4 more are dropped, and every
  // registration returns (this thread would hang here if a registration waited).
  RegisterMany(9);
  EXPECT_EQ(recorder.dropped(), 4);
  EXPECT_EQ(recorder.stats().queued, 6);
  model_->Open();
  recorder.WaitIdle();
  EXPECT_EQ(recorder.recorded(), 6);
  EXPECT_EQ(recorder.dropped(), 4);
  EXPECT_EQ(Rows(), 6);
  // Dropped tickets are whole, only without a suggestion.
  auto last = store_->FindClassifySuggestion(tickets_.back().id);
  ASSERT_OK(last);
  EXPECT_FALSE(last->has_value());
}

TEST_F(SuggestionRecorderTest, StopFlushesEverythingQueued) {
  auto recorder = std::make_unique<SuggestionRecorder>(*service_, *store_, classifier_, clock_,
                                                       10000, /*max_batch=*/8);
  recorder->Start();
  RegisterMany(1);
  model_->WaitEntered(1);
  RegisterMany(29);
  tickets_.push_back(Register("无法分类"));  // skipped: nothing to classify
  model_->Open();
  recorder->Stop();
  const SuggestionRecorderStats s = recorder->stats();
  EXPECT_EQ(s.recorded, 30);
  EXPECT_EQ(s.skipped, 1);
  EXPECT_EQ(s.dropped, 0);
  EXPECT_EQ(s.queued, 0);
  EXPECT_EQ(s.recorded + s.skipped + s.failed + s.dropped, 31);
  EXPECT_GE(s.batches, 4);  // 1, then batches of at most 8
  EXPECT_EQ(Rows(), 30);
  // After Stop a registration is not delivered to the recorder (unsubscribed).
  RegisterMany(1);
  EXPECT_EQ(recorder->stats().recorded + recorder->stats().dropped, 30);
}

TEST_F(SuggestionRecorderTest, PastTheDrainLimitTheRestIsCountedAsDropped) {
  SuggestionRecorder recorder(*service_, *store_, classifier_, clock_, 10000, /*max_batch=*/1);
  recorder.Start();
  RegisterMany(1);
  model_->WaitEntered(1);
  RegisterMany(9);
  auto stopped =
      std::async(std::launch::async, [&] { recorder.Stop(std::chrono::milliseconds(0)); });
  // Stop waits for the batch at the gate; once it is released, the limit has passed.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  model_->Open();
  stopped.get();
  const SuggestionRecorderStats s = recorder.stats();
  EXPECT_GE(s.recorded, 1);
  EXPECT_GE(s.dropped, 1);
  EXPECT_EQ(s.recorded + s.dropped, 10);
  EXPECT_EQ(Rows(), s.recorded);
}

TEST_F(SuggestionRecorderTest, AFailedBatchWriteLeavesNoneOfItsRows) {
  model_->Open();
  SuggestionRecorder recorder(*service_, *store_, classifier_, clock_);
  RegisterMany(3);  // not started: nothing recorded yet
  std::vector<ports::ClassifySuggestionRecord> batch;
  for (const domain::Ticket& t : tickets_) {
    auto rec = recorder.Suggest(t.id, TicketText(t.title, t.content), t.region);
    ASSERT_OK(rec);
    batch.push_back(*rec);
  }
  // The store fails after the second row: the first two are rolled back with it.
  int rows = 0;
  store_->SetFaultHook([&](std::string_view point) -> Status {
    return point == "suggestions.after_row" && ++rows == 2 ? Internal("injected fault")
                                                           : OkStatus();
  });
  EXPECT_FALSE(store_->PutClassifySuggestions(batch).has_value());
  EXPECT_EQ(Rows(), 0);
  store_->SetFaultHook(nullptr);
  ASSERT_OK(store_->PutClassifySuggestions(batch));
  EXPECT_EQ(Rows(), 3);
  // Written once: a second write of the same tickets is ignored, not an error.
  batch[0].suggestions = "[]";
  ASSERT_OK(store_->PutClassifySuggestions(batch));
  EXPECT_NE((*store_->FindClassifySuggestion(batch[0].ticket))->suggestions, "[]");

  // Through the worker: a failing store counts every suggestion of the batch as failed and
  // leaves no row; registration is unaffected.
  store_->SetFaultHook([](std::string_view point) -> Status {
    return point == "suggestions.after_row" ? Internal("injected fault") : OkStatus();
  });
  recorder.Start();
  tickets_.clear();
  RegisterMany(4);
  recorder.WaitIdle();
  EXPECT_EQ(recorder.failed(), 4);
  EXPECT_EQ(recorder.recorded(), 0);
  EXPECT_EQ(Rows(), 0);
  store_->SetFaultHook(nullptr);
}

}  // namespace
}  // namespace hotline::adapters::classify

// Telephony input in SQLite: idempotent by call id (duplicates, updates, out-of-order resends),
// all-or-nothing batches, KPI sums equal to the domain's, and agent states around a period.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "adapters/sqlite/sqlite_store.h"
#include "testing/matchers.h"

namespace hotline::adapters::sqlite {
namespace {

namespace fs = std::filesystem;
using domain::kpi::AgentState;
using domain::kpi::AgentStateChange;
using domain::kpi::CallRecord;

Instant At(const char* local) { return *ParseInstant(local); }

class TelephonyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("hotline-tel-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
    SqliteOptions o;
    o.path = (dir_ / "t.db").string();
    auto store = SqliteStore::Open(o);
    ASSERT_OK(store);
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  static CallRecord Offered(const char* id, const char* at) {
    CallRecord r;
    r.call_id = id;
    r.caller = "13800001111";
    r.queue = "综合";
    r.offered_at = At(at);
    r.channel = "12345";
    return r;
  }
  fs::path dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(TelephonyStoreTest, SameRecordTwiceIsStoredOnceAndLaterStagesUpdate) {
  CallRecord start = Offered("C1", "2024-10-14 09:00:00");
  auto first = store_->PutCalls({start});
  ASSERT_OK(first);
  EXPECT_EQ(first->inserted, 1);
  auto again = store_->PutCalls({start});
  ASSERT_OK(again);
  EXPECT_EQ(again->unchanged, 1);
  EXPECT_EQ(again->inserted, 0);

  CallRecord done = start;
  done.answered_at = At("2024-10-14 09:00:08");
  done.ended_at = At("2024-10-14 09:02:08");
  done.agent = "op";
  done.talk_seconds = 120;
  auto upd = store_->PutCalls({done});
  ASSERT_OK(upd);
  EXPECT_EQ(upd->updated, 1);
  // The start of the call arriving after its end changes nothing.
  auto late = store_->PutCalls({start});
  ASSERT_OK(late);
  EXPECT_EQ(late->unchanged, 1);

  auto list = store_->ListCalls({At("2024-10-14 00:00:00"), At("2024-10-15 00:00:00"), "", 0, 100});
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].record, done);

  auto sums = store_->CallSumsBetween(At("2024-10-14 00:00:00"), At("2024-10-15 00:00:00"), "");
  ASSERT_OK(sums);
  EXPECT_EQ(*sums, domain::kpi::Sum({done}));
}

TEST_F(TelephonyStoreTest, SumsEqualTheDomainsAndFilterByAgentAndPeriod) {
  std::vector<CallRecord> calls;
  for (int i = 0; i < 20; ++i) {
    CallRecord r = Offered(("C" + std::to_string(i)).c_str(), "2024-10-14 09:00:00");
    r.offered_at += std::chrono::minutes(i);
    if (i % 3 == 0) {
      r.abandoned = true;
      r.ended_at = r.offered_at + std::chrono::seconds(i);
    } else {
      r.answered_at = r.offered_at + std::chrono::seconds(i * 2);
      r.ended_at = *r.answered_at + std::chrono::seconds(60);
      r.talk_seconds = 50 + i;
      r.agent = i % 2 == 0 ? "a" : "b";
    }
    calls.push_back(r);
  }
  auto put = store_->PutCalls(calls);
  ASSERT_OK(put);
  EXPECT_EQ(put->inserted, 20);
  Instant from = At("2024-10-14 00:00:00");
  Instant to = At("2024-10-15 00:00:00");
  EXPECT_EQ(*store_->CallSumsBetween(from, to, ""), domain::kpi::Sum(calls));
  std::vector<CallRecord> of_a;
  for (const auto& c : calls) {
    if (c.agent == "a") {
      of_a.push_back(c);
    }
  }
  EXPECT_EQ(*store_->CallSumsBetween(from, to, "a"), domain::kpi::Sum(of_a));
  EXPECT_EQ(store_->CallSumsBetween(to, to + std::chrono::hours(24), "")->offered, 0);

  // Paging by cursor.
  auto page1 = store_->ListCalls({from, to, "", 0, 15});
  ASSERT_OK(page1);
  ASSERT_EQ(page1->size(), 15u);
  auto page2 = store_->ListCalls({from, to, "", page1->back().id, 15});
  ASSERT_OK(page2);
  EXPECT_EQ(page2->size(), 5u);
  auto only_a = store_->ListCalls({from, to, "a", 0, 100});
  EXPECT_EQ(only_a->size(), of_a.size());
}

TEST_F(TelephonyStoreTest, AgentStatesAreStoredOnceAndIncludeTheStateBeforeThePeriod) {
  std::vector<AgentStateChange> ch = {
      {"a", AgentState::kLoggedIn, At("2024-10-13 20:00:00")},
      {"a", AgentState::kReady, At("2024-10-13 21:00:00")},
      {"a", AgentState::kBusy, At("2024-10-14 09:00:00")},
      {"b", AgentState::kLoggedOut, At("2024-10-13 18:00:00")},
  };
  auto put = store_->PutAgentStates(ch);
  ASSERT_OK(put);
  EXPECT_EQ(put->inserted, 4);
  auto again = store_->PutAgentStates(ch);
  ASSERT_OK(again);
  EXPECT_EQ(again->unchanged, 4);
  auto got = store_->AgentStatesBetween(At("2024-10-14 00:00:00"), At("2024-10-15 00:00:00"));
  ASSERT_OK(got);
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].agent, "b");
  EXPECT_EQ((*got)[0].state, AgentState::kLoggedOut);
  EXPECT_EQ((*got)[1].state, AgentState::kReady);  // a's last state before the period
  EXPECT_EQ((*got)[2].state, AgentState::kBusy);
}

}  // namespace
}  // namespace hotline::adapters::sqlite

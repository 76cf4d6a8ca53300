#include "adapters/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "app/ticket_service.h"
#include "contract/ticket_store_contract.h"
#include "testing/matchers.h"
#include "testing/small_city.h"

namespace hotline::adapters::sqlite {
namespace {

namespace fs = std::filesystem;
using hotline::testing::HasErrorCode;
using hotline::testing::SmallCity;

// A path no store is at: the directory is named by the process id, which a later process
// can get again (CI runs hundreds), so a file left there by an earlier one is removed first.
std::string TempDbPath() {
  static std::atomic<int> counter{0};
  fs::path dir = fs::temp_directory_path() / ("hotline-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / ("store-" + std::to_string(counter++) + ".db")).string();
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(path + suffix);
  }
  return path;
}

SqliteOptions Options(std::string path, bool create = true) {
  SqliteOptions o;
  o.path = std::move(path);
  o.create = create;
  return o;
}

hotline::testing::StoreUnderTest MakeSqlite() {
  auto store = SqliteStore::Open(Options(TempDbPath()));
  HOTLINE_CHECK(store.has_value(), "open sqlite store");
  std::shared_ptr<SqliteStore> shared(std::move(*store));
  return {shared, shared};
}

using hotline::testing::TicketStoreContract;
INSTANTIATE_TEST_SUITE_P(Sqlite, TicketStoreContract, ::testing::Values(&MakeSqlite));

domain::Fields Complaint() {
  return {{"type", "投诉"}, {"content", "路灯不亮"}, {"citizen_phone", "13800001111"}};
}

TEST(SqliteStore, AppliesMigrationsOnceAndReopens) {
  std::string path = TempDbPath();
  int version = 0;
  {
    auto store = SqliteStore::Open(Options(path));
    ASSERT_OK(store);
    // 008 (classifier) is the newest this test knows; later migrations only add to it.
    version = (*store)->SchemaVersion();
    EXPECT_GE(version, 8);
  }
  auto again = SqliteStore::Open(Options(path, false));
  ASSERT_OK(again);
  EXPECT_EQ((*again)->SchemaVersion(), version);
  EXPECT_THAT(SqliteStore::Open(Options(path + ".missing", false)),
              HasErrorCode(ErrorCode::kNotFound));
}

TEST(SqliteStore, AMigrationMissingBelowTheNewestIsStillApplied) {
  // A store that recorded a later migration but not an earlier one (numbers written on
  // parallel branches) gets the earlier one at the next open, once.
  std::string path = TempDbPath();
  int version = 0;
  {
    auto store = SqliteStore::Open(Options(path));
    ASSERT_OK(store);
    version = (*store)->SchemaVersion();
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TABLE agent_states; DROP TABLE calls; "
                           "DELETE FROM schema_migrations WHERE version = 7",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto again = SqliteStore::Open(Options(path));
  ASSERT_OK(again);
  EXPECT_EQ((*again)->SchemaVersion(), version);
  auto calls =
      (*again)->CallSumsBetween(*ParseInstant("2024-01-01"), *ParseInstant("2024-02-01"), "");
  EXPECT_OK(calls);  // the telephony tables (007) are back
}

TEST(SqliteStore, FailedWriteMidTransactionLeavesNoPartialTicket) {
  auto city = hotline::testing::MakeSmallCity();
  auto store = SqliteStore::Open(Options(TempDbPath()));
  ASSERT_OK(store);
  ports::FakeClock clock(*ParseInstant("2024-03-04 09:00"));
  auto config = std::make_shared<app::HotlineConfig>();
  config->org = city->org;
  config->categories = city->categories;
  app::TicketService service(**store, clock, config);

  (*store)->SetFaultHook([](std::string_view point) -> Status {
    return point == "create.after_events" ? Internal("injected fault") : OkStatus();
  });
  EXPECT_THAT(service.Register(city->Act("op"), Complaint()), HasErrorCode(ErrorCode::kInternal));
  (*store)->SetFaultHook(nullptr);
  auto summary = (*store)->Summary();
  ASSERT_OK(summary);
  EXPECT_EQ(summary->tickets, 0);
  EXPECT_EQ(summary->events, 0);  // the events written before the fault were rolled back
  // The number sequence rolled back too: the next ticket is the day's first.
  auto t = service.Register(city->Act("op"), Complaint());
  ASSERT_OK(t);
  EXPECT_EQ(t->number, "SM20240304000001");

  (*store)->SetFaultHook([](std::string_view point) -> Status {
    return point == "commit.after_events" ? Internal("injected fault") : OkStatus();
  });
  EXPECT_THAT(
      service.Act(city->Act("disp"), t->number, {domain::Action::kDispatch, {{"lead_unit", "2"}}}),
      HasErrorCode(ErrorCode::kInternal));
  (*store)->SetFaultHook(nullptr);
  auto stored = (*store)->Find(t->id);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->state, domain::TicketState::kRegistered);
  EXPECT_EQ((*store)->History(t->id)->size(), 1u);
}

// A process killed in the middle of a transaction (after the events, before the
// projection) leaves a store with no trace of the ticket.
TEST(SqliteStore, ProcessKilledMidTransactionLeavesNoPartialTicket) {
  std::string path = TempDbPath();
  {
    auto store = SqliteStore::Open(Options(path));
    ASSERT_OK(store);
  }
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto city = hotline::testing::MakeSmallCity();
    auto store = SqliteStore::Open(Options(path));
    if (!store.has_value()) {
      _exit(3);
    }
    (*store)->SetFaultHook([](std::string_view point) -> Status {
      if (point == "create.after_events") {
        _exit(0);  // dies holding an open write transaction
      }
      return OkStatus();
    });
    ports::FakeClock clock(*ParseInstant("2024-03-04 09:00"));
    auto config = std::make_shared<app::HotlineConfig>();
    config->org = city->org;
    app::TicketService service(**store, clock, config);
    (void)service.Register(city->Act("op"), Complaint());
    _exit(4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto store = SqliteStore::Open(Options(path, false));
  ASSERT_OK(store);
  auto summary = (*store)->Summary();
  ASSERT_OK(summary);
  EXPECT_EQ(summary->tickets, 0);
  EXPECT_EQ(summary->events, 0);
  auto diff = (*store)->VerifyProjections();
  ASSERT_OK(diff);
  EXPECT_TRUE(diff->empty());
}

TEST(SqliteStore, CorruptProjectionIsDetectedAndRebuilt) {
  std::string path = TempDbPath();
  auto city = hotline::testing::MakeSmallCity();
  auto store = SqliteStore::Open(Options(path));
  ASSERT_OK(store);
  ports::FakeClock clock(*ParseInstant("2024-03-04 09:00"));
  auto config = std::make_shared<app::HotlineConfig>();
  config->org = city->org;
  app::TicketService service(**store, clock, config);
  auto t = service.Register(city->Act("op"), Complaint());
  ASSERT_OK(t);
  {
    auto db = Db::Open(path, false, false);
    ASSERT_OK(db);
    ASSERT_OK((*db)->Exec("UPDATE tickets SET doc = replace(doc, '路灯不亮', '被篡改')"));
  }
  auto diff = (*store)->VerifyProjections();
  ASSERT_OK(diff);
  EXPECT_EQ(*diff, std::vector<std::string>{t->number});
  ASSERT_OK((*store)->RebuildProjections());
  EXPECT_TRUE((*store)->VerifyProjections()->empty());
  EXPECT_EQ((*store)->Find(t->id)->content, "路灯不亮");
}

}  // namespace
}  // namespace hotline::adapters::sqlite

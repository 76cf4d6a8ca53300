#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "adapters/sqlite/sqlite_store.h"
#include "testing/matchers.h"

namespace hotline::adapters::sqlite {
namespace {

namespace fs = std::filesystem;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    path_ = (fs::temp_directory_path() /
             ("hotline-audit-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
                .string();
    SqliteOptions o;
    o.path = path_;
    auto store = SqliteStore::Open(o);
    ASSERT_OK(store);
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      fs::remove(path_ + suffix);
    }
  }
  ports::AuditRecord Record(int i) {
    return {FromUnix(1700000000 + i), "disp1",    "ticket.dispatch", "SM" + std::to_string(i),
            "{\"lead_unit\":2}",      "127.0.0.1"};
  }
  // Edits the file behind the store's back, as an intruder with file access would.
  void Tamper(const std::string& sql) {
    auto db = Db::Open(path_, false, false);
    ASSERT_OK(db);
    ASSERT_OK((*db)->Exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"));
    ASSERT_OK((*db)->Exec(sql));
  }

  std::string path_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(AuditLogTest, AnIntactChainVerifies) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        EXPECT_OK(store_->Append(Record(t * 100 + i)));
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  auto v = store_->Verify();
  ASSERT_OK(v);
  EXPECT_EQ(v->entries, 100);
  EXPECT_TRUE(v->problems.empty());
  EXPECT_EQ(v->head_hash.size(), 64u);
  auto entries = store_->Entries(0, 10);
  ASSERT_OK(entries);
  EXPECT_EQ((*entries)[0].prev_hash, "");
  EXPECT_EQ((*entries)[1].prev_hash, (*entries)[0].hash);
}

TEST_F(AuditLogTest, TheApplicationCannotUpdateOrDelete) {
  ASSERT_OK(store_->Append(Record(1)));
  auto db = Db::Open(path_, false, false);
  ASSERT_OK(db);
  EXPECT_FALSE((*db)->Exec("UPDATE audit_log SET login = 'x'").has_value());
  EXPECT_FALSE((*db)->Exec("DELETE FROM audit_log").has_value());
}

TEST_F(AuditLogTest, AnEditedEntryIsDetected) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(store_->Append(Record(i)));
  }
  Tamper("UPDATE audit_log SET login = 'someone-else' WHERE seq = 3");
  auto v = store_->Verify();
  ASSERT_OK(v);
  ASSERT_EQ(v->problems.size(), 1u);
  EXPECT_NE(v->problems[0].find("第 3 条"), std::string::npos) << v->problems[0];
}

TEST_F(AuditLogTest, ADeletedEntryIsDetected) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(store_->Append(Record(i)));
  }
  Tamper("DELETE FROM audit_log WHERE seq = 2");
  auto v = store_->Verify();
  ASSERT_OK(v);
  EXPECT_EQ(v->entries, 4);
  ASSERT_FALSE(v->problems.empty());
  EXPECT_NE(v->problems[0].find("缺少第 2"), std::string::npos) << v->problems[0];
}

TEST_F(AuditLogTest, ARewrittenHashIsDetectedByTheNextLink) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(store_->Append(Record(i)));
  }
  Tamper("UPDATE audit_log SET detail = 'x', hash = 'forged' WHERE seq = 2");
  auto v = store_->Verify();
  ASSERT_OK(v);
  EXPECT_EQ(v->problems.size(), 2u);  // entry 2's own hash and entry 3's link
}

}  // namespace
}  // namespace hotline::adapters::sqlite

// Test helper: a small SQLite store of the small city with a hand-made October 2024
// (report_test.cc and the report API test).
//   A (物业管理, 城关街道): township, signed and replied on time, satisfied.
//   B (噪声污染, city): housing, urged by the time-limit job (overdue), supervised, replied
//     late, unsatisfied, re-handled.
//   C (物业管理, city): registered on 2024-10-15 only.
//   D (物业管理): one registration in September (the previous month).
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>

#include "adapters/sqlite/sqlite_store.h"
#include "app/ticket_service.h"
#include "testing/matchers.h"
#include "testing/small_city.h"

namespace hotline::adapters::report::testing {

struct ReportStore {
  std::unique_ptr<hotline::testing::SmallCity> city = hotline::testing::MakeSmallCity();
  ports::FakeClock clock{*ParseInstant("2024-09-20 08:00:00")};
  std::filesystem::path dir;
  std::unique_ptr<sqlite::SqliteStore> store;
  std::unique_ptr<app::TicketService> service;
  std::shared_ptr<app::HotlineConfig> config;
  std::string a, b, c;

  ~ReportStore() {
    service.reset();
    store.reset();
    if (!dir.empty()) {
      std::filesystem::remove_all(dir);
    }
  }

  std::string Cat(const char* path) const {
    return std::to_string(city->categories.FindByPath(path)->id.value());
  }
  void Do(const char* login, const std::string& n, domain::Action a_, domain::Fields f,
          const char* at) {
    clock.Set(*ParseInstant(at));
    ASSERT_OK(service->Act(city->Act(login), n, {a_, std::move(f)}));
  }
  std::string Register(const char* region, const std::string& category, const char* at) {
    clock.Set(*ParseInstant(at));
    auto t = service->Register(city->Act("op"), {{"type", "投诉"},
                                                 {"content", "小区噪音扰民"},
                                                 {"region", region},
                                                 {"category", category}});
    EXPECT_OK(t);
    return t.has_value() ? t->number : "";
  }

  void Open() {
    static std::atomic<int> counter{0};
    dir = std::filesystem::temp_directory_path() /
          ("hotline-report-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
    sqlite::SqliteOptions options;
    options.path = (dir / "h.db").string();
    auto s = sqlite::SqliteStore::Open(options);
    ASSERT_OK(s);
    store = std::move(*s);
    ASSERT_OK(store->SaveOrg(city->org));
    ASSERT_OK(store->SaveCategories(city->categories));
    config = std::make_shared<app::HotlineConfig>();
    config->org = city->org;
    config->categories = city->categories;
    service = std::make_unique<app::TicketService>(*store, clock, config);
  }

  void Seed() {
    using domain::Action;
    const std::string property = Cat("城乡建设/住房保障/物业管理");
    const std::string noise = Cat("环境保护/污染防治/噪声污染");
    Register("1", property, "2024-09-20 09:00:00");
    a = Register("3", property, "2024-10-14 08:30:00");
    Do("disp", a, Action::kDispatch, {{"lead_unit", "5"}}, "2024-10-14 09:00:00");
    Do("town", a, Action::kSign, {}, "2024-10-14 10:00:00");
    Do("town", a, Action::kReply, {{"reply", "已处理"}}, "2024-10-15 09:00:00");
    Do("disp", a, Action::kReviewPass, {}, "2024-10-15 10:00:00");
    Do("cb", a, Action::kCallback, {{"reached", "1"}, {"resolved", "1"}, {"satisfaction", "满意"}},
       "2024-10-15 11:00:00");
    b = Register("1", noise, "2024-10-14 08:40:00");
    Do("disp", b, Action::kDispatch, {{"lead_unit", "2"}}, "2024-10-14 09:00:00");
    Do("housing", b, Action::kSign, {}, "2024-10-14 09:30:00");
    Do("system", b, Action::kUrge, {{"comment", "超期自动催办"}}, "2024-10-28 09:00:00");
    Do("sup", b, Action::kSupervise, {{"level", "2"}}, "2024-10-28 10:00:00");
    Do("housing", b, Action::kReply, {{"reply", "已处理"}}, "2024-10-29 09:00:00");
    Do("disp", b, Action::kReviewPass, {}, "2024-10-29 10:00:00");
    Do("cb", b, Action::kCallback,
       {{"reached", "1"}, {"resolved", "0"}, {"satisfaction", "不满意"}}, "2024-10-29 11:00:00");
    Do("cb", b, Action::kRehandle, {{"reason", "群众不满意"}}, "2024-10-29 12:00:00");
    c = Register("1", property, "2024-10-15 08:00:00");
  }
};

}  // namespace hotline::adapters::report::testing

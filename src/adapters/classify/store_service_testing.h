// Test support for the classifier's store-side tests: a ticket service on a real SQLite store
// in a temporary directory, with the small city's organisation, categories and routing saved
// and in its configuration. Tests register (and dispatch) tickets through service_.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "adapters/sqlite/sqlite_store.h"
#include "app/ticket_service.h"
#include "ports/clock.h"
#include "testing/matchers.h"
#include "testing/small_city.h"

namespace hotline::adapters::classify {

class StoreServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("hotline-classify-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
    auto store = sqlite::SqliteStore::Open({.path = (dir_ / "s.db").string()});
    ASSERT_OK(store);
    store_ = std::move(*store);
    ASSERT_OK(store_->SaveOrg(city_->org));
    ASSERT_OK(store_->SaveCategories(city_->categories));
    ASSERT_OK(store_->SaveRouting(city_->routing));
    auto config = std::make_shared<app::HotlineConfig>();
    config->org = city_->org;
    config->categories = city_->categories;
    config->routing = city_->routing;
    service_ = std::make_unique<app::TicketService>(*store_, clock_, config);
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<hotline::testing::SmallCity> city_ = hotline::testing::MakeSmallCity();
  ports::FakeClock clock_{*ParseInstant("2024-03-04 09:00")};
  std::filesystem::path dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
  std::unique_ptr<app::TicketService> service_;
};

}  // namespace hotline::adapters::classify

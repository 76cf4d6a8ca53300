// hotline store init|summary|rebuild|verify
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/common.h"
#include "domain/ticket.h"

namespace hotline::cli {

void RegisterStoreCommands(CLI::App& app) {
  auto* store = app.add_subcommand("store", "数据存储：初始化、概况、从事件日志重建投影、校验");
  store->require_subcommand(1);
  auto path = std::make_shared<std::string>("var/hotline.db");

  auto* init = store->add_subcommand("init", "创建空的数据库（含全部表结构）");
  init->add_option("--store", *path, "数据库文件路径")->capture_default_str();
  init->callback([path] {
    adapters::sqlite::SqliteOptions options;
    options.path = *path;
    auto opened = adapters::sqlite::SqliteStore::Open(options);
    if (!opened.has_value()) {
      return Fail(opened.error());
    }
    std::printf("已创建数据库 %s（结构版本 %d）\n", path->c_str(), (*opened)->SchemaVersion());
  });

  auto* summary = store->add_subcommand("summary", "工单与事件数量、各状态工单数");
  summary->add_option("--store", *path, "数据库文件路径")->capture_default_str();
  summary->callback([path] {
    auto session = OpenSession(*path);
    if (!session.has_value()) {
      return Fail(session.error());
    }
    auto s = session->store->Summary();
    if (!s.has_value()) {
      return Fail(s.error());
    }
    std::printf("数据库 %s\n工单 %lld 件，事件 %lld 条\n", path->c_str(),
                static_cast<long long>(s->tickets), static_cast<long long>(s->events));
    for (const auto& [state, n] : s->by_state) {
      std::printf("  %-10s %8lld\n", std::string(domain::ChineseName(state)).c_str(),
                  static_cast<long long>(n));
    }
    const auto& org = session->config->org;
    std::printf("单位 %zu 个，用户 %zu 个，区域 %zu 个，分类 %zu 个，派单规则 %zu 条\n",
                org.units().size(), org.users().size(), org.regions().size(),
                session->config->categories.all().size(), session->config->routing.rules().size());
  });

  auto* rebuild = store->add_subcommand("rebuild", "按事件日志重建全部工单投影（单个事务）");
  rebuild->add_option("--store", *path, "数据库文件路径")->capture_default_str();
  rebuild->callback([path] {
    auto session = OpenSession(*path);
    if (!session.has_value()) {
      return Fail(session.error());
    }
    auto before = session->store->VerifyProjections();
    if (!before.has_value()) {
      return Fail(before.error());
    }
    auto st = session->store->RebuildProjections();
    if (!st.has_value()) {
      return Fail(st.error());
    }
    auto after = session->store->VerifyProjections();
    if (!after.has_value()) {
      return Fail(after.error());
    }
    std::printf("已重建投影：重建前 %zu 件与日志不一致，重建后 %zu 件不一致\n", before->size(),
                after->size());
    if (!after->empty()) {
      ExitCode() = 1;
    }
  });

  auto* verify = store->add_subcommand("verify", "比较投影与事件日志重放的结果，列出不一致的工单");
  verify->add_option("--store", *path, "数据库文件路径")->capture_default_str();
  verify->callback([path] {
    auto session = OpenSession(*path);
    if (!session.has_value()) {
      return Fail(session.error());
    }
    auto diff = session->store->VerifyProjections();
    if (!diff.has_value()) {
      return Fail(diff.error());
    }
    for (const auto& number : *diff) {
      std::printf("不一致: %s\n", number.c_str());
    }
    std::printf("%zu 件工单的投影与事件日志不一致\n", diff->size());
    if (!diff->empty()) {
      ExitCode() = 1;
    }
  });
}

}  // namespace hotline::cli

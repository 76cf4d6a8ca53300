// hotline audit verify|list: check and read the hash-chained audit log.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/common.h"

namespace hotline::cli {

void RegisterAuditCommands(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "审计日志：校验哈希链、查看记录");
  audit->require_subcommand(1);
  auto path = std::make_shared<std::string>("var/hotline.db");
  auto head = std::make_shared<std::string>();

  auto* verify = audit->add_subcommand(
      "verify", "重新计算哈希链，发现被修改或删除的记录（有问题时退出码为 1）");
  verify->add_option("--store", *path, "数据库文件路径")->capture_default_str();
  verify->add_option("--expect-head", *head, "上次校验时另行保存的链头哈希：可发现末尾记录被删除");
  verify->callback([path, head] {
    auto session = OpenSession(*path);
    if (!session.has_value()) {
      return Fail(session.error());
    }
    auto v = session->store->Verify();
    if (!v.has_value()) {
      return Fail(v.error());
    }
    for (const auto& p : v->problems) {
      std::printf("问题: %s\n", p.c_str());
    }
    std::printf("审计记录 %lld 条，链头哈希 %s\n", static_cast<long long>(v->entries),
                v->head_hash.empty() ? "（空）" : v->head_hash.c_str());
    bool head_ok = true;
    if (!head->empty()) {
      auto entries = session->store->Entries(0, 1 << 30);
      head_ok = false;
      if (entries.has_value()) {
        for (const auto& e : *entries) {
          head_ok = head_ok || e.hash == *head;
        }
      }
      if (!head_ok) {
        std::printf("问题: 保存的链头哈希不在日志中（末尾记录可能被删除或日志被替换）\n");
      }
    }
    if (!v->problems.empty() || !head_ok) {
      std::printf("审计日志校验失败\n");
      ExitCode() = 1;
    } else {
      std::printf("审计日志完整\n");
    }
  });

  auto after = std::make_shared<int64_t>(0);
  auto limit = std::make_shared<int>(50);
  auto* list = audit->add_subcommand("list", "列出审计记录");
  list->add_option("--store", *path, "数据库文件路径")->capture_default_str();
  list->add_option("--after", *after, "从该序号之后开始");
  list->add_option("--limit", *limit, "最多条数")->check(CLI::Range(1, 100000));
  list->callback([path, after, limit] {
    auto session = OpenSession(*path);
    if (!session.has_value()) {
      return Fail(session.error());
    }
    auto entries = session->store->Entries(*after, *limit);
    if (!entries.has_value()) {
      return Fail(entries.error());
    }
    for (const auto& e : *entries) {
      std::printf("#%lld %s %s %s %s %s\n", static_cast<long long>(e.seq),
                  FormatLocal(e.record.at).c_str(), e.record.login.c_str(), e.record.action.c_str(),
                  e.record.target.c_str(), e.record.detail.c_str());
    }
  });
}

}  // namespace hotline::cli

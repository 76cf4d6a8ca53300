// hotline hot-topics: the hot topics of a period (docs/hot_topics.md) from a store: clusters
// of similar reports, recurring places and categories rising in an area, each with its
// explanation; as numbered lines of text or as the API's JSON.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "adapters/http/hot_topics_api.h"
#include "adapters/text/ticket_topics.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "domain/fields.h"

namespace hotline::cli {
namespace {

constexpr int64_t kDaySeconds = 86400;
constexpr int64_t kDefaultDays = 7;

struct HotArgs {
  std::string store = "var/hotline.db";
  std::string from;
  std::string to;
  std::string region;    // id, code or name
  std::string category;  // id or path
  size_t limit = 20;
  std::string format = "text";
};

std::optional<Instant> Day(const std::string& s) {
  return s.size() == 10 ? ParseInstant(s) : std::nullopt;
}

void RunHotTopics(const HotArgs& a) {
  if (a.format != "text" && a.format != "json") {
    return Fail("--format 应为 text 或 json", 2);
  }
  auto session = OpenSession(a.store);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  const auto& config = *session->config;
  auto last = a.to.empty() ? Day(FormatLocalDate(session->clock->Now())) : Day(a.to);
  if (!last) {
    return Fail("--to 应为日期 YYYY-MM-DD: " + a.to, 2);
  }
  auto first = a.from.empty()
                   ? std::optional<Instant>(*last - Duration((kDefaultDays - 1) * kDaySeconds))
                   : Day(a.from);
  if (!first) {
    return Fail("--from 应为日期 YYYY-MM-DD: " + a.from, 2);
  }
  if (*first > *last) {
    return Fail("--from 应不晚于 --to", 2);
  }
  adapters::text::TicketTopicRequest request;
  request.from = *first;
  request.to = *last + Duration(kDaySeconds);
  request.limit = a.limit;
  if (!a.region.empty()) {
    const domain::Region* r = config.org.FindRegionByCode(a.region);
    for (const auto& region : config.org.regions()) {
      if (r == nullptr &&
          (region.name == a.region || std::to_string(region.id.value()) == a.region)) {
        r = &region;
      }
    }
    if (r == nullptr) {
      return Fail("未知区域（编号、代码或名称）: " + a.region, 2);
    }
    request.region = r->id;
  }
  if (!a.category.empty()) {
    const domain::Category* c = config.categories.FindByPath(a.category);
    if (c == nullptr) {
      if (auto id = domain::ParseInt64(a.category); id.has_value()) {
        c = config.categories.Find(domain::CategoryId{*id});
      }
    }
    if (c == nullptr) {
      return Fail("未知分类（编号或路径）: " + a.category, 2);
    }
    request.category = c->id;
  }
  auto tokenizer = adapters::text::Tokenizer::CreateDefault();
  if (!tokenizer.has_value()) {
    return Fail(tokenizer.error());
  }
  auto found = adapters::text::FindTicketHotTopics(*session->store, config.org, config.categories,
                                                   **tokenizer, request);
  if (!found.has_value()) {
    return Fail(found.error(), found.error().code == ErrorCode::kInvalidArgument ? 2 : 1);
  }
  const std::string from = FormatLocalDate(request.from);
  const std::string to = FormatLocalDate(request.to - Duration(1));
  if (a.format == "json") {
    nlohmann::json topics = nlohmann::json::array();
    for (size_t i = 0; i < found->topics.size(); ++i) {
      topics.push_back(adapters::http::HotTopicJson(found->topics[i], i + 1));
    }
    fmt::print("{}\n", nlohmann::json{{"from", from},
                                      {"to", to},
                                      {"reports", found->reports},
                                      {"baseline_reports", found->baseline_reports},
                                      {"baseline_periods", found->baseline_periods},
                                      {"topics", topics}}
                           .dump());
    return;
  }
  fmt::print("热点问题 {} 至 {}：本期工单 {} 件，对比前 {} 期（{} 件），共 {} 项\n", from, to,
             found->reports, found->baseline_periods, found->baseline_reports,
             found->topics.size());
  for (size_t i = 0; i < found->topics.size(); ++i) {
    const auto& t = found->topics[i];
    fmt::print("{}. [{}] {}\n", i + 1, adapters::text::ChineseName(t.kind), t.explanation);
  }
}

}  // namespace

void RegisterHotTopicCommands(CLI::App& app) {
  auto args = std::make_shared<HotArgs>();
  auto* cmd = app.add_subcommand(
      "hot-topics", "Hot topics of a period: clusters, recurring places, rising categories (热点)");
  cmd->add_option("--store", args->store, "SQLite store");
  cmd->add_option("--from", args->from, "First day YYYY-MM-DD (default: 6 days before --to)");
  cmd->add_option("--to", args->to, "Last day YYYY-MM-DD, inclusive (default: today)");
  cmd->add_option("--region", args->region, "Region id, code or name (and below it)");
  cmd->add_option("--category", args->category, "Category id or path (and below it)");
  cmd->add_option("--limit", args->limit, "Topics listed")->check(CLI::Range(1, 100));
  cmd->add_option("--format", args->format, "text or json");
  cmd->callback([args] { RunHotTopics(*args); });
}

}  // namespace hotline::cli

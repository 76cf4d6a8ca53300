// hotline telephony import --store X FILE.jsonl: loads call records and agent state changes
// exported by a telephony system (one JSON object a line, the format of docs/telephony.md: a
// line with "call_id" is a call, one with "state" an agent state change). Every line is
// checked first (an error names the line and field, exit 2, nothing written); then all calls
// and all state changes are stored, each in one transaction, idempotent by call id. Prints
// the counts, the last line as JSON.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/http/telephony_api.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "common/utf8.h"

namespace hotline::cli {
namespace {

void RunImport(const std::string& store, const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Fail(fmt::format("无法读取文件: {}", file), 1);
  }
  std::vector<domain::kpi::CallRecord> calls;
  std::vector<domain::kpi::AgentStateChange> states;
  std::set<std::string> ids;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.find_first_not_of(" \t") == std::string::npos) {
      continue;
    }
    std::string prefix = fmt::format("第 {} 行: ", number);
    if (!IsValidUtf8(line)) {
      return Fail(prefix + "不是有效的 UTF-8 文本", 2);
    }
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return Fail(prefix + "不是 JSON 对象", 2);
    }
    if (j.contains("state")) {
      auto s = adapters::http::ParseAgentStateJson(j, prefix);
      if (!s.has_value()) {
        return Fail(s.error().message, 2);
      }
      states.push_back(std::move(*s));
      continue;
    }
    auto c = adapters::http::ParseCallJson(j, prefix);
    if (!c.has_value()) {
      return Fail(c.error().message, 2);
    }
    if (!ids.insert(c->call_id).second) {
      // A later line for the same call is a later report of it: it wins.
      std::erase_if(calls, [&](const auto& x) { return x.call_id == c->call_id; });
    }
    calls.push_back(std::move(*c));
  }
  auto session = OpenSession(store);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  ports::UpsertCounts cc;
  ports::UpsertCounts sc;
  if (!calls.empty()) {
    auto r = session->store->PutCalls(calls);
    if (!r.has_value()) {
      return Fail(r.error());
    }
    cc = *r;
  }
  if (!states.empty()) {
    auto r = session->store->PutAgentStates(states);
    if (!r.has_value()) {
      return Fail(r.error());
    }
    sc = *r;
  }
  fmt::print("通话记录: 新增 {}，更新 {}，未变 {}\n", cc.inserted, cc.updated, cc.unchanged);
  fmt::print("坐席状态: 新增 {}，未变 {}\n", sc.inserted, sc.unchanged);
  nlohmann::json out{
      {"calls", {{"inserted", cc.inserted}, {"updated", cc.updated}, {"unchanged", cc.unchanged}}},
      {"states", {{"inserted", sc.inserted}, {"unchanged", sc.unchanged}}}};
  fmt::print("{}\n", out.dump());
}

}  // namespace

void RegisterTelephonyCommands(CLI::App& app) {
  auto* cmd = app.add_subcommand("telephony", "话务数据（通话记录、坐席状态）");
  cmd->require_subcommand(1);
  auto store = std::make_shared<std::string>("var/hotline.db");
  auto file = std::make_shared<std::string>();
  auto* import = cmd->add_subcommand(
      "import", "导入话务系统导出的 JSON Lines 文件（每行一条通话记录或坐席状态，幂等）");
  import->add_option("--store", *store, "数据库文件路径")->capture_default_str();
  import->add_option("FILE", *file, "JSON Lines 文件")->required();
  import->callback([store, file] { RunImport(*store, *file);
});
}  // namespace hotline::cli

}  // namespace hotline::cli

// `hotline eval search|similar`: offline quality figures of the Chinese text engine on
// labelled TSV files. The last line of output is one JSON object with the figures.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <vector>

#include "adapters/sqlite/kb_store.h"
#include "adapters/text/evaluation.h"
#include "adapters/text/hot_topics.h"
#include "adapters/text/tokenizer.h"
#include "adapters/text/tsv.h"
#include "cli/commands.h"

namespace hotline::cli {

namespace {

namespace text = hotline::adapters::text;

struct EvalArgs {
  std::string docs;
  std::string queries;
  std::string messages;
  std::string clusters;
  std::string from;  // hot topics: YYYY-MM-DD, inclusive
  std::string to;    // exclusive
  size_t limit = 10;
  int half = -1;
  size_t threads = 2;
  std::vector<std::string> params;
  std::string engine = "index";  // search: "index" (InvertedIndex) or "store" (SQLite KB)
};

void Fail(const std::string& message) {
  std::fprintf(stderr, "hotline eval: %s\n", message.c_str());
  ExitCode() = 1;
}

// Splits "key=value" tuning parameters; returns false (after reporting) on a bad one.
template <typename Options, typename Apply>
bool ApplyParams(const std::vector<std::string>& params, Options* options, const Apply& apply) {
  for (const auto& param : params) {
    const size_t eq = param.find('=');
    double value = 0;
    try {
      if (eq == std::string::npos) {
        throw std::invalid_argument("no '='");
      }
      size_t used = 0;
      value = std::stod(param.substr(eq + 1), &used);
      if (used != param.size() - eq - 1) {
        throw std::invalid_argument("trailing characters");
      }
    } catch (const std::exception&) {
      Fail("bad --param '" + param + "': expected key=number (参数格式应为 key=数值)");
      return false;
    }
    const Status status = apply(param.substr(0, eq), value, options);
    if (!status.has_value()) {
      Fail(status.error().message);
      return false;
    }
  }
  return true;
}

Result<std::unique_ptr<text::Tokenizer>> MakeTokenizer() {
  auto tokenizer = text::Tokenizer::CreateDefault();
  if (!tokenizer.has_value()) {
    return tokenizer.error();
  }
  return std::move(tokenizer).value();
}

double Round4(double x) {
  return static_cast<double>(static_cast<int64_t>(x * 10000 + 0.5)) / 10000;
}

// `--engine store`: the documents are saved as knowledge-base articles into a temporary
// SQLite store and every query goes through SqliteKbStore::Search, the product's path
// (hotline kb search, the KB API, the console), ranked with the evaluation's options plus
// the store's keywords field (empty here).
Result<text::SearchEvalReport> EvaluateSearchInStore(const text::Tokenizer& tokenizer,
                                                     const text::TsvTable& docs,
                                                     const text::TsvTable& queries,
                                                     const text::SearchEvalOptions& options) {
  namespace sqlite = hotline::adapters::sqlite;
  const auto path = std::filesystem::temp_directory_path() /
                    ("hotline_eval_store_" + std::to_string(::getpid()) + ".db");
  const auto remove = [&path] {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path.string() + suffix, ignored);
    }
  };
  remove();
  auto store = sqlite::SqliteKbStore::Open(path.string(), /*create=*/true, tokenizer);
  if (!store.has_value()) {
    return store.error();
  }
  text::IndexOptions ranking = options.index;
  ranking.fields.resize(2);
  ranking.fields.push_back(sqlite::SqliteKbStore::DefaultRankingOptions().fields[2]);
  (*store)->SetRankingOptions(ranking);
  // An article needs a title; a document without one gets a dash, which has no terms.
  constexpr const char* kNoTitle = "—";
  if (!tokenizer.Terms(kNoTitle).empty()) {
    return Internal("placeholder title has terms");
  }
  text::SearchEvalEngine engine;
  engine.threads = 1;  // one connection
  engine.load = [&](std::vector<text::IndexDocument> documents) -> Status {
    std::vector<domain::kb::Article> articles;
    articles.reserve(documents.size());
    for (auto& doc : documents) {
      domain::kb::Article article;
      article.id = std::move(doc.id);
      article.title = doc.fields[0].empty() ? kNoTitle : std::move(doc.fields[0]);
      article.answer = std::move(doc.fields[1]);
      article.status = domain::kb::ArticleStatus::kPublished;
      articles.push_back(std::move(article));
    }
    auto saved = (*store)->Save(articles, "eval", 0);
    if (!saved.has_value()) {
      return saved.error();
    }
    return OkStatus();
  };
  Status failed = OkStatus();
  engine.search = [&](const std::vector<text::QueryPart>& parts, size_t limit) {
    std::vector<text::SearchHit> out;
    auto hits = (*store)->Search({"", {}, limit}, parts);
    if (!hits.has_value()) {
      failed = hits.error();
      return out;
    }
    for (auto& hit : *hits) {
      out.push_back({std::move(hit.article.id), hit.score, {}});
    }
    return out;
  };
  auto report = text::EvaluateSearchWith(docs, queries, options, engine);
  store->reset();
  remove();
  if (!failed.has_value()) {
    return failed.error();
  }
  return report;
}

void RunSearch(const EvalArgs& args) {
  const auto start = std::chrono::steady_clock::now();
  text::SearchEvalOptions options;
  options.half = args.half;
  options.threads = args.threads;
  if (!ApplyParams(args.params, &options, text::ApplySearchParam)) {
    return;
  }
  auto docs = text::ReadTsvFile(args.docs);
  if (!docs.has_value()) {
    return Fail("documents: " + docs.error().message);
  }
  auto queries = text::ReadTsvFile(args.queries);
  if (!queries.has_value()) {
    return Fail("queries: " + queries.error().message);
  }
  auto tokenizer = MakeTokenizer();
  if (!tokenizer.has_value()) {
    return Fail(tokenizer.error().message);
  }
  const auto report = args.engine == "store"
                          ? EvaluateSearchInStore(**tokenizer, *docs, *queries, options)
                          : text::EvaluateSearch(**tokenizer, *docs, *queries, options);
  if (!report.has_value()) {
    return Fail(report.error().message);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%zu documents, %zu queries (%zu with an unknown target id), %.1f s\n",
              docs->rows.size(), report->queries, report->missing_targets, seconds);
  const nlohmann::ordered_json json = {{"queries", report->queries},
                                       {"mrr@10", Round4(report->mrr_at_10)},
                                       {"recall@1", Round4(report->recall_at_1)},
                                       {"recall@10", Round4(report->recall_at_10)}};
  std::printf("%s\n", json.dump().c_str());
}

void RunSimilar(const EvalArgs& args) {
  const auto start = std::chrono::steady_clock::now();
  text::SimilarEvalOptions options;
  options.half = args.half;
  options.threads = args.threads;
  if (!ApplyParams(args.params, &options, text::ApplySimilarParam)) {
    return;
  }
  auto messages = text::ReadTsvFile(args.messages);
  if (!messages.has_value()) {
    return Fail("messages: " + messages.error().message);
  }
  auto clusters = text::ReadTsvFile(args.clusters);
  if (!clusters.has_value()) {
    return Fail("clusters: " + clusters.error().message);
  }
  auto tokenizer = MakeTokenizer();
  if (!tokenizer.has_value()) {
    return Fail(tokenizer.error().message);
  }
  const auto report = text::EvaluateSimilar(**tokenizer, *messages, *clusters, options);
  if (!report.has_value()) {
    return Fail(report.error().message);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%zu messages, %zu cluster members queried (%zu not among the messages), %.1f s\n",
              messages->rows.size(), report->queries, report->missing, seconds);
  const nlohmann::ordered_json json = {{"queries", report->queries},
                                       {"precision@5", Round4(report->precision_at_5)}};
  std::printf("%s\n", json.dump().c_str());
}

void RunHot(const EvalArgs& args) {
  auto messages = text::ReadTsvFile(args.messages);
  if (!messages.has_value()) {
    return Fail("messages: " + messages.error().message);
  }
  auto reports = text::ReportsFromMessages(*messages);
  if (!reports.has_value()) {
    return Fail(reports.error().message);
  }
  auto tokenizer = MakeTokenizer();
  if (!tokenizer.has_value()) {
    return Fail(tokenizer.error().message);
  }
  constexpr int64_t kDay = 86400;
  constexpr int64_t kDefaultDays = 7;
  int64_t latest = 0;
  for (const auto& report : *reports) {
    latest = std::max(latest, report.time);
  }
  text::HotTopicOptions options;
  options.limit = args.limit;
  options.to = args.to.empty() ? (latest / kDay + 1) * kDay : text::ParseMessageTime(args.to);
  options.from =
      args.from.empty() ? options.to - kDefaultDays * kDay : text::ParseMessageTime(args.from);
  if (options.from == 0 || options.to == 0 || options.from >= options.to) {
    return Fail("--from/--to 应为 YYYY-MM-DD，且 from 早于 to");
  }
  text::SimilarityFinder finder(**tokenizer);
  for (const auto& report : *reports) {
    if (report.time >= 2 * options.from - options.to && report.time < options.to) {
      const Status status = finder.Upsert(report);
      if (!status.has_value()) {
        return Fail(status.error().message);
      }
    }
  }
  const auto topics = text::FindHotTopics(finder, *reports, options);
  const auto day = [](int64_t t) {
    const int64_t days = t / 86400;
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    const int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    return fmt::format("{:04d}-{:02d}-{:02d}", yoe + era * 400 + (m <= 2 ? 1 : 0), m, d);
  };
  std::printf("热点问题 %s 至 %s（与前一等长时段比较），共 %zu 项\n", day(options.from).c_str(),
              day(options.to - 1).c_str(), topics.size());
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (size_t i = 0; i < topics.size(); ++i) {
    const auto& topic = topics[i];
    std::printf("%zu. %s\n", i + 1, topic.explanation.c_str());
    json.push_back({{"label", topic.label},
                    {"kind", topic.kind == text::HotTopic::Kind::kCluster ? "cluster" : "place"},
                    {"count", topic.count},
                    {"before", topic.before},
                    {"new", topic.is_new},
                    {"score", Round4(topic.score)}});
  }
  std::printf("%s\n", nlohmann::ordered_json{{"topics", json}}.dump().c_str());
}

void AddCommonOptions(CLI::App* command, EvalArgs* args) {
  command
      ->add_option("--half", args->half,
                   "Only even (0) or odd (1) rows of the labelled file (tuning halves)")
      ->check(CLI::Range(-1, 1));
  command->add_option("--threads", args->threads, "Worker threads")->check(CLI::Range(1, 64));
  command->add_option("--param", args->params,
                      "Tuning parameter key=value (k1, b_title, b_body, title_weight, ...)");
}

}  // namespace

void RegisterEvalCommands(CLI::App& app) {
  auto* eval = app.add_subcommand("eval", "Measure search and similar-request quality (评测)");
  eval->require_subcommand(1);
  auto args = std::make_shared<EvalArgs>();

  auto* search = eval->add_subcommand(
      "search", "Index DOCS.tsv, run QUERIES.tsv, print MRR@10 and recall@1/@10");
  search->add_option("--docs", args->docs, "TSV: id, text columns...")->required();
  search->add_option("--queries", args->queries, "TSV: expected doc id, query text columns...")
      ->required();
  search
      ->add_option("--engine", args->engine,
                   "index: the in-memory index (default); store: the SQLite knowledge-base "
                   "store's search, the product's path")
      ->check(CLI::IsMember({"index", "store"}));
  AddCommonOptions(search, args.get());
  search->callback([args] { RunSearch(*args); });

  auto* similar = eval->add_subcommand(
      "similar", "Index MESSAGES.tsv, print precision@5 of similar messages within CLUSTERS.tsv");
  similar
      ->add_option("--messages", args->messages,
                   "TSV with 留言编号, 留言主题, 留言详情, 留言时间_iso")
      ->required();
  similar->add_option("--clusters", args->clusters, "TSV with 问题ID, 留言编号")->required();
  AddCommonOptions(similar, args.get());
  similar->callback([args] { RunSimilar(*args); });

  auto* hot = eval->add_subcommand(
      "hot", "Rising issues of a period in MESSAGES.tsv, ranked with an explanation (热点)");
  hot->add_option("--messages", args->messages,
                  "TSV with 留言编号, 留言主题, 留言详情, 留言时间_iso")
      ->required();
  hot->add_option("--from", args->from, "First day YYYY-MM-DD (default: 7 days before --to)");
  hot->add_option("--to", args->to, "Day after the period YYYY-MM-DD (default: after the last)");
  hot->add_option("--limit", args->limit, "Number of topics")->check(CLI::Range(1, 100));
  hot->callback([args] { RunHot(*args); });
}

}  // namespace hotline::cli

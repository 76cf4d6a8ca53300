// `hotline kb import|search|export|show|due`: the knowledge base in the SQLite store.
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "adapters/sqlite/shared_kb.h"
#include "adapters/text/kb_io.h"
#include "adapters/text/tokenizer.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "common/time.h"
#include "ports/clock.h"

namespace hotline::cli {

namespace {

namespace text = hotline::adapters::text;
using adapters::sqlite::SharedKb;
using domain::kb::Article;

struct KbArgs {
  std::string store;
  std::string file;
  std::string format;
  std::string query;
  std::string id;
  std::string output;
  std::string today;
  std::string department;
  std::string category;
  std::string region;
  size_t limit = 10;
  bool json = false;
  bool history = false;
  bool published_only = false;
  std::vector<std::string> words;  // kb lexicon add-word / add-synonyms
  std::string kind;
  int64_t entry = 0;
};

// The opened store with its tokenizer (the same one `hotline serve` uses).
struct KbSession {
  std::shared_ptr<SharedKb> store;
};

Result<KbSession> OpenKb(const std::string& path, bool create) {
  KbSession session;
  HOTLINE_ASSIGN_OR_RETURN(session.store, SharedKb::Open(path, create));
  return session;
}

nlohmann::ordered_json ToJson(const Article& a) {
  nlohmann::ordered_json o = {{"id", a.id},
                              {"kind", domain::kb::KindName(a.kind)},
                              {"title", a.title},
                              {"answer", a.answer},
                              {"category", a.category},
                              {"department", a.department},
                              {"region", a.region},
                              {"keywords", a.keywords},
                              {"source", a.source},
                              {"valid_from", a.valid_from},
                              {"valid_to", a.valid_to},
                              {"review_date", a.review_date},
                              {"status", domain::kb::StatusName(a.status)},
                              {"version", a.version},
                              {"updated_by", a.updated_by}};
  if (a.kind == domain::kb::ArticleKind::kServiceItem) {
    o["service"] = {{"conditions", a.service.conditions},
                    {"materials", a.service.materials},
                    {"place", a.service.place},
                    {"time_limit", a.service.time_limit},
                    {"fee", a.service.fee}};
  }
  return o;
}

void RunImport(const KbArgs& args) {
  auto format =
      args.format.empty() ? text::KbFormatOfPath(args.file) : text::ParseKbFormat(args.format);
  if (!format.has_value()) {
    return Fail(format.error());
  }
  auto content = ReadFile(args.file);
  if (!content.has_value()) {
    return Fail(content.error());
  }
  auto articles = text::ParseArticles(*content, *format);
  if (!articles.has_value()) {
    return Fail(articles.error());
  }
  auto kb = OpenKb(args.store, /*create=*/true);
  if (!kb.has_value()) {
    return Fail(kb.error());
  }
  const ports::SystemClock clock;
  auto summary = kb->store->Save(*articles, "import:" + args.file, ToUnix(clock.Now()));
  if (!summary.has_value()) {
    return Fail(summary.error());
  }
  std::printf("导入 %zu 条：新建 %zu，更新 %zu，未变 %zu\n", articles->size(), summary->created,
              summary->updated, summary->unchanged);
}

void RunSearch(const KbArgs& args) {
  auto kb = OpenKb(args.store, /*create=*/false);
  if (!kb.has_value()) {
    return Fail(kb.error());
  }
  ports::KbSearchQuery query;
  query.text = args.query;
  query.limit = args.limit;
  query.filter = {args.category, args.department, args.region, args.published_only, ""};
  auto hits = kb->store->Search(query);
  if (!hits.has_value()) {
    return Fail(hits.error());
  }
  if (args.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& hit : *hits) {
      auto o = ToJson(hit.article);
      o["score"] = hit.score;
      o["snippet"] = hit.snippet;
      out.push_back(std::move(o));
    }
    std::printf("%s\n", out.dump().c_str());
    return;
  }
  if (hits->empty()) {
    std::printf("没有找到相关条目\n");
    return;
  }
  for (size_t i = 0; i < hits->size(); ++i) {
    const auto& hit = (*hits)[i];
    std::printf("%zu. [%s] %s  （%s，%.2f）\n   %s\n", i + 1, hit.article.id.c_str(),
                hit.article.title.c_str(),
                hit.article.department.empty() ? "未填部门" : hit.article.department.c_str(),
                hit.score, hit.snippet.c_str());
  }
}

void RunExport(const KbArgs& args) {
  auto format = !args.format.empty()   ? text::ParseKbFormat(args.format)
                : !args.output.empty() ? text::KbFormatOfPath(args.output)
                                       : Result<text::KbFormat>(text::KbFormat::kJsonl);
  if (!format.has_value()) {
    return Fail(format.error());
  }
  auto kb = OpenKb(args.store, /*create=*/false);
  if (!kb.has_value()) {
    return Fail(kb.error());
  }
  auto articles =
      kb->store->List({args.category, args.department, args.region, args.published_only, ""});
  if (!articles.has_value()) {
    return Fail(articles.error());
  }
  if (*format == text::KbFormat::kXlsx) {
    if (args.output.empty()) {
      return Fail("导出 xlsx 需要 --output 文件名");
    }
    const Status written = text::WriteArticlesXlsx(*articles, args.output);
    if (!written.has_value()) {
      return Fail(written.error());
    }
    std::fprintf(stderr, "已导出 %zu 条到 %s\n", articles->size(), args.output.c_str());
    return;
  }
  auto body = text::FormatArticles(*articles, *format);
  if (!body.has_value()) {
    return Fail(body.error());
  }
  if (args.output.empty()) {
    std::fwrite(body->data(), 1, body->size(), stdout);
    return;
  }
  std::ofstream out(args.output, std::ios::binary);
  out << *body;
  if (!out) {
    return Fail("无法写入 " + args.output);
  }
  std::fprintf(stderr, "已导出 %zu 条到 %s\n", articles->size(), args.output.c_str());
}

void PrintArticle(const Article& a) {
  std::printf("编号: %s（第 %lld 版，%s，%s）\n标题: %s\n", a.id.c_str(),
              static_cast<long long>(a.version), domain::kb::StatusName(a.status).data(),
              a.kind == domain::kb::ArticleKind::kServiceItem ? "办事事项" : "问答",
              a.title.c_str());
  const std::pair<const char*, const std::string*> fields[] = {{"答复", &a.answer},
                                                               {"分类", &a.category},
                                                               {"责任部门", &a.department},
                                                               {"区域", &a.region},
                                                               {"来源", &a.source},
                                                               {"生效日期", &a.valid_from},
                                                               {"失效日期", &a.valid_to},
                                                               {"复审日期", &a.review_date},
                                                               {"受理条件", &a.service.conditions},
                                                               {"申请材料", &a.service.materials},
                                                               {"办理地点", &a.service.place},
                                                               {"承诺时限", &a.service.time_limit},
                                                               {"收费标准", &a.service.fee}};
  for (const auto& [label, value] : fields) {
    if (!value->empty()) {
      std::printf("%s: %s\n", label, value->c_str());
    }
  }
  if (!a.keywords.empty()) {
    std::string joined;
    for (const auto& k : a.keywords) {
      joined += (joined.empty() ? "" : "、") + k;
    }
    std::printf("关键词: %s\n", joined.c_str());
  }
}

void RunShow(const KbArgs& args) {
  auto kb = OpenKb(args.store, /*create=*/false);
  if (!kb.has_value()) {
    return Fail(kb.error());
  }
  if (args.history) {
    auto versions = kb->store->History(args.id);
    if (!versions.has_value()) {
      return Fail(versions.error());
    }
    for (const auto& v : *versions) {
      std::printf("第 %lld 版  %s  %s  %s\n", static_cast<long long>(v.version),
                  FormatLocal(FromUnix(v.updated_at)).c_str(), v.updated_by.c_str(),
                  v.title.c_str());
    }
    return;
  }
  auto article = kb->store->Find(args.id);
  if (!article.has_value()) {
    return Fail(article.error());
  }
  if (args.json) {
    std::printf("%s\n", ToJson(*article).dump().c_str());
    return;
  }
  PrintArticle(*article);
}

void RunDue(const KbArgs& args) {
  const ports::SystemClock clock;
  const std::string today = args.today.empty() ? FormatLocalDate(clock.Now()) : args.today;
  if (!domain::kb::IsIsoDate(today)) {
    return Fail("--today 应为 YYYY-MM-DD: " + today);
  }
  auto kb = OpenKb(args.store, /*create=*/false);
  if (!kb.has_value()) {
    return Fail(kb.error());
  }
  auto due = kb->store->DueForReview(today, args.department);
  if (!due.has_value()) {
    return Fail(due.error());
  }
  if (args.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& a : *due) {
      out.push_back(ToJson(a));
    }
    std::printf("%s\n", out.dump().c_str());
    return;
  }
  std::printf("截至 %s 已过复审日期的条目：%zu 条\n", today.c_str(), due->size());
  std::string department = "\x01";
  for (const auto& a : *due) {
    if (a.department != department) {
      department = a.department;
      std::printf("\n【%s】\n", department.empty() ? "未填部门" : department.c_str());
    }
    std::printf("  %s  复审日期 %s  %s\n", a.id.c_str(), a.review_date.c_str(), a.title.c_str());
  }
}

std::string EntryText(const text::LexiconEntry& e) {
  std::string words;
  for (const auto& w : e.words) {
    words += (words.empty() ? "" : " / ") + w;
  }
  return words;
}

const char* KindLabel(const std::string& kind) {
  return kind == "synonyms"  ? "同义词"
         : kind == "address" ? "地名"
         : kind == "unit"    ? "单位"
                             : "词语";
}

nlohmann::ordered_json EntryJson(const text::LexiconEntry& e) {
  nlohmann::ordered_json o = {{"id", e.id}, {"kind", e.kind}, {"words", e.words}};
  if (e.id != 0) {
    o["created_by"] = e.created_by;
    o["conflict"] = e.conflict;
  }
  return o;
}

void RunLexiconList(const KbArgs& args) {
  auto kb = OpenKb(args.store, /*create=*/false);
  if (!kb.has_value()) {
    return Fail(kb.error());
  }
  auto view = kb->store->Lexicon();
  if (!view.has_value()) {
    return Fail(view.error());
  }
  if (args.json) {
    nlohmann::ordered_json out = {{"revision", view->revision},
                                  {"entries", nlohmann::ordered_json::array()},
                                  {"builtin", nlohmann::ordered_json::array()}};
    for (const auto& e : view->stored) {
      out["entries"].push_back(EntryJson(e));
    }
    for (const auto& e : view->builtin) {
      out["builtin"].push_back(EntryJson(e));
    }
    std::printf("%s\n", out.dump().c_str());
    return;
  }
  std::printf("管理员添加的词条：%zu 条\n", view->stored.size());
  for (const auto& e : view->stored) {
    std::printf("  %lld  %s  %s  （%s）%s%s\n", static_cast<long long>(e.id), KindLabel(e.kind),
                EntryText(e).c_str(), e.created_by.c_str(),
                e.conflict.empty() ? "" : "  未生效: ", e.conflict.c_str());
  }
  std::printf("内置词条：%zu 条（不可删除）\n", view->builtin.size());
  for (const auto& e : view->builtin) {
    std::printf("  %s  %s\n", KindLabel(e.kind), EntryText(e).c_str());
  }
}

// The lines to add: the --file's content, or the words given (one per line for words, one
// group for synonyms).
Result<std::string> LexiconLines(const KbArgs& args, bool synonyms) {
  if (!args.file.empty()) {
    if (!args.words.empty()) {
      return InvalidArgument("请只给出词语或 --file 其中之一");
    }
    return ReadFile(args.file);
  }
  if (args.words.empty()) {
    return InvalidArgument(synonyms ? "请给出一组同义词（至少两个）或 --file"
                                    : "请给出词语或 --file");
  }
  std::string lines;
  for (const auto& w : args.words) {
    if (synonyms) {
      lines += (lines.empty() ? "" : " ") + w;
    } else {
      lines += w + (args.kind.empty() ? "" : " " + args.kind) + "\n";
    }
  }
  return lines;
}

void RunLexiconAdd(const KbArgs& args, bool synonyms) {
  auto lines = LexiconLines(args, synonyms);
  if (!lines.has_value()) {
    return Fail(lines.error());
  }
  auto kb = OpenKb(args.store, /*create=*/false);
  if (!kb.has_value()) {
    return Fail(kb.error());
  }
  const ports::SystemClock clock;
  const std::string actor =
      "cli:" + std::string(std::getenv("USER") != nullptr ? std::getenv("USER") : "");
  auto added = synonyms ? kb->store->AddSynonyms(*lines, actor, ToUnix(clock.Now()))
                        : kb->store->AddWords(*lines, actor, ToUnix(clock.Now()));
  if (!added.has_value()) {
    return Fail(added.error());
  }
  for (const auto& e : *added) {
    std::printf("已添加 %lld  %s  %s\n", static_cast<long long>(e.id), KindLabel(e.kind),
                EntryText(e).c_str());
  }
  std::printf("已重建知识库索引\n");
}

void RunLexiconRemove(const KbArgs& args) {
  auto kb = OpenKb(args.store, /*create=*/false);
  if (!kb.has_value()) {
    return Fail(kb.error());
  }
  const ports::SystemClock clock;
  const std::string actor =
      "cli:" + std::string(std::getenv("USER") != nullptr ? std::getenv("USER") : "");
  auto removed = kb->store->RemoveLexiconEntry(args.entry, actor, ToUnix(clock.Now()));
  if (!removed.has_value()) {
    return Fail(removed.error());
  }
  std::printf("已删除 %lld  %s  %s\n已重建知识库索引\n", static_cast<long long>(removed->id),
              KindLabel(removed->kind), EntryText(*removed).c_str());
}

void AddStore(CLI::App* command, KbArgs* args) {
  command->add_option("--store", args->store, "SQLite database file")->required();
}

void AddFilters(CLI::App* command, KbArgs* args) {
  command->add_option("--category", args->category, "Only this category (分类)");
  command->add_option("--department", args->department, "Only this department (责任部门)");
  command->add_option("--region", args->region, "Only this region (区域)");
  command->add_flag("--published", args->published_only, "Only published articles");
}

}  // namespace

void RegisterKbCommands(CLI::App& app) {
  auto* kb = app.add_subcommand("kb", "Knowledge base: import, search, export, review (知识库)");
  kb->require_subcommand(1);
  auto args = std::make_shared<KbArgs>();

  auto* importer = kb->add_subcommand("import", "Import articles (all or nothing) 导入");
  AddStore(importer, args.get());
  importer->add_option("file", args->file, "JSON Lines, CSV, TSV or xlsx file")->required();
  importer->add_option("--format", args->format,
                       "jsonl|csv|tsv|xlsx (default: from the extension)");
  importer->callback([args] { RunImport(*args); });

  auto* search = kb->add_subcommand("search", "Search articles 检索");
  AddStore(search, args.get());
  search->add_option("query", args->query, "Chinese text")->required();
  search->add_option("--limit", args->limit, "Number of hits")->check(CLI::Range(1, 1000));
  search->add_flag("--json", args->json, "JSON output");
  AddFilters(search, args.get());
  search->callback([args] { RunSearch(*args); });

  auto* exporter = kb->add_subcommand("export", "Export articles 导出");
  AddStore(exporter, args.get());
  exporter->add_option("--format", args->format, "jsonl|csv|tsv|xlsx (default jsonl)");
  exporter->add_option("--output,-o", args->output, "File (default: standard output)");
  AddFilters(exporter, args.get());
  exporter->callback([args] { RunExport(*args); });

  auto* show = kb->add_subcommand("show", "Show an article or its versions 查看");
  AddStore(show, args.get());
  show->add_option("id", args->id, "Article id")->required();
  show->add_flag("--history", args->history, "List every version");
  show->add_flag("--json", args->json, "JSON output");
  show->callback([args] { RunShow(*args); });

  auto* due = kb->add_subcommand("due", "Articles past their review date, by owner 待复审");
  AddStore(due, args.get());
  due->add_option("--today", args->today, "YYYY-MM-DD (default: today)");
  due->add_option("--department", args->department, "Only this department");
  due->add_flag("--json", args->json, "JSON output");
  due->callback([args] { RunDue(*args); });

  auto* lexicon = kb->add_subcommand(
      "lexicon", "User dictionary and synonyms of the search (词库); changes re-index the KB");
  lexicon->require_subcommand(1);
  auto* list = lexicon->add_subcommand("list", "List the lexicon 查看词库");
  AddStore(list, args.get());
  list->add_flag("--json", args->json, "JSON output");
  list->callback([args] { RunLexiconList(*args); });
  auto* add_word = lexicon->add_subcommand("add-word", "Add dictionary words 添加词语");
  AddStore(add_word, args.get());
  add_word->add_option("words", args->words, "Words (one entry each)");
  add_word->add_option("--kind", args->kind, "word|address|unit (default word)");
  add_word->add_option("--file", args->file, "Lines 'word [kind]' (all or nothing)");
  add_word->callback([args] { RunLexiconAdd(*args, false); });
  auto* add_synonyms = lexicon->add_subcommand("add-synonyms", "Add a synonym group 添加同义词组");
  AddStore(add_synonyms, args.get());
  add_synonyms->add_option("words", args->words, "One group, canonical form first");
  add_synonyms->add_option("--file", args->file, "One group a line (all or nothing)");
  add_synonyms->callback([args] { RunLexiconAdd(*args, true); });
  auto* remove = lexicon->add_subcommand("remove", "Remove an entry by id 删除词条");
  AddStore(remove, args.get());
  remove->add_option("id", args->entry, "Entry id (from list)")->required();
  remove->callback([args] { RunLexiconRemove(*args); });
}

}  // namespace hotline::cli

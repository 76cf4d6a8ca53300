#include "adapters/sqlite/kb_store.h"

#include <fmt/format.h>

#include <array>
#include <filesystem>
#include <limits>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "adapters/sqlite/schema.h"

namespace hotline::adapters::sqlite {

namespace {

using domain::kb::Article;

// The SQL of this store stays here rather than in queries.h, which belongs to the ticket
// store: the knowledge base is a separate table set (schema/002_kb.sql).
#define HOTLINE_KB_COLUMNS                                                                  \
  "id, kind, title, answer, category, department, region, keywords, source, valid_from, "   \
  "valid_to, review_date, status, conditions, materials, place, time_limit, fee, version, " \
  "updated_at, updated_by"

constexpr const char* kSelectById =
    "SELECT doc, " HOTLINE_KB_COLUMNS " FROM kb_articles WHERE id = ?1";
constexpr const char* kInsert = "INSERT INTO kb_articles (" HOTLINE_KB_COLUMNS
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";
constexpr const char* kUpdate =
    "UPDATE kb_articles SET kind = ?2, title = ?3, answer = ?4, category = ?5, "
    "department = ?6, region = ?7, keywords = ?8, source = ?9, valid_from = ?10, "
    "valid_to = ?11, review_date = ?12, status = ?13, conditions = ?14, materials = ?15, "
    "place = ?16, time_limit = ?17, fee = ?18, version = ?19, updated_at = ?20, "
    "updated_by = ?21 WHERE id = ?1";
constexpr const char* kInsertVersion =
    "INSERT INTO kb_article_versions (" HOTLINE_KB_COLUMNS ") SELECT " HOTLINE_KB_COLUMNS
    " FROM kb_articles WHERE id = ?1";
constexpr const char* kDeleteFts = "DELETE FROM kb_fts WHERE rowid = ?1";
constexpr const char* kInsertFts =
    "INSERT INTO kb_fts (rowid, title, body, keywords) VALUES (?1, ?2, ?3, ?4)";
constexpr const char* kHistory =
    "SELECT 0, " HOTLINE_KB_COLUMNS " FROM kb_article_versions WHERE id = ?1 ORDER BY version";
constexpr const char* kList =
    "SELECT doc, " HOTLINE_KB_COLUMNS
    " FROM kb_articles WHERE (?1 = '' OR category = ?1) AND (?2 = '' OR department = ?2) "
    "AND (?3 = '' OR region = ?3) AND (?4 = 0 OR status = 'published') "
    "AND (?5 = '' OR status = ?5) ORDER BY id";
constexpr const char* kDue =
    "SELECT doc, " HOTLINE_KB_COLUMNS
    " FROM kb_articles WHERE review_date <> '' AND review_date < ?1 AND status <> 'retired' "
    "AND (?2 = '' OR department = ?2) ORDER BY department, review_date, id";
// Index statistics (migration 016) and the ranked matches: hotline_bm25f is the FTS5
// auxiliary function registered by RegisterRankFunction; ?2 points to its RankContext.
// CROSS JOIN keeps the FTS5 match the outer loop.
constexpr const char* kTotals =
    "SELECT documents, title_tokens, body_tokens, keywords_tokens FROM kb_fts_totals "
    "WHERE id = 1";
constexpr const char* kTermStats = "SELECT df, cf FROM kb_fts_terms WHERE term = ?1";
constexpr const char* kRank =
    "SELECT kb_fts.rowid, hotline_bm25f(kb_fts, ?2) FROM kb_fts CROSS JOIN kb_articles "
    "ON kb_articles.doc = kb_fts.rowid WHERE kb_fts MATCH ?1 AND "
    "(?3 = '' OR kb_articles.category = ?3) AND (?4 = '' OR kb_articles.department = ?4) AND "
    "(?5 = '' OR kb_articles.region = ?5) AND (?6 = 0 OR kb_articles.status = 'published') "
    "ORDER BY 2 DESC, 1 LIMIT ?7";
constexpr const char* kFtsRow = "SELECT title, body, keywords FROM kb_fts WHERE rowid = ?1";
constexpr const char* kUpsertTerm =
    "INSERT INTO kb_fts_terms (term, df, cf) VALUES (?1, ?2, ?3) ON CONFLICT (term) "
    "DO UPDATE SET df = df + excluded.df, cf = cf + excluded.cf";
constexpr const char* kDropTerm = "DELETE FROM kb_fts_terms WHERE term = ?1 AND df <= 0";
constexpr const char* kAddTotals =
    "UPDATE kb_fts_totals SET documents = documents + ?1, title_tokens = title_tokens + ?2, "
    "body_tokens = body_tokens + ?3, keywords_tokens = keywords_tokens + ?4 WHERE id = 1";
constexpr const char* kClearTotals =
    "UPDATE kb_fts_totals SET documents = 0, title_tokens = 0, body_tokens = 0, "
    "keywords_tokens = 0 WHERE id = 1";
constexpr const char* kSelectAll =
    "SELECT doc, " HOTLINE_KB_COLUMNS " FROM kb_articles ORDER BY doc";
constexpr const char* kSelectByDoc =
    "SELECT doc, " HOTLINE_KB_COLUMNS " FROM kb_articles WHERE doc = ?1";
// The change log (migration 017) and the lexicon revision, for SharedKb's in-memory index.
constexpr const char* kPosition =
    "SELECT (SELECT seq FROM sqlite_sequence WHERE name = 'kb_changes'), "
    "(SELECT revision FROM kb_lexicon_revision WHERE id = 1)";
constexpr const char* kFirstChange = "SELECT MIN(seq) FROM kb_changes WHERE seq > ?1";
constexpr const char* kChangedDocs =
    "SELECT DISTINCT doc FROM kb_changes WHERE seq > ?1 ORDER BY doc";
#undef HOTLINE_KB_COLUMNS

// At most this many distinct query terms are highlighted in a snippet.
constexpr size_t kMaxQueryTerms = 64;
// The first round of candidates leaves out the most common query terms whose summed score
// bounds stay under this share of the query's (see Search).
constexpr double kPrunedBoundShare = 0.5;
constexpr const char* kRankPointerType = "hotline_kb_rank";
constexpr size_t kMaxColumns = 8;
constexpr size_t kSnippetChars = 80;

std::string JoinKeywords(const std::vector<std::string>& keywords) {
  std::string out;
  for (const auto& keyword : keywords) {
    out += out.empty() ? "" : "\n";
    out += keyword;
  }
  return out;
}

std::vector<std::string> SplitKeywords(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Binds ?1..?21 in HOTLINE_KB_COLUMNS order.
void BindArticle(Stmt& stmt, const Article& a, int64_t version, int64_t now,
                 std::string_view actor) {
  stmt.Bind(1, a.id)
      .Bind(2, domain::kb::KindName(a.kind))
      .Bind(3, a.title)
      .Bind(4, a.answer)
      .Bind(5, a.category)
      .Bind(6, a.department)
      .Bind(7, a.region)
      .Bind(8, JoinKeywords(a.keywords))
      .Bind(9, a.source)
      .Bind(10, a.valid_from)
      .Bind(11, a.valid_to)
      .Bind(12, a.review_date)
      .Bind(13, domain::kb::StatusName(a.status))
      .Bind(14, a.service.conditions)
      .Bind(15, a.service.materials)
      .Bind(16, a.service.place)
      .Bind(17, a.service.time_limit)
      .Bind(18, a.service.fee)
      .Bind(19, version)
      .Bind(20, now)
      .Bind(21, actor);
}

// Reads HOTLINE_KB_COLUMNS starting at column `first`.
Article ReadArticle(const Stmt& stmt, int first) {
  Article a;
  int c = first;
  a.id = stmt.Text(c++);
  a.kind = domain::kb::ParseKind(stmt.Text(c++)).value_or(domain::kb::ArticleKind::kAnswer);
  a.title = stmt.Text(c++);
  a.answer = stmt.Text(c++);
  a.category = stmt.Text(c++);
  a.department = stmt.Text(c++);
  a.region = stmt.Text(c++);
  a.keywords = SplitKeywords(stmt.Text(c++));
  a.source = stmt.Text(c++);
  a.valid_from = stmt.Text(c++);
  a.valid_to = stmt.Text(c++);
  a.review_date = stmt.Text(c++);
  a.status = domain::kb::ParseStatus(stmt.Text(c++)).value_or(domain::kb::ArticleStatus::kDraft);
  a.service.conditions = stmt.Text(c++);
  a.service.materials = stmt.Text(c++);
  a.service.place = stmt.Text(c++);
  a.service.time_limit = stmt.Text(c++);
  a.service.fee = stmt.Text(c++);
  a.version = stmt.Int(c++);
  a.updated_at = stmt.Int(c++);
  a.updated_by = stmt.Text(c++);
  return a;
}

Result<std::vector<Article>> ReadAll(Stmt& stmt) {
  std::vector<Article> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) {
      break;
    }
    out.push_back(ReadArticle(stmt, 1));
  }
  stmt.Reset();
  return out;
}

// An FTS5 string literal.
std::string Quote(const std::string& term) {
  std::string out = "\"";
  for (const char c : term) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

// What hotline_bm25f reads for one search: the analysed query, whose terms are the
// expression's phrases from `first_phrase` on, and the averages the lengths are normalised
// against.
struct RankContext {
  const text::AnalyzedQuery* query = nullptr;
  const text::IndexOptions* options = nullptr;
  std::vector<double> averages;  // by column
  int first_phrase = 0;
  std::vector<double> tfn;  // scratch, by query term
};

// hotline_bm25f(kb_fts, context): the canonical BM25F score (text::Bm25fScore) of the
// current row, each query term's frequency per column counted from its phrase positions.
void RankFunction(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int argc,
                  sqlite3_value** argv) {
  auto* context = argc == 1
                      ? static_cast<RankContext*>(sqlite3_value_pointer(argv[0], kRankPointerType))
                      : nullptr;
  if (context == nullptr) {
    sqlite3_result_error(result, "hotline_bm25f: missing search context", -1);
    return;
  }
  const auto& fields = context->options->fields;
  const int columns = api->xColumnCount(fts);
  const size_t terms = context->query->terms.size();
  if (columns < 0 || static_cast<size_t>(columns) != fields.size() || fields.size() > kMaxColumns ||
      api->xPhraseCount(fts) < context->first_phrase + static_cast<int>(terms)) {
    sqlite3_result_error(result, "hotline_bm25f: index and query do not agree", -1);
    return;
  }
  std::array<float, kMaxColumns> norms{};
  for (int c = 0; c < columns; ++c) {
    int length = 0;
    if (api->xColumnSize(fts, c, &length) != SQLITE_OK) {
      sqlite3_result_error(result, "hotline_bm25f: no column size", -1);
      return;
    }
    norms[c] = text::FieldNorm(fields[c], length, context->averages[c]);
  }
  context->tfn.assign(terms, 0.0);
  std::array<uint32_t, kMaxColumns> tf{};
  for (size_t i = 0; i < terms; ++i) {
    tf.fill(0);
    Fts5PhraseIter iter;
    int column = -1;
    int offset = 0;
    if (api->xPhraseFirst(fts, context->first_phrase + static_cast<int>(i), &iter, &column,
                          &offset) != SQLITE_OK) {
      sqlite3_result_error(result, "hotline_bm25f: no phrase positions", -1);
      return;
    }
    for (; column >= 0; api->xPhraseNext(fts, &iter, &column, &offset)) {
      if (column < columns) {
        ++tf[column];
      }
    }
    context->tfn[i] = text::WeightedTf(tf.data(), norms.data(), fields.size());
  }
  sqlite3_result_double(result,
                        text::Bm25fScore(*context->query, context->tfn, context->options->k1));
}

Status RegisterRankFunction(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) {
    return Internal("SQLite 不支持 FTS5");
  }
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (api == nullptr || api->iVersion < 2 ||
      api->xCreateFunction(api, "hotline_bm25f", nullptr, &RankFunction, nullptr) != SQLITE_OK) {
    return Internal("无法注册全文检索排序函数 hotline_bm25f");
  }
  return OkStatus();
}

// The terms of an index column (space-separated).
template <typename F>
void ForEachTerm(std::string_view column, const F& f) {
  size_t start = 0;
  while (start < column.size()) {
    const size_t end = std::min(column.find(' ', start), column.size());
    if (end > start) {
      f(column.substr(start, end - start));
    }
    start = end + 1;
  }
}

std::vector<std::string> SplitSpaces(std::string_view text) {
  std::vector<std::string> out;
  ForEachTerm(text, [&](std::string_view term) { out.emplace_back(term); });
  return out;
}

}  // namespace

SqliteKbStore::SqliteKbStore(std::unique_ptr<Db> db, const text::Tokenizer* tokenizer)
    : db_(std::move(db)), tokenizer_(nullptr) {
  if (tokenizer != nullptr) {
    UseTokenizer(*tokenizer);
  }
}

SqliteKbStore::~SqliteKbStore() = default;

Result<std::unique_ptr<SqliteKbStore>> SqliteKbStore::Open(const std::string& path, bool create,
                                                           const text::Tokenizer& tokenizer) {
  HOTLINE_ASSIGN_OR_RETURN(auto store, OpenWithoutTokenizer(path, create));
  store->UseTokenizer(tokenizer);
  return store;
}

Result<std::unique_ptr<SqliteKbStore>> SqliteKbStore::OpenWithoutTokenizer(const std::string& path,
                                                                           bool create) {
  if (!create && path != ":memory:" && !std::filesystem::exists(path)) {
    return NotFound(fmt::format("数据库不存在: {}（先运行 hotline store init）", path));
  }
  HOTLINE_ASSIGN_OR_RETURN(auto db, Db::Open(path, create, /*read_only=*/false));
  HOTLINE_RETURN_IF_ERROR(RegisterRankFunction(db->raw()));
  // Searches visit many index pages per query: read them through a memory map and keep more
  // of them cached than SQLite's 2 MB default, instead of a read() system call per page.
  HOTLINE_RETURN_IF_ERROR(db->Exec("PRAGMA mmap_size = 1073741824"));
  HOTLINE_RETURN_IF_ERROR(db->Exec("PRAGMA cache_size = -65536"));
  std::unique_ptr<SqliteKbStore> store(new SqliteKbStore(std::move(db), nullptr));
  HOTLINE_RETURN_IF_ERROR(store->Migrate());
  return store;
}

void SqliteKbStore::UseTokenizer(const text::Tokenizer& tokenizer) {
  tokenizer_ = &tokenizer;
  snippets_ = std::make_unique<text::InvertedIndex>(tokenizer);
}

// The same migration bookkeeping as SqliteStore::Migrate (table schema_migrations), so a
// database opened first by either store ends up with the same schema. The version is read
// inside the write transaction, so two processes cannot apply a migration twice.
Status SqliteKbStore::Migrate() {
  Db& db = *db_;
  HOTLINE_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
              "name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
  for (const Migration& m : kMigrations) {
    HOTLINE_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
    auto applied = [&]() -> Result<bool> {
      HOTLINE_ASSIGN_OR_RETURN(
          Stmt * s, db.Prepare("SELECT COUNT(*) FROM schema_migrations WHERE version = ?1"));
      s->Bind(1, static_cast<int64_t>(m.version));
      HOTLINE_ASSIGN_OR_RETURN(const bool row, s->Step());
      const bool done = row && s->Int(0) > 0;
      s->Reset();
      return done;
    }();
    Status status = applied.has_value() ? OkStatus() : Status(applied.error());
    if (status.has_value() && !*applied) {
      status = db.Exec(m.sql);
      if (status.has_value()) {
        auto insert = db.Prepare(
            "INSERT INTO schema_migrations (version, name, applied_at) "
            "VALUES (?1, ?2, strftime('%s', 'now'))");
        status = insert.has_value()
                     ? (*insert)->Bind(1, static_cast<int64_t>(m.version)).Bind(2, m.name).Run()
                     : Status(insert.error());
      }
    }
    if (!status.has_value()) {
      (void)db.Exec("ROLLBACK");
      return Internal(
          fmt::format("迁移 {:03d}_{} 失败: {}", m.version, m.name, status.error().message));
    }
    HOTLINE_RETURN_IF_ERROR(db.Exec("COMMIT"));
  }
  return OkStatus();
}

namespace {

std::string Joined(const text::Tokenizer& tokenizer, std::string_view text) {
  std::string out;
  for (const auto& term : tokenizer.Terms(text)) {
    out += out.empty() ? "" : " ";
    out += term;
  }
  return out;
}

}  // namespace

std::string SqliteKbStore::JoinedTerms(std::string_view text) const {
  return Joined(*tokenizer_, text);
}

Status SqliteKbStore::SaveOne(const Article& article, std::string_view actor, int64_t now,
                              ports::KbSaveSummary* summary) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * select, db_->Prepare(kSelectById));
  select->Bind(1, article.id);
  HOTLINE_ASSIGN_OR_RETURN(const bool exists, select->Step());
  int64_t version = 1;
  if (exists) {
    const Article current = ReadArticle(*select, 1);
    select->Reset();
    if (current.SameContent(article)) {
      ++summary->unchanged;
      return OkStatus();
    }
    version = current.version + 1;
    HOTLINE_ASSIGN_OR_RETURN(Stmt * update, db_->Prepare(kUpdate));
    BindArticle(*update, article, version, now, actor);
    HOTLINE_RETURN_IF_ERROR(update->Run());
    ++summary->updated;
  } else {
    select->Reset();
    HOTLINE_ASSIGN_OR_RETURN(Stmt * insert, db_->Prepare(kInsert));
    BindArticle(*insert, article, version, now, actor);
    HOTLINE_RETURN_IF_ERROR(insert->Run());
    ++summary->created;
  }
  HOTLINE_ASSIGN_OR_RETURN(Stmt * history, db_->Prepare(kInsertVersion));
  HOTLINE_RETURN_IF_ERROR(history->Bind(1, article.id).Run());
  select->Bind(1, article.id);
  HOTLINE_ASSIGN_OR_RETURN(const bool found, select->Step());
  const int64_t doc = found ? select->Int(0) : 0;
  select->Reset();
  HOTLINE_RETURN_IF_ERROR(UnindexRow(doc));
  return IndexArticle(doc, article);
}

SqliteKbStore::IndexRow SqliteKbStore::RowOf(int64_t doc, const Article& article,
                                             const text::Tokenizer& tokenizer) {
  return {doc, article.version, Joined(tokenizer, article.title),
          Joined(tokenizer, domain::kb::SearchBody(article)),
          Joined(tokenizer, JoinKeywords(article.keywords))};
}

Status SqliteKbStore::InsertRow(const IndexRow& row) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * index, db_->Prepare(kInsertFts));
  HOTLINE_RETURN_IF_ERROR(
      index->Bind(1, row.doc).Bind(2, row.title).Bind(3, row.body).Bind(4, row.keywords).Run());
  CountRow(row, +1);
  return OkStatus();
}

Status SqliteKbStore::UnindexRow(int64_t doc) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * select, db_->Prepare(kFtsRow));
  select->Bind(1, doc);
  HOTLINE_ASSIGN_OR_RETURN(const bool found, select->Step());
  if (!found) {
    select->Reset();
    return OkStatus();
  }
  const IndexRow old{doc, 0, select->Text(0), select->Text(1), select->Text(2)};
  select->Reset();
  HOTLINE_ASSIGN_OR_RETURN(Stmt * remove, db_->Prepare(kDeleteFts));
  HOTLINE_RETURN_IF_ERROR(remove->Bind(1, doc).Run());
  CountRow(old, -1);
  return OkStatus();
}

void SqliteKbStore::CountRow(const IndexRow& row, int sign) {
  std::unordered_set<std::string_view> distinct;
  const std::array<const std::string*, 3> columns = {&row.title, &row.body, &row.keywords};
  for (size_t c = 0; c < columns.size(); ++c) {
    ForEachTerm(*columns[c], [&](std::string_view term) {
      pending_.tokens[c] += sign;
      auto& counts = pending_.terms[std::string(term)];
      counts.second += sign;
      if (distinct.insert(term).second) {
        counts.first += sign;
      }
    });
  }
  pending_.documents += sign;
}

Status SqliteKbStore::FlushStats() {
  if (pending_.clear) {
    HOTLINE_RETURN_IF_ERROR(db_->Exec("DELETE FROM kb_fts_terms"));
    HOTLINE_ASSIGN_OR_RETURN(Stmt * clear, db_->Prepare(kClearTotals));
    HOTLINE_RETURN_IF_ERROR(clear->Run());
  }
  HOTLINE_ASSIGN_OR_RETURN(Stmt * upsert, db_->Prepare(kUpsertTerm));
  HOTLINE_ASSIGN_OR_RETURN(Stmt * drop, db_->Prepare(kDropTerm));
  for (const auto& [term, counts] : pending_.terms) {
    if (counts.first == 0 && counts.second == 0) {
      continue;
    }
    // Run() leaves a statement done: reset before binding it again.
    upsert->Reset();
    HOTLINE_RETURN_IF_ERROR(
        upsert->Bind(1, term).Bind(2, counts.first).Bind(3, counts.second).Run());
    if (counts.first < 0) {
      drop->Reset();
      HOTLINE_RETURN_IF_ERROR(drop->Bind(1, term).Run());
    }
  }
  HOTLINE_ASSIGN_OR_RETURN(Stmt * totals, db_->Prepare(kAddTotals));
  totals->Reset();
  HOTLINE_RETURN_IF_ERROR(totals->Bind(1, pending_.documents)
                              .Bind(2, pending_.tokens[0])
                              .Bind(3, pending_.tokens[1])
                              .Bind(4, pending_.tokens[2])
                              .Run());
  pending_ = PendingStats{};
  return OkStatus();
}

Status SqliteKbStore::BeginWrite() {
  pending_ = PendingStats{};
  return db_->Exec("BEGIN IMMEDIATE");
}

void SqliteKbStore::RollbackWrite() {
  pending_ = PendingStats{};
  (void)db_->Exec("ROLLBACK");
}

Status SqliteKbStore::IndexArticle(int64_t doc, const Article& article) {
  return InsertRow(RowOf(doc, article, *tokenizer_));
}

Result<ports::KbSaveSummary> SqliteKbStore::Save(const std::vector<Article>& articles,
                                                 std::string_view actor, int64_t now) {
  std::unordered_set<std::string_view> ids;
  for (size_t i = 0; i < articles.size(); ++i) {
    const Status valid = domain::kb::Validate(articles[i]);
    if (!valid.has_value()) {
      return InvalidArgument(
          fmt::format("第 {} 条 ({}): {}", i + 1, articles[i].id, valid.error().message));
    }
    if (!ids.insert(articles[i].id).second) {
      return AlreadyExists(fmt::format("第 {} 条: 编号 {} 重复", i + 1, articles[i].id));
    }
  }
  if (tokenizer_ == nullptr) {
    return FailedPrecondition("知识库的分词器尚未就绪");
  }
  ports::KbSaveSummary summary;
  HOTLINE_RETURN_IF_ERROR(BeginWrite());
  for (size_t i = 0; i < articles.size(); ++i) {
    Status status = SaveOne(articles[i], actor, now, &summary);
    if (status.has_value() && fault_) {
      status = fault_(i);
    }
    if (!status.has_value()) {
      RollbackWrite();
      return Error{status.error().code,
                   fmt::format("第 {} 条 ({}): {}", i + 1, articles[i].id, status.error().message)};
    }
  }
  if (const Status flushed = FlushStats(); !flushed.has_value()) {
    RollbackWrite();
    return flushed.error();
  }
  HOTLINE_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  return summary;
}

Result<Article> SqliteKbStore::SaveVersion(const Article& article, int64_t expected_version,
                                           std::string_view actor, int64_t now) {
  HOTLINE_RETURN_IF_ERROR(domain::kb::Validate(article));
  if (tokenizer_ == nullptr) {
    return FailedPrecondition("知识库的分词器尚未就绪");
  }
  HOTLINE_RETURN_IF_ERROR(BeginWrite());
  auto saved = [&]() -> Result<Article> {
    auto current = Find(article.id);
    if (!current.has_value() && current.error().code != ErrorCode::kNotFound) {
      return current.error();
    }
    if (expected_version == 0 && current.has_value()) {
      return AlreadyExists(fmt::format("编号 {} 已存在", article.id));
    }
    if (expected_version != 0 && !current.has_value()) {
      return current.error();
    }
    if (current.has_value() && current->version != expected_version) {
      return Aborted(fmt::format("条目 {} 已被修改（当前第 {} 版，提交的是第 {} 版），请刷新后重试",
                                 article.id, current->version, expected_version));
    }
    ports::KbSaveSummary summary;
    HOTLINE_RETURN_IF_ERROR(SaveOne(article, actor, now, &summary));
    HOTLINE_RETURN_IF_ERROR(FlushStats());
    return Find(article.id);
  }();
  if (!saved.has_value()) {
    RollbackWrite();
    return saved.error();
  }
  HOTLINE_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  return saved;
}

Result<Article> SqliteKbStore::Find(std::string_view id) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * select, db_->Prepare(kSelectById));
  select->Bind(1, id);
  HOTLINE_ASSIGN_OR_RETURN(const bool row, select->Step());
  if (!row) {
    select->Reset();
    return NotFound(fmt::format("知识库中没有条目 {}", id));
  }
  Article article = ReadArticle(*select, 1);
  select->Reset();
  return article;
}

Result<std::vector<Article>> SqliteKbStore::History(std::string_view id) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * select, db_->Prepare(kHistory));
  select->Bind(1, id);
  HOTLINE_ASSIGN_OR_RETURN(auto versions, ReadAll(*select));
  if (versions.empty()) {
    return NotFound(fmt::format("知识库中没有条目 {}", id));
  }
  return versions;
}

Result<std::vector<Article>> SqliteKbStore::List(const ports::KbFilter& filter) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * select, db_->Prepare(kList));
  select->Bind(1, filter.category)
      .Bind(2, filter.department)
      .Bind(3, filter.region)
      .Bind(4, static_cast<int64_t>(filter.published_only ? 1 : 0))
      .Bind(5, filter.status);
  return ReadAll(*select);
}

Result<std::vector<Article>> SqliteKbStore::DueForReview(std::string_view today,
                                                         std::string_view department) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * select, db_->Prepare(kDue));
  select->Bind(1, today).Bind(2, department);
  return ReadAll(*select);
}

text::IndexOptions SqliteKbStore::DefaultRankingOptions() {
  text::IndexOptions options;
  options.fields = {{"title", 2.0, 0.75}, {"body", 1.0, 1.0}, {"keywords", 1.5, 0.75}};
  return options;
}

// The statistics the ranking stages read, from the store (ranking.h's CandidateSource).
// Documents are keyed by kb_articles.doc, the rowid of kb_fts. SQL errors are kept in
// `error` (the interface returns plain values) and checked by Search.
class SqliteKbStore::RankSource final : public text::CandidateSource {
 public:
  // `cf_by_id`: the collection frequency of each term by the id the analysis gave it.
  RankSource(SqliteKbStore& store, const text::AnalyzedQuery& query,
             const std::vector<double>& cf_by_id, double documents, double total_tokens)
      : store_(store), documents_(documents), total_tokens_(total_tokens) {
    for (size_t i = 0; i < query.terms.size(); ++i) {
      position_.emplace(query.texts[i], i);
      cf_.push_back(cf_by_id[query.terms[i].term_id]);
    }
  }
  double TotalTokens() const override { return total_tokens_; }
  std::vector<double> CollectionFrequencies(const text::AnalyzedQuery& /*query*/) const override {
    return cf_;
  }
  double TermIdf(const std::string& term) const override {
    auto stmt = store_.db_->Prepare(kTermStats);
    if (!stmt.has_value()) {
      Keep(stmt.error());
      return 0;
    }
    (*stmt)->Bind(1, term);
    const auto row = (*stmt)->Step();
    const double df = row.has_value() && *row ? static_cast<double>((*stmt)->Int(0)) : 0.0;
    (*stmt)->Reset();
    if (!row.has_value()) {
      Keep(row.error());
    }
    return df > 0 ? text::Idf(documents_, df) : 0.0;
  }
  void TermCounts(uint32_t doc, const text::AnalyzedQuery& query, std::vector<double>* tf,
                  double* length) const override {
    tf->assign(query.terms.size(), 0.0);
    *length = 0;
    auto stmt = store_.db_->Prepare(kFtsRow);
    if (!stmt.has_value()) {
      Keep(stmt.error());
      return;
    }
    (*stmt)->Bind(1, static_cast<int64_t>(doc));
    const auto row = (*stmt)->Step();
    if (!row.has_value() || !*row) {
      (*stmt)->Reset();
      if (!row.has_value()) {
        Keep(row.error());
      }
      return;
    }
    for (int c = 0; c < 3; ++c) {
      ForEachTerm((*stmt)->Text(c), [&](std::string_view term) {
        *length += 1;
        const auto found = position_.find(std::string(term));
        if (found != position_.end()) {
          (*tf)[found->second] += 1;
        }
      });
    }
    (*stmt)->Reset();
  }
  std::vector<std::string> FieldTexts(uint32_t doc) const override {
    auto stmt = store_.db_->Prepare(kSelectByDoc);
    if (!stmt.has_value()) {
      Keep(stmt.error());
      return {};
    }
    (*stmt)->Bind(1, static_cast<int64_t>(doc));
    const auto row = (*stmt)->Step();
    if (!row.has_value() || !*row) {
      (*stmt)->Reset();
      if (!row.has_value()) {
        Keep(row.error());
      }
      return {};
    }
    const Article article = ReadArticle(**stmt, 1);
    (*stmt)->Reset();
    return {article.title, domain::kb::SearchBody(article), JoinKeywords(article.keywords)};
  }
  const Status& error() const { return error_; }

 private:
  void Keep(const Error& error) const {
    if (error_.has_value()) {
      error_ = error;
    }
  }
  SqliteKbStore& store_;
  std::vector<double> cf_;
  double documents_;
  double total_tokens_;
  std::unordered_map<std::string, size_t> position_;
  mutable Status error_ = OkStatus();
};

Result<std::vector<ports::KbSearchHit>> SqliteKbStore::Search(const ports::KbSearchQuery& query) {
  return Search(query, {{query.text, 1.0}});
}

Result<std::vector<ports::KbSearchHit>> SqliteKbStore::Search(
    const ports::KbSearchQuery& query, const std::vector<text::QueryPart>& parts) {
  if (tokenizer_ == nullptr) {
    return FailedPrecondition("知识库的分词器尚未就绪");
  }
  // The query's distinct terms, highlighted in the snippets.
  const std::vector<std::string> terms = HighlightTerms(*tokenizer_, parts);
  std::vector<ports::KbSearchHit> hits;
  if (terms.empty() || query.limit == 0) {
    return hits;
  }
  // One read transaction: statistics, matches and candidate rows from one snapshot.
  HOTLINE_RETURN_IF_ERROR(db_->Exec("SAVEPOINT kb_search"));
  auto ranked = [&]() -> Result<std::vector<text::ScoredDoc>> {
    const size_t fields = ranking_.fields.size();
    HOTLINE_ASSIGN_OR_RETURN(Stmt * totals, db_->Prepare(kTotals));
    HOTLINE_ASSIGN_OR_RETURN(const bool has_totals, totals->Step());
    double documents = 0;
    std::vector<double> averages(fields, 0.0);
    double total_tokens = 0;
    if (has_totals) {
      documents = static_cast<double>(totals->Int(0));
      for (size_t f = 0; f < fields && f < 3; ++f) {
        const auto tokens = static_cast<double>(totals->Int(static_cast<int>(f) + 1));
        averages[f] = documents > 0 ? tokens / documents : 0.0;
        total_tokens += tokens;
      }
    }
    totals->Reset();
    // Query analysis over the stored term statistics; ids are positions in `cf_by_id`.
    HOTLINE_ASSIGN_OR_RETURN(Stmt * stats, db_->Prepare(kTermStats));
    std::vector<double> cf_by_id;
    Status lookup_error = OkStatus();
    const text::AnalyzedQuery analyzed =
        text::AnalyzeQuery(*tokenizer_, ranking_, parts, documents,
                           [&](const std::string& term) -> std::optional<text::TermStats> {
                             stats->Bind(1, term);
                             const auto row = stats->Step();
                             std::optional<text::TermStats> out;
                             if (!row.has_value()) {
                               lookup_error = row.error();
                             } else if (*row && stats->Int(0) > 0) {
                               out = text::TermStats{static_cast<uint32_t>(cf_by_id.size()),
                                                     static_cast<double>(stats->Int(0))};
                               cf_by_id.push_back(static_cast<double>(stats->Int(1)));
                             }
                             stats->Reset();
                             return out;
                           });
    HOTLINE_RETURN_IF_ERROR(lookup_error);
    std::vector<text::ScoredDoc> candidates;
    const size_t n = analyzed.terms.size();
    if (n == 0) {
      return candidates;
    }
    const size_t want = text::CandidateDepth(ranking_, query.limit);
    RankContext context{&analyzed, &ranking_, averages, 0, {}};
    // The best `want` matches of the articles holding any query term from `split` on in
    // bound order (all terms when 0), scored with every term.
    std::vector<size_t> by_bound(n);
    for (size_t i = 0; i < n; ++i) {
      by_bound[i] = i;
    }
    const auto bound = [&](size_t i) {
      return analyzed.terms[i].weight * analyzed.terms[i].idf * (ranking_.k1 + 1.0);
    };
    std::stable_sort(by_bound.begin(), by_bound.end(),
                     [&](size_t a, size_t b) { return bound(a) < bound(b); });
    std::vector<double> prefix(n + 1, 0.0);  // prefix[s]: bounds of by_bound[0, s)
    for (size_t s = 0; s < n; ++s) {
      prefix[s + 1] = prefix[s] + bound(by_bound[s]);
    }
    const auto any_of = [&](size_t from, bool ordered) {
      std::string expr;
      for (size_t k = from; k < n; ++k) {
        expr += expr.empty() ? "" : " OR ";
        expr += Quote(analyzed.texts[ordered ? k : by_bound[k]]);
      }
      return expr;
    };
    HOTLINE_ASSIGN_OR_RETURN(Stmt * rank, db_->Prepare(kRank));
    const auto run = [&](size_t split) -> Status {
      std::string match = any_of(0, true);
      context.first_phrase = 0;
      if (split > 0) {
        match = "(" + any_of(split, false) + ") AND (" + match + ")";
        context.first_phrase = static_cast<int>(n - split);
      }
      rank->Bind(1, match)
          .BindPointer(2, &context, kRankPointerType)
          .Bind(3, query.filter.category)
          .Bind(4, query.filter.department)
          .Bind(5, query.filter.region)
          .Bind(6, static_cast<int64_t>(query.filter.published_only ? 1 : 0))
          .Bind(7, static_cast<int64_t>(want));
      candidates.clear();
      const Status status = rank->Each([&](const Stmt& row) -> Status {
        const int64_t doc = row.Int(0);
        if (doc < 0 || doc > std::numeric_limits<uint32_t>::max()) {
          return Internal("知识库条目编号超出检索范围");
        }
        candidates.emplace_back(row.Double(1), static_cast<uint32_t>(doc));
        return OkStatus();
      });
      rank->Reset();
      return status;
    };
    // MaxScore over the store: an article holding none of the terms by_bound[split..n) scores
    // at most prefix[split]. The first round leaves out the commonest terms (the longest
    // posting lists); if the want-th score found does not beat what they could add, a second
    // round leaves out only what that score rules out, which is then exact.
    size_t split = 0;
    while (split < n && prefix[split + 1] <= kPrunedBoundShare * prefix[n]) {
      ++split;
    }
    HOTLINE_RETURN_IF_ERROR(run(split));
    if (split > 0) {
      const double threshold = candidates.size() == want ? candidates.back().first : -1.0;
      if (!(threshold > prefix[split])) {
        size_t second = 0;
        while (second < split && prefix[second + 1] < threshold) {
          ++second;
        }
        HOTLINE_RETURN_IF_ERROR(run(second));
      }
    }
    RankSource source(*this, analyzed, cf_by_id, documents, total_tokens);
    text::RerankCandidates(ranking_, *tokenizer_, parts, analyzed, source, &candidates);
    HOTLINE_RETURN_IF_ERROR(source.error());
    if (candidates.size() > query.limit) {
      candidates.resize(query.limit);
    }
    return candidates;
  }();
  if (!ranked.has_value()) {
    (void)db_->Exec("ROLLBACK TO kb_search");
    (void)db_->Exec("RELEASE kb_search");
    return ranked.error();
  }
  Status loaded = OkStatus();
  for (const auto& [score, doc] : *ranked) {
    auto select = db_->Prepare(kSelectByDoc);
    if (!select.has_value()) {
      loaded = select.error();
      break;
    }
    (*select)->Bind(1, static_cast<int64_t>(doc));
    const auto row = (*select)->Step();
    if (!row.has_value()) {
      (*select)->Reset();
      loaded = row.error();
      break;
    }
    if (*row) {
      ports::KbSearchHit hit;
      hit.article = ReadArticle(**select, 1);
      hit.score = score;
      hits.push_back(std::move(hit));
    }
    (*select)->Reset();
  }
  (void)db_->Exec("RELEASE kb_search");
  HOTLINE_RETURN_IF_ERROR(loaded);
  for (auto& hit : hits) {
    hit.snippet = HitSnippet(*snippets_, hit.article, terms);
  }
  return hits;
}

std::vector<std::string> SqliteKbStore::HighlightTerms(const text::Tokenizer& tokenizer,
                                                       const std::vector<text::QueryPart>& parts) {
  std::vector<std::string> terms;
  std::set<std::string> seen;
  for (const auto& part : parts) {
    for (auto& term : tokenizer.Terms(part.text)) {
      if (terms.size() < kMaxQueryTerms && seen.insert(term).second) {
        terms.push_back(std::move(term));
      }
    }
  }
  return terms;
}

std::string SqliteKbStore::HitSnippet(const text::InvertedIndex& index, const Article& article,
                                      const std::vector<std::string>& terms) {
  const std::string body = domain::kb::SearchBody(article);
  return index.Snippet(body.empty() ? article.title : body, terms, kSnippetChars);
}

std::vector<std::string> SqliteKbStore::RankedFields(const Article& article) {
  return {article.title, domain::kb::SearchBody(article), JoinKeywords(article.keywords)};
}

Result<SqliteKbStore::ChangePosition> SqliteKbStore::Position() {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * select, db_->Prepare(kPosition));
  HOTLINE_ASSIGN_OR_RETURN(const bool row, select->Step());
  ChangePosition position;
  if (row) {
    position.seq = select->Int(0);
    position.lexicon_revision = select->Int(1);
  }
  select->Reset();
  return position;
}

Result<int64_t> SqliteKbStore::DataVersion() {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * pragma, db_->Prepare("PRAGMA data_version"));
  HOTLINE_ASSIGN_OR_RETURN(const bool row, pragma->Step());
  const int64_t version = row ? pragma->Int(0) : -1;
  pragma->Reset();
  return version;
}

Result<SqliteKbStore::Snapshot> SqliteKbStore::ReadSnapshot() {
  HOTLINE_RETURN_IF_ERROR(db_->Exec("SAVEPOINT kb_snapshot"));
  auto read = [&]() -> Result<Snapshot> {
    Snapshot snapshot;
    HOTLINE_ASSIGN_OR_RETURN(snapshot.position, Position());
    HOTLINE_ASSIGN_OR_RETURN(snapshot.lexicon, LexiconEntries());
    HOTLINE_ASSIGN_OR_RETURN(snapshot.articles, ArticlesForIndex());
    return snapshot;
  }();
  (void)db_->Exec("RELEASE kb_snapshot");
  return read;
}

Result<SqliteKbStore::ChangesAfter> SqliteKbStore::ReadChangesAfter(int64_t seq,
                                                                    size_t max_changes) {
  HOTLINE_RETURN_IF_ERROR(db_->Exec("SAVEPOINT kb_changes_after"));
  auto read = [&]() -> Result<ChangesAfter> {
    ChangesAfter out;
    HOTLINE_ASSIGN_OR_RETURN(out.position, Position());
    if (out.position.seq <= seq) {
      return out;
    }
    HOTLINE_ASSIGN_OR_RETURN(Stmt * first, db_->Prepare(kFirstChange));
    first->Bind(1, seq);
    HOTLINE_ASSIGN_OR_RETURN(const bool has_first, first->Step());
    const int64_t first_seq = has_first ? first->Int(0) : 0;
    first->Reset();
    if (!has_first || first_seq != seq + 1) {
      out.complete = false;  // pruned (or never logged): the reader reloads
      return out;
    }
    HOTLINE_ASSIGN_OR_RETURN(Stmt * docs, db_->Prepare(kChangedDocs));
    docs->Bind(1, seq);
    std::vector<int64_t> changed;
    HOTLINE_RETURN_IF_ERROR(docs->Each([&](const Stmt& row) { changed.push_back(row.Int(0)); }));
    docs->Reset();
    if (changed.size() > max_changes) {
      out.complete = false;
      return out;
    }
    HOTLINE_ASSIGN_OR_RETURN(Stmt * by_doc, db_->Prepare(kSelectByDoc));
    for (const int64_t doc : changed) {
      by_doc->Bind(1, doc);
      HOTLINE_ASSIGN_OR_RETURN(const bool row, by_doc->Step());
      if (row) {
        out.upserted.push_back({doc, ReadArticle(*by_doc, 1)});
      } else {
        out.removed.push_back(doc);
      }
      by_doc->Reset();
    }
    return out;
  }();
  (void)db_->Exec("RELEASE kb_changes_after");
  return read;
}

Result<std::vector<text::LexiconEntry>> SqliteKbStore::LexiconEntries() {
  HOTLINE_ASSIGN_OR_RETURN(
      Stmt * select,
      db_->Prepare("SELECT id, kind, words, created_at, created_by FROM kb_lexicon ORDER BY id"));
  std::vector<text::LexiconEntry> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(const bool row, select->Step());
    if (!row) {
      break;
    }
    out.push_back({select->Int(0), select->Text(1), SplitSpaces(select->Text(2)), select->Int(3),
                   select->Text(4), ""});
  }
  select->Reset();
  return out;
}

Result<int64_t> SqliteKbStore::LexiconRevision() {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * select,
                           db_->Prepare("SELECT revision FROM kb_lexicon_revision WHERE id = 1"));
  HOTLINE_ASSIGN_OR_RETURN(const bool row, select->Step());
  const int64_t revision = row ? select->Int(0) : 0;
  select->Reset();
  return revision;
}

Result<std::vector<int64_t>> SqliteKbStore::ChangeLexicon(
    const std::vector<text::LexiconEntry>& add, const std::vector<int64_t>& remove,
    std::string_view actor, int64_t now, const text::Tokenizer& tokenizer) {
  HOTLINE_ASSIGN_OR_RETURN(const int64_t revision, LexiconRevision());
  HOTLINE_ASSIGN_OR_RETURN(const auto articles, ArticlesForIndex());
  const auto rows = IndexRows(articles, tokenizer);
  HOTLINE_ASSIGN_OR_RETURN(auto ids,
                           StageLexiconChange(add, remove, actor, now, tokenizer, rows, revision));
  HOTLINE_RETURN_IF_ERROR(CommitStaged(tokenizer));
  return ids;
}

Result<std::vector<SqliteKbStore::IndexedArticle>> SqliteKbStore::ArticlesForIndex() {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * all, db_->Prepare(kSelectAll));
  std::vector<IndexedArticle> out;
  while (true) {
    auto row = all->Step();
    if (!row.has_value()) {
      all->Reset();
      return row.error();
    }
    if (!*row) {
      break;
    }
    out.push_back({all->Int(0), ReadArticle(*all, 1)});
  }
  all->Reset();
  return out;
}

std::vector<SqliteKbStore::IndexRow> SqliteKbStore::IndexRows(
    const std::vector<IndexedArticle>& articles, const text::Tokenizer& tokenizer) {
  std::vector<IndexRow> rows;
  rows.reserve(articles.size());
  for (const auto& a : articles) {
    rows.push_back(RowOf(a.doc, a.article, tokenizer));
  }
  return rows;
}

Result<std::vector<int64_t>> SqliteKbStore::StageLexiconChange(
    const std::vector<text::LexiconEntry>& add, const std::vector<int64_t>& remove,
    std::string_view actor, int64_t now, const text::Tokenizer& tokenizer,
    const std::vector<IndexRow>& rows, int64_t expected_revision) {
  HOTLINE_RETURN_IF_ERROR(BeginWrite());
  auto ids = [&]() -> Result<std::vector<int64_t>> {
    HOTLINE_ASSIGN_OR_RETURN(const int64_t revision, LexiconRevision());
    if (revision != expected_revision) {
      return Aborted("词库刚被另一处修改，请刷新后重试");
    }
    std::vector<int64_t> added;
    for (const int64_t id : remove) {
      HOTLINE_ASSIGN_OR_RETURN(Stmt * del, db_->Prepare("DELETE FROM kb_lexicon WHERE id = ?1"));
      HOTLINE_RETURN_IF_ERROR(del->Bind(1, id).Run());
      if (db_->Changes() == 0) {
        return NotFound(fmt::format("词库中没有编号为 {} 的词条（内置词条不能删除）", id));
      }
    }
    for (const auto& entry : add) {
      std::string words;
      for (const auto& w : entry.words) {
        words += (words.empty() ? "" : " ") + w;
      }
      HOTLINE_ASSIGN_OR_RETURN(
          Stmt * insert,
          db_->Prepare("INSERT INTO kb_lexicon (kind, words, created_at, created_by) "
                       "VALUES (?1, ?2, ?3, ?4)"));
      HOTLINE_RETURN_IF_ERROR(
          insert->Bind(1, entry.kind).Bind(2, words).Bind(3, now).Bind(4, actor).Run());
      added.push_back(db_->LastInsertId());
    }
    HOTLINE_RETURN_IF_ERROR(
        db_->Exec("UPDATE kb_lexicon_revision SET revision = revision + 1 WHERE id = 1"));
    // The articles as they are now: a row computed from another version is computed again.
    HOTLINE_ASSIGN_OR_RETURN(Stmt * versions,
                             db_->Prepare("SELECT doc, version FROM kb_articles ORDER BY doc"));
    std::vector<std::pair<int64_t, int64_t>> current;
    while (true) {
      HOTLINE_ASSIGN_OR_RETURN(const bool row, versions->Step());
      if (!row) {
        break;
      }
      current.emplace_back(versions->Int(0), versions->Int(1));
    }
    versions->Reset();
    std::unordered_map<int64_t, const IndexRow*> prepared;
    for (const auto& row : rows) {
      prepared[row.doc] = &row;
    }
    HOTLINE_RETURN_IF_ERROR(db_->Exec("DELETE FROM kb_fts"));
    pending_ = PendingStats{};
    pending_.clear = true;
    HOTLINE_ASSIGN_OR_RETURN(Stmt * by_doc, db_->Prepare(kSelectByDoc));
    for (const auto& [doc, version] : current) {
      const auto found = prepared.find(doc);
      if (found != prepared.end() && found->second->version == version) {
        HOTLINE_RETURN_IF_ERROR(InsertRow(*found->second));
        continue;
      }
      by_doc->Bind(1, doc);
      HOTLINE_ASSIGN_OR_RETURN(const bool row, by_doc->Step());
      if (!row) {
        by_doc->Reset();
        continue;
      }
      const Article article = ReadArticle(*by_doc, 1);
      by_doc->Reset();
      HOTLINE_RETURN_IF_ERROR(InsertRow(RowOf(doc, article, tokenizer)));
    }
    HOTLINE_RETURN_IF_ERROR(FlushStats());
    return added;
  }();
  if (!ids.has_value()) {
    RollbackWrite();
  }
  return ids;
}

Status SqliteKbStore::CommitStaged(const text::Tokenizer& tokenizer) {
  if (const Status committed = db_->Exec("COMMIT"); !committed.has_value()) {
    (void)db_->Exec("ROLLBACK");
    return committed.error();
  }
  UseTokenizer(tokenizer);
  return OkStatus();
}

void SqliteKbStore::RollbackStaged() { (void)db_->Exec("ROLLBACK"); }

}  // namespace hotline::adapters::sqlite

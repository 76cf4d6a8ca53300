#include "adapters/sqlite/kb_store.h"

#include <fmt/format.h>

#include <filesystem>
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
constexpr int kColumnCount = 21;

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
// bm25() weights: title, body, keywords; lower bm25 is better. The score is returned in
// millionths as an integer (Stmt reads integers and text only).
constexpr const char* kSearch =
    "SELECT doc, " HOTLINE_KB_COLUMNS
    ", score FROM kb_articles JOIN (SELECT rowid AS hit, "
    "CAST(-1000000.0 * bm25(kb_fts, 2.0, 1.0, 1.5) AS INTEGER) AS score, "
    "bm25(kb_fts, 2.0, 1.0, 1.5) AS rank FROM kb_fts WHERE kb_fts MATCH ?1) ON doc = hit "
    "WHERE (?2 = '' OR category = ?2) AND (?3 = '' OR department = ?3) AND "
    "(?4 = '' OR region = ?4) AND (?5 = 0 OR status = 'published') ORDER BY rank LIMIT ?6";
constexpr const char* kSelectAll =
    "SELECT doc, " HOTLINE_KB_COLUMNS " FROM kb_articles ORDER BY doc";
constexpr const char* kSelectByDoc =
    "SELECT doc, " HOTLINE_KB_COLUMNS " FROM kb_articles WHERE doc = ?1";
#undef HOTLINE_KB_COLUMNS

// At most this many distinct query terms go into the FTS5 MATCH expression.
constexpr size_t kMaxQueryTerms = 64;
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
  HOTLINE_ASSIGN_OR_RETURN(Stmt * remove, db_->Prepare(kDeleteFts));
  HOTLINE_RETURN_IF_ERROR(remove->Bind(1, doc).Run());
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
  return index->Bind(1, row.doc).Bind(2, row.title).Bind(3, row.body).Bind(4, row.keywords).Run();
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
  HOTLINE_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  for (size_t i = 0; i < articles.size(); ++i) {
    Status status = SaveOne(articles[i], actor, now, &summary);
    if (status.has_value() && fault_) {
      status = fault_(i);
    }
    if (!status.has_value()) {
      (void)db_->Exec("ROLLBACK");
      return Error{status.error().code,
                   fmt::format("第 {} 条 ({}): {}", i + 1, articles[i].id, status.error().message)};
    }
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
  HOTLINE_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
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
    return Find(article.id);
  }();
  if (!saved.has_value()) {
    (void)db_->Exec("ROLLBACK");
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

Result<std::vector<ports::KbSearchHit>> SqliteKbStore::Search(const ports::KbSearchQuery& query) {
  std::vector<std::string> terms;
  std::set<std::string> seen;
  if (tokenizer_ == nullptr) {
    return FailedPrecondition("知识库的分词器尚未就绪");
  }
  for (auto& term : tokenizer_->Terms(query.text)) {
    if (terms.size() < kMaxQueryTerms && seen.insert(term).second) {
      terms.push_back(std::move(term));
    }
  }
  std::vector<ports::KbSearchHit> hits;
  if (terms.empty()) {
    return hits;
  }
  std::string match;
  for (const auto& term : terms) {
    match += match.empty() ? "" : " OR ";
    match += Quote(term);
  }
  HOTLINE_ASSIGN_OR_RETURN(Stmt * select, db_->Prepare(kSearch));
  select->Bind(1, match)
      .Bind(2, query.filter.category)
      .Bind(3, query.filter.department)
      .Bind(4, query.filter.region)
      .Bind(5, static_cast<int64_t>(query.filter.published_only ? 1 : 0))
      .Bind(6, static_cast<int64_t>(query.limit));
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(const bool row, select->Step());
    if (!row) {
      break;
    }
    ports::KbSearchHit hit;
    hit.article = ReadArticle(*select, 1);
    constexpr double kMillionths = 1e-6;
    hit.score = static_cast<double>(select->Int(1 + kColumnCount)) * kMillionths;
    hits.push_back(std::move(hit));
  }
  select->Reset();
  for (auto& hit : hits) {
    const std::string body = domain::kb::SearchBody(hit.article);
    hit.snippet = snippets_->Snippet(body.empty() ? hit.article.title : body, terms, kSnippetChars);
  }
  return hits;
}

namespace {

std::vector<std::string> SplitSpaces(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = std::min(text.find(' ', start), text.size());
    if (end > start) {
      out.push_back(text.substr(start, end - start));
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

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
  HOTLINE_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
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
    return added;
  }();
  if (!ids.has_value()) {
    (void)db_->Exec("ROLLBACK");
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

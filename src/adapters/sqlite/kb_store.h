// SqliteKbStore: the knowledge base in the embedded SQLite store (tables of migration
// 002_kb.sql). Articles, their versions and the FTS5 index are written in one transaction;
// the FTS5 columns hold the text engine's terms (Tokenizer::Terms), so search matches words,
// synonyms and Traditional/Simplified script exactly as the in-memory index does.
//
// Search ranks with the text engine's shared ranking (adapters/text/ranking.h): the term
// statistics come from kb_fts_terms/kb_fts_totals (migration 016, written with kb_fts), the
// BM25F score of each FTS5 match from the auxiliary function hotline_bm25f (registered on
// the connection through the fts5_api), and the re-ranking stages read the candidates' rows;
// so the order is the one `hotline eval search` measures on an InvertedIndex holding the
// same articles (docs/search.md).
//
// Thread-compatible: one instance per thread (SQLite's WAL lets several processes and
// connections read while one writes).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "adapters/sqlite/db.h"
#include "adapters/text/inverted_index.h"
#include "adapters/text/lexicon_entries.h"
#include "adapters/text/ranking.h"
#include "adapters/text/tokenizer.h"
#include "ports/kb_store.h"

namespace hotline::adapters::sqlite {

class SqliteKbStore final : public ports::KbStore {
 public:
  // Opens (creating if `create`) the database at `path` and applies pending migrations.
  // kNotFound if it does not exist and !create; kInternal on SQLite errors. `tokenizer`
  // must outlive the store.
  static Result<std::unique_ptr<SqliteKbStore>> Open(const std::string& path, bool create,
                                                     const text::Tokenizer& tokenizer);
  // The same without a tokenizer yet (to read the stored lexicon and build one): everything
  // that indexes or searches fails with kFailedPrecondition until UseTokenizer.
  static Result<std::unique_ptr<SqliteKbStore>> OpenWithoutTokenizer(const std::string& path,
                                                                     bool create);
  ~SqliteKbStore() override;
  SqliteKbStore(const SqliteKbStore&) = delete;
  SqliteKbStore& operator=(const SqliteKbStore&) = delete;

  // KbStore
  Result<ports::KbSaveSummary> Save(const std::vector<domain::kb::Article>& articles,
                                    std::string_view actor, int64_t now) override;
  Result<domain::kb::Article> SaveVersion(const domain::kb::Article& article,
                                          int64_t expected_version, std::string_view actor,
                                          int64_t now) override;
  Result<domain::kb::Article> Find(std::string_view id) override;
  Result<std::vector<domain::kb::Article>> History(std::string_view id) override;
  Result<std::vector<domain::kb::Article>> List(const ports::KbFilter& filter) override;
  Result<std::vector<domain::kb::Article>> DueForReview(std::string_view today,
                                                        std::string_view department) override;
  Result<std::vector<ports::KbSearchHit>> Search(const ports::KbSearchQuery& query) override;
  // Search with a query of several weighted parts (a citizen's title and details) instead
  // of query.text; `hotline eval search --engine store` searches this way.
  Result<std::vector<ports::KbSearchHit>> Search(const ports::KbSearchQuery& query,
                                                 const std::vector<text::QueryPart>& parts);

  // The lexicon edited by admins (migration 010), oldest first, and its revision (bumped by
  // every change, from any process).
  Result<std::vector<text::LexiconEntry>> LexiconEntries();
  Result<int64_t> LexiconRevision();

  // In one transaction: stores `add` (their ids are returned), deletes the entries `remove`
  // (kNotFound if one is not stored), bumps the revision and re-indexes every article with
  // `tokenizer` (built from the new lexicon), which the store uses from then on; it must
  // outlive the store. On failure nothing changes, the old tokenizer stays.
  Result<std::vector<int64_t>> ChangeLexicon(const std::vector<text::LexiconEntry>& add,
                                             const std::vector<int64_t>& remove,
                                             std::string_view actor, int64_t now,
                                             const text::Tokenizer& tokenizer);

  // The same change in steps, for a process that keeps searching while the index is rebuilt
  // (SharedKb): the index rows are computed with the new tokenizer outside any transaction
  // (ArticlesForIndex, then IndexRows, the slow part, on no connection), then one short write
  // transaction replaces the index (StageLexiconChange) and is committed (CommitStaged) at a
  // moment the caller chooses, while readers on other connections still see the old index.
  struct IndexRow {
    int64_t doc = 0;
    int64_t version = 0;  // the article's version the row was computed from
    std::string title, body, keywords;
  };
  struct IndexedArticle {
    int64_t doc = 0;
    domain::kb::Article article;
  };
  Result<std::vector<IndexedArticle>> ArticlesForIndex();
  static std::vector<IndexRow> IndexRows(const std::vector<IndexedArticle>& articles,
                                         const text::Tokenizer& tokenizer);
  // Opens a write transaction that stores `add`, deletes `remove`, bumps the revision and
  // replaces the index by `rows`; an article written since its row was computed (another
  // version, or new) is indexed again with `tokenizer`, so no write is lost. kAborted if the
  // revision is no longer `expected_revision` (another process changed the lexicon). On
  // success the transaction stays open for CommitStaged or RollbackStaged; on error it is
  // rolled back already.
  Result<std::vector<int64_t>> StageLexiconChange(const std::vector<text::LexiconEntry>& add,
                                                  const std::vector<int64_t>& remove,
                                                  std::string_view actor, int64_t now,
                                                  const text::Tokenizer& tokenizer,
                                                  const std::vector<IndexRow>& rows,
                                                  int64_t expected_revision);
  // Commits the staged change and uses `tokenizer` from then on (it must outlive the store);
  // on failure rolls back and keeps the old tokenizer.
  Status CommitStaged(const text::Tokenizer& tokenizer);
  void RollbackStaged();

  // The knowledge base's change position (migration 017): the sequence number of the last
  // article written, by any process, and the lexicon revision. One cheap read.
  struct ChangePosition {
    int64_t seq = 0;
    int64_t lexicon_revision = 0;
  };
  Result<ChangePosition> Position();
  // SQLite's PRAGMA data_version of this connection: it changes when another connection (of
  // this process or another) commits to the database file, whatever the table; not for this
  // connection's own commits. Cheaper than Position (no table read).
  Result<int64_t> DataVersion();
  // Every article with its doc, the lexicon and the change position, from one snapshot.
  struct Snapshot {
    ChangePosition position;
    std::vector<text::LexiconEntry> lexicon;  // LexiconEntries() of that revision
    std::vector<IndexedArticle> articles;
  };
  Result<Snapshot> ReadSnapshot();
  // The articles written after change `seq`, from one snapshot: `upserted` as they are now,
  // `removed` the docs no longer stored, `position` where that leaves the reader; `complete`
  // is false when change rows after `seq` were pruned already (the reader must reload).
  // At most `max_changes` docs: beyond that, `complete` is false too.
  struct ChangesAfter {
    ChangePosition position;
    bool complete = true;
    std::vector<IndexedArticle> upserted;
    std::vector<int64_t> removed;
  };
  Result<ChangesAfter> ReadChangesAfter(int64_t seq, size_t max_changes);

  // What Search highlights and how: the distinct terms of the query's parts (at most 64), and
  // the snippet of a hit (the best passage of its search body, or of its title when the body
  // is empty), shared with the in-memory index that serves the same searches (SharedKb).
  static std::vector<std::string> HighlightTerms(const text::Tokenizer& tokenizer,
                                                 const std::vector<text::QueryPart>& parts);
  static std::string HitSnippet(const text::InvertedIndex& index,
                                const domain::kb::Article& article,
                                const std::vector<std::string>& terms);
  // The texts the ranking reads, in DefaultRankingOptions().fields order.
  static std::vector<std::string> RankedFields(const domain::kb::Article& article);

  // Indexes and searches with `tokenizer` from now on, without re-indexing (another process
  // changed the lexicon and re-indexed). It must outlive the store.
  void UseTokenizer(const text::Tokenizer& tokenizer);

  // The ranking used by Search: fields title, body (domain::kb::SearchBody) and keywords.
  static text::IndexOptions DefaultRankingOptions();
  void SetRankingOptions(text::IndexOptions options) { ranking_ = std::move(options); }
  const text::IndexOptions& ranking_options() const { return ranking_; }

  // Test hook: called inside Save's transaction after each article is written; an error
  // aborts the transaction (to show that nothing is half-saved).
  void SetFaultAfterArticle(std::function<Status(size_t index)> hook) { fault_ = std::move(hook); }

 private:
  SqliteKbStore(std::unique_ptr<Db> db, const text::Tokenizer* tokenizer);
  Status IndexArticle(int64_t doc, const domain::kb::Article& article);
  Status Migrate();
  Status SaveOne(const domain::kb::Article& article, std::string_view actor, int64_t now,
                 ports::KbSaveSummary* summary);
  static IndexRow RowOf(int64_t doc, const domain::kb::Article& article,
                        const text::Tokenizer& tokenizer);
  // Index statistics changed by the current write transaction, written by FlushStats.
  struct PendingStats {
    std::unordered_map<std::string, std::pair<int64_t, int64_t>> terms;  // df, cf deltas
    int64_t documents = 0;
    std::vector<int64_t> tokens = std::vector<int64_t>(3, 0);
    bool clear = false;  // the index was emptied first
  };
  class RankSource;
  Status InsertRow(const IndexRow& row);
  // Deletes the index row of `doc` (if any), its statistics with it.
  Status UnindexRow(int64_t doc);
  void CountRow(const IndexRow& row, int sign);
  Status FlushStats();
  Status BeginWrite();
  void RollbackWrite();
  std::string JoinedTerms(std::string_view text) const;

  std::unique_ptr<Db> db_;
  const text::Tokenizer* tokenizer_;               // null until UseTokenizer
  std::unique_ptr<text::InvertedIndex> snippets_;  // empty: used only for its Snippet()
  std::function<Status(size_t)> fault_;
  text::IndexOptions ranking_ = DefaultRankingOptions();
  PendingStats pending_;
};

}  // namespace hotline::adapters::sqlite

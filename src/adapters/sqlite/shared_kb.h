// SharedKb: the knowledge base of a running process, with the tokenizer it indexes and
// searches with, built from the built-in lexicon plus the one admins edit in the store.
// Two SQLite connections: reads and searches use one (under its own short lock), saves and
// lexicon changes the other, so a search never waits for a write. A lexicon change builds
// the new tokenizer and computes the new index rows aside while searches go on with the old
// ones; then one short write transaction replaces the index (re-indexing the articles saved
// meanwhile, so no write is lost) and, at its commit, the readers switch to the new
// tokenizer, atomically for them. A change made by another process (the CLI) is noticed by
// the revision it bumps, at the next call, and the tokenizer rebuilt.
//
// A server also keeps an in-memory copy of the search index (EnableMemoryIndex, KbMemoryIndex)
// and answers Search from it with the store's results: loaded in the background at start,
// kept in step through the store's change log (migration 017: a trigger-written sequence of
// the articles written, by any process), which every search checks and catches up with (the
// position is read only when SQLite's data_version says someone committed since the last
// check); rebuilt aside after a lexicon change. Until it is loaded or rebuilt,
// searches go to the store (docs/kb.md, "In-memory search index").
//
// Thread-safe: every method may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sqlite/kb_memory_index.h"
#include "adapters/sqlite/kb_store.h"
#include "adapters/text/tokenizer.h"
#include "ports/kb_store.h"

namespace hotline::adapters::sqlite {

class SharedKb final : public ports::KbStore {
 public:
  // Opens (creating if `create`) the store at `path`, with the tokenizer of its lexicon.
  static Result<std::shared_ptr<SharedKb>> Open(const std::string& path, bool create);
  ~SharedKb() override;

  // ports::KbStore: reads on the read connection, writes on the write connection.
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

  // The tokenizer the store uses now (kept alive by the returned pointer).
  std::shared_ptr<const text::Tokenizer> tokenizer() const;

  struct LexiconView {
    std::vector<text::LexiconEntry> builtin;  // Lexicon::Default(), not removable
    std::vector<text::LexiconEntry> stored;   // the admins', with ids
    int64_t revision = 0;
  };
  Result<LexiconView> Lexicon();
  // Adds dictionary lines ("word [kind]") or synonym lines ("社保 社会保险"), all or nothing
  // (kInvalidArgument naming the bad lines); returns the entries added, with their ids.
  Result<std::vector<text::LexiconEntry>> AddWords(std::string_view lines, std::string_view actor,
                                                   int64_t now);
  Result<std::vector<text::LexiconEntry>> AddSynonyms(std::string_view lines,
                                                      std::string_view actor, int64_t now);
  // Removes a stored entry; returns it. kNotFound if there is none with this id.
  Result<text::LexiconEntry> RemoveLexiconEntry(int64_t id, std::string_view actor, int64_t now);

  // Called (on the thread that made the change, with no lock held) with the new tokenizer
  // after every lexicon change this process commits, e.g. to rebuild another index with it.
  // Returns an id for Unsubscribe.
  int64_t OnLexiconChange(std::function<void(std::shared_ptr<const text::Tokenizer>)> listener);
  void Unsubscribe(int64_t id);

  // Test hook: called during a lexicon change after the new index rows are computed and
  // before they are written (searches and saves go on meanwhile).
  void SetRebuildHook(std::function<void()> hook) { rebuild_hook_ = std::move(hook); }

  // Serves Search from an in-memory index from now on, loaded on a background thread (its
  // own connection); searches go to the store until it is loaded. Call once.
  Status EnableMemoryIndex();
  struct MemoryIndexInfo {
    bool enabled = false;
    bool ready = false;  // loaded, and current at the last check
    size_t articles = 0;
    double load_seconds = 0;     // the last full load: read, tokenize, index
    int64_t loads = 0;           // full loads done (start, lexicon changes, long absences)
    int64_t catch_ups = 0;       // incremental catch-ups applied
    int64_t position_reads = 0;  // change positions read (someone had committed to the file)
    int64_t index_searches = 0;
    int64_t store_searches = 0;
  };
  MemoryIndexInfo memory_index_info() const;
  // Test hook: called on the loader thread before each full load reads the store.
  void SetLoadHook(std::function<void()> hook) { load_hook_ = std::move(hook); }

  // A ports::KbStore forwarding to `kb`, for a module that owns a unique_ptr to its store.
  static std::unique_ptr<ports::KbStore> Proxy(std::shared_ptr<SharedKb> kb);

 private:
  SharedKb() = default;
  // One connection and the tokenizer it uses (kept alive here; the store holds a pointer).
  struct Connection {
    std::unique_ptr<SqliteKbStore> store;
    std::shared_ptr<const text::Tokenizer> tokenizer;
    int64_t revision = -1;
  };
  // Under the connection's mutex: switches it to the current lexicon if another process
  // changed it.
  Status Refresh(Connection& c);
  // The tokenizer of `revision`, built from `entries` unless it is the current one.
  Result<std::shared_ptr<const text::Tokenizer>> TokenizerOf(
      int64_t revision, std::vector<text::LexiconEntry> entries);
  // Under lexicon_mu_: builds the tokenizer of the stored entries plus `add` minus `remove`,
  // computes the index aside and commits the change.
  Result<std::vector<int64_t>> Change(const std::vector<text::LexiconEntry>& add,
                                      const std::vector<int64_t>& remove, std::string_view actor,
                                      int64_t now);

  // The in-memory index: whether it answers for the store as it is now, catching up with
  // the articles written since it was loaded (false: being loaded or rebuilt, or an error).
  Result<bool> SyncMemory();
  // Asks the loader for a full load covering `position`.
  void RequestLoad(const SqliteKbStore::ChangePosition& position);
  void RunLoader(SqliteKbStore& store);

  // Lock order: lexicon_mu_, write_mu_, read_mu_, sync_mu_, memory_mu_, loader_mu_, tok_mu_.
  std::mutex lexicon_mu_;  // one lexicon change at a time, held through the rebuild
  std::mutex write_mu_;    // writer_
  std::mutex read_mu_;     // reader_; taken by a lexicon change only for its commit
  mutable std::mutex tok_mu_;
  Connection writer_;
  Connection reader_;
  int64_t revision_ = -1;  // tok_mu_: the newest lexicon known and its tokenizer
  std::shared_ptr<const text::Tokenizer> tokenizer_;
  std::vector<std::pair<int64_t, std::function<void(std::shared_ptr<const text::Tokenizer>)>>>
      listeners_;  // tok_mu_
  int64_t next_listener_ = 1;
  std::function<void()> rebuild_hook_;

  std::string path_;
  std::atomic<bool> memory_enabled_{false};
  std::mutex sync_mu_;                   // sync_, catch-ups, installing a loaded index
  std::unique_ptr<SqliteKbStore> sync_;  // reads the change position for every search
  // sync_mu_: sync_'s data_version when memory_ was last found current (-1: not known), read
  // before that check; while it stays the same nobody has committed and the index is current.
  int64_t current_version_ = -1;
  mutable std::shared_mutex memory_mu_;  // memory_ and its position
  std::unique_ptr<KbMemoryIndex> memory_;
  SqliteKbStore::ChangePosition memory_position_;
  mutable std::mutex loader_mu_;  // the loader's state below
  std::condition_variable loader_cv_;
  bool load_wanted_ = false;
  bool load_reading_ = false;                   // a load is reading its snapshot now
  SqliteKbStore::ChangePosition load_covered_;  // the snapshot of the last load
  std::atomic<bool> stopping_{false};
  std::thread loader_;
  std::function<void()> load_hook_;
  double load_seconds_ = 0;  // loader_mu_
  std::atomic<int64_t> loads_{0}, catch_ups_{0}, index_searches_{0}, store_searches_{0},
      position_reads_{0};
};

}  // namespace hotline::adapters::sqlite

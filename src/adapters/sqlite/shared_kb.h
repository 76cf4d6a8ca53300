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
// Thread-safe: every method may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

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

  // Lock order: lexicon_mu_, write_mu_, read_mu_, tok_mu_.
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
};

}  // namespace hotline::adapters::sqlite

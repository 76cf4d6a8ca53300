// SharedKb: the knowledge base of a running process. One SqliteKbStore behind one mutex, so
// that several API modules and I/O threads can use it, and the tokenizer it indexes and
// searches with, owned here: built from the built-in lexicon plus the one admins edit in the
// store. A lexicon change rebuilds the tokenizer and re-indexes every article in the
// transaction of the change; a change made by another process (the CLI) is noticed by the
// revision it bumps, at the next call, and the tokenizer rebuilt.
//
// Thread-safe: every method may be called from any thread.
#pragma once

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

  // ports::KbStore, each call under the mutex.
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

  // A ports::KbStore forwarding to `kb`, for a module that owns a unique_ptr to its store.
  static std::unique_ptr<ports::KbStore> Proxy(std::shared_ptr<SharedKb> kb);

 private:
  SharedKb() = default;
  // Under mu_: rebuilds the tokenizer if another process changed the lexicon.
  Status Refresh();
  // Under mu_: builds the tokenizer of the stored entries plus `add` minus `remove` and
  // commits the change with a re-index.
  Result<std::vector<int64_t>> Change(const std::vector<text::LexiconEntry>& add,
                                      const std::vector<int64_t>& remove, std::string_view actor,
                                      int64_t now);

  mutable std::mutex mu_;
  int64_t revision_ = 0;
  std::shared_ptr<const text::Tokenizer> tokenizer_;
  std::unique_ptr<SqliteKbStore> store_;
};

}  // namespace hotline::adapters::sqlite

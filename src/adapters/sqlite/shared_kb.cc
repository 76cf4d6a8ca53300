#include "adapters/sqlite/shared_kb.h"

#include <fmt/format.h>

#include <algorithm>

namespace hotline::adapters::sqlite {

namespace {

using domain::kb::Article;

class ProxyKb final : public ports::KbStore {
 public:
  explicit ProxyKb(std::shared_ptr<SharedKb> kb) : kb_(std::move(kb)) {}
  Result<ports::KbSaveSummary> Save(const std::vector<Article>& articles, std::string_view actor,
                                    int64_t now) override {
    return kb_->Save(articles, actor, now);
  }
  Result<Article> SaveVersion(const Article& article, int64_t expected_version,
                              std::string_view actor, int64_t now) override {
    return kb_->SaveVersion(article, expected_version, actor, now);
  }
  Result<Article> Find(std::string_view id) override { return kb_->Find(id); }
  Result<std::vector<Article>> History(std::string_view id) override { return kb_->History(id); }
  Result<std::vector<Article>> List(const ports::KbFilter& filter) override {
    return kb_->List(filter);
  }
  Result<std::vector<Article>> DueForReview(std::string_view today,
                                            std::string_view department) override {
    return kb_->DueForReview(today, department);
  }
  Result<std::vector<ports::KbSearchHit>> Search(const ports::KbSearchQuery& query) override {
    return kb_->Search(query);
  }

 private:
  std::shared_ptr<SharedKb> kb_;
};

}  // namespace

Result<std::shared_ptr<SharedKb>> SharedKb::Open(const std::string& path, bool create) {
  std::shared_ptr<SharedKb> kb(new SharedKb());
  // The writer opens first: it creates the file and applies the migrations.
  HOTLINE_ASSIGN_OR_RETURN(kb->writer_.store, SqliteKbStore::OpenWithoutTokenizer(path, create));
  if (path == ":memory:") {
    // A private in-memory database cannot be shared by two connections.
    return InvalidArgument("知识库需要数据库文件（不支持 :memory:）");
  }
  HOTLINE_ASSIGN_OR_RETURN(kb->reader_.store, SqliteKbStore::OpenWithoutTokenizer(path, false));
  {
    std::lock_guard lock(kb->write_mu_);
    HOTLINE_RETURN_IF_ERROR(kb->Refresh(kb->writer_));
  }
  std::lock_guard lock(kb->read_mu_);
  HOTLINE_RETURN_IF_ERROR(kb->Refresh(kb->reader_));
  return kb;
}

Result<std::shared_ptr<const text::Tokenizer>> SharedKb::TokenizerOf(
    int64_t revision, std::vector<text::LexiconEntry> entries) {
  std::lock_guard lock(tok_mu_);
  if (revision == revision_ && tokenizer_ != nullptr) {
    return tokenizer_;
  }
  const text::Lexicon lexicon = text::BuildLexicon(&entries);
  HOTLINE_ASSIGN_OR_RETURN(std::shared_ptr<const text::Tokenizer> tokenizer,
                           text::Tokenizer::Create(lexicon));
  if (revision > revision_) {
    revision_ = revision;
    tokenizer_ = tokenizer;
  }
  return tokenizer;
}

Status SharedKb::Refresh(Connection& c) {
  HOTLINE_ASSIGN_OR_RETURN(const int64_t revision, c.store->LexiconRevision());
  if (revision == c.revision && c.tokenizer != nullptr) {
    return OkStatus();
  }
  HOTLINE_ASSIGN_OR_RETURN(auto stored, c.store->LexiconEntries());
  HOTLINE_ASSIGN_OR_RETURN(auto tokenizer, TokenizerOf(revision, std::move(stored)));
  c.store->UseTokenizer(*tokenizer);
  c.tokenizer = std::move(tokenizer);  // the old one lives on while anyone holds it
  c.revision = revision;
  return OkStatus();
}

Result<std::vector<int64_t>> SharedKb::Change(const std::vector<text::LexiconEntry>& add,
                                              const std::vector<int64_t>& remove,
                                              std::string_view actor, int64_t now) {
  // 1. What the lexicon is now, and the articles to index (a short read).
  int64_t revision = 0;
  std::vector<text::LexiconEntry> stored;
  std::vector<SqliteKbStore::IndexedArticle> articles;
  {
    std::lock_guard lock(write_mu_);
    HOTLINE_RETURN_IF_ERROR(Refresh(writer_));
    revision = writer_.revision;
    HOTLINE_ASSIGN_OR_RETURN(stored, writer_.store->LexiconEntries());
    HOTLINE_ASSIGN_OR_RETURN(articles, writer_.store->ArticlesForIndex());
  }
  // 2. The new tokenizer and index rows, aside: searches and saves go on meanwhile.
  std::vector<text::LexiconEntry> next;
  for (auto& entry : stored) {
    if (std::find(remove.begin(), remove.end(), entry.id) == remove.end()) {
      next.push_back(std::move(entry));
    }
  }
  next.insert(next.end(), add.begin(), add.end());
  const text::Lexicon lexicon = text::BuildLexicon(&next);
  HOTLINE_ASSIGN_OR_RETURN(std::shared_ptr<const text::Tokenizer> tokenizer,
                           text::Tokenizer::Create(lexicon));
  const auto rows = SqliteKbStore::IndexRows(articles, *tokenizer);
  articles.clear();
  if (rebuild_hook_) {
    rebuild_hook_();
  }
  // 3. One write transaction replaces the index (re-indexing what was saved meanwhile); the
  // readers switch tokenizer at its commit, which they wait for only that long.
  std::vector<int64_t> ids;
  int64_t committed_revision = 0;
  {
    std::lock_guard lock(write_mu_);
    HOTLINE_ASSIGN_OR_RETURN(ids, writer_.store->StageLexiconChange(add, remove, actor, now,
                                                                    *tokenizer, rows, revision));
    {
      std::lock_guard read_lock(read_mu_);
      HOTLINE_RETURN_IF_ERROR(writer_.store->CommitStaged(*tokenizer));
      committed_revision = revision + 1;
      reader_.store->UseTokenizer(*tokenizer);
      reader_.tokenizer = tokenizer;
      reader_.revision = committed_revision;
    }
    writer_.tokenizer = tokenizer;
    writer_.revision = committed_revision;
  }
  std::vector<std::function<void(std::shared_ptr<const text::Tokenizer>)>> listeners;
  {
    std::lock_guard lock(tok_mu_);
    if (committed_revision > revision_) {
      revision_ = committed_revision;
      tokenizer_ = tokenizer;
    }
    for (const auto& [id, listener] : listeners_) {
      listeners.push_back(listener);
    }
  }
  for (const auto& listener : listeners) {
    listener(tokenizer);
  }
  return ids;
}

int64_t SharedKb::OnLexiconChange(
    std::function<void(std::shared_ptr<const text::Tokenizer>)> listener) {
  std::lock_guard lock(tok_mu_);
  const int64_t id = next_listener_++;
  listeners_.emplace_back(id, std::move(listener));
  return id;
}

void SharedKb::Unsubscribe(int64_t id) {
  std::lock_guard lock(tok_mu_);
  std::erase_if(listeners_, [id](const auto& l) { return l.first == id; });
}

Result<SharedKb::LexiconView> SharedKb::Lexicon() {
  std::lock_guard lock(read_mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh(reader_));
  LexiconView view;
  view.builtin = text::BuiltinLexiconEntries();
  HOTLINE_ASSIGN_OR_RETURN(view.stored, reader_.store->LexiconEntries());
  (void)text::BuildLexicon(&view.stored);  // marks the entries not in effect
  view.revision = reader_.revision;
  return view;
}

namespace {

// Built-in entries and the stored ones in effect: what a new line must not repeat.
std::vector<text::LexiconEntry> Existing(std::vector<text::LexiconEntry> stored) {
  (void)text::BuildLexicon(&stored);
  std::vector<text::LexiconEntry> all = text::BuiltinLexiconEntries();
  all.insert(all.end(), stored.begin(), stored.end());
  return all;
}

void Stamp(std::vector<text::LexiconEntry>* entries, const std::vector<int64_t>& ids,
           std::string_view actor, int64_t now) {
  for (size_t i = 0; i < entries->size() && i < ids.size(); ++i) {
    (*entries)[i].id = ids[i];
    (*entries)[i].created_at = now;
    (*entries)[i].created_by = std::string(actor);
  }
}

}  // namespace

Result<std::vector<text::LexiconEntry>> SharedKb::AddWords(std::string_view lines,
                                                           std::string_view actor, int64_t now) {
  std::lock_guard lock(lexicon_mu_);
  HOTLINE_ASSIGN_OR_RETURN(auto view, Lexicon());
  HOTLINE_ASSIGN_OR_RETURN(auto entries, text::ParseLexiconWords(lines, Existing(view.stored)));
  HOTLINE_ASSIGN_OR_RETURN(const auto ids, Change(entries, {}, actor, now));
  Stamp(&entries, ids, actor, now);
  return entries;
}

Result<std::vector<text::LexiconEntry>> SharedKb::AddSynonyms(std::string_view lines,
                                                              std::string_view actor, int64_t now) {
  std::lock_guard lock(lexicon_mu_);
  HOTLINE_ASSIGN_OR_RETURN(auto view, Lexicon());
  HOTLINE_ASSIGN_OR_RETURN(auto entries, text::ParseLexiconSynonyms(lines, Existing(view.stored)));
  HOTLINE_ASSIGN_OR_RETURN(const auto ids, Change(entries, {}, actor, now));
  Stamp(&entries, ids, actor, now);
  return entries;
}

Result<text::LexiconEntry> SharedKb::RemoveLexiconEntry(int64_t id, std::string_view actor,
                                                        int64_t now) {
  std::lock_guard lock(lexicon_mu_);
  HOTLINE_ASSIGN_OR_RETURN(auto view, Lexicon());
  const auto found = std::find_if(view.stored.begin(), view.stored.end(),
                                  [id](const text::LexiconEntry& e) { return e.id == id; });
  if (found == view.stored.end()) {
    return NotFound(fmt::format("词库中没有编号为 {} 的词条（内置词条不能删除）", id));
  }
  auto changed = Change({}, {id}, actor, now);
  if (!changed.has_value()) {
    return changed.error();
  }
  return *found;
}

SharedKb::~SharedKb() = default;

Result<ports::KbSaveSummary> SharedKb::Save(const std::vector<Article>& articles,
                                            std::string_view actor, int64_t now) {
  std::lock_guard lock(write_mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh(writer_));
  return writer_.store->Save(articles, actor, now);
}

Result<Article> SharedKb::SaveVersion(const Article& article, int64_t expected_version,
                                      std::string_view actor, int64_t now) {
  std::lock_guard lock(write_mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh(writer_));
  return writer_.store->SaveVersion(article, expected_version, actor, now);
}

Result<Article> SharedKb::Find(std::string_view id) {
  std::lock_guard lock(read_mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh(reader_));
  return reader_.store->Find(id);
}

Result<std::vector<Article>> SharedKb::History(std::string_view id) {
  std::lock_guard lock(read_mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh(reader_));
  return reader_.store->History(id);
}

Result<std::vector<Article>> SharedKb::List(const ports::KbFilter& filter) {
  std::lock_guard lock(read_mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh(reader_));
  return reader_.store->List(filter);
}

Result<std::vector<Article>> SharedKb::DueForReview(std::string_view today,
                                                    std::string_view department) {
  std::lock_guard lock(read_mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh(reader_));
  return reader_.store->DueForReview(today, department);
}

Result<std::vector<ports::KbSearchHit>> SharedKb::Search(const ports::KbSearchQuery& query) {
  std::lock_guard lock(read_mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh(reader_));
  return reader_.store->Search(query);
}

std::shared_ptr<const text::Tokenizer> SharedKb::tokenizer() const {
  std::lock_guard lock(tok_mu_);
  return tokenizer_;
}

std::unique_ptr<ports::KbStore> SharedKb::Proxy(std::shared_ptr<SharedKb> kb) {
  return std::make_unique<ProxyKb>(std::move(kb));
}

}  // namespace hotline::adapters::sqlite

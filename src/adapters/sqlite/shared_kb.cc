#include "adapters/sqlite/shared_kb.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace hotline::adapters::sqlite {

namespace {

using domain::kb::Article;

// A catch-up applies at most this many changed articles while searches wait; beyond that
// (a large import by another process) the index is reloaded aside and searches go to the
// store meanwhile.
constexpr size_t kMaxCatchUp = 2000;

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
  kb->path_ = path;
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
  if (memory_enabled_) {
    RequestLoad({-1, committed_revision});  // rebuilt aside; the store answers meanwhile
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

SharedKb::~SharedKb() {
  {
    std::lock_guard lock(loader_mu_);
    stopping_ = true;
  }
  loader_cv_.notify_all();
  if (loader_.joinable()) {
    loader_.join();
  }
}

Status SharedKb::EnableMemoryIndex() {
  if (memory_enabled_.exchange(true)) {
    return FailedPrecondition("知识库内存检索索引已启用");
  }
  {
    std::lock_guard lock(sync_mu_);
    auto sync = SqliteKbStore::OpenWithoutTokenizer(path_, false);
    if (!sync.has_value()) {
      memory_enabled_ = false;
      return sync.error();
    }
    sync_ = std::move(*sync);
  }
  auto load = SqliteKbStore::OpenWithoutTokenizer(path_, false);
  if (!load.has_value()) {
    memory_enabled_ = false;
    return load.error();
  }
  {
    std::lock_guard lock(loader_mu_);
    load_wanted_ = true;
    load_covered_ = {-1, -1};
  }
  loader_ = std::thread(
      [this, store = std::shared_ptr<SqliteKbStore>(std::move(*load))] { RunLoader(*store); });
  return OkStatus();
}

void SharedKb::RequestLoad(const SqliteKbStore::ChangePosition& position) {
  {
    std::lock_guard lock(loader_mu_);
    if (load_wanted_ || load_reading_ ||
        (position.lexicon_revision <= load_covered_.lexicon_revision &&
         position.seq <= load_covered_.seq)) {
      return;  // a load that will see this position is wanted or under way, or done
    }
    load_wanted_ = true;
  }
  loader_cv_.notify_all();
}

void SharedKb::RunLoader(SqliteKbStore& store) {
  while (true) {
    {
      std::unique_lock lock(loader_mu_);
      loader_cv_.wait(lock, [&] { return load_wanted_ || stopping_; });
      if (stopping_) {
        return;
      }
      load_wanted_ = false;
      load_reading_ = true;
    }
    if (load_hook_) {
      load_hook_();
    }
    const auto start = std::chrono::steady_clock::now();
    auto snapshot = store.ReadSnapshot();
    {
      std::lock_guard lock(loader_mu_);
      load_reading_ = false;
      if (snapshot.has_value()) {
        load_covered_ = snapshot->position;
      }
    }
    auto built = [&]() -> Result<std::unique_ptr<KbMemoryIndex>> {
      if (!snapshot.has_value()) {
        return snapshot.error();
      }
      HOTLINE_ASSIGN_OR_RETURN(auto tokenizer, TokenizerOf(snapshot->position.lexicon_revision,
                                                           std::move(snapshot->lexicon)));
      auto index = std::make_unique<KbMemoryIndex>(std::move(tokenizer),
                                                   SqliteKbStore::DefaultRankingOptions());
      for (auto& [doc, article] : snapshot->articles) {
        if (stopping_) {
          return Aborted("stopping");
        }
        HOTLINE_RETURN_IF_ERROR(index->Put(doc, std::move(article)));
      }
      snapshot->articles.clear();
      index->Refresh();
      return index;
    }();
    if (!built.has_value()) {
      if (!stopping_) {
        std::fprintf(stderr, "hotline: 知识库内存检索索引载入失败，检索改用数据库: %s\n",
                     built.error().message.c_str());
      }
      continue;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    {
      std::lock_guard sync_lock(sync_mu_);
      std::unique_lock lock(memory_mu_);
      memory_ = std::move(*built);
      memory_position_ = snapshot->position;
      current_version_ = -1;  // the next search checks the position
    }
    {
      std::lock_guard lock(loader_mu_);
      load_seconds_ = seconds;
    }
    ++loads_;
  }
}

Result<bool> SharedKb::SyncMemory() {
  std::lock_guard sync_lock(sync_mu_);
  // Nothing committed to the file by anyone since the index was last found current (sync_
  // only reads, so every commit of the file changes its data_version): current still.
  HOTLINE_ASSIGN_OR_RETURN(const int64_t version, sync_->DataVersion());
  if (version == current_version_) {
    return true;
  }
  current_version_ = -1;
  ++position_reads_;
  HOTLINE_ASSIGN_OR_RETURN(const auto position, sync_->Position());
  SqliteKbStore::ChangePosition at;
  {
    std::shared_lock lock(memory_mu_);
    if (memory_ == nullptr) {
      return false;  // still loading
    }
    at = memory_position_;
  }
  if (position.lexicon_revision != at.lexicon_revision) {
    RequestLoad(position);  // built with another lexicon: rebuilt aside
    return false;
  }
  if (position.seq == at.seq) {
    // Read before the position: a commit after it changes the version again.
    current_version_ = version;
    return true;
  }
  HOTLINE_ASSIGN_OR_RETURN(auto changes, sync_->ReadChangesAfter(at.seq, kMaxCatchUp));
  if (!changes.complete || changes.position.lexicon_revision != at.lexicon_revision) {
    RequestLoad(changes.position);
    return false;
  }
  std::unique_lock lock(memory_mu_);
  for (const int64_t doc : changes.removed) {
    memory_->Remove(doc);
  }
  for (auto& [doc, article] : changes.upserted) {
    HOTLINE_RETURN_IF_ERROR(memory_->Put(doc, std::move(article)));
  }
  memory_->Refresh();
  memory_position_ = changes.position;
  ++catch_ups_;
  // Current as of the changes' snapshot, read after `version`: a commit since then changes
  // the version again.
  current_version_ = version;
  return true;
}

SharedKb::MemoryIndexInfo SharedKb::memory_index_info() const {
  MemoryIndexInfo info;
  info.enabled = memory_enabled_;
  {
    std::shared_lock lock(memory_mu_);
    info.ready = memory_ != nullptr;
    info.articles = memory_ != nullptr ? memory_->size() : 0;
  }
  {
    std::lock_guard lock(loader_mu_);
    info.load_seconds = load_seconds_;
  }
  info.loads = loads_;
  info.catch_ups = catch_ups_;
  info.position_reads = position_reads_;
  info.index_searches = index_searches_;
  info.store_searches = store_searches_;
  return info;
}

Result<ports::KbSaveSummary> SharedKb::Save(const std::vector<Article>& articles,
                                            std::string_view actor, int64_t now) {
  auto saved = [&]() -> Result<ports::KbSaveSummary> {
    std::lock_guard lock(write_mu_);
    HOTLINE_RETURN_IF_ERROR(Refresh(writer_));
    return writer_.store->Save(articles, actor, now);
  }();
  if (saved.has_value() && memory_enabled_) {
    (void)SyncMemory();  // the next search finds the index current
  }
  return saved;
}

Result<Article> SharedKb::SaveVersion(const Article& article, int64_t expected_version,
                                      std::string_view actor, int64_t now) {
  auto saved = [&]() -> Result<Article> {
    std::lock_guard lock(write_mu_);
    HOTLINE_RETURN_IF_ERROR(Refresh(writer_));
    return writer_.store->SaveVersion(article, expected_version, actor, now);
  }();
  if (saved.has_value() && memory_enabled_) {
    (void)SyncMemory();
  }
  return saved;
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
  if (memory_enabled_) {
    // A failed check (an SQL error) falls back to the store, which reports it if it persists.
    if (const auto current = SyncMemory(); current.has_value() && *current) {
      std::shared_lock lock(memory_mu_);
      if (memory_ != nullptr) {
        ++index_searches_;
        return memory_->Search(query, {{query.text, 1.0}});
      }
    }
  }
  ++store_searches_;
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

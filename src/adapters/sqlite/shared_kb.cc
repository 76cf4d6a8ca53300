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
  HOTLINE_ASSIGN_OR_RETURN(kb->store_, SqliteKbStore::OpenWithoutTokenizer(path, create));
  std::lock_guard lock(kb->mu_);
  kb->revision_ = -1;
  HOTLINE_RETURN_IF_ERROR(kb->Refresh());
  return kb;
}

Status SharedKb::Refresh() {
  HOTLINE_ASSIGN_OR_RETURN(const int64_t revision, store_->LexiconRevision());
  if (revision == revision_ && tokenizer_ != nullptr) {
    return OkStatus();
  }
  HOTLINE_ASSIGN_OR_RETURN(auto stored, store_->LexiconEntries());
  const text::Lexicon lexicon = text::BuildLexicon(&stored);
  HOTLINE_ASSIGN_OR_RETURN(std::shared_ptr<const text::Tokenizer> tokenizer,
                           text::Tokenizer::Create(lexicon));
  tokenizer_ = std::move(tokenizer);
  store_->UseTokenizer(*tokenizer_);
  revision_ = revision;
  return OkStatus();
}

Result<std::vector<int64_t>> SharedKb::Change(const std::vector<text::LexiconEntry>& add,
                                              const std::vector<int64_t>& remove,
                                              std::string_view actor, int64_t now) {
  HOTLINE_ASSIGN_OR_RETURN(auto stored, store_->LexiconEntries());
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
  HOTLINE_ASSIGN_OR_RETURN(auto ids, store_->ChangeLexicon(add, remove, actor, now, *tokenizer));
  // The store uses the new tokenizer now; the old one lives on while anyone holds it.
  tokenizer_ = std::move(tokenizer);
  HOTLINE_ASSIGN_OR_RETURN(revision_, store_->LexiconRevision());
  return ids;
}

Result<SharedKb::LexiconView> SharedKb::Lexicon() {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh());
  LexiconView view;
  view.builtin = text::BuiltinLexiconEntries();
  HOTLINE_ASSIGN_OR_RETURN(view.stored, store_->LexiconEntries());
  (void)text::BuildLexicon(&view.stored);  // marks the entries not in effect
  view.revision = revision_;
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

}  // namespace

Result<std::vector<text::LexiconEntry>> SharedKb::AddWords(std::string_view lines,
                                                           std::string_view actor, int64_t now) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh());
  HOTLINE_ASSIGN_OR_RETURN(auto stored, store_->LexiconEntries());
  HOTLINE_ASSIGN_OR_RETURN(auto entries, text::ParseLexiconWords(lines, Existing(stored)));
  HOTLINE_ASSIGN_OR_RETURN(const auto ids, Change(entries, {}, actor, now));
  for (size_t i = 0; i < entries.size() && i < ids.size(); ++i) {
    entries[i].id = ids[i];
    entries[i].created_at = now;
    entries[i].created_by = std::string(actor);
  }
  return entries;
}

Result<std::vector<text::LexiconEntry>> SharedKb::AddSynonyms(std::string_view lines,
                                                              std::string_view actor, int64_t now) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh());
  HOTLINE_ASSIGN_OR_RETURN(auto stored, store_->LexiconEntries());
  HOTLINE_ASSIGN_OR_RETURN(auto entries, text::ParseLexiconSynonyms(lines, Existing(stored)));
  HOTLINE_ASSIGN_OR_RETURN(const auto ids, Change(entries, {}, actor, now));
  for (size_t i = 0; i < entries.size() && i < ids.size(); ++i) {
    entries[i].id = ids[i];
    entries[i].created_at = now;
    entries[i].created_by = std::string(actor);
  }
  return entries;
}

Result<text::LexiconEntry> SharedKb::RemoveLexiconEntry(int64_t id, std::string_view actor,
                                                        int64_t now) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh());
  HOTLINE_ASSIGN_OR_RETURN(auto stored, store_->LexiconEntries());
  const auto found = std::find_if(stored.begin(), stored.end(),
                                  [id](const text::LexiconEntry& e) { return e.id == id; });
  if (found == stored.end()) {
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
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh());
  return store_->Save(articles, actor, now);
}

Result<Article> SharedKb::SaveVersion(const Article& article, int64_t expected_version,
                                      std::string_view actor, int64_t now) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh());
  return store_->SaveVersion(article, expected_version, actor, now);
}

Result<Article> SharedKb::Find(std::string_view id) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh());
  return store_->Find(id);
}

Result<std::vector<Article>> SharedKb::History(std::string_view id) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh());
  return store_->History(id);
}

Result<std::vector<Article>> SharedKb::List(const ports::KbFilter& filter) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh());
  return store_->List(filter);
}

Result<std::vector<Article>> SharedKb::DueForReview(std::string_view today,
                                                    std::string_view department) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh());
  return store_->DueForReview(today, department);
}

Result<std::vector<ports::KbSearchHit>> SharedKb::Search(const ports::KbSearchQuery& query) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Refresh());
  return store_->Search(query);
}

std::shared_ptr<const text::Tokenizer> SharedKb::tokenizer() const {
  std::lock_guard lock(mu_);
  return tokenizer_;
}

std::unique_ptr<ports::KbStore> SharedKb::Proxy(std::shared_ptr<SharedKb> kb) {
  return std::make_unique<ProxyKb>(std::move(kb));
}

}  // namespace hotline::adapters::sqlite

#include "adapters/sqlite/kb_memory_index.h"

#include <utility>

#include "adapters/sqlite/kb_store.h"

namespace hotline::adapters::sqlite {

namespace {

constexpr const char* kCategory = "category";
constexpr const char* kDepartment = "department";
constexpr const char* kRegion = "region";
constexpr const char* kStatus = "status";

}  // namespace

KbMemoryIndex::KbMemoryIndex(std::shared_ptr<const text::Tokenizer> tokenizer,
                             text::IndexOptions ranking)
    : tokenizer_(std::move(tokenizer)), index_(*tokenizer_, std::move(ranking)) {}

Status KbMemoryIndex::Put(int64_t doc, domain::kb::Article article) {
  Remove(doc);
  // The same article id under another doc (deleted and saved again): the newer doc wins.
  if (const auto other = doc_of_id_.find(article.id); other != doc_of_id_.end()) {
    Remove(other->second);
  }
  text::IndexDocument document;
  document.id = article.id;
  document.fields = SqliteKbStore::RankedFields(article);
  document.facets = {{kCategory, article.category},
                     {kDepartment, article.department},
                     {kRegion, article.region},
                     {kStatus, std::string(domain::kb::StatusName(article.status))}};
  HOTLINE_RETURN_IF_ERROR(index_.Upsert(std::move(document)));
  doc_of_id_[article.id] = doc;
  std::string id = article.id;
  by_doc_[doc] = {std::move(id), std::make_shared<const domain::kb::Article>(std::move(article))};
  return OkStatus();
}

void KbMemoryIndex::Remove(int64_t doc) {
  const auto found = by_doc_.find(doc);
  if (found == by_doc_.end()) {
    return;
  }
  index_.Remove(found->second.id);
  doc_of_id_.erase(found->second.id);
  by_doc_.erase(found);
}

std::vector<ports::KbSearchHit> KbMemoryIndex::Search(
    const ports::KbSearchQuery& query, const std::vector<text::QueryPart>& parts) const {
  std::vector<ports::KbSearchHit> hits;
  const std::vector<std::string> terms = SqliteKbStore::HighlightTerms(*tokenizer_, parts);
  if (terms.empty() || query.limit == 0) {
    return hits;
  }
  text::SearchQuery search;
  search.parts = parts;
  search.limit = query.limit;
  // An empty filter value is no filter, as in the store's SQL ("?3 = '' OR category = ?3").
  const auto filter = [&](const char* facet, const std::string& value) {
    if (!value.empty()) {
      search.filters.emplace(facet, value);
    }
  };
  filter(kCategory, query.filter.category);
  filter(kDepartment, query.filter.department);
  filter(kRegion, query.filter.region);
  if (query.filter.published_only) {
    search.filters.emplace(kStatus, domain::kb::StatusName(domain::kb::ArticleStatus::kPublished));
  }
  const auto found = index_.Search(search);
  hits.reserve(found.size());
  for (const auto& hit : found) {
    const auto doc = doc_of_id_.find(hit.id);
    if (doc == doc_of_id_.end()) {
      continue;
    }
    ports::KbSearchHit out;
    out.article = *by_doc_.at(doc->second).article;
    out.score = hit.score;
    out.snippet = SqliteKbStore::HitSnippet(index_, out.article, terms);
    hits.push_back(std::move(out));
  }
  return hits;
}

}  // namespace hotline::adapters::sqlite

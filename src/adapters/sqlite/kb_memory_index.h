// KbMemoryIndex: the knowledge base's search index held in memory, for a server that searches
// far more often than it writes (SharedKb::EnableMemoryIndex). It ranks the articles exactly as
// SqliteKbStore::Search does over the same articles: the same fields and ranking options, the
// same shared ranking code (adapters/text/ranking.h), exact field-length averages after every
// batch of changes (Refresh), the same filters (category, department, region, published only),
// highlight terms and snippets. Articles are keyed by the store's doc (rowid); loaded in doc
// order, the insertion order that breaks score ties is the store's rowid order.
//
// Thread-compatible: concurrent Search calls are safe; Put/Remove/Refresh need exclusive access.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "adapters/text/inverted_index.h"
#include "adapters/text/ranking.h"
#include "adapters/text/tokenizer.h"
#include "common/result.h"
#include "domain/kb/article.h"
#include "ports/kb_store.h"

namespace hotline::adapters::sqlite {

class KbMemoryIndex {
 public:
  KbMemoryIndex(std::shared_ptr<const text::Tokenizer> tokenizer, text::IndexOptions ranking);
  KbMemoryIndex(const KbMemoryIndex&) = delete;
  KbMemoryIndex& operator=(const KbMemoryIndex&) = delete;

  // Inserts or replaces the article stored as `doc`. Call Refresh after a batch.
  Status Put(int64_t doc, domain::kb::Article article);
  // Removes the article stored as `doc` (nothing if there is none).
  void Remove(int64_t doc);
  // Normalises field lengths against the exact averages (as the store does); after a batch.
  void Refresh() { index_.RefreshStatistics(); }

  // SqliteKbStore::Search's results for the same articles.
  std::vector<ports::KbSearchHit> Search(const ports::KbSearchQuery& query,
                                         const std::vector<text::QueryPart>& parts) const;

  size_t size() const { return by_doc_.size(); }
  text::IndexStats Stats() const { return index_.Stats(); }
  const text::Tokenizer& tokenizer() const { return *tokenizer_; }

 private:
  struct Entry {
    std::string id;  // the article's id, its id in index_
    std::shared_ptr<const domain::kb::Article> article;
  };
  std::shared_ptr<const text::Tokenizer> tokenizer_;
  text::InvertedIndex index_;
  std::unordered_map<int64_t, Entry> by_doc_;
  std::unordered_map<std::string, int64_t> doc_of_id_;
};

}  // namespace hotline::adapters::sqlite

// InvertedIndex: an in-memory full-text index over documents with several text fields,
// ranked with BM25F (per-field weights and length normalisation), with facet filters
// (category, department, region...), a time range, and highlighted snippets. Documents can
// be inserted, replaced and removed at any time; the statistics stay exact.
//
// It analyses text only through Tokenizer, so a store-backed index (SQLite FTS5,
// PostgreSQL) that calls the same Tokenizer::Terms() finds the same terms.
//
// Thread-compatible: concurrent const calls (Search, Find, Snippet, Stats) are safe; a
// writer (Upsert, Remove, Compact) needs exclusive access.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/text/ranking.h"
#include "adapters/text/tokenizer.h"
#include "common/result.h"

namespace hotline::adapters::text {

struct IndexDocument {
  std::string id;
  std::vector<std::string> fields;            // in IndexOptions::fields order; may be shorter
  std::map<std::string, std::string> facets;  // filterable attributes, e.g. {"region", "A3区"}
  int64_t time = 0;                           // seconds since the epoch, 0 if unknown
};

struct SearchQuery {
  std::vector<QueryPart> parts;
  std::map<std::string, std::string> filters;  // every facet must equal its value
  std::optional<int64_t> time_from;            // inclusive bounds on IndexDocument::time
  std::optional<int64_t> time_to;
  size_t limit = 10;
  std::vector<std::string> exclude_ids;  // e.g. the ticket being registered itself
  bool with_snippets = false;
};

struct SearchHit {
  std::string id;
  double score = 0;
  std::string snippet;  // with_snippets only: best passage, matches wrapped in <em></em>
};

// A document as the index counted it: the length of each field in tokens and, per term (by
// the index's term number) and field, the term's occurrences. Upsert finds it by tokenizing;
// UpsertAnalyzed takes it as given, so a saved index is filled again without tokenizing
// (HotTopicIndex's snapshot, docs/hot_topics.md).
struct AnalyzedDocument {
  struct Occurrences {
    uint32_t term = 0;
    uint16_t field = 0;
    uint16_t tf = 0;  // as the index keeps it (at most 65,535)
  };
  std::vector<uint32_t> field_lengths;  // one per IndexOptions::fields
  std::vector<Occurrences> terms;       // (term, field) pairs unique, sorted by term then field
};

struct IndexStats {
  size_t documents = 0;
  size_t terms = 0;
  size_t postings = 0;
  size_t memory_bytes = 0;  // postings, dictionary and stored documents (estimate)
};

class InvertedIndex {
 public:
  // `tokenizer` must outlive the index.
  explicit InvertedIndex(const Tokenizer& tokenizer, IndexOptions options = {});
  ~InvertedIndex();
  InvertedIndex(const InvertedIndex&) = delete;
  InvertedIndex& operator=(const InvertedIndex&) = delete;

  // Inserts or replaces the document with this id. kInvalidArgument if the id is empty or
  // there are more fields than IndexOptions::fields.
  Status Upsert(IndexDocument document);
  // Upsert with the document's terms counted already (term numbers from InternTerm or
  // TermNames): the same index as Upsert gives when `analysis` is what this tokenizer finds
  // in the document's fields. kInvalidArgument as Upsert, or when the analysis does not fit
  // (field lengths not one per field, an unknown term number or field, unsorted terms).
  Status UpsertAnalyzed(IndexDocument document, const AnalyzedDocument& analysis);
  // The number of a term, added (held by no document yet) when new.
  uint32_t InternTerm(std::string_view term);
  // The terms by number; those no live document holds are empty strings.
  std::vector<std::string> TermNames() const;
  // Every live document with its analysis (term numbers as TermNames gives them), in
  // insertion order. Reads the posting lists a block of documents at a time: no tokenizing.
  void ForEachAnalyzed(
      const std::function<void(const IndexDocument&, const AnalyzedDocument&)>& visit) const;
  // Removes a document; false if there was none with this id.
  bool Remove(std::string_view id);
  // The stored document, or nullptr.
  const IndexDocument* Find(std::string_view id) const;
  size_t size() const { return live_documents_; }

  // The best `limit` documents for the query, best first; ties broken by insertion order.
  std::vector<SearchHit> Search(const SearchQuery& query) const;
  // Search() with the query's parts already analysed by Analyze(query.parts).
  std::vector<SearchHit> Search(const SearchQuery& query, const AnalyzedQuery& analyzed) const;

  // Inverse document frequency of a term (0 if no live document holds it).
  double TermIdf(const std::string& term) const;

  // The analysed form of the query (terms known to the index, with weights and IDF).
  AnalyzedQuery Analyze(const std::vector<QueryPart>& parts) const;
  // BM25F score of one document for an analysed query (0 if the id is unknown).
  double Score(const AnalyzedQuery& query, std::string_view id) const;
  // BM25F score of a document that need not be in the index (e.g. a query against itself,
  // to normalise scores), using the index's statistics.
  double ScoreUnindexed(const AnalyzedQuery& query, const IndexDocument& document) const;

  // The passage of `text` (about `max_chars` characters) with the most query terms, the
  // matches wrapped in `open`/`close`. Starts at the text's beginning if nothing matches.
  std::string Snippet(std::string_view text, const std::vector<std::string>& terms,
                      size_t max_chars = 80, std::string_view open = "<em>",
                      std::string_view close = "</em>") const;

  // Drops removed documents from the posting lists (also done automatically).
  void Compact();
  // Normalises every document's field lengths against the current averages now. Inserts and
  // removals refresh the norms only once an average has drifted by 2% (docs/search.md); after
  // this call the ranking equals that of any index holding the same documents (the SQLite
  // knowledge-base store), which normalises against exact averages.
  void RefreshStatistics() { RefreshNorms(/*force=*/true); }
  IndexStats Stats() const;
  const IndexOptions& options() const { return options_; }
  const Tokenizer& tokenizer() const { return tokenizer_; }

 private:
  struct Posting {
    uint32_t doc;
    uint16_t tf;
    uint16_t field;
  };
  struct Slot {
    IndexDocument document;
    std::vector<uint32_t> field_lengths;
    bool live = false;
  };
  // A scored candidate: (score, slot).
  using Scored = ScoredDoc;
  // Unique (term, field) counts of a document's fields.
  std::vector<std::pair<uint32_t, std::vector<uint32_t>>> CountTerms(
      const IndexDocument& doc, bool create_terms, std::vector<uint32_t>* lengths);
  // Adds a document whose terms are counted (Upsert, UpsertAnalyzed), after Remove.
  void Insert(IndexDocument document, std::vector<uint32_t> lengths,
              const std::vector<std::pair<uint32_t, std::vector<uint32_t>>>& counts);
  void Unindex(uint32_t slot);
  bool Matches(const Slot& slot, const SearchQuery& query) const;
  // The best `want` live documents passing the query's filters, best first. Document-at-a-
  // time with MaxScore pruning: query terms whose summed upper bounds cannot lift a
  // document above the current k-th score are only probed for documents that the other
  // terms make competitive, so long posting lists of common terms are mostly skipped.
  std::vector<Scored> TopDocs(const SearchQuery& query, const AnalyzedQuery& analyzed,
                              size_t want) const;
  // Canonical BM25F score of a live slot (ranking.h's Bm25fScore).
  double SlotScore(const AnalyzedQuery& query, uint32_t doc) const;
  // Length normalisation times field weight, against the averages in norm_average_.
  float ComputeNorm(size_t field, uint32_t length) const;
  float SlotNorm(uint32_t slot, uint16_t field) const {
    return norms_[static_cast<size_t>(slot) * options_.fields.size() + field];
  }
  // Recomputes every norm and term bound when the average field lengths have drifted by
  // more than a small share since the last recomputation (or always if `force`).
  void RefreshNorms(bool force);
  // The query with pseudo-relevance feedback terms added (see IndexOptions::prf_docs).
  AnalyzedQuery Expand(const SearchQuery& query, const AnalyzedQuery& analyzed) const;
  // The statistics the ranking stages read (ranking.h), over this index's postings.
  class Source;

  const Tokenizer& tokenizer_;
  IndexOptions options_;
  std::unordered_map<std::string, uint32_t> term_ids_;
  std::vector<std::vector<Posting>> postings_;  // by term id, sorted by doc then field
  std::vector<uint32_t> df_;                    // live documents holding the term
  std::vector<uint64_t> cf_;                    // occurrences of the term in live documents
  double total_tokens_ = 0;                     // tokens of all live documents' fields
  std::vector<Slot> slots_;
  std::unordered_map<std::string, uint32_t> slot_of_id_;
  std::vector<double> total_field_length_;  // over live documents
  size_t live_documents_ = 0;
  size_t dead_postings_ = 0;
  size_t postings_count_ = 0;
  // Precomputed BM25F norms (slot-major, one per field), computed against norm_average_;
  // kept approximately current (RefreshNorms) so that scoring needs no division.
  std::vector<float> norms_;
  std::vector<double> norm_average_;
  std::vector<uint8_t> live_;  // by slot: a flat copy of Slot::live for the scoring loop
  // By term: an upper bound of sum over fields of tf · norm in any document (MaxScore).
  std::vector<float> max_tfn_;
  // Facets in a form the scoring loop checks without touching the documents: a column per
  // facet name, holding by slot the id of the slot's value (0: no such facet), ids given per
  // facet name from 1 on.
  std::unordered_map<std::string, uint32_t> facet_columns_;
  std::vector<std::unordered_map<std::string, uint32_t>> facet_value_ids_;  // by column
  std::vector<std::vector<uint32_t>> slot_facets_;                          // by column, slot
};

}  // namespace hotline::adapters::text

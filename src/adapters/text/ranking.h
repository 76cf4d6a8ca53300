// The ranking of the knowledge-base search, in one place for every index that serves it:
// the BM25F formula, query analysis, and the stages that re-score the best first-pass hits
// (fusion with Dirichlet query likelihood, phrase and title re-ranking).
//
// The in-memory InvertedIndex and the SQLite knowledge-base store (FTS5) both rank through
// these functions; each supplies the statistics they read (document count, average field
// lengths, document and collection frequencies, a candidate's term counts and text) from
// its own structures, so both give the same order for the same documents (docs/search.md).
//
// Free functions and an interface; thread-safe for distinct arguments.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/text/tokenizer.h"

namespace hotline::adapters::text {

struct FieldSpec {
  std::string name;
  double weight = 1.0;  // BM25F field weight
  double b = 0.75;      // length normalisation, 0 (none) .. 1 (full)
};

struct IndexOptions {
  // Defaults tuned on half of the knowledge-base dev queries (docs/search.md): replies vary
  // a lot in length and padding, so full length normalisation of the body works best.
  std::vector<FieldSpec> fields = {{"title", 2.0, 0.75}, {"body", 1.0, 1.0}};
  double k1 = 2.0;
  // Query terms found in more than this share of the documents are skipped: they carry
  // almost no information and cost the most time on large indexes.
  double max_df_ratio = 0.5;
  // Longer queries keep only this many of their most informative distinct terms.
  size_t max_query_terms = 256;
  // Query-side weight of a word, place, organisation, synonym or code token relative to a
  // character bigram (whole words are stronger evidence than their pieces).
  double word_weight = 2.0;
  // Saturation of a term repeated in the query: weight w counts as w(k3+1)/(k3+w).
  double k3 = 8.0;
  // Phrase re-ranking: the best `rerank_depth` BM25F hits are re-scored by how much of each
  // query part they contain as runs of at least `phrase_chars` characters, each character
  // counted with the IDF of its bigram: score = bm25 / best_bm25 + phrase_weight * coverage.
  // Catches a reply restating the citizen's words. 0 disables it.
  size_t rerank_depth = 0;
  size_t phrase_chars = 4;
  double phrase_weight = 0.0;
  // Title match, a second re-ranking feature: the longest run of the first query part's
  // letters, digits and ideographs found verbatim in the document, as a share of that part's
  // length, times this weight (replies restate the request's title: "反映“…”的问题").
  double title_match_weight = 0.0;
  // Pseudo-relevance feedback (RM3-like): the terms most typical of the best `prf_docs`
  // first-pass hits (term share of each document, weighted by its score, times IDF) are
  // added to the query, the top `prf_terms` of them with total weight `prf_weight` relative
  // to the original query. 0 documents disables it. In-memory index only.
  size_t prf_docs = 0;
  size_t prf_terms = 20;
  double prf_weight = 0.3;
  // Rank fusion with a second scorer: the best `fusion_depth` BM25F hits are also scored
  // by query likelihood with Dirichlet smoothing (`ql_mu`) over the same query terms; both
  // scores are z-normalised over those hits and mixed as
  // (1 - ql_weight) · z(BM25F) + ql_weight · z(QL). 0 disables it. The two disagree on how
  // to weigh document length and repeated terms; their mix found the known reply more often
  // than either (docs/search.md, round 4).
  size_t fusion_depth = 50;
  double ql_mu = 300;
  double ql_weight = 0.5;
};

// One part of a query, e.g. a ticket's title with weight 2 and its details with weight 1.
struct QueryPart {
  std::string text;
  double weight = 1.0;
};

// A query analysed once, reusable for scoring many documents (similarity, snippets).
struct AnalyzedQuery {
  struct Term {
    uint32_t term_id = 0;  // the id the index's TermLookup gave
    double weight = 0;     // query-side weight (parts, kinds, repetition)
    double idf = 0;
  };
  std::vector<Term> terms;         // most informative (weight · idf) first
  std::vector<std::string> texts;  // the surface terms, in the order of `terms`
};

// ---- The formulas -------------------------------------------------------------------

// Inverse document frequency (BM25's, always positive).
double Idf(double documents, double df);
// BM25F length normalisation times field weight: weight / (1 - b + b · length / average).
// Single precision, as the in-memory index stores it per document and field.
float FieldNorm(const FieldSpec& spec, double length, double average);
// Term-frequency saturation of BM25: tfn (k1 + 1) / (k1 + tfn).
double Saturate(double tfn, double k1);
// Sum over fields of tf · norm, the BM25F pseudo term frequency, fields in order.
double WeightedTf(const uint32_t* tf_by_field, const float* norms, size_t fields);
// Canonical BM25F score of a document: the query terms in analysed order, each with its
// weighted term frequency (`tfn[i]` for `query.terms[i]`, 0 when absent).
double Bm25fScore(const AnalyzedQuery& query, const std::vector<double>& tfn, double k1);
// Dirichlet-smoothed query likelihood (rank-equivalent form) of a document of `length`
// tokens holding `tf[i]` occurrences of `query.terms[i]`; `cf[i]` the term's occurrences in
// the collection of `total_tokens` tokens.
double QueryLikelihood(const AnalyzedQuery& query, const std::vector<double>& tf,
                       const std::vector<double>& cf, double length, double total_tokens,
                       double mu);

// ---- Query analysis -----------------------------------------------------------------

struct TermStats {
  uint32_t id = 0;  // the index's id for the term (stable for the query's lifetime)
  double df = 0;    // live documents holding it; 0 = unknown to the index
};
// The statistics of a term, or nullopt when no live document holds it.
using TermLookup = std::function<std::optional<TermStats>(const std::string& term)>;

// The terms of `parts` known to the index, weighted by part, kind (words count
// `word_weight`, bigrams 1) and saturated repetition (k3), with IDF; terms in more than
// `max_df_ratio` of 100+ documents dropped; the `max_query_terms` most informative kept,
// ordered by weight · idf (ties by term text, so every index orders them alike).
AnalyzedQuery AnalyzeQuery(const Tokenizer& tokenizer, const IndexOptions& options,
                           const std::vector<QueryPart>& parts, double documents,
                           const TermLookup& lookup);

// ---- Stages after the first pass ----------------------------------------------------

// What the stages read about the collection and a first-pass candidate. Documents are
// named by a 32-bit key of the index's choice whose order is the tie-break order
// (the in-memory index: insertion slot; the SQLite store: rowid).
class CandidateSource {
 public:
  virtual ~CandidateSource() = default;
  virtual double TotalTokens() const = 0;  // tokens in all fields of all live documents
  // Occurrences of `query.terms[i]` in the collection, for every i.
  virtual std::vector<double> CollectionFrequencies(const AnalyzedQuery& query) const = 0;
  // IDF of any term (0 if unknown), for the phrase re-ranking's bigrams.
  virtual double TermIdf(const std::string& term) const = 0;
  // A candidate's occurrences of each query term (all fields) and its length in tokens.
  virtual void TermCounts(uint32_t doc, const AnalyzedQuery& query, std::vector<double>* tf,
                          double* length) const = 0;
  // A candidate's field texts, in IndexOptions::fields order.
  virtual std::vector<std::string> FieldTexts(uint32_t doc) const = 0;
};

// (score, document key), best first after each stage; ties by the smaller key.
using ScoredDoc = std::pair<double, uint32_t>;

// Whether any stage after the first pass is enabled.
bool HasStages(const IndexOptions& options);
// How many first-pass hits the stages need for a result of `limit`.
size_t CandidateDepth(const IndexOptions& options, size_t limit);

// Re-scores the first-pass candidates (best first, canonical BM25F scores) through every
// enabled stage: fusion with query likelihood, then phrase/title re-ranking. Sorted best
// first on return.
void RerankCandidates(const IndexOptions& options, const Tokenizer& tokenizer,
                      const std::vector<QueryPart>& parts, const AnalyzedQuery& query,
                      const CandidateSource& source, std::vector<ScoredDoc>* candidates);

// Sorts best first: higher score, then smaller key.
void SortCandidates(std::vector<ScoredDoc>* candidates);

}  // namespace hotline::adapters::text

// Offline quality measurement of search and similar-request detection on labelled TSV files
// (the `hotline eval` commands). Free functions; thread-safe for distinct arguments.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "adapters/text/inverted_index.h"
#include "adapters/text/similar.h"
#include "adapters/text/tsv.h"
#include "common/result.h"

namespace hotline::adapters::text {

struct SearchEvalOptions {
  IndexOptions index;
  // Query-part weight of the first query column when there are several (a title);
  // the other columns weigh 1.
  double first_column_weight = 2.0;
  // When the documents have a single text column (e.g. official replies), its first
  // sentence, cut at `lead_chars` characters, is also indexed as the title field: replies
  // usually open by restating the request. 0 disables it.
  size_t lead_chars = 0;
  // When the documents have a single text column, the spans in Chinese quotes (“…”) are
  // also indexed in the title field: replies restate the citizen's request in quotes.
  bool quoted_title = false;
  // -1: every query; 0 / 1: only the even / odd query rows (tuning on one half).
  int half = -1;
  size_t threads = 2;
  // When not empty, every evaluated query's best kSearchCandidates hits are written to this
  // file, a line per query in row order: query row (0-based), expected id, then "id:score"
  // best first, tab-separated. For trying re-ranking members outside the index
  // (docs/search.md, round 5). The figures are the same with or without it.
  std::string candidates_path;
  // How many hits per query candidates_path receives (at least kSearchCandidates).
  size_t candidates_depth = 0;
};

// Hits per query written to SearchEvalOptions::candidates_path (the fusion depth).
inline constexpr size_t kSearchCandidates = 50;

struct SearchEvalReport {
  size_t queries = 0;
  size_t missing_targets = 0;  // queries whose target id is not among the documents
  double mrr_at_10 = 0;
  double recall_at_1 = 0;
  double recall_at_10 = 0;
};

// The documents of a search evaluation as an index gets them: fields title and body (see
// EvaluateSearch). kInvalidArgument on an empty id or fewer than two columns.
Result<std::vector<IndexDocument>> SearchEvalDocuments(const TsvTable& docs,
                                                       const SearchEvalOptions& options);

// Where an evaluation searches: `load` receives the documents once, `search` returns the
// best `limit` documents for a query (best first), called from `threads` threads at once.
struct SearchEvalEngine {
  std::function<Status(std::vector<IndexDocument>)> load;
  std::function<std::vector<SearchHit>(const std::vector<QueryPart>&, size_t limit)> search;
  size_t threads = 1;
};
// EvaluateSearch through any engine (e.g. the SQLite knowledge-base store).
Result<SearchEvalReport> EvaluateSearchWith(const TsvTable& docs, const TsvTable& queries,
                                            const SearchEvalOptions& options,
                                            const SearchEvalEngine& engine);

// Indexes `docs` (first column id; the other columns text: the first of several is the title
// field, the rest the body) and runs every query (first column the expected id, the others
// the text). kInvalidArgument if a table has fewer than two columns or a document id is empty.
Result<SearchEvalReport> EvaluateSearch(const Tokenizer& tokenizer, const TsvTable& docs,
                                        const TsvTable& queries, const SearchEvalOptions& options);

struct SimilarEvalOptions {
  SimilarOptions similar;
  int half = -1;  // as SearchEvalOptions::half, over the cluster rows
  size_t threads = 2;
};

struct SimilarEvalReport {
  size_t queries = 0;
  size_t missing = 0;  // cluster rows whose message id is not among the messages
  double precision_at_5 = 0;
};

// Indexes the messages (columns 留言编号, 留言主题, 留言详情 and 留言时间_iso or 留言时间) and,
// for each message of a cluster (columns 问题ID, 留言编号), takes the 5 most similar other
// messages: precision is the share of them in the same cluster. kInvalidArgument naming the
// missing column if a table lacks one.
Result<SimilarEvalReport> EvaluateSimilar(const Tokenizer& tokenizer, const TsvTable& messages,
                                          const TsvTable& clusters,
                                          const SimilarEvalOptions& options);

// The messages of a table with columns 留言编号, 留言主题, 留言详情 and 留言时间_iso or
// 留言时间 as reports. kInvalidArgument naming a missing column or an empty id's line.
Result<std::vector<Report>> ReportsFromMessages(const TsvTable& messages);

// "2019-02-28 11:25:05" or "2019/2/28 11:25:05" (time optional) → seconds since the epoch
// (UTC clock reading); 0 if unparsable.
int64_t ParseMessageTime(const std::string& text);

// Applies "key=value" tuning parameters (k1, b_title, b_body, title_weight, body_weight,
// word_weight, k3, max_df_ratio, first_column_weight...). kInvalidArgument on an unknown key
// or a value that is not a number.
Status ApplySearchParam(const std::string& key, double value, SearchEvalOptions* options);
Status ApplySimilarParam(const std::string& key, double value, SimilarEvalOptions* options);

}  // namespace hotline::adapters::text

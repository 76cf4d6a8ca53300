// SimilarityFinder: finds the open tickets most likely to report the same issue as a new one
// (for merging, 并单), scoring text (BM25F, normalised by the new ticket's score against
// itself), places in common (addresses, compounds, roads: given or found in the text), the
// region and closeness in time. ClusterReports() groups many citizens' reports of one
// problem over a time window.
//
// Thread-compatible like InvertedIndex: concurrent FindSimilar calls are safe; Upsert and
// Remove need exclusive access.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/text/inverted_index.h"
#include "common/result.h"

namespace hotline::adapters::text {

struct Report {
  std::string id;
  std::string title;
  std::string text;
  std::string address;  // optional; places are also taken from title and text
  std::string region;   // optional region code or name
  int64_t time = 0;     // seconds since the epoch, 0 if unknown
};

struct SimilarOptions {
  // Tickets are short: terms in more than 5% of them say little about "the same issue" and
  // cost the most time on a million open tickets (docs/search.md).
  IndexOptions index = {.fields = {{"title", 2.0, 0.5}, {"body", 1.0, 0.75}},
                        .max_df_ratio = 0.05,
                        .max_query_terms = 64,
                        // Scores are compared with the ticket's own (text_weight): plain BM25F.
                        .fusion_depth = 0};
  double title_query_weight = 3.0;  // query weight of the title relative to the text
  size_t candidates = 64;           // text candidates re-scored with the other signals
  double text_weight = 1.0;         // text score in [0, 1] (1: as similar as itself)
  double place_weight = 0.3;        // share of places in common (Jaccard)
  double region_weight = 0.1;       // same non-empty region
  double time_weight = 0.0;         // exp(-days apart / time_scale_days), if both times known
  double time_scale_days = 30.0;
  // Title against title: the Dice overlap of the two titles' character bigrams (letters,
  // digits, ideographs), blended into the text evidence as (text + w·titles) / (1 + w).
  // Citizens reporting one problem word their titles alike while their details differ
  // (docs/search.md: precision@5 0.777 → 0.855 on the tuned half, 0.805 → 0.903 held out).
  double title_title_weight = 1.0;
  std::optional<int64_t> window_seconds;  // only tickets at most this far apart in time
};

struct SimilarMatch {
  std::string id;
  double score = 0;
  double text = 0;    // normalised BM25F text similarity (before blending in `titles`)
  double places = 0;  // Jaccard of place tokens
  double titles = 0;  // Dice of the titles' character bigrams
  bool same_region = false;
  double days_apart = -1;  // -1 if a time is unknown
};

// What SimilarityFinder::Upsert finds in a report's text, so that a saved finder can be
// filled again without tokenizing (HotTopicIndex's snapshot): the index's counts and the
// places and title bigrams that the scoring compares.
struct AnalyzedReport {
  AnalyzedDocument document;          // term numbers: the finder's (TermNames, InternTerm)
  std::vector<std::string> places;    // sorted, unique
  std::vector<uint32_t> title_grams;  // sorted, unique
};

class SimilarityFinder {
 public:
  // `tokenizer` must outlive the finder.
  explicit SimilarityFinder(const Tokenizer& tokenizer, SimilarOptions options = {});

  // Inserts or replaces a ticket. kInvalidArgument if the id is empty.
  Status Upsert(const Report& report);
  // Upsert with the report's analysis given (as ForEachAnalyzed gave it, term numbers
  // mapped with InternTerm): the same finder as Upsert gives, with no tokenizing.
  // kInvalidArgument as InvertedIndex::UpsertAnalyzed.
  Status UpsertAnalyzed(const Report& report, AnalyzedReport analysis);
  uint32_t InternTerm(std::string_view term) { return index_.InternTerm(term); }
  std::vector<std::string> TermNames() const { return index_.TermNames(); }
  // Every report held, by id, with its analysis, in insertion order.
  void ForEachAnalyzed(
      const std::function<void(std::string_view id, const AnalyzedReport&)>& visit) const;
  bool Remove(std::string_view id);
  size_t size() const { return index_.size(); }

  // The `limit` tickets most similar to `report`, best first, never `report.id` itself.
  std::vector<SimilarMatch> FindSimilar(const Report& report, size_t limit) const;

  const InvertedIndex& index() const { return index_; }
  const SimilarOptions& options() const { return options_; }

 private:
  struct Extra {
    std::vector<std::string> places;    // sorted, unique
    std::vector<uint32_t> title_grams;  // sorted, unique character bigrams of the title
    std::string region;
    int64_t time = 0;
  };
  std::vector<std::string> Places(const Report& report) const;
  std::vector<uint32_t> TitleGrams(const std::string& title) const;

  const Tokenizer& tokenizer_;
  SimilarOptions options_;
  InvertedIndex index_;
  std::unordered_map<std::string, Extra> extras_;
};

struct ClusterOptions {
  double threshold = 0.35;              // minimum SimilarMatch::score to link two reports
  int64_t window_seconds = 30 * 86400;  // linked reports are at most this far apart
  size_t neighbours = 10;               // candidates examined per report
  size_t min_size = 2;                  // smaller groups are not reported
};

struct ReportCluster {
  std::vector<std::string> ids;  // oldest first
  int64_t first_time = 0;
  int64_t last_time = 0;
  std::vector<std::string> top_terms;  // words/places shared by most members (a label)
};

// Neighbours of one report, best first: `sink(id, score)` once per candidate.
using NeighbourSink = std::function<void(std::string_view id, double score)>;
using NeighbourSource = std::function<void(size_t report, const NeighbourSink& sink)>;

// Single link over the pairs `neighbours` gives with a score of at least options.threshold
// and at most options.window_seconds apart. Clusters come largest first, members oldest
// first, without labels (top_terms).
std::vector<ReportCluster> LinkReports(const std::vector<Report>& reports,
                                       const NeighbourSource& neighbours,
                                       const ClusterOptions& options);

// LinkReports by position: `times[i]` is report i's time (0: unknown), `neighbours` gives
// positions. Groups of positions, largest first, each oldest first (ties in position order);
// groups of equal size in the order of their first position.
using PositionSink = std::function<void(size_t other, double score)>;
using PositionSource = std::function<void(size_t report, const PositionSink& sink)>;
std::vector<std::vector<size_t>> LinkPositions(const std::vector<int64_t>& times,
                                               const PositionSource& neighbours,
                                               const ClusterOptions& options);

// Groups `reports` (already in `finder`) by single-link over similar pairs within the window
// (LinkReports over finder.FindSimilar) and labels each cluster. Clusters come largest first.
std::vector<ReportCluster> ClusterReports(const SimilarityFinder& finder,
                                          const std::vector<Report>& reports,
                                          const ClusterOptions& options = {});

}  // namespace hotline::adapters::text

// Hot topics (热点): for a period, the issues that are rising compared with the periods of the
// same length just before it, of three kinds (docs/hot_topics.md):
//   - clusters of similar reports (many citizens reporting one problem), new ones marked;
//   - places (compounds, streets, sub-districts) that recur in more reports than before;
//   - sudden growth of a category in an area (category × area counts against the average of
//     the previous periods, volume-adjusted, kept only when a Poisson tail test says the
//     rise is unlikely to be chance).
// Each is ranked with an explanation in Simplified Chinese (counts, growth, example reports
// by number). Free functions; thread-safe for distinct arguments.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "adapters/text/similar.h"

namespace hotline::adapters::text {

// What a report is counted under for the growth kind; either field empty: not counted.
struct ReportFacets {
  std::string category;  // e.g. "环境保护/污染防治"
  std::string area;      // e.g. "三元区"
};

struct HotTopicOptions {
  int64_t from = 0;  // period [from, to), seconds since the epoch
  int64_t to = 0;
  size_t min_reports = 3;  // clusters and places with fewer reports in the period are dropped
  size_t examples = 3;
  size_t limit = 20;
  ClusterOptions cluster;

  // Growth of a category in an area.
  size_t baseline_periods = 4;    // previous periods of the same length averaged
  int64_t data_since = 0;         // earliest report the store holds: earlier periods are no data
  size_t min_growth_count = 5;    // fewer reports in the period are not a rise
  double min_growth_ratio = 2.0;  // count ≥ this × expected
  double max_p_value = 0.001;     // P(X ≥ count | Poisson(expected)) at most this
};

struct HotTopic {
  enum class Kind { kCluster, kPlace, kGrowth };
  Kind kind = Kind::kCluster;
  std::string label;             // shared words of the cluster, the place, or "category · area"
  std::string category;          // kGrowth only
  std::string area;              // kGrowth only
  size_t count = 0;              // reports in the period
  size_t before = 0;             // reports in the previous period of the same length
  bool is_new = false;           // none in the previous period (clusters and places)
  double expected = 0;           // kGrowth: expected count from the baseline periods
  size_t periods = 0;            // kGrowth: baseline periods with data
  double p_value = 1;            // kGrowth: Poisson upper tail of count under expected
  double growth = 0;             // kGrowth: count / expected; others: (count + 1) / (before + 1)
  double score = 0;              // count · log2(1 + growth): ranks size and rise together
  std::vector<std::string> ids;  // reports in the period, most recent first
  std::vector<std::string> examples;     // titles of the most recent reports (distinct)
  std::vector<std::string> example_ids;  // their ids (ticket numbers), same order
  std::string explanation;               // one line of Simplified Chinese
};

std::string_view Code(HotTopic::Kind kind);  // cluster | place | growth
std::string_view ChineseName(HotTopic::Kind kind);  // 相似诉求聚集 | 地点反复出现 | 分类区域增长

// Ranks the hot topics of `reports` (those of the period and the period before must be in
// `finder`; earlier ones only count for growth) in options.from..to, best first.
// `facets` is parallel to `reports` (empty: no growth topics).
std::vector<HotTopic> FindHotTopics(const SimilarityFinder& finder,
                                    const std::vector<Report>& reports,
                                    const std::vector<ReportFacets>& facets,
                                    const HotTopicOptions& options);
std::vector<HotTopic> FindHotTopics(const SimilarityFinder& finder,
                                    const std::vector<Report>& reports,
                                    const HotTopicOptions& options);

// Terms (words and places) as numbers, so that a long-lived index keeps each report's terms
// in a few bytes and the ranking compares numbers; names only for labels. Not thread-safe:
// its owner locks.
class TermTable {
 public:
  uint32_t Intern(std::string_view term);
  const std::string& Name(uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, uint32_t> ids_;
};

// What the ranking reads of a report's text, found once (one tokenization of title, text and
// address): its words, places and unit names that can label a cluster (SharedTerms) and its
// places (compounds, streets, sub-districts; no administrative areas). Sorted, unique.
struct ReportTerms {
  std::vector<uint32_t> words;
  std::vector<uint32_t> places;
};
ReportTerms TermsOf(const Tokenizer& tokenizer, const Report& report, TermTable& table);

// Counts for the growth kind by category × area (docs/hot_topics.md), counted by the caller.
struct GrowthCell {
  size_t count = 0;              // reports in the period
  std::vector<size_t> baseline;  // reports per baseline period (0: the one just before)
};
struct GrowthInput {
  std::map<std::pair<std::string, std::string>, GrowthCell> cells;  // (category, area)
  size_t period_total = 0;    // reports in the period, with or without facets
  size_t baseline_total = 0;  // in the baseline periods with data
  size_t periods = 0;         // baseline periods with data (0: no growth topics)
  // The window positions of a cell's reports in the period; asked only for a cell that is
  // a topic.
  std::function<std::vector<size_t>(const std::pair<std::string, std::string>&)> members;
};

// The period and the one before, prepared: each report with its terms and the clusters of
// the window (single link, as LinkPositions gives them: largest first, oldest first).
// HotTopicIndex prepares it from what it keeps; FindHotTopics from a finder.
struct PreparedWindow {
  std::vector<const Report*> reports;  // in the store's order (ticket id)
  std::vector<const ReportTerms*> terms;
  std::vector<std::vector<size_t>> clusters;  // positions in `reports`
  const TermTable* table = nullptr;
};

// The ranking itself, no text analysed: what FindHotTopics does once the window is prepared.
std::vector<HotTopic> RankHotTopics(const PreparedWindow& window, const GrowthInput& growth,
                                    const HotTopicOptions& options);

// The labels of a group of reports from their terms (as SharedTerms).
std::vector<std::string> SharedTermsOf(const TermTable& table,
                                       const std::vector<const ReportTerms*>& reports,
                                       size_t limit = 5);

// Words, places and unit names (no bigrams, single characters, numbers, phone or ID
// numbers) that at least half of `reports` have in title, text or address, most shared
// first, at most `limit`; provinces/cities/counties/districts left out. A cluster's label;
// empty when the reports share no word.
std::vector<std::string> SharedTerms(const Tokenizer& tokenizer,
                                     const std::vector<const Report*>& reports, size_t limit = 5);

// The baseline period of a time t (a report's time, or a day's local midnight when the
// period [from, to) is made of whole days): 0 for the period itself, i for the i-th period
// before it, SIZE_MAX outside them.
size_t BaselineOf(int64_t t, const HotTopicOptions& options);

// P(X ≥ k) for X ~ Poisson(lambda); 1 when k == 0.
double PoissonUpperTail(size_t k, double lambda);

}  // namespace hotline::adapters::text

// Hot topics (热点): for a period, the issues that are rising compared with the period of
// the same length just before it: clusters of similar reports (new ones first) and places
// that recur, ranked with an explanation (counts, growth, example titles). Free function;
// thread-safe for distinct arguments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/text/similar.h"

namespace hotline::adapters::text {

struct HotTopicOptions {
  int64_t from = 0;  // period [from, to), seconds since the epoch
  int64_t to = 0;
  size_t min_reports = 3;  // fewer reports in the period are not a topic
  size_t examples = 3;
  size_t limit = 20;
  ClusterOptions cluster;
};

struct HotTopic {
  enum class Kind { kCluster, kPlace };
  Kind kind = Kind::kCluster;
  std::string label;  // shared words of the cluster, or the place
  size_t count = 0;   // reports in the period
  size_t before = 0;  // reports in the previous period of the same length
  bool is_new = false;
  double growth = 0;                  // (count + 1) / (before + 1)
  double score = 0;                   // count · log2(1 + growth): ranks size and rise together
  std::vector<std::string> ids;       // reports in the period
  std::vector<std::string> examples;  // titles of the most recent reports
  std::string explanation;            // one line of Simplified Chinese
};

// Ranks the hot topics of `reports` (already in `finder`) in options.from..to, best first.
std::vector<HotTopic> FindHotTopics(const SimilarityFinder& finder,
                                    const std::vector<Report>& reports,
                                    const HotTopicOptions& options);

}  // namespace hotline::adapters::text

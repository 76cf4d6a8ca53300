#include "adapters/text/hot_topics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include "adapters/text/utf8.h"

namespace hotline::adapters::text {

namespace {

// Places this common in the period (share of reports) are too broad to be a topic.
constexpr double kMaxPlaceShare = 0.05;
// A place whose reports are mostly in one listed cluster says the same thing again.
constexpr double kPlaceCoveredShare = 2.0 / 3.0;
// Half a report added to every baseline so that a category never seen before still has a
// (small) expected count instead of an infinite rise.
constexpr double kBaselineSmoothing = 0.5;
// The volume adjustment (the other reports' count now against their baseline average) is
// bounded so that a city-wide surge cannot hide every rise, nor a quiet day invent them.
constexpr double kMinVolumeFactor = 0.5;
constexpr double kMaxVolumeFactor = 2.0;

// Provinces, cities, counties and districts are regions, not recurring addresses: a rise
// there is a category-by-region question, not a hot spot.
bool IsAdministrativeArea(std::string_view place) {
  for (const std::string_view suffix : {"省", "市", "县", "区"}) {
    if (place.ends_with(suffix) && !place.ends_with("小区") && !place.ends_with("园区")) {
      return true;
    }
  }
  return false;
}

// Characters of the text shown for a report without a title.
constexpr size_t kTitleChars = 24;

// The title, or the head of the text when there is none (many tickets have no title).
std::string DisplayTitle(const Report& report) {
  if (!report.title.empty()) {
    return report.title;
  }
  size_t pos = 0;
  size_t chars = 0;
  while (pos < report.text.size() && chars < kTitleChars) {
    (void)internal::DecodeUtf8(report.text, &pos);
    ++chars;
  }
  return pos < report.text.size() ? report.text.substr(0, pos) + "…" : report.text;
}

// Fills ids and examples (most recent first) of `topic` from `members` (positions).
void AddMembers(const std::vector<const Report*>& reports, std::vector<size_t> members,
                const HotTopicOptions& options, HotTopic* topic) {
  std::stable_sort(members.begin(), members.end(), [&](size_t a, size_t b) {
    return reports[a]->time != reports[b]->time ? reports[a]->time > reports[b]->time
                                                : reports[a]->id > reports[b]->id;
  });
  std::set<std::string> seen_titles;
  topic->ids.reserve(members.size());
  for (const size_t r : members) {
    topic->ids.push_back(reports[r]->id);
    if (topic->examples.size() < options.examples) {
      std::string title = DisplayTitle(*reports[r]);
      if (seen_titles.insert(title).second) {
        topic->examples.push_back(std::move(title));
        topic->example_ids.push_back(reports[r]->id);
      }
    }
  }
}

std::string ExampleText(const HotTopic& topic) {
  std::string out;
  for (size_t i = 0; i < topic.examples.size(); ++i) {
    out += (out.empty() ? "" : "；") + topic.example_ids[i] + "「" + topic.examples[i] + "」";
  }
  return out;
}

// A cluster or place topic: its count in the period against the previous one, and its score.
void Score(size_t count, HotTopic* topic) {
  topic->count = count;
  topic->growth = static_cast<double>(topic->count + 1) / static_cast<double>(topic->before + 1);
  topic->score = static_cast<double>(topic->count) * std::log2(1.0 + topic->growth);
}

// A scored cluster or place topic: its reports and explanation (only for those listed).
void Describe(const std::vector<const Report*>& reports, const std::vector<size_t>& in_period,
              const HotTopicOptions& options, HotTopic* topic) {
  AddMembers(reports, in_period, options, topic);
  const char* what = topic->kind == HotTopic::Kind::kCluster ? "同类诉求" : "同一地点";
  if (topic->is_new) {
    topic->explanation = fmt::format("{}「{}」新出现：本期 {} 件，上期 0 件。例：{}", what,
                                     topic->label, topic->count, ExampleText(*topic));
  } else {
    topic->explanation =
        fmt::format("{}「{}」本期 {} 件，上期 {} 件（{:.1f} 倍）。例：{}", what, topic->label,
                    topic->count, topic->before, topic->growth, ExampleText(*topic));
  }
}

std::string FormatP(double p) {
  if (p < 0.0001) {
    return "p<0.0001";
  }
  return fmt::format("p={:.4f}", p);
}

// Sudden growth of a category in an area (docs/hot_topics.md, "Growth"): scored, without
// reports or explanation (DescribeGrowth, for those listed); with the baseline's sum.
std::vector<std::pair<HotTopic, size_t>> GrowthTopics(const GrowthInput& input,
                                                      const HotTopicOptions& options) {
  std::vector<std::pair<HotTopic, size_t>> topics;
  const size_t periods = input.periods;
  if (periods == 0) {
    return topics;
  }
  for (const auto& [key, cell] : input.cells) {
    const size_t count = cell.count;
    if (count < options.min_growth_count) {
      continue;
    }
    size_t sum = 0;
    for (const size_t c : cell.baseline) {
      sum += c;
    }
    // Volume adjustment from the other reports (this cell left out, so that its own rise
    // does not raise its expectation): their count now against their baseline average.
    const double others_average =
        static_cast<double>(input.baseline_total - sum) / static_cast<double>(periods);
    const double volume =
        others_average > 0
            ? std::clamp(static_cast<double>(input.period_total - count) / others_average,
                         kMinVolumeFactor, kMaxVolumeFactor)
            : 1.0;
    const double expected =
        (static_cast<double>(sum) + kBaselineSmoothing) / static_cast<double>(periods) * volume;
    const double ratio = static_cast<double>(count) / expected;
    const double p = PoissonUpperTail(count, expected);
    if (ratio < options.min_growth_ratio || p > options.max_p_value) {
      continue;
    }
    HotTopic topic;
    topic.kind = HotTopic::Kind::kGrowth;
    topic.category = key.first;
    topic.area = key.second;
    topic.label = key.first + " · " + key.second;
    topic.count = count;
    topic.before = cell.baseline.empty() ? 0 : cell.baseline[0];
    topic.is_new = sum == 0;
    topic.expected = expected;
    topic.periods = periods;
    topic.p_value = p;
    topic.growth = ratio;
    topic.score = static_cast<double>(count) * std::log2(1.0 + ratio);
    topics.emplace_back(std::move(topic), sum);
  }
  return topics;
}

void DescribeGrowth(const std::vector<const Report*>& reports, std::vector<size_t> members,
                    size_t sum, const HotTopicOptions& options, HotTopic* topic) {
  AddMembers(reports, std::move(members), options, topic);
  const std::string history = topic->periods == 1 ? fmt::format("上期 {} 件", sum)
                                                  : fmt::format("前 {} 期共 {} 件（上期 {} 件）",
                                                                topic->periods, sum, topic->before);
  topic->explanation = fmt::format(
      "「{}」在{}明显增多：本期 {} 件，{}，按同期其他诉求量折算预期 {:.1f} 件，为预期的 {:.1f} 倍"
      "（泊松检验 {}）。例：{}",
      topic->category, topic->area, topic->count, history, topic->expected, topic->growth,
      FormatP(topic->p_value), ExampleText(*topic));
}

}  // namespace

std::string_view Code(HotTopic::Kind kind) {
  switch (kind) {
    case HotTopic::Kind::kCluster:
      return "cluster";
    case HotTopic::Kind::kPlace:
      return "place";
    case HotTopic::Kind::kGrowth:
      return "growth";
  }
  return "";
}

std::string_view ChineseName(HotTopic::Kind kind) {
  switch (kind) {
    case HotTopic::Kind::kCluster:
      return "相似诉求聚集";
    case HotTopic::Kind::kPlace:
      return "地点反复出现";
    case HotTopic::Kind::kGrowth:
      return "分类区域增长";
  }
  return "";
}

uint32_t TermTable::Intern(std::string_view term) {
  const auto it = ids_.find(std::string(term));
  if (it != ids_.end()) {
    return it->second;
  }
  const auto id = static_cast<uint32_t>(names_.size());
  names_.emplace_back(term);
  ids_.emplace(names_.back(), id);
  return id;
}

ReportTerms TermsOf(const Tokenizer& tokenizer, const Report& report, TermTable& table) {
  ReportTerms out;
  for (const auto* text : {&report.title, &report.text, &report.address}) {
    for (const auto& token : tokenizer.Tokenize(*text)) {
      const bool word = token.kind == TokenKind::kWord || token.kind == TokenKind::kAddress ||
                        token.kind == TokenKind::kUnit || token.kind == TokenKind::kSynonym;
      if (!word || IsAdministrativeArea(token.text)) {
        continue;
      }
      const uint32_t id = table.Intern(token.text);
      out.words.push_back(id);
      if (token.kind == TokenKind::kAddress) {
        out.places.push_back(id);
      }
    }
  }
  for (auto* v : {&out.words, &out.places}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
    v->shrink_to_fit();
  }
  return out;
}

std::vector<std::string> SharedTermsOf(const TermTable& table,
                                       const std::vector<const ReportTerms*>& reports,
                                       size_t limit) {
  std::unordered_map<uint32_t, size_t> members;  // term -> reports having it
  for (const ReportTerms* terms : reports) {
    for (const uint32_t id : terms->words) {
      ++members[id];
    }
  }
  std::vector<std::pair<size_t, const std::string*>> ranked;
  for (const auto& [id, count] : members) {
    if (count * 2 >= reports.size()) {
      ranked.emplace_back(count, &table.Name(id));
    }
  }
  // Most shared first, then by name (a stable order).
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : *a.second < *b.second;
  });
  std::vector<std::string> out;
  for (size_t i = 0; i < ranked.size() && i < limit; ++i) {
    out.push_back(*ranked[i].second);
  }
  return out;
}

std::vector<std::string> SharedTerms(const Tokenizer& tokenizer,
                                     const std::vector<const Report*>& reports, size_t limit) {
  TermTable table;
  std::vector<ReportTerms> terms;
  terms.reserve(reports.size());
  std::vector<const ReportTerms*> pointers;
  for (const Report* report : reports) {
    terms.push_back(TermsOf(tokenizer, *report, table));
  }
  for (const auto& t : terms) {
    pointers.push_back(&t);
  }
  return SharedTermsOf(table, pointers, limit);
}

size_t BaselineOf(int64_t t, const HotTopicOptions& options) {
  const int64_t length = options.to - options.from;
  if (t >= options.from && t < options.to) {
    return 0;
  }
  if (t >= options.from ||
      options.from - t > static_cast<int64_t>(options.baseline_periods) * length) {
    return SIZE_MAX;
  }
  return static_cast<size_t>((options.from - t - 1) / length) + 1;
}

double PoissonUpperTail(size_t k, double lambda) {
  if (k == 0) {
    return 1.0;
  }
  if (lambda <= 0) {
    return 0.0;
  }
  // P(X ≥ k) = Σ_{j ≥ k} e^-λ λ^j / j!: summed upward from j = k in log space (the terms
  // fall quickly once j > λ, and k is above λ whenever the answer matters).
  double log_term = -lambda + static_cast<double>(k) * std::log(lambda) -
                    std::lgamma(static_cast<double>(k) + 1.0);
  double sum = 0;
  constexpr int kMaxTerms = 100000;
  for (int step = 0; step < kMaxTerms; ++step) {
    const double term = std::exp(log_term);
    sum += term;
    const double j = static_cast<double>(k) + step + 1;
    log_term += std::log(lambda) - std::log(j);
    if (j > lambda && term < sum * 1e-12) {
      break;
    }
  }
  return std::min(1.0, sum);
}

std::vector<HotTopic> FindHotTopics(const SimilarityFinder& finder,
                                    const std::vector<Report>& reports,
                                    const HotTopicOptions& options) {
  return FindHotTopics(finder, reports, {}, options);
}

std::vector<HotTopic> RankHotTopics(const PreparedWindow& window, const GrowthInput& growth,
                                    const HotTopicOptions& options) {
  const auto& reports = window.reports;
  const auto in_period = [&](size_t i) { return reports[i]->time >= options.from; };
  // Topics are scored first and described (reports, examples, explanation) once the list
  // is cut to options.limit.
  struct Candidate {
    HotTopic topic;
    std::vector<size_t> members;  // clusters and places: in the period
    size_t baseline_sum = 0;      // growth
  };
  std::vector<Candidate> topics;
  size_t period_reports = 0;
  for (size_t i = 0; i < reports.size(); ++i) {
    period_reports += in_period(i) ? 1 : 0;
  }
  // Clusters of similar reports. The topic each report's cluster became (-1: none).
  std::vector<int> topic_of(reports.size(), -1);
  for (const auto& cluster : window.clusters) {
    if (cluster.size() < options.min_reports) {
      continue;
    }
    HotTopic topic;
    topic.kind = HotTopic::Kind::kCluster;
    std::vector<size_t> members;
    for (const size_t i : cluster) {
      if (in_period(i)) {
        members.push_back(i);
      } else {
        ++topic.before;
      }
    }
    // Only clusters that rise; and a cluster whose reports share no word is a chain of
    // loosely related reports (single link), not one issue.
    if (members.size() < options.min_reports || members.size() <= topic.before) {
      continue;
    }
    std::vector<const ReportTerms*> all;
    all.reserve(cluster.size());
    for (const size_t i : cluster) {
      all.push_back(window.terms[i]);
    }
    const auto terms = SharedTermsOf(*window.table, all);
    if (terms.empty()) {
      continue;
    }
    for (const auto& term : terms) {
      topic.label += (topic.label.empty() ? "" : " ") + term;
    }
    topic.is_new = topic.before == 0;
    for (const size_t i : members) {
      topic_of[i] = static_cast<int>(topics.size());
    }
    Score(members.size(), &topic);
    topics.push_back({std::move(topic), std::move(members), 0});
  }
  // Recurring places.
  std::unordered_map<uint32_t, std::pair<std::vector<size_t>, size_t>> places;  // period, before
  for (size_t i = 0; i < reports.size(); ++i) {
    for (const uint32_t place : window.terms[i]->places) {
      auto& entry = places[place];
      if (in_period(i)) {
        entry.first.push_back(i);
      } else {
        ++entry.second;
      }
    }
  }
  std::vector<std::pair<const std::string*, const std::pair<std::vector<size_t>, size_t>*>> listed;
  for (const auto& [place, entry] : places) {
    const size_t count = entry.first.size();
    // Only places that rise (growth > 1), in enough reports but not in too many.
    if (count < options.min_reports || count <= entry.second ||
        static_cast<double>(count) > kMaxPlaceShare * static_cast<double>(period_reports)) {
      continue;
    }
    listed.emplace_back(&window.table->Name(place), &entry);
  }
  std::sort(listed.begin(), listed.end(),
            [](const auto& a, const auto& b) { return *a.first < *b.first; });
  for (const auto& [place, entry] : listed) {
    const auto& [members, before] = *entry;
    // Left out when a listed cluster already tells it: most of its reports are in one.
    std::unordered_map<int, size_t> inside;
    bool covered = false;
    for (const size_t i : members) {
      if (topic_of[i] >= 0 && static_cast<double>(++inside[topic_of[i]]) >=
                                  kPlaceCoveredShare * static_cast<double>(members.size())) {
        covered = true;
        break;
      }
    }
    if (covered) {
      continue;
    }
    HotTopic topic;
    topic.kind = HotTopic::Kind::kPlace;
    topic.label = *place;
    topic.before = before;
    topic.is_new = before == 0;
    Score(members.size(), &topic);
    topics.push_back({std::move(topic), members, 0});
  }
  for (auto& [topic, sum] : GrowthTopics(growth, options)) {
    topics.push_back({std::move(topic), {}, sum});
  }
  std::stable_sort(topics.begin(), topics.end(), [](const Candidate& a, const Candidate& b) {
    return a.topic.score != b.topic.score ? a.topic.score > b.topic.score
                                          : a.topic.label < b.topic.label;
  });
  if (topics.size() > options.limit) {
    topics.resize(options.limit);
  }
  std::vector<HotTopic> out;
  out.reserve(topics.size());
  for (auto& c : topics) {
    if (c.topic.kind == HotTopic::Kind::kGrowth) {
      DescribeGrowth(reports, growth.members({c.topic.category, c.topic.area}), c.baseline_sum,
                     options, &c.topic);
    } else {
      Describe(reports, c.members, options, &c.topic);
    }
    out.push_back(std::move(c.topic));
  }
  return out;
}

std::vector<HotTopic> FindHotTopics(const SimilarityFinder& finder,
                                    const std::vector<Report>& reports,
                                    const std::vector<ReportFacets>& facets,
                                    const HotTopicOptions& options) {
  const int64_t length = options.to - options.from;
  const int64_t previous = options.from - length;
  const Tokenizer& tokenizer = finder.index().tokenizer();
  TermTable table;
  PreparedWindow window;
  window.table = &table;
  std::vector<size_t> window_of(reports.size(), SIZE_MAX);  // report -> window position
  for (size_t r = 0; r < reports.size(); ++r) {
    if (reports[r].time >= previous && reports[r].time < options.to) {
      window_of[r] = window.reports.size();
      window.reports.push_back(&reports[r]);
    }
  }
  std::vector<ReportTerms> terms;
  terms.reserve(window.reports.size());
  std::unordered_map<std::string_view, size_t> position;
  std::vector<int64_t> times;
  for (size_t i = 0; i < window.reports.size(); ++i) {
    terms.push_back(TermsOf(tokenizer, *window.reports[i], table));
    position.emplace(window.reports[i]->id, i);
    times.push_back(window.reports[i]->time);
  }
  for (const auto& t : terms) {
    window.terms.push_back(&t);
  }
  ClusterOptions cluster_options = options.cluster;
  cluster_options.min_size = options.min_reports;
  window.clusters = LinkPositions(
      times,
      [&](size_t i, const PositionSink& sink) {
        for (const auto& match :
             finder.FindSimilar(*window.reports[i], cluster_options.neighbours)) {
          const auto other = position.find(match.id);
          if (other != position.end()) {
            sink(other->second, match.score);
          }
        }
      },
      cluster_options);
  // Growth cells from the reports' facets.
  GrowthInput growth;
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> members;
  if (facets.size() == reports.size() && length > 0) {
    for (size_t i = 1; i <= options.baseline_periods; ++i) {
      if (options.from - static_cast<int64_t>(i) * length >= options.data_since) {
        growth.periods = i;
      } else {
        break;
      }
    }
  }
  if (growth.periods > 0) {
    for (size_t r = 0; r < reports.size(); ++r) {
      const size_t b = BaselineOf(reports[r].time, options);
      if (b == SIZE_MAX || b > growth.periods) {
        continue;
      }
      (b == 0 ? growth.period_total : growth.baseline_total) += 1;
      const auto& f = facets[r];
      if (f.category.empty() || f.area.empty()) {
        continue;
      }
      const auto key = std::make_pair(f.category, f.area);
      GrowthCell& cell = growth.cells[key];
      if (b == 0) {
        ++cell.count;
        members[key].push_back(window_of[r]);
      } else {
        cell.baseline.resize(growth.periods, 0);
        ++cell.baseline[b - 1];
      }
    }
  }
  growth.members = [&](const std::pair<std::string, std::string>& key) { return members[key]; };
  return RankHotTopics(window, growth, options);
}

}  // namespace hotline::adapters::text

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

// Fills ids and examples (most recent first) of `topic` from `members`.
void AddMembers(const std::vector<Report>& reports, std::vector<size_t> members,
                const HotTopicOptions& options, HotTopic* topic) {
  std::stable_sort(members.begin(), members.end(), [&](size_t a, size_t b) {
    return reports[a].time != reports[b].time ? reports[a].time > reports[b].time
                                              : reports[a].id > reports[b].id;
  });
  std::set<std::string> seen_titles;
  for (const size_t r : members) {
    topic->ids.push_back(reports[r].id);
    std::string title = DisplayTitle(reports[r]);
    if (topic->examples.size() < options.examples && seen_titles.insert(title).second) {
      topic->examples.push_back(std::move(title));
      topic->example_ids.push_back(reports[r].id);
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

// A cluster or place topic: counts against the previous period, explanation.
void Finish(const std::vector<Report>& reports, const std::vector<size_t>& in_period,
            const HotTopicOptions& options, HotTopic* topic) {
  topic->count = in_period.size();
  topic->growth = static_cast<double>(topic->count + 1) / static_cast<double>(topic->before + 1);
  topic->score = static_cast<double>(topic->count) * std::log2(1.0 + topic->growth);
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

// Sudden growth of a category in an area (docs/hot_topics.md, "Growth").
std::vector<HotTopic> GrowthTopics(const std::vector<Report>& reports,
                                   const std::vector<ReportFacets>& facets,
                                   const HotTopicOptions& options) {
  std::vector<HotTopic> topics;
  const int64_t length = options.to - options.from;
  if (facets.size() != reports.size() || length <= 0) {
    return topics;
  }
  // Baseline periods with data: [from - i·length, from - (i-1)·length), i = 1..k.
  const auto baseline_of = [&](int64_t t) -> size_t {  // 0: the period itself or none
    if (t >= options.from && t < options.to) {
      return 0;
    }
    if (t >= options.from ||
        options.from - t > static_cast<int64_t>(options.baseline_periods) * length) {
      return SIZE_MAX;
    }
    return static_cast<size_t>((options.from - t - 1) / length) + 1;
  };
  size_t periods = 0;
  for (size_t i = 1; i <= options.baseline_periods; ++i) {
    if (options.from - static_cast<int64_t>(i) * length >= options.data_since) {
      periods = i;
    } else {
      break;
    }
  }
  if (periods == 0) {
    return topics;
  }
  struct Cell {
    std::vector<size_t> members;   // in the period
    std::vector<size_t> baseline;  // counts per baseline period (index 0 = the one before)
  };
  std::map<std::pair<std::string, std::string>, Cell> cells;
  size_t period_total = 0;
  size_t baseline_total = 0;
  for (size_t r = 0; r < reports.size(); ++r) {
    const size_t b = baseline_of(reports[r].time);
    if (b == SIZE_MAX || b > periods) {
      continue;
    }
    (b == 0 ? period_total : baseline_total) += 1;
    const auto& f = facets[r];
    if (f.category.empty() || f.area.empty()) {
      continue;
    }
    Cell& cell = cells[{f.category, f.area}];
    if (b == 0) {
      cell.members.push_back(r);
    } else {
      cell.baseline.resize(periods, 0);
      ++cell.baseline[b - 1];
    }
  }
  for (auto& [key, cell] : cells) {
    const size_t count = cell.members.size();
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
        static_cast<double>(baseline_total - sum) / static_cast<double>(periods);
    const double volume =
        others_average > 0 ? std::clamp(static_cast<double>(period_total - count) / others_average,
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
    AddMembers(reports, cell.members, options, &topic);
    const std::string history =
        periods == 1 ? fmt::format("上期 {} 件", sum)
                     : fmt::format("前 {} 期共 {} 件（上期 {} 件）", periods, sum, topic.before);
    topic.explanation = fmt::format(
        "「{}」在{}明显增多：本期 {} 件，{}，按同期其他诉求量折算预期 {:.1f} 件，为预期的 {:.1f} 倍"
        "（泊松检验 {}）。例：{}",
        topic.category, topic.area, count, history, expected, ratio, FormatP(p),
        ExampleText(topic));
    topics.push_back(std::move(topic));
  }
  return topics;
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

std::vector<std::string> SharedTerms(const Tokenizer& tokenizer,
                                     const std::vector<const Report*>& reports, size_t limit) {
  std::map<std::string, size_t> members;  // term -> reports having it
  for (const Report* report : reports) {
    std::set<std::string> terms;
    for (const auto* text : {&report->title, &report->text, &report->address}) {
      for (auto& token : tokenizer.Tokenize(*text)) {
        const bool word = token.kind == TokenKind::kWord || token.kind == TokenKind::kAddress ||
                          token.kind == TokenKind::kUnit || token.kind == TokenKind::kSynonym;
        if (word && !IsAdministrativeArea(token.text)) {
          terms.insert(std::move(token.text));
        }
      }
    }
    for (const auto& term : terms) {
      ++members[term];
    }
  }
  std::vector<std::pair<size_t, std::string>> ranked;
  for (auto& [term, count] : members) {
    if (count * 2 >= reports.size()) {
      ranked.emplace_back(count, term);
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (size_t i = 0; i < ranked.size() && i < limit; ++i) {
    out.push_back(std::move(ranked[i].second));
  }
  return out;
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

namespace {

bool IsPlace(const Token& token) {
  return token.kind == TokenKind::kAddress && !IsAdministrativeArea(token.text);
}

std::vector<HotTopic> RankTopics(const SimilarityFinder& finder, const std::vector<Report>& reports,
                                 const std::vector<ReportFacets>& facets,
                                 const std::vector<const ReportSignals*>* signals,
                                 const HotTopicOptions& options) {
  const int64_t length = options.to - options.from;
  const int64_t previous = options.from - length;
  std::vector<Report> window;  // previous period and this one
  std::vector<const ReportSignals*> window_signals;
  for (size_t r = 0; r < reports.size(); ++r) {
    const Report& report = reports[r];
    if (report.time >= previous && report.time < options.to) {
      window.push_back(report);
      window_signals.push_back(signals != nullptr ? (*signals)[r] : nullptr);
    }
  }
  const auto in_period = [&](const Report& r) { return r.time >= options.from; };
  std::vector<HotTopic> topics;
  size_t period_reports = 0;
  for (const auto& r : window) {
    period_reports += in_period(r) ? 1 : 0;
  }
  // Clusters of similar reports.
  ClusterOptions cluster_options = options.cluster;
  cluster_options.min_size = options.min_reports;
  std::map<std::string, size_t> position;
  for (size_t i = 0; i < window.size(); ++i) {
    position.emplace(window[i].id, i);
  }
  // Single link over the stored neighbour lists when there are any, else looked up now. The
  // clusters' labels are not used here, so LinkReports rather than ClusterReports.
  const auto clusters = LinkReports(
      window,
      [&](size_t i, const NeighbourSink& sink) {
        if (signals == nullptr) {
          for (const auto& match : finder.FindSimilar(window[i], cluster_options.neighbours)) {
            sink(match.id, match.score);
          }
        } else if (window_signals[i] != nullptr) {
          for (const auto& [id, score] : window_signals[i]->neighbours) {
            sink(id, score);
          }
        }
      },
      cluster_options);
  for (const auto& cluster : clusters) {
    HotTopic topic;
    topic.kind = HotTopic::Kind::kCluster;
    std::vector<size_t> members;
    for (const auto& id : cluster.ids) {
      const size_t i = position[id];
      if (in_period(window[i])) {
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
    std::vector<const Report*> all;
    for (const auto& id : cluster.ids) {
      all.push_back(&window[position[id]]);
    }
    const auto terms = SharedTerms(finder.index().tokenizer(), all);
    if (terms.empty()) {
      continue;
    }
    for (const auto& term : terms) {
      topic.label += (topic.label.empty() ? "" : " ") + term;
    }
    topic.is_new = topic.before == 0;
    Finish(window, members, options, &topic);
    topics.push_back(std::move(topic));
  }
  const size_t cluster_topics = topics.size();
  // Recurring places.
  std::map<std::string, std::pair<std::vector<size_t>, size_t>> places;  // in period, before
  for (size_t i = 0; i < window.size(); ++i) {
    std::set<std::string> seen;
    if (window_signals[i] != nullptr) {
      seen.insert(window_signals[i]->places.begin(), window_signals[i]->places.end());
    } else {
      for (const auto* text : {&window[i].title, &window[i].text, &window[i].address}) {
        for (const auto& token : finder.index().tokenizer().Tokenize(*text)) {
          if (IsPlace(token)) {
            seen.insert(token.text);
          }
        }
      }
    }
    for (const auto& place : seen) {
      auto& entry = places[place];
      if (in_period(window[i])) {
        entry.first.push_back(i);
      } else {
        ++entry.second;
      }
    }
  }
  for (auto& [place, entry] : places) {
    const auto& [members, before] = entry;
    if (members.size() < options.min_reports ||
        static_cast<double>(members.size()) >
            kMaxPlaceShare * static_cast<double>(period_reports)) {
      continue;
    }
    HotTopic topic;
    topic.kind = HotTopic::Kind::kPlace;
    topic.label = place;
    topic.before = before;
    topic.is_new = before == 0;
    Finish(window, members, options, &topic);
    // Only places that rise, and that a cluster does not already tell.
    bool covered = false;
    for (size_t c = 0; c < cluster_topics && !covered; ++c) {
      const std::set<std::string> ids(topics[c].ids.begin(), topics[c].ids.end());
      size_t inside = 0;
      for (const auto& id : topic.ids) {
        inside += ids.contains(id) ? 1 : 0;
      }
      covered =
          static_cast<double>(inside) >= kPlaceCoveredShare * static_cast<double>(topic.ids.size());
    }
    if (topic.growth > 1.0 && !covered) {
      topics.push_back(std::move(topic));
    }
  }
  for (auto& topic : GrowthTopics(reports, facets, options)) {
    topics.push_back(std::move(topic));
  }
  std::stable_sort(topics.begin(), topics.end(), [](const HotTopic& a, const HotTopic& b) {
    return a.score != b.score ? a.score > b.score : a.label < b.label;
  });
  if (topics.size() > options.limit) {
    topics.resize(options.limit);
  }
  return topics;
}

}  // namespace

std::vector<HotTopic> FindHotTopics(const SimilarityFinder& finder,
                                    const std::vector<Report>& reports,
                                    const std::vector<ReportFacets>& facets,
                                    const HotTopicOptions& options) {
  return RankTopics(finder, reports, facets, nullptr, options);
}

std::vector<HotTopic> FindHotTopics(const SimilarityFinder& finder,
                                    const std::vector<Report>& reports,
                                    const std::vector<ReportFacets>& facets,
                                    const std::vector<const ReportSignals*>& signals,
                                    const HotTopicOptions& options) {
  return RankTopics(finder, reports, facets, &signals, options);
}

ReportSignals SignalsOf(const SimilarityFinder& finder, const Report& report,
                        const ClusterOptions& cluster) {
  ReportSignals out;
  for (auto& match : finder.FindSimilar(report, cluster.neighbours)) {
    out.neighbours.emplace_back(std::move(match.id), match.score);
  }
  std::set<std::string> places;
  for (const auto* text : {&report.title, &report.text, &report.address}) {
    for (const auto& token : finder.index().tokenizer().Tokenize(*text)) {
      if (IsPlace(token)) {
        places.insert(token.text);
      }
    }
  }
  out.places.assign(places.begin(), places.end());
  return out;
}

}  // namespace hotline::adapters::text

#include "adapters/text/hot_topics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>

namespace hotline::adapters::text {

namespace {

// Places this common in the period (share of reports) are too broad to be a topic.
constexpr double kMaxPlaceShare = 0.05;

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

void Finish(const std::vector<Report>& reports, const std::vector<size_t>& in_period,
            const HotTopicOptions& options, HotTopic* topic) {
  topic->count = in_period.size();
  topic->growth = static_cast<double>(topic->count + 1) / static_cast<double>(topic->before + 1);
  topic->score = static_cast<double>(topic->count) * std::log2(1.0 + topic->growth);
  std::vector<size_t> recent = in_period;
  std::sort(recent.begin(), recent.end(),
            [&](size_t a, size_t b) { return reports[a].time > reports[b].time; });
  std::set<std::string> seen_titles;
  for (const size_t r : recent) {
    topic->ids.push_back(reports[r].id);
    if (topic->examples.size() < options.examples && seen_titles.insert(reports[r].title).second) {
      topic->examples.push_back(reports[r].title);
    }
  }
  std::string examples;
  for (const auto& title : topic->examples) {
    examples += (examples.empty() ? "" : "；") + title;
  }
  const char* what = topic->kind == HotTopic::Kind::kCluster ? "同类诉求" : "同一地点";
  if (topic->is_new) {
    topic->explanation = fmt::format("{}「{}」新出现：本期 {} 条，上期 0 条。例：{}", what,
                                     topic->label, topic->count, examples);
  } else {
    topic->explanation =
        fmt::format("{}「{}」本期 {} 条，上期 {} 条（{:.1f} 倍）。例：{}", what, topic->label,
                    topic->count, topic->before, topic->growth, examples);
  }
}

}  // namespace

std::vector<HotTopic> FindHotTopics(const SimilarityFinder& finder,
                                    const std::vector<Report>& reports,
                                    const HotTopicOptions& options) {
  const int64_t length = options.to - options.from;
  const int64_t previous = options.from - length;
  std::vector<Report> window;  // previous period and this one
  for (const auto& report : reports) {
    if (report.time >= previous && report.time < options.to) {
      window.push_back(report);
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
  std::set<std::string> clustered;
  for (const auto& cluster : ClusterReports(finder, window, cluster_options)) {
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
    if (members.size() < options.min_reports) {
      continue;
    }
    for (const auto& term : cluster.top_terms) {
      if (!IsAdministrativeArea(term) && term.size() > 1) {
        topic.label += (topic.label.empty() ? "" : " ") + term;
      }
    }
    if (topic.label.empty()) {
      topic.label = window[members.front()].title;
    }
    topic.is_new = topic.before == 0;
    Finish(window, members, options, &topic);
    topics.push_back(std::move(topic));
  }
  // Recurring places.
  std::map<std::string, std::pair<std::vector<size_t>, size_t>> places;  // in period, before
  for (size_t i = 0; i < window.size(); ++i) {
    std::set<std::string> seen;
    for (const auto* text : {&window[i].title, &window[i].text, &window[i].address}) {
      for (const auto& token : finder.index().tokenizer().Tokenize(*text)) {
        if (token.kind == TokenKind::kAddress && !IsAdministrativeArea(token.text)) {
          seen.insert(token.text);
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
    // Only places that rise.
    if (topic.growth > 1.0) {
      topics.push_back(std::move(topic));
    }
  }
  std::stable_sort(topics.begin(), topics.end(), [](const HotTopic& a, const HotTopic& b) {
    return a.score != b.score ? a.score > b.score : a.label < b.label;
  });
  if (topics.size() > options.limit) {
    topics.resize(options.limit);
  }
  return topics;
}

}  // namespace hotline::adapters::text

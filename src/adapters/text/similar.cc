#include "adapters/text/similar.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <set>

namespace hotline::adapters::text {

namespace {

constexpr double kSecondsPerDay = 86400.0;

bool IsPlaceKind(TokenKind kind) { return kind == TokenKind::kAddress; }

// Number of elements two sorted, unique sequences share.
template <typename T>
size_t CommonCount(const std::vector<T>& a, const std::vector<T>& b) {
  size_t common = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return common;
}

// Jaccard of two sorted sets. (An IDF-weighted Jaccard over place stems measured worse on
// the dev clusters, see docs/search.md.)
double Jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) {
    return 0;
  }
  const size_t common = CommonCount(a, b);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

// Dice coefficient of two sorted, unique sequences.
double Dice(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() || b.empty()) {
    return 0;
  }
  return 2.0 * static_cast<double>(CommonCount(a, b)) / static_cast<double>(a.size() + b.size());
}

bool IsSignificant(char32_t c) {
  return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= 0x3400 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF);
}

IndexDocument ToDocument(const Report& report) {
  IndexDocument doc;
  doc.id = report.id;
  doc.fields = {report.title, report.text + (report.address.empty() ? "" : "\n" + report.address)};
  if (!report.region.empty()) {
    doc.facets.emplace("region", report.region);
  }
  doc.time = report.time;
  return doc;
}

}  // namespace

SimilarityFinder::SimilarityFinder(const Tokenizer& tokenizer, SimilarOptions options)
    : tokenizer_(tokenizer), options_(std::move(options)), index_(tokenizer, options_.index) {}

std::vector<std::string> SimilarityFinder::Places(const Report& report) const {
  std::set<std::string> places;
  for (const std::string* text : {&report.title, &report.text, &report.address}) {
    for (auto& token : tokenizer_.Tokenize(*text)) {
      if (IsPlaceKind(token.kind)) {
        places.insert(std::move(token.text));
      }
    }
  }
  return {places.begin(), places.end()};
}

std::vector<uint32_t> SimilarityFinder::TitleGrams(const std::string& title) const {
  if (options_.title_title_weight <= 0) {
    return {};
  }
  std::u32string chars;
  for (const char32_t c : tokenizer_.normalizer().Normalize(title).chars) {
    if (IsSignificant(c)) {
      chars.push_back(c);
    }
  }
  // Every significant character is below U+10000, so a bigram fits in 32 bits (4 bytes a
  // bigram: ~80 MB for a million tickets' titles).
  std::vector<uint32_t> grams;
  for (size_t i = 0; i + 1 < chars.size(); ++i) {
    grams.push_back((static_cast<uint32_t>(chars[i]) << 16) | static_cast<uint32_t>(chars[i + 1]));
  }
  std::sort(grams.begin(), grams.end());
  grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
  return grams;
}

Status SimilarityFinder::Upsert(const Report& report) {
  HOTLINE_RETURN_IF_ERROR(index_.Upsert(ToDocument(report)));
  extras_[report.id] = Extra{Places(report), TitleGrams(report.title), report.region, report.time};
  return OkStatus();
}

Status SimilarityFinder::UpsertAnalyzed(const Report& report, AnalyzedReport analysis) {
  HOTLINE_RETURN_IF_ERROR(index_.UpsertAnalyzed(ToDocument(report), analysis.document));
  extras_[report.id] = Extra{std::move(analysis.places), std::move(analysis.title_grams),
                             report.region, report.time};
  return OkStatus();
}

void SimilarityFinder::ForEachAnalyzed(
    const std::function<void(std::string_view id, const AnalyzedReport&)>& visit) const {
  AnalyzedReport analysis;
  index_.ForEachAnalyzed([&](const IndexDocument& doc, const AnalyzedDocument& counted) {
    analysis.document = counted;
    const auto extra = extras_.find(doc.id);
    if (extra != extras_.end()) {
      analysis.places = extra->second.places;
      analysis.title_grams = extra->second.title_grams;
    } else {
      analysis.places.clear();
      analysis.title_grams.clear();
    }
    visit(doc.id, analysis);
  });
}

bool SimilarityFinder::Remove(std::string_view id) {
  extras_.erase(std::string(id));
  return index_.Remove(id);
}

std::vector<SimilarMatch> SimilarityFinder::FindSimilar(const Report& report, size_t limit) const {
  SearchQuery query;
  query.parts = {{report.title, options_.title_query_weight}, {report.text, 1.0}};
  if (!report.address.empty()) {
    query.parts.push_back({report.address, 1.0});
  }
  query.limit = std::max(options_.candidates, limit);
  if (!report.id.empty()) {
    query.exclude_ids.push_back(report.id);
  }
  if (options_.window_seconds.has_value() && report.time != 0) {
    query.time_from = report.time - *options_.window_seconds;
    query.time_to = report.time + *options_.window_seconds;
  }
  const AnalyzedQuery analyzed = index_.Analyze(query.parts);
  const double self = index_.ScoreUnindexed(analyzed, ToDocument(report));
  const auto hits = index_.Search(query, analyzed);
  const std::vector<std::string> places = Places(report);
  const std::vector<uint32_t> title_grams = TitleGrams(report.title);
  std::vector<SimilarMatch> matches;
  matches.reserve(hits.size());
  for (const auto& hit : hits) {
    SimilarMatch match;
    match.id = hit.id;
    match.text = self > 0 ? std::min(1.0, hit.score / self) : 0.0;
    const auto extra = extras_.find(hit.id);
    if (extra != extras_.end()) {
      match.places = Jaccard(places, extra->second.places);
      match.titles = Dice(title_grams, extra->second.title_grams);
      match.same_region = !report.region.empty() && report.region == extra->second.region;
      if (report.time != 0 && extra->second.time != 0) {
        match.days_apart =
            std::fabs(static_cast<double>(report.time - extra->second.time)) / kSecondsPerDay;
      }
    }
    // The title overlap is blended into the text evidence, so scores keep their scale (1 ≈ as
    // alike as the ticket itself) and ClusterOptions::threshold its meaning.
    const double w = options_.title_title_weight;
    const double text = (match.text + w * match.titles) / (1.0 + w);
    match.score = options_.text_weight * text + options_.place_weight * match.places +
                  (match.same_region ? options_.region_weight : 0.0);
    if (match.days_apart >= 0) {
      match.score += options_.time_weight * std::exp(-match.days_apart / options_.time_scale_days);
    }
    matches.push_back(std::move(match));
  }
  std::stable_sort(matches.begin(), matches.end(),
                   [](const SimilarMatch& a, const SimilarMatch& b) { return a.score > b.score; });
  if (matches.size() > limit) {
    matches.resize(limit);
  }
  return matches;
}

namespace {

struct DisjointSets {
  explicit DisjointSets(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  size_t Find(size_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }
  void Union(size_t a, size_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) {
      parent[std::max(a, b)] = std::min(a, b);
    }
  }
  std::vector<size_t> parent;
};

}  // namespace

std::vector<std::vector<size_t>> LinkPositions(const std::vector<int64_t>& times,
                                               const PositionSource& neighbours,
                                               const ClusterOptions& options) {
  DisjointSets sets(times.size());
  for (size_t i = 0; i < times.size(); ++i) {
    neighbours(i, [&](size_t other, double score) {
      if (score < options.threshold || other >= times.size()) {
        return;
      }
      if (times[i] != 0 && times[other] != 0 &&
          std::llabs(times[i] - times[other]) > options.window_seconds) {
        return;
      }
      sets.Union(i, other);
    });
  }
  // Roots are the smallest position of their group: groups come in order of first position.
  std::vector<size_t> group_of(times.size(), SIZE_MAX);
  std::vector<std::vector<size_t>> groups;
  for (size_t i = 0; i < times.size(); ++i) {
    const size_t root = sets.Find(i);
    if (group_of[root] == SIZE_MAX) {
      group_of[root] = groups.size();
      groups.emplace_back();
    }
    groups[group_of[root]].push_back(i);
  }
  std::vector<std::vector<size_t>> out;
  for (auto& members : groups) {
    if (members.size() < options.min_size) {
      continue;
    }
    std::stable_sort(members.begin(), members.end(),
                     [&](size_t a, size_t b) { return times[a] < times[b]; });
    out.push_back(std::move(members));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return out;
}

std::vector<ReportCluster> LinkReports(const std::vector<Report>& reports,
                                       const NeighbourSource& neighbours,
                                       const ClusterOptions& options) {
  std::unordered_map<std::string_view, size_t> position;
  std::vector<int64_t> times;
  times.reserve(reports.size());
  for (size_t i = 0; i < reports.size(); ++i) {
    position.emplace(reports[i].id, i);
    times.push_back(reports[i].time);
  }
  const auto groups = LinkPositions(
      times,
      [&](size_t i, const PositionSink& sink) {
        neighbours(i, [&](std::string_view id, double score) {
          const auto other = position.find(id);
          if (other != position.end()) {
            sink(other->second, score);
          }
        });
      },
      options);
  std::vector<ReportCluster> clusters;
  for (const auto& members : groups) {
    ReportCluster cluster;
    cluster.first_time = reports[members.front()].time;
    cluster.last_time = reports[members.back()].time;
    for (const size_t m : members) {
      cluster.ids.push_back(reports[m].id);
    }
    clusters.push_back(std::move(cluster));
  }
  return clusters;
}

std::vector<ReportCluster> ClusterReports(const SimilarityFinder& finder,
                                          const std::vector<Report>& reports,
                                          const ClusterOptions& options) {
  auto clusters = LinkReports(
      reports,
      [&](size_t i, const NeighbourSink& sink) {
        for (const auto& match : finder.FindSimilar(reports[i], options.neighbours)) {
          sink(match.id, match.score);
        }
      },
      options);
  std::unordered_map<std::string_view, const Report*> by_id;
  for (const auto& report : reports) {
    by_id.emplace(report.id, &report);
  }
  for (auto& cluster : clusters) {
    std::map<std::string, size_t> term_members;
    for (const auto& id : cluster.ids) {
      std::set<std::string> terms;
      for (const auto& token : finder.index().tokenizer().Tokenize(by_id.at(id)->title)) {
        if (token.kind != TokenKind::kBigram && token.kind != TokenKind::kUnigram &&
            token.kind != TokenKind::kNumber) {
          terms.insert(token.text);
        }
      }
      for (const auto& term : terms) {
        ++term_members[term];
      }
    }
    std::vector<std::pair<size_t, std::string>> ranked;
    for (const auto& [term, count] : term_members) {
      if (count * 2 >= cluster.ids.size()) {
        ranked.emplace_back(count, term);
      }
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    constexpr size_t kLabelTerms = 5;
    for (size_t t = 0; t < ranked.size() && t < kLabelTerms; ++t) {
      cluster.top_terms.push_back(ranked[t].second);
    }
  }
  return clusters;
}

}  // namespace hotline::adapters::text

#include "adapters/classify/dataset.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <string_view>
#include <unordered_map>

namespace hotline::adapters::classify {
namespace {

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return fields;
    }
    fields.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

// Row indices grouped by label, each group shuffled with `seed`.
std::vector<std::vector<size_t>> ShuffledGroups(const std::vector<LabelledText>& data,
                                                uint64_t seed) {
  std::map<std::string, std::vector<size_t>> by_label;  // ordered: deterministic
  for (size_t i = 0; i < data.size(); ++i) {
    by_label[data[i].label].push_back(i);
  }
  std::mt19937_64 rng(seed);
  std::vector<std::vector<size_t>> groups;
  for (auto& [label, rows] : by_label) {
    std::shuffle(rows.begin(), rows.end(), rng);
    groups.push_back(std::move(rows));
  }
  return groups;
}

}  // namespace

Result<std::vector<LabelledText>> ReadLabelledTsv(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return NotFound("no such data file: " + path.string());
  }
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidArgument("data path is a directory, not a TSV file: " + path.string());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return NotFound("cannot open data file: " + path.string());
  }
  std::string line;
  if (!std::getline(in, line)) {
    return InvalidArgument(path.string() + ": empty file; expected a header with label and text");
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) {
    line.erase(0, 3);  // UTF-8 byte order mark
  }
  const std::vector<std::string_view> header = SplitTabs(line);
  const auto label_it = std::find(header.begin(), header.end(), "label");
  const auto text_it = std::find(header.begin(), header.end(), "text");
  if (label_it == header.end() || text_it == header.end()) {
    return InvalidArgument(path.string() +
                           ": the header must name the tab-separated columns 'label' and 'text'");
  }
  const size_t label_col = static_cast<size_t>(label_it - header.begin());
  const size_t text_col = static_cast<size_t>(text_it - header.begin());
  const size_t needed = std::max(label_col, text_col) + 1;
  std::vector<LabelledText> rows;
  for (int line_no = 2; std::getline(in, line); ++line_no) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty()) {
      continue;
    }
    const std::vector<std::string_view> fields = SplitTabs(line);
    if (fields.size() < needed) {
      return InvalidArgument(path.string() + ":" + std::to_string(line_no) + ": expected " +
                             std::to_string(needed) + " tab-separated fields, found " +
                             std::to_string(fields.size()));
    }
    if (fields[label_col].empty()) {
      return InvalidArgument(path.string() + ":" + std::to_string(line_no) + ": empty label");
    }
    rows.push_back({std::string(fields[label_col]), std::string(fields[text_col])});
  }
  if (rows.empty()) {
    return InvalidArgument(path.string() + ": no data rows after the header");
  }
  return rows;
}

Split StratifiedSplit(const std::vector<LabelledText>& data, double test_fraction, uint64_t seed) {
  Split split;
  for (const std::vector<size_t>& rows : ShuffledGroups(data, seed)) {
    size_t n_test = static_cast<size_t>(test_fraction * static_cast<double>(rows.size()) + 0.5);
    if (n_test == 0 && rows.size() >= 2 && test_fraction > 0.0) {
      n_test = 1;
    }
    n_test = std::min(n_test, rows.size());
    split.test.insert(split.test.end(), rows.begin(), rows.begin() + static_cast<long>(n_test));
    split.train.insert(split.train.end(), rows.begin() + static_cast<long>(n_test), rows.end());
  }
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.test.begin(), split.test.end());
  return split;
}

std::vector<int> StratifiedFolds(const std::vector<LabelledText>& data, int folds, uint64_t seed) {
  std::vector<int> fold(data.size(), 0);
  folds = std::max(folds, 1);
  int next = 0;  // continue round-robin across labels so small labels spread too
  for (const std::vector<size_t>& rows : ShuffledGroups(data, seed)) {
    for (size_t row : rows) {
      fold[row] = next;
      next = (next + 1) % folds;
    }
  }
  return fold;
}

std::vector<std::string> DistinctLabels(const std::vector<LabelledText>& data) {
  std::vector<std::string> labels;
  for (const LabelledText& row : data) {
    if (std::find(labels.begin(), labels.end(), row.label) == labels.end()) {
      labels.push_back(row.label);
    }
  }
  return labels;
}

Evaluation Evaluate(const std::vector<std::string>& gold,
                    const std::vector<std::string>& predicted) {
  Evaluation e;
  std::unordered_map<std::string, size_t> index;
  auto add = [&](const std::string& label) {
    if (index.emplace(label, e.labels.size()).second) {
      e.labels.push_back(label);
    }
  };
  for (const std::string& g : gold) {
    add(g);
  }
  const size_t n_gold_labels = e.labels.size();
  for (const std::string& p : predicted) {
    add(p);
  }
  const size_t k = e.labels.size();
  e.confusion.assign(k, std::vector<int>(k, 0));
  const size_t n = std::min(gold.size(), predicted.size());
  int correct = 0;
  for (size_t i = 0; i < n; ++i) {
    const size_t g = index[gold[i]];
    const size_t p = index[predicted[i]];
    ++e.confusion[g][p];
    correct += g == p ? 1 : 0;
  }
  e.n = static_cast<int>(n);
  e.accuracy = n == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(n);
  double f1_sum = 0.0;
  for (size_t c = 0; c < k; ++c) {
    ClassMetrics m;
    m.label = e.labels[c];
    int predicted_c = 0;
    for (size_t g = 0; g < k; ++g) {
      m.support += e.confusion[c][g];
      predicted_c += e.confusion[g][c];
    }
    const int tp = e.confusion[c][c];
    m.precision = predicted_c == 0 ? 0.0 : static_cast<double>(tp) / predicted_c;
    m.recall = m.support == 0 ? 0.0 : static_cast<double>(tp) / m.support;
    m.f1 = m.precision + m.recall == 0.0 ? 0.0
                                         : 2.0 * m.precision * m.recall / (m.precision + m.recall);
    if (c < n_gold_labels) {
      f1_sum += m.f1;
    }
    e.per_class.push_back(m);
  }
  e.macro_f1 = n_gold_labels == 0 ? 0.0 : f1_sum / static_cast<double>(n_gold_labels);
  return e;
}

}  // namespace hotline::adapters::classify

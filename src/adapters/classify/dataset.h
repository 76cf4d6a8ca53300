// Labelled text for training and evaluating classifiers: TSV reading, seeded stratified
// splits and folds, and the usual metrics (accuracy, macro-F1, confusion matrix).
// Pure functions over values; thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"

namespace hotline::adapters::classify {

struct LabelledText {
  std::string label;
  std::string text;
};

// Reads a tab-separated file with a header row that names (at least) the columns `label`
// and `text`, in any order. Fields are taken literally (no quote processing); a trailing
// '\r' is dropped. kNotFound if the file is missing; kInvalidArgument if the header lacks
// a column, a row has too few fields or an empty label, or there are no rows.
Result<std::vector<LabelledText>> ReadLabelledTsv(const std::filesystem::path& path);

// Row indices split per label so each label keeps its share: about `test_fraction` of
// each label's rows (at least one when the label has two or more) go to `test`.
struct Split {
  std::vector<size_t> train;
  std::vector<size_t> test;
};
Split StratifiedSplit(const std::vector<LabelledText>& data, double test_fraction, uint64_t seed);

// The fold (0..folds-1) of every row; each label is spread evenly over the folds.
std::vector<int> StratifiedFolds(const std::vector<LabelledText>& data, int folds, uint64_t seed);

// Labels in first-seen order.
std::vector<std::string> DistinctLabels(const std::vector<LabelledText>& data);

struct ClassMetrics {
  std::string label;
  int support = 0;  // gold rows
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};

struct Evaluation {
  int n = 0;
  double accuracy = 0.0;
  double macro_f1 = 0.0;
  std::vector<std::string> labels;          // rows/columns of the confusion matrix
  std::vector<std::vector<int>> confusion;  // [gold][predicted]
  std::vector<ClassMetrics> per_class;
};

// Metrics of `predicted` against `gold` (same length). Labels are the union of both, gold
// labels first in first-seen order. Macro-F1 averages over labels present in gold.
Evaluation Evaluate(const std::vector<std::string>& gold,
                    const std::vector<std::string>& predicted);

}  // namespace hotline::adapters::classify

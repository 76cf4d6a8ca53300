// linear_experiment: tunes the classifier's linear member quickly. The texts are featurised
// once per feature set; then each configuration (one line of key=value pairs on stdin) is
// trained and scored on the folds without featurising again. Used for the NB-SVM, class
// weight, n-gram range, C and ensemble rows of docs/classify.md. Usage:
//   linear_experiment data=TRAIN.tsv [mode=cv|holdout|fullcv] [folds=5] [test=0.3]
//                     [outerseed=1] [splitseed=20240601] [cal=0.1] < configs
//   linear_experiment data=TRAIN.tsv writesplit=PREFIX   # PREFIX_train.tsv, PREFIX_test.tsv
// Protocol. mode=cv: stratified k-fold CV on the training part of a stratified 70/30 split
// (seed `outerseed`); the held-out 30% is never looked at. mode=holdout: train on the
// training part, score the held-out 30% (report only what CV chose). mode=fullcv: k-fold CV
// over the whole file (as the earlier tables of docs/classify.md).
// In every fold the members train on 1 - cal of the training rows; the other rows fit each
// member's temperature and the ensemble weights, as `hotline classify train` does.
// Config keys: lsets (w,c13) loss (svm|lr|cnb, or members joined by '+', e.g. svm+lr+cnb)
// C (one value, or one per member joined by '+') mindf maxfeat lbigrams sublinear liters
// nb nbalpha cw title titlechars maxchars combine (avg: mean of calibrated probabilities |
// stack: log-linear weights fitted on the calibration rows' NLL).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/classify/calibration.h"
#include "adapters/classify/dataset.h"
#include "adapters/classify/linear_model.h"
#include "adapters/classify/text_features.h"

namespace cls = hotline::adapters::classify;

namespace {

using Config = std::map<std::string, std::string>;

Config ParsePairs(const std::vector<std::string>& words) {
  Config kv;
  for (const std::string& w : words) {
    const size_t eq = w.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "expected key=value, got %s\n", w.c_str());
      std::exit(2);
    }
    kv[w.substr(0, eq)] = w.substr(eq + 1);
  }
  return kv;
}

std::string Get(const Config& kv, const std::string& key, const std::string& fallback) {
  auto it = kv.find(key);
  return it == kv.end() ? fallback : it->second;
}
double Num(const Config& kv, const std::string& key, double fallback) {
  auto it = kv.find(key);
  return it == kv.end() ? fallback : std::stod(it->second);
}
std::vector<std::string> SplitOn(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, sep)) {
    out.push_back(part);
  }
  return out;
}

// Feature lines of every text under one feature set, computed once.
class LineCache {
 public:
  explicit LineCache(const std::vector<cls::LabelledText>& data) : data_(data) {}
  const std::vector<std::string>& Lines(const cls::FeatureOptions& f) {
    const std::string key = cls::FeatureSetCode(f) + "/" + std::to_string(f.title_repeat) + "/" +
                            std::to_string(f.title_max_chars) + "/" + std::to_string(f.max_chars);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      return it->second;
    }
    auto featurizer = cls::TextFeaturizer::Create(f);
    if (!featurizer.has_value()) {
      std::fprintf(stderr, "%s\n", featurizer.error().ToString().c_str());
      std::exit(1);
    }
    std::vector<std::string> lines(data_.size());
    std::vector<std::thread> workers;
    for (size_t t = 0; t < 2; ++t) {
      workers.emplace_back([&, t] {
        for (size_t i = t; i < data_.size(); i += 2) {
          lines[i] = (*featurizer)->FeatureLine(data_[i].text);
        }
      });
    }
    for (auto& w : workers) {
      w.join();
    }
    return cache_.emplace(key, std::move(lines)).first->second;
  }

 private:
  const std::vector<cls::LabelledText>& data_;
  std::map<std::string, std::vector<std::string>> cache_;
};

struct Scores {
  double accuracy = 0;
  double macro_f1 = 0;
};

Scores Score(const std::vector<int>& gold, const std::vector<int>& predicted,
             const std::vector<std::string>& labels) {
  std::vector<std::string> g;
  std::vector<std::string> p;
  for (size_t i = 0; i < gold.size(); ++i) {
    g.push_back(labels[static_cast<size_t>(gold[i])]);
    p.push_back(labels[static_cast<size_t>(predicted[i])]);
  }
  const cls::Evaluation e = cls::Evaluate(g, p);
  return {e.accuracy, e.macro_f1};
}

int Argmax(const std::vector<double>& z) {
  return static_cast<int>(std::max_element(z.begin(), z.end()) - z.begin());
}

std::vector<double> LogSoftmax(const std::vector<double>& z, double t) {
  std::vector<double> p = cls::SoftmaxWithTemperature(z, t);
  for (double& v : p) {
    v = std::log(std::max(v, 1e-300));
  }
  return p;
}

struct FoldResult {
  Scores combined;
  std::vector<Scores> members;
  std::vector<double> weights;
  double seconds = 0;
};

// One fold: members trained on `train` (minus the calibration rows), scored on `test`.
FoldResult RunFold(const std::vector<cls::LabelledText>& data, const std::vector<int>& label_ids,
                   const std::vector<std::string>& labels,
                   const std::vector<const std::vector<std::string>*>& set_lines,
                   const std::vector<bool>& bigram_sets,
                   const std::vector<cls::LinearOptions>& member_options,
                   const std::vector<size_t>& train, const std::vector<size_t>& test, double cal,
                   const std::string& combine) {
  std::vector<size_t> fit = train;
  std::vector<size_t> calib;
  if (cal > 0.0) {
    std::vector<cls::LabelledText> sub;
    for (size_t i : train) {
      sub.push_back(data[i]);
    }
    const cls::Split s = cls::StratifiedSplit(sub, cal, 42);
    fit.clear();
    for (size_t j : s.train) {
      fit.push_back(train[j]);
    }
    for (size_t j : s.test) {
      calib.push_back(train[j]);
    }
  }
  auto doc = [&](size_t i) {
    cls::LinearModel::Tokens d;
    for (const auto* lines : set_lines) {
      d.push_back((*lines)[i]);
    }
    return d;
  };
  std::vector<cls::LinearModel::Tokens> docs;
  std::vector<int> y;
  for (size_t i : fit) {
    docs.push_back(doc(i));
    y.push_back(label_ids[i]);
  }
  const int k = static_cast<int>(labels.size());
  const auto start = std::chrono::steady_clock::now();
  // Per member: log-probabilities (after its own temperature) on calib and test rows.
  std::vector<std::vector<std::vector<double>>> cal_lp(member_options.size());
  std::vector<std::vector<std::vector<double>>> test_lp(member_options.size());
  FoldResult out;
  std::vector<int> cal_gold;
  std::vector<int> test_gold;
  for (size_t i : calib) {
    cal_gold.push_back(label_ids[i]);
  }
  for (size_t i : test) {
    test_gold.push_back(label_ids[i]);
  }
  for (size_t m = 0; m < member_options.size(); ++m) {
    auto model = cls::LinearModel::Train(docs, y, k, bigram_sets, member_options[m]);
    if (!model.has_value()) {
      std::fprintf(stderr, "train failed: %s\n", model.error().ToString().c_str());
      std::exit(1);
    }
    std::vector<std::vector<double>> cal_z;
    for (size_t i : calib) {
      cal_z.push_back(model->Scores(doc(i)));
    }
    const double t = calib.empty() ? 1.0 : cls::FitTemperature(cal_z, cal_gold);
    for (const auto& z : cal_z) {
      cal_lp[m].push_back(LogSoftmax(z, t));
    }
    std::vector<int> predicted;
    for (size_t i : test) {
      test_lp[m].push_back(LogSoftmax(model->Scores(doc(i)), t));
      predicted.push_back(Argmax(test_lp[m].back()));
    }
    out.members.push_back(Score(test_gold, predicted, labels));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const size_t n_members = member_options.size();
  std::vector<double> weights(n_members, 1.0 / static_cast<double>(n_members));
  auto mix = [&](const std::vector<std::vector<std::vector<double>>>& lp, size_t row,
                 const std::vector<double>& w) {
    std::vector<double> z(static_cast<size_t>(k), 0.0);
    if (combine == "avg") {  // mean of probabilities, back to log space
      for (size_t m = 0; m < n_members; ++m) {
        for (size_t c = 0; c < z.size(); ++c) {
          z[c] += w[m] * std::exp(lp[m][row][c]);
        }
      }
      for (double& v : z) {
        v = std::log(std::max(v, 1e-300));
      }
    } else {
      for (size_t m = 0; m < n_members; ++m) {
        for (size_t c = 0; c < z.size(); ++c) {
          z[c] += w[m] * lp[m][row][c];
        }
      }
    }
    return z;
  };
  if (combine == "stack" && n_members > 1 && !calib.empty()) {
    // Weights on a simplex grid of step 0.1 (members <= 3), minimum calibration NLL.
    double best = std::numeric_limits<double>::infinity();
    std::vector<double> w(n_members);
    auto try_w = [&] {
      std::vector<std::vector<double>> z;
      for (size_t r = 0; r < calib.size(); ++r) {
        z.push_back(mix(cal_lp, r, w));
      }
      const double t = cls::FitTemperature(z, cal_gold);
      const double nll = cls::NegativeLogLikelihood(z, cal_gold, t);
      if (nll < best) {
        best = nll;
        weights = w;
      }
    };
    if (n_members == 2) {
      for (int a = 0; a <= 10; ++a) {
        w = {a / 10.0, 1 - a / 10.0};
        try_w();
      }
    } else {
      for (int a = 0; a <= 10; ++a) {
        for (int b = 0; a + b <= 10; ++b) {
          w.assign(n_members, 0.0);
          w[0] = a / 10.0;
          w[1] = b / 10.0;
          w[2] = (10 - a - b) / 10.0;
          try_w();
        }
      }
    }
  }
  std::vector<int> predicted;
  for (size_t r = 0; r < test.size(); ++r) {
    predicted.push_back(Argmax(mix(test_lp, r, weights)));
  }
  out.combined = Score(test_gold, predicted, labels);
  out.weights = weights;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  const Config base = ParsePairs(words);
  auto data = cls::ReadLabelledTsv(Get(base, "data", "../shared/data/classify_train.tsv"));
  if (!data.has_value()) {
    std::fprintf(stderr, "%s\n", data.error().ToString().c_str());
    return 1;
  }
  std::vector<std::string> labels = cls::DistinctLabels(*data);
  std::sort(labels.begin(), labels.end());
  std::vector<int> label_ids;
  for (const auto& row : *data) {
    label_ids.push_back(static_cast<int>(std::lower_bound(labels.begin(), labels.end(), row.label) -
                                         labels.begin()));
  }
  const std::string mode = Get(base, "mode", "cv");
  const int folds = static_cast<int>(Num(base, "folds", 5));
  const double cal = Num(base, "cal", 0.1);
  const uint64_t split_seed = static_cast<uint64_t>(Num(base, "splitseed", 20240601));
  // The folds: (train rows, test rows) as indices into data.
  std::vector<std::pair<std::vector<size_t>, std::vector<size_t>>> runs;
  if (mode == "fullcv") {
    const std::vector<int> fold = cls::StratifiedFolds(*data, folds, split_seed);
    for (int f = 0; f < folds; ++f) {
      runs.emplace_back();
      for (size_t i = 0; i < data->size(); ++i) {
        (fold[i] == f ? runs.back().second : runs.back().first).push_back(i);
      }
    }
  } else {
    const cls::Split outer = cls::StratifiedSplit(*data, Num(base, "test", 0.3),
                                                  static_cast<uint64_t>(Num(base, "outerseed", 1)));
    if (mode == "holdout") {
      runs.emplace_back(outer.train, outer.test);
    } else {
      std::vector<cls::LabelledText> part;
      for (size_t i : outer.train) {
        part.push_back((*data)[i]);
      }
      const std::vector<int> fold = cls::StratifiedFolds(part, folds, split_seed);
      for (int f = 0; f < folds; ++f) {
        runs.emplace_back();
        for (size_t j = 0; j < part.size(); ++j) {
          (fold[j] == f ? runs.back().second : runs.back().first).push_back(outer.train[j]);
        }
      }
    }
  }
  if (const std::string prefix = Get(base, "writesplit", ""); !prefix.empty()) {
    // The outer split as two TSV files, for `hotline classify train/eval`.
    const cls::Split outer = cls::StratifiedSplit(*data, Num(base, "test", 0.3),
                                                  static_cast<uint64_t>(Num(base, "outerseed", 1)));
    for (const auto& [suffix, rows] :
         {std::pair{"_train.tsv", &outer.train}, std::pair{"_test.tsv", &outer.test}}) {
      FILE* out = std::fopen((prefix + suffix).c_str(), "w");
      if (out == nullptr) {
        std::fprintf(stderr, "cannot write %s%s\n", prefix.c_str(), suffix);
        return 1;
      }
      std::fprintf(out, "label\ttext\n");
      for (size_t i : *rows) {
        std::fprintf(out, "%s\t%s\n", (*data)[i].label.c_str(), (*data)[i].text.c_str());
      }
      std::fclose(out);
    }
    return 0;
  }
  LineCache cache(*data);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    std::vector<std::string> config_words;
    std::stringstream in(line);
    for (std::string w; in >> w;) {
      config_words.push_back(w);
    }
    Config kv = ParsePairs(config_words);
    auto sets = cls::ParseFeatureSets(Get(kv, "lsets", "w,c13"));
    if (!sets.has_value()) {
      std::fprintf(stderr, "%s\n", sets.error().ToString().c_str());
      return 2;
    }
    std::vector<const std::vector<std::string>*> set_lines;
    std::vector<bool> bigram_sets;
    const bool lbigrams = Num(kv, "lbigrams", 1) != 0;
    for (cls::FeatureOptions& f : *sets) {
      f.title_repeat = static_cast<int>(Num(kv, "title", f.title_repeat));
      f.title_max_chars = static_cast<int>(Num(kv, "titlechars", f.title_max_chars));
      f.max_chars = static_cast<int>(Num(kv, "maxchars", f.max_chars));
      set_lines.push_back(&cache.Lines(f));
      bigram_sets.push_back(lbigrams && f.words && f.char_ngram_max == 0);
    }
    const std::vector<std::string> losses = SplitOn(Get(kv, "loss", "svm"), '+');
    const std::vector<std::string> cs = SplitOn(Get(kv, "C", "3"), '+');
    std::vector<cls::LinearOptions> member_options;
    for (size_t m = 0; m < losses.size(); ++m) {
      cls::LinearOptions o;
      auto loss = cls::ParseLinearLoss(losses[m]);
      if (!loss.has_value()) {
        std::fprintf(stderr, "bad loss %s\n", losses[m].c_str());
        return 2;
      }
      o.loss = *loss;
      o.c = std::stod(cs[std::min(m, cs.size() - 1)]);
      o.min_df = static_cast<int>(Num(kv, "mindf", o.min_df));
      o.max_features = static_cast<int>(Num(kv, "maxfeat", o.max_features));
      o.token_bigrams = lbigrams;
      o.sublinear_tf = Num(kv, "sublinear", 1) != 0;
      o.max_iterations = static_cast<int>(Num(kv, "liters", o.max_iterations));
      o.nb_scale = Num(kv, "nb", 0) != 0;
      o.nb_alpha = Num(kv, "nbalpha", o.nb_alpha);
      o.class_weight = Num(kv, "cw", 0);
      o.threads = 2;
      member_options.push_back(o);
    }
    const std::string combine = Get(kv, "combine", "avg");
    std::vector<FoldResult> results;
    for (const auto& [train, test] : runs) {
      results.push_back(RunFold(*data, label_ids, labels, set_lines, bigram_sets, member_options,
                                train, test, cal, combine));
    }
    double acc = 0;
    double f1 = 0;
    double secs = 0;
    std::vector<double> m_acc(member_options.size(), 0.0);
    std::vector<double> m_f1(member_options.size(), 0.0);
    std::vector<double> w(member_options.size(), 0.0);
    std::string per_fold;
    for (const FoldResult& r : results) {
      const double n = static_cast<double>(results.size());
      acc += r.combined.accuracy / n;
      f1 += r.combined.macro_f1 / n;
      secs += r.seconds / n;
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.3f ", r.combined.accuracy);
      per_fold += buf;
      for (size_t m = 0; m < member_options.size(); ++m) {
        m_acc[m] += r.members[m].accuracy / n;
        m_f1[m] += r.members[m].macro_f1 / n;
        w[m] += r.weights[m] / n;
      }
    }
    std::printf("%-8s %-60s acc %.4f f1 %.4f [%s] train_s %.1f", mode.c_str(), line.c_str(), acc,
                f1, per_fold.c_str(), secs);
    if (member_options.size() > 1) {
      for (size_t m = 0; m < member_options.size(); ++m) {
        std::printf(" | %s %.4f/%.4f w %.2f", losses[m].c_str(), m_acc[m], m_f1[m], w[m]);
      }
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  return 0;
}

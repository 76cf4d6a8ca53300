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
// Sixth round (docs/classify.md, experiment 3d): views (one feature view per member, joined
// by '/', e.g. views=w/c13), loss knnN (a member voting with the N most similar training
// texts, Jaccard over the view's tokens), prior (subtract prior * log(label share) from the
// combined log-probabilities), self (self-training: unlabelled texts whose calibrated top
// probability reaches this threshold join the training rows with their predicted label;
// selfrounds rounds; needs the base argument unlab=TSV with label and text columns, labels
// ignored).
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
#include "experiment_common.h"

namespace cls = hotline::adapters::classify;

namespace {

using hotline::bench::classify::Argmax;
using hotline::bench::classify::Config;
using hotline::bench::classify::Get;
using hotline::bench::classify::Num;
using hotline::bench::classify::ParsePairs;
using hotline::bench::classify::Score;
using hotline::bench::classify::Scores;
using hotline::bench::classify::SplitOn;

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

std::vector<double> LogSoftmax(const std::vector<double>& z, double t) {
  std::vector<double> p = cls::SoftmaxWithTemperature(z, t);
  for (double& v : p) {
    v = std::log(std::max(v, 1e-300));
  }
  return p;
}

// Sorted distinct token hashes of a text's feature lines (for the kNN member).
std::vector<uint64_t> TokenSet(const std::vector<const std::vector<std::string>*>& lines,
                               size_t i) {
  std::vector<uint64_t> out;
  for (size_t s = 0; s < lines.size(); ++s) {
    std::string_view line = (*lines[s])[i];
    while (!line.empty()) {
      const size_t sp = line.find(' ');
      const std::string_view tok = line.substr(0, sp);
      out.push_back(std::hash<std::string_view>{}(tok)*31 + s);
      line = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double Jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t i = 0;
  size_t j = 0;
  size_t both = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++both;
      ++i;
      ++j;
    }
  }
  const size_t any = a.size() + b.size() - both;
  return any == 0 ? 0.0 : static_cast<double>(both) / static_cast<double>(any);
}

struct FoldResult {
  Scores combined;
  std::vector<Scores> members;
  std::vector<double> weights;
  double seconds = 0;
  double pseudo = 0;  // pseudo-labelled rows added (summed over rounds)
};

// One fold: members trained on `train` (minus the calibration rows), scored on `test`.
FoldResult RunFold(const std::vector<cls::LabelledText>& data, const std::vector<int>& label_ids,
                   const std::vector<std::string>& labels,
                   const std::vector<std::vector<const std::vector<std::string>*>>& view_lines,
                   const std::vector<std::vector<bool>>& view_bigrams,
                   const std::vector<cls::LinearOptions>& member_options,
                   const std::vector<size_t>& train, const std::vector<size_t>& test, double cal,
                   const std::string& combine,
                   const std::vector<std::vector<const std::vector<std::string>*>>& view_unlab,
                   double self_threshold, int self_rounds, const std::vector<int>& knn_k,
                   double prior_power) {
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
  size_t view = 0;  // the member being trained: its feature view
  auto doc = [&](size_t i) {
    cls::LinearModel::Tokens d;
    for (const auto* lines : view_lines[view]) {
      d.push_back((*lines)[i]);
    }
    return d;
  };
  std::vector<int> y;
  for (size_t i : fit) {
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
    view = m;
    const std::vector<bool>& bigram_sets = view_bigrams[m];
    std::vector<cls::LinearModel::Tokens> docs;
    for (size_t i : fit) {
      docs.push_back(doc(i));
    }
    const auto& unlab_lines = view_unlab[m];
    const size_t n_unlab = unlab_lines.empty() ? 0 : unlab_lines[0]->size();
    auto unlab_doc = [&](size_t i) {
      cls::LinearModel::Tokens d;
      for (const auto* lines : unlab_lines) {
        d.push_back((*lines)[i]);
      }
      return d;
    };
    if (knn_k[m] > 0) {
      // kNN member: score of label c = sum of the Jaccard similarities of the text's
      // knn_k nearest training texts of label c.
      std::vector<std::vector<uint64_t>> train_sets;
      for (size_t i : fit) {
        train_sets.push_back(TokenSet(view_lines[m], i));
      }
      auto knn_scores = [&](size_t row) {
        const std::vector<uint64_t> q = TokenSet(view_lines[m], row);
        std::vector<std::pair<double, int>> sims;
        for (size_t j = 0; j < train_sets.size(); ++j) {
          sims.emplace_back(Jaccard(q, train_sets[j]), y[j]);
        }
        const size_t top = std::min(sims.size(), static_cast<size_t>(knn_k[m]));
        std::partial_sort(sims.begin(), sims.begin() + static_cast<long>(top), sims.end(),
                          [](const auto& a, const auto& b) { return a.first > b.first; });
        std::vector<double> z(static_cast<size_t>(k), 0.0);
        for (size_t j = 0; j < top; ++j) {
          z[static_cast<size_t>(sims[j].second)] += sims[j].first;
        }
        return z;
      };
      std::vector<std::vector<double>> cal_z;
      for (size_t i : calib) {
        cal_z.push_back(knn_scores(i));
      }
      const double t = calib.empty() ? 1.0 : cls::FitTemperature(cal_z, cal_gold);
      for (const auto& z : cal_z) {
        cal_lp[m].push_back(LogSoftmax(z, t));
      }
      std::vector<int> predicted;
      for (size_t i : test) {
        test_lp[m].push_back(LogSoftmax(knn_scores(i), t));
        predicted.push_back(Argmax(test_lp[m].back()));
      }
      out.members.push_back(Score(test_gold, predicted, labels));
      continue;
    }
    auto model = cls::LinearModel::Train(docs, y, k, bigram_sets, member_options[m]);
    if (!model.has_value()) {
      std::fprintf(stderr, "train failed: %s\n", model.error().ToString().c_str());
      std::exit(1);
    }
    std::vector<std::vector<double>> cal_z;
    for (size_t i : calib) {
      cal_z.push_back(model->Scores(doc(i)));
    }
    double t = calib.empty() ? 1.0 : cls::FitTemperature(cal_z, cal_gold);
    // Self-training: unlabelled texts whose calibrated top probability reaches the
    // threshold join the training rows with their predicted label; retrain.
    for (int round = 0; round < self_rounds && n_unlab > 0 && self_threshold > 0; ++round) {
      std::vector<cls::LinearModel::Tokens> docs2 = docs;
      std::vector<int> y2 = y;
      for (size_t u = 0; u < n_unlab; ++u) {
        const cls::LinearModel::Tokens d = unlab_doc(u);
        const std::vector<double> p = cls::SoftmaxWithTemperature(model->Scores(d), t);
        const int best = Argmax(p);
        if (p[static_cast<size_t>(best)] >= self_threshold) {
          docs2.push_back(d);
          y2.push_back(best);
        }
      }
      out.pseudo += static_cast<double>(docs2.size() - docs.size());
      model = cls::LinearModel::Train(docs2, y2, k, bigram_sets, member_options[m]);
      if (!model.has_value()) {
        std::fprintf(stderr, "train failed: %s\n", model.error().ToString().c_str());
        std::exit(1);
      }
      cal_z.clear();
      for (size_t i : calib) {
        cal_z.push_back(model->Scores(doc(i)));
      }
      t = calib.empty() ? 1.0 : cls::FitTemperature(cal_z, cal_gold);
    }
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
  // Prior adjustment: subtract prior_power * log(share of the label in the training rows).
  std::vector<double> log_prior(static_cast<size_t>(k), 0.0);
  for (int label : y) {
    log_prior[static_cast<size_t>(label)] += 1.0;
  }
  for (double& v : log_prior) {
    v = std::log(std::max(v, 1.0) / static_cast<double>(y.size()));
  }
  std::vector<int> predicted;
  for (size_t r = 0; r < test.size(); ++r) {
    std::vector<double> z = mix(test_lp, r, weights);
    for (size_t c = 0; c < z.size(); ++c) {
      z[c] -= prior_power * log_prior[c];
    }
    predicted.push_back(Argmax(z));
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
  // Unlabelled texts for self-training (a TSV read like the training file; labels ignored).
  std::vector<cls::LabelledText> unlab;
  if (const std::string path = Get(base, "unlab", ""); !path.empty()) {
    auto u = cls::ReadLabelledTsv(path);
    if (!u.has_value()) {
      std::fprintf(stderr, "%s\n", u.error().ToString().c_str());
      return 1;
    }
    unlab = std::move(*u);
  }
  LineCache unlab_cache(unlab);
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
    // One feature view per member: `views` (views joined by '/', e.g. w/c13), else every
    // member sees `lsets`.
    const std::vector<std::string> losses0 = SplitOn(Get(kv, "loss", "svm"), '+');
    std::vector<std::string> view_specs = SplitOn(Get(kv, "views", ""), '/');
    if (view_specs.empty()) {
      view_specs.assign(losses0.size(), Get(kv, "lsets", "w,c13"));
    }
    std::vector<std::vector<const std::vector<std::string>*>> view_lines;
    std::vector<std::vector<const std::vector<std::string>*>> view_unlab;
    std::vector<std::vector<bool>> view_bigrams;
    const bool lbigrams = Num(kv, "lbigrams", 1) != 0;
    for (const std::string& spec : view_specs) {
      auto sets = cls::ParseFeatureSets(spec);
      if (!sets.has_value()) {
        std::fprintf(stderr, "%s\n", sets.error().ToString().c_str());
        return 2;
      }
      view_lines.emplace_back();
      view_unlab.emplace_back();
      view_bigrams.emplace_back();
      for (cls::FeatureOptions& f : *sets) {
        f.title_repeat = static_cast<int>(Num(kv, "title", f.title_repeat));
        f.title_max_chars = static_cast<int>(Num(kv, "titlechars", f.title_max_chars));
        f.max_chars = static_cast<int>(Num(kv, "maxchars", f.max_chars));
        view_lines.back().push_back(&cache.Lines(f));
        if (!unlab.empty() && Num(kv, "self", 0) > 0) {
          view_unlab.back().push_back(&unlab_cache.Lines(f));
        }
        view_bigrams.back().push_back(lbigrams && f.words && f.char_ngram_max == 0);
      }
    }
    std::vector<std::string> losses = losses0;
    losses.resize(view_specs.size(), losses0.back());
    const std::vector<std::string> cs = SplitOn(Get(kv, "C", "3"), '+');
    std::vector<cls::LinearOptions> member_options;
    std::vector<int> knn_k;
    for (size_t m = 0; m < losses.size(); ++m) {
      cls::LinearOptions o;
      knn_k.push_back(losses[m].rfind("knn", 0) == 0 ? std::max(1, std::atoi(losses[m].c_str() + 3))
                                                     : 0);
      if (knn_k.back() > 0) {
        member_options.push_back(o);
        continue;
      }
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
      results.push_back(RunFold(*data, label_ids, labels, view_lines, view_bigrams, member_options,
                                train, test, cal, combine, view_unlab, Num(kv, "self", 0),
                                static_cast<int>(Num(kv, "selfrounds", 1)), knn_k,
                                Num(kv, "prior", 0)));
    }
    double acc = 0;
    double f1 = 0;
    double secs = 0;
    double pseudo = 0;
    std::vector<double> m_acc(member_options.size(), 0.0);
    std::vector<double> m_f1(member_options.size(), 0.0);
    std::vector<double> w(member_options.size(), 0.0);
    std::string per_fold;
    for (const FoldResult& r : results) {
      const double n = static_cast<double>(results.size());
      acc += r.combined.accuracy / n;
      f1 += r.combined.macro_f1 / n;
      secs += r.seconds / n;
      pseudo += r.pseudo / n;
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
    if (pseudo > 0) {
      std::printf(" pseudo %.0f", pseudo);
    }
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

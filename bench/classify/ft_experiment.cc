// ft_experiment: tunes the classifier's fastText member and the ensemble's mixing under the
// protocol of docs/classify.md (experiments 3c-3e): a stratified 70/30 split (seed
// `outerseed`), decisions by stratified k-fold CV on the 70% part only; the held-out 30% is
// scored afterwards (mode=holdout), for reporting. In each fold, as `hotline classify train`
// does: 10% of the fold's training rows (stratified, seed 42) are held out, the members train
// on the rest, and the mixing weight, the linear scale and the temperature are fitted on the
// held-out 10% (minimum NLL, weight on a 1/20 grid); then the prior correction. The linear
// member (the default NB-SVM) is trained once per fold and linear set and reused by every
// configuration. Usage:
//   ft_experiment data=TRAIN.tsv [mode=cv|holdout] [folds=5] [outerseed=1]
//                 [splitseed=20240601] [cal=0.1] < configs
//   ft_experiment data=TRAIN.tsv corpus=OUT.txt [sets=w] unlab=A.tsv:COL+COL,B.tsv:COL ...
//       writes the unlabelled texts (columns joined by a space) and the training part's
//       texts as feature lines, one per text, for `vectors=`; an unlabelled text whose
//       body (the last column), whitespace removed, equals a text of TRAIN.tsv or shares its
//       first 40 characters is dropped (so nothing of the held-out part leaks), and so are
//       duplicates. notrain=1 leaves the training part out.
//   ft_experiment vectors=OUT.vec input=CORPUS.txt [dim=50] [epoch=5] [minn=0] [maxn=0]
//                 [mincount=2] [ws=5] [threads=2] [model=skipgram|cbow]
// Config keys (one line of key=value pairs per configuration): sets (fastText feature sets,
// default w; none = no fastText member) epoch lr dim ngrams minn maxn loss
// (softmax|ova|hs|ns) bucket mincount seed threads pretrained (a .vec file) prior (0.3) lsets
// (the linear member's sets, default w,c13; none = no linear member) C fixw (extra mixing
// weights to report, joined by ',').
#include <fasttext/fasttext.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/classify/calibration.h"
#include "adapters/classify/dataset.h"
#include "adapters/classify/fasttext_model.h"
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
[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::exit(1);
}
double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

std::vector<cls::FeatureOptions> Sets(const std::string& spec) {
  auto sets = cls::ParseFeatureSets(spec);
  if (!sets.has_value()) {
    Die(sets.error().ToString());
  }
  return *sets;
}

// Feature lines of texts under one feature set, computed once (2 threads).
class LineCache {
 public:
  explicit LineCache(const std::vector<std::string>& texts) : texts_(texts) {}
  const std::vector<std::string>& Lines(const cls::FeatureOptions& f) {
    const std::string key = cls::FeatureSetCode(f);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      return it->second;
    }
    auto featurizer = cls::TextFeaturizer::Create(f);
    if (!featurizer.has_value()) {
      Die(featurizer.error().ToString());
    }
    std::vector<std::string> lines(texts_.size());
    std::vector<std::thread> workers;
    for (size_t t = 0; t < 2; ++t) {
      workers.emplace_back([&, t] {
        for (size_t i = t; i < texts_.size(); i += 2) {
          lines[i] = (*featurizer)->FeatureLine(texts_[i]);
        }
      });
    }
    for (auto& w : workers) {
      w.join();
    }
    return cache_.emplace(key, std::move(lines)).first->second;
  }

 private:
  const std::vector<std::string>& texts_;
  std::map<std::string, std::vector<std::string>> cache_;
};

std::string Squeeze(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      out.push_back(c);
    }
  }
  return out;
}
// The first n UTF-8 characters of s.
std::string Prefix(const std::string& s, size_t n) {
  size_t i = 0;
  size_t chars = 0;
  while (i < s.size() && chars < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++chars;
  }
  return s.substr(0, std::min(i, s.size()));
}

// Rows of a TSV with a header: the named columns of every row.
std::vector<std::vector<std::string>> ReadColumns(const std::string& path,
                                                  const std::vector<std::string>& names) {
  std::ifstream in(path);
  if (!in) {
    Die("cannot read " + path);
  }
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = SplitOn(line, '\t');
  std::vector<size_t> at;
  for (const std::string& n : names) {
    auto it = std::find(header.begin(), header.end(), n);
    if (it == header.end()) {
      Die(path + " has no column " + n);
    }
    at.push_back(static_cast<size_t>(it - header.begin()));
  }
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = SplitOn(line, '\t');
    std::vector<std::string> row;
    for (size_t a : at) {
      row.push_back(a < f.size() ? f[a] : "");
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

int TrainVectors(const Config& base) {
  fasttext::Args args;
  args.input = Get(base, "input", "");
  args.model = Get(base, "model", "skipgram") == "cbow" ? fasttext::model_name::cbow
                                                        : fasttext::model_name::sg;
  args.dim = static_cast<int>(Num(base, "dim", 50));
  args.epoch = static_cast<int>(Num(base, "epoch", 5));
  args.minn = static_cast<int>(Num(base, "minn", 0));
  args.maxn = static_cast<int>(Num(base, "maxn", 0));
  args.minCount = static_cast<int>(Num(base, "mincount", 2));
  args.ws = static_cast<int>(Num(base, "ws", 5));
  args.lr = Num(base, "lr", 0.05);
  args.thread = static_cast<int>(Num(base, "threads", 2));
  args.verbose = 0;
  const auto start = std::chrono::steady_clock::now();
  const double cpu0 = CpuSeconds();
  fasttext::FastText ft;
  ft.train(args);
  ft.saveVectors(Get(base, "vectors", ""));
  std::printf("vectors %s: %d words, dim %d, %.1f s wall, %.1f s CPU\n",
              Get(base, "vectors", "").c_str(), ft.getDictionary()->nwords(), args.dim,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
              CpuSeconds() - cpu0);
  return 0;
}

struct Fold {
  std::vector<size_t> fit;    // members train on these
  std::vector<size_t> calib;  // mixing and temperature
  std::vector<size_t> test;
  std::vector<size_t> train;  // fit + calib (the prior's counts)
};

// Scores of one member on the calibration and test rows of a fold.
struct MemberOut {
  std::vector<std::vector<double>> cal;
  std::vector<std::vector<double>> test;
  double seconds = 0;
};

MemberOut RunFastText(const std::vector<std::string>& lines, const std::vector<int>& label_ids,
                      int k, const Fold& fold, const Config& kv) {
  MemberOut out;
  char path[] = "/tmp/ft_experiment-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) {
    Die("mkstemp failed");
  }
  close(fd);
  {
    std::mt19937_64 rng(static_cast<uint64_t>(Num(kv, "seed", 42)));
    std::vector<size_t> order = fold.fit;
    std::shuffle(order.begin(), order.end(), rng);
    std::ofstream f(path, std::ios::binary);
    for (size_t row : order) {
      f << "__label__" << label_ids[row] << ' ' << lines[row] << '\n';
    }
  }
  fasttext::Args args;
  args.input = path;
  args.model = fasttext::model_name::sup;
  const std::string loss = Get(kv, "loss", "softmax");
  args.loss = loss == "ova"  ? fasttext::loss_name::ova
              : loss == "hs" ? fasttext::loss_name::hs
              : loss == "ns" ? fasttext::loss_name::ns
                             : fasttext::loss_name::softmax;
  args.epoch = static_cast<int>(Num(kv, "epoch", 25));
  args.lr = Num(kv, "lr", 0.5);
  args.dim = static_cast<int>(Num(kv, "dim", 50));
  args.wordNgrams = static_cast<int>(Num(kv, "ngrams", 2));
  args.minCount = static_cast<int>(Num(kv, "mincount", 2));
  args.minCountLabel = 0;
  args.minn = static_cast<int>(Num(kv, "minn", 0));
  args.maxn = static_cast<int>(Num(kv, "maxn", 0));
  args.bucket =
      (args.wordNgrams > 1 || args.maxn > 0) ? static_cast<int>(Num(kv, "bucket", 100000)) : 0;
  args.thread = static_cast<int>(Num(kv, "threads", 1));
  args.seed = static_cast<int>(Num(kv, "seed", 42));
  args.pretrainedVectors = Get(kv, "pretrained", "");
  args.verbose = 0;
  const double cpu0 = CpuSeconds();
  fasttext::FastText ft;
  try {
    ft.train(args);
  } catch (const std::exception& e) {
    Die(std::string("fastText: ") + e.what());
  }
  out.seconds = CpuSeconds() - cpu0;
  std::remove(path);
  const auto dict = ft.getDictionary();
  std::vector<int> index(static_cast<size_t>(dict->nlabels()));
  for (int32_t id = 0; id < dict->nlabels(); ++id) {
    index[static_cast<size_t>(id)] = std::stoi(dict->getLabel(id).substr(9));
  }
  auto scores = [&](size_t row) {
    std::vector<double> z(static_cast<size_t>(k), 0.0);
    std::istringstream in(lines[row] + "\n");
    std::vector<int32_t> words;
    std::vector<int32_t> ignored;
    fasttext::Predictions predictions;
    dict->getLine(in, words, ignored);
    if (!words.empty()) {
      ft.predict(k, words, predictions, 0.0);
      // A label fastText never saw (or ova's clipped output) keeps a floor.
      std::fill(z.begin(), z.end(), std::log(1e-5));
      for (const auto& [lp, id] : predictions) {
        z[static_cast<size_t>(index[static_cast<size_t>(id)])] = lp;
      }
    }
    return z;
  };
  for (size_t row : fold.calib) {
    out.cal.push_back(scores(row));
  }
  for (size_t row : fold.test) {
    out.test.push_back(scores(row));
  }
  return out;
}

MemberOut RunLinear(const std::vector<const std::vector<std::string>*>& set_lines,
                    const std::vector<bool>& bigrams, const std::vector<int>& label_ids, int k,
                    const Fold& fold, const cls::LinearOptions& options) {
  MemberOut out;
  auto doc = [&](size_t row) {
    cls::LinearModel::Tokens d;
    for (const auto* lines : set_lines) {
      d.push_back((*lines)[row]);
    }
    return d;
  };
  std::vector<cls::LinearModel::Tokens> docs;
  std::vector<int> y;
  for (size_t row : fold.fit) {
    docs.push_back(doc(row));
    y.push_back(label_ids[row]);
  }
  const double cpu0 = CpuSeconds();
  auto model = cls::LinearModel::Train(docs, y, k, bigrams, options);
  if (!model.has_value()) {
    Die(model.error().ToString());
  }
  out.seconds = CpuSeconds() - cpu0;
  for (size_t row : fold.calib) {
    out.cal.push_back(model->Scores(doc(row)));
  }
  for (size_t row : fold.test) {
    out.test.push_back(model->Scores(doc(row)));
  }
  return out;
}

struct FoldResult {
  Scores combined;
  Scores ft;
  Scores lin;
  double weight = 0;
  std::vector<Scores> fixed;  // one per fixw
  double ft_seconds = 0;
};

std::vector<double> MixRow(const std::vector<double>* ft, const std::vector<double>* lin, double w,
                           double scale) {
  const size_t n = ft != nullptr ? ft->size() : lin->size();
  std::vector<double> z(n, 0.0);
  for (size_t c = 0; c < n; ++c) {
    z[c] = (ft != nullptr ? (1.0 - w) * (*ft)[c] : 0.0) +
           (lin != nullptr ? w * scale * (*lin)[c] : 0.0);
  }
  return z;
}

FoldResult Combine(const MemberOut* ft, const MemberOut* lin, const std::vector<int>& label_ids,
                   const std::vector<std::string>& labels, const Fold& fold, double prior,
                   const std::vector<double>& fixw) {
  const size_t k = labels.size();
  std::vector<int> cal_gold;
  for (size_t row : fold.calib) {
    cal_gold.push_back(label_ids[row]);
  }
  std::vector<int> test_gold;
  for (size_t row : fold.test) {
    test_gold.push_back(label_ids[row]);
  }
  double scale = 1.0;
  if (ft != nullptr && lin != nullptr) {
    const double s = cls::ScoreSpread(lin->cal);
    if (s > 0) {
      scale = cls::ScoreSpread(ft->cal) / s;
    }
  }
  std::vector<double> weights;
  if (ft != nullptr && lin != nullptr) {
    for (int i = 0; i <= 20; ++i) {
      weights.push_back(i / 20.0);
    }
  } else {
    weights.push_back(lin != nullptr ? 1.0 : 0.0);
  }
  auto row_of = [](const MemberOut* m, bool cal, size_t r) -> const std::vector<double>* {
    return m == nullptr ? nullptr : cal ? &m->cal[r] : &m->test[r];
  };
  auto fit_t = [&](double w) {
    std::vector<std::vector<double>> z;
    for (size_t r = 0; r < fold.calib.size(); ++r) {
      z.push_back(MixRow(row_of(ft, true, r), row_of(lin, true, r), w, scale));
    }
    const double t = cls::FitTemperature(z, cal_gold);
    return std::pair{t, cls::NegativeLogLikelihood(z, cal_gold, t)};
  };
  double best = std::numeric_limits<double>::infinity();
  double best_w = 0;
  double best_t = 1;
  for (double w : weights) {
    const auto [t, nll] = fit_t(w);
    if (nll < best) {
      best = nll;
      best_w = w;
      best_t = t;
    }
  }
  std::vector<double> bias(k, 0.0);
  for (size_t row : fold.train) {
    bias[static_cast<size_t>(label_ids[row])] += 1.0;
  }
  for (double& b : bias) {
    b = -prior * std::log(b / static_cast<double>(fold.train.size()));
  }
  auto predict = [&](double w, double t) {
    std::vector<int> predicted;
    for (size_t r = 0; r < fold.test.size(); ++r) {
      std::vector<double> z = MixRow(row_of(ft, false, r), row_of(lin, false, r), w, scale);
      for (size_t c = 0; c < k; ++c) {
        z[c] = z[c] / t + bias[c];
      }
      predicted.push_back(Argmax(z));
    }
    return Score(test_gold, predicted, labels);
  };
  FoldResult out;
  out.combined = predict(best_w, best_t);
  out.weight = best_w;
  auto alone = [&](const MemberOut* m) {
    std::vector<int> predicted;
    for (const auto& z : m->test) {
      predicted.push_back(Argmax(z));
    }
    return Score(test_gold, predicted, labels);
  };
  if (ft != nullptr) {
    out.ft = alone(ft);
    out.ft_seconds = ft->seconds;
  }
  if (lin != nullptr) {
    out.lin = alone(lin);
  }
  if (ft != nullptr && lin != nullptr) {
    for (double w : fixw) {
      out.fixed.push_back(predict(w, fit_t(w).first));
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const Config base = ParsePairs(std::vector<std::string>(argv + 1, argv + argc));
  if (base.count("vectors") != 0) {
    return TrainVectors(base);
  }
  auto data = cls::ReadLabelledTsv(Get(base, "data", "../shared/data/classify_train.tsv"));
  if (!data.has_value()) {
    Die(data.error().ToString());
  }
  std::vector<std::string> labels = cls::DistinctLabels(*data);
  std::sort(labels.begin(), labels.end());
  std::vector<int> label_ids;
  std::vector<std::string> texts;
  for (const auto& row : *data) {
    label_ids.push_back(static_cast<int>(std::lower_bound(labels.begin(), labels.end(), row.label) -
                                         labels.begin()));
    texts.push_back(row.text);
  }
  const int k = static_cast<int>(labels.size());
  const cls::Split outer = cls::StratifiedSplit(*data, Num(base, "test", 0.3),
                                                static_cast<uint64_t>(Num(base, "outerseed", 1)));

  if (const std::string corpus = Get(base, "corpus", ""); !corpus.empty()) {
    // Unlabelled texts: drop those matching any labelled text (exact after removing
    // whitespace, or the same first 40 characters) and duplicates.
    std::set<std::string> seen_full;
    std::set<std::string> seen_prefix;
    for (const auto& row : *data) {
      const std::string s = Squeeze(row.text);
      seen_full.insert(s);
      seen_prefix.insert(Prefix(s, 40));
    }
    std::vector<std::string> out_texts;
    size_t dropped = 0;
    for (const std::string& spec : SplitOn(Get(base, "unlab", ""), ',')) {
      const size_t colon = spec.find(':');
      if (colon == std::string::npos) {
        Die("unlab wants FILE:COL+COL");
      }
      const std::vector<std::string> cols = SplitOn(spec.substr(colon + 1), '+');
      size_t kept = 0;
      for (const auto& row : ReadColumns(spec.substr(0, colon), cols)) {
        const std::string body = Squeeze(row.back());
        if (body.empty() || seen_full.count(body) != 0 ||
            seen_prefix.count(Prefix(body, 40)) != 0) {
          ++dropped;
          continue;
        }
        seen_full.insert(body);
        seen_prefix.insert(Prefix(body, 40));
        std::string text;
        for (const std::string& c : row) {
          text += (text.empty() ? "" : " ") + c;
        }
        out_texts.push_back(text);
        ++kept;
      }
      std::fprintf(stderr, "%s: %zu kept\n", spec.c_str(), kept);
    }
    const size_t n_unlab = out_texts.size();
    if (Num(base, "notrain", 0) == 0) {
      for (size_t i : outer.train) {
        out_texts.push_back(texts[i]);
      }
    }
    auto featurizer = cls::TextFeaturizer::Create(Sets(Get(base, "sets", "w")).front());
    if (!featurizer.has_value()) {
      Die(featurizer.error().ToString());
    }
    std::ofstream out(corpus);
    for (const std::string& t : out_texts) {
      out << (*featurizer)->FeatureLine(t) << '\n';
    }
    std::fprintf(stderr, "%zu unlabelled texts (%zu dropped), %zu in all -> %s\n", n_unlab, dropped,
                 out_texts.size(), corpus.c_str());
    return 0;
  }

  // The folds.
  const std::string mode = Get(base, "mode", "cv");
  const double cal = Num(base, "cal", 0.1);
  std::vector<Fold> folds;
  auto add_fold = [&](std::vector<size_t> train, std::vector<size_t> test) {
    Fold f;
    f.train = std::move(train);
    f.test = std::move(test);
    std::vector<cls::LabelledText> sub;
    for (size_t i : f.train) {
      sub.push_back((*data)[i]);
    }
    const cls::Split s = cls::StratifiedSplit(sub, cal, 42);
    for (size_t j : s.train) {
      f.fit.push_back(f.train[j]);
    }
    for (size_t j : s.test) {
      f.calib.push_back(f.train[j]);
    }
    folds.push_back(std::move(f));
  };
  if (mode == "holdout") {
    add_fold(outer.train, outer.test);
  } else {
    std::vector<cls::LabelledText> part;
    for (size_t i : outer.train) {
      part.push_back((*data)[i]);
    }
    const int n_folds = static_cast<int>(Num(base, "folds", 5));
    const std::vector<int> fold = cls::StratifiedFolds(
        part, n_folds, static_cast<uint64_t>(Num(base, "splitseed", 20240601)));
    for (int f = 0; f < n_folds; ++f) {
      std::vector<size_t> train;
      std::vector<size_t> test;
      for (size_t j = 0; j < part.size(); ++j) {
        (fold[j] == f ? test : train).push_back(outer.train[j]);
      }
      add_fold(std::move(train), std::move(test));
    }
  }
  LineCache cache(texts);
  std::map<std::string, std::vector<MemberOut>> linear_cache;  // per lsets/C: per fold
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    std::vector<std::string> words;
    std::stringstream in(line);
    for (std::string w; in >> w;) {
      words.push_back(w);
    }
    const Config kv = ParsePairs(words);
    const double wall0 = CpuSeconds();
    const std::string lsets = Get(kv, "lsets", "w,c13");
    const std::string lkey = lsets + "/" + Get(kv, "C", "3") + "/" + Get(kv, "lbigrams", "1");
    std::vector<MemberOut>* lin = nullptr;
    if (lsets != "none") {
      auto it = linear_cache.find(lkey);
      if (it == linear_cache.end()) {
        std::vector<const std::vector<std::string>*> set_lines;
        std::vector<bool> bigrams;
        for (const cls::FeatureOptions& f : Sets(lsets)) {
          set_lines.push_back(&cache.Lines(f));
          bigrams.push_back(Num(kv, "lbigrams", 1) != 0 && f.words && f.char_ngram_max == 0);
        }
        cls::LinearOptions o;
        o.c = Num(kv, "C", 3);
        o.token_bigrams = Num(kv, "lbigrams", 1) != 0;
        o.threads = 1;
        std::vector<MemberOut> per_fold;
        for (const Fold& f : folds) {
          per_fold.push_back(RunLinear(set_lines, bigrams, label_ids, k, f, o));
        }
        it = linear_cache.emplace(lkey, std::move(per_fold)).first;
      }
      lin = &it->second;
    }
    const std::string sets = Get(kv, "sets", "w");
    std::vector<double> fixw;
    for (const std::string& w : SplitOn(Get(kv, "fixw", ""), ',')) {
      fixw.push_back(std::stod(w));
    }
    std::vector<FoldResult> results;
    for (size_t f = 0; f < folds.size(); ++f) {
      MemberOut ft;
      if (sets != "none") {
        const std::vector<cls::FeatureOptions> fs = Sets(sets);
        ft = RunFastText(cache.Lines(fs.front()), label_ids, k, folds[f], kv);
      }
      results.push_back(Combine(sets != "none" ? &ft : nullptr, lin ? &(*lin)[f] : nullptr,
                                label_ids, labels, folds[f], Num(kv, "prior", 0.3), fixw));
    }
    const double n = static_cast<double>(results.size());
    FoldResult mean;
    mean.fixed.resize(fixw.size());
    std::string per_fold;
    for (const FoldResult& r : results) {
      mean.combined.accuracy += r.combined.accuracy / n;
      mean.combined.macro_f1 += r.combined.macro_f1 / n;
      mean.ft.accuracy += r.ft.accuracy / n;
      mean.ft.macro_f1 += r.ft.macro_f1 / n;
      mean.lin.accuracy += r.lin.accuracy / n;
      mean.lin.macro_f1 += r.lin.macro_f1 / n;
      mean.weight += r.weight / n;
      mean.ft_seconds += r.ft_seconds / n;
      for (size_t j = 0; j < r.fixed.size(); ++j) {
        mean.fixed[j].accuracy += r.fixed[j].accuracy / n;
        mean.fixed[j].macro_f1 += r.fixed[j].macro_f1 / n;
      }
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.3f ", r.combined.accuracy);
      per_fold += buf;
    }
    std::printf(
        "%-7s %-55s acc %.4f f1 %.4f [%s] | ft %.4f/%.4f lin %.4f/%.4f w %.2f ft_cpu %.1f s",
        mode.c_str(), line.c_str(), mean.combined.accuracy, mean.combined.macro_f1,
        per_fold.c_str(), mean.ft.accuracy, mean.ft.macro_f1, mean.lin.accuracy, mean.lin.macro_f1,
        mean.weight, mean.ft_seconds);
    for (size_t j = 0; j < fixw.size(); ++j) {
      std::printf(" | w=%.2f %.4f/%.4f", fixw[j], mean.fixed[j].accuracy, mean.fixed[j].macro_f1);
    }
    std::printf(" (%.0f s CPU)\n", CpuSeconds() - wall0);
    std::fflush(stdout);
  }
  return 0;
}

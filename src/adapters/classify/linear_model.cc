#include "adapters/classify/linear_model.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <deque>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <thread>
#include <unordered_map>
#include <utility>

#include "adapters/classify/byte_io.h"

namespace hotline::adapters::classify {

namespace {

// Byte image: magic, then u32 fields, the feature arrays and a u64 checksum of everything
// before it: FNV-1a in version 1 (model files of format 2 and 3), WordHash64 in version 2
// (format 4; the layout is otherwise the same).
constexpr char kLinearMagic[] = "HLCLSL01";
constexpr size_t kLinearMagicSize = 8;
constexpr uint32_t kLinearVersion = 2;
constexpr uint32_t kOldestLinearVersion = 1;
constexpr int kMaxLabels = 100000;
constexpr int kLbfgsMemory = 10;
constexpr double kArmijo = 1e-4;
constexpr int kMaxBacktracks = 40;
constexpr double kGradientTolerance = 1e-6;
constexpr double kRelativeDecreaseTolerance = 1e-9;

// A final mix so that feature hashes spread over the open-addressing table.
uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

using wire::Fnv1a64;
using wire::GetLe;
using wire::PutF32;
using wire::PutU32;
using wire::PutU64;

// Sparse rows in compressed form.
struct SparseRows {
  std::vector<size_t> start{0};  // row r is [start[r], start[r + 1])
  std::vector<uint32_t> index;
  std::vector<float> value;
  size_t rows() const { return start.size() - 1; }
};

// The feature hashes of one text with their counts, sorted by hash.
std::vector<std::pair<uint64_t, int>> CountFeatures(const LinearModel::Tokens& tokens,
                                                    const std::vector<bool>& bigram_sets) {
  std::vector<uint64_t> hashes;
  std::vector<std::string_view> t;
  for (size_t s = 0; s < tokens.size(); ++s) {
    t.clear();
    const std::string_view line = tokens[s];
    for (size_t start = 0; start < line.size();) {
      size_t end = line.find(' ', start);
      if (end == std::string_view::npos) {
        end = line.size();
      }
      if (end > start) {
        t.push_back(line.substr(start, end - start));
      }
      start = end + 1;
    }
    const bool bigrams = s < bigram_sets.size() && bigram_sets[s];
    for (size_t i = 0; i < t.size(); ++i) {
      hashes.push_back(LinearFeatureHash(s, t[i]));
      if (bigrams && i + 1 < t.size()) {
        hashes.push_back(LinearFeatureHash(s, t[i], t[i + 1]));
      }
    }
  }
  std::sort(hashes.begin(), hashes.end());
  std::vector<std::pair<uint64_t, int>> counts;
  for (uint64_t h : hashes) {
    if (!counts.empty() && counts.back().first == h) {
      ++counts.back().second;
    } else {
      counts.emplace_back(h, 1);
    }
  }
  return counts;
}

// Minimises f by L-BFGS from x (in place). `eval(x, grad)` returns f(x) and fills grad.
void MinimizeLbfgs(
    std::vector<double>& x,
    const std::function<double(const std::vector<double>&, std::vector<double>&)>& eval,
    int max_iterations) {
  const size_t n = x.size();
  std::vector<double> g(n);
  double f = eval(x, g);
  std::deque<std::vector<double>> s_hist;
  std::deque<std::vector<double>> y_hist;
  std::deque<double> rho_hist;
  std::vector<double> d(n);
  std::vector<double> x_new(n);
  std::vector<double> g_new(n);
  auto dot = [n](const std::vector<double>& a, const std::vector<double>& b) {
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i) {
      sum += a[i] * b[i];
    }
    return sum;
  };
  const double g0 = std::sqrt(dot(g, g));
  if (g0 == 0.0) {
    return;
  }
  for (int iter = 0; iter < max_iterations; ++iter) {
    // Two-loop recursion: d = -H g.
    d = g;
    std::vector<double> alpha(s_hist.size());
    for (size_t m = s_hist.size(); m-- > 0;) {
      alpha[m] = rho_hist[m] * dot(s_hist[m], d);
      for (size_t i = 0; i < n; ++i) {
        d[i] -= alpha[m] * y_hist[m][i];
      }
    }
    double scale = 1.0 / std::sqrt(dot(g, g));  // first step: unit length
    if (!s_hist.empty()) {
      scale = dot(s_hist.back(), y_hist.back()) / dot(y_hist.back(), y_hist.back());
    }
    for (double& v : d) {
      v *= scale;
    }
    for (size_t m = 0; m < s_hist.size(); ++m) {
      const double beta = rho_hist[m] * dot(y_hist[m], d);
      for (size_t i = 0; i < n; ++i) {
        d[i] += s_hist[m][i] * (alpha[m] - beta);
      }
    }
    for (double& v : d) {
      v = -v;
    }
    double gd = dot(g, d);
    if (!(gd < 0.0)) {  // not a descent direction: restart from steepest descent
      s_hist.clear();
      y_hist.clear();
      rho_hist.clear();
      const double norm = std::sqrt(dot(g, g));
      for (size_t i = 0; i < n; ++i) {
        d[i] = -g[i] / norm;
      }
      gd = dot(g, d);
    }
    double step = 1.0;
    double f_new = f;
    bool accepted = false;
    for (int b = 0; b < kMaxBacktracks; ++b) {
      for (size_t i = 0; i < n; ++i) {
        x_new[i] = x[i] + step * d[i];
      }
      f_new = eval(x_new, g_new);
      if (std::isfinite(f_new) && f_new <= f + kArmijo * step * gd) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      return;  // no progress possible along d: as good as it gets
    }
    std::vector<double> s(n);
    std::vector<double> y(n);
    for (size_t i = 0; i < n; ++i) {
      s[i] = x_new[i] - x[i];
      y[i] = g_new[i] - g[i];
    }
    const double sy = dot(s, y);
    if (sy > 1e-12) {
      s_hist.push_back(std::move(s));
      y_hist.push_back(std::move(y));
      rho_hist.push_back(1.0 / sy);
      if (s_hist.size() > static_cast<size_t>(kLbfgsMemory)) {
        s_hist.pop_front();
        y_hist.pop_front();
        rho_hist.pop_front();
      }
    }
    const double decrease = f - f_new;
    x.swap(x_new);
    g.swap(g_new);
    f = f_new;
    if (std::sqrt(dot(g, g)) <= kGradientTolerance * g0 ||
        decrease <= kRelativeDecreaseTolerance * std::max(1.0, std::abs(f))) {
      return;
    }
  }
}

// One-vs-rest L2-regularised L2-loss SVMs by dual coordinate descent (Hsieh et al., "A
// Dual Coordinate Descent Method for Large-scale Linear SVM", ICML 2008): for label c, the
// dual of min |w|^2 / 2 + C sum max(0, 1 - y_i (w x_i + b))^2 is solved one alpha_i at a
// time with w kept equal to sum alpha_i y_i x_i. The bias is a constant feature of value 1
// (so it is regularised too, as in LIBLINEAR). Labels run on up to `threads` threads.
constexpr int kDualPasses = 50;
constexpr double kDualTolerance = 0.01;

// Relative cost of each text: (N / (K * N_label))^power (1 for power 0).
std::vector<double> TextCosts(const std::vector<int>& label_ids, size_t k, double power) {
  std::vector<double> cost(label_ids.size(), 1.0);
  if (power == 0.0) {
    return cost;
  }
  std::vector<double> count(k, 0.0);
  for (int y : label_ids) {
    count[static_cast<size_t>(y)] += 1.0;
  }
  const double n = static_cast<double>(label_ids.size());
  for (size_t i = 0; i < label_ids.size(); ++i) {
    const double c = count[static_cast<size_t>(label_ids[i])];
    cost[i] = std::pow(n / (static_cast<double>(k) * c), power);
  }
  return cost;
}

// Log-count ratios of label c (NB-SVM): log(p / |p|_1) - log(q / |q|_1) with p = alpha + the
// number of texts of c holding f, q = alpha + the number of other texts holding f.
std::vector<double> LogCountRatios(const std::vector<uint32_t>& doc_count, size_t k, size_t c,
                                   double alpha) {
  const size_t n_features = doc_count.size() / k;
  std::vector<double> p(n_features);
  std::vector<double> q(n_features);
  double p_sum = 0.0;
  double q_sum = 0.0;
  for (size_t f = 0; f < n_features; ++f) {
    double all = 0.0;
    for (size_t l = 0; l < k; ++l) {
      all += doc_count[f * k + l];
    }
    p[f] = alpha + doc_count[f * k + c];
    q[f] = alpha + all - doc_count[f * k + c];
    p_sum += p[f];
    q_sum += q[f];
  }
  std::vector<double> r(n_features);
  for (size_t f = 0; f < n_features; ++f) {
    r[f] = std::log(p[f] / p_sum) - std::log(q[f] / q_sum);
  }
  return r;
}

void TrainSquaredHinge(const SparseRows& x, const std::vector<int>& label_ids,
                       const LinearOptions& options, std::vector<float>& weights,
                       std::vector<float>& bias, size_t k) {
  const size_t n = x.rows();
  const size_t n_features = weights.size() / k;
  const std::vector<double> cost = TextCosts(label_ids, k, options.class_weight);
  std::vector<double> diag(n);
  for (size_t i = 0; i < n; ++i) {
    diag[i] = 1.0 / (2.0 * options.c * cost[i]);
  }
  std::vector<uint32_t> doc_count;  // [feature][label], for NB scaling
  if (options.nb_scale) {
    doc_count.assign(n_features * k, 0);
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = x.start[i]; j < x.start[i + 1]; ++j) {
        ++doc_count[x.index[j] * k + static_cast<size_t>(label_ids[i])];
      }
    }
  }
  auto one_label = [&](size_t c) {
    // The feature scaling of this label (1 without NB scaling) and each text's squared norm.
    std::vector<double> r(n_features, 1.0);
    if (options.nb_scale) {
      r = LogCountRatios(doc_count, k, c, options.nb_alpha);
    }
    std::vector<double> q(n);
    for (size_t i = 0; i < n; ++i) {
      double norm = 1.0;  // the bias feature
      for (size_t j = x.start[i]; j < x.start[i + 1]; ++j) {
        const double v = x.value[j] * r[x.index[j]];
        norm += v * v;
      }
      q[i] = norm + diag[i];
    }
    std::vector<double> w(n_features, 0.0);
    double b = 0.0;
    std::vector<double> alpha(n, 0.0);
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    std::mt19937_64 rng(c + 1);
    for (int pass = 0; pass < std::max(kDualPasses, options.max_iterations / 6); ++pass) {
      std::shuffle(order.begin(), order.end(), rng);
      double max_pg = -std::numeric_limits<double>::infinity();
      double min_pg = std::numeric_limits<double>::infinity();
      for (size_t i : order) {
        const double y = static_cast<size_t>(label_ids[i]) == c ? 1.0 : -1.0;
        double score = b;
        for (size_t j = x.start[i]; j < x.start[i + 1]; ++j) {
          score += w[x.index[j]] * x.value[j] * r[x.index[j]];
        }
        const double g = y * score - 1.0 + diag[i] * alpha[i];
        const double pg = alpha[i] == 0.0 ? std::min(g, 0.0) : g;
        max_pg = std::max(max_pg, pg);
        min_pg = std::min(min_pg, pg);
        if (std::abs(pg) > 1e-12) {
          const double old = alpha[i];
          alpha[i] = std::max(old - g / q[i], 0.0);
          const double d = (alpha[i] - old) * y;
          for (size_t j = x.start[i]; j < x.start[i + 1]; ++j) {
            w[x.index[j]] += d * x.value[j] * r[x.index[j]];
          }
          b += d;
        }
      }
      if (max_pg - min_pg < kDualTolerance) {
        break;
      }
    }
    for (size_t f = 0; f < n_features; ++f) {
      weights[f * k + c] = static_cast<float>(w[f] * r[f]);
    }
    bias[c] = static_cast<float>(b);
  };
  std::vector<std::thread> workers;
  const size_t n_threads = std::min(static_cast<size_t>(options.threads), k);
  for (size_t t = 0; t < n_threads; ++t) {
    workers.emplace_back([&, t] {
      for (size_t c = t; c < k; c += n_threads) {
        one_label(c);
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
}

}  // namespace

uint64_t LinearFeatureHash(size_t set, std::string_view token, std::string_view next) {
  uint64_t h = wire::kFnvOffset;
  const char tag[2] = {static_cast<char>('0' + set % 64), next.empty() ? 'u' : 'b'};
  h = Fnv1a64(std::string_view(tag, 2), h);
  h = Fnv1a64(token, h);
  if (!next.empty()) {
    h = Fnv1a64(std::string_view("\x1f", 1), h);
    h = Fnv1a64(next, h);
  }
  return h;
}

Result<LinearLoss> ParseLinearLoss(std::string_view name) {
  if (name == "lr") {
    return LinearLoss::kLogistic;
  }
  if (name == "svm") {
    return LinearLoss::kSquaredHinge;
  }
  if (name == "cnb") {
    return LinearLoss::kComplementBayes;
  }
  return InvalidArgument("unknown linear loss '" + std::string(name) +
                         "' (expected lr, svm or cnb)");
}

std::string_view LinearLossName(LinearLoss loss) {
  switch (loss) {
    case LinearLoss::kLogistic:
      return "lr";
    case LinearLoss::kSquaredHinge:
      return "svm";
    case LinearLoss::kComplementBayes:
      return "cnb";
  }
  return "lr";
}

bool LinearModel::BuildIndex() {
  size_t size = 16;
  while (size < 2 * hashes_.size()) {
    size *= 2;
  }
  table_keys_.assign(size, 0);
  table_values_.assign(size, 0);
  const size_t mask = size - 1;
  for (size_t f = 0; f < hashes_.size(); ++f) {
    size_t slot = Mix(hashes_[f]) & mask;
    while (table_values_[slot] != 0) {
      if (table_keys_[slot] == hashes_[f]) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
    table_keys_[slot] = hashes_[f];
    table_values_[slot] = static_cast<uint32_t>(f + 1);
  }
  return true;
}

int64_t LinearModel::Find(uint64_t hash) const {
  if (table_keys_.empty()) {
    return -1;
  }
  const size_t mask = table_keys_.size() - 1;
  for (size_t slot = Mix(hash) & mask;; slot = (slot + 1) & mask) {
    if (table_values_[slot] == 0) {
      return -1;
    }
    if (table_keys_[slot] == hash) {
      return static_cast<int64_t>(table_values_[slot]) - 1;
    }
  }
}

std::vector<std::pair<uint32_t, float>> LinearModel::Vectorize(const Tokens& tokens) const {
  std::vector<std::pair<uint32_t, float>> out;
  double norm = 0.0;
  for (const auto& [hash, count] : CountFeatures(tokens, bigram_sets_)) {
    const int64_t f = Find(hash);
    if (f < 0) {
      continue;
    }
    const double tf = sublinear_tf_ ? 1.0 + std::log(static_cast<double>(count)) : count;
    const double v = tf * idf_[static_cast<size_t>(f)];
    out.emplace_back(static_cast<uint32_t>(f), static_cast<float>(v));
    norm += v * v;
  }
  if (norm > 0.0) {
    const double inv = 1.0 / std::sqrt(norm);
    for (auto& entry : out) {
      entry.second = static_cast<float>(entry.second * inv);
    }
  }
  return out;
}

std::vector<double> LinearModel::Scores(const Tokens& tokens) const {
  const size_t k = static_cast<size_t>(n_labels_);
  std::vector<double> s(bias_.begin(), bias_.end());
  for (const auto& [f, v] : Vectorize(tokens)) {
    const float* w = &weights_[static_cast<size_t>(f) * k];
    for (size_t c = 0; c < k; ++c) {
      s[c] += v * w[c];
    }
  }
  if (loss_ == LinearLoss::kLogistic) {
    const double max = *std::max_element(s.begin(), s.end());
    double sum = 0.0;
    for (double v : s) {
      sum += std::exp(v - max);
    }
    const double log_sum = max + std::log(sum);
    for (double& v : s) {
      v -= log_sum;
    }
  }
  return s;
}

Result<LinearModel> LinearModel::Train(const std::vector<Tokens>& docs,
                                       const std::vector<int>& label_ids, int n_labels,
                                       const std::vector<bool>& bigram_sets,
                                       const LinearOptions& options) {
  if (docs.empty() || docs.size() != label_ids.size()) {
    return InvalidArgument("linear member: no training rows or labels of the wrong length");
  }
  if (n_labels < 2 || n_labels > kMaxLabels) {
    return InvalidArgument("linear member: needs at least two labels");
  }
  for (int y : label_ids) {
    if (y < 0 || y >= n_labels) {
      return InvalidArgument("linear member: a label id is out of range");
    }
  }
  if (!(options.c > 0.0) || options.min_df < 1 || options.max_features < 1 ||
      options.max_iterations < 1 || options.threads < 1 || !(options.nb_alpha > 0.0) ||
      !(options.class_weight >= 0.0 && options.class_weight <= 2.0)) {
    return InvalidArgument(
        "linear member options: c and nb_alpha must be > 0, class_weight in [0, 2]; min_df, "
        "max_features, max_iterations, threads >= 1");
  }
  LinearModel model;
  model.loss_ = options.loss;
  model.n_labels_ = n_labels;
  model.sublinear_tf_ = options.sublinear_tf;
  model.bigram_sets_ = bigram_sets;

  // Vocabulary: hashes by document frequency.
  std::vector<std::vector<std::pair<uint64_t, int>>> counted(docs.size());
  std::unordered_map<uint64_t, int> df;
  for (size_t i = 0; i < docs.size(); ++i) {
    counted[i] = CountFeatures(docs[i], bigram_sets);
    for (const auto& entry : counted[i]) {
      ++df[entry.first];
    }
  }
  std::vector<std::pair<int, uint64_t>> kept;  // (df, hash)
  for (const auto& [hash, n] : df) {
    if (n >= options.min_df) {
      kept.emplace_back(n, hash);
    }
  }
  if (kept.empty()) {  // a handful of texts: every feature is rare, keep them all
    for (const auto& [hash, n] : df) {
      kept.emplace_back(n, hash);
    }
  }
  if (kept.empty()) {
    return InvalidArgument("linear member: the training texts have no tokens");
  }
  // Most frequent first, ties by hash: deterministic whatever the map's order.
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  if (kept.size() > static_cast<size_t>(options.max_features)) {
    kept.resize(static_cast<size_t>(options.max_features));
  }
  const double n_docs = static_cast<double>(docs.size());
  for (const auto& [n, hash] : kept) {
    model.hashes_.push_back(hash);
    model.idf_.push_back(static_cast<float>(std::log((1.0 + n_docs) / (1.0 + n)) + 1.0));
  }
  (void)model.BuildIndex();  // the vocabulary's hashes are distinct

  SparseRows x;
  for (size_t i = 0; i < docs.size(); ++i) {
    double norm = 0.0;
    const size_t row_start = x.index.size();
    for (const auto& [hash, count] : counted[i]) {
      const int64_t f = model.Find(hash);
      if (f < 0) {
        continue;
      }
      const double tf = options.sublinear_tf ? 1.0 + std::log(static_cast<double>(count)) : count;
      const double v = tf * model.idf_[static_cast<size_t>(f)];
      x.index.push_back(static_cast<uint32_t>(f));
      x.value.push_back(static_cast<float>(v));
      norm += v * v;
    }
    if (norm > 0.0) {
      const double inv = 1.0 / std::sqrt(norm);
      for (size_t j = row_start; j < x.value.size(); ++j) {
        x.value[j] = static_cast<float>(x.value[j] * inv);
      }
    }
    x.start.push_back(x.index.size());
    counted[i].clear();
    counted[i].shrink_to_fit();
  }

  const size_t n_features = model.hashes_.size();
  const size_t k = static_cast<size_t>(n_labels);
  model.weights_.assign(n_features * k, 0.0f);
  model.bias_.assign(k, 0.0f);

  if (options.loss == LinearLoss::kComplementBayes) {
    // Complement naive Bayes: the weight of (f, c) is -log of the smoothed share of f
    // in the texts of every other label; the bias is the label's log prior.
    const double alpha = 1.0 / options.c;
    std::vector<double> per_label(n_features * k, 0.0);
    std::vector<double> prior(k, 0.0);
    for (size_t i = 0; i < x.rows(); ++i) {
      const size_t y = static_cast<size_t>(label_ids[i]);
      prior[y] += 1.0;
      for (size_t j = x.start[i]; j < x.start[i + 1]; ++j) {
        per_label[x.index[j] * k + y] += x.value[j];
      }
    }
    std::vector<double> total_f(n_features, 0.0);
    std::vector<double> label_total(k, 0.0);
    for (size_t f = 0; f < n_features; ++f) {
      for (size_t c = 0; c < k; ++c) {
        total_f[f] += per_label[f * k + c];
        label_total[c] += per_label[f * k + c];
      }
    }
    const double all = std::accumulate(label_total.begin(), label_total.end(), 0.0);
    for (size_t c = 0; c < k; ++c) {
      const double denominator = all - label_total[c] + alpha * static_cast<double>(n_features);
      for (size_t f = 0; f < n_features; ++f) {
        const double complement = total_f[f] - per_label[f * k + c] + alpha;
        model.weights_[f * k + c] = static_cast<float>(-std::log(complement / denominator));
      }
      model.bias_[c] = static_cast<float>(std::log(std::max(prior[c], 1.0) / n_docs));
    }
    return model;
  }

  if (options.loss == LinearLoss::kSquaredHinge) {
    TrainSquaredHinge(x, label_ids, options, model.weights_, model.bias_, k);
    return model;
  }

  // Parameters: W [feature][label] then the biases. Objective (scaled by 1 / (c N)):
  // mean loss + |W|^2 / (2 c N).
  const size_t n_params = n_features * k + k;
  const double reg = 1.0 / (options.c * n_docs);
  const std::vector<double> cost = TextCosts(label_ids, k, options.class_weight);
  const size_t n_threads =
      std::min(static_cast<size_t>(options.threads), std::max<size_t>(1, x.rows() / 256));
  std::vector<std::vector<double>> thread_grad(n_threads);
  auto eval = [&](const std::vector<double>& w, std::vector<double>& grad) -> double {
    std::vector<double> thread_loss(n_threads, 0.0);
    auto work = [&](size_t t) {
      std::vector<double>& g = t == 0 ? grad : thread_grad[t];
      g.assign(n_params, 0.0);
      const size_t first = x.rows() * t / n_threads;
      const size_t last = x.rows() * (t + 1) / n_threads;
      std::vector<double> s(k);
      std::vector<double> ds(k);
      double loss = 0.0;
      for (size_t i = first; i < last; ++i) {
        for (size_t c = 0; c < k; ++c) {
          s[c] = w[n_features * k + c];
        }
        for (size_t j = x.start[i]; j < x.start[i + 1]; ++j) {
          const double* wf = &w[x.index[j] * k];
          const double v = x.value[j];
          for (size_t c = 0; c < k; ++c) {
            s[c] += v * wf[c];
          }
        }
        const size_t y = static_cast<size_t>(label_ids[i]);
        const double max = *std::max_element(s.begin(), s.end());
        double sum = 0.0;
        for (size_t c = 0; c < k; ++c) {
          ds[c] = std::exp(s[c] - max);
          sum += ds[c];
        }
        loss += cost[i] * (max + std::log(sum) - s[y]);
        for (size_t c = 0; c < k; ++c) {
          ds[c] = cost[i] * (ds[c] / sum - (c == y ? 1.0 : 0.0));
        }
        for (size_t j = x.start[i]; j < x.start[i + 1]; ++j) {
          double* gf = &g[x.index[j] * k];
          const double v = x.value[j];
          for (size_t c = 0; c < k; ++c) {
            gf[c] += v * ds[c];
          }
        }
        for (size_t c = 0; c < k; ++c) {
          g[n_features * k + c] += ds[c];
        }
      }
      thread_loss[t] = loss;
    };
    std::vector<std::thread> workers;
    for (size_t t = 1; t < n_threads; ++t) {
      workers.emplace_back(work, t);
    }
    work(0);
    for (auto& worker : workers) {
      worker.join();
    }
    double loss = std::accumulate(thread_loss.begin(), thread_loss.end(), 0.0);
    for (size_t t = 1; t < n_threads; ++t) {
      for (size_t p = 0; p < n_params; ++p) {
        grad[p] += thread_grad[t][p];
      }
    }
    const double inv_n = 1.0 / n_docs;
    loss *= inv_n;
    for (size_t p = 0; p < n_params; ++p) {
      grad[p] *= inv_n;
    }
    for (size_t p = 0; p < n_features * k; ++p) {
      loss += 0.5 * reg * w[p] * w[p];
      grad[p] += reg * w[p];
    }
    return loss;
  };
  std::vector<double> params(n_params, 0.0);
  MinimizeLbfgs(params, eval, options.max_iterations);
  for (size_t p = 0; p < n_features * k; ++p) {
    model.weights_[p] = static_cast<float>(params[p]);
  }
  for (size_t c = 0; c < k; ++c) {
    model.bias_[c] = static_cast<float>(params[n_features * k + c]);
  }
  return model;
}

std::string LinearModel::Serialize() const {
  std::string out(kLinearMagic, kLinearMagicSize);
  PutU32(out, kLinearVersion);
  PutU32(out, static_cast<uint32_t>(loss_));
  PutU32(out, static_cast<uint32_t>(n_labels_));
  PutU32(out, sublinear_tf_ ? 1 : 0);
  PutU32(out, static_cast<uint32_t>(bigram_sets_.size()));
  for (bool b : bigram_sets_) {
    out.push_back(b ? 1 : 0);
  }
  PutU64(out, hashes_.size());
  for (uint64_t h : hashes_) {
    PutU64(out, h);
  }
  for (float v : idf_) {
    PutF32(out, v);
  }
  for (float v : weights_) {
    PutF32(out, v);
  }
  for (float v : bias_) {
    PutF32(out, v);
  }
  PutU64(out, wire::WordHash64(out));
  return out;
}

Result<LinearModel> LinearModel::Deserialize(std::string_view bytes) {
  constexpr size_t kFixed = kLinearMagicSize + 5 * 4 + 8 + 8;
  if (bytes.size() < kFixed || bytes.substr(0, kLinearMagicSize) != kLinearMagic) {
    return InvalidArgument("the classifier's linear member is not a linear model (bad magic)");
  }
  const size_t body = bytes.size() - 8;
  size_t pos = kLinearMagicSize;
  auto u32 = [&] {
    const uint32_t v = static_cast<uint32_t>(GetLe(bytes, pos, 4));
    pos += 4;
    return v;
  };
  // The version says which checksum; a damaged version fails one of the two checks.
  const uint32_t version = u32();
  if (version < kOldestLinearVersion || version > kLinearVersion) {
    return InvalidArgument("the classifier's linear member has an unsupported version");
  }
  const std::string_view checked = bytes.substr(0, body);
  if (GetLe(bytes, body, 8) != (version == 1 ? Fnv1a64(checked) : wire::WordHash64(checked))) {
    return InvalidArgument("the classifier's linear member is corrupt (checksum mismatch)");
  }
  LinearModel model;
  const uint32_t loss = u32();
  if (loss > static_cast<uint32_t>(LinearLoss::kComplementBayes)) {
    return InvalidArgument("the classifier's linear member has an unknown loss");
  }
  model.loss_ = static_cast<LinearLoss>(loss);
  const uint32_t n_labels = u32();
  if (n_labels < 2 || n_labels > static_cast<uint32_t>(kMaxLabels)) {
    return InvalidArgument("the classifier's linear member has a bad label count");
  }
  model.n_labels_ = static_cast<int>(n_labels);
  model.sublinear_tf_ = u32() != 0;
  const uint32_t n_sets = u32();
  if (n_sets > body - pos - 8) {
    return InvalidArgument("the classifier's linear member is truncated");
  }
  for (uint32_t s = 0; s < n_sets; ++s) {
    model.bigram_sets_.push_back(bytes[pos++] != 0);
  }
  const uint64_t n_features = GetLe(bytes, pos, 8);
  pos += 8;
  const uint64_t per_feature = 8 + 4 + 4 * static_cast<uint64_t>(n_labels);
  if (n_features == 0 || n_features > (body - pos) / per_feature ||
      (body - pos) != n_features * per_feature + 4 * static_cast<uint64_t>(n_labels)) {
    return InvalidArgument("the classifier's linear member is truncated or has a bad size");
  }
  // The arrays are read in bulk (a copy on little-endian hosts), then checked.
  model.hashes_.resize(n_features);
  pos = wire::GetU64s(bytes, pos, model.hashes_);
  model.idf_.resize(n_features);
  pos = wire::GetF32s(bytes, pos, model.idf_);
  for (const float v : model.idf_) {
    if (!std::isfinite(v) || v <= 0.0f) {
      return InvalidArgument("the classifier's linear member has a bad idf weight");
    }
  }
  model.weights_.resize(n_features * n_labels);
  pos = wire::GetF32s(bytes, pos, model.weights_);
  model.bias_.resize(n_labels);
  pos = wire::GetF32s(bytes, pos, model.bias_);
  const auto finite = [](const std::vector<float>& v) {
    return std::all_of(v.begin(), v.end(), [](float x) { return std::isfinite(x); });
  };
  if (!finite(model.weights_)) {
    return InvalidArgument("the classifier's linear member has a non-finite weight");
  }
  if (!finite(model.bias_)) {
    return InvalidArgument("the classifier's linear member has a non-finite bias");
  }
  if (!model.BuildIndex()) {
    return InvalidArgument("the classifier's linear member lists a feature twice");
  }
  return model;
}

}  // namespace hotline::adapters::classify

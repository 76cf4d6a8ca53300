#include "adapters/classify/fasttext_model.h"

#include <fasttext/fasttext.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <istream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <sstream>
#include <streambuf>
#include <utility>

#include "adapters/classify/byte_io.h"
#include "adapters/classify/calibration.h"

namespace hotline::adapters::classify {

namespace {

// fastText's signature check is protected; it also records the file version that
// loadModel(istream&) consults, so we call it rather than skipping the signature.
class FastTextLoader : public fasttext::FastText {
 public:
  bool CheckSignature(std::istream& in) { return checkModel(in); }
};

}  // namespace

struct FastTextModel::Member {
  std::unique_ptr<FastTextLoader> ft;
  std::vector<int> label_index;  // fastText label id -> index into info_.labels
  size_t feature_set = 0;        // which featurizer makes this member's input
};

namespace {

using Json = nlohmann::json;

// The container: magic, u32 header length, JSON header, u32 member count, per member
// (u64 length, fastText .bin bytes), the linear member (u64 length, image), then a u64
// checksum of everything before it: FNV-1a under the magic HLCLSF01 (formats 1 to 3),
// WordHash64 (byte_io.h) under HLCLSF02 (format 4). The magic says which checksum before
// a byte of the header is trusted.
constexpr char kMagic[] = "HLCLSF02";
constexpr char kFnvMagic[] = "HLCLSF01";
constexpr size_t kMagicSize = 8;
// Format 1: fastText members only. Format 2 adds the linear member (options in the
// header, its own self-checking image after the fastText members). Format 3 adds
// label_bias (prior correction). Format 4: the same content with the faster checksum, in
// the container and in the linear image (its version 2).
constexpr int kFormatVersion = 4;
constexpr int kOldestFormatVersion = 1;
constexpr int kLastFnvFormatVersion = 3;
constexpr size_t kChecksumSize = 8;
// fastText's own file signature (FASTTEXT_FILEFORMAT_MAGIC_INT32 and version 12).
constexpr int32_t kFastTextMagic = 793712314;
constexpr int32_t kFastTextVersion = 12;
constexpr char kLabelPrefix[] = "__label__";
constexpr int kReliabilityBins = 10;

using wire::Fnv1a64;
using wire::GetLe;
using wire::PutU32;
using wire::PutU64;

// A read-only istream over bytes we own elsewhere (fastText loads from an istream).
class ViewBuf : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view bytes) {
    char* p = const_cast<char*>(bytes.data());  // the get area is never written through
    setg(p, p, p + bytes.size());
  }
};

// A file in the temp directory that is removed when this goes out of scope.
class TempFile {
 public:
  static Result<TempFile> Create(std::string_view tag) {
    std::string pattern = (std::filesystem::temp_directory_path() /
                           ("hotline-classify-" + std::string(tag) + "-XXXXXX"))
                              .string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0) {
      return Internal("cannot create a temporary file in " +
                      std::filesystem::temp_directory_path().string() + ": " +
                      std::strerror(errno));
    }
    close(fd);
    return TempFile(std::move(pattern));
  }
  TempFile(TempFile&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TempFile& operator=(TempFile&&) = delete;
  TempFile(const TempFile&) = delete;
  ~TempFile() {
    if (!path_.empty()) {
      std::error_code ec;
      std::filesystem::remove(path_, ec);
    }
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Internal("cannot read " + path);
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return std::move(buf).str();
}

Json FeaturesToJson(const FeatureOptions& f) {
  return Json{{"words", f.words},
              {"char_ngram_min", f.char_ngram_min},
              {"char_ngram_max", f.char_ngram_max},
              {"title_repeat", f.title_repeat},
              {"title_max_chars", f.title_max_chars},
              {"fold_numbers", f.fold_numbers},
              {"traditional_to_simplified", f.traditional_to_simplified},
              {"max_chars", f.max_chars}};
}

FeatureOptions FeaturesFromJson(const Json& j) {
  FeatureOptions f;
  f.words = j.at("words").get<bool>();
  f.char_ngram_min = j.at("char_ngram_min").get<int>();
  f.char_ngram_max = j.at("char_ngram_max").get<int>();
  f.title_repeat = j.at("title_repeat").get<int>();
  f.title_max_chars = j.at("title_max_chars").get<int>();
  f.fold_numbers = j.at("fold_numbers").get<bool>();
  f.traditional_to_simplified = j.at("traditional_to_simplified").get<bool>();
  f.max_chars = j.at("max_chars").get<int>();
  return f;
}

Json LinearToJson(const TrainOptions& t) {
  Json sets = Json::array();
  for (const FeatureOptions& f : t.linear_feature_sets) {
    sets.push_back(FeaturesToJson(f));
  }
  const LinearOptions& l = t.linear_options;
  return Json{{"enabled", t.linear},
              {"feature_sets", sets},
              {"loss", std::string(LinearLossName(l.loss))},
              {"c", l.c},
              {"min_df", l.min_df},
              {"max_features", l.max_features},
              {"token_bigrams", l.token_bigrams},
              {"sublinear_tf", l.sublinear_tf},
              {"max_iterations", l.max_iterations},
              {"threads", l.threads},
              {"nb_scale", l.nb_scale},
              {"nb_alpha", l.nb_alpha},
              {"class_weight", l.class_weight}};
}

// Reads the linear member's options into `t`; throws Json::exception when incomplete.
Status LinearFromJson(const Json& j, TrainOptions& t) {
  t.linear = j.at("enabled").get<bool>();
  t.linear_feature_sets.clear();
  for (const Json& f : j.at("feature_sets")) {
    t.linear_feature_sets.push_back(FeaturesFromJson(f));
  }
  LinearOptions& l = t.linear_options;
  HOTLINE_ASSIGN_OR_RETURN(l.loss, ParseLinearLoss(j.at("loss").get<std::string>()));
  l.c = j.at("c").get<double>();
  l.min_df = j.at("min_df").get<int>();
  l.max_features = j.at("max_features").get<int>();
  l.token_bigrams = j.at("token_bigrams").get<bool>();
  l.sublinear_tf = j.at("sublinear_tf").get<bool>();
  l.max_iterations = j.at("max_iterations").get<int>();
  l.threads = j.at("threads").get<int>();
  // Training-only options added later (the weights hold their effect); older files lack
  // them and were trained without them.
  l.nb_scale = j.value("nb_scale", false);
  l.nb_alpha = j.value("nb_alpha", 1.0);
  l.class_weight = j.value("class_weight", 0.0);
  return OkStatus();
}

Json TrainToJson(const TrainOptions& t) {
  return Json{{"epoch", t.epoch},
              {"lr", t.lr},
              {"dim", t.dim},
              {"word_ngrams", t.word_ngrams},
              {"min_count", t.min_count},
              {"bucket", t.bucket},
              {"threads", t.threads},
              {"seed", t.seed},
              {"ensemble", t.ensemble},
              {"balance", t.balance},
              {"calibration_fraction", t.calibration_fraction},
              {"refit_on_all", t.refit_on_all},
              {"prior_correction", t.prior_correction},
              {"linear", LinearToJson(t)}};
}

TrainOptions TrainFromJson(const Json& j, std::vector<FeatureOptions> feature_sets) {
  TrainOptions t;
  t.feature_sets = std::move(feature_sets);
  t.epoch = j.at("epoch").get<int>();
  t.lr = j.at("lr").get<double>();
  t.dim = j.at("dim").get<int>();
  t.word_ngrams = j.at("word_ngrams").get<int>();
  t.min_count = j.at("min_count").get<int>();
  t.bucket = j.at("bucket").get<int>();
  t.threads = j.at("threads").get<int>();
  t.seed = j.at("seed").get<int>();
  t.ensemble = j.at("ensemble").get<int>();
  t.balance = j.at("balance").get<double>();
  t.calibration_fraction = j.at("calibration_fraction").get<double>();
  t.refit_on_all = j.at("refit_on_all").get<bool>();
  t.linear = false;  // format 1 has no linear member; format 2 reads "linear" after this
  t.prior_correction = j.value("prior_correction", 0.0);  // absent before format 3
  return t;
}

Json InfoToJson(const ModelInfo& m) {
  return Json{{"labels", m.labels},
              {"n_train", m.n_train},
              {"n_calibration", m.n_calibration},
              {"temperature", m.temperature},
              {"calibration_nll_before", m.calibration_nll_before},
              {"calibration_nll_after", m.calibration_nll_after},
              {"calibration_ece_before", m.calibration_ece_before},
              {"calibration_ece_after", m.calibration_ece_after},
              {"train_seconds", m.train_seconds},
              {"linear_weight", m.linear_weight},
              {"linear_scale", m.linear_scale},
              {"label_bias", m.label_bias}};
}

ModelInfo InfoFromJson(const Json& j) {
  ModelInfo m;
  m.labels = j.at("labels").get<std::vector<std::string>>();
  m.n_train = j.at("n_train").get<int>();
  m.n_calibration = j.at("n_calibration").get<int>();
  m.temperature = j.at("temperature").get<double>();
  m.calibration_nll_before = j.at("calibration_nll_before").get<double>();
  m.calibration_nll_after = j.at("calibration_nll_after").get<double>();
  m.calibration_ece_before = j.at("calibration_ece_before").get<double>();
  m.calibration_ece_after = j.at("calibration_ece_after").get<double>();
  m.train_seconds = j.at("train_seconds").get<double>();
  m.linear_weight = j.value("linear_weight", 0.0);  // absent in format 1
  m.linear_scale = j.value("linear_scale", 1.0);
  m.label_bias = j.value("label_bias", std::vector<double>{});  // absent before format 3
  return m;
}

Status ValidateOptions(const TrainOptions& o) {
  if (o.feature_sets.empty() && !o.linear) {
    return InvalidArgument("training options: no fastText feature set and no linear member");
  }
  if (o.linear && o.linear_feature_sets.empty()) {
    return InvalidArgument("training options: the linear member needs a feature set");
  }
  if (o.epoch < 1 || o.dim < 1 || o.lr <= 0.0 || o.word_ngrams < 1 || o.min_count < 1 ||
      o.bucket < 0 || o.threads < 1 || o.ensemble < 1) {
    return InvalidArgument(
        "training options: epoch, dim, word_ngrams, min_count, threads, ensemble must be >= 1, "
        "lr > 0, bucket >= 0");
  }
  if (o.word_ngrams > 1 && o.bucket == 0) {
    return InvalidArgument("training options: word_ngrams > 1 needs bucket > 0");
  }
  if (o.balance < 0.0 || o.balance > 1.0) {
    return InvalidArgument("training options: balance must be in [0, 1]");
  }
  if (!(std::abs(o.prior_correction) <= 2.0)) {
    return InvalidArgument("training options: prior_correction must be in [-2, 2]");
  }
  if (o.calibration_fraction < 0.0 || o.calibration_fraction >= 0.5) {
    return InvalidArgument("training options: calibration_fraction must be in [0, 0.5)");
  }
  return OkStatus();
}

// Maps each fastText label id of `ft` to our label index; kInvalidArgument on a mismatch.
Result<std::vector<int>> LabelIndex(const fasttext::FastText& ft, size_t n_labels) {
  const auto dict = ft.getDictionary();
  if (static_cast<size_t>(dict->nlabels()) != n_labels) {
    return InvalidArgument("model member knows " + std::to_string(dict->nlabels()) +
                           " labels, header lists " + std::to_string(n_labels));
  }
  std::vector<int> index(n_labels, -1);
  std::vector<bool> seen(n_labels, false);
  for (int32_t id = 0; id < dict->nlabels(); ++id) {
    const std::string name = dict->getLabel(id);
    const std::string_view prefix = kLabelPrefix;
    int ours = -1;
    if (name.rfind(prefix, 0) == 0) {
      try {
        ours = std::stoi(name.substr(prefix.size()));
      } catch (const std::exception&) {
        ours = -1;
      }
    }
    if (ours < 0 || static_cast<size_t>(ours) >= n_labels || seen[static_cast<size_t>(ours)]) {
      return InvalidArgument("model member has an unexpected label '" + name + "'");
    }
    seen[static_cast<size_t>(ours)] = true;
    index[static_cast<size_t>(id)] = ours;
  }
  return index;
}

}  // namespace

std::vector<FeatureOptions> DefaultLinearFeatureSets() {
  FeatureOptions words;
  words.char_ngram_min = 0;
  words.char_ngram_max = 0;
  FeatureOptions chars;
  chars.words = false;
  chars.char_ngram_min = 1;
  chars.char_ngram_max = 3;
  return {words, chars};
}

std::vector<FeatureOptions> DefaultFeatureSets() {
  FeatureOptions words;
  words.char_ngram_min = 0;
  words.char_ngram_max = 0;
  return {words};
}

FastTextModel::FastTextModel(TrainOptions options, ModelInfo info,
                             std::vector<std::unique_ptr<TextFeaturizer>> featurizers,
                             std::vector<size_t> linear_sets, std::vector<Member> members,
                             std::unique_ptr<LinearModel> linear)
    : options_(std::move(options)),
      info_(std::move(info)),
      featurizers_(std::move(featurizers)),
      linear_sets_(std::move(linear_sets)),
      members_(std::move(members)),
      linear_(std::move(linear)) {}

FastTextModel::~FastTextModel() = default;

namespace {

// `rows` with the rows of smaller labels repeated (see TrainOptions::balance).
std::vector<size_t> Oversample(const std::vector<size_t>& rows, const std::vector<int>& label_ids,
                               double balance, std::mt19937_64& rng) {
  if (balance <= 0.0) {
    return rows;
  }
  std::vector<int> count(
      static_cast<size_t>(*std::max_element(label_ids.begin(), label_ids.end()) + 1), 0);
  for (size_t row : rows) {
    ++count[static_cast<size_t>(label_ids[row])];
  }
  const double largest = *std::max_element(count.begin(), count.end());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<size_t> out;
  for (size_t row : rows) {
    const double c = count[static_cast<size_t>(label_ids[row])];
    const double copies = std::pow(largest / c, balance);  // >= 1
    const int whole = static_cast<int>(copies);
    const int n = whole + (unit(rng) < copies - whole ? 1 : 0);
    out.insert(out.end(), static_cast<size_t>(n), row);
  }
  return out;
}

// Trains `options.ensemble` fastText members on rows `rows` (feature lines + label ids).
Result<std::vector<std::unique_ptr<FastTextLoader>>> TrainMembers(
    const std::vector<std::string>& lines, const std::vector<int>& label_ids,
    const std::vector<size_t>& rows, const TrainOptions& options, int first_seed) {
  HOTLINE_ASSIGN_OR_RETURN(TempFile input, TempFile::Create("train"));
  {
    std::mt19937_64 rng(static_cast<uint64_t>(first_seed));
    std::vector<size_t> order = Oversample(rows, label_ids, options.balance, rng);
    // SGD sees rows in file order; the input is often sorted by label, so shuffle.
    std::shuffle(order.begin(), order.end(), rng);
    std::ofstream out(input.path(), std::ios::binary);
    for (size_t row : order) {
      out << kLabelPrefix << label_ids[row] << ' ' << lines[row] << '\n';
    }
    if (!out) {
      return Internal("cannot write the training file " + input.path());
    }
  }
  std::vector<std::unique_ptr<FastTextLoader>> members;
  for (int m = 0; m < options.ensemble; ++m) {
    fasttext::Args args;
    args.input = input.path();
    args.model = fasttext::model_name::sup;
    args.loss = fasttext::loss_name::softmax;
    args.epoch = options.epoch;
    args.lr = options.lr;
    args.dim = options.dim;
    args.wordNgrams = options.word_ngrams;
    args.minCount = options.min_count;
    args.minCountLabel = 0;
    args.bucket = options.word_ngrams > 1 ? options.bucket : 0;
    args.minn = 0;  // our features already hold character n-grams
    args.maxn = 0;
    args.thread = options.threads;
    args.seed = first_seed + m;
    args.verbose = 0;
    auto ft = std::make_unique<FastTextLoader>();
    try {
      ft->train(args);
    } catch (const std::exception& e) {
      return Internal(std::string("fastText training failed: ") + e.what());
    }
    members.push_back(std::move(ft));
  }
  return members;
}

}  // namespace

namespace {

struct FeaturizerSet {
  std::vector<std::unique_ptr<TextFeaturizer>> featurizers;
  std::vector<size_t> linear_sets;
};

// The fastText sets in order, then the linear member's sets not already among them.
Result<FeaturizerSet> MakeFeaturizers(const TrainOptions& options) {
  FeaturizerSet out;
  std::vector<FeatureOptions> unique = options.feature_sets;
  if (options.linear) {
    for (const FeatureOptions& f : options.linear_feature_sets) {
      auto it = std::find(unique.begin(), unique.end(), f);
      out.linear_sets.push_back(static_cast<size_t>(it - unique.begin()));
      if (it == unique.end()) {
        unique.push_back(f);
      }
    }
  }
  for (const FeatureOptions& features : unique) {
    HOTLINE_ASSIGN_OR_RETURN(std::unique_ptr<TextFeaturizer> featurizer,
                             TextFeaturizer::Create(features));
    out.featurizers.push_back(std::move(featurizer));
  }
  return out;
}

// Word-only sets of the linear member get bigrams of adjacent tokens.
std::vector<bool> BigramSets(const TrainOptions& options) {
  std::vector<bool> out;
  for (const FeatureOptions& f : options.linear_feature_sets) {
    out.push_back(options.linear_options.token_bigrams && f.words && f.char_ngram_max == 0);
  }
  return out;
}

std::vector<double> MixScores(const std::vector<double>& fasttext,
                              const std::vector<double>& linear, double weight, double scale) {
  if (linear.empty()) {
    return fasttext;
  }
  std::vector<double> z(linear.size());
  for (size_t c = 0; c < z.size(); ++c) {
    z[c] = weight * scale * linear[c] + (fasttext.empty() ? 0.0 : (1.0 - weight) * fasttext[c]);
  }
  return z;
}

constexpr int kMixingSteps = 20;  // the weight of the linear member is fitted on a 1/20 grid

// Fits the members' mixing weight, the linear scores' scale and the temperature on held-out
// rows (minimum negative log-likelihood). Fills the calibration fields of `info`.
void FitMixing(const std::vector<MemberScores>& scores, const std::vector<int>& gold,
               ModelInfo& info) {
  std::vector<std::vector<double>> fasttext;
  std::vector<std::vector<double>> linear;
  for (const MemberScores& s : scores) {
    fasttext.push_back(s.fasttext);
    linear.push_back(s.linear);
  }
  const bool has_fasttext = !scores.empty() && !scores.front().fasttext.empty();
  const bool has_linear = !scores.empty() && !scores.front().linear.empty();
  info.linear_scale = 1.0;
  if (has_fasttext && has_linear) {
    const double spread = ScoreSpread(linear);
    if (spread > 0.0) {
      info.linear_scale = ScoreSpread(fasttext) / spread;
    }
  }
  std::vector<double> weights;
  if (has_fasttext && has_linear) {
    for (int i = 0; i <= kMixingSteps; ++i) {
      weights.push_back(static_cast<double>(i) / kMixingSteps);
    }
  } else {
    weights.push_back(has_linear ? 1.0 : 0.0);
  }
  double best_nll = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> best_logits;
  for (double w : weights) {
    std::vector<std::vector<double>> logits;
    for (size_t i = 0; i < scores.size(); ++i) {
      logits.push_back(MixScores(fasttext[i], linear[i], w, info.linear_scale));
    }
    const double t = FitTemperature(logits, gold);
    const double nll = NegativeLogLikelihood(logits, gold, t);
    if (nll < best_nll) {
      best_nll = nll;
      info.linear_weight = w;
      info.temperature = t;
      best_logits = std::move(logits);
    }
  }
  info.n_calibration = static_cast<int>(gold.size());
  info.calibration_nll_before = NegativeLogLikelihood(best_logits, gold, 1.0);
  info.calibration_nll_after = best_nll;
  for (double temperature : {1.0, info.temperature}) {
    std::vector<double> confidence;
    std::vector<bool> correct;
    for (size_t i = 0; i < best_logits.size(); ++i) {
      const std::vector<double> p = SoftmaxWithTemperature(best_logits[i], temperature);
      const auto best = std::max_element(p.begin(), p.end());
      confidence.push_back(*best);
      correct.push_back(best - p.begin() == gold[i]);
    }
    const double ece = ComputeReliability(confidence, correct, kReliabilityBins).ece;
    (temperature == 1.0 ? info.calibration_ece_before : info.calibration_ece_after) = ece;
  }
}

}  // namespace

Result<std::unique_ptr<FastTextModel>> FastTextModel::Train(const std::vector<LabelledText>& data,
                                                            const TrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  HOTLINE_RETURN_IF_ERROR(ValidateOptions(options));
  if (data.empty()) {
    return InvalidArgument("no training rows");
  }
  ModelInfo info;
  info.labels = DistinctLabels(data);
  std::sort(info.labels.begin(), info.labels.end());
  if (info.labels.size() < 2) {
    return InvalidArgument("training needs at least two distinct labels");
  }
  HOTLINE_ASSIGN_OR_RETURN(FeaturizerSet made, MakeFeaturizers(options));
  std::vector<std::unique_ptr<TextFeaturizer>>& featurizers = made.featurizers;
  // lines[u][i]: row i under featurizer u.
  std::vector<std::vector<std::string>> lines(featurizers.size(),
                                              std::vector<std::string>(data.size()));
  std::vector<int> label_ids(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    for (size_t u = 0; u < featurizers.size(); ++u) {
      lines[u][i] = featurizers[u]->FeatureLine(data[i].text);
    }
    label_ids[i] =
        static_cast<int>(std::lower_bound(info.labels.begin(), info.labels.end(), data[i].label) -
                         info.labels.begin());
  }
  std::vector<size_t> all(data.size());
  std::iota(all.begin(), all.end(), size_t{0});

  auto make_members = [&](const std::vector<size_t>& rows) -> Result<std::vector<Member>> {
    std::vector<Member> members;
    for (size_t s = 0; s < options.feature_sets.size(); ++s) {
      const int first_seed = options.seed + static_cast<int>(s) * options.ensemble;
      HOTLINE_ASSIGN_OR_RETURN(auto trained,
                               TrainMembers(lines[s], label_ids, rows, options, first_seed));
      for (auto& ft : trained) {
        HOTLINE_ASSIGN_OR_RETURN(std::vector<int> index, LabelIndex(*ft, info.labels.size()));
        members.push_back(Member{std::move(ft), std::move(index), s});
      }
    }
    return members;
  };
  auto make_linear = [&](const std::vector<size_t>& rows) -> Result<std::unique_ptr<LinearModel>> {
    if (!options.linear) {
      return std::unique_ptr<LinearModel>();
    }
    std::vector<LinearModel::Tokens> docs;
    std::vector<int> labels;
    for (size_t row : rows) {
      LinearModel::Tokens doc;
      for (size_t u : made.linear_sets) {
        doc.push_back(lines[u][row]);
      }
      docs.push_back(std::move(doc));
      labels.push_back(label_ids[row]);
    }
    HOTLINE_ASSIGN_OR_RETURN(LinearModel linear,
                             LinearModel::Train(docs, labels, static_cast<int>(info.labels.size()),
                                                BigramSets(options), options.linear_options));
    return std::make_unique<LinearModel>(std::move(linear));
  };

  std::vector<Member> members;
  std::unique_ptr<LinearModel> linear;
  const Split split =
      StratifiedSplit(data, options.calibration_fraction, static_cast<uint64_t>(options.seed));
  // Calibration needs held-out rows and every label among the training rows.
  std::vector<std::string> fit_labels;
  for (size_t row : split.train) {
    fit_labels.push_back(data[row].label);
  }
  std::sort(fit_labels.begin(), fit_labels.end());
  fit_labels.erase(std::unique(fit_labels.begin(), fit_labels.end()), fit_labels.end());
  const bool calibrate = options.calibration_fraction > 0.0 && !split.test.empty() &&
                         fit_labels.size() == info.labels.size();
  if (calibrate) {
    HOTLINE_ASSIGN_OR_RETURN(members, make_members(split.train));
    HOTLINE_ASSIGN_OR_RETURN(linear, make_linear(split.train));
    FastTextModel probe(options, info, {}, made.linear_sets, std::move(members), std::move(linear));
    std::vector<MemberScores> scores;
    std::vector<int> gold;
    for (size_t row : split.test) {
      std::vector<std::string> row_lines;
      for (const auto& set_lines : lines) {
        row_lines.push_back(set_lines[row]);
      }
      HOTLINE_ASSIGN_OR_RETURN(MemberScores s, probe.MembersOfLines(row_lines));
      scores.push_back(std::move(s));
      gold.push_back(label_ids[row]);
    }
    FitMixing(scores, gold, info);
    if (options.refit_on_all) {
      HOTLINE_ASSIGN_OR_RETURN(members, make_members(all));
      HOTLINE_ASSIGN_OR_RETURN(linear, make_linear(all));
      info.n_train = static_cast<int>(data.size());
    } else {
      members = std::move(probe.members_);
      linear = std::move(probe.linear_);
      info.n_train = static_cast<int>(split.train.size());
    }
  } else {
    HOTLINE_ASSIGN_OR_RETURN(members, make_members(all));
    HOTLINE_ASSIGN_OR_RETURN(linear, make_linear(all));
    info.n_train = static_cast<int>(data.size());
    // Without held-out rows: an even mix (or the only member).
    info.linear_weight = !options.linear ? 0.0 : members.empty() ? 1.0 : 0.5;
  }
  if (options.prior_correction != 0.0) {
    std::vector<double> count(info.labels.size(), 0.0);
    for (int id : label_ids) {
      count[static_cast<size_t>(id)] += 1.0;
    }
    for (double c : count) {
      info.label_bias.push_back(-options.prior_correction *
                                std::log(c / static_cast<double>(label_ids.size())));
    }
  }
  info.train_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return std::unique_ptr<FastTextModel>(
      new FastTextModel(options, std::move(info), std::move(featurizers),
                        std::move(made.linear_sets), std::move(members), std::move(linear)));
}

Result<std::vector<double>> FastTextModel::LogitsOfLines(
    const std::vector<std::string>& lines) const {
  const size_t n = info_.labels.size();
  std::vector<double> logits(n, 0.0);
  const double weight = 1.0 / static_cast<double>(members_.size());
  for (const Member& member : members_) {
    // The trailing newline makes fastText add the end-of-sentence token, as in training.
    std::istringstream in(lines[member.feature_set] + "\n");
    std::vector<int32_t> words;
    std::vector<int32_t> ignored_labels;
    fasttext::Predictions predictions;
    try {
      member.ft->getDictionary()->getLine(in, words, ignored_labels);
      if (words.empty()) {
        continue;  // nothing known: this member contributes a uniform (zero) score
      }
      member.ft->predict(static_cast<int32_t>(n), words, predictions, 0.0);
    } catch (const std::exception& e) {
      return Internal(std::string("fastText prediction failed: ") + e.what());
    }
    for (const auto& [log_prob, id] : predictions) {
      logits[static_cast<size_t>(member.label_index[static_cast<size_t>(id)])] += weight * log_prob;
    }
  }
  return logits;
}

Result<MemberScores> FastTextModel::MembersOfLines(const std::vector<std::string>& lines) const {
  MemberScores scores;
  if (!members_.empty()) {
    HOTLINE_ASSIGN_OR_RETURN(scores.fasttext, LogitsOfLines(lines));
  }
  if (linear_ != nullptr) {
    LinearModel::Tokens doc;
    for (size_t u : linear_sets_) {
      doc.push_back(lines[u]);
    }
    scores.linear = linear_->Scores(doc);
  }
  return scores;
}

std::vector<double> FastTextModel::Mix(const MemberScores& scores) const {
  return MixScores(scores.fasttext, scores.linear, info_.linear_weight, info_.linear_scale);
}

Result<MemberScores> FastTextModel::Members(std::string_view text) const {
  std::vector<std::string> lines;
  bool any = false;
  for (const auto& featurizer : featurizers_) {
    lines.push_back(featurizer->FeatureLine(text));
    any = any || !lines.back().empty();
  }
  if (!any) {
    return InvalidArgument("the text has no words to classify");
  }
  return MembersOfLines(lines);
}

Result<std::vector<double>> FastTextModel::Logits(std::string_view text) const {
  // A kind of member whose mixing weight is 0 is neither featurised nor run.
  const bool use_fasttext = !members_.empty() && info_.linear_weight < 1.0;
  const bool use_linear = linear_ != nullptr && info_.linear_weight > 0.0;
  std::vector<bool> needed(featurizers_.size(), false);
  if (use_fasttext) {
    for (const Member& member : members_) {
      needed[member.feature_set] = true;
    }
  }
  if (use_linear) {
    for (size_t u : linear_sets_) {
      needed[u] = true;
    }
  }
  std::vector<std::string> lines(featurizers_.size());
  bool any = false;
  for (size_t u = 0; u < featurizers_.size(); ++u) {
    if (needed[u]) {
      lines[u] = featurizers_[u]->FeatureLine(text);
      any = any || !lines[u].empty();
    }
  }
  if (!any) {
    return InvalidArgument("the text has no words to classify");
  }
  MemberScores scores;
  if (use_fasttext) {
    HOTLINE_ASSIGN_OR_RETURN(scores.fasttext, LogitsOfLines(lines));
  }
  if (use_linear) {
    LinearModel::Tokens doc;
    for (size_t u : linear_sets_) {
      doc.push_back(lines[u]);
    }
    scores.linear = linear_->Scores(doc);
  }
  return Mix(scores);
}

Result<std::vector<double>> FastTextModel::Probabilities(std::string_view text) const {
  HOTLINE_ASSIGN_OR_RETURN(std::vector<double> logits, Logits(text));
  if (info_.label_bias.empty()) {
    return SoftmaxWithTemperature(logits, info_.temperature);
  }
  for (size_t c = 0; c < logits.size(); ++c) {
    logits[c] = logits[c] / info_.temperature + info_.label_bias[c];
  }
  return SoftmaxWithTemperature(logits, 1.0);
}

Result<std::vector<Prediction>> FastTextModel::Predict(std::string_view text, int k) const {
  if (k < 1) {
    return InvalidArgument("k must be at least 1, got " + std::to_string(k));
  }
  HOTLINE_ASSIGN_OR_RETURN(std::vector<double> p, Probabilities(text));
  std::vector<size_t> order(p.size());
  std::iota(order.begin(), order.end(), size_t{0});
  const size_t top = std::min(order.size(), static_cast<size_t>(k));
  std::partial_sort(order.begin(), order.begin() + static_cast<long>(top), order.end(),
                    [&](size_t a, size_t b) { return p[a] > p[b] || (p[a] == p[b] && a < b); });
  std::vector<Prediction> out;
  for (size_t i = 0; i < top; ++i) {
    out.push_back({info_.labels[order[i]], p[order[i]]});
  }
  return out;
}

Result<std::string> FastTextModel::Serialize() const {
  if (prediction_only_) {
    return FailedPrecondition(
        "this classifier model was loaded for prediction only (a member was left out); load it "
        "whole to save it");
  }
  Json feature_sets = Json::array();
  for (const FeatureOptions& f : options_.feature_sets) {
    feature_sets.push_back(FeaturesToJson(f));
  }
  Json member_sets = Json::array();
  for (const Member& member : members_) {
    member_sets.push_back(member.feature_set);
  }
  Json header{{"format", kFormatVersion},
              {"feature_sets", feature_sets},
              {"member_feature_sets", member_sets},
              {"train", TrainToJson(options_)},
              {"info", InfoToJson(info_)}};
  const std::string header_text = header.dump();
  std::string out(kMagic, kMagicSize);
  PutU32(out, static_cast<uint32_t>(header_text.size()));
  out += header_text;
  PutU32(out, static_cast<uint32_t>(members_.size()));
  for (const Member& member : members_) {
    HOTLINE_ASSIGN_OR_RETURN(TempFile tmp, TempFile::Create("save"));
    try {
      member.ft->saveModel(tmp.path());
    } catch (const std::exception& e) {
      return Internal(std::string("fastText could not save a member: ") + e.what());
    }
    HOTLINE_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(tmp.path()));
    PutU64(out, bytes.size());
    out += bytes;
  }
  if (linear_ != nullptr) {
    const std::string bytes = linear_->Serialize();
    PutU64(out, bytes.size());
    out += bytes;
  }
  PutU64(out, wire::WordHash64(out));
  return out;
}

Status FastTextModel::Save(const std::filesystem::path& path) const {
  HOTLINE_ASSIGN_OR_RETURN(std::string bytes, Serialize());
  const std::filesystem::path tmp =
      path.string() + ".tmp-" + std::to_string(static_cast<long>(getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return InvalidArgument("cannot write the model file " + path.string() +
                             " (does the folder exist?)");
    }
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      return InvalidArgument("cannot write the model file " + path.string());
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return InvalidArgument("cannot move the model file into place at " + path.string());
  }
  return OkStatus();
}

Result<std::unique_ptr<FastTextModel>> FastTextModel::Load(const std::filesystem::path& path,
                                                           LoadScope scope) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return NotFound("no classifier model at " + path.string() +
                    "; train one with `hotline classify train`");
  }
  if (!std::filesystem::is_regular_file(path, ec)) {
    return InvalidArgument("classifier model " + path.string() + " is not a regular file");
  }
  // Mapped, not read: the model is parsed straight from the page cache, without a copy of
  // the whole file (tens of MB) first.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Internal("cannot read " + path.string() + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return Internal("cannot read " + path.string() + ": " + std::strerror(err));
  }
  const size_t size = static_cast<size_t>(st.st_size);
  void* map = size == 0 ? MAP_FAILED : ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  Result<std::unique_ptr<FastTextModel>> model = InvalidArgument("the file is empty");
  if (map != MAP_FAILED) {
    (void)::madvise(map, size, MADV_SEQUENTIAL);
    model = Deserialize(std::string_view(static_cast<const char*>(map), size), scope);
    ::munmap(map, size);
  } else if (size != 0) {
    HOTLINE_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(path.string()));
    model = Deserialize(bytes, scope);
  } else {
    model = Deserialize(std::string_view(), scope);
  }
  if (!model.has_value()) {
    return Error{model.error().code, path.string() + ": " + model.error().message};
  }
  return model;
}

Result<std::unique_ptr<FastTextModel>> FastTextModel::Deserialize(std::string_view bytes,
                                                                  LoadScope scope) {
  constexpr size_t kMinSize = kMagicSize + 4 + 4 + kChecksumSize;
  if (bytes.size() >= 4 && static_cast<int32_t>(GetLe(bytes, 0, 4)) == kFastTextMagic) {
    return InvalidArgument(
        "this is a raw fastText model, not a hotline classifier model; train one with "
        "`hotline classify train`");
  }
  const std::string_view magic = bytes.substr(0, std::min(bytes.size(), kMagicSize));
  const bool fnv = magic == std::string_view(kFnvMagic);
  if (bytes.size() < kMinSize || (!fnv && magic != std::string_view(kMagic))) {
    return InvalidArgument("not a hotline classifier model (bad magic or too short)");
  }
  const size_t body = bytes.size() - kChecksumSize;
  const std::string_view checked = bytes.substr(0, body);
  if (GetLe(bytes, body, 8) != (fnv ? Fnv1a64(checked) : wire::WordHash64(checked))) {
    return InvalidArgument("the classifier model is corrupt or truncated (checksum mismatch)");
  }
  size_t pos = kMagicSize;
  const size_t header_len = GetLe(bytes, pos, 4);
  pos += 4;
  if (header_len > body - pos) {
    return InvalidArgument("the classifier model header is truncated");
  }
  const Json header = Json::parse(bytes.substr(pos, header_len), nullptr, false);
  pos += header_len;
  if (header.is_discarded() || !header.is_object()) {
    return InvalidArgument("the classifier model header is not valid JSON");
  }
  TrainOptions options;
  ModelInfo info;
  std::vector<size_t> member_sets;
  try {
    const int format = header.at("format").get<int>();
    if (format < kOldestFormatVersion || format > kFormatVersion) {
      return InvalidArgument("unsupported classifier model format " + header.at("format").dump() +
                             " (this build reads " + std::to_string(kOldestFormatVersion) + " to " +
                             std::to_string(kFormatVersion) + ")");
    }
    if (fnv != (format <= kLastFnvFormatVersion)) {
      return InvalidArgument("the classifier model's format " + std::to_string(format) +
                             " does not match its magic");
    }
    std::vector<FeatureOptions> feature_sets;
    for (const Json& f : header.at("feature_sets")) {
      feature_sets.push_back(FeaturesFromJson(f));
    }
    options = TrainFromJson(header.at("train"), std::move(feature_sets));
    if (format >= 2) {
      HOTLINE_RETURN_IF_ERROR(LinearFromJson(header.at("train").at("linear"), options));
    }
    info = InfoFromJson(header.at("info"));
    member_sets = header.at("member_feature_sets").get<std::vector<size_t>>();
  } catch (const Json::exception& e) {
    return InvalidArgument(std::string("the classifier model header is incomplete: ") + e.what());
  }
  if (info.labels.size() < 2 || !(info.temperature > 0.0)) {
    return InvalidArgument("the classifier model header has too few labels or a bad temperature");
  }
  if ((!info.label_bias.empty() && info.label_bias.size() != info.labels.size()) ||
      !std::all_of(info.label_bias.begin(), info.label_bias.end(),
                   [](double b) { return std::isfinite(b); })) {
    return InvalidArgument("the classifier model header has a bad label_bias");
  }
  if (options.linear && options.linear_feature_sets.empty()) {
    return InvalidArgument("the classifier model's linear member has no feature set");
  }
  HOTLINE_ASSIGN_OR_RETURN(FeaturizerSet made, MakeFeaturizers(options));
  if (body - pos < 4) {
    return InvalidArgument("the classifier model is truncated");
  }
  const size_t n_members = GetLe(bytes, pos, 4);
  pos += 4;
  if ((n_members < 1 && !options.linear) || n_members != member_sets.size() ||
      made.featurizers.empty()) {
    return InvalidArgument("the classifier model has no members or inconsistent feature sets");
  }
  for (size_t set : member_sets) {
    if (set >= options.feature_sets.size()) {
      return InvalidArgument("a classifier model member refers to a missing feature set");
    }
  }
  // For prediction only, a kind of member with mixing weight 0 is not parsed (Logits never
  // runs it); the checksum above already covers its bytes.
  const bool skip_members =
      scope == LoadScope::kPrediction && options.linear && info.linear_weight >= 1.0;
  const bool skip_linear =
      scope == LoadScope::kPrediction && n_members >= 1 && info.linear_weight <= 0.0;
  std::vector<Member> members;
  for (size_t m = 0; m < n_members; ++m) {
    if (body - pos < 8) {
      return InvalidArgument("the classifier model is truncated");
    }
    const size_t size = GetLe(bytes, pos, 8);
    pos += 8;
    if (size > body - pos || size < 8) {
      return InvalidArgument("a classifier model member is truncated");
    }
    const std::string_view blob = bytes.substr(pos, size);
    pos += size;
    if (static_cast<int32_t>(GetLe(blob, 0, 4)) != kFastTextMagic ||
        static_cast<int32_t>(GetLe(blob, 4, 4)) != kFastTextVersion) {
      return InvalidArgument("a classifier model member is not a fastText 0.9 model");
    }
    if (skip_members) {
      continue;
    }
    auto ft = std::make_unique<FastTextLoader>();
    try {
      ViewBuf buf(blob);
      std::istream in(&buf);
      if (!ft->CheckSignature(in)) {
        return InvalidArgument("a classifier model member has a bad fastText signature");
      }
      ft->loadModel(in);
      if (!in) {
        return InvalidArgument("a classifier model member is truncated");
      }
    } catch (const std::exception& e) {
      return InvalidArgument(std::string("fastText could not load a member: ") + e.what());
    }
    const fasttext::Args args = ft->getArgs();
    if (args.model != fasttext::model_name::sup || args.loss != fasttext::loss_name::softmax) {
      return InvalidArgument("a classifier model member is not a softmax supervised model");
    }
    HOTLINE_ASSIGN_OR_RETURN(std::vector<int> index, LabelIndex(*ft, info.labels.size()));
    members.push_back(Member{std::move(ft), std::move(index), member_sets[m]});
  }
  std::unique_ptr<LinearModel> linear;
  if (options.linear) {
    if (body - pos < 8) {
      return InvalidArgument("the classifier model's linear member is missing or truncated");
    }
    const size_t size = GetLe(bytes, pos, 8);
    pos += 8;
    if (size > body - pos) {
      return InvalidArgument("the classifier model's linear member is truncated");
    }
    const std::string_view image = bytes.substr(pos, size);
    pos += size;
    if (!skip_linear) {
      HOTLINE_ASSIGN_OR_RETURN(LinearModel loaded, LinearModel::Deserialize(image));
      if (loaded.n_labels() != static_cast<int>(info.labels.size()) ||
          loaded.bigram_sets().size() != options.linear_feature_sets.size()) {
        return InvalidArgument(
            "the classifier model's linear member does not match the header (labels or feature "
            "sets)");
      }
      linear = std::make_unique<LinearModel>(std::move(loaded));
    }
  }
  if (!(info.linear_weight >= 0.0 && info.linear_weight <= 1.0) ||
      !std::isfinite(info.linear_scale) || (linear == nullptr && info.linear_weight != 0.0) ||
      (members.empty() && info.linear_weight != 1.0)) {
    return InvalidArgument("the classifier model header has a bad mixing weight");
  }
  if (pos != body) {
    return InvalidArgument("the classifier model has trailing bytes");
  }
  auto model = std::unique_ptr<FastTextModel>(
      new FastTextModel(options, std::move(info), std::move(made.featurizers),
                        std::move(made.linear_sets), std::move(members), std::move(linear)));
  model->prediction_only_ = (skip_members && n_members > 0) || skip_linear;
  return model;
}

}  // namespace hotline::adapters::classify

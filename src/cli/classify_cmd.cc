// `hotline classify train|eval|predict`: the request classifier (fastText) from the
// command line. Every command prints figures for people and, as its last line, one JSON
// object for scripts.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/classify/calibration.h"
#include "adapters/classify/dataset.h"
#include "adapters/classify/fasttext_model.h"
#include "cli/commands.h"

namespace hotline::cli {
namespace {

namespace cls = hotline::adapters::classify;
using Json = nlohmann::json;

constexpr int kTopK = 3;
constexpr int kReliabilityBins = 10;
constexpr char kNoPrediction[] = "(无)";

int Fail(const char* command, const Error& error) {
  std::fprintf(stderr, "hotline classify %s: %s\n", command, error.ToString().c_str());
  return 1;
}

// Terminal columns of a UTF-8 string: CJK and other wide characters take two.
size_t DisplayWidth(const std::string& s) {
  size_t width = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    width += len >= 3 ? 2 : 1;  // 3- and 4-byte sequences here are CJK or symbols
    i += len;
  }
  return width;
}

std::string PadRight(const std::string& s, size_t width) {
  const size_t w = DisplayWidth(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::string PadLeft(const std::string& s, size_t width) {
  const size_t w = DisplayWidth(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}

struct TrainArgs {
  std::string data;
  std::string model;
  std::string features;
  cls::TrainOptions options;
};

int RunTrain(TrainArgs args) {
  if (!args.features.empty()) {
    auto sets = cls::ParseFeatureSets(args.features);
    if (!sets.has_value()) {
      return Fail("train", sets.error());
    }
    args.options.feature_sets = std::move(sets).value();
  }
  auto data = cls::ReadLabelledTsv(args.data);
  if (!data.has_value()) {
    return Fail("train", data.error());
  }
  const std::filesystem::path model_path(args.model);
  if (model_path.has_parent_path() && !std::filesystem::is_directory(model_path.parent_path())) {
    return Fail("train", NotFound("the folder of --model does not exist: " +
                                  model_path.parent_path().string()));
  }
  const std::vector<std::string> labels = cls::DistinctLabels(*data);
  std::printf("训练 training: %zu rows, %zu labels, %d thread(s), %d epochs, ensemble of %d\n",
              data->size(), labels.size(), args.options.threads, args.options.epoch,
              args.options.ensemble);
  auto model = cls::FastTextModel::Train(*data, args.options);
  if (!model.has_value()) {
    return Fail("train", model.error());
  }
  if (Status saved = (*model)->Save(model_path); !saved.has_value()) {
    return Fail("train", saved.error());
  }
  const cls::ModelInfo& info = (*model)->info();
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(model_path, ec);
  std::printf("training time: %.1f s (%d rows trained on, %d held out for calibration%s)\n",
              info.train_seconds, info.n_train, info.n_calibration,
              args.options.refit_on_all ? ", then refit on all" : "");
  if (info.n_calibration > 0) {
    std::printf(
        "calibration on %d held-out rows: temperature %.3f, NLL %.4f -> %.4f, ECE %.4f -> "
        "%.4f\n",
        info.n_calibration, info.temperature, info.calibration_nll_before,
        info.calibration_nll_after, info.calibration_ece_before, info.calibration_ece_after);
  }
  std::printf("model written: %s (%.1f MB)\n", model_path.string().c_str(),
              static_cast<double>(bytes) / 1e6);
  const Json summary{{"n", data->size()},
                     {"labels", labels.size()},
                     {"train_seconds", info.train_seconds},
                     {"temperature", info.temperature},
                     {"calibration_ece", info.calibration_ece_after},
                     {"model_bytes", bytes}};
  std::printf("%s\n", summary.dump().c_str());
  return 0;
}

struct EvalArgs {
  std::string model;
  std::string data;
};

int RunEval(const EvalArgs& args) {
  auto model = cls::FastTextModel::Load(args.model);
  if (!model.has_value()) {
    return Fail("eval", model.error());
  }
  auto data = cls::ReadLabelledTsv(args.data);
  if (!data.has_value()) {
    return Fail("eval", data.error());
  }
  std::vector<std::string> gold;
  std::vector<std::string> predicted;
  std::vector<double> confidence;
  std::vector<bool> correct;
  int top3_hits = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const cls::LabelledText& row : *data) {
    auto top = (*model)->Predict(row.text, kTopK);
    const std::string label = top.has_value() ? top->front().label : kNoPrediction;
    gold.push_back(row.label);
    predicted.push_back(label);
    confidence.push_back(top.has_value() ? top->front().confidence : 0.0);
    correct.push_back(label == row.label);
    if (top.has_value() && std::any_of(top->begin(), top->end(), [&](const cls::Prediction& p) {
          return p.label == row.label;
        })) {
      ++top3_hits;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const cls::Evaluation e = cls::Evaluate(gold, predicted);
  const cls::Reliability reliability =
      cls::ComputeReliability(confidence, correct, kReliabilityBins);

  // Confusion table: rows are the true label, columns the predicted one.
  size_t label_width = DisplayWidth("真实\\预测");
  for (const std::string& l : e.labels) {
    label_width = std::max(label_width, DisplayWidth(l));
  }
  constexpr size_t kCell = 7;
  std::printf("混淆矩阵 confusion (rows: true, columns: predicted as numbered)\n");
  std::printf("%s", PadRight("真实\\预测", label_width + 5).c_str());
  for (size_t c = 0; c < e.labels.size(); ++c) {
    std::printf("%s", PadLeft("[" + std::to_string(c + 1) + "]", kCell).c_str());
  }
  std::printf("%s%s%s%s\n", PadLeft("n", kCell).c_str(), PadLeft("P", kCell).c_str(),
              PadLeft("R", kCell).c_str(), PadLeft("F1", kCell).c_str());
  for (size_t g = 0; g < e.labels.size(); ++g) {
    const cls::ClassMetrics& m = e.per_class[g];
    std::printf(
        "%s", PadRight("[" + std::to_string(g + 1) + "] " + e.labels[g], label_width + 5).c_str());
    for (size_t p = 0; p < e.labels.size(); ++p) {
      std::printf("%s", PadLeft(std::to_string(e.confusion[g][p]), kCell).c_str());
    }
    char figures[64];
    std::snprintf(figures, sizeof figures, "%7d%7.3f%7.3f%7.3f", m.support, m.precision, m.recall,
                  m.f1);
    std::printf("%s\n", figures);
  }
  std::printf("\n可靠性 reliability of the top-1 confidence (ECE %.4f)\n", reliability.ece);
  std::printf("  confidence      n  mean conf  accuracy\n");
  for (const cls::ReliabilityBin& bin : reliability.bins) {
    if (bin.count > 0) {
      std::printf("  [%.1f, %.1f) %6d %10.3f %9.3f\n", bin.lower, bin.upper, bin.count,
                  bin.mean_confidence, bin.accuracy);
    }
  }
  const double n = static_cast<double>(e.n);
  std::printf("\naccuracy %.4f, macro-F1 %.4f, top-3 accuracy %.4f, %.3f ms per prediction\n",
              e.accuracy, e.macro_f1, n > 0 ? top3_hits / n : 0.0, n > 0 ? seconds * 1e3 / n : 0.0);
  const Json summary{{"n", e.n},
                     {"accuracy", e.accuracy},
                     {"macro_f1", e.macro_f1},
                     {"top3_accuracy", n > 0 ? top3_hits / n : 0.0},
                     {"ece", reliability.ece}};
  std::printf("%s\n", summary.dump().c_str());
  return 0;
}

struct PredictArgs {
  std::string model;
  std::string text;
  int k = kTopK;
  bool json = false;
};

int RunPredict(const PredictArgs& args) {
  auto model = cls::FastTextModel::Load(args.model);
  if (!model.has_value()) {
    return Fail("predict", model.error());
  }
  auto top = (*model)->Predict(args.text, args.k);
  if (!top.has_value()) {
    return Fail("predict", top.error());
  }
  Json predictions = Json::array();
  for (const cls::Prediction& p : *top) {
    predictions.push_back({{"label", p.label}, {"confidence", p.confidence}});
    if (!args.json) {
      std::printf("%s  %.3f\n", PadRight(p.label, 16).c_str(), p.confidence);
    }
  }
  std::printf("%s\n", Json{{"predictions", predictions}}.dump().c_str());
  return 0;
}

}  // namespace

void RegisterClassifyCommands(CLI::App& app) {
  CLI::App* classify = app.add_subcommand(
      "classify", "request classifier (fastText): train, evaluate, predict 诉求分类");
  classify->require_subcommand(1);

  auto train_args = std::make_shared<TrainArgs>();
  CLI::App* train = classify->add_subcommand(
      "train", "train a model from a TSV (header with columns label and text)");
  train->add_option("--data", train_args->data, "training TSV")->required();
  train->add_option("--model", train_args->model, "model file to write")->required();
  cls::TrainOptions& o = train_args->options;
  train->add_option("--features", train_args->features,
                    "feature sets, one member each: w = words, cXY = Han X..Y-grams (e.g. w,c12)");
  train->add_option("--epoch", o.epoch, "fastText epochs")->capture_default_str();
  train->add_option("--lr", o.lr, "fastText learning rate")->capture_default_str();
  train->add_option("--dim", o.dim, "embedding dimension")->capture_default_str();
  train->add_option("--word-ngrams", o.word_ngrams, "token n-gram length")->capture_default_str();
  train->add_option("--bucket", o.bucket, "hashed n-gram rows")->capture_default_str();
  train->add_option("--ensemble", o.ensemble, "members per feature set (different seeds)")
      ->capture_default_str();
  train->add_option("--threads", o.threads, "fastText threads (1 = reproducible)")
      ->capture_default_str();
  train->add_option("--balance", o.balance, "oversample small labels (0 = no, 1 = equal)")
      ->capture_default_str();
  train->add_option("--seed", o.seed, "random seed")->capture_default_str();
  train
      ->add_option("--calibration-fraction", o.calibration_fraction,
                   "rows held out to fit the temperature (0 = none)")
      ->capture_default_str();
  train->add_flag("--refit", o.refit_on_all,
                  "after calibrating, retrain on all rows (twice the time)");
  train->callback([train_args] { ExitCode() = RunTrain(*train_args); });

  auto eval_args = std::make_shared<EvalArgs>();
  CLI::App* eval = classify->add_subcommand(
      "eval", "evaluate a model on a labelled TSV: confusion table, accuracy, macro-F1");
  eval->add_option("--model", eval_args->model, "model file")->required();
  eval->add_option("--data", eval_args->data, "test TSV (label, text)")->required();
  eval->callback([eval_args] { ExitCode() = RunEval(*eval_args); });

  auto predict_args = std::make_shared<PredictArgs>();
  CLI::App* predict =
      classify->add_subcommand("predict", "top categories of one text with confidence");
  predict->add_option("--model", predict_args->model, "model file")->required();
  predict->add_option("--text", predict_args->text, "the citizen's message")->required();
  predict->add_option("-k,--top", predict_args->k, "how many categories")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  predict->add_flag("--json", predict_args->json, "print only the JSON line");
  predict->callback([predict_args] { ExitCode() = RunPredict(*predict_args); });
}

}  // namespace hotline::cli

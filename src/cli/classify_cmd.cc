// `hotline classify train|eval|predict|retrain|models|activate|import|accuracy`: the
// request classifier (fastText) from the command line, with model files or in the store. Every
// command prints figures for people and, as its last line, one JSON object for scripts.
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
#include "adapters/classify/model_registry.h"
#include "cli/commands.h"
#include "cli/common.h"

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
  std::string linear_features;
  std::string linear_loss;
  cls::TrainOptions options;
};

int RunTrain(TrainArgs args) {
  if (args.features == "none") {
    args.options.feature_sets.clear();
  } else if (!args.features.empty()) {
    auto sets = cls::ParseFeatureSets(args.features);
    if (!sets.has_value()) {
      return Fail("train", sets.error());
    }
    args.options.feature_sets = std::move(sets).value();
  }
  if (args.linear_loss == "none") {
    args.options.linear = false;
  } else if (!args.linear_loss.empty()) {
    auto loss = cls::ParseLinearLoss(args.linear_loss);
    if (!loss.has_value()) {
      return Fail("train", loss.error());
    }
    args.options.linear = true;
    args.options.linear_options.loss = *loss;
  }
  if (!args.linear_features.empty()) {
    auto sets = cls::ParseFeatureSets(args.linear_features);
    if (!sets.has_value()) {
      return Fail("train", sets.error());
    }
    args.options.linear_feature_sets = std::move(sets).value();
  }
  args.options.linear_options.threads = args.options.threads;
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
  if ((*model)->has_linear()) {
    std::printf("linear member: %s, C %g; mixing weight %.2f (fastText %.2f)\n",
                std::string(cls::LinearLossName(args.options.linear_options.loss)).c_str(),
                args.options.linear_options.c, info.linear_weight, 1.0 - info.linear_weight);
  }
  if (!info.label_bias.empty()) {
    std::printf("prior correction %g: label bias", args.options.prior_correction);
    for (size_t c = 0; c < info.labels.size(); ++c) {
      std::printf(" %s %+.2f", info.labels[c].c_str(), info.label_bias[c]);
    }
    std::printf("\n");
  }
  std::printf("model written: %s (%.1f MB)\n", model_path.string().c_str(),
              static_cast<double>(bytes) / 1e6);
  const Json summary{{"n", data->size()},
                     {"labels", labels.size()},
                     {"train_seconds", info.train_seconds},
                     {"temperature", info.temperature},
                     {"linear_weight", info.linear_weight},
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

// ---- Models in the store (docs/classify.md, "Models in the store") ----

std::string Fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

struct RetrainArgs {
  std::string store = "var/hotline.db";
  cls::RetrainOptions options;
};

void PrintConfusion(const cls::Evaluation& e) {
  std::printf("%s", PadRight("", 26).c_str());
  for (size_t j = 0; j < e.labels.size(); ++j) {
    std::printf(" %5zu", j + 1);
  }
  std::printf("   n     P      R      F1\n");
  for (size_t i = 0; i < e.labels.size(); ++i) {
    std::string name = "[" + std::to_string(i + 1) + "] " + e.labels[i];
    std::printf("%s", PadRight(name, 26).c_str());
    int n = 0;
    for (int c : e.confusion[i]) {
      std::printf(" %5d", c);
      n += c;
    }
    const cls::ClassMetrics* m = nullptr;
    for (const auto& pc : e.per_class) {
      if (pc.label == e.labels[i]) {
        m = &pc;
      }
    }
    if (m != nullptr) {
      std::printf(" %4d  %.3f  %.3f  %.3f", n, m->precision, m->recall, m->f1);
    }
    std::printf("\n");
  }
}

int RunRetrain(const RetrainArgs& args) {
  auto session = OpenSession(args.store);
  if (!session.has_value()) {
    return Fail("retrain", session.error());
  }
  std::printf("从工单库重新训练 retraining from %s (labels: level-%d categories)\n",
              args.store.c_str(), args.options.level);
  std::fflush(stdout);
  auto r = cls::Retrain(*session->store, session->config->categories, session->clock->Now(),
                        args.options);
  if (!r.has_value()) {
    return Fail("retrain", r.error());
  }
  std::printf("工单 %lld 件：训练 %lld，留出评估 %lld；%zu 个分类；训练用时 %.1f s\n",
              static_cast<long long>(r->rows), static_cast<long long>(r->n_train),
              static_cast<long long>(r->n_test), r->labels.size(), r->train_seconds);
  PrintConfusion(r->eval);
  std::printf("新模型 accuracy %.3f  macro-F1 %.3f  top-3 %.3f\n", r->eval.accuracy,
              r->eval.macro_f1, r->top3);
  if (r->previous_eval) {
    std::printf("当前模型 v%lld 在同一留出集上 accuracy %.3f  macro-F1 %.3f\n",
                static_cast<long long>(*r->previous_version), r->previous_eval->accuracy,
                r->previous_eval->macro_f1);
  } else if (!r->previous_error.empty()) {
    std::printf("当前模型 v%lld 无法加载: %s\n", static_cast<long long>(*r->previous_version),
                r->previous_error.c_str());
  }
  std::printf("已保存为模型版本 v%lld（%lld 字节）；%s\n", static_cast<long long>(r->version),
              static_cast<long long>(r->model_bytes), r->decision.c_str());
  Json out = cls::RetrainMetricsJson(*r);
  out["version"] = r->version;
  out["model_bytes"] = r->model_bytes;
  out.erase("labels");
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

int RunModels(const std::string& store) {
  auto session = OpenSession(store);
  if (!session.has_value()) {
    return Fail("models", session.error());
  }
  auto models = session->store->ListClassifierModels();
  if (!models.has_value()) {
    return Fail("models", models.error());
  }
  Json arr = Json::array();
  for (const auto& m : *models) {
    Json metrics = Json::parse(m.metrics, nullptr, false);
    const double acc = metrics.is_object() ? metrics.value("accuracy", -1.0) : -1.0;
    std::printf("v%-4lld %s  %s  %-8s %-6s 训练 %6lld 件  %9lld 字节  %s\n",
                static_cast<long long>(m.version), m.active ? "启用" : "    ",
                FormatLocal(m.created_at).c_str(), m.trained_by.c_str(), m.source.c_str(),
                static_cast<long long>(m.training_rows), static_cast<long long>(m.model_bytes),
                acc >= 0 ? ("accuracy " + Fixed(acc, 3)).c_str() : "");
    arr.push_back({{"version", m.version},
                   {"active", m.active},
                   {"created_at", FormatLocal(m.created_at)},
                   {"trained_by", m.trained_by},
                   {"source", m.source},
                   {"training_rows", m.training_rows},
                   {"model_bytes", m.model_bytes},
                   {"metrics", metrics.is_discarded() ? Json(nullptr) : metrics}});
  }
  if (models->empty()) {
    std::printf("库中还没有分类模型（hotline classify retrain 或 import）\n");
  }
  std::printf("%s\n", Json{{"models", arr}}.dump().c_str());
  return 0;
}

int RunActivate(const std::string& store, int64_t version) {
  auto session = OpenSession(store);
  if (!session.has_value()) {
    return Fail("activate", session.error());
  }
  // A version that does not load is refused: the servers would keep the old one anyway.
  auto model = cls::LoadStoredModel(*session->store, version);
  if (!model.has_value()) {
    return Fail("activate", model.error());
  }
  if (auto st = session->store->ActivateClassifierModel(version, session->clock->Now());
      !st.has_value()) {
    return Fail("activate", st.error());
  }
  std::printf("已启用分类模型 v%lld（运行中的服务在下一次检查时切换）\n",
              static_cast<long long>(version));
  std::printf("%s\n", Json{{"version", version}, {"active", true}}.dump().c_str());
  return 0;
}

int RunImport(const std::string& store, const std::string& path, bool activate) {
  auto session = OpenSession(store);
  if (!session.has_value()) {
    return Fail("import", session.error());
  }
  auto model = cls::FastTextModel::Load(path);
  if (!model.has_value()) {
    return Fail("import", model.error());
  }
  auto bytes = (*model)->Serialize();
  if (!bytes.has_value()) {
    return Fail("import", bytes.error());
  }
  const cls::ModelInfo& mi = (*model)->info();
  ports::ClassifierModelInfo info;
  info.created_at = session->clock->Now();
  info.trained_by = "cli";
  info.source = "import";
  info.training_rows = mi.n_train;
  info.metrics = Json{{"file", path},
                      {"labels", mi.labels},
                      {"temperature", mi.temperature},
                      {"calibration_ece", mi.calibration_ece_after}}
                     .dump();
  auto version = session->store->AddClassifierModel(info, *bytes, activate);
  if (!version.has_value()) {
    return Fail("import", version.error());
  }
  std::printf("已导入为分类模型 v%lld（%zu 字节）%s\n", static_cast<long long>(*version),
              bytes->size(), activate ? "，已启用" : "");
  std::printf("%s\n",
              Json{{"version", *version}, {"active", activate}, {"model_bytes", bytes->size()}}
                  .dump()
                  .c_str());
  return 0;
}

int RunAccuracy(const std::string& store, std::string from, std::string to) {
  auto session = OpenSession(store);
  if (!session.has_value()) {
    return Fail("accuracy", session.error());
  }
  if (to.empty()) {
    to = FormatLocalDate(session->clock->Now());
  }
  if (from.empty()) {
    from = to.substr(0, 8) + "01";
  }
  if (!cls::IsLocalDate(from) || !cls::IsLocalDate(to) || from > to) {
    return Fail("accuracy", InvalidArgument("--from/--to 应为 YYYY-MM-DD 且 from 不晚于 to"));
  }
  auto outcomes = session->store->SuggestionOutcomes(from, to);
  if (!outcomes.has_value()) {
    return Fail("accuracy", outcomes.error());
  }
  auto a = domain::ComputeSuggestionAccuracy(*outcomes, session->config->categories,
                                             session->config->org);
  auto pct = [](std::optional<double> r) {
    return r ? Fixed(*r * 100, 1) + "%" : std::string("—");
  };
  std::printf("分类建议准确率 %s 至 %s（首次派单在此期间的工单）\n", from.c_str(), to.c_str());
  std::printf("  派单工单 %lld 件，其中登记时有分类建议 %lld 件（有最终分类的 %lld 件）\n",
              static_cast<long long>(a.dispatched), static_cast<long long>(a.suggested),
              static_cast<long long>(a.judged));
  std::printf("  首选建议正确 %lld 件（%s），前三项含正确分类 %lld 件（%s）\n",
              static_cast<long long>(a.top1), pct(a.top1_rate()).c_str(),
              static_cast<long long>(a.top3), pct(a.top3_rate()).c_str());
  std::printf("  建议承办单位正确 %lld / %lld 件（%s）\n", static_cast<long long>(a.unit_hits),
              static_cast<long long>(a.unit_judged), pct(a.unit_rate()).c_str());
  std::printf("%s\n", cls::AccuracyJson(a, from, to).dump().c_str());
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
                    "fastText feature sets, one member each: w = words, cXY = Han X..Y-grams "
                    "(e.g. w,c12); none = no fastText member");
  train->add_option("--linear", train_args->linear_loss,
                    "linear member: svm (one-vs-rest L2-loss SVM), lr (logistic regression), cnb "
                    "(complement naive Bayes) or none");
  train->add_option("--linear-features", train_args->linear_features,
                    "the linear member's feature sets (e.g. w,c13)");
  train->add_option("--linear-c", o.linear_options.c, "the linear member's C (inverse L2)")
      ->capture_default_str();
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
  train
      ->add_option("--prior-correction", o.prior_correction,
                   "favour smaller labels: -p * log(label share) on the calibrated log-probability "
                   "(0 = off)")
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
  auto retrain_args = std::make_shared<RetrainArgs>();
  CLI::App* retrain = classify->add_subcommand(
      "retrain",
      "retrain from the store's dispatched tickets (final categories), store the version and "
      "activate it when not worse than the active model");
  retrain->add_option("--store", retrain_args->store, "store file")->capture_default_str();
  cls::RetrainOptions& ro = retrain_args->options;
  retrain->add_option("--min-rows", ro.min_rows, "fewest labelled tickets to train on")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  retrain->add_option("--max-rows", ro.max_rows, "the newest tickets at most")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  retrain->add_option("--level", ro.level, "label level of the category tree (1 = top)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3));
  retrain->add_option("--threads", ro.train.threads, "fastText threads")->capture_default_str();
  retrain->add_flag("--activate", ro.force_activate,
                    "activate the new version even if it is worse than the active one");
  retrain->callback([retrain_args] { ExitCode() = RunRetrain(*retrain_args); });

  auto store_path = std::make_shared<std::string>("var/hotline.db");
  CLI::App* models = classify->add_subcommand("models", "list the model versions in the store");
  models->add_option("--store", *store_path, "store file")->capture_default_str();
  models->callback([store_path] { ExitCode() = RunModels(*store_path); });

  auto version = std::make_shared<int64_t>(0);
  CLI::App* activate =
      classify->add_subcommand("activate", "activate a stored model version (servers hot-swap)");
  activate->add_option("version", *version, "model version (classify models)")->required();
  activate->add_option("--store", *store_path, "store file")->capture_default_str();
  activate->callback([store_path, version] { ExitCode() = RunActivate(*store_path, *version); });

  auto import_model = std::make_shared<std::string>();
  auto import_activate = std::make_shared<bool>(false);
  CLI::App* import = classify->add_subcommand("import", "store a model file as a new version");
  import->add_option("--model", *import_model, "model file (classify train)")->required();
  import->add_option("--store", *store_path, "store file")->capture_default_str();
  import->add_flag("--activate", *import_activate, "activate it");
  import->callback([store_path, import_model, import_activate] {
    ExitCode() = RunImport(*store_path, *import_model, *import_activate);
});

auto from = std::make_shared<std::string>();
auto to = std::make_shared<std::string>();
CLI::App* accuracy = classify->add_subcommand(
    "accuracy", "分类建议准确率: suggestions at registration vs final categories");
accuracy->add_option("--store", *store_path, "store file")->capture_default_str();
accuracy->add_option("--from", *from,
                     "first date of first dispatch (YYYY-MM-DD; default: "
                     "the first of this month)");
accuracy->add_option("--to", *to, "last date (YYYY-MM-DD, inclusive; default: today)");
accuracy->callback([store_path, from, to] { ExitCode() = RunAccuracy(*store_path, *from, *to); });
}  // namespace hotline::cli

}  // namespace hotline::cli

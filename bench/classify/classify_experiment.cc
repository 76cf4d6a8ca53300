// classify_experiment: measures classifier variants on a labelled TSV with a fixed-seed
// stratified split or stratified k-fold cross-validation. Used to produce the tables in
// docs/classify.md. Usage:
//   classify_experiment data=TRAIN.tsv [mode=split|cv] [folds=5] [test=0.3] [key=value...]
// Keys: epoch lr dim ngrams mincount bucket ensemble threads seed cal refit balance
// sets (e.g. sets=w,c12 or wc22; sets=none: no fastText member) title titlechars numbers t2s
// maxchars splitseed; the linear member: linear=1 lsets=w,c13 loss=svm|lr|cnb C mindf
// maxfeat lbigrams sublinear liters nb (NB scaling of the SVM, default 1) cw (class weight);
// prior (the prior correction, default 0.3; 0 = off). With
// both kinds of member, the figures of each member alone (argmax of its own scores) are printed too
// ("ft", "lin").
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "adapters/classify/calibration.h"
#include "adapters/classify/dataset.h"
#include "adapters/classify/fasttext_model.h"

namespace cls = hotline::adapters::classify;

namespace {

struct Outcome {
  double accuracy = 0;
  double macro_f1 = 0;
  double ft_accuracy = 0;  // each member alone
  double ft_macro_f1 = 0;
  double lin_accuracy = 0;
  double lin_macro_f1 = 0;
  double weight = 0;
  double ece = 0;
  double train_seconds = 0;
  double temperature = 1;
};

Outcome RunOnce(const std::vector<cls::LabelledText>& data, const std::vector<size_t>& train,
                const std::vector<size_t>& test, const cls::TrainOptions& options) {
  std::vector<cls::LabelledText> train_rows;
  for (size_t i : train) {
    train_rows.push_back(data[i]);
  }
  auto model = cls::FastTextModel::Train(train_rows, options);
  if (!model.has_value()) {
    std::fprintf(stderr, "train failed: %s\n", model.error().ToString().c_str());
    std::exit(1);
  }
  std::vector<std::string> gold;
  std::vector<std::string> predicted;
  std::vector<std::string> ft_predicted;
  std::vector<std::string> lin_predicted;
  std::vector<double> confidence;
  std::vector<bool> correct;
  auto argmax = [&](const std::vector<double>& z) -> std::string {
    if (z.empty()) {
      return "";
    }
    return (*model)
        ->labels()[static_cast<size_t>(std::max_element(z.begin(), z.end()) - z.begin())];
  };
  for (size_t i : test) {
    auto members = (*model)->Members(data[i].text);
    ft_predicted.push_back(members.has_value() ? argmax(members->fasttext) : "");
    lin_predicted.push_back(members.has_value() ? argmax(members->linear) : "");
    auto top = (*model)->Predict(data[i].text, 1);
    const std::string label = top.has_value() ? top->front().label : "";
    gold.push_back(data[i].label);
    predicted.push_back(label);
    confidence.push_back(top.has_value() ? top->front().confidence : 0.0);
    correct.push_back(label == data[i].label);
  }
  const cls::Evaluation e = cls::Evaluate(gold, predicted);
  Outcome o;
  o.accuracy = e.accuracy;
  o.macro_f1 = e.macro_f1;
  o.ece = cls::ComputeReliability(confidence, correct).ece;
  o.train_seconds = (*model)->info().train_seconds;
  o.temperature = (*model)->info().temperature;
  o.weight = (*model)->info().linear_weight;
  const cls::Evaluation ft = cls::Evaluate(gold, ft_predicted);
  const cls::Evaluation lin = cls::Evaluate(gold, lin_predicted);
  o.ft_accuracy = ft.accuracy;
  o.ft_macro_f1 = ft.macro_f1;
  o.lin_accuracy = lin.accuracy;
  o.lin_macro_f1 = lin.macro_f1;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> kv;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "expected key=value, got %s\n", argv[i]);
      return 2;
    }
    kv[arg.substr(0, eq)] = arg.substr(eq + 1);
  }
  auto get = [&](const std::string& key, const std::string& fallback) {
    auto it = kv.find(key);
    return it == kv.end() ? fallback : it->second;
  };
  auto num = [&](const std::string& key, double fallback) {
    auto it = kv.find(key);
    return it == kv.end() ? fallback : std::stod(it->second);
  };
  cls::TrainOptions o;
  o.epoch = static_cast<int>(num("epoch", o.epoch));
  o.lr = num("lr", o.lr);
  o.dim = static_cast<int>(num("dim", o.dim));
  o.word_ngrams = static_cast<int>(num("ngrams", o.word_ngrams));
  o.min_count = static_cast<int>(num("mincount", o.min_count));
  o.bucket = static_cast<int>(num("bucket", o.bucket));
  o.ensemble = static_cast<int>(num("ensemble", o.ensemble));
  o.balance = num("balance", o.balance);
  o.threads = static_cast<int>(num("threads", o.threads));
  o.seed = static_cast<int>(num("seed", o.seed));
  o.calibration_fraction = num("cal", 0.0);
  o.refit_on_all = num("refit", o.refit_on_all ? 1 : 0) != 0;
  o.prior_correction = num("prior", o.prior_correction);
  hotline::Result<std::vector<cls::FeatureOptions>> sets = std::vector<cls::FeatureOptions>{};
  if (get("sets", "wc22") != "none") {
    sets = cls::ParseFeatureSets(get("sets", "wc22"));
  }
  if (!sets.has_value()) {
    std::fprintf(stderr, "%s\n", sets.error().ToString().c_str());
    return 2;
  }
  o.feature_sets = std::move(sets).value();
  o.linear = num("linear", 0) != 0;
  auto lsets = cls::ParseFeatureSets(get("lsets", "w,c13"));
  auto loss = cls::ParseLinearLoss(get("loss", "svm"));
  if (!lsets.has_value() || !loss.has_value()) {
    std::fprintf(stderr, "bad lsets or loss\n");
    return 2;
  }
  o.linear_feature_sets = std::move(lsets).value();
  o.linear_options.loss = *loss;
  o.linear_options.c = num("C", o.linear_options.c);
  o.linear_options.min_df = static_cast<int>(num("mindf", o.linear_options.min_df));
  o.linear_options.max_features = static_cast<int>(num("maxfeat", o.linear_options.max_features));
  o.linear_options.token_bigrams = num("lbigrams", 1) != 0;
  o.linear_options.sublinear_tf = num("sublinear", 1) != 0;
  o.linear_options.max_iterations =
      static_cast<int>(num("liters", o.linear_options.max_iterations));
  o.linear_options.nb_scale = num("nb", o.linear_options.nb_scale ? 1 : 0) != 0;
  o.linear_options.class_weight = num("cw", o.linear_options.class_weight);
  o.linear_options.threads = o.threads;
  for (std::vector<cls::FeatureOptions>* list : {&o.feature_sets, &o.linear_feature_sets}) {
    for (cls::FeatureOptions& f : *list) {
      f.title_repeat = static_cast<int>(num("title", f.title_repeat));
      f.title_max_chars = static_cast<int>(num("titlechars", f.title_max_chars));
      f.fold_numbers = num("numbers", 1) != 0;
      f.traditional_to_simplified = num("t2s", 1) != 0;
      f.max_chars = static_cast<int>(num("maxchars", f.max_chars));
    }
  }

  auto data = cls::ReadLabelledTsv(get("data", "../shared/data/classify_train.tsv"));
  if (!data.has_value()) {
    std::fprintf(stderr, "%s\n", data.error().ToString().c_str());
    return 1;
  }
  const uint64_t split_seed = static_cast<uint64_t>(num("splitseed", 20240601));
  std::vector<Outcome> outcomes;
  if (get("mode", "split") == "cv") {
    const int folds = static_cast<int>(num("folds", 5));
    const std::vector<int> fold = cls::StratifiedFolds(*data, folds, split_seed);
    for (int f = 0; f < folds; ++f) {
      std::vector<size_t> train;
      std::vector<size_t> test;
      for (size_t i = 0; i < data->size(); ++i) {
        (fold[i] == f ? test : train).push_back(i);
      }
      outcomes.push_back(RunOnce(*data, train, test, o));
      std::fprintf(stderr, "fold %d acc %.4f f1 %.4f\n", f, outcomes.back().accuracy,
                   outcomes.back().macro_f1);
    }
  } else {
    const cls::Split split = cls::StratifiedSplit(*data, num("test", 0.3), split_seed);
    outcomes.push_back(RunOnce(*data, split.train, split.test, o));
  }
  Outcome mean;
  for (const Outcome& x : outcomes) {
    mean.accuracy += x.accuracy / outcomes.size();
    mean.macro_f1 += x.macro_f1 / outcomes.size();
    mean.ece += x.ece / outcomes.size();
    mean.train_seconds += x.train_seconds / outcomes.size();
    mean.temperature += (x.temperature - 1.0) / outcomes.size();
    mean.ft_accuracy += x.ft_accuracy / outcomes.size();
    mean.ft_macro_f1 += x.ft_macro_f1 / outcomes.size();
    mean.lin_accuracy += x.lin_accuracy / outcomes.size();
    mean.lin_macro_f1 += x.lin_macro_f1 / outcomes.size();
    mean.weight += x.weight / outcomes.size();
  }
  std::string args;
  for (int i = 1; i < argc; ++i) {
    args += std::string(argv[i]) + " ";
  }
  std::printf("%-70s acc %.4f f1 %.4f ece %.4f T %.2f train_s %.1f", args.c_str(), mean.accuracy,
              mean.macro_f1, mean.ece, mean.temperature, mean.train_seconds);
  if (o.linear && !o.feature_sets.empty()) {
    std::printf(" | ft %.4f/%.4f lin %.4f/%.4f w %.2f", mean.ft_accuracy, mean.ft_macro_f1,
                mean.lin_accuracy, mean.lin_macro_f1, mean.weight);
  }
  std::printf("\n");
  return 0;
}

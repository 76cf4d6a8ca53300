#include "adapters/classify/model_registry.h"

#include <algorithm>
#include <chrono>
#include <set>

namespace hotline::adapters::classify {

namespace {

using nlohmann::json;

constexpr char kNoPrediction[] = "(无)";
constexpr int kTopK = 3;

// splitmix64: spreads consecutive ticket ids evenly over the residues.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

struct Scored {
  Evaluation eval;
  double top3 = 0.0;
};

Scored Score(const Classifier& model, const std::vector<LabelledText>& rows) {
  std::vector<std::string> gold;
  std::vector<std::string> predicted;
  int in_top3 = 0;
  for (const LabelledText& row : rows) {
    gold.push_back(row.label);
    auto top = model.Predict(row.text, kTopK);
    if (!top.has_value() || top->empty()) {
      predicted.emplace_back(kNoPrediction);
      continue;
    }
    predicted.push_back(top->front().label);
    if (std::any_of(top->begin(), top->end(),
                    [&](const Prediction& p) { return p.label == row.label; })) {
      ++in_top3;
    }
  }
  Scored s;
  s.eval = Evaluate(gold, predicted);
  s.top3 = rows.empty() ? 0.0 : static_cast<double>(in_top3) / static_cast<double>(rows.size());
  return s;
}

json OptRate(std::optional<double> r) { return r ? json(*r) : json(nullptr); }

}  // namespace

std::string TicketText(std::string_view title, std::string_view content) {
  if (title.empty() || content.substr(0, title.size()) == title) {
    return std::string(content);
  }
  std::string out(title);
  out += "\n";
  out += content;
  return out;
}

std::string LabelOf(const domain::CategoryTree& categories, domain::CategoryId id, int level) {
  std::vector<domain::CategoryId> chain = categories.Ancestry(id);  // self first
  if (chain.empty()) {
    return "";
  }
  domain::CategoryId at = chain.front();
  for (domain::CategoryId c : chain) {
    if (categories.Find(c)->level <= level) {
      at = c;
      break;
    }
  }
  const domain::Category* c = categories.Find(at);
  return c->level == 1 ? c->name : categories.PathOf(at);
}

domain::CategoryId CategoryOfLabel(const domain::CategoryTree& categories, std::string_view label) {
  if (const domain::Category* c = categories.FindByPath(label); c != nullptr) {
    return c->id;
  }
  for (const domain::Category& c : categories.all()) {
    if (c.name == label) {
      return c.id;
    }
  }
  return {};
}

bool IsHeldOut(domain::TicketId id, int modulus) {
  return modulus > 1 &&
         Mix(static_cast<uint64_t>(id.value())) % static_cast<uint64_t>(modulus) == 0;
}

Result<RetrainReport> Retrain(ports::ClassifierStore& store, const domain::CategoryTree& categories,
                              Instant now, const RetrainOptions& options) {
  if (options.level < 1 || options.holdout_modulus < 2 || options.min_rows < 1) {
    return InvalidArgument("level 至少为 1，留出比例的模数至少为 2，min-rows 至少为 1");
  }
  HOTLINE_ASSIGN_OR_RETURN(std::vector<ports::LabelledTicket> tickets,
                           store.DispatchedTickets(options.max_rows));
  RetrainReport report;
  std::vector<LabelledText> train;
  std::vector<LabelledText> test;
  for (const ports::LabelledTicket& t : tickets) {
    std::string label = LabelOf(categories, t.category, options.level);
    std::string text = TicketText(t.title, t.content);
    if (label.empty() || text.empty()) {
      continue;  // a category no longer in the tree, or no text
    }
    ++report.rows;
    (IsHeldOut(t.id, options.holdout_modulus) ? test : train)
        .push_back({std::move(label), std::move(text)});
  }
  if (report.rows < options.min_rows) {
    return FailedPrecondition("可用于训练的已派单工单只有 " + std::to_string(report.rows) +
                              " 件，少于 --min-rows " + std::to_string(options.min_rows));
  }
  report.labels = DistinctLabels(train);
  std::sort(report.labels.begin(), report.labels.end());
  if (report.labels.size() < 2) {
    return FailedPrecondition("训练数据中的分类少于两个，无法训练分类模型");
  }
  if (test.empty()) {
    return FailedPrecondition("留出评估的工单为空，无法评估新模型");
  }
  report.n_train = static_cast<int64_t>(train.size());
  report.n_test = static_cast<int64_t>(test.size());

  const auto started = std::chrono::steady_clock::now();
  HOTLINE_ASSIGN_OR_RETURN(std::unique_ptr<FastTextModel> model,
                           FastTextModel::Train(train, options.train));
  report.train_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  Scored mine = Score(*model, test);
  report.eval = mine.eval;
  report.top3 = mine.top3;

  HOTLINE_ASSIGN_OR_RETURN(std::optional<int64_t> active, store.ActiveClassifierVersion());
  report.previous_version = active;
  bool activate = true;
  if (options.force_activate) {
    report.decision = "按 --activate 启用";
  } else if (!active) {
    report.decision = "此前没有启用的模型，启用新模型";
  }
  if (active) {
    auto previous = LoadStoredModel(store, *active);
    if (previous.has_value()) {
      Scored old = Score(**previous, test);
      report.previous_eval = old.eval;
      if (!options.force_activate) {
        activate = mine.eval.accuracy >= old.eval.accuracy;
        report.decision = activate ? "留出集上准确率不低于当前模型，启用新模型"
                                   : "留出集上准确率低于当前模型，保留当前模型";
      }
    } else {
      report.previous_error = previous.error().message;
      if (!options.force_activate) {
        report.decision = "当前模型无法加载，启用新模型";
      }
    }
  }

  HOTLINE_ASSIGN_OR_RETURN(std::string bytes, model->Serialize());
  report.model_bytes = static_cast<int64_t>(bytes.size());
  ports::ClassifierModelInfo info;
  info.created_at = now;
  info.trained_by = options.trained_by;
  info.source = "retrain";
  info.training_rows = report.n_train;
  report.activated = activate;
  info.metrics = RetrainMetricsJson(report).dump();
  HOTLINE_ASSIGN_OR_RETURN(report.version, store.AddClassifierModel(info, bytes, activate));
  return report;
}

Result<std::shared_ptr<const VersionedModel>> LoadStoredModel(ports::ClassifierStore& store,
                                                              int64_t version, LoadScope scope) {
  HOTLINE_ASSIGN_OR_RETURN(std::string bytes, store.LoadClassifierModel(version));
  auto model = FastTextModel::Deserialize(bytes, scope);
  if (!model.has_value()) {
    return Error{model.error().code, "分类模型版本 " + std::to_string(version) +
                                         " 已损坏或不是分类模型: " + model.error().message};
  }
  return std::make_shared<const VersionedModel>(std::move(*model), version);
}

Result<std::optional<int64_t>> ModelWatcher::Refresh() {
  std::lock_guard lock(mu_);
  HOTLINE_ASSIGN_OR_RETURN(std::optional<int64_t> active, store_.ActiveClassifierVersion());
  if (active == seen_) {
    return served_;
  }
  seen_ = active;
  if (!active) {
    // Deactivated in the store: keep whatever is in service (a file model, or the last one).
    return served_;
  }
  auto model = LoadStoredModel(store_, *active, scope_);
  if (!model.has_value()) {
    return model.error();
  }
  classifier_.Swap(std::move(*model));
  served_ = active;
  return served_;
}

RetrainJob::RetrainJob(ports::ClassifierStore& store, RetrainOptions options, int interval_days)
    : store_(store),
      options_(std::move(options)),
      interval_(std::chrono::hours(24) * interval_days) {
  options_.trained_by = "job";
}

bool RetrainJob::Due(Instant now) {
  if (interval_.count() <= 0) {
    return false;
  }
  if (last_attempt_ && now - *last_attempt_ < interval_) {
    return false;
  }
  auto models = store_.ListClassifierModels();
  if (!models.has_value() || models->empty()) {
    return true;
  }
  return now - models->front().created_at >= interval_;
}

Result<std::optional<RetrainReport>> RetrainJob::RunOnce(Instant now,
                                                         const domain::CategoryTree& categories) {
  if (!Due(now)) {
    return std::optional<RetrainReport>{};
  }
  last_attempt_ = now;
  HOTLINE_ASSIGN_OR_RETURN(RetrainReport report, Retrain(store_, categories, now, options_));
  return std::optional<RetrainReport>(std::move(report));
}

bool IsLocalDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return false;
  }
  auto at = ParseInstant(s);
  return at.has_value() && FormatLocalDate(*at) == s;  // 2024-02-30 does not round-trip
}

json AccuracyJson(const domain::SuggestionAccuracy& a, const std::string& from,
                  const std::string& to) {
  return {{"name", "分类建议准确率"},
          {"from", from},
          {"to", to},
          {"dispatched", a.dispatched},
          {"suggested", a.suggested},
          {"judged", a.judged},
          {"top1", a.top1},
          {"top3", a.top3},
          {"top1_rate", OptRate(a.top1_rate())},
          {"top3_rate", OptRate(a.top3_rate())},
          {"unit_judged", a.unit_judged},
          {"unit_hits", a.unit_hits},
          {"unit_rate", OptRate(a.unit_rate())}};
}

json RetrainMetricsJson(const RetrainReport& r) {
  json m = {{"rows", r.rows},
            {"n_train", r.n_train},
            {"n_test", r.n_test},
            {"labels", r.labels},
            {"accuracy", r.eval.accuracy},
            {"macro_f1", r.eval.macro_f1},
            {"top3", r.top3},
            {"train_seconds", r.train_seconds},
            {"activated", r.activated},
            {"decision", r.decision}};
  if (r.previous_version) {
    m["previous_version"] = *r.previous_version;
  }
  if (r.previous_eval) {
    m["previous_accuracy"] = r.previous_eval->accuracy;
    m["previous_macro_f1"] = r.previous_eval->macro_f1;
  }
  return m;
}

}  // namespace hotline::adapters::classify

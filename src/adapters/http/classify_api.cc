#include "adapters/http/classify_api.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "adapters/classify/model_registry.h"
#include "adapters/http/api_support.h"
#include "domain/fields.h"

namespace hotline::adapters::http {

using nlohmann::json;

namespace {

// The KPI is the centre's: the roles that see centre-wide KPIs.
bool SeesCentreKpis(domain::Role role) {
  using domain::Role;
  return role == Role::kLeader || role == Role::kInspector || role == Role::kSupervisor ||
         role == Role::kAdmin || role == Role::kDispatcher || role == Role::kSystem;
}

}  // namespace

std::vector<RouteDoc> ClassifyApi::Routes() const {
  return {
      {"get", "/api/v1/classify/accuracy",
       "分类建议准确率：from, to (YYYY-MM-DD，首次派单日期)；首选与前三项建议的准确率、"
       "建议承办单位的准确率",
       true},
      {"get", "/api/v1/classify/models", "库中的分类模型版本（管理员、领导）", true},
      {"post", "/api/v1/classify/models/{version}/activate", "启用一个分类模型版本（管理员）",
       true},
  };
}

std::string ClassifyApi::MetricsText() {
  if (recorder_ == nullptr) {
    return "";
  }
  const classify::SuggestionRecorderStats s = recorder_->stats();
  std::string out;
  auto add = [&out](const char* name, const char* type, const char* help, int64_t value) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, value);
  };
  add("hotline_classify_suggestions_recorded_total", "counter",
      "Classifier suggestions recorded for registered tickets.", s.recorded);
  add("hotline_classify_suggestions_skipped_total", "counter",
      "Registrations with no suggestion: no model loaded, or nothing to classify.", s.skipped);
  add("hotline_classify_suggestions_failed_total", "counter",
      "Suggestions not recorded because of a prediction or store error.", s.failed);
  add("hotline_classify_suggestions_dropped_total", "counter",
      "Suggestions not recorded because the queue was full or the server was stopping.", s.dropped);
  add("hotline_classify_suggestions_queued", "gauge",
      "Suggestions waiting to be predicted and written.", s.queued);
  add("hotline_classify_suggestion_batches_total", "counter",
      "Transactions that wrote suggestions (one per batch).", s.batches);
  return out;
}

std::optional<HttpResponse> ClassifyApi::Handle(RequestContext& ctx) {
  if (ctx.parts.size() < 2 || ctx.parts[0] != "classify") {
    return std::nullopt;
  }
  if (ctx.Is("GET", {"classify", "accuracy"})) {
    return Accuracy(ctx);
  }
  if (ctx.Is("GET", {"classify", "models"})) {
    return Models(ctx);
  }
  if (ctx.Is("POST", {"classify", "models", "*", "activate"})) {
    return Activate(ctx, ctx.parts[2]);
  }
  return std::nullopt;
}

HttpResponse ClassifyApi::Accuracy(RequestContext& ctx) {
  if (!SeesCentreKpis(ctx.actor.role)) {
    return Forbidden("无权查看分类建议准确率");
  }
  std::string from = ctx.query["from"];
  std::string to = ctx.query["to"];
  if (to.empty()) {
    to = FormatLocalDate(ctx.now);
  }
  if (from.empty()) {
    from = to.substr(0, 8) + "01";
  }
  if (!classify::IsLocalDate(from) || !classify::IsLocalDate(to) || from > to) {
    return BadRequest("from、to 应为 YYYY-MM-DD 格式的日期，且 from 不晚于 to");
  }
  auto outcomes = store_.SuggestionOutcomes(from, to);
  if (!outcomes.has_value()) {
    return FromError(outcomes.error());
  }
  auto a = domain::ComputeSuggestionAccuracy(*outcomes, ctx.config->categories, ctx.config->org);
  return Json(200, classify::AccuracyJson(a, from, to));
}

HttpResponse ClassifyApi::Models(RequestContext& ctx) {
  if (ctx.actor.role != domain::Role::kAdmin && ctx.actor.role != domain::Role::kLeader) {
    return Forbidden("只有管理员和领导可以查看分类模型版本");
  }
  auto models = store_.ListClassifierModels();
  if (!models.has_value()) {
    return FromError(models.error());
  }
  json arr = json::array();
  for (const auto& m : *models) {
    json metrics = json::parse(m.metrics, nullptr, false);
    arr.push_back({{"version", m.version},
                   {"active", m.active},
                   {"created_at", FormatLocal(m.created_at)},
                   {"activated_at", m.activated_at ? json(FormatLocal(*m.activated_at)) : json()},
                   {"trained_by", m.trained_by},
                   {"source", m.source},
                   {"training_rows", m.training_rows},
                   {"model_bytes", m.model_bytes},
                   {"metrics", metrics.is_discarded() ? json() : metrics}});
  }
  return Json(200, {{"models", arr}});
}

HttpResponse ClassifyApi::Activate(RequestContext& ctx, const std::string& version_text) {
  if (ctx.actor.role != domain::Role::kAdmin) {
    return Forbidden("只有管理员可以启用分类模型");
  }
  auto version = domain::ParseInt64(version_text);
  if (!version.has_value() || *version <= 0) {
    return BadRequest("模型版本应为正整数: " + version_text);
  }
  // A version that does not load is refused rather than activated.
  auto model = classify::LoadStoredModel(store_, *version);
  if (!model.has_value()) {
    return FromError(model.error());
  }
  if (auto st = store_.ActivateClassifierModel(*version, ctx.now); !st.has_value()) {
    return FromError(st.error());
  }
  ctx.audit("classify.model.activate", std::to_string(*version), "");
  if (on_activate_) {
    on_activate_();
  }
  return Json(200, {{"version", *version}, {"active", true}});
}

}  // namespace hotline::adapters::http

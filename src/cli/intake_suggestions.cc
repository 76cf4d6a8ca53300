#include "cli/intake_suggestions.h"

#include <cstdio>
#include <filesystem>
#include <utility>

#include "adapters/classify/model_registry.h"

namespace hotline::cli {

namespace cls = hotline::adapters::classify;

namespace {
// Where `hotline serve` and the CLI look for a model file when the store has no active one.
constexpr char kDefaultModelFile[] = "var/classify.model";
}  // namespace

IntakeSuggestions::IntakeSuggestions(Session& session, std::string model_file)
    : session_(session), model_file_(std::move(model_file)) {}

IntakeSuggestions::~IntakeSuggestions() = default;

void IntakeSuggestions::Say(const std::string& message) {
  if (said_) {
    return;
  }
  said_ = true;
  std::fprintf(stderr, "hotline: %s\n", message.c_str());
}

void IntakeSuggestions::LoadOnce() {
  if (loaded_) {
    return;
  }
  loaded_ = true;
  std::string file = model_file_;
  if (file.empty()) {
    // Only what prediction runs is loaded (FastTextModel::Load): the suggestion is the one
    // the server's fully loaded model makes.
    cls::ModelWatcher watcher(*session_.store, classifier_, cls::LoadScope::kPrediction);
    auto served = watcher.Refresh();
    if (!served.has_value()) {
      Say("分类模型未加载（" + served.error().message + "），工单照常登记，未记录分类建议");
      return;
    }
    if (!served->has_value() && std::filesystem::exists(kDefaultModelFile)) {
      file = kDefaultModelFile;
    }
  }
  if (!file.empty()) {
    if (auto st = classifier_.LoadAndSwap(file, cls::LoadScope::kPrediction); !st.has_value()) {
      Say("分类模型未加载（" + st.error().message + "），工单照常登记，未记录分类建议");
      return;
    }
  }
  if (classifier_.Current() == nullptr) {
    Say("未加载分类模型（库中没有启用的模型版本，也未指定 --model），工单照常登记，未记录分类建议");
    return;
  }
  recorder_ = std::make_unique<cls::SuggestionRecorder>(*session_.service, *session_.store,
                                                        classifier_, *session_.clock);
}

std::optional<ports::ClassifySuggestionRecord> IntakeSuggestions::Record(
    const domain::Ticket& ticket) {
  LoadOnce();
  if (recorder_ == nullptr) {
    ++not_recorded_;
    return std::nullopt;
  }
  auto rec =
      recorder_->Record(ticket.id, cls::TicketText(ticket.title, ticket.content), ticket.region);
  if (!rec.has_value()) {
    ++not_recorded_;
    if (rec.error().code == ErrorCode::kInvalidArgument) {
      Say("内容无法分类（" + rec.error().message + "），未记录分类建议（工单 " + ticket.number +
          "）");
    } else {
      Say("分类建议未能记录（工单 " + ticket.number + "）: " + rec.error().message);
    }
    return std::nullopt;
  }
  ++recorded_;
  return std::move(rec).value();
}

nlohmann::json IntakeSuggestions::ToJson(const ports::ClassifySuggestionRecord& rec) const {
  nlohmann::json j = {
      {"model_version", rec.model_version ? nlohmann::json(*rec.model_version) : nullptr},
      {"suggestions", nlohmann::json::parse(rec.suggestions, nullptr, false)},
      {"unit", rec.unit.valid() ? nlohmann::json(rec.unit.value()) : nullptr},
      {"unit_name", nullptr}};
  if (const domain::Unit* u = session_.config->org.FindUnit(rec.unit); u != nullptr) {
    j["unit_name"] = u->name;
  }
  return j;
}

std::string IntakeSuggestions::Describe(const ports::ClassifySuggestionRecord& rec) const {
  nlohmann::json j = ToJson(rec);
  std::string out;
  if (j["suggestions"].is_array()) {
    for (const auto& s : j["suggestions"]) {
      if (!out.empty()) {
        out += "、";
      }
      out += s.value("label", "") + " " +
             std::to_string(static_cast<int>(s.value("confidence", 0.0) * 100 + 0.5)) + "%";
    }
  }
  if (j["unit_name"].is_string()) {
    out += " → 建议承办 " + j["unit_name"].get<std::string>();
  }
  return out;
}

}  // namespace hotline::cli

// The assessment scheme as JSON (the `assessment_scheme` setting, docs/assessment.md), and
// an assessment's results as JSON (for the CLI and the API).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "app/assessment_service.h"
#include "common/result.h"
#include "domain/assessment/assessment.h"
#include "ports/directory_store.h"

namespace hotline::adapters::report {

inline constexpr char kAssessmentSchemeSetting[] = "assessment_scheme";

// kInvalidArgument (Chinese) for malformed JSON, wrong types or an invalid scheme.
Result<domain::assessment::Scheme> ParseSchemeJson(const std::string& text);
nlohmann::json SchemeJson(const domain::assessment::Scheme& scheme);

// The scheme in the store's `assessment_scheme` setting, or the default when unset.
Result<domain::assessment::Scheme> LoadScheme(ports::DirectoryStore& store);

nlohmann::json UnitScoreJson(const domain::assessment::UnitScore& u);
nlohmann::json AssessmentJson(const app::Assessment& a);

}  // namespace hotline::adapters::report

#include "domain/classify_accuracy.h"

#include <algorithm>

namespace hotline::domain {

namespace {

std::optional<double> Rate(int64_t hits, int64_t n) {
  if (n == 0) {
    return std::nullopt;
  }
  return static_cast<double>(hits) / static_cast<double>(n);
}

}  // namespace

std::optional<double> SuggestionAccuracy::top1_rate() const { return Rate(top1, judged); }
std::optional<double> SuggestionAccuracy::top3_rate() const { return Rate(top3, judged); }
std::optional<double> SuggestionAccuracy::unit_rate() const { return Rate(unit_hits, unit_judged); }

bool SuggestionMatches(const CategoryTree& categories, CategoryId suggested, CategoryId final) {
  if (!suggested.valid() || !final.valid()) {
    return false;
  }
  const std::vector<CategoryId> chain = categories.Ancestry(final);
  return std::find(chain.begin(), chain.end(), suggested) != chain.end();
}

SuggestionAccuracy ComputeSuggestionAccuracy(const std::vector<SuggestionOutcome>& outcomes,
                                             const CategoryTree& categories, const OrgTree& org) {
  SuggestionAccuracy a;
  for (const SuggestionOutcome& o : outcomes) {
    ++a.dispatched;
    if (!o.suggested) {
      continue;
    }
    ++a.suggested;
    if (o.final_category.valid()) {
      ++a.judged;
      if (SuggestionMatches(categories, o.categories[0], o.final_category)) {
        ++a.top1;
      }
      if (std::any_of(o.categories.begin(), o.categories.end(), [&](CategoryId c) {
            return SuggestionMatches(categories, c, o.final_category);
          })) {
        ++a.top3;
      }
    }
    if (o.unit.valid() && o.final_unit.valid()) {
      ++a.unit_judged;
      if (org.IsWithin(o.final_unit, o.unit)) {
        ++a.unit_hits;
      }
    }
  }
  return a;
}

}  // namespace hotline::domain

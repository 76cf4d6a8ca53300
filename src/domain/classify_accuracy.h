// The accuracy of the classifier's suggestions (分类建议准确率) against the category the
// centre finally gave each ticket, and of the routing directory's unit against the unit the
// ticket was dispatched to. Pure functions over values; thread-compatible. See
// docs/classify.md, "Suggestion accuracy".
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "domain/category.h"
#include "domain/org.h"
#include "domain/types.h"

namespace hotline::domain {

// One ticket first dispatched in the period, with what was suggested at its registration.
struct SuggestionOutcome {
  TicketId ticket;
  CategoryId final_category;  // the ticket's category now (invalid: none was given)
  UnitId final_unit;          // the ticket's lead unit now
  bool suggested = false;     // a suggestion was recorded at registration
  // The top 3 suggestions mapped to the category tree, best first (invalid: the label names
  // no category, or fewer than 3 labels).
  std::array<CategoryId, 3> categories{};
  UnitId unit;  // the directory's lead unit for the first suggestion and the region
};

struct SuggestionAccuracy {
  int64_t dispatched = 0;   // tickets first dispatched in the period
  int64_t suggested = 0;    // ... of which a suggestion was recorded at registration
  int64_t judged = 0;       // ... and with a final category: the denominator
  int64_t top1 = 0;         // first suggestion right
  int64_t top3 = 0;         // one of the three right
  int64_t unit_judged = 0;  // suggested with a suggested unit and a final lead unit
  int64_t unit_hits = 0;    // the suggested unit is the final lead unit or above it
  // top1 / judged etc.; nullopt when the denominator is 0.
  std::optional<double> top1_rate() const;
  std::optional<double> top3_rate() const;
  std::optional<double> unit_rate() const;
};

// Whether a suggested category is right for a final one: the same category, or an ancestor
// of it (a classifier trained on top-level labels suggests 城乡建设, the dispatcher files
// 城乡建设/住房保障/物业管理: right). A suggestion below the final category is not right.
bool SuggestionMatches(const CategoryTree& categories, CategoryId suggested, CategoryId final);

// The unit is right when it is the final lead unit or a unit above it (a county platform
// that sub-dispatched to its township was the right first choice).
SuggestionAccuracy ComputeSuggestionAccuracy(const std::vector<SuggestionOutcome>& outcomes,
                                             const CategoryTree& categories, const OrgTree& org);

}  // namespace hotline::domain

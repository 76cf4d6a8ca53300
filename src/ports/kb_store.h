// KbStore port: where knowledge-base articles live, with their version history and a full-
// text index kept in step with them. Implementations must be safe to use from one thread
// at a time per instance (open one per thread).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/kb/article.h"

namespace hotline::ports {

/// Filters of a listing or search; empty strings match everything.
struct KbFilter {
  std::string category;
  std::string department;
  std::string region;
  bool published_only = false;
  std::string status;  // "draft", "published" or "retired": only that status (List only)
};

struct KbSearchQuery {
  std::string text;
  KbFilter filter;
  size_t limit = 10;
};

struct KbSearchHit {
  domain::kb::Article article;
  double score = 0;     // higher is better
  std::string snippet;  // best passage of the body, matches wrapped in <em></em>
};

/// Counts of a Save.
struct KbSaveSummary {
  size_t created = 0;
  size_t updated = 0;    // a new version was written
  size_t unchanged = 0;  // same content as the current version: nothing written
};

class KbStore {
 public:
  virtual ~KbStore() = default;

  /// Saves all `articles` in one transaction, each as a new version of its id when its
  /// content changed (version 1 for a new id); the search index is updated in the same
  /// transaction. All or nothing: kInvalidArgument naming the position (1-based) and the
  /// field if one is invalid, kAlreadyExists if an id appears twice; nothing is written then.
  virtual Result<KbSaveSummary> Save(const std::vector<domain::kb::Article>& articles,
                                     std::string_view actor, int64_t now) = 0;

  /// Saves one article as a new version only if its current version is
  /// `expected_version` (0: the id must be new), in one transaction with the index; returns
  /// the article as stored (new version, stamps). kAlreadyExists if the id exists and 0 was
  /// expected, kNotFound if it does not and a version was expected, kAborted if the version
  /// differs (someone saved in between), kInvalidArgument if invalid. Saving identical
  /// content writes nothing and returns the current version.
  virtual Result<domain::kb::Article> SaveVersion(const domain::kb::Article& article,
                                                  int64_t expected_version, std::string_view actor,
                                                  int64_t now) = 0;

  /// The current version of an article; kNotFound if there is none with this id.
  virtual Result<domain::kb::Article> Find(std::string_view id) = 0;

  /// Every version of an article, oldest first; kNotFound if there is none with this id.
  virtual Result<std::vector<domain::kb::Article>> History(std::string_view id) = 0;

  /// Current versions matching the filter, ordered by id.
  virtual Result<std::vector<domain::kb::Article>> List(const KbFilter& filter) = 0;

  /// Articles past their review date on `today` (YYYY-MM-DD) and not retired, of
  /// `department` (all departments if empty), ordered by department then review date.
  virtual Result<std::vector<domain::kb::Article>> DueForReview(std::string_view today,
                                                                std::string_view department) = 0;

  /// Full-text search (Chinese segmentation, synonyms, Traditional/Simplified), best first.
  virtual Result<std::vector<KbSearchHit>> Search(const KbSearchQuery& query) = 0;
};

}  // namespace hotline::ports

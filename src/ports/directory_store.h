// DirectoryStore port: the configuration a hotline runs on: organisation tree, users,
// categories, routing directory, time-limit policies, the working calendar and settings.
// Written rarely (by admins, or the demo), read at start and on change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "domain/category.h"
#include "domain/org.h"
#include "domain/routing.h"

namespace hotline::ports {

/// One change of the routing directory, kept so admins can see who changed what and when.
struct RoutingChange {
  int64_t seq = 0;     // assigned by the store, ascending
  Instant at;          // when
  std::string login;   // who
  std::string action;  // "create", "update", "delete", "fallback"
  int64_t rule = 0;    // the rule's id (0 for a change of the fallback unit)
  std::string before;  // the rule before the change, a document written by the caller; "" if none
  std::string after;   // the rule after the change; "" when deleted
};

/// Thread-safe.
class DirectoryStore {
 public:
  virtual ~DirectoryStore() = default;

  /// Replaces regions, units and users (ids kept). kInvalidArgument if the tree is invalid.
  virtual Status SaveOrg(const domain::OrgTree& org) = 0;
  virtual Result<domain::OrgTree> LoadOrg() = 0;

  virtual Status SaveCategories(const domain::CategoryTree& tree) = 0;
  virtual Result<domain::CategoryTree> LoadCategories() = 0;

  virtual Status SaveRouting(const domain::RoutingDirectory& directory) = 0;
  virtual Result<domain::RoutingDirectory> LoadRouting() = 0;

  /// Sets a user's password hash (Argon2id string). kNotFound for an unknown user.
  virtual Status SetPasswordHash(domain::UserId user, const std::string& hash) = 0;
  /// The user's password hash; "" when none is set. kNotFound for an unknown login.
  virtual Result<std::string> GetPasswordHash(const std::string& login) = 0;

  /// Free-form settings (calendar text, policies text, ticket number prefix...).
  virtual Status PutSetting(const std::string& key, const std::string& value) = 0;
  /// nullopt when the key is not set.
  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;

  /// Replaces the routing directory and appends `change` to its history, atomically.
  /// Stores that keep no history answer kFailedPrecondition.
  virtual Status SaveRoutingChange(const domain::RoutingDirectory& directory,
                                   const RoutingChange& change) {
    (void)directory;
    (void)change;
    return FailedPrecondition("此存储不支持派单目录修改历史");
  }
  /// Every recorded change of the routing directory, oldest first.
  virtual Result<std::vector<RoutingChange>> RoutingHistory() {
    return FailedPrecondition("此存储不支持派单目录修改历史");
  }
};

}  // namespace hotline::ports

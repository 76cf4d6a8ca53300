// DirectoryStore port: the configuration a hotline runs on: organisation tree, users,
// categories, routing directory, time-limit policies, the working calendar and settings.
// Written rarely (by admins, or the demo), read at start and on change.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "domain/category.h"
#include "domain/org.h"
#include "domain/routing.h"

namespace hotline::ports {

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
};

}  // namespace hotline::ports

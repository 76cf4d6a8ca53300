// The organisation: regions (city / county / township), units (the centre, county
// platforms, departments, townships) in a tree, and users with a role at a unit.
// OrgTree is an immutable-after-build snapshot: safe to share between threads once built.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "domain/types.h"

namespace hotline::domain {

struct Region {
  RegionId id;
  std::string code;  // e.g. "350400" (city), "350402" (county)
  std::string name;  // 三元区
  UnitLevel level = UnitLevel::kCity;
  RegionId parent;  // invalid for the root
};

struct Unit {
  UnitId id;
  std::string code;  // short stable code, e.g. "city-housing"
  std::string name;  // 三明市住房和城乡建设局
  UnitLevel level = UnitLevel::kCity;
  UnitKind kind = UnitKind::kDepartment;
  UnitId parent;  // invalid for the root (the city centre)
  RegionId region;
  bool active = true;
};

struct User {
  UserId id;
  std::string login;
  std::string name;
  Role role = Role::kOperator;
  UnitId unit;
  bool active = true;
};

// The capacity in which someone acts: the user, their role and their unit.
struct Actor {
  UserId user;
  Role role = Role::kSystem;
  UnitId unit;
  std::string name;  // for history display
};

class OrgTree {
 public:
  // kInvalidArgument on duplicate ids/codes, unknown parents or cycles.
  static Result<OrgTree> Build(std::vector<Region> regions, std::vector<Unit> units,
                               std::vector<User> users);

  const std::vector<Region>& regions() const { return regions_; }
  const std::vector<Unit>& units() const { return units_; }
  const std::vector<User>& users() const { return users_; }

  const Unit* FindUnit(UnitId id) const;
  const Unit* FindUnitByCode(std::string_view code) const;
  const Region* FindRegion(RegionId id) const;
  const Region* FindRegionByCode(std::string_view code) const;
  const User* FindUser(UserId id) const;
  const User* FindUserByLogin(std::string_view login) const;

  // The hotline centre (root unit of kind kCentre).
  const Unit* Centre() const;
  // True if `ancestor` is `unit` or one of its ancestors.
  bool IsWithin(UnitId unit, UnitId ancestor) const;
  bool IsRegionWithin(RegionId region, RegionId ancestor) const;
  std::vector<UnitId> Children(UnitId unit) const;
  // The actor a user acts as (kNotFound for unknown login, kPermissionDenied if inactive).
  Result<Actor> ActorFor(std::string_view login) const;

 private:
  std::vector<Region> regions_;
  std::vector<Unit> units_;
  std::vector<User> users_;
  std::unordered_map<UnitId, size_t> unit_index_;
  std::unordered_map<RegionId, size_t> region_index_;
  std::unordered_map<UserId, size_t> user_index_;
};

}  // namespace hotline::domain

#include "domain/org.h"

#include <fmt/format.h>

#include <unordered_set>

namespace hotline::domain {

Result<OrgTree> OrgTree::Build(std::vector<Region> regions, std::vector<Unit> units,
                               std::vector<User> users) {
  OrgTree tree;
  tree.regions_ = std::move(regions);
  tree.units_ = std::move(units);
  tree.users_ = std::move(users);
  std::unordered_set<std::string> codes;
  for (size_t i = 0; i < tree.regions_.size(); ++i) {
    const Region& r = tree.regions_[i];
    if (!r.id.valid() || !tree.region_index_.emplace(r.id, i).second) {
      return InvalidArgument(fmt::format("区域编号重复或无效: {}", r.id.value()));
    }
    if (!codes.insert("r:" + r.code).second) {
      return InvalidArgument(fmt::format("区域代码重复: {}", r.code));
    }
  }
  for (size_t i = 0; i < tree.units_.size(); ++i) {
    const Unit& u = tree.units_[i];
    if (!u.id.valid() || !tree.unit_index_.emplace(u.id, i).second) {
      return InvalidArgument(fmt::format("单位编号重复或无效: {}", u.id.value()));
    }
    if (!codes.insert("u:" + u.code).second) {
      return InvalidArgument(fmt::format("单位代码重复: {}", u.code));
    }
  }
  for (const Region& r : tree.regions_) {
    if (r.parent.valid() && !tree.region_index_.contains(r.parent)) {
      return InvalidArgument(fmt::format("区域 {} 的上级区域不存在", r.name));
    }
  }
  for (const Unit& u : tree.units_) {
    if (u.parent.valid() && !tree.unit_index_.contains(u.parent)) {
      return InvalidArgument(fmt::format("单位 {} 的上级单位不存在", u.name));
    }
    if (u.region.valid() && !tree.region_index_.contains(u.region)) {
      return InvalidArgument(fmt::format("单位 {} 的所属区域不存在", u.name));
    }
    // Walk up: a cycle would never reach a root within units_.size() steps.
    UnitId cur = u.parent;
    size_t steps = 0;
    while (cur.valid()) {
      if (++steps > tree.units_.size()) {
        return InvalidArgument(fmt::format("单位 {} 的上下级关系存在循环", u.name));
      }
      cur = tree.units_[tree.unit_index_.at(cur)].parent;
    }
  }
  for (size_t i = 0; i < tree.users_.size(); ++i) {
    const User& u = tree.users_[i];
    if (!u.id.valid() || !tree.user_index_.emplace(u.id, i).second) {
      return InvalidArgument(fmt::format("用户编号重复或无效: {}", u.id.value()));
    }
    if (!codes.insert("l:" + u.login).second) {
      return InvalidArgument(fmt::format("登录名重复: {}", u.login));
    }
    if (u.unit.valid() && !tree.unit_index_.contains(u.unit)) {
      return InvalidArgument(fmt::format("用户 {} 的所属单位不存在", u.login));
    }
  }
  return tree;
}

const Unit* OrgTree::FindUnit(UnitId id) const {
  auto it = unit_index_.find(id);
  return it == unit_index_.end() ? nullptr : &units_[it->second];
}

const Unit* OrgTree::FindUnitByCode(std::string_view code) const {
  for (const Unit& u : units_) {
    if (u.code == code) {
      return &u;
    }
  }
  return nullptr;
}

const Region* OrgTree::FindRegion(RegionId id) const {
  auto it = region_index_.find(id);
  return it == region_index_.end() ? nullptr : &regions_[it->second];
}

const Region* OrgTree::FindRegionByCode(std::string_view code) const {
  for (const Region& r : regions_) {
    if (r.code == code || r.name == code) {
      return &r;
    }
  }
  return nullptr;
}

const User* OrgTree::FindUser(UserId id) const {
  auto it = user_index_.find(id);
  return it == user_index_.end() ? nullptr : &users_[it->second];
}

const User* OrgTree::FindUserByLogin(std::string_view login) const {
  for (const User& u : users_) {
    if (u.login == login) {
      return &u;
    }
  }
  return nullptr;
}

const Unit* OrgTree::Centre() const {
  for (const Unit& u : units_) {
    if (u.kind == UnitKind::kCentre && !u.parent.valid()) {
      return &u;
    }
  }
  for (const Unit& u : units_) {
    if (u.kind == UnitKind::kCentre) {
      return &u;
    }
  }
  return nullptr;
}

bool OrgTree::IsWithin(UnitId unit, UnitId ancestor) const {
  UnitId cur = unit;
  for (size_t steps = 0; cur.valid() && steps <= units_.size(); ++steps) {
    if (cur == ancestor) {
      return true;
    }
    const Unit* u = FindUnit(cur);
    if (u == nullptr) {
      return false;
    }
    cur = u->parent;
  }
  return false;
}

bool OrgTree::IsRegionWithin(RegionId region, RegionId ancestor) const {
  RegionId cur = region;
  for (size_t steps = 0; cur.valid() && steps <= regions_.size(); ++steps) {
    if (cur == ancestor) {
      return true;
    }
    const Region* r = FindRegion(cur);
    if (r == nullptr) {
      return false;
    }
    cur = r->parent;
  }
  return false;
}

std::vector<UnitId> OrgTree::Children(UnitId unit) const {
  std::vector<UnitId> out;
  for (const Unit& u : units_) {
    if (u.parent == unit) {
      out.push_back(u.id);
    }
  }
  return out;
}

Result<Actor> OrgTree::ActorFor(std::string_view login) const {
  const User* u = FindUserByLogin(login);
  if (u == nullptr) {
    return NotFound(fmt::format("用户不存在: {}", login));
  }
  if (!u->active) {
    return PermissionDenied(fmt::format("用户已停用: {}", login));
  }
  return Actor{u->id, u->role, u->unit, u->name};
}

}  // namespace hotline::domain

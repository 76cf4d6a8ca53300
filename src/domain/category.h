// The request category tree (e.g. 城乡建设 > 城市建设和市政管理 > 园林绿化环卫), loadable from
// a three-column CSV with a header. Immutable after build; safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "domain/types.h"

namespace hotline::domain {

struct Category {
  CategoryId id;
  std::string name;
  CategoryId parent;  // invalid for a top-level category
  int level = 1;      // 1, 2 or 3
};

class CategoryTree {
 public:
  // CSV with a header row and columns level1,level2,level3 (quotes allowed). Ids are
  // assigned in file order starting at 1. kInvalidArgument with the line number on a
  // malformed row (wrong column count, empty name).
  static Result<CategoryTree> ParseCsv(std::string_view csv);
  // kInvalidArgument on duplicate ids or unknown parents.
  static Result<CategoryTree> Build(std::vector<Category> categories);

  const std::vector<Category>& all() const { return categories_; }
  const Category* Find(CategoryId id) const;
  // "城乡建设/安全生产/安全隐患" or a unique leaf name.
  const Category* FindByPath(std::string_view path) const;
  std::string PathOf(CategoryId id) const;  // "城乡建设/安全生产/安全隐患"
  // The chain from the category up to its top-level ancestor (self first).
  std::vector<CategoryId> Ancestry(CategoryId id) const;
  std::vector<const Category*> Leaves() const;

 private:
  std::vector<Category> categories_;
  std::unordered_map<CategoryId, size_t> index_;
};

}  // namespace hotline::domain

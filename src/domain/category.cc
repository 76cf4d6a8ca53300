#include "domain/category.h"

#include <fmt/format.h>

#include <map>

namespace hotline::domain {
namespace {

// Splits one CSV line (no embedded newlines) honouring double quotes.
std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) {
    s.pop_back();
  }
  size_t start = 0;
  while (start < s.size() && (s[start] == ' ' || s[start] == '\t')) {
    ++start;
  }
  return s.substr(start);
}

}  // namespace

Result<CategoryTree> CategoryTree::ParseCsv(std::string_view csv) {
  std::vector<Category> cats;
  std::map<std::string, CategoryId> by_path;
  size_t line_no = 0;
  size_t pos = 0;
  // Skip a UTF-8 BOM.
  if (csv.substr(0, 3) == "\xEF\xBB\xBF") {
    pos = 3;
  }
  while (pos < csv.size()) {
    size_t end = csv.find('\n', pos);
    if (end == std::string_view::npos) {
      end = csv.size();
    }
    std::string_view line = csv.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line_no == 1 || Trim(std::string(line)).empty()) {
      continue;  // header or blank
    }
    auto cols = SplitCsvLine(line);
    if (cols.size() != 3) {
      return InvalidArgument(
          fmt::format("分类文件第 {} 行: 应有 3 列, 实有 {} 列", line_no, cols.size()));
    }
    std::string path;
    CategoryId parent;
    for (int level = 1; level <= 3; ++level) {
      std::string name = Trim(cols[level - 1]);
      if (name.empty()) {
        return InvalidArgument(fmt::format("分类文件第 {} 行: 第 {} 级分类为空", line_no, level));
      }
      path += (level > 1 ? "/" : "") + name;
      auto it = by_path.find(path);
      if (it == by_path.end()) {
        CategoryId id{static_cast<int64_t>(cats.size() + 1)};
        cats.push_back({id, name, parent, level});
        it = by_path.emplace(path, id).first;
      }
      parent = it->second;
    }
  }
  if (cats.empty()) {
    return InvalidArgument("分类文件没有数据行");
  }
  return Build(std::move(cats));
}

Result<CategoryTree> CategoryTree::Build(std::vector<Category> categories) {
  CategoryTree tree;
  tree.categories_ = std::move(categories);
  for (size_t i = 0; i < tree.categories_.size(); ++i) {
    if (!tree.categories_[i].id.valid() || !tree.index_.emplace(tree.categories_[i].id, i).second) {
      return InvalidArgument(fmt::format("分类编号重复或无效: {}", tree.categories_[i].id.value()));
    }
  }
  for (const Category& c : tree.categories_) {
    if (c.parent.valid() && !tree.index_.contains(c.parent)) {
      return InvalidArgument(fmt::format("分类 {} 的上级分类不存在", c.name));
    }
  }
  return tree;
}

const Category* CategoryTree::Find(CategoryId id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &categories_[it->second];
}

std::string CategoryTree::PathOf(CategoryId id) const {
  std::string path;
  for (CategoryId cur : Ancestry(id)) {
    const Category* c = Find(cur);
    path = path.empty() ? c->name : c->name + "/" + path;
  }
  return path;
}

std::vector<CategoryId> CategoryTree::Ancestry(CategoryId id) const {
  std::vector<CategoryId> out;
  const Category* c = Find(id);
  while (c != nullptr && out.size() <= categories_.size()) {
    out.push_back(c->id);
    c = c->parent.valid() ? Find(c->parent) : nullptr;
  }
  return out;
}

const Category* CategoryTree::FindByPath(std::string_view path) const {
  const Category* unique_leaf = nullptr;
  int leaf_matches = 0;
  for (const Category& c : categories_) {
    if (PathOf(c.id) == path) {
      return &c;
    }
    if (c.name == path) {
      unique_leaf = &c;
      ++leaf_matches;
    }
  }
  return leaf_matches == 1 ? unique_leaf : nullptr;
}

std::vector<const Category*> CategoryTree::Leaves() const {
  std::vector<bool> has_child(categories_.size() + 1, false);
  for (const Category& c : categories_) {
    if (c.parent.valid()) {
      has_child[index_.at(c.parent)] = true;
    }
  }
  std::vector<const Category*> out;
  for (size_t i = 0; i < categories_.size(); ++i) {
    if (!has_child[i]) {
      out.push_back(&categories_[i]);
    }
  }
  return out;
}

}  // namespace hotline::domain

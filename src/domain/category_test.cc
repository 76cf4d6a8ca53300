#include "domain/category.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "testing/matchers.h"

namespace hotline::domain {
namespace {

using hotline::testing::HasErrorCode;

TEST(CategoryTree, ParsesThreeLevelCsvSharingParents) {
  auto tree = CategoryTree::ParseCsv(
      "\xEF\xBB\xBF一级分类,二级分类,三级分类\r\n"
      "城乡建设,安全生产,事故处理\r\n"
      "城乡建设,安全生产,安全隐患\r\n"
      "\"环境保护\",\"污染防治\",\"噪声, 振动\"\r\n");
  ASSERT_OK(tree);
  EXPECT_EQ(tree->all().size(), 7u);  // 2 + 2 + 3
  const Category* leaf = tree->FindByPath("城乡建设/安全生产/安全隐患");
  ASSERT_NE(leaf, nullptr);
  EXPECT_EQ(leaf->level, 3);
  EXPECT_EQ(tree->Ancestry(leaf->id).size(), 3u);
  EXPECT_EQ(tree->PathOf(tree->FindByPath("噪声, 振动")->id), "环境保护/污染防治/噪声, 振动");
  EXPECT_EQ(tree->Leaves().size(), 3u);
  EXPECT_EQ(tree->FindByPath("不存在"), nullptr);
}

TEST(CategoryTree, ReportsTheBadLine) {
  auto bad = CategoryTree::ParseCsv("a,b,c\n城乡建设,安全生产\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("第 2 行"), std::string::npos);
  EXPECT_THAT(CategoryTree::ParseCsv("a,b,c\n城乡建设,,x\n"),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(CategoryTree::ParseCsv("a,b,c\n"), HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST(CategoryTree, LoadsTheSharedTaxonomyWhenPresent) {
  auto dir = hotline::testing::SharedDataDir();
  if (!dir) {
    GTEST_SKIP() << "../shared/data is absent: skipping the real taxonomy check";
  }
  std::ifstream in(*dir / "taxonomy_3level.csv");
  std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto tree = CategoryTree::ParseCsv(csv);
  ASSERT_OK(tree);
  int levels[4] = {0, 0, 0, 0};
  for (const auto& c : tree->all()) {
    ++levels[c.level];
  }
  // The data README: 15 / 118 / 517. Second-level names may repeat under different parents.
  EXPECT_EQ(levels[1], 15);
  EXPECT_EQ(levels[2], 118);
  EXPECT_EQ(levels[3], 517);
}

}  // namespace
}  // namespace hotline::domain

#include "adapters/fiscal/render.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "adapters/fiscal/layout.h"
#include "adapters/fiscal/loader.h"
#include "domain/fiscal/figures.h"
#include "testing/matchers.h"

namespace hotline::adapters::fiscal {
namespace {

namespace df = domain::fiscal;
using ::testing::HasSubstr;

df::Document CleanWithPriorYear() {
  auto doc = LoadDisclosure(hotline::testing::SourceDir() / "src" / "domain" / "fiscal" /
                            "testdata" / "clean_2024.txt");
  EXPECT_OK(doc);
  df::Document d = doc.has_value() ? *doc : df::Document{};
  d.prior_year["income_total"] = df::Fixed2::FromInt(500);
  d.prior_year["2010350"] = df::Fixed2::FromInt(90);
  d.prior_year["sangong"] = *df::Fixed2::Parse("1.50");
  return d;
}

TEST(FiscalRender, FiguresComputeChangesFromLastYear) {
  const auto figures = df::ExplanationFigures(CleanWithPriorYear());
  auto find = [&](const std::string& key) {
    for (const auto& f : figures) {
      if (f.key == key) return f;
    }
    ADD_FAILURE() << "no figure " << key;
    return df::Figure{};
  };
  EXPECT_EQ(find("income_total").change->ToString(), "20.00");
  EXPECT_EQ(find("income_total").change_pct->ToString(), "4.00");  // 20 / 500
  EXPECT_EQ(find("2010350").change_pct->ToString(), "11.11");      // 10 / 90
  EXPECT_EQ(find("sangong").change_pct->ToString(), "-20.00");     // -0.30 / 1.50
  EXPECT_FALSE(find("basic").prior.has_value());
  const auto text = df::ExplanationText(CleanWithPriorYear());
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text[0], "2024年度收入总计520.00万元，比上年增加20.00万元，增长4.00%。");
}

TEST(FiscalRender, LastYearIsRecoveredFromTheExplanation) {
  auto doc = LoadDisclosure(hotline::testing::SourceDir() / "src" / "domain" / "fiscal" /
                            "testdata" / "clean_2024.txt");
  ASSERT_OK(doc);
  const auto prior = df::PriorYearFromExplanation(*doc);
  EXPECT_EQ(prior.at("income_total").ToString(), "500.00");     // 520.00 − 20.00
  EXPECT_EQ(prior.at("fiscal_total").ToString(), "475.00");     // 500.00 − 25.00
  EXPECT_EQ(prior.at("2010399").ToString(), "338.00");          // 350.00 − 12.00
  EXPECT_EQ(prior.at("sangong.reception").ToString(), "1.50");  // 1.20 + 0.30
  EXPECT_EQ(prior.count("basic"), 0u);
}

TEST(FiscalRender, HtmlHasEveryTableAndSheet) {
  df::Document doc = CleanWithPriorYear();
  doc.sheets[0].project = "<script>x</script>";
  const std::string html = RenderHtml(doc);
  for (int n = 1; n <= 9; ++n) {
    EXPECT_THAT(html, HasSubstr(fmt::format("公开{:02d}表", n)));
  }
  EXPECT_THAT(html, HasSubstr("2010350"));
  EXPECT_THAT(html, HasSubstr("项目支出绩效自评表"));
  EXPECT_THAT(html, HasSubstr("故障响应时间"));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(html, ::testing::Not(HasSubstr("<script>")));
}

TEST(FiscalRender, LayoutHasOneGridPerTableFiguresAndSheet) {
  const auto grids = LayoutDisclosure(CleanWithPriorYear());
  EXPECT_EQ(grids.size(), 9u + 1u + 2u);
  EXPECT_EQ(grids[1].code, "公开02表");
  EXPECT_EQ(grids[1].rows.size(), 12u);  // total + 11 codes
  EXPECT_EQ(grids[1].rows[0][2].number->ToString(), "520.00");
}

TEST(FiscalRender, WritesAnXlsxWorkbook) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("hotline_fiscal_xlsx_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "disclosure.xlsx";
  ASSERT_OK(RenderXlsx(CleanWithPriorYear(), path));
  std::ifstream in(path, std::ios::binary);
  char magic[2] = {};
  in.read(magic, 2);
  EXPECT_EQ(std::string(magic, 2), "PK");  // a zip container
  EXPECT_GT(std::filesystem::file_size(path), 4000u);
  EXPECT_FALSE(RenderXlsx(CleanWithPriorYear(), dir / "missing" / "x.xlsx").has_value());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hotline::adapters::fiscal

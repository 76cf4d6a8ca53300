// The pieces the report and fiscal renderers share: HTML escaping, page and rows, and an
// xlsx workbook read back with the fiscal xlsx reader.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/fiscal/xlsx_reader.h"
#include "adapters/render/html.h"
#include "adapters/render/xlsx.h"

namespace hotline::adapters::render {
namespace {

TEST(RenderHtml, EscapesMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape("a<b>&\"c\" 中文'"), "a&lt;b&gt;&amp;&quot;c&quot; 中文'");
  EXPECT_EQ(HtmlEscape(""), "");
}

TEST(RenderHtml, PageStartsWithTheEscapedTitleTwice) {
  const std::string html = HtmlPageStart("<报告>", "h1{color:red}");
  EXPECT_EQ(html,
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<title>&lt;报告&gt;</title><style>h1{color:red}</style></head><body>\n"
            "<h1>&lt;报告&gt;</h1>\n");
  EXPECT_EQ(kHtmlPageEnd, "</body></html>\n");
}

TEST(RenderHtml, RowsMarkNumbersAndBold) {
  EXPECT_EQ(HtmlHeaderRow({"项目", "a&b"}), "<tr><th>项目</th><th>a&amp;b</th></tr>");
  EXPECT_EQ(HtmlRow({Cell{"合计", std::nullopt, true}, Cell{"1.50", 1.5, false},
                     Cell{"2.00", 2.0, true}, Cell{"<x>", std::nullopt, false}}),
            "<tr><td class=\"b\">合计</td><td class=\"n\">1.50</td>"
            "<td class=\"n b\">2.00</td><td>&lt;x&gt;</td></tr>\n");
}

class RenderXlsxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hotline_render_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::string Read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }

  std::filesystem::path dir_;
  const XlsxStyle style_{0xDDEBF7, true, "#,##0.00", 30, 12};
};

TEST_F(RenderXlsxTest, WritesTitledTableSheetsThatReadBack) {
  const auto path = dir_ / "t.xlsx";
  auto wb = XlsxWriter::Create(path, style_);
  ASSERT_TRUE(wb.has_value()) << wb.error().message;
  ASSERT_TRUE(wb->AddSheet("01 收入/支出[表]", 0, 2).has_value());
  wb->Title("收入支出表");
  wb->Line("金额单位：万元");
  wb->Table({"项目", "金额"}, {{Cell{"收入", std::nullopt, false}, Cell{"1.50", 1.5, false}},
                               {Cell{"合计", std::nullopt, true}, Cell{"1.50", 1.5, true}}});
  wb->Skip();
  wb->Note("注：无");
  ASSERT_TRUE(wb->AddSheet("[]:*?/\\", 1, 1).has_value());  // nothing left of the name
  wb->Table({}, {{Cell{"只有一格", std::nullopt, false}}});
  ASSERT_TRUE(wb->Close().has_value());

  auto read = fiscal::ReadXlsx(Read(path));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->sheets.size(), 2u);
  const auto& first = read->sheets[0];
  EXPECT_EQ(first.name, "01 收入支出表");
  EXPECT_EQ(first.At(0, 0), "收入支出表");
  EXPECT_EQ(first.At(1, 0), "金额单位：万元");
  EXPECT_EQ(first.At(2, 0), "项目");
  EXPECT_EQ(first.At(2, 1), "金额");
  EXPECT_EQ(first.At(3, 0), "收入");
  EXPECT_EQ(first.At(3, 1), "1.5");  // a number cell, as written in the file
  EXPECT_EQ(first.At(4, 0), "合计");
  EXPECT_EQ(first.At(5, 0), "");  // skipped
  EXPECT_EQ(first.At(6, 0), "注：无");
  EXPECT_EQ(read->sheets[1].name, "Sheet2");
  EXPECT_EQ(read->sheets[1].At(0, 0), "只有一格");  // no header row
}

TEST_F(RenderXlsxTest, ACreateThatCannotWriteIsAnError) {
  auto wb = XlsxWriter::Create(dir_ / "missing" / "x.xlsx", style_);
  if (wb.has_value()) {  // libxlsxwriter may only notice when it writes the file
    ASSERT_TRUE(wb->AddSheet("a", 0, 1).has_value());
    auto closed = wb->Close();
    ASSERT_FALSE(closed.has_value());
    EXPECT_EQ(closed.error().code, ErrorCode::kInternal);
    EXPECT_NE(closed.error().message.find("missing"), std::string::npos);
  } else {
    EXPECT_EQ(wb.error().code, ErrorCode::kInternal);
  }
}

// The report, the ticket export and the knowledge-base export get their bytes this way.
TEST_F(RenderXlsxTest, BytesAreTheFileWrittenAndTheTemporaryFileIsRemoved) {
  std::filesystem::path used;
  auto bytes = XlsxBytes([&](const std::filesystem::path& out) -> Status {
    used = out;
    EXPECT_TRUE(std::filesystem::exists(out));  // made for the writer, empty
    HOTLINE_ASSIGN_OR_RETURN(XlsxWriter wb, XlsxWriter::Create(out, style_));
    HOTLINE_RETURN_IF_ERROR(wb.AddSheet("表", 0, 1));
    wb.Line("一行");
    return wb.Close();
  });
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  EXPECT_FALSE(used.empty());
  EXPECT_FALSE(std::filesystem::exists(used));
  auto read = fiscal::ReadXlsx(*bytes);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->sheets.at(0).At(0, 0), "一行");

  // The writer's error comes back as is, and its file is removed too.
  auto failed = XlsxBytes([&](const std::filesystem::path& out) -> Status {
    used = out;
    return Internal("写不了");
  });
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().message, "写不了");
  EXPECT_FALSE(std::filesystem::exists(used));
  // Writing nothing is an error, not an empty file.
  auto empty = XlsxBytes([](const std::filesystem::path&) { return OkStatus(); });
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace hotline::adapters::render

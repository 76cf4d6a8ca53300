#include "adapters/text/kb_io.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "testing/matchers.h"

namespace hotline::adapters::text {
namespace {

using domain::kb::ArticleKind;
using domain::kb::ArticleStatus;
using ::hotline::testing::HasErrorCode;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(KbIo, ImportsTheProjectsCsvWithQuotedFields) {
  const std::string csv =
      "id,kind,title,answer,department,keywords,review_date,status,materials\n"
      "s1,service_item,居住证办理,,公安局,\"居住证,暂住证\",2024-06-30,published,"
      "\"身份证\n租房合同\"\n"
      "a1,问答,\"社保\"\"补缴\"\"怎么办\",到窗口办理。,人社局,,,草稿,\n";
  auto articles = ParseArticles(csv, KbFormat::kCsv);
  ASSERT_OK(articles);
  ASSERT_EQ(articles->size(), 2U);
  EXPECT_EQ((*articles)[0].kind, ArticleKind::kServiceItem);
  EXPECT_THAT((*articles)[0].keywords, ElementsAre("居住证", "暂住证"));
  EXPECT_EQ((*articles)[0].service.materials, "身份证\n租房合同");
  EXPECT_EQ((*articles)[1].title, "社保\"补缴\"怎么办");
  EXPECT_EQ((*articles)[1].status, ArticleStatus::kDraft);
}

TEST(KbIo, ReportsEveryBadRowByLineNumberAndImportsNothing) {
  // Line 3 spans two lines (quoted line break), so the bad rows are on lines 5 and 6.
  const std::string tsv =
      "id\ttitle\treview_date\n"
      "a1\t标题一\t2024-01-01\n"
      "a2\t\"标题\n二\"\t\n"
      "a3\t标题三\t\n"
      "a4\t\t\n"
      "a5\t标题五\t2024-13-01\n";
  auto articles = ParseArticles(tsv, KbFormat::kTsv);
  ASSERT_THAT(articles, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(articles.error().message, HasSubstr("第 6 行"));
  EXPECT_THAT(articles.error().message, HasSubstr("第 7 行"));
  EXPECT_THAT(articles.error().message, Not(HasSubstr("第 5 行")));
  auto jsonl = ParseArticles("{\"id\":\"a\",\"title\":\"t\"}\n{bad json\n", KbFormat::kJsonl);
  ASSERT_THAT(jsonl, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(jsonl.error().message, HasSubstr("第 2 行"));
  auto duplicate = ParseArticles("{\"id\":\"a\",\"title\":\"t\"}\n{\"id\":\"a\",\"title\":\"u\"}\n",
                                 KbFormat::kJsonl);
  ASSERT_THAT(duplicate, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(duplicate.error().message, HasSubstr("第 2 行"));
}

TEST(KbIo, RoundTripsEveryTextFormat) {
  domain::kb::Article a;
  a.id = "s1";
  a.kind = ArticleKind::kServiceItem;
  a.title = "不动产登记, \"首次\"";
  a.department = "自然资源局";
  a.keywords = {"不动产", "登记"};
  a.review_date = "2025-01-31";
  a.service.materials = "身份证\t户口本\n购房合同";
  a.service.fee = "80元";
  for (const KbFormat format : {KbFormat::kJsonl, KbFormat::kCsv, KbFormat::kTsv}) {
    auto text = FormatArticles({a}, format);
    ASSERT_OK(text);
    auto back = ParseArticles(*text, format);
    ASSERT_OK(back);
    ASSERT_EQ(back->size(), 1U);
    EXPECT_TRUE((*back)[0].SameContent(a)) << *text;
  }
}

TEST(KbIo, ImportsTheServiceCatalogueAndFaqLayouts) {
  const std::string catalogue =
      R"json({"TASK_CODE":"114400","TASK_NAME":"临时价格干预提价申报","DEPT_NAME":"省发展和改革委员会",)json"
      R"json("TASK_TYPE_TEXT":"行政许可","AREA_CODE_TEXT":"广东省","handle_location":"越秀区东风中路305号",)json"
      R"json("handle_time_limit":"7(工作日)","accept_standard":"无","material_intro":["提价申报申请报告"],)json"
      R"json("consult_phone":"020-34121084","theme_category":["其他"]})json"
      "\n";
  auto items = ParseArticles(catalogue, KbFormat::kJsonl);
  ASSERT_OK(items);
  ASSERT_EQ(items->size(), 1U);
  EXPECT_EQ((*items)[0].kind, ArticleKind::kServiceItem);
  EXPECT_EQ((*items)[0].department, "省发展和改革委员会");
  EXPECT_EQ((*items)[0].service.materials, "提价申报申请报告");
  EXPECT_EQ((*items)[0].service.conditions, "");  // 无
  const std::string faq =
      "data_id\tdeptName\tnews_from\tpost_date\tquestion\tanswer_text\tkeywords\tnews_class\t"
      "authority\n"
      "GIP_1\t臺北市政府警察局\t警察局\t2015-01-06\t如何預防詐騙？\t\"\"\"撥打165。\"\"\"\t"
      "詐騙,165\t4000002a\t379\n";
  auto faqs = ParseArticles(faq, KbFormat::kTsv);
  ASSERT_OK(faqs);
  ASSERT_EQ(faqs->size(), 1U);
  EXPECT_EQ((*faqs)[0].title, "如何預防詐騙？");
  EXPECT_EQ((*faqs)[0].answer, "\"撥打165。\"");
  EXPECT_EQ((*faqs)[0].valid_from, "2015-01-06");
  EXPECT_THAT((*faqs)[0].keywords, ElementsAre("詐騙", "165"));
}

TEST(KbIo, ImportsTheSharedFilesAsTheyAre) {
  const std::filesystem::path dir = "/work/shared/data";
  if (!std::filesystem::exists(dir / "kb_service_matters.jsonl")) {
    GTEST_SKIP() << "shared data not found at /work/shared/data";
  }
  for (const auto& [name, format, rows] :
       {std::tuple{"kb_service_matters.jsonl", KbFormat::kJsonl, size_t{2262}},
        std::tuple{"kb_faq_taipei_trad.tsv", KbFormat::kTsv, size_t{1877}}}) {
    std::ifstream in(dir / name, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto articles = ParseArticles(buffer.str(), format);
    ASSERT_OK(articles) << name;
    EXPECT_EQ(articles->size(), rows) << name;
  }
}

TEST(KbIo, WritesXlsx) {
  const auto path = std::filesystem::temp_directory_path() / "kb_io_test.xlsx";
  domain::kb::Article a;
  a.id = "a1";
  a.title = "标题";
  ASSERT_OK(WriteArticlesXlsx({a}, path.string()));
  EXPECT_GT(std::filesystem::file_size(path), 0U);
  std::filesystem::remove(path);
  EXPECT_THAT(WriteArticlesXlsx({a}, "/nonexistent-dir/x.xlsx"),
              HasErrorCode(ErrorCode::kInternal));
}

std::string ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(KbIo, XlsxExportImportsBackUnchanged) {
  domain::kb::Article answer;
  answer.id = "faq-7";
  answer.title = "社保卡丢了怎么补办？";
  answer.answer = "携带身份证到社保服务大厅办理。\n工本费 20 元，\"当场\"领取。";
  answer.category = "社会保障";
  answer.department = "市人社局";
  answer.region = "三元区";
  answer.keywords = {"社保卡", "补办"};
  answer.source = "https://example.gov.cn/faq/7";
  answer.valid_from = "2024-01-01";
  answer.valid_to = "2026-12-31";
  answer.review_date = "2025-06-30";
  answer.status = ArticleStatus::kDraft;
  domain::kb::Article item;
  item.id = "11440000MB2C93";
  item.kind = ArticleKind::kServiceItem;
  item.title = "居住证签注";
  item.department = "公安局";
  item.status = ArticleStatus::kRetired;
  item.service = {"在本市居住满半年", "身份证\n居住证", "各派出所", "当场办结", "免费"};
  auto bytes = ArticlesXlsxBytes({answer, item});
  ASSERT_OK(bytes);
  auto back = ParseArticles(*bytes, KbFormat::kXlsx);
  ASSERT_OK(back);
  ASSERT_EQ(back->size(), 2U);
  EXPECT_TRUE((*back)[0].SameContent(answer));
  EXPECT_TRUE((*back)[1].SameContent(item));
  // The file written by WriteArticlesXlsx reads back the same way.
  const auto path = std::filesystem::temp_directory_path() / "kb_io_roundtrip.xlsx";
  ASSERT_OK(WriteArticlesXlsx({answer}, path.string()));
  auto from_file = ParseArticles(ReadBytes(path), KbFormat::kXlsx);
  std::filesystem::remove(path);
  ASSERT_OK(from_file);
  ASSERT_EQ(from_file->size(), 1U);
  EXPECT_TRUE((*from_file)[0].SameContent(answer));
}

// A sheet as an editor makes it in Excel: Chinese headers, a date typed as a date (a serial
// number), short rows, an empty row; and bad rows reported by their row number.
TEST(KbIo, XlsxWrittenByHandIsReadAndBadRowsNamed) {
  const auto path = std::filesystem::temp_directory_path() / "kb_io_hand.xlsx";
  const auto write = [&path](bool bad) {
    lxw_workbook* book = workbook_new(path.string().c_str());
    lxw_worksheet* sheet = workbook_add_worksheet(book, "Sheet1");
    const char* header[] = {"编号", "标题", "答复", "责任部门", "复审日期"};
    for (lxw_col_t c = 0; c < 5; ++c) {
      worksheet_write_string(sheet, 0, c, header[c], nullptr);
    }
    worksheet_write_string(sheet, 1, 0, "k1", nullptr);
    worksheet_write_string(sheet, 1, 1, "公积金怎么提取", nullptr);
    worksheet_write_string(sheet, 1, 2, "带身份证到公积金中心。", nullptr);
    worksheet_write_string(sheet, 1, 3, "公积金中心", nullptr);
    worksheet_write_number(sheet, 1, 4, 45473, nullptr);  // 2024-06-30
    // Row 3 is empty; row 4 is short (no answer, department or date).
    worksheet_write_number(sheet, 3, 0, 42, nullptr);
    worksheet_write_string(sheet, 3, 1, "数字编号的条目", nullptr);
    if (bad) {
      worksheet_write_string(sheet, 4, 0, "k5", nullptr);  // row 5: no title
      worksheet_write_string(sheet, 5, 0, "k6", nullptr);
      worksheet_write_string(sheet, 5, 1, "标题", nullptr);
      worksheet_write_string(sheet, 5, 4, "2024-02-30", nullptr);  // row 6: no such day
    }
    ASSERT_EQ(workbook_close(book), LXW_NO_ERROR);
  };
  write(false);
  auto good = ParseArticles(ReadBytes(path), KbFormat::kXlsx);
  ASSERT_OK(good);
  ASSERT_EQ(good->size(), 2U);
  EXPECT_EQ((*good)[0].review_date, "2024-06-30");
  EXPECT_EQ((*good)[0].department, "公积金中心");
  EXPECT_EQ((*good)[1].id, "42");
  EXPECT_EQ((*good)[1].answer, "");
  write(true);
  auto bad = ParseArticles(ReadBytes(path), KbFormat::kXlsx);
  std::filesystem::remove(path);
  ASSERT_THAT(bad, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(bad.error().message, HasSubstr("第 5 行"));
  EXPECT_THAT(bad.error().message, HasSubstr("第 6 行"));
  EXPECT_THAT(bad.error().message, Not(HasSubstr("第 4 行")));
  EXPECT_THAT(ParseArticles("not a workbook", KbFormat::kXlsx),
              HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST(KbIo, FormatNames) {
  EXPECT_EQ(*KbFormatOfPath("kb.jsonl"), KbFormat::kJsonl);
  EXPECT_EQ(*KbFormatOfPath("kb.tsv"), KbFormat::kTsv);
  EXPECT_THAT(KbFormatOfPath("kb"), HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseKbFormat("docx"), HasErrorCode(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace hotline::adapters::text

#include "adapters/fiscal/accounts_xlsx.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zlib.h>

#include <filesystem>
#include <random>
#include <string>

#include "adapters/fiscal/accounts_json.h"
#include "adapters/fiscal/loader.h"
#include "adapters/fiscal/render.h"
#include "adapters/fiscal/xlsx_reader.h"
#include "domain/fiscal/rules.h"
#include "testing/matchers.h"

namespace hotline::adapters::fiscal {
namespace {

namespace df = domain::fiscal;
namespace fs = std::filesystem;
using hotline::testing::HasErrorCode;
using ::testing::HasSubstr;

class FiscalXlsx : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hotline_fiscal_xlsx_in_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static df::Document Clean() {
    auto doc = LoadDisclosure(hotline::testing::SourceDir() / "src" / "domain" / "fiscal" /
                              "testdata" / "clean_2024.txt");
    EXPECT_OK(doc);
    df::Document d = doc.has_value() ? *doc : df::Document{};
    d.unit = "三明市12345政务服务便民热线中心";
    d.prior_year["income_total"] = df::Fixed2::FromInt(500);
    d.prior_year["2010350"] = df::Fixed2::FromInt(90);
    d.prior_year["sangong"] = *df::Fixed2::Parse("1.50");
    return d;
  }

  std::string Bytes(const fs::path& p) {
    auto b = ReadFile(p);
    EXPECT_OK(b);
    return b.has_value() ? *b : std::string();
  }

  fs::path dir_;
};

TEST_F(FiscalXlsx, RenderedWorkbookReadsBackAsTheSameAccounts) {
  // Through JSON first, as the JSON round trip does: the structured form drops the
  // parser's line numbers and explanation.
  auto from_json = DocumentFromJson(DocumentToJson(Clean()));
  ASSERT_OK(from_json);
  const fs::path path = dir_ / "disclosure.xlsx";
  ASSERT_OK(RenderXlsx(*from_json, path));
  auto back = LoadDisclosure(path);
  ASSERT_OK(back);
  EXPECT_EQ(DocumentToJson(*back), DocumentToJson(*from_json));
  EXPECT_EQ(back->year, from_json->year);
  EXPECT_EQ(back->prior_year.at("2010350").ToString(), "90.00");
  EXPECT_TRUE(df::CheckDocument(*back).empty());
}

TEST_F(FiscalXlsx, ReadsAHandWrittenWorkbook) {
  const fs::path path = dir_ / "hand.xlsx";
  lxw_workbook* wb = workbook_new(path.string().c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "05");
  worksheet_write_string(ws, 0, 0, "一般公共预算财政拨款支出决算表", nullptr);
  worksheet_write_string(ws, 1, 0, "公开05表    单位：测试中心    金额单位：万元", nullptr);
  const char* header[] = {"编码", "科目名称", "合计", "基本支出", "项目支出"};
  for (int c = 0; c < 5; ++c)
    worksheet_write_string(ws, 2, static_cast<lxw_col_t>(c), header[c], nullptr);
  worksheet_write_string(ws, 3, 0, "", nullptr);
  worksheet_write_string(ws, 3, 1, "合计", nullptr);
  worksheet_write_number(ws, 3, 2, 30.5, nullptr);
  worksheet_write_number(ws, 3, 3, 10, nullptr);
  worksheet_write_number(ws, 3, 4, 20.5, nullptr);
  worksheet_write_string(ws, 4, 0, "201", nullptr);
  worksheet_write_string(ws, 4, 1, "一般公共服务支出", nullptr);
  worksheet_write_string(ws, 4, 2, "30.50", nullptr);  // an amount typed as text
  worksheet_write_number(ws, 4, 3, 10, nullptr);
  worksheet_write_number(ws, 4, 4, 20.5, nullptr);
  worksheet_write_string(ws, 6, 0, "注：示例", nullptr);
  workbook_add_worksheet(wb, "其他");  // ignored
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto raw = ReadXlsx(Bytes(path));
  ASSERT_OK(raw);
  ASSERT_EQ(raw->sheets.size(), 2u);
  EXPECT_EQ(raw->sheets[0].name, "05");
  EXPECT_EQ(raw->sheets[0].At(4, 1), "一般公共服务支出");
  EXPECT_EQ(raw->sheets[0].At(3, 2), "30.5");
  EXPECT_EQ(raw->sheets[0].At(99, 99), "");

  auto doc = DocumentFromXlsx(Bytes(path));
  ASSERT_OK(doc);
  EXPECT_EQ(doc->unit, "测试中心");
  ASSERT_TRUE(doc->t05.present);
  ASSERT_TRUE(doc->t05.total.has_value());
  EXPECT_EQ(doc->t05.total->values[2]->ToString(), "20.50");
  ASSERT_EQ(doc->t05.rows.size(), 1u);
  EXPECT_EQ(doc->t05.rows[0].code, "201");
  EXPECT_EQ(doc->t05.rows[0].values[0]->ToString(), "30.50");
  EXPECT_EQ(doc->t05.note, "注：示例");
  EXPECT_FALSE(doc->t01.present);
}

TEST_F(FiscalXlsx, NamesTheCellOfABadAmount) {
  const fs::path path = dir_ / "bad_amount.xlsx";
  lxw_workbook* wb = workbook_new(path.string().c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "01");
  worksheet_write_string(ws, 1, 0, "公开01表", nullptr);
  const char* header[] = {"收入项目", "决算数", "支出项目", "决算数"};
  for (int c = 0; c < 4; ++c)
    worksheet_write_string(ws, 2, static_cast<lxw_col_t>(c), header[c], nullptr);
  worksheet_write_string(ws, 6, 0, "一、一般公共预算财政拨款收入", nullptr);
  worksheet_write_string(ws, 6, 1, "四百", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto doc = DocumentFromXlsx(Bytes(path));
  // Rows 4-6 are blank, so row 7 is read as the note below the grid.
  ASSERT_OK(doc);
  EXPECT_EQ(doc->t01.note, "一、一般公共预算财政拨款收入");

  lxw_workbook* wb2 = workbook_new(path.string().c_str());
  ws = workbook_add_worksheet(wb2, "01");
  worksheet_write_string(ws, 1, 0, "公开01表", nullptr);
  for (int c = 0; c < 4; ++c)
    worksheet_write_string(ws, 2, static_cast<lxw_col_t>(c), header[c], nullptr);
  for (int r = 3; r < 7; ++r)
    worksheet_write_string(ws, static_cast<lxw_row_t>(r), 0, "收入", nullptr);
  worksheet_write_string(ws, 6, 1, "四百", nullptr);
  ASSERT_EQ(workbook_close(wb2), LXW_NO_ERROR);
  auto bad = DocumentFromXlsx(Bytes(path));
  ASSERT_THAT(bad, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(bad.error().message, HasSubstr("公开01表 B7: 不是金额"));
}

TEST_F(FiscalXlsx, RejectsCorruptInput) {
  std::mt19937 rng(8);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  EXPECT_THAT(ReadXlsx(noise), HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ReadXlsx(""), HasErrorCode(ErrorCode::kInvalidArgument));

  const fs::path path = dir_ / "ok.xlsx";
  ASSERT_OK(RenderXlsx(Clean(), path));
  const std::string good = Bytes(path);
  ASSERT_OK(ReadXlsx(good));
  // Every truncation and a flipped byte in many places: an error or a value, never a crash.
  const size_t step = good.size() / 24 + 1;
  for (size_t cut = 0; cut < good.size(); cut += step) {
    EXPECT_FALSE(DocumentFromXlsx(good.substr(0, cut)).has_value()) << cut;
  }
  for (size_t at = 7; at < good.size(); at += step) {
    std::string flipped = good;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x5A);
    (void)DocumentFromXlsx(flipped);
  }
  // Without sheets we know.
  const fs::path other = dir_ / "other.xlsx";
  lxw_workbook* wb = workbook_new(other.string().c_str());
  worksheet_write_string(workbook_add_worksheet(wb, "x"), 0, 0, "hello", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto none = DocumentFromXlsx(Bytes(other));
  ASSERT_THAT(none, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(none.error().message, HasSubstr("没有可识别的工作表"));
  EXPECT_THAT(LoadDisclosure(dir_ / "missing.xlsx"), HasErrorCode(ErrorCode::kNotFound));
}

// A stored (method 0) zip with the given entries, built by hand.
std::string StoredZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out;
  std::string central;
  auto u16 = [](std::string& s, uint32_t v) {
    s.push_back(static_cast<char>(v & 0xFF));
    s.push_back(static_cast<char>((v >> 8) & 0xFF));
  };
  auto u32 = [&](std::string& s, uint32_t v) {
    u16(s, v & 0xFFFF);
    u16(s, v >> 16);
  };
  for (const auto& [name, data] : entries) {
    const uint32_t offset = static_cast<uint32_t>(out.size());
    const uint32_t crc = static_cast<uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    const auto size = static_cast<uint32_t>(data.size());
    u32(out, 0x04034b50);
    u16(out, 20);
    u16(out, 0);
    u16(out, 0);
    u16(out, 0);
    u16(out, 0);
    u32(out, crc);
    u32(out, size);
    u32(out, size);
    u16(out, static_cast<uint32_t>(name.size()));
    u16(out, 0);
    out += name;
    out += data;
    u32(central, 0x02014b50);
    u16(central, 20);
    u16(central, 20);
    u16(central, 0);
    u16(central, 0);
    u16(central, 0);
    u16(central, 0);
    u32(central, crc);
    u32(central, size);
    u32(central, size);
    u16(central, static_cast<uint32_t>(name.size()));
    u16(central, 0);
    u16(central, 0);
    u16(central, 0);
    u16(central, 0);
    u32(central, 0);
    u32(central, offset);
    central += name;
  }
  const auto cd_offset = static_cast<uint32_t>(out.size());
  out += central;
  u32(out, 0x06054b50);
  u16(out, 0);
  u16(out, 0);
  u16(out, static_cast<uint32_t>(entries.size()));
  u16(out, static_cast<uint32_t>(entries.size()));
  u32(out, static_cast<uint32_t>(central.size()));
  u32(out, cd_offset);
  u16(out, 0);
  return out;
}

TEST_F(FiscalXlsx, ReadsInlineAndRichStringsAndRejectsBrokenXml) {
  const std::string workbook =
      R"(<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>)";
  const std::string rels =
      R"(<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>)";
  const std::string sst = R"(<sst><si><r><t>公开</t></r><r><t>05表</t></r></si></sst>)";
  const std::string sheet =
      R"(<worksheet><sheetData><row r="2"><c r="A2" t="s"><v>0</v></c><c t="inlineStr"><is><t>x</t></is></c>)"
      R"(<c r="D2" t="b"><v>1</v></c></row></sheetData></worksheet>)";
  auto ok = ReadXlsx(StoredZip({{"xl/workbook.xml", workbook},
                                {"xl/_rels/workbook.xml.rels", rels},
                                {"xl/sharedStrings.xml", sst},
                                {"xl/worksheets/sheet1.xml", sheet}}));
  ASSERT_OK(ok);
  EXPECT_EQ(ok->sheets[0].At(1, 0), "公开05表");
  EXPECT_EQ(ok->sheets[0].At(1, 1), "x");
  EXPECT_EQ(ok->sheets[0].At(1, 3), "1");

  auto broken = ReadXlsx(StoredZip({{"xl/workbook.xml", workbook},
                                    {"xl/_rels/workbook.xml.rels", rels},
                                    {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>"}}));
  ASSERT_THAT(broken, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(broken.error().message, HasSubstr("xl/worksheets/sheet1.xml"));

  auto bad_index = ReadXlsx(StoredZip(
      {{"xl/workbook.xml", workbook},
       {"xl/_rels/workbook.xml.rels", rels},
       {"xl/sharedStrings.xml", sst},
       {"xl/worksheets/sheet1.xml",
        R"(<worksheet><sheetData><row><c r="B3" t="s"><v>7</v></c></row></sheetData></worksheet>)"}}));
  ASSERT_THAT(bad_index, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(bad_index.error().message, HasSubstr("B3"));

  auto entity =
      ReadXlsx(StoredZip({{"xl/workbook.xml", R"(<!DOCTYPE a [<!ENTITY x "y">]><workbook/>)"},
                          {"xl/_rels/workbook.xml.rels", rels}}));
  EXPECT_THAT(entity, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ReadXlsx(StoredZip({{"xl/workbook.xml", workbook}})),
              HasErrorCode(ErrorCode::kInvalidArgument));  // no rels part
}

TEST_F(FiscalXlsx, CapsTheInflatedSizeOfAnEntry) {
  // 80 MiB of zeros deflate to about 80 KiB: a zip bomb in miniature.
  const size_t size = kMaxXlsxEntryBytes + (size_t{16} << 20);
  std::string zeros(size, '\0');
  z_stream s{};
  ASSERT_EQ(deflateInit2(&s, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string packed(deflateBound(&s, static_cast<uLong>(size)), '\0');
  s.next_in = reinterpret_cast<Bytef*>(zeros.data());
  s.avail_in = static_cast<uInt>(size);
  s.next_out = reinterpret_cast<Bytef*>(packed.data());
  s.avail_out = static_cast<uInt>(packed.size());
  ASSERT_EQ(deflate(&s, Z_FINISH), Z_STREAM_END);
  packed.resize(s.total_out);
  deflateEnd(&s);
  zeros.clear();
  zeros.shrink_to_fit();
  // Store it, then patch the entry to method 8 with the real sizes.
  std::string zip = StoredZip({{"xl/workbook.xml", packed}});
  const size_t central = zip.find(std::string("PK\x01\x02", 4));
  ASSERT_NE(central, std::string::npos);
  for (size_t at : {size_t{8}, central + 10}) zip[at] = 8;
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) zip[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  };
  put32(central + 24, static_cast<uint32_t>(size));
  auto bomb = ReadXlsx(zip);
  ASSERT_THAT(bomb, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(bomb.error().message, HasSubstr("64 MiB"));
}

}  // namespace
}  // namespace hotline::adapters::fiscal

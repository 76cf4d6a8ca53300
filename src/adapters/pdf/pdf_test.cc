// HTML → PDF with the real browser. Skips (with the reason) when chromium is not installed;
// CI installs it for the end-to-end tests.
#include "adapters/pdf/pdf.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

namespace hotline::adapters::pdf {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// pdftotext (poppler-utils, installed for the fiscal reader) turns the PDF back into text.
std::string PdfText(const fs::path& pdf) {
  std::string cmd = "pdftotext -enc UTF-8 '" + pdf.string() + "' - 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
  if (!pipe) return {};
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
  return out;
}

class PdfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pdf_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

constexpr const char* kHtml =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>月报</title></head><body>"
    "<h1>三明市12345热线月报</h1><table><tr><td>受理量</td><td>12,345</td></tr></table>"
    "</body></html>";

TEST_F(PdfTest, RendersChineseHtmlToPdfWhoseTextReadsBack) {
  if (!FindBrowser().has_value())
    GTEST_SKIP() << "chromium is not installed: " << FindBrowser().error().message;
  const fs::path out = dir_ / "report.pdf";
  auto st = HtmlToPdf(kHtml, out.string());
  ASSERT_TRUE(st.has_value()) << st.error().message;
  const std::string bytes = Slurp(out);
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.rfind("%PDF-", 0), 0u);
  EXPECT_FALSE(fs::exists(out.string() + ".tmp"));
  const std::string text = PdfText(out);
  if (text.empty()) GTEST_SKIP() << "pdftotext is not installed; the PDF header was checked";
  EXPECT_NE(text.find("三明市12345热线月报"), std::string::npos) << text;
  EXPECT_NE(text.find("12,345"), std::string::npos) << text;
}

TEST_F(PdfTest, BytesVariantReturnsTheSameKindOfDocument) {
  if (!FindBrowser().has_value()) GTEST_SKIP() << "chromium is not installed";
  auto bytes = HtmlToPdfBytes(kHtml);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  EXPECT_EQ(bytes->rfind("%PDF-", 0), 0u);
}

TEST_F(PdfTest, MissingBrowserIsUnavailableWithAnInstallHint) {
  PdfOptions options;
  options.browser = "/nonexistent/chromium";
  auto found = FindBrowser(options);
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(found.error().message.find("chromium"), std::string::npos);
  const fs::path out = dir_ / "x.pdf";
  auto st = HtmlToPdf(kHtml, out.string(), options);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(PdfTest, ABrowserThatFailsLeavesNoFileBehind) {
  PdfOptions options;
  options.browser = "/bin/false";  // exits 1 and writes nothing
  const fs::path out = dir_ / "x.pdf";
  {
    std::ofstream keep(out);
    keep << "previous";
  }
  auto st = HtmlToPdf(kHtml, out.string(), options);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  EXPECT_EQ(Slurp(out), "previous");  // the earlier file is untouched
  EXPECT_FALSE(fs::exists(out.string() + ".tmp"));
}

TEST_F(PdfTest, ABrowserThatHangsIsKilledAtTheTimeLimit) {
  // A stand-in "browser" that ignores its arguments and sleeps.
  const fs::path fake = dir_ / "slow-browser";
  {
    std::ofstream s(fake);
    s << "#!/bin/sh\nsleep 30\n";
  }
  fs::permissions(fake, fs::perms::owner_all);
  PdfOptions options;
  options.browser = fake.string();
  options.timeout = std::chrono::seconds(1);
  auto st = HtmlToPdfBytes(kHtml, options);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  EXPECT_NE(st.error().message.find("超时"), std::string::npos) << st.error().message;
}

}  // namespace
}  // namespace hotline::adapters::pdf

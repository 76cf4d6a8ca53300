#include "adapters/fiscal/pdf_text.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "adapters/fiscal/loader.h"
#include "testing/matchers.h"

namespace hotline::adapters::fiscal {
namespace {

using hotline::testing::HasErrorCode;

TEST(FiscalPdfText, LayoutGapsBecomeTabs) {
  const std::string layout =
      "项目                    决算数\n"
      "一、一般公共预算财政拨款收入      402. 64\n"
      "        二、外交支出    0.00\n"
      "三明市 12345 政务服务便民热线中心\f下一页\n";
  EXPECT_EQ(LayoutToTabs(layout),
            "项目\t决算数\n"
            "一、一般公共预算财政拨款收入\t402. 64\n"
            "\t二、外交支出\t0.00\n"
            "三明市 12345 政务服务便民热线中心\n下一页\n");
}

// A one-page PDF with a single line of Helvetica text.
std::string MinimalPdf(const std::string& text) {
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>",
      "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  const std::string stream = "BT /F1 12 Tf 20 100 Td (" + text + ") Tj ET";
  objects[3] =
      "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream";
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof(line), "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

TEST(FiscalPdfText, ExtractsTextThroughPdftotext) {
  if (!PdfToTextAvailable()) {
    GTEST_SKIP() << "pdftotext is absent (Debian package poppler-utils)";
  }
  const auto dir =
      std::filesystem::temp_directory_path() / ("hotline_fiscal_pdf_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "t.pdf";
  std::ofstream(path, std::ios::binary) << MinimalPdf("Total      402.64");
  auto text = ExtractPdfText(path);
  ASSERT_OK(text);
  EXPECT_NE(text->find("Total\t402.64"), std::string::npos) << *text;
  // LoadDisclosure goes the same way and reports the (empty) disclosure's missing parts.
  auto doc = LoadDisclosure(path);
  ASSERT_OK(doc);
  EXPECT_FALSE(doc->parse_findings.empty());
  std::ofstream(dir / "broken.pdf") << "not a pdf";
  EXPECT_THAT(ExtractPdfText(dir / "broken.pdf"), HasErrorCode(ErrorCode::kInvalidArgument));
  std::filesystem::remove_all(dir);
}

TEST(FiscalLoader, ReportsUnreadableFiles) {
  EXPECT_THAT(LoadDisclosure("/nonexistent/disclosure.txt"), HasErrorCode(ErrorCode::kNotFound));
  EXPECT_THAT(LoadDisclosure("/nonexistent/disclosure.pdf"), HasErrorCode(ErrorCode::kNotFound));
  const auto path = hotline::testing::SourceDir() / "src" / "domain" / "fiscal" / "parser.cc";
  EXPECT_THAT(LoadDisclosure(path), HasErrorCode(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace hotline::adapters::fiscal

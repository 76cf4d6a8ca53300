#include "adapters/render/xlsx.h"

#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <fstream>
#include <sstream>
#include <string_view>

#include "common/check.h"

namespace hotline::adapters::render {
namespace {

constexpr double kTitleFontSize = 14;

// Worksheet names: at most 31 characters, none of []:*?/\ .
std::string SheetName(const std::string& name, size_t index) {
  std::string out;
  for (char c : name) {
    if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) {
      out.push_back(c);
    }
  }
  return out.empty() ? fmt::format("Sheet{}", index + 1) : out;
}

}  // namespace

struct XlsxWriter::State {
  std::string path;
  XlsxStyle style;
  lxw_workbook* wb = nullptr;  // nullptr once closed
  lxw_worksheet* ws = nullptr;
  lxw_row_t row = 0;
  lxw_format* title = nullptr;
  lxw_format* header = nullptr;
  lxw_format* text = nullptr;
  lxw_format* text_bold = nullptr;
  lxw_format* number = nullptr;
  lxw_format* number_bold = nullptr;
  lxw_format* note = nullptr;
};

Result<XlsxWriter> XlsxWriter::Create(const std::filesystem::path& out, const XlsxStyle& style) {
  auto s = std::make_unique<State>();
  s->path = out.string();
  s->style = style;
  s->wb = workbook_new(s->path.c_str());
  if (s->wb == nullptr) {
    return Internal(fmt::format("无法创建 {}", s->path));
  }
  lxw_workbook* wb = s->wb;
  s->title = workbook_add_format(wb);
  format_set_bold(s->title);
  format_set_font_size(s->title, kTitleFontSize);
  s->header = workbook_add_format(wb);
  format_set_bold(s->header);
  format_set_border(s->header, LXW_BORDER_THIN);
  format_set_align(s->header, LXW_ALIGN_CENTER);
  format_set_bg_color(s->header, style.header_color);
  s->text = workbook_add_format(wb);
  format_set_border(s->text, LXW_BORDER_THIN);
  s->text_bold = workbook_add_format(wb);
  format_set_border(s->text_bold, LXW_BORDER_THIN);
  format_set_bold(s->text_bold);
  if (style.wrap) {
    format_set_text_wrap(s->header);
    format_set_text_wrap(s->text);
    format_set_text_wrap(s->text_bold);
  }
  s->number = workbook_add_format(wb);
  format_set_border(s->number, LXW_BORDER_THIN);
  format_set_num_format(s->number, style.number_format);
  s->number_bold = workbook_add_format(wb);
  format_set_border(s->number_bold, LXW_BORDER_THIN);
  format_set_num_format(s->number_bold, style.number_format);
  format_set_bold(s->number_bold);
  s->note = workbook_add_format(wb);
  format_set_text_wrap(s->note);
  return XlsxWriter(std::move(s));
}

XlsxWriter::XlsxWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
XlsxWriter::XlsxWriter(XlsxWriter&&) noexcept = default;
XlsxWriter& XlsxWriter::operator=(XlsxWriter&&) noexcept = default;

XlsxWriter::~XlsxWriter() {
  if (state_ != nullptr && state_->wb != nullptr) {
    workbook_close(state_->wb);
  }
}

Status XlsxWriter::AddSheet(const std::string& name, size_t index, size_t columns) {
  State& s = *state_;
  HOTLINE_ASSERT(s.wb != nullptr, "a sheet is added before Close");
  s.ws = workbook_add_worksheet(s.wb, SheetName(name, index).c_str());
  if (s.ws == nullptr) {
    workbook_close(s.wb);
    s.wb = nullptr;
    return Internal(fmt::format("无法添加工作表“{}”", name));
  }
  s.row = 0;
  worksheet_set_column(s.ws, 0, 0, s.style.first_width, nullptr);
  if (columns > 1) {
    worksheet_set_column(s.ws, 1, static_cast<lxw_col_t>(columns - 1), s.style.other_width,
                         nullptr);
  }
  return OkStatus();
}

void XlsxWriter::Title(const std::string& text) {
  worksheet_write_string(state_->ws, state_->row++, 0, text.c_str(), state_->title);
}

void XlsxWriter::Line(const std::string& text) {
  worksheet_write_string(state_->ws, state_->row++, 0, text.c_str(), nullptr);
}

void XlsxWriter::Note(const std::string& text) {
  worksheet_write_string(state_->ws, state_->row++, 0, text.c_str(), state_->note);
}

void XlsxWriter::Skip() { ++state_->row; }

void XlsxWriter::Table(const std::vector<std::string>& header,
                       const std::vector<std::vector<Cell>>& rows) {
  State& s = *state_;
  if (!header.empty()) {
    for (size_t c = 0; c < header.size(); ++c) {
      worksheet_write_string(s.ws, s.row, static_cast<lxw_col_t>(c), header[c].c_str(), s.header);
    }
    ++s.row;
  }
  for (const auto& r : rows) {
    for (size_t c = 0; c < r.size(); ++c) {
      const Cell& cell = r[c];
      const auto col = static_cast<lxw_col_t>(c);
      if (cell.number) {
        worksheet_write_number(s.ws, s.row, col, *cell.number,
                               cell.bold ? s.number_bold : s.number);
      } else {
        worksheet_write_string(s.ws, s.row, col, cell.text.c_str(),
                               cell.bold ? s.text_bold : s.text);
      }
    }
    ++s.row;
  }
}

Status XlsxWriter::Close() {
  State& s = *state_;
  HOTLINE_ASSERT(s.wb != nullptr, "a workbook is closed once");
  const lxw_error err = workbook_close(s.wb);
  s.wb = nullptr;
  if (err != LXW_NO_ERROR) {
    return Internal(fmt::format("写入 {} 失败：{}", s.path, lxw_strerror(err)));
  }
  return OkStatus();
}

Result<std::string> XlsxBytes(const std::function<Status(const std::filesystem::path&)>& write) {
  std::string path = (std::filesystem::temp_directory_path() / "hotline-xlsx-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    return Internal("无法创建临时文件");
  }
  close(fd);
  const Status written = write(path);
  std::string bytes;
  if (written.has_value()) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    bytes = buffer.str();
  }
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (!written.has_value()) {
    return written.error();
  }
  if (bytes.empty()) {
    return Internal("读取生成的 xlsx 失败");
  }
  return bytes;
}

}  // namespace hotline::adapters::render

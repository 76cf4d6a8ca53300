#include "adapters/fiscal/xlsx_reader.h"

#include <expat.h>
#include <fmt/format.h>
#include <zlib.h>

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <utility>

namespace hotline::adapters::fiscal {
namespace {

constexpr uint32_t kEocdSignature = 0x06054b50;
constexpr uint32_t kCentralSignature = 0x02014b50;
constexpr uint32_t kLocalSignature = 0x04034b50;
constexpr size_t kEocdSize = 22;
constexpr size_t kCentralSize = 46;
constexpr size_t kLocalSize = 30;
constexpr size_t kMaxXmlDepth = 128;

uint16_t U16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) |
                               (static_cast<unsigned char>(b[at + 1]) << 8));
}

uint32_t U32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(U16(b, at)) | (static_cast<uint32_t>(U16(b, at + 2)) << 16);
}

Error Bad(std::string message) { return InvalidArgument("xlsx 文件无效：" + std::move(message)); }

struct ZipEntry {
  uint16_t flags = 0;
  uint16_t method = 0;
  uint32_t crc = 0;
  uint32_t compressed = 0;
  uint32_t size = 0;
  uint32_t local_offset = 0;
};

// The central directory of a zip archive held in memory.
class Zip {
 public:
  static Result<Zip> Open(std::string_view bytes) {
    if (bytes.size() < kEocdSize) {
      return Bad("不是 zip 压缩包（文件过短）");
    }
    // The end-of-central-directory record is last, followed by a comment of at most 64 KiB.
    size_t eocd = std::string_view::npos;
    const size_t lowest = bytes.size() > kEocdSize + 0xFFFF ? bytes.size() - kEocdSize - 0xFFFF : 0;
    for (size_t at = bytes.size() - kEocdSize + 1; at-- > lowest;) {
      if (U32(bytes, at) == kEocdSignature) {
        eocd = at;
        break;
      }
    }
    if (eocd == std::string_view::npos) {
      return Bad("不是 zip 压缩包（找不到中央目录结尾记录，文件可能被截断）");
    }
    const uint16_t count = U16(bytes, eocd + 10);
    const uint32_t cd_size = U32(bytes, eocd + 12);
    const uint32_t cd_offset = U32(bytes, eocd + 16);
    if (cd_offset == 0xFFFFFFFF || count == 0xFFFF) {
      return Bad("不支持 ZIP64 压缩包");
    }
    if (static_cast<uint64_t>(cd_offset) + cd_size > eocd) {
      return Bad("中央目录超出文件范围（文件可能被截断）");
    }
    Zip zip;
    zip.bytes_ = bytes;
    size_t at = cd_offset;
    for (uint16_t i = 0; i < count; ++i) {
      if (at + kCentralSize > eocd || U32(bytes, at) != kCentralSignature) {
        return Bad(fmt::format("中央目录第 {} 项损坏", i + 1));
      }
      ZipEntry e;
      e.flags = U16(bytes, at + 8);
      e.method = U16(bytes, at + 10);
      e.crc = U32(bytes, at + 16);
      e.compressed = U32(bytes, at + 20);
      e.size = U32(bytes, at + 24);
      const size_t name_len = U16(bytes, at + 28);
      const size_t extra_len = U16(bytes, at + 30);
      const size_t comment_len = U16(bytes, at + 32);
      e.local_offset = U32(bytes, at + 42);
      const size_t next = at + kCentralSize + name_len + extra_len + comment_len;
      if (next > eocd) {
        return Bad(fmt::format("中央目录第 {} 项损坏", i + 1));
      }
      zip.entries_[std::string(bytes.substr(at + kCentralSize, name_len))] = e;
      at = next;
    }
    return zip;
  }

  bool Has(const std::string& name) const { return entries_.count(name) > 0; }

  Result<std::string> Read(const std::string& name) const {
    const auto it = entries_.find(name);
    if (it == entries_.end()) {
      return Bad(fmt::format("缺少部件 {}", name));
    }
    const ZipEntry& e = it->second;
    if ((e.flags & 1) != 0) {
      return Bad(fmt::format("{} 已加密，无法读取", name));
    }
    const size_t local = e.local_offset;
    if (static_cast<uint64_t>(local) + kLocalSize > bytes_.size() ||
        U32(bytes_, local) != kLocalSignature) {
      return Bad(fmt::format("{} 的本地文件头损坏", name));
    }
    const uint64_t data = static_cast<uint64_t>(local) + kLocalSize + U16(bytes_, local + 26) +
                          U16(bytes_, local + 28);
    if (data + e.compressed > bytes_.size()) {
      return Bad(fmt::format("{} 的数据超出文件范围（文件可能被截断）", name));
    }
    const std::string_view packed = bytes_.substr(static_cast<size_t>(data), e.compressed);
    std::string out;
    if (e.method == 0) {
      if (packed.size() > kMaxXlsxEntryBytes) {
        return Bad(fmt::format("{} 超过 {} MiB", name, kMaxXlsxEntryBytes >> 20));
      }
      out.assign(packed);
    } else if (e.method == 8) {
      HOTLINE_ASSIGN_OR_RETURN(out, Inflate(name, packed));
    } else {
      return Bad(fmt::format("{} 使用了不支持的压缩方法 {}", name, e.method));
    }
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(out.data()),
                            static_cast<uInt>(out.size()));
    if (out.size() != e.size || crc != e.crc) {
      return Bad(fmt::format("{} 校验失败（数据损坏）", name));
    }
    return out;
  }

 private:
  static Result<std::string> Inflate(const std::string& name, std::string_view packed) {
    z_stream s{};
    if (inflateInit2(&s, -MAX_WBITS) != Z_OK) {
      return Internal("zlib 初始化失败");
    }
    std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&s, inflateEnd);
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    s.avail_in = static_cast<uInt>(packed.size());
    std::string out;
    char buffer[64 * 1024];
    for (;;) {
      s.next_out = reinterpret_cast<Bytef*>(buffer);
      s.avail_out = sizeof(buffer);
      const int rc = inflate(&s, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END) {
        return Bad(fmt::format("{} 解压失败（{}）", name, s.msg != nullptr ? s.msg : "数据损坏"));
      }
      const size_t produced = sizeof(buffer) - s.avail_out;
      if (out.size() + produced > kMaxXlsxEntryBytes) {
        return Bad(fmt::format("{} 解压后超过 {} MiB", name, kMaxXlsxEntryBytes >> 20));
      }
      out.append(buffer, produced);
      if (rc == Z_STREAM_END) {
        return out;
      }
      if (s.avail_in == 0 && produced == 0) {
        return Bad(fmt::format("{} 的压缩数据不完整", name));
      }
    }
  }

  std::string_view bytes_;
  std::map<std::string, ZipEntry> entries_;
};

// A minimal element tree; names and attribute names lose their namespace prefix.
struct XmlNode {
  std::string name;
  std::map<std::string, std::string> attrs;
  std::string text;
  std::vector<std::unique_ptr<XmlNode>> children;

  const XmlNode* Child(std::string_view n) const {
    for (const auto& c : children) {
      if (c->name == n) return c.get();
    }
    return nullptr;
  }
  std::string Attr(const std::string& n) const {
    const auto it = attrs.find(n);
    return it == attrs.end() ? std::string() : it->second;
  }
};

std::string LocalName(const char* name) {
  std::string_view n(name);
  const size_t colon = n.rfind(':');
  return std::string(colon == std::string_view::npos ? n : n.substr(colon + 1));
}

struct XmlBuilder {
  XML_Parser parser = nullptr;
  std::unique_ptr<XmlNode> root;
  std::vector<XmlNode*> stack;
  std::string failure;

  void Stop(std::string why) {
    if (failure.empty()) failure = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }

  static void OnStart(void* data, const XML_Char* name, const XML_Char** attrs) {
    auto* b = static_cast<XmlBuilder*>(data);
    if (b->stack.size() >= kMaxXmlDepth) {
      b->Stop("元素嵌套过深");
      return;
    }
    auto node = std::make_unique<XmlNode>();
    node->name = LocalName(name);
    for (size_t i = 0; attrs[i] != nullptr && attrs[i + 1] != nullptr; i += 2) {
      node->attrs[LocalName(attrs[i])] = attrs[i + 1];
    }
    XmlNode* raw = node.get();
    if (b->stack.empty()) {
      if (b->root) {
        b->Stop("多个根元素");
        return;
      }
      b->root = std::move(node);
    } else {
      b->stack.back()->children.push_back(std::move(node));
    }
    b->stack.push_back(raw);
  }

  static void OnEnd(void* data, const XML_Char* /*name*/) {
    auto* b = static_cast<XmlBuilder*>(data);
    if (!b->stack.empty()) b->stack.pop_back();
  }

  static void OnText(void* data, const XML_Char* s, int len) {
    auto* b = static_cast<XmlBuilder*>(data);
    if (!b->stack.empty() && len > 0) {
      b->stack.back()->text.append(s, static_cast<size_t>(len));
    }
  }

  static void OnDoctype(void* data, const XML_Char* /*name*/, const XML_Char* /*sysid*/,
                        const XML_Char* /*pubid*/, int /*has_internal_subset*/) {
    static_cast<XmlBuilder*>(data)->Stop("不允许 DOCTYPE 声明");
  }
};

// Iterative teardown: a deep tree must not recurse in destructors.
void FreeTree(std::unique_ptr<XmlNode> root) {
  std::vector<std::unique_ptr<XmlNode>> pending;
  if (root) pending.push_back(std::move(root));
  while (!pending.empty()) {
    std::unique_ptr<XmlNode> n = std::move(pending.back());
    pending.pop_back();
    for (auto& c : n->children) pending.push_back(std::move(c));
  }
}

using XmlTree = std::unique_ptr<XmlNode, void (*)(XmlNode*)>;

XmlTree MakeTree(std::unique_ptr<XmlNode> root) {
  return XmlTree(root.release(), [](XmlNode* n) { FreeTree(std::unique_ptr<XmlNode>(n)); });
}

Result<XmlTree> ParseXml(const std::string& part, std::string_view xml) {
  if (xml.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return Bad(fmt::format("{} 过大", part));
  }
  XmlBuilder b;
  b.parser = XML_ParserCreate("UTF-8");
  if (b.parser == nullptr) {
    return Internal("expat 初始化失败");
  }
  std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> guard(b.parser, XML_ParserFree);
  XML_SetUserData(b.parser, &b);
  XML_SetElementHandler(b.parser, &XmlBuilder::OnStart, &XmlBuilder::OnEnd);
  XML_SetCharacterDataHandler(b.parser, &XmlBuilder::OnText);
  XML_SetStartDoctypeDeclHandler(b.parser, &XmlBuilder::OnDoctype);
  const auto status = XML_Parse(b.parser, xml.data(), static_cast<int>(xml.size()), XML_TRUE);
  if (status != XML_STATUS_OK || !b.failure.empty() || !b.root) {
    std::string why = b.failure;
    if (why.empty()) {
      why = b.root ? XML_ErrorString(XML_GetErrorCode(b.parser)) : "没有根元素";
    }
    const auto line = XML_GetCurrentLineNumber(b.parser);
    FreeTree(std::move(b.root));
    return Bad(fmt::format("{} 第 {} 行 XML 格式错误：{}", part, line, why));
  }
  return MakeTree(std::move(b.root));
}

// Text of a shared or inline string item: <t> or the <t> of each rich-text run <r>.
std::string StringItem(const XmlNode& si) {
  if (const XmlNode* t = si.Child("t")) {
    return t->text;
  }
  std::string out;
  for (const auto& r : si.children) {
    if (r->name == "r") {
      if (const XmlNode* t = r->Child("t")) out += t->text;
    }
  }
  return out;
}

// "B3" -> (2, 1); nullopt when malformed or beyond the caps.
std::optional<std::pair<size_t, size_t>> ParseRef(std::string_view ref) {
  size_t col = 0;
  size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
    col = col * 26 + static_cast<size_t>(ref[i] - 'A' + 1);
    if (col > kMaxXlsxColumns) return std::nullopt;
    ++i;
  }
  size_t row = 0;
  const size_t digits = i;
  while (i < ref.size() && ref[i] >= '0' && ref[i] <= '9') {
    row = row * 10 + static_cast<size_t>(ref[i] - '0');
    if (row > kMaxXlsxRows) return std::nullopt;
    ++i;
  }
  if (col == 0 || row == 0 || i != ref.size() || digits == i) return std::nullopt;
  return std::make_pair(row - 1, col - 1);
}

std::string ResolveTarget(std::string target) {
  if (!target.empty() && target[0] == '/') return target.substr(1);
  return "xl/" + target;
}

Result<XlsxSheet> ReadSheet(const Zip& zip, const std::string& part, std::string name,
                            const std::vector<std::string>& shared) {
  HOTLINE_ASSIGN_OR_RETURN(std::string xml, zip.Read(part));
  HOTLINE_ASSIGN_OR_RETURN(XmlTree tree, ParseXml(part, xml));
  XlsxSheet sheet;
  sheet.name = std::move(name);
  const XmlNode* data = tree->Child("sheetData");
  if (data == nullptr) {
    return sheet;
  }
  size_t next_row = 0;
  for (const auto& row : data->children) {
    if (row->name != "row") continue;
    size_t r = next_row;
    if (const std::string rr = row->Attr("r"); !rr.empty()) {
      const auto parsed = ParseRef("A" + rr);
      if (!parsed) return Bad(fmt::format("工作表“{}”的行号“{}”无效", sheet.name, rr));
      r = parsed->first;
    }
    next_row = r + 1;
    size_t next_col = 0;
    for (const auto& c : row->children) {
      if (c->name != "c") continue;
      size_t col = next_col;
      if (const std::string ref = c->Attr("r"); !ref.empty()) {
        const auto parsed = ParseRef(ref);
        if (!parsed) return Bad(fmt::format("工作表“{}”的单元格引用“{}”无效", sheet.name, ref));
        r = parsed->first;
        col = parsed->second;
      }
      if (col >= kMaxXlsxColumns) {
        return Bad(fmt::format("工作表“{}”超过 {} 列", sheet.name, kMaxXlsxColumns));
      }
      next_col = col + 1;
      const std::string type = c->Attr("t");
      const XmlNode* v = c->Child("v");
      std::string value;
      if (type == "s") {
        const std::string index = v != nullptr ? v->text : std::string();
        size_t idx = 0;
        bool ok = !index.empty() && index.size() < 10;
        for (char ch : index) {
          ok = ok && ch >= '0' && ch <= '9';
          if (ok) idx = idx * 10 + static_cast<size_t>(ch - '0');
        }
        if (!ok || idx >= shared.size()) {
          return Bad(fmt::format("工作表“{}” {}: 共享字符串序号“{}”无效", sheet.name,
                                 XlsxCellRef(r, col), index));
        }
        value = shared[idx];
      } else if (type == "inlineStr") {
        if (const XmlNode* is = c->Child("is")) value = StringItem(*is);
      } else if (v != nullptr) {
        value = v->text;
      }
      if (value.empty()) continue;
      if (sheet.cells.size() <= r) sheet.cells.resize(r + 1);
      auto& cells = sheet.cells[r];
      if (cells.size() <= col) cells.resize(col + 1);
      cells[col] = std::move(value);
    }
  }
  return sheet;
}

}  // namespace

const std::string& XlsxSheet::At(size_t row, size_t col) const {
  static const std::string kEmpty;
  if (row >= cells.size() || col >= cells[row].size()) return kEmpty;
  return cells[row][col];
}

std::string XlsxCellRef(size_t row, size_t col) {
  std::string letters;
  for (size_t c = col + 1; c > 0; c = (c - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  }
  return letters + std::to_string(row + 1);
}

Result<XlsxWorkbook> ReadXlsx(std::string_view bytes) {
  HOTLINE_ASSIGN_OR_RETURN(Zip zip, Zip::Open(bytes));
  HOTLINE_ASSIGN_OR_RETURN(std::string workbook_xml, zip.Read("xl/workbook.xml"));
  HOTLINE_ASSIGN_OR_RETURN(XmlTree workbook, ParseXml("xl/workbook.xml", workbook_xml));
  HOTLINE_ASSIGN_OR_RETURN(std::string rels_xml, zip.Read("xl/_rels/workbook.xml.rels"));
  HOTLINE_ASSIGN_OR_RETURN(XmlTree rels, ParseXml("xl/_rels/workbook.xml.rels", rels_xml));
  std::map<std::string, std::string> targets;
  for (const auto& r : rels->children) {
    if (r->name == "Relationship") targets[r->Attr("Id")] = ResolveTarget(r->Attr("Target"));
  }
  std::vector<std::string> shared;
  if (zip.Has("xl/sharedStrings.xml")) {
    HOTLINE_ASSIGN_OR_RETURN(std::string sst_xml, zip.Read("xl/sharedStrings.xml"));
    HOTLINE_ASSIGN_OR_RETURN(XmlTree sst, ParseXml("xl/sharedStrings.xml", sst_xml));
    for (const auto& si : sst->children) {
      if (si->name == "si") shared.push_back(StringItem(*si));
    }
  }
  XlsxWorkbook out;
  const XmlNode* sheets = workbook->Child("sheets");
  if (sheets == nullptr) {
    return Bad("xl/workbook.xml 中没有工作表列表");
  }
  for (const auto& s : sheets->children) {
    if (s->name != "sheet") continue;
    const std::string name = s->Attr("name");
    const auto it = targets.find(s->Attr("id"));
    if (it == targets.end()) {
      return Bad(fmt::format("工作表“{}”在 workbook.xml.rels 中没有对应文件", name));
    }
    HOTLINE_ASSIGN_OR_RETURN(XlsxSheet sheet, ReadSheet(zip, it->second, name, shared));
    out.sheets.push_back(std::move(sheet));
  }
  return out;
}

}  // namespace hotline::adapters::fiscal

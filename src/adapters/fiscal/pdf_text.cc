#include "adapters/fiscal/pdf_text.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace hotline::adapters::fiscal {
namespace {

constexpr const char* kPdfToText = "pdftotext";

// Runs argv, returning its exit status and stdout. -1 when it could not start.
int Run(const std::vector<std::string>& argv, std::string* out) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    return -1;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    std::FILE* devnull = std::fopen("/dev/null", "w");
    if (devnull != nullptr) {
      dup2(fileno(devnull), STDERR_FILENO);
    }
    std::vector<char*> args;
    for (const auto& a : argv) {
      args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  std::array<char, 8192> buf{};
  for (;;) {
    const ssize_t n = read(pipe_fds[0], buf.data(), buf.size());
    if (n > 0) {
      out->append(buf.data(), static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    break;
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

bool PdfToTextAvailable() {
  std::string out;
  // `pdftotext -v` exits 0 (recent poppler) or 99 (old); 127 means not found.
  const int rc = Run({kPdfToText, "-v"}, &out);
  return rc == 0 || rc == 99;
}

Result<std::string> ExtractPdfText(const std::filesystem::path& pdf) {
  if (!PdfToTextAvailable()) {
    return Unavailable("没有找到 pdftotext（请安装 Debian 软件包 poppler-utils）");
  }
  std::string out;
  const int rc = Run({kPdfToText, "-layout", "-enc", "UTF-8", pdf.string(), "-"}, &out);
  if (rc != 0) {
    return InvalidArgument(fmt::format("pdftotext 无法读取 {}（退出码 {}）", pdf.string(), rc));
  }
  return LayoutToTabs(out);
}

std::string LayoutToTabs(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\f') {
      out.push_back('\n');  // a page break: the parser tolerates blank lines
      ++i;
      continue;
    }
    if (c == ' ') {
      size_t j = i;
      while (j < text.size() && text[j] == ' ') {
        ++j;
      }
      const size_t run = j - i;
      const bool line_start = out.empty() || out.back() == '\n';
      const bool line_end = j >= text.size() || text[j] == '\n' || text[j] == '\r';
      if (run >= 2 && !line_start && !line_end) {
        out.push_back('\t');
      } else if (run == 1 && !line_start && !line_end) {
        out.push_back(' ');
      } else if (run >= 2 && line_start && !line_end) {
        out.push_back('\t');  // an empty first cell
      }
      i = j;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace hotline::adapters::fiscal

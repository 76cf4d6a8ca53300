#include "adapters/pdf/pdf.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace hotline::adapters::pdf {
namespace {

namespace fs = std::filesystem;

bool IsExecutable(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::string SearchPath(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return IsExecutable(name) ? name : std::string();
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::stringstream ss(dirs);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + name;
    if (IsExecutable(candidate)) return candidate;
  }
  return {};
}

// A temporary directory removed (with its content) when this goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "hotline-pdf-XXXXXX").string();
    if (char* made = ::mkdtemp(pattern.data()); made != nullptr) path_ = made;
  }
  ~TempDir() {
    if (!path_.empty()) {
      std::error_code ec;
      fs::remove_all(path_, ec);
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal(fmt::format("无法读取文件 {}", path));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs argv with stdout/stderr to `log`; kills it after `timeout`. Returns the exit status.
Result<int> Run(const std::vector<std::string>& argv, const std::string& log,
                std::chrono::seconds timeout) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group, so a timeout kills the browser's helper processes too.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return Internal(fmt::format("无法启动 {}（错误 {}）", argv[0], rc));

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) return Internal("等待浏览器进程失败");
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return Internal(fmt::format("生成 PDF 超时（{} 秒）", timeout.count()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // The browser's helpers may outlive the main process briefly; do not leave them behind.
  ::kill(-pid, SIGKILL);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Tail(const std::string& text, size_t n) {
  return text.size() <= n ? text : text.substr(text.size() - n);
}

// Renders into dir/out.pdf and returns its path.
Result<std::string> Render(std::string_view html, const TempDir& dir, const PdfOptions& options) {
  auto browser = FindBrowser(options);
  if (!browser.has_value()) return browser.error();
  if (dir.path().empty()) return Internal("无法创建临时目录");
  const std::string input = dir.path() + "/document.html";
  const std::string output = dir.path() + "/out.pdf";
  const std::string log = dir.path() + "/browser.log";
  {
    std::ofstream out(input, std::ios::binary);
    out.write(html.data(), static_cast<std::streamsize>(html.size()));
    if (!out) return Internal("无法写入临时 HTML 文件");
  }
  std::vector<std::string> argv = {*browser,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-dev-shm-usage",
                                   "--no-first-run",
                                   "--disable-extensions",
                                   "--user-data-dir=" + dir.path() + "/profile",
                                   "--no-pdf-header-footer",
                                   "--print-to-pdf=" + output,
                                   "file://" + input};
  auto rc = Run(argv, log, options.timeout);
  if (!rc.has_value()) return rc.error();
  auto pdf = ReadFile(output);
  if (*rc != 0 || !pdf.has_value() || pdf->rfind("%PDF-", 0) != 0) {
    auto text = ReadFile(log);
    return Internal(fmt::format("浏览器未能生成 PDF（退出码 {}）：{}", *rc,
                                text.has_value() ? Tail(*text, 400) : std::string()));
  }
  return output;
}

}  // namespace

Result<std::string> FindBrowser(const PdfOptions& options) {
  std::vector<std::string> candidates;
  if (!options.browser.empty()) {
    candidates.push_back(options.browser);
  } else if (const char* env = std::getenv("HOTLINE_CHROMIUM"); env != nullptr && *env != '\0') {
    candidates.emplace_back(env);
  } else {
    candidates = {"chromium", "chromium-browser", "google-chrome"};
  }
  for (const auto& c : candidates) {
    if (auto found = SearchPath(c); !found.empty()) return found;
  }
  return Unavailable(
      fmt::format("生成 PDF 需要 chromium（未找到 {}；Debian 上可执行 apt-get install chromium）",
                  candidates.front()));
}

Status HtmlToPdf(std::string_view html, const std::string& out_path, const PdfOptions& options) {
  TempDir dir;
  auto rendered = Render(html, dir, options);
  if (!rendered.has_value()) return rendered.error();
  // Copy next to the destination, then rename: readers never see a partial file.
  const std::string tmp = out_path + ".tmp";
  std::error_code ec;
  fs::copy_file(*rendered, tmp, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(tmp, out_path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Internal(fmt::format("无法写入 {}", out_path));
  }
  return OkStatus();
}

Result<std::string> HtmlToPdfBytes(std::string_view html, const PdfOptions& options) {
  TempDir dir;
  auto rendered = Render(html, dir, options);
  if (!rendered.has_value()) return rendered.error();
  return ReadFile(*rendered);
}

}  // namespace hotline::adapters::pdf

// hotline serve: the HTTP API over a store. Configured by flags, environment
// (HOTLINE_STORE, HOTLINE_LISTEN, HOTLINE_THREADS) and an optional key=value config file.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "adapters/http/api.h"
#include "adapters/http/http_server.h"
#include "cli/commands.h"
#include "cli/common.h"

namespace hotline::cli {
namespace {

struct ServeArgs {
  std::string store = "var/hotline.db";
  std::string listen = "127.0.0.1:8080";
  int threads = 8;
  size_t max_body = 1 << 20;
};

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

void RunServe(ServeArgs args) {
  auto colon = args.listen.rfind(':');
  if (colon == std::string::npos) {
    return Fail("--listen 应为 地址:端口，例如 127.0.0.1:8080");
  }
  int port = std::atoi(args.listen.substr(colon + 1).c_str());
  if (port < 0 || port > 65535 || args.threads < 1) {
    return Fail("端口应在 0-65535 之间，线程数至少为 1");
  }
  auto session = OpenSession(args.store);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  adapters::http::Api api(*session->service, *session->store, *session->clock,
                          session->store.get());
  adapters::http::ServerOptions options;
  options.address = args.listen.substr(0, colon);
  options.port = static_cast<uint16_t>(port);
  options.threads = args.threads;
  options.max_body_bytes = args.max_body;
  adapters::http::HttpServer server(
      options, [&api](const adapters::http::HttpRequest& r) { return api.Handle(r); });
  auto bound = server.Start();
  if (!bound.has_value()) {
    return Fail(bound.error());
  }
  std::printf("hotline 已启动: http://%s:%u  （数据库 %s，按 Ctrl-C 或发送 SIGTERM 停止）\n",
              options.address.c_str(), *bound, args.store.c_str());
  std::printf("健康检查 /healthz，接口 /api/v1/...，登录 POST /api/v1/auth/login\n");
  std::fflush(stdout);
  server.RunUntilSignalled();
  std::printf("hotline 已停止\n");
}

}  // namespace

void RegisterServeCommands(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "启动 HTTP 服务（JSON API）");
  cmd->set_config("--config", "", "配置文件（key = value，与命令行选项同名）");
  cmd->add_option("--store", args->store, "数据库文件路径（环境变量 HOTLINE_STORE）")
      ->capture_default_str();
  cmd->add_option("--listen", args->listen, "监听地址:端口（环境变量 HOTLINE_LISTEN）")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "I/O 线程数（环境变量 HOTLINE_THREADS）")
      ->capture_default_str();
  cmd->add_option("--max-body", args->max_body, "请求体上限（字节）")->capture_default_str();
  cmd->callback([args, cmd] {
    ServeArgs a = *args;
    if (cmd->count("--store") == 0) {
      a.store = EnvOr("HOTLINE_STORE", a.store);
    }
    if (cmd->count("--listen") == 0) {
      a.listen = EnvOr("HOTLINE_LISTEN", a.listen);
    }
    if (cmd->count("--threads") == 0) {
      a.threads = std::atoi(EnvOr("HOTLINE_THREADS", std::to_string(a.threads)).c_str());
    }
    RunServe(a);
  });
}

}  // namespace hotline::cli

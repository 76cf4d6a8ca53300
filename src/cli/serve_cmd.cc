// hotline serve: the HTTP API over a store. Configured by flags, environment
// (HOTLINE_STORE, HOTLINE_LISTEN, HOTLINE_THREADS) and an optional key=value config file.
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/classify/model_registry.h"
#include "adapters/classify/suggestion_recorder.h"
#include "adapters/classify/swappable_classifier.h"
#include "adapters/http/admin_api.h"
#include "adapters/http/api.h"
#include "adapters/http/classify_api.h"
#include "adapters/http/export_api.h"
#include "adapters/http/hot_topics_api.h"
#include "adapters/http/http_server.h"
#include "adapters/http/kb_api.h"
#include "adapters/http/kpi_api.h"
#include "adapters/http/programmes_api.h"
#include "adapters/http/report_api.h"
#include "adapters/http/telephony_api.h"
#include "adapters/http/text_api.h"
#include "adapters/security/password.h"
#include "adapters/sqlite/shared_kb.h"
#include "adapters/text/tokenizer.h"
#include "app/deadline_jobs.h"
#include "cli/commands.h"
#include "cli/common.h"

namespace hotline::cli {
namespace {

struct ServeArgs {
  std::string store = "var/hotline.db";
  std::string listen = "127.0.0.1:8080";
  int threads = 8;
  size_t max_body = 1 << 20;
  size_t max_import_body = size_t{32} << 20;  // POST /api/v1/kb/import (a whole file)
  std::string web_root;                       // "" = web/dist beside the data folder, when built
  std::string model;         // classifier model file ("" = the store's active version, else
                             // var/classify.model if present)
  int jobs_interval = 60;    // seconds between time-limit job passes; 0 = off
  int retrain_interval = 0;  // days between scheduled classifier retrainings; 0 = off
  // Hot-topics index snapshot (docs/hot_topics.md): "" = the store's path + ".hot-snapshot";
  // "off" = none.
  std::string hot_snapshot;
  int hot_snapshot_interval = 600;  // seconds between snapshots while serving
};

// How often the server looks for a newly activated classifier version in the store.
constexpr int kModelPollSeconds = 30;
// How long a stopping server goes on recording queued suggestions (10,000 at most, about
// 0.5 ms each); the rest are counted as dropped.
constexpr int kSuggestionDrainSeconds = 30;

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
  adapters::http::ApiOptions api_options;
  api_options.web_root = args.web_root;
  if (api_options.web_root.empty()) {
    auto built = DataDir().parent_path() / "web" / "dist";
    if (std::filesystem::exists(built / "index.html")) {
      api_options.web_root = built.string();
    }
  }
  if (auto expired = session->store->DeleteExpiredSessions(session->clock->Now());
      !expired.has_value()) {
    return Fail(expired.error());
  }
  adapters::http::Api api({*session->service, *session->store, *session->store, *session->clock,
                           session->store.get(), session->store.get()},
                          api_options);
  api.AddModule(std::make_shared<adapters::http::AdminApi>(*session->service, *session->store));
  api.AddModule(std::make_shared<adapters::http::KpiApi>(*session->service, *session->store));
  auto report_api = std::make_shared<adapters::http::ReportApi>(*session->service, *session->store,
                                                                *session->store);
  report_api->EnableCampaigns(*session->store, *session->store, *session->clock);
  api.AddModule(report_api);
  api.AddModule(std::make_shared<adapters::http::TelephonyApi>(*session->store));
  api.AddModule(std::make_shared<adapters::http::ProgrammesApi>(*session->service, *session->store,
                                                                *session->store, *session->clock));

  // The text side: knowledge base, similar open tickets, category suggestions.
  // One knowledge base shared by the search (TextApi) and its management (KbApi); the
  // tokenizer is the knowledge base's (the default lexicon plus the one in the store).
  auto kb = adapters::sqlite::SharedKb::Open(args.store, false);
  if (!kb.has_value()) {
    return Fail(kb.error());
  }
  // KB searches are served from an in-memory index loaded in the background (docs/kb.md).
  if (auto memory = (*kb)->EnableMemoryIndex(); !memory.has_value()) {
    return Fail(memory.error());
  }
  const std::shared_ptr<const adapters::text::Tokenizer> tokenizer = (*kb)->tokenizer();
  // The classifier: a --model file wins; else the store's active version (followed by the
  // classifier thread below, so an activated version is hot-swapped); else
  // var/classify.model when present. Without a model the intake gets no suggestion.
  adapters::classify::SwappableClassifier classifier;
  adapters::classify::ModelWatcher watcher(*session->store, classifier);
  const bool watch_store = args.model.empty();
  std::string model = args.model;
  if (watch_store) {
    auto served = watcher.Refresh();
    if (!served.has_value()) {
      std::fprintf(stderr, "hotline serve: 分类模型未加载（%s），登记时不提供分类建议\n",
                   served.error().message.c_str());
    } else if (served->has_value()) {
      std::printf("分类模型: 库中版本 v%lld\n", static_cast<long long>(**served));
    } else if (std::filesystem::exists("var/classify.model")) {
      model = "var/classify.model";
    }
  }
  if (!model.empty()) {
    if (auto st = classifier.LoadAndSwap(model); !st.has_value()) {
      // Intake works without suggestions; say why there are none.
      std::fprintf(stderr, "hotline serve: 分类模型未加载（%s），登记时不提供分类建议\n",
                   st.error().message.c_str());
    }
  }
  auto text_api = std::make_shared<adapters::http::TextApi>(
      adapters::http::TextApiDeps{*session->service, *session->store,
                                  adapters::sqlite::SharedKb::Proxy(*kb), *tokenizer, &classifier});
  text_api->FollowTokenizer([shared = *kb] { return shared->tokenizer(); });
  // The suggestion for every registered ticket, recorded off the request path.
  adapters::classify::SuggestionRecorder recorder(*session->service, *session->store, classifier,
                                                  *session->clock);
  recorder.Start();
  auto classify_api = std::make_shared<adapters::http::ClassifyApi>(*session->store, [&] {
    if (watch_store) {
      (void)watcher.Refresh();
    }
  });
  classify_api->SetRecorder(&recorder);  // its counters in /metrics
  api.AddModule(classify_api);
  text_api->LoadOpenTickets(/*async=*/true);
  // A lexicon change rebuilds the similarity index aside with the new tokenizer.
  (*kb)->OnLexiconChange([weak = std::weak_ptr<adapters::http::TextApi>(text_api)](
                             std::shared_ptr<const adapters::text::Tokenizer> t) {
    if (auto module = weak.lock()) {
      module->RebuildSimilar(std::move(t));
    }
  });
  api.AddModule(text_api);
  api.AddModule(std::make_shared<adapters::http::KbApi>(*kb));
  api.AddModule(std::make_shared<adapters::http::ExportApi>(*session->service));
  // Hot topics and clusters (docs/hot_topics.md), also in the daily and weekly reports.
  auto hot_topics_api = std::make_shared<adapters::http::HotTopicsApi>(*session->store, *tokenizer);
  // Recent tickets kept in memory for hot topics and clusters: fed by the change feed, loaded
  // at start, rebuilt aside with the new tokenizer when the lexicon changes.
  // A snapshot of it is written every few minutes and when the server stops, and read at start.
  adapters::text::HotTopicIndexOptions hot_options;
  hot_options.snapshot_path = args.hot_snapshot.empty()    ? args.store + ".hot-snapshot"
                              : args.hot_snapshot == "off" ? ""
                                                           : args.hot_snapshot;
  hot_options.snapshot_interval_seconds = args.hot_snapshot_interval;
  auto hot_index = std::make_shared<adapters::text::LiveHotTopicIndex>(
      *session->store, tokenizer, [&session] { return session->clock->Now(); }, hot_options);
  const int64_t hot_subscription = session->service->feed().Subscribe(
      [hot_index](const app::TicketChange& c) { hot_index->Apply(c.ticket); });
  hot_index->Start();
  const int64_t hot_lexicon =
      (*kb)->OnLexiconChange([weak = std::weak_ptr<adapters::text::LiveHotTopicIndex>(hot_index)](
                                 std::shared_ptr<const adapters::text::Tokenizer> t) {
        if (auto live = weak.lock()) {
          live->Rebuild(std::move(t));
        }
      });
  hot_topics_api->SetIndex(hot_index);
  hot_topics_api->FollowTokenizer([shared = *kb] { return shared->tokenizer(); });
  api.AddModule(hot_topics_api);
  report_api->SetHotTopicProvider(adapters::http::MakeReportHotTopicProvider(
      *session->store, [&session] { return session->service->config(); }, *tokenizer,
      [hot_index] { return hot_index->current(); }, [&session] { return session->clock->Now(); }));
  adapters::http::ServerOptions options;
  options.address = args.listen.substr(0, colon);
  options.port = static_cast<uint16_t>(port);
  options.threads = args.threads;
  options.max_body_bytes = args.max_body;
  options.route_body_limits.push_back(
      {std::string(adapters::http::KbApi::kImportPath), args.max_import_body});
  adapters::http::HttpServer server(
      options, [&api](const adapters::http::HttpRequest& r) { return api.Handle(r); });
  auto bound = server.Start();
  if (!bound.has_value()) {
    return Fail(bound.error());
  }
  // The time-limit jobs (reminders, overdue urges, supervision) every interval.
  std::mutex jobs_mu;
  std::condition_variable jobs_cv;
  bool stopping = false;
  std::thread jobs;
  if (args.jobs_interval > 0) {
    jobs = std::thread([&] {
      app::DeadlineJobs runner(*session->service, *session->store, *session->store);
      std::unique_lock lock(jobs_mu);
      while (!stopping) {
        lock.unlock();
        auto report = runner.RunOnce(session->clock->Now());
        if (!report.has_value()) {
          std::fprintf(stderr, "hotline serve: 时限任务失败: %s\n", report.error().message.c_str());
        } else if (report->reminded + report->urged + report->supervised + report->failed > 0) {
          std::printf(
              "时限任务: 提醒 %lld，催办 %lld，督办 %lld，失败 %lld\n",
              static_cast<long long>(report->reminded), static_cast<long long>(report->urged),
              static_cast<long long>(report->supervised), static_cast<long long>(report->failed));
          std::fflush(stdout);
        }
        lock.lock();
        jobs_cv.wait_for(lock, std::chrono::seconds(args.jobs_interval), [&] { return stopping; });
      }
    });
  }
  // The classifier thread: follows the store's active model and runs the scheduled retraining.
  std::thread classify_jobs;
  if (watch_store || args.retrain_interval > 0) {
    classify_jobs = std::thread([&] {
      adapters::classify::RetrainJob retrain(*session->store, {}, args.retrain_interval);
      std::unique_lock lock(jobs_mu);
      while (!stopping) {
        lock.unlock();
        if (args.retrain_interval > 0) {
          auto report =
              retrain.RunOnce(session->clock->Now(), session->service->config()->categories);
          if (!report.has_value()) {
            std::fprintf(stderr, "hotline serve: 定期重新训练分类模型未完成: %s\n",
                         report.error().message.c_str());
          } else if (report->has_value()) {
            std::printf("分类模型重新训练: v%lld，留出集准确率 %.3f，%s\n",
                        static_cast<long long>((*report)->version), (*report)->eval.accuracy,
                        (*report)->decision.c_str());
            std::fflush(stdout);
          }
        }
        if (watch_store) {
          if (auto served = watcher.Refresh(); !served.has_value()) {
            std::fprintf(stderr, "hotline serve: 新启用的分类模型未加载，继续使用原模型: %s\n",
                         served.error().message.c_str());
          }
        }
        lock.lock();
        jobs_cv.wait_for(lock, std::chrono::seconds(kModelPollSeconds), [&] { return stopping; });
      }
    });
  }
  std::printf("hotline 已启动: http://%s:%u  （数据库 %s，按 Ctrl-C 或发送 SIGTERM 停止）\n",
              options.address.c_str(), *bound, args.store.c_str());
  std::printf("健康检查 /healthz，接口 /api/v1/...，登录 POST /api/v1/auth/login\n");
  if (!api_options.web_root.empty()) {
    std::printf("网页控制台 http://%s:%u/ （%s）\n", options.address.c_str(), *bound,
                api_options.web_root.c_str());
  } else {
    std::printf("未找到网页控制台（先构建 web/：make web），只提供 JSON API\n");
  }
  std::fflush(stdout);
  server.RunUntilSignalled();
  session->service->feed().Unsubscribe(hot_subscription);
  (*kb)->Unsubscribe(hot_lexicon);
  hot_index->Stop();  // a load still running is cancelled, not waited for
  {
    std::lock_guard lock(jobs_mu);
    stopping = true;
  }
  jobs_cv.notify_all();
  if (jobs.joinable()) {
    jobs.join();
  }
  if (classify_jobs.joinable()) {
    classify_jobs.join();
  }
  // Every suggestion queued is recorded before exit (one transaction per batch); what a
  // stuck store leaves after the limit is counted as dropped, never half-written.
  recorder.Stop(std::chrono::seconds(kSuggestionDrainSeconds));
  const auto suggestions = recorder.stats();
  std::printf(
      "分类建议: 记录 %lld，跳过 %lld，失败 %lld，丢弃 %lld（%lld 个事务）\n",
      static_cast<long long>(suggestions.recorded), static_cast<long long>(suggestions.skipped),
      static_cast<long long>(suggestions.failed), static_cast<long long>(suggestions.dropped),
      static_cast<long long>(suggestions.batches));
  std::fflush(stdout);  // said even if tearing down the modules below fails
  std::printf("hotline 已停止\n");
}

void RunApiKeyCreate(const std::string& store, const std::string& name, const std::string& login) {
  auto session = OpenSession(store);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  if (name.empty()) {
    return Fail("--name 不能为空（写明用途，如 电话系统）");
  }
  if (auto actor = session->config->org.ActorFor(login); !actor.has_value()) {
    return Fail(actor.error());
  }
  std::string key = "hk_" + adapters::security::RandomToken(24);
  ports::ApiKeyRecord rec;
  rec.name = name;
  rec.login = login;
  rec.key_hash = adapters::security::Sha256Hex(key);
  rec.prefix = key.substr(0, 10);
  rec.created = session->clock->Now();
  auto id = session->store->CreateApiKey(rec);
  if (!id.has_value()) {
    return Fail(id.error());
  }
  (void)session->store->Append({rec.created, "cli", "apikey.create", login, name, "local"});
  std::printf("%s\n", key.c_str());
  std::fprintf(stderr,
               "API 密钥 #%lld（%s，以 %s 的身份）已创建；密钥只显示这一次。\n"
               "调用时加请求头 X-API-Key: <密钥>\n",
               static_cast<long long>(*id), name.c_str(), login.c_str());
}

void RunApiKeyList(const std::string& store) {
  auto session = OpenSession(store);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  auto keys = session->store->ListApiKeys();
  if (!keys.has_value()) {
    return Fail(keys.error());
  }
  for (const auto& k : *keys) {
    std::printf("%lld\t%s…\t%s\t%s\t%s\t%s\n", static_cast<long long>(k.id), k.prefix.c_str(),
                k.name.c_str(), k.login.c_str(), FormatLocal(k.created).c_str(),
                k.revoked ? ("已吊销 " + FormatLocal(*k.revoked)).c_str() : "有效");
  }
}

void RunApiKeyRevoke(const std::string& store, int64_t id) {
  auto session = OpenSession(store);
  if (!session.has_value()) {
    return Fail(session.error());
  }
  auto st = session->store->RevokeApiKey(id, session->clock->Now());
  if (!st.has_value()) {
    return Fail(st.error());
  }
  (void)session->store->Append(
      {session->clock->Now(), "cli", "apikey.revoke", std::to_string(id), "", "local"});
  std::printf("API 密钥 #%lld 已吊销\n", static_cast<long long>(id));
}

}  // namespace

void RegisterApiKeyCommands(CLI::App& app) {
  auto store = std::make_shared<std::string>("var/hotline.db");
  auto name = std::make_shared<std::string>();
  auto login = std::make_shared<std::string>();
  auto id = std::make_shared<int64_t>(0);
  auto* cmd =
      app.add_subcommand("apikey", "系统接入的 API 密钥（电话系统、省平台、Open311 客户端）");
  cmd->require_subcommand(1);
  auto* create = cmd->add_subcommand("create", "创建密钥（打印到标准输出，只显示一次）");
  create->add_option("--store", *store, "数据库文件路径")->capture_default_str();
  create->add_option("--name", *name, "用途，例如 电话系统")->required();
  create->add_option("--login", *login, "以哪个用户的身份调用（其角色与数据范围）")->required();
  create->callback([=] { RunApiKeyCreate(*store, *name, *login); });
  auto* list = cmd->add_subcommand("list", "列出密钥（不含密钥本身）");
  list->add_option("--store", *store, "数据库文件路径")->capture_default_str();
  list->callback([=] { RunApiKeyList(*store); });
  auto* revoke = cmd->add_subcommand("revoke", "吊销密钥");
  revoke->add_option("--store", *store, "数据库文件路径")->capture_default_str();
  revoke->add_option("id", *id, "密钥编号（apikey list 的第一列）")->required();
  revoke->callback([=] { RunApiKeyRevoke(*store, *id); });
}

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
  cmd->add_option("--max-import-body", args->max_import_body,
                  "知识库导入（POST /api/v1/kb/import）的请求体上限（字节）")
      ->capture_default_str();
  cmd->add_option(
      "--model", args->model,
      "分类模型文件（hotline classify train 生成；指定时优先；默认用库中启用的模型版本，"
      "没有时用 var/classify.model）");
  cmd->add_option("--jobs-interval", args->jobs_interval,
                  "时限任务（提醒、超期催办、督办）的运行间隔秒数，0 为关闭")
      ->capture_default_str();
  cmd->add_option("--retrain-interval", args->retrain_interval,
                  "定期用已派单工单重新训练分类模型的间隔天数，0 为关闭")
      ->capture_default_str();
  cmd->add_option("--hot-snapshot", args->hot_snapshot,
                  "热点索引快照文件（默认为数据库文件名加 .hot-snapshot；off 为不用快照）");
  cmd->add_option("--hot-snapshot-interval", args->hot_snapshot_interval,
                  "运行中写热点索引快照的间隔秒数（停止时总会写），0 为只在停止时写")
      ->capture_default_str();
  cmd->add_option("--web-root", args->web_root,
                  "网页控制台文件目录（默认为源码树中已构建的 web/dist）");
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

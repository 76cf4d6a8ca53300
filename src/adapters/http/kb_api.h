// KbApi: managing the knowledge base over HTTP. Admins create articles (as drafts), edit them
// (each change a new version, with its history), publish and retire them, import and export
// whole files (JSON Lines, CSV, TSV, xlsx; all or nothing) and list them by status; every
// staff member lists the published ones; a unit sees the articles of its department that are
// past their review date; admins edit the lexicon (user dictionary, synonym groups), after
// which search uses the new tokenizer and the articles are re-indexed. Every change is audited; the
// search index is written in the same transaction as the article (SqliteKbStore). Search and the
// single article stay in TextApi.
#pragma once

#include <memory>
#include <string_view>

#include "adapters/http/api_module.h"
#include "adapters/sqlite/shared_kb.h"

namespace hotline::adapters::http {

class KbApi final : public ApiModule {
 public:
  explicit KbApi(std::shared_ptr<sqlite::SharedKb> kb);

  // The import route, whose body is a whole file: `hotline serve` gives it its own body
  // limit (--max-import-body, 32 MiB by default) instead of --max-body.
  static constexpr std::string_view kImportPath = "/api/v1/kb/import";

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;
  // The in-memory search index: ready, articles, loads, and searches by where they were
  // answered (hotline_kb_searches_total{source="index"|"store"}).
  std::string MetricsText() override;

 private:
  HttpResponse List(RequestContext& ctx);
  HttpResponse Create(RequestContext& ctx);
  HttpResponse Edit(RequestContext& ctx);
  HttpResponse SetStatus(RequestContext& ctx, domain::kb::ArticleStatus status);
  HttpResponse Versions(RequestContext& ctx);
  HttpResponse Due(RequestContext& ctx);
  HttpResponse Import(RequestContext& ctx);
  HttpResponse Export(RequestContext& ctx);
  HttpResponse Lexicon(RequestContext& ctx);
  HttpResponse AddLexicon(RequestContext& ctx, bool synonyms);
  HttpResponse RemoveLexicon(RequestContext& ctx);

  std::shared_ptr<sqlite::SharedKb> kb_;
};

}  // namespace hotline::adapters::http

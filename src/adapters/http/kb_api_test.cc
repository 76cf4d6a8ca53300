// Managing the knowledge base over real HTTP: the real server, the real SQLite store (tickets
// and knowledge base in one file), the real tokenizer; search goes through TextApi as in
// `hotline serve`, so the tests see the index follow every change.
#include "adapters/http/kb_api.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "adapters/http/api.h"
#include "adapters/http/text_api.h"
#include "adapters/text/kb_io.h"
#include "testing/api_fixture.h"
#include "testing/http_client.h"
#include "testing/matchers.h"

namespace hotline::adapters::http {
namespace {

using hotline::testing::Call;
using hotline::testing::Reply;
using nlohmann::json;
namespace fs = std::filesystem;

std::string Q(const std::string& s) { return hotline::testing::UrlEncode(s); }

class KbApiTest : public hotline::testing::ApiFixture {
 protected:
  KbApiTest() {
    api_options_.public_requests_per_minute = 1000;
    server_options_.threads = 2;
    reuse_sessions_ = true;
  }

  void OpenServices() override {
    auto kb = sqlite::SharedKb::Open(db_, false);
    ASSERT_OK(kb);
    kb_ = *kb;
    tokenizer_ = kb_->tokenizer();
  }
  void AddModules(Api& api) override {
    api.AddModule(std::make_shared<TextApi>(
        TextApiDeps{*service_, *store_, sqlite::SharedKb::Proxy(kb_), *tokenizer_, nullptr}));
    api.AddModule(std::make_shared<KbApi>(kb_));
  }
  void CloseServices() override { kb_.reset(); }

  Reply Admin(const std::string& method, const std::string& path, const json& body = nullptr) {
    return Req("admin", method, path, body.is_null() ? "" : body.dump());
  }

  std::vector<std::string> SearchIds(const std::string& q, const std::string& login = "op") {
    Reply r = Req(login, "GET", "/api/v1/kb/search?q=" + Q(q));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    const json body = r.Json();
    for (const auto& h : body["hits"]) {
      ids.push_back(h["id"]);
    }
    return ids;
  }

  std::shared_ptr<sqlite::SharedKb> kb_;
  std::shared_ptr<const text::Tokenizer> tokenizer_;
};

const json kDraft = {{"id", "faq-gjj"},
                     {"title", "住房公积金怎么提取"},
                     {"answer", "携带身份证和银行卡到公积金中心柜台办理。"},
                     {"department", "三明市住房和城乡建设局"},
                     {"category", "住房保障"},
                     {"keywords", {"公积金", "提取"}},
                     {"review_date", "2024-03-01"}};

TEST_F(KbApiTest, ADraftIsSearchableOnlyOncePublishedAndEveryEditIsAVersion) {
  Reply created = Admin("POST", "/api/v1/kb/articles", kDraft);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json()["status"], "draft");
  EXPECT_EQ(created.Json()["version"], 1);
  EXPECT_TRUE(Audited("kb.article.create", "faq-gjj"));
  // A draft: not found by operators, not readable by them, listed for the admin only.
  EXPECT_TRUE(SearchIds("公积金提取").empty());
  EXPECT_EQ(Req("op", "GET", "/api/v1/kb/articles/faq-gjj").status, 404);
  EXPECT_EQ(Admin("GET", "/api/v1/kb/articles/faq-gjj").status, 200);
  EXPECT_EQ(Req("op", "GET", "/api/v1/kb/articles").Json()["total"], 0);
  Reply drafts = Admin("GET", "/api/v1/kb/articles?status=draft");
  ASSERT_EQ(drafts.status, 200) << drafts.body;
  ASSERT_EQ(drafts.Json()["articles"].size(), 1U);
  EXPECT_EQ(drafts.Json()["counts"]["draft"], 1);

  Reply published = Admin("POST", "/api/v1/kb/articles/faq-gjj/publish", json::object());
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(published.Json()["status"], "published");
  EXPECT_EQ(published.Json()["version"], 2);
  EXPECT_TRUE(Audited("kb.article.publish", "faq-gjj"));
  EXPECT_EQ(SearchIds("公积金提取"), std::vector<std::string>{"faq-gjj"});
  EXPECT_EQ(Req("op", "GET", "/api/v1/kb/articles").Json()["total"], 1);
  EXPECT_EQ(Admin("POST", "/api/v1/kb/articles/faq-gjj/publish", json::object()).status, 409);

  // An edit based on version 2 makes version 3, and search follows the new text at once.
  Reply edited = Admin("PUT", "/api/v1/kb/articles/faq-gjj",
                       {{"version", 2}, {"answer", "可在“闽政通”手机应用上在线提取，无需跑腿。"}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.Json()["version"], 3);
  EXPECT_EQ(edited.Json()["title"], "住房公积金怎么提取");  // absent fields are kept
  EXPECT_TRUE(edited.Json()["changed"].get<bool>());
  EXPECT_TRUE(Audited("kb.article.update", "faq-gjj"));
  EXPECT_EQ(SearchIds("闽政通"), std::vector<std::string>{"faq-gjj"});
  EXPECT_TRUE(SearchIds("银行卡柜台").empty());
  // A stale edit (still based on version 2) is refused and changes nothing.
  Reply stale =
      Admin("PUT", "/api/v1/kb/articles/faq-gjj", {{"version", 2}, {"answer", "旧页面上的修改"}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(Admin("GET", "/api/v1/kb/articles/faq-gjj").Json()["version"], 3);

  Reply versions = Admin("GET", "/api/v1/kb/articles/faq-gjj/versions");
  ASSERT_EQ(versions.status, 200) << versions.body;
  const json v = versions.Json()["versions"];
  ASSERT_EQ(v.size(), 3U);
  EXPECT_EQ(v[0]["status"], "draft");
  EXPECT_EQ(v[0]["answer"], kDraft["answer"]);
  EXPECT_EQ(v[1]["status"], "published");
  EXPECT_EQ(v[2]["answer"], "可在“闽政通”手机应用上在线提取，无需跑腿。");
  EXPECT_EQ(v[2]["updated_by"], "admin");

  // Retired: out of search and of the operators' list, still in the admin's.
  ASSERT_EQ(Admin("POST", "/api/v1/kb/articles/faq-gjj/retire", json::object()).status, 200);
  EXPECT_TRUE(Audited("kb.article.retire", "faq-gjj"));
  EXPECT_TRUE(SearchIds("闽政通").empty());
  EXPECT_EQ(Req("op", "GET", "/api/v1/kb/articles").Json()["total"], 0);
  EXPECT_EQ(Admin("GET", "/api/v1/kb/articles?status=retired").Json()["total"], 1);
}

TEST_F(KbApiTest, OnlyAdminsChangeTheKnowledgeBaseAndBadInputIsRefused) {
  EXPECT_EQ(Req("op", "POST", "/api/v1/kb/articles", kDraft.dump()).status, 403);
  EXPECT_EQ(Req("housing-admin", "POST", "/api/v1/kb/articles", kDraft.dump()).status, 403);
  EXPECT_EQ(Req("op", "POST", "/api/v1/kb/import?format=jsonl", kDraft.dump()).status, 403);
  EXPECT_EQ(Req("op", "GET", "/api/v1/kb/export").status, 403);
  EXPECT_EQ(Req("op", "GET", "/api/v1/kb/articles?status=draft").status, 403);
  EXPECT_EQ(Call(port_, "GET", "/api/v1/kb/articles").status, 401);
  ASSERT_EQ(Admin("POST", "/api/v1/kb/articles", kDraft).status, 201);
  EXPECT_EQ(Req("op", "PUT", "/api/v1/kb/articles/faq-gjj", json{{"version", 1}}.dump()).status,
            403);
  EXPECT_EQ(Req("op", "GET", "/api/v1/kb/articles/faq-gjj/versions").status, 403);
  EXPECT_EQ(Admin("POST", "/api/v1/kb/articles", kDraft).status, 409);  // id taken

  json bad = kDraft;
  bad["id"] = "faq-2";
  bad["review_date"] = "2024-02-30";
  Reply r = Admin("POST", "/api/v1/kb/articles", bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.Json()["error"]["message"].get<std::string>().find("复审日期"), std::string::npos)
      << r.body;
  bad = kDraft;
  bad["id"] = "faq-3";
  bad["status"] = "published";
  EXPECT_EQ(Admin("POST", "/api/v1/kb/articles", bad).status, 400);
  bad.erase("status");
  bad["colour"] = "red";
  EXPECT_EQ(Admin("POST", "/api/v1/kb/articles", bad).status, 400);
  bad.erase("colour");
  bad["id"] = "a b/c";
  EXPECT_EQ(Admin("POST", "/api/v1/kb/articles", bad).status, 400);
  EXPECT_EQ(Admin("PUT", "/api/v1/kb/articles/faq-gjj", {{"title", "无版本号"}}).status, 400);
  EXPECT_EQ(Admin("PUT", "/api/v1/kb/articles/nope", {{"version", 1}}).status, 404);
  EXPECT_EQ(Admin("PUT", "/api/v1/kb/articles/faq-gjj", {{"version", 1}, {"title", ""}}).status,
            400);
  // An answer has no service details; a service item keeps them.
  EXPECT_EQ(
      Admin("PUT", "/api/v1/kb/articles/faq-gjj", {{"version", 1}, {"service", {{"fee", "免费"}}}})
          .Json()["service"],
      nullptr);
  Reply item = Admin("PUT", "/api/v1/kb/articles/faq-gjj",
                     {{"version", 1}, {"kind", "service_item"}, {"service", {{"fee", "免费"}}}});
  ASSERT_EQ(item.status, 200) << item.body;
  EXPECT_EQ(item.Json()["service"]["fee"], "免费");
  // Nothing refused above was written.
  EXPECT_EQ(Admin("GET", "/api/v1/kb/articles?status=draft").Json()["total"], 1);
  // Without an id one is given.
  json no_id = kDraft;
  no_id.erase("id");
  Reply generated = Admin("POST", "/api/v1/kb/articles", no_id);
  ASSERT_EQ(generated.status, 201) << generated.body;
  EXPECT_FALSE(generated.Json()["id"].get<std::string>().empty());
}

TEST_F(KbApiTest, ReviewDueListGoesToTheOwningDepartment) {
  json mine = kDraft;
  json theirs = kDraft;
  theirs["id"] = "faq-env";
  theirs["title"] = "噪声扰民向谁投诉";
  theirs["department"] = "三明市生态环境局";
  json later = kDraft;
  later["id"] = "faq-later";
  later["review_date"] = "2025-01-01";
  for (const json& a : {mine, theirs, later}) {
    ASSERT_EQ(Admin("POST", "/api/v1/kb/articles", a).status, 201);
  }
  // The test clock says 2024-03-04: two are due, one per department.
  Reply housing = Req("housing", "GET", "/api/v1/kb/due?department=" + Q("三明市生态环境局"));
  ASSERT_EQ(housing.status, 200) << housing.body;
  ASSERT_EQ(housing.Json()["articles"].size(), 1U) << housing.body;
  EXPECT_EQ(housing.Json()["articles"][0]["id"], "faq-gjj");  // its own, whatever it asked
  EXPECT_EQ(housing.Json()["today"], "2024-03-04");
  Reply all = Admin("GET", "/api/v1/kb/due");
  EXPECT_EQ(all.Json()["articles"].size(), 2U) << all.body;
  Reply env = Admin("GET", "/api/v1/kb/due?department=" + Q("三明市生态环境局"));
  ASSERT_EQ(env.Json()["articles"].size(), 1U);
  EXPECT_EQ(env.Json()["articles"][0]["id"], "faq-env");
  EXPECT_EQ(Admin("GET", "/api/v1/kb/due?today=2026-01-01").Json()["articles"].size(), 3U);
  EXPECT_EQ(Admin("GET", "/api/v1/kb/due?today=soon").status, 400);
  EXPECT_EQ(Req("op", "GET", "/api/v1/kb/due").status, 403);
  // Retired articles are not due.
  ASSERT_EQ(Admin("POST", "/api/v1/kb/articles/faq-env/retire", json::object()).status, 200);
  EXPECT_EQ(Admin("GET", "/api/v1/kb/due").Json()["articles"].size(), 1U);
}

TEST_F(KbApiTest, ImportIsAllOrNothingAndExportRoundTrips) {
  const std::string good =
      "id\ttitle\tanswer\tdepartment\tstatus\n"
      "t1\t社会保险卡丢失怎么补办\t带身份证到社保大厅补办。\t人社局\tpublished\n"
      "t2\t噪声扰民怎么投诉\t拨打12345或环保热线。\t生态环境局\tdraft\n";
  Reply imported = Req("admin", "POST", "/api/v1/kb/import?format=tsv", good);
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.Json()["created"], 2);
  EXPECT_TRUE(Audited("kb.import", "tsv"));
  EXPECT_EQ(SearchIds("社保卡丢了"), std::vector<std::string>{"t1"});

  // Line 3 is bad: nothing of the file is written, not even its good line 2.
  const std::string bad =
      "id\ttitle\tanswer\n"
      "t3\t新的一条\t内容\n"
      "t4\t\t没有标题\n";
  Reply refused = Req("admin", "POST", "/api/v1/kb/import?format=tsv", bad);
  ASSERT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.Json()["error"]["message"].get<std::string>().find("第 3 行"),
            std::string::npos)
      << refused.body;
  EXPECT_EQ(Admin("GET", "/api/v1/kb/articles").Json()["total"], 2);
  // Without ?format= the Content-Type decides (the test client sends application/json).
  EXPECT_EQ(Req("admin", "POST", "/api/v1/kb/import", good).status, 400);
  EXPECT_EQ(Req("admin", "POST", "/api/v1/kb/import?format=docx", good).status, 400);

  // Export each format and import it into an emptied copy: the same articles come back.
  for (const char* format : {"jsonl", "csv", "tsv", "xlsx"}) {
    Reply exported = Admin("GET", std::string("/api/v1/kb/export?format=") + format);
    ASSERT_EQ(exported.status, 200) << format;
    auto parsed = text::ParseArticles(exported.body, *text::ParseKbFormat(format));
    ASSERT_OK(parsed) << format;
    ASSERT_EQ(parsed->size(), 2U) << format;
    auto t1 = kb_->Find("t1");
    ASSERT_OK(t1);
    EXPECT_TRUE((*parsed)[0].SameContent(*t1)) << format;
    // Re-importing the export changes nothing.
    Reply again =
        Req("admin", "POST", std::string("/api/v1/kb/import?format=") + format, exported.body);
    ASSERT_EQ(again.status, 200) << format << again.body;
    EXPECT_EQ(again.Json()["unchanged"], 2) << format;
  }
  Reply drafts = Admin("GET", "/api/v1/kb/export?format=csv&status=draft");
  EXPECT_EQ(drafts.body.find("\nt1,"), std::string::npos) << drafts.body;
  EXPECT_NE(drafts.body.find("\nt2,"), std::string::npos) << drafts.body;
}

TEST_F(KbApiTest, ASynonymGroupAddedByTheAdminIsSearchableAtOnce) {
  json bikes = kDraft;
  bikes["id"] = "faq-bike";
  bikes["title"] = "小黄车乱停放怎么办";
  bikes["answer"] = "拨打运营企业客服电话，或向城管部门反映。";
  bikes["keywords"] = json::array();
  ASSERT_EQ(Admin("POST", "/api/v1/kb/articles", bikes).status, 201);
  ASSERT_EQ(Admin("POST", "/api/v1/kb/articles/faq-bike/publish", json::object()).status, 200);
  EXPECT_TRUE(SearchIds("共享单车").empty());

  // Bad lines are refused by number and nothing is added.
  Reply bad = Admin("POST", "/api/v1/kb/lexicon/synonyms", {{"text", "小黄车 共享单车\n孤单\n"}});
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.Json()["error"]["message"].get<std::string>().find("第 2 行"), std::string::npos)
      << bad.body;
  EXPECT_TRUE(Admin("GET", "/api/v1/kb/lexicon").Json()["entries"].empty());
  EXPECT_EQ(
      Req("op", "POST", "/api/v1/kb/lexicon/synonyms", json{{"text", "小黄车 共享单车"}}.dump())
          .status,
      403);

  Reply added = Admin("POST", "/api/v1/kb/lexicon/synonyms", {{"text", "小黄车 共享单车\n"}});
  ASSERT_EQ(added.status, 201) << added.body;
  const int64_t id = added.Json()["added"][0]["id"];
  EXPECT_TRUE(Audited("kb.lexicon.synonyms.add", "lexicon"));
  // The articles were re-indexed with the new lexicon: the variant finds the article.
  EXPECT_EQ(SearchIds("共享单车"), std::vector<std::string>{"faq-bike"});
  Reply listed = Admin("GET", "/api/v1/kb/lexicon");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.Json()["entries"].size(), 1U);
  EXPECT_EQ(listed.Json()["entries"][0]["words"], json({"小黄车", "共享单车"}));
  EXPECT_FALSE(listed.Json()["builtin"].empty());
  // A word of a group cannot join another one.
  EXPECT_EQ(Admin("POST", "/api/v1/kb/lexicon/synonyms", {{"text", "共享单车 单车"}}).status, 400);
  // Dictionary words, with kinds.
  Reply words = Admin("POST", "/api/v1/kb/lexicon/words", {{"text", "米兰春天 address\n"}});
  ASSERT_EQ(words.status, 201) << words.body;
  EXPECT_EQ(words.Json()["added"][0]["kind"], "address");
  EXPECT_EQ(Admin("POST", "/api/v1/kb/lexicon/words", {{"text", "米兰春天 colour"}}).status, 400);

  // Removing the group takes the variant out of the index again.
  Reply removed = Admin("DELETE", "/api/v1/kb/lexicon/" + std::to_string(id));
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_TRUE(Audited("kb.lexicon.remove", std::to_string(id)));
  EXPECT_TRUE(SearchIds("共享单车").empty());
  EXPECT_EQ(Admin("DELETE", "/api/v1/kb/lexicon/" + std::to_string(id)).status, 404);
  EXPECT_EQ(Admin("DELETE", "/api/v1/kb/lexicon/zero").status, 400);
}

// The CLI (another process) changes the lexicon of a store a server has open: the server
// notices the revision and rebuilds its tokenizer at the next request.
TEST_F(KbApiTest, ALexiconChangedByAnotherProcessIsPickedUp) {
  json bikes = kDraft;
  bikes["id"] = "faq-bike";
  bikes["title"] = "小黄车乱停放怎么办";
  bikes["answer"] = "拨打运营企业客服电话。";
  bikes["keywords"] = json::array();
  ASSERT_EQ(Admin("POST", "/api/v1/kb/articles", bikes).status, 201);
  ASSERT_EQ(Admin("POST", "/api/v1/kb/articles/faq-bike/publish", json::object()).status, 200);
  EXPECT_TRUE(SearchIds("共享单车").empty());
  {
    auto other = sqlite::SharedKb::Open(db_, false);  // its own connection, as `hotline kb`
    ASSERT_OK(other);
    ASSERT_OK((*other)->AddSynonyms("小黄车 共享单车", "cli:test", 0));
  }
  EXPECT_EQ(SearchIds("共享单车"), std::vector<std::string>{"faq-bike"});
}

TEST_F(KbApiTest, TheSharedFilesImportOverHttp) {
  const fs::path dir = "/work/shared/data";
  if (!fs::exists(dir / "kb_faq_taipei_trad.tsv")) {
    GTEST_SKIP() << "shared data not found at /work/shared/data";
  }
  // The server's default body limit is 1 MiB; these files are larger, so this test's server
  // allows 8 MiB (`hotline serve --max-body`).
  server_options_ = {};
  server_options_.max_body_bytes = size_t{8} << 20;
  ASSERT_NO_FATAL_FAILURE(RestartServer());
  for (const auto& [name, format, rows] : {std::tuple{"kb_service_matters.jsonl", "jsonl", 2262},
                                           {"kb_faq_taipei_trad.tsv", "tsv", 1877}}) {
    std::ifstream in(dir / name, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    Reply r = Req("admin", "POST", std::string("/api/v1/kb/import?format=") + format, buffer.str());
    ASSERT_EQ(r.status, 200) << name << r.body.substr(0, 500);
    EXPECT_EQ(r.Json()["created"], rows) << name;
  }
  // Traditional text is found by a Simplified query.
  EXPECT_FALSE(SearchIds("如何预防诈骗").empty());
}

// The knowledge base's operations as `hotline serve` wires them: the similarity index of open
// tickets follows the lexicon, and the import route has its own body limit.
class KbOpsTest : public KbApiTest {
 protected:
  static constexpr size_t kImportLimit = size_t{3} << 20;

  KbOpsTest() {
    server_options_.route_body_limits = {{std::string(KbApi::kImportPath), kImportLimit}};
  }

  void AddModules(Api& api) override {
    text_api_ = std::make_shared<TextApi>(
        TextApiDeps{*service_, *store_, sqlite::SharedKb::Proxy(kb_), *tokenizer_, nullptr});
    text_api_->FollowTokenizer([kb = kb_] { return kb->tokenizer(); });
    text_api_->LoadOpenTickets(/*async=*/false);
    kb_->OnLexiconChange(
        [api = std::weak_ptr<TextApi>(text_api_)](std::shared_ptr<const text::Tokenizer> t) {
          if (auto locked = api.lock()) {
            locked->RebuildSimilar(std::move(t));
          }
        });
    api.AddModule(text_api_);
    api.AddModule(std::make_shared<KbApi>(kb_));
  }
  void CloseServices() override {
    text_api_.reset();
    KbApiTest::CloseServices();
  }

  std::string Register(const std::string& content, const std::string& address) {
    Reply r = Req("op", "POST", "/api/v1/tickets",
                  json{{"type", "投诉"}, {"content", content}, {"address", address}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("number", "");
  }

  std::vector<std::string> SimilarNumbers(const std::string& text) {
    Reply r = Req("op", "GET", "/api/v1/tickets/similar?limit=10&text=" + Q(text));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    const json body = r.Json();
    for (const auto& s : body["similar"]) {
      out.push_back(s["number"]);
    }
    return out;
  }

  bool Has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }

  std::shared_ptr<TextApi> text_api_;
};

TEST_F(KbOpsTest, TheSimilarityIndexIsRebuiltWithANewLexicon) {
  const std::string bikes = Register("小区门口小黄车乱停乱放，居民出行不便", "幸福路1号");
  Register("公交车站的座椅坏了，请尽快维修", "人民路1号");
  Register("夜间工地施工噪音太大影响休息", "建设路5号");
  // Before: 共享单车 shares no word with 小黄车.
  EXPECT_FALSE(Has(SimilarNumbers("共享单车"), bikes));
  const auto before = text_api_->similar_tokenizer();

  ASSERT_EQ(Admin("POST", "/api/v1/kb/lexicon/synonyms", {{"text", "小黄车 共享单车"}}).status,
            201);
  // Registered while the index may still be rebuilding: it must not be lost.
  const std::string later = Register("又有一批小黄车堆在小区出口", "幸福路3号");
  // The rebuild runs in the background: wait for the new index to be in place.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (text_api_->similar_tokenizer() != kb_->tokenizer() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(text_api_->similar_tokenizer(), kb_->tokenizer());
  EXPECT_NE(text_api_->similar_tokenizer(), before);
  const auto after = SimilarNumbers("共享单车");
  EXPECT_TRUE(Has(after, bikes)) << "the synonym does not reach the open tickets";
  EXPECT_TRUE(Has(after, later)) << "a ticket registered during the rebuild was lost";
}

TEST_F(KbOpsTest, ALexiconChangedByAnotherProcessRebuildsTheSimilarityIndexAtTheNextLookup) {
  const std::string bikes = Register("小区门口小黄车乱停乱放，居民出行不便", "幸福路1号");
  Register("公交车站的座椅坏了，请尽快维修", "人民路1号");
  {
    auto other = sqlite::SharedKb::Open(db_, false);  // as `hotline kb lexicon add-synonyms`
    ASSERT_OK(other);
    ASSERT_OK((*other)->AddSynonyms("小黄车 共享单车", "cli:test", 0));
  }
  SearchIds("共享单车");             // any knowledge-base request notices the new revision
  (void)SimilarNumbers("共享单车");  // the lookup that starts the rebuild
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (text_api_->similar_tokenizer() != kb_->tokenizer() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(text_api_->similar_tokenizer(), kb_->tokenizer());
  EXPECT_TRUE(Has(SimilarNumbers("共享单车"), bikes));
}

TEST_F(KbOpsTest, TheReviewListMatchesTheOwnerUnitByIdCodeOrNormalisedName) {
  const std::string housing_id = std::to_string(testing::SmallCity::kHousing.value());
  const std::vector<std::pair<std::string, std::string>> articles = {
      {"by-id", housing_id},
      {"by-code", "housing"},
      {"by-name", "三明市住房和城乡建设局"},
      {"padded", "  三明市　住房和城乡建设局 "},  // blanks and an ideographic space
      {"other", "三明市生态环境局"},
      {"near-miss", "三明市住房和城乡建设局公积金中心"},
      {"wide", "三明市１２３４５热线中心"},  // full-width digits
  };
  for (const auto& [id, department] : articles) {
    json a = kDraft;
    a["id"] = id;
    a["title"] = "复审条目 " + id;
    a["department"] = department;
    ASSERT_EQ(Admin("POST", "/api/v1/kb/articles", a).status, 201) << id;
  }
  auto ids = [](const Reply& r) {
    std::set<std::string> out;
    const json body = r.Json();
    for (const auto& a : body["articles"]) {
      out.insert(a["id"]);
    }
    return out;
  };
  const std::set<std::string> housing = {"by-id", "by-code", "by-name", "padded"};
  // The unit's own staff: every way its department is written, nothing else.
  Reply mine = Req("housing", "GET", "/api/v1/kb/due");
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(ids(mine), housing) << mine.body;
  EXPECT_EQ(mine.Json()["unit"], testing::SmallCity::kHousing.value());
  EXPECT_EQ(mine.Json()["department"], "三明市住房和城乡建设局");
  // An admin naming the unit by name, code or id gets the same list.
  for (const std::string& d :
       {std::string("三明市住房和城乡建设局"), std::string("housing"), housing_id}) {
    EXPECT_EQ(ids(Admin("GET", "/api/v1/kb/due?department=" + Q(d))), housing) << d;
  }
  EXPECT_EQ(ids(Admin("GET", "/api/v1/kb/due?department=" + Q("三明市12345热线中心"))),
            std::set<std::string>{"wide"});
  // A department that names no unit is matched as written.
  EXPECT_EQ(ids(Admin("GET", "/api/v1/kb/due?department=" + Q("三明市住房和城乡建设局公积金中心"))),
            std::set<std::string>{"near-miss"});
  EXPECT_EQ(Admin("GET", "/api/v1/kb/due").Json()["articles"].size(), articles.size());
}

TEST_F(KbOpsTest, TheImportRouteTakesALargerBodyThanTheOtherRoutes) {
  // About 1.5 MiB of JSON Lines: above the server's 1 MiB, below the import's 3 MiB.
  auto file_of = [](size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      json a = {{"id", "big-" + std::to_string(i)},
                {"title", "大文件导入测试条目 " + std::to_string(i)},
                {"answer", std::string(5000, 'x')},
                {"department", "三明市住房和城乡建设局"}};
      out += a.dump() + "\n";
    }
    return out;
  };
  const std::string medium = file_of(300);
  ASSERT_GT(medium.size(), size_t{1} << 20);
  ASSERT_LT(medium.size(), kImportLimit);
  Reply imported = Req("admin", "POST", "/api/v1/kb/import?format=jsonl", medium);
  ASSERT_EQ(imported.status, 200) << imported.body.substr(0, 300);
  EXPECT_EQ(imported.Json()["created"], 300);
  // The other routes keep the server's limit.
  Reply other = Req("admin", "POST", "/api/v1/kb/articles", medium);
  EXPECT_EQ(other.status, 413) << other.body.substr(0, 300);
  EXPECT_EQ(other.Json()["error"]["code"], "payload_too_large");
  // Above the import's own limit: 413 with a JSON error, and nothing imported.
  const std::string large = file_of(700);
  ASSERT_GT(large.size(), kImportLimit);
  Reply refused = Req("admin", "POST", "/api/v1/kb/import?format=jsonl", large);
  EXPECT_EQ(refused.status, 413) << refused.body.substr(0, 300);
  EXPECT_EQ(refused.Json()["error"]["code"], "payload_too_large");
  EXPECT_NE(
      refused.Json()["error"]["message"].get<std::string>().find(std::to_string(kImportLimit)),
      std::string::npos);
  EXPECT_EQ(Admin("GET", "/api/v1/kb/articles?limit=1").Json()["total"], 300);
}

}  // namespace
}  // namespace hotline::adapters::http

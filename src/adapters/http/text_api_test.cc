// Knowledge-base search, similar open tickets and category suggestions over real HTTP, with
// the real tokenizer, the real SQLite knowledge base and a real fastText model.
#include "adapters/http/text_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/classify/fasttext_model.h"
#include "adapters/classify/synthetic_corpus.h"
#include "adapters/http/api.h"
#include "adapters/http/export_api.h"
#include "adapters/sqlite/kb_store.h"
#include "testing/api_fixture.h"
#include "testing/http_client.h"
#include "testing/matchers.h"

namespace hotline::adapters::http {
namespace {

using hotline::testing::Call;
using hotline::testing::Reply;
using nlohmann::json;

std::string Q(const std::string& s) { return hotline::testing::UrlEncode(s); }

class TextApiTest : public hotline::testing::ApiFixture {
 protected:
  TextApiTest() { bearer_ = true; }

  void OpenServices() override {
    auto tokenizer = text::Tokenizer::CreateDefault();
    ASSERT_OK(tokenizer);
    tokenizer_ = std::move(*tokenizer);
    auto kb = sqlite::SqliteKbStore::Open(db_, true, *tokenizer_);
    ASSERT_OK(kb);
    domain::kb::Article a;
    a.id = "faq-1";
    a.title = "社会保险卡丢失怎么补办";
    a.answer = "携带身份证到社保服务大厅挂失补办，工本费免收。";
    a.department = "市人社局";
    domain::kb::Article b;
    b.id = "faq-2";
    b.title = "公积金提取需要什么材料";
    b.answer = "身份证、银行卡和购房合同。";
    b.department = "市住房公积金中心";
    ASSERT_OK((*kb)->Save({a, b}, "test", 0));
    kb_ = std::move(*kb);

    classify::TrainOptions options;
    options.threads = 1;
    options.epoch = 20;
    options.bucket = 20000;
    auto model = classify::FastTextModel::Train(classify::SyntheticCorpus(40, 7), options);
    ASSERT_OK(model);
    model_ = std::move(*model);
  }

  void AddModules(Api& api) override {
    auto text = std::make_shared<TextApi>(
        TextApiDeps{*service_, *store_, std::move(kb_), *tokenizer_, model_.get()});
    text->LoadOpenTickets(false);
    api.AddModule(text);
    api.AddModule(std::make_shared<ExportApi>(*service_));
  }

  std::string Register(const std::string& content, const std::string& address) {
    Reply r =
        Call(port_, "POST", "/api/v1/tickets",
             json{{"type", "投诉"}, {"content", content}, {"address", address}}.dump(), As("op"));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("number", "");
  }

  std::unique_ptr<text::Tokenizer> tokenizer_;
  std::unique_ptr<sqlite::SqliteKbStore> kb_;  // until AddModules hands it to TextApi
  std::unique_ptr<classify::FastTextModel> model_;
};

TEST_F(TextApiTest, KnowledgeBaseSearchFindsTheAnswerBySynonymAndOpensIt) {
  auto h = As("op");
  // 社保 is the common short form of 社会保险 (a synonym of the default lexicon).
  Reply r = Call(port_, "GET", "/api/v1/kb/search?q=" + Q("社保卡丢了怎么办"), "", h);
  ASSERT_EQ(r.status, 200) << r.body;
  auto hits = r.Json()["hits"];
  ASSERT_FALSE(hits.empty()) << r.body;
  EXPECT_EQ(hits[0]["id"], "faq-1");
  Reply article = Call(port_, "GET", "/api/v1/kb/articles/faq-1", "", h);
  ASSERT_EQ(article.status, 200);
  EXPECT_EQ(article.Json()["department"], "市人社局");
  EXPECT_EQ(Call(port_, "GET", "/api/v1/kb/articles/nope", "", h).status, 404);
  EXPECT_EQ(Call(port_, "GET", "/api/v1/kb/search", "", h).status, 400);
  EXPECT_EQ(Call(port_, "GET", "/api/v1/kb/search?q=x&limit=0", "", h).status, 400);
  EXPECT_EQ(Call(port_, "GET", "/api/v1/kb/search?q=" + Q("社保")).status, 401);
}

TEST_F(TextApiTest, SimilarOpenTicketsAreFoundWithinTheViewersScope) {
  std::string a = Register("某某工地夜间施工噪音太大，凌晨两点还在打桩", "幸福路88号");
  std::string b = Register("公交车站的座椅坏了", "人民路1号");
  auto h = As("op");
  Reply r = Call(port_, "GET",
                 "/api/v1/tickets/similar?text=" + Q("幸福路工地半夜打桩噪音扰民") +
                     "&address=" + Q("幸福路88号"),
                 "", h);
  ASSERT_EQ(r.status, 200) << r.body;
  auto similar = r.Json()["similar"];
  ASSERT_FALSE(similar.empty()) << r.body;
  EXPECT_EQ(similar[0]["number"], a);
  EXPECT_GT(similar[0]["score"].get<double>(), 0.0);
  for (const auto& s : similar) {
    if (s["number"] == b) {
      // A bus-stop bench is not a building site: far below the real match, if listed.
      EXPECT_LT(s["score"].get<double>(), similar[0]["score"].get<double>() / 3) << r.body;
    }
  }
  // A unit sees none of the centre's undispatched tickets.
  Reply unit =
      Call(port_, "GET", "/api/v1/tickets/similar?text=" + Q("工地打桩噪音"), "", As("housing"));
  ASSERT_EQ(unit.status, 200);
  EXPECT_TRUE(unit.Json()["similar"].empty()) << unit.body;
  // A closed ticket leaves the index: withdraw it and it is no longer suggested.
  ASSERT_EQ(Call(port_, "POST", "/api/v1/tickets/" + a + "/actions/withdraw",
                 json{{"reason", "市民撤回"}}.dump(), As("op"))
                .status,
            200);
  r = Call(port_, "GET", "/api/v1/tickets/similar?text=" + Q("幸福路工地半夜打桩噪音扰民"), "", h);
  const json after_withdraw = r.Json();
  for (const auto& s : after_withdraw["similar"]) {
    EXPECT_NE(s["number"], a);
  }
  EXPECT_EQ(Call(port_, "GET", "/api/v1/tickets/similar", "", h).status, 400);
}

TEST_F(TextApiTest, CategorySuggestionsComeWithTheirPlaceInTheTree) {
  auto h = As("op");
  Reply r = Call(port_, "GET", "/api/v1/classify?text=" + Q("小区附近工厂排放污水有臭味"), "", h);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_TRUE(j["available"].get<bool>());
  ASSERT_EQ(j["suggestions"].size(), 3u) << r.body;
  EXPECT_EQ(j["suggestions"][0]["label"], "环境保护");
  // The label names a category of the small city's tree: its id and path come with it.
  EXPECT_TRUE(j["suggestions"][0].contains("category")) << r.body;
  EXPECT_EQ(j["suggestions"][0]["path"], "环境保护");
  double sum = 0;
  for (const auto& s : j["suggestions"]) {
    sum += s["confidence"].get<double>();
  }
  EXPECT_LE(sum, 1.0001);
  EXPECT_EQ(Call(port_, "GET", "/api/v1/classify", "", h).status, 400);
}

TEST_F(TextApiTest, TicketListsExportToExcelWithinScope) {
  Register("某某工地夜间施工噪音太大", "幸福路88号");
  Register("公交车站的座椅坏了", "人民路1号");
  Reply all = Call(port_, "GET", "/api/v1/tickets.xlsx?sort=newest", "", As("disp"));
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.body.substr(0, 2), "PK") << "an xlsx file is a zip archive";
  EXPECT_NE(all.headers.find("spreadsheetml"), std::string::npos);
  EXPECT_NE(all.headers.find("X-Rows: 2"), std::string::npos) << all.headers;
  // A unit exports only its own tickets (none dispatched to it here), never another's.
  Reply unit = Call(port_, "GET", "/api/v1/tickets.xlsx", "", As("housing"));
  ASSERT_EQ(unit.status, 200);
  EXPECT_NE(unit.headers.find("X-Rows: 0"), std::string::npos) << unit.headers;
  EXPECT_EQ(Call(port_, "GET", "/api/v1/tickets.xlsx?type=nope", "", As("disp")).status, 400);
  EXPECT_EQ(Call(port_, "GET", "/api/v1/tickets.xlsx").status, 401);
}

}  // namespace
}  // namespace hotline::adapters::http

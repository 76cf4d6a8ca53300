// GET /api/v1/kb/search served from the server's in-memory index (SharedKb::EnableMemoryIndex,
// as `hotline serve` runs it), over real HTTP and a real SQLite file: the same hits, order,
// scores and snippets as the store's own search, with every filter; the next search after a
// change through the API, by another connection (the CLI) or of the lexicon reflects it.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/http/api.h"
#include "adapters/http/kb_api.h"
#include "adapters/http/text_api.h"
#include "adapters/sqlite/shared_kb.h"
#include "testing/api_fixture.h"
#include "testing/http_client.h"
#include "testing/matchers.h"

namespace hotline::adapters::http {
namespace {

using hotline::testing::Reply;
using nlohmann::json;
using namespace std::chrono_literals;

std::string Q(const std::string& s) { return hotline::testing::UrlEncode(s); }

// A corpus written for the test (JSON Lines, as `POST /api/v1/kb/import` takes it).
const std::vector<json> kCorpus = {
    {{"id", "gjj-1"},
     {"title", "住房公积金怎么提取"},
     {"answer", "携带身份证和银行卡到公积金中心柜台办理提取。"},
     {"category", "住房保障"},
     {"department", "市住建局"},
     {"region", "A1区"},
     {"status", "published"},
     {"keywords", {"公积金", "提取"}}},
    {{"id", "gjj-2"},
     {"title", "公积金贷款额度怎么算"},
     {"answer", "公积金贷款额度按缴存余额和缴存年限计算。"},
     {"category", "住房保障"},
     {"department", "市住建局"},
     {"region", "A2区"},
     {"status", "published"}},
    {{"id", "gjj-3"},
     {"title", "离职后公积金如何提取"},
     {"answer", "离职半年未再就业可申请提取住房公积金。"},
     {"category", "住房保障"},
     {"department", "市公积金中心"},
     {"region", "A1区"},
     {"status", "published"}},
    {{"id", "gjj-4"},
     {"title", "公积金异地转移"},
     {"answer", "在新参保地公积金中心申请转移接续。"},
     {"category", "住房保障"},
     {"department", "市公积金中心"},
     {"region", "A3区"},
     {"status", "draft"}},
    {{"id", "sb-1"},
     {"title", "社保卡丢了怎么补办"},
     {"answer", "携带身份证到社保经办窗口挂失补办社会保障卡。"},
     {"category", "社会保障"},
     {"department", "市人社局"},
     {"region", "A1区"},
     {"status", "published"}},
    {{"id", "sb-2"},
     {"title", "社会保险断缴怎么补缴"},
     {"answer", "个人可到社保经办机构补缴，单位补缴需提供劳动合同。"},
     {"category", "社会保障"},
     {"department", "市人社局"},
     {"region", "A2区"},
     {"status", "published"}},
    {{"id", "sb-3"},
     {"title", "灵活就业人员社保缴费"},
     {"answer", "灵活就业人员可在网上缴纳养老保险和医疗保险。"},
     {"category", "社会保障"},
     {"department", "市人社局"},
     {"region", "A3区"},
     {"status", "retired"}},
    {{"id", "cg-1"},
     {"title", "夜间施工噪音扰民"},
     {"answer", "夜间施工需取得夜间施工许可，无许可施工可向城管举报。"},
     {"category", "城市管理"},
     {"department", "市城管局"},
     {"region", "A1区"},
     {"status", "published"}},
    {{"id", "cg-2"},
     {"title", "小区油烟扰民怎么办"},
     {"answer", "餐饮油烟扰民由城管部门依法查处。"},
     {"category", "城市管理"},
     {"department", "市城管局"},
     {"region", "A2区"},
     {"status", "published"}},
    {{"id", "cg-3"},
     {"title", "建筑工地噪音超标"},
     {"answer", "工地噪音超标由生态环境局监测，城管部门查处夜间施工。"},
     {"category", "城市管理"},
     {"department", "市生态环境局"},
     {"region", "A1区"},
     {"status", "published"}},
    {{"id", "jt-1"},
     {"title", "公交线路调整怎么查询"},
     {"answer", "公交线路调整信息在交通运输局网站公布。"},
     {"category", "城市管理"},
     {"department", "市交通运输局"},
     {"region", "A2区"},
     {"status", "published"}},
};

const std::vector<std::string> kQueries = {"公积金提取", "社保补缴", "噪音扰民", "夜间施工",
                                           "社保卡补办", "公积金",   "城管查处", "公交线路"};
// Query-string filters: none, each alone, and all three.
const std::vector<std::vector<std::pair<std::string, std::string>>> kFilters = {
    {},
    {{"category", "住房保障"}},
    {{"department", "市城管局"}},
    {{"region", "A1区"}},
    {{"category", "城市管理"}, {"department", "市城管局"}, {"region", "A1区"}},
    // Filters few articles pass (the index skips the others' postings).
    {{"department", "市交通运输局"}},
    {{"department", "市生态环境局"}, {"region", "A1区"}},
};

class KbSearchIndexTest : public hotline::testing::ApiFixture {
 protected:
  KbSearchIndexTest() {
    api_options_.public_requests_per_minute = 1000;
    server_options_.threads = 4;
    reuse_sessions_ = true;
  }
  void OpenServices() override {
    auto kb = sqlite::SharedKb::Open(db_, false);
    ASSERT_OK(kb);
    kb_ = *kb;
    tokenizer_ = kb_->tokenizer();
    ASSERT_OK(kb_->EnableMemoryIndex());
  }
  void AddModules(Api& api) override {
    api.AddModule(std::make_shared<TextApi>(
        TextApiDeps{*service_, *store_, sqlite::SharedKb::Proxy(kb_), *tokenizer_, nullptr}));
    api.AddModule(std::make_shared<KbApi>(kb_));
  }
  void CloseServices() override { kb_.reset(); }

  void WaitLoaded(int64_t loads) {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (kb_->memory_index_info().loads < loads && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    ASSERT_GE(kb_->memory_index_info().loads, loads) << "the memory index did not load";
  }
  void Import() {
    std::string lines;
    for (const auto& a : kCorpus) {
      lines += a.dump() + "\n";
    }
    Reply r = Req("admin", "POST", "/api/v1/kb/import?format=jsonl", lines);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  json Search(const std::string& q, const std::vector<std::pair<std::string, std::string>>& filters,
              int limit = 10) {
    std::string path = "/api/v1/kb/search?q=" + Q(q) + "&limit=" + std::to_string(limit);
    for (const auto& [k, v] : filters) {
      path += "&" + k + "=" + Q(v);
    }
    Reply r = Req("op", "GET", path);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json()["hits"] : json::array();
  }
  std::vector<std::string> Ids(const std::string& q) {
    std::vector<std::string> out;
    for (const auto& h : Search(q, {})) {
      out.push_back(h["id"]);
    }
    return out;
  }
  // Every query with every filter over HTTP equals the store's own search (a second
  // connection, as the CLI's `hotline kb search`, operators see published articles only).
  void ExpectSameAsStore() {
    auto store = sqlite::SqliteKbStore::Open(db_, false, *kb_->tokenizer());
    ASSERT_OK(store);
    size_t nonempty = 0;
    for (const auto& filters : kFilters) {
      for (const auto& q : kQueries) {
        ports::KbSearchQuery query{q, {}, 10};
        query.filter.published_only = true;
        for (const auto& [k, v] : filters) {
          (k == "category"     ? query.filter.category
           : k == "department" ? query.filter.department
                               : query.filter.region) = v;
        }
        auto expected = (*store)->Search(query);
        ASSERT_OK(expected);
        const json got = Search(q, filters);
        ASSERT_EQ(got.size(), expected->size()) << q;
        nonempty += expected->empty() ? 0 : 1;
        for (size_t i = 0; i < got.size(); ++i) {
          const auto& e = (*expected)[i];
          EXPECT_EQ(got[i]["id"], e.article.id) << q << " #" << i;
          EXPECT_NEAR(got[i]["score"].get<double>(), e.score, 1e-9) << q << " #" << i;
          EXPECT_EQ(got[i]["snippet"], e.snippet) << q << " #" << i;
          EXPECT_EQ(got[i]["answer"], e.article.answer) << q << " #" << i;
          EXPECT_EQ(got[i]["department"], e.article.department) << q << " #" << i;
        }
      }
    }
    EXPECT_GT(nonempty, kFilters.size() * 2) << "the comparison found too little";
  }

  std::shared_ptr<sqlite::SharedKb> kb_;
  std::shared_ptr<const text::Tokenizer> tokenizer_;
};

TEST_F(KbSearchIndexTest, TheApiAnswersFromTheIndexExactlyAsTheStore) {
  WaitLoaded(1);
  Import();
  const int64_t before = kb_->memory_index_info().index_searches;
  ExpectSameAsStore();
  EXPECT_EQ(kb_->memory_index_info().index_searches - before,
            static_cast<int64_t>(kFilters.size() * kQueries.size()))
      << "some searches did not come from the memory index";
  EXPECT_EQ(kb_->memory_index_info().articles, kCorpus.size());
}

TEST_F(KbSearchIndexTest, TheNextSearchAfterAChangeThroughTheApiReflectsIt) {
  WaitLoaded(1);
  Import();
  // Create (a draft: not searchable), publish, edit, retire.
  json bike = {{"id", "bike"},
               {"title", "共享单车乱停放"},
               {"answer", "共享单车乱停放可联系运营企业清运。"},
               {"department", "市城管局"},
               {"category", "城市管理"}};
  ASSERT_EQ(Req("admin", "POST", "/api/v1/kb/articles", bike.dump()).status, 201);
  EXPECT_TRUE(Ids("共享单车").empty());
  ASSERT_EQ(Req("admin", "POST", "/api/v1/kb/articles/bike/publish", "{}").status, 200);
  EXPECT_EQ(Ids("共享单车"), std::vector<std::string>{"bike"});
  ASSERT_EQ(Req("admin", "PUT", "/api/v1/kb/articles/bike",
                json{{"version", 2}, {"answer", "请拨打运营企业客服热线处理。"}}.dump())
                .status,
            200);
  EXPECT_EQ(Ids("客服热线"), std::vector<std::string>{"bike"});
  EXPECT_TRUE(Ids("清运").empty());  // the old answer is gone
  ExpectSameAsStore();
  ASSERT_EQ(Req("admin", "POST", "/api/v1/kb/articles/bike/retire", "{}").status, 200);
  EXPECT_TRUE(Ids("共享单车").empty());
  EXPECT_EQ(kb_->memory_index_info().loads, 1) << "changes reloaded the whole index";
  EXPECT_GT(kb_->memory_index_info().index_searches, 0);
}

TEST_F(KbSearchIndexTest, AWriteByAnotherConnectionIsSeenByTheNextSearch) {
  WaitLoaded(1);
  Import();
  EXPECT_TRUE(Ids("共享单车").empty());
  {
    auto other = sqlite::SharedKb::Open(db_, false);  // as `hotline kb import`
    ASSERT_OK(other);
    domain::kb::Article a;
    a.id = "bike";
    a.title = "共享单车乱停放";
    a.answer = "共享单车乱停放可联系运营企业清运。";
    a.department = "市城管局";
    a.category = "城市管理";
    a.status = domain::kb::ArticleStatus::kPublished;
    ASSERT_OK((*other)->Save({a}, "cli", 1));
  }
  EXPECT_EQ(Ids("共享单车"), std::vector<std::string>{"bike"});
  ExpectSameAsStore();
}

TEST_F(KbSearchIndexTest, ALexiconChangeThroughTheApiIsFollowed) {
  WaitLoaded(1);
  Import();
  EXPECT_TRUE(Ids("巴士").empty());
  ASSERT_EQ(Req("admin", "POST", "/api/v1/kb/lexicon/synonyms", json{{"text", "公交 巴士"}}.dump())
                .status,
            201);
  EXPECT_EQ(Ids("巴士"), std::vector<std::string>{"jt-1"});  // the store, while rebuilding
  WaitLoaded(2);
  const int64_t before = kb_->memory_index_info().index_searches;
  EXPECT_EQ(Ids("巴士"), std::vector<std::string>{"jt-1"});
  EXPECT_EQ(kb_->memory_index_info().index_searches, before + 1);
  ExpectSameAsStore();
}

}  // namespace
}  // namespace hotline::adapters::http

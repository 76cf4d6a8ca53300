// Themes and programmes on a real SQLite store: round trips of every record, all-or-nothing
// writes, and a campaign's indicators on a hand-built set of tickets whose expected values
// are worked out below.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "adapters/sqlite/sqlite_store.h"
#include "app/kpi_service.h"
#include "app/programme_service.h"
#include "app/ticket_service.h"
#include "testing/matchers.h"
#include "testing/small_city.h"

namespace hotline::adapters::sqlite {
namespace {

namespace fs = std::filesystem;
using domain::Action;
using hotline::testing::HasErrorCode;
using hotline::testing::SmallCity;
using namespace domain::programmes;  // NOLINT(google-build-using-namespace)

Instant At(const char* local) { return *ParseInstant(local); }

class ProgrammeStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("hotline-prog-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
    SqliteOptions o;
    o.path = (dir_ / "p.db").string();
    auto store = SqliteStore::Open(o);
    ASSERT_OK(store);
    store_ = std::move(*store);
    ASSERT_OK(store_->SaveOrg(city_->org));
    ASSERT_OK(store_->SaveCategories(city_->categories));
    auto config = std::make_shared<app::HotlineConfig>();
    config->org = city_->org;
    config->categories = city_->categories;
    config->routing = city_->routing;
    config_ = config;
    service_ = std::make_unique<app::TicketService>(*store_, clock_, config);
    programmes_ = std::make_unique<app::ProgrammeService>(*store_, *store_, clock_,
                                                          [this] { return config_; });
  }
  void TearDown() override {
    programmes_.reset();
    service_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  int64_t Cat(const char* path) { return city_->categories.FindByPath(path)->id.value(); }
  std::string Register(const char* at, const char* category, const char* content = "噪音扰民") {
    clock_.Set(At(at));
    auto t = service_->Register(city_->Act("op"), {{"type", "投诉"},
                                                   {"content", content},
                                                   {"region", "3"},
                                                   {"category", std::to_string(Cat(category))}});
    EXPECT_OK(t);
    return t.has_value() ? t->number : "";
  }
  void Do(const char* login, const std::string& n, Action a, domain::Fields f, Instant at) {
    clock_.Set(at);
    ASSERT_OK(service_->Act(city_->Act(login), n, {a, std::move(f)}));
  }
  // Dispatched to housing 30 minutes after registration and signed an hour later.
  void DispatchAndSign(const std::string& n, const char* registered) {
    Do("disp", n, Action::kDispatch, {{"lead_unit", "2"}},
       At(registered) + std::chrono::minutes(30));
    Do("housing", n, Action::kSign, {}, At(registered) + std::chrono::minutes(90));
  }
  // Replied at `at`, reviewed an hour later, called back two hours later.
  void ReplyAndCallBack(const std::string& n, const char* at, const char* resolved,
                        const char* satisfaction) {
    Do("housing", n, Action::kReply, {{"reply", "已处理"}}, At(at));
    Do("disp", n, Action::kReviewPass, {}, At(at) + std::chrono::hours(1));
    Do("cb", n, Action::kCallback,
       {{"reached", "1"}, {"resolved", resolved}, {"satisfaction", satisfaction}},
       At(at) + std::chrono::hours(2));
  }
  static const domain::kpi::KpiValue& Kpi(const app::CampaignIndicators& ind, const char* id) {
    for (const auto& k : ind.kpis) {
      if (k.id == id) {
        return k;
      }
    }
    static domain::kpi::KpiValue none;
    ADD_FAILURE() << "no KPI " << id;
    return none;
  }

  fs::path dir_;
  std::unique_ptr<SmallCity> city_ = hotline::testing::MakeSmallCity();
  ports::FakeClock clock_{At("2024-10-01 09:00:00")};
  std::unique_ptr<SqliteStore> store_;
  std::shared_ptr<const app::HotlineConfig> config_;
  std::unique_ptr<app::TicketService> service_;
  std::unique_ptr<app::ProgrammeService> programmes_;
};

// The campaign "噪声专项" runs Mon 14 to Sun 20 October 2024 over noise complaints.
//   A noise, registered 10-14, replied 10-15 on time, satisfied, resolved
//   B noise, registered 10-15, replied 10-30 (past its 10 working days), unsatisfied
//   C noise, registered 10-16, signed, not replied
//   D air pollution (outside the rule), registered 10-14, replied 10-15, basically
//     satisfied, resolved: tagged by hand
//   E noise, registered 10-17, replied 10-18: removed from the campaign by hand
//   F noise, registered 10-21 (after the period), replied 10-22: not a member
// Over the campaign's period (14-20): received A B C D = 4; replied A D = 2, both on time
// (100 %); valid callbacks A D = 2, satisfied A + basically satisfied D = 2 (100 %),
// resolved 2 (100 %). Over 14-31 B's late reply and unsatisfied callback count too:
// replied 3, on time 2 (66.67 %); satisfaction 2/3; resolution 2/3.
TEST_F(ProgrammeStoreTest, CampaignIndicatorsAreTheKpisOfItsTickets) {
  const char* kNoise = "环境保护/污染防治/噪声污染";
  const char* kAir = "环境保护/污染防治/大气污染";
  Campaign c;
  c.name = "噪声专项";
  c.from = "2024-10-14";
  c.to = "2024-10-20";
  c.categories = {domain::CategoryId{Cat(kNoise)}};
  auto created = programmes_->CreateCampaign(city_->Act("sup"), c);
  ASSERT_OK(created);
  int64_t id = created->id;

  std::string a = Register("2024-10-14 08:30:00", kNoise);
  DispatchAndSign(a, "2024-10-14 08:30:00");
  ReplyAndCallBack(a, "2024-10-15 09:00:00", "1", "满意");
  std::string d = Register("2024-10-14 09:00:00", kAir, "工厂废气");
  DispatchAndSign(d, "2024-10-14 09:00:00");
  ReplyAndCallBack(d, "2024-10-15 10:00:00", "1", "基本满意");
  std::string b = Register("2024-10-15 09:00:00", kNoise);
  DispatchAndSign(b, "2024-10-15 09:00:00");
  std::string cc = Register("2024-10-16 09:00:00", kNoise);
  DispatchAndSign(cc, "2024-10-16 09:00:00");
  std::string e = Register("2024-10-17 09:00:00", kNoise);
  DispatchAndSign(e, "2024-10-17 09:00:00");
  ReplyAndCallBack(e, "2024-10-18 09:00:00", "1", "满意");
  std::string f = Register("2024-10-21 09:00:00", kNoise);
  DispatchAndSign(f, "2024-10-21 09:00:00");
  ReplyAndCallBack(f, "2024-10-22 09:00:00", "1", "满意");
  ReplyAndCallBack(b, "2024-10-30 09:00:00", "0", "不满意");

  ASSERT_OK(programmes_->TagTickets(city_->Act("disp"), id, {d}));
  ASSERT_OK(programmes_->UntagTicket(city_->Act("sup"), id, e));

  auto week = programmes_->Indicators(city_->Act("boss"), id, "", "");
  ASSERT_OK(week);
  EXPECT_EQ(week->from, "2024-10-14");
  EXPECT_EQ(week->to, "2024-10-20");
  EXPECT_EQ(week->tickets, 4);
  EXPECT_EQ(Kpi(*week, "received").numerator, 4);
  EXPECT_EQ(Kpi(*week, "on_time_completion_rate").numerator, 2);
  EXPECT_EQ(Kpi(*week, "on_time_completion_rate").denominator, 2);
  EXPECT_EQ(Kpi(*week, "satisfaction_rate").numerator, 2);
  EXPECT_EQ(Kpi(*week, "satisfaction_rate").denominator, 2);
  EXPECT_EQ(Kpi(*week, "resolution_rate").numerator, 2);

  auto month = programmes_->Indicators(city_->Act("boss"), id, "2024-10-14", "2024-10-31");
  ASSERT_OK(month);
  EXPECT_EQ(Kpi(*month, "received").numerator, 4);
  EXPECT_EQ(Kpi(*month, "on_time_completion_rate").numerator, 2);
  EXPECT_EQ(Kpi(*month, "on_time_completion_rate").denominator, 3);
  EXPECT_NEAR(Kpi(*month, "on_time_completion_rate").value, 66.67, 0.01);
  EXPECT_EQ(Kpi(*month, "satisfaction_rate").numerator, 2);
  EXPECT_EQ(Kpi(*month, "satisfaction_rate").denominator, 3);
  EXPECT_EQ(Kpi(*month, "resolution_rate").numerator, 2);
  EXPECT_EQ(Kpi(*month, "resolution_rate").denominator, 3);

  // The members, with how each came in, and E not again after a rescan.
  auto page = programmes_->CampaignTickets(city_->Act("boss"), id, 0, 100);
  ASSERT_OK(page);
  std::vector<std::string> numbers;
  for (const auto& t : page->tickets) {
    numbers.push_back(t.member.number + (t.member.manual ? "*" : ""));
  }
  std::vector<std::string> want{a, d + "*", b, cc};
  EXPECT_EQ(numbers, want);
  EXPECT_FALSE(page->tickets[3].followed.closed);

  // A ticket registered since (back in the period on the fake clock) is picked up by the next
  // read, which scans only the tickets newer than the last one seen.
  Register("2024-10-19 09:00:00", kNoise);
  Register("2024-10-25 09:00:00", kNoise);  // after the period: not a member
  auto more = programmes_->FindCampaign(city_->Act("boss"), id);
  ASSERT_OK(more);
  EXPECT_EQ(more->tickets, 5);

  // A changed rule re-matches: without categories only the hand-tagged D stays.
  Campaign tag_only = *created;
  tag_only.categories.clear();
  tag_only.keywords = {"废气"};
  ASSERT_OK(programmes_->UpdateCampaign(city_->Act("sup"), tag_only));
  auto after = programmes_->Indicators(city_->Act("boss"), id, "", "");
  ASSERT_OK(after);
  EXPECT_EQ(after->tickets, 1);
  EXPECT_EQ(Kpi(*after, "received").numerator, 1);

  // Bad periods and roles.
  EXPECT_THAT(programmes_->Indicators(city_->Act("boss"), id, "2024-10-20", "2024-10-14"),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(programmes_->Indicators(city_->Act("housing"), id, "", ""),
              HasErrorCode(ErrorCode::kPermissionDenied));
  EXPECT_THAT(programmes_->TagTickets(city_->Act("disp"), id, {a, "SM19990101000001"}),
              HasErrorCode(ErrorCode::kNotFound));
  EXPECT_THAT(programmes_->CreateCampaign(city_->Act("sup"), c),
              HasErrorCode(ErrorCode::kAlreadyExists));
  ASSERT_OK(programmes_->DeleteCampaign(city_->Act("sup"), id));
  EXPECT_THAT(store_->FindCampaign(id), HasErrorCode(ErrorCode::kNotFound));
}

// A campaign of one category whose period covers every ticket has exactly the KPI engine's
// numbers for that category: the same facts, summed the same way.
TEST_F(ProgrammeStoreTest, CategoryCampaignEqualsTheKpiEnginesCategoryFilter) {
  const char* kNoise = "环境保护/污染防治/噪声污染";
  std::string a = Register("2024-10-14 08:30:00", kNoise);
  DispatchAndSign(a, "2024-10-14 08:30:00");
  ReplyAndCallBack(a, "2024-10-15 09:00:00", "1", "满意");
  std::string b = Register("2024-10-15 09:00:00", kNoise);
  DispatchAndSign(b, "2024-10-15 09:00:00");
  ReplyAndCallBack(b, "2024-10-30 09:00:00", "0", "不满意");
  std::string other = Register("2024-10-15 10:00:00", "环境保护/污染防治/大气污染");
  DispatchAndSign(other, "2024-10-15 10:00:00");
  Register("2024-10-16 09:00:00", kNoise);

  Campaign c;
  c.name = "噪声全量";
  c.from = "2024-10-01";
  c.to = "2024-10-31";
  c.categories = {domain::CategoryId{Cat(kNoise)}};
  auto made = programmes_->CreateCampaign(city_->Act("sup"), c);
  ASSERT_OK(made);
  auto campaign = programmes_->Indicators(city_->Act("boss"), made->id, "", "");
  ASSERT_OK(campaign);
  app::KpiService kpis(*store_, [this] { return config_; });
  app::KpiRequest request{"2024-10-01", "2024-10-31", {}};
  request.scope.category = domain::CategoryId{Cat(kNoise)};
  auto engine = kpis.Report(request, false);
  ASSERT_OK(engine);
  ASSERT_EQ(campaign->kpis.size(), engine->kpis.size());
  for (size_t i = 0; i < engine->kpis.size(); ++i) {
    EXPECT_EQ(campaign->kpis[i].id, engine->kpis[i].id);
    EXPECT_EQ(campaign->kpis[i].numerator, engine->kpis[i].numerator) << engine->kpis[i].id;
    EXPECT_EQ(campaign->kpis[i].denominator, engine->kpis[i].denominator) << engine->kpis[i].id;
  }
  EXPECT_EQ(campaign->tickets, 3);
  EXPECT_GT(engine->kpis[0].numerator, 0);
}

TEST_F(ProgrammeStoreTest, LeaderDayRoundTripAndFollowUp) {
  LeaderDay d{0,
              "2024-10-15",
              "市住建局局长 张三",
              "物业管理",
              {SmallCity::kHousing, SmallCity::kCountyHub},
              "上午9:00-11:00",
              "",
              {}};
  auto made = programmes_->CreateLeaderDay(city_->Act("boss"), d);
  ASSERT_OK(made);
  auto found = store_->FindLeaderDay(made->id);
  ASSERT_OK(found);
  EXPECT_EQ(found->leader, d.leader);
  EXPECT_EQ(found->units, d.units);
  EXPECT_EQ(found->created_by, "boss");

  std::string on_day = Register("2024-10-15 09:10:00", "城乡建设/住房保障/物业管理", "电梯停运");
  DispatchAndSign(on_day, "2024-10-15 09:10:00");
  std::string done = Register("2024-10-15 09:40:00", "城乡建设/住房保障/物业管理", "物业费");
  DispatchAndSign(done, "2024-10-15 09:40:00");
  ReplyAndCallBack(done, "2024-10-16 09:00:00", "1", "满意");
  Do("system", done, Action::kArchive, {}, At("2024-10-17 09:00:00"));
  std::string other_day = Register("2024-10-16 09:00:00", "城乡建设/住房保障/物业管理");

  ASSERT_OK(programmes_->LinkTicket(city_->Act("op"), made->id, on_day));
  ASSERT_OK(programmes_->LinkTicket(city_->Act("op"), made->id, done));
  EXPECT_THAT(programmes_->LinkTicket(city_->Act("op"), made->id, done),
              HasErrorCode(ErrorCode::kAlreadyExists));
  EXPECT_THAT(programmes_->LinkTicket(city_->Act("op"), made->id, other_day),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(programmes_->LinkTicket(city_->Act("housing"), made->id, on_day),
              HasErrorCode(ErrorCode::kPermissionDenied));

  // Complaint: 10 working days from Tue 15 October → due Tue 29; on 30 October it is overdue.
  clock_.Set(At("2024-10-30 12:00:00"));
  auto view = programmes_->LeaderDayDetail(city_->Act("boss"), made->id);
  ASSERT_OK(view);
  ASSERT_EQ(view->tickets.size(), 2u);
  EXPECT_EQ(view->tickets[0].number, on_day);
  EXPECT_TRUE(view->tickets[0].overdue);
  EXPECT_TRUE(view->tickets[1].closed);
  EXPECT_EQ(view->summary.total, 2);
  EXPECT_EQ(view->summary.closed, 1);
  EXPECT_EQ(view->summary.overdue, 1);

  // The date cannot move while tickets are linked.
  LeaderDay moved = *made;
  moved.date = "2024-10-16";
  EXPECT_THAT(programmes_->UpdateLeaderDay(city_->Act("boss"), moved),
              HasErrorCode(ErrorCode::kFailedPrecondition));
  LeaderDay renamed = *made;
  renamed.topic = "物业管理与电梯安全";
  ASSERT_OK(programmes_->UpdateLeaderDay(city_->Act("boss"), renamed));
  EXPECT_EQ(store_->FindLeaderDay(made->id)->topic, "物业管理与电梯安全");
  ASSERT_OK(programmes_->UnlinkTicket(city_->Act("boss"), made->id, done));
  EXPECT_EQ(store_->LeaderDayTickets(made->id)->size(), 1u);
  auto listed = programmes_->LeaderDays(city_->Act("op"), "2024-10-01", "2024-10-31");
  ASSERT_OK(listed);
  EXPECT_EQ(listed->size(), 1u);
  EXPECT_TRUE(programmes_->LeaderDays(city_->Act("op"), "2024-11-01", "")->empty());
  ASSERT_OK(programmes_->DeleteLeaderDay(city_->Act("boss"), made->id));
  EXPECT_THAT(store_->FindLeaderDay(made->id), HasErrorCode(ErrorCode::kNotFound));
  EXPECT_TRUE(store_->LeaderDayTickets(made->id)->empty());
}

TEST_F(ProgrammeStoreTest, DifficultCaseTrackingIsAllOrNothing) {
  std::string n =
      Register("2024-10-14 08:30:00", "城乡建设/住房保障/房屋质量", "房屋漏水多次维修未果");
  DispatchAndSign(n, "2024-10-14 08:30:00");
  DifficultCase c;
  c.reason = "涉及开发商、物业和住建多方";
  c.owner = "sup";
  c.next_review = "2024-10-21";
  clock_.Set(At("2024-10-15 10:00:00"));
  auto flagged = programmes_->FlagDifficult(city_->Act("sup"), n, c);
  ASSERT_OK(flagged);
  EXPECT_EQ(flagged->number, n);
  EXPECT_EQ(flagged->flagged_by, "sup");
  EXPECT_THAT(programmes_->FlagDifficult(city_->Act("disp"), n, c),
              HasErrorCode(ErrorCode::kAlreadyExists));
  EXPECT_THAT(programmes_->FlagDifficult(city_->Act("housing"), n, c),
              HasErrorCode(ErrorCode::kPermissionDenied));

  app::CaseUpdate note;
  note.note = "已约三方现场会商";
  note.next_review = "2024-10-28";
  clock_.Set(At("2024-10-16 15:00:00"));
  ASSERT_OK(programmes_->UpdateDifficult(city_->Act("sup"), flagged->id, note));

  // A failure after the note is written leaves neither the note nor the new owner.
  store_->SetFaultHook([](std::string_view point) -> Status {
    return point == "difficult.after_notes" ? Status(Internal("injected")) : OkStatus();
  });
  app::CaseUpdate failing;
  failing.owner = "disp";
  failing.note = "不应保存";
  EXPECT_FALSE(programmes_->UpdateDifficult(city_->Act("sup"), flagged->id, failing).has_value());
  store_->SetFaultHook(nullptr);
  auto stored = store_->FindDifficultCase(flagged->id);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->owner, "sup");
  ASSERT_EQ(stored->notes.size(), 1u);
  EXPECT_EQ(stored->notes[0].text, "已约三方现场会商");
  EXPECT_EQ(stored->notes[0].by, "sup");
  EXPECT_EQ(stored->next_review, "2024-10-28");

  clock_.Set(At("2024-10-29 09:00:00"));
  auto open = programmes_->DifficultCases(city_->Act("boss"), {false, "", std::nullopt});
  ASSERT_OK(open);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].age_days, 13);  // 15 Oct 10:00 → 29 Oct 09:00
  EXPECT_TRUE((*open)[0].review_due);

  app::CaseUpdate resolve;
  resolve.resolution = "开发商已完成维修";
  ASSERT_OK(programmes_->UpdateDifficult(city_->Act("disp"), flagged->id, resolve));
  EXPECT_THAT(programmes_->UpdateDifficult(city_->Act("disp"), flagged->id, note),
              HasErrorCode(ErrorCode::kFailedPrecondition));
  EXPECT_TRUE(programmes_->DifficultCases(city_->Act("boss"), {false, "", std::nullopt})->empty());
  EXPECT_EQ(programmes_->DifficultCases(city_->Act("boss"), {true, "", std::nullopt})->size(), 1u);
  // Resolved: the ticket may be flagged again.
  ASSERT_OK(programmes_->FlagDifficult(city_->Act("sup"), n, c));
}

TEST_F(ProgrammeStoreTest, QaSheetsInspectionsAndAnAgentsAverage) {
  ScoreSheet sheet{0,    "话务质检表", {{"服务用语", 20}, {"业务准确", 50}, {"工单记录", 30}},
                   true, "",           {}};
  auto made = programmes_->CreateSheet(city_->Act("qa"), sheet);
  ASSERT_OK(made);
  EXPECT_THAT(programmes_->CreateSheet(city_->Act("qa"), sheet),
              HasErrorCode(ErrorCode::kAlreadyExists));
  EXPECT_THAT(programmes_->CreateSheet(city_->Act("op"), sheet),
              HasErrorCode(ErrorCode::kPermissionDenied));

  domain::kpi::CallRecord call;
  call.call_id = "c-1";
  call.offered_at = At("2024-10-14 09:00:00");
  call.answered_at = At("2024-10-14 09:00:05");
  call.ended_at = At("2024-10-14 09:03:00");
  call.talk_seconds = 175;
  call.agent = "op";
  ASSERT_OK(store_->PutCalls({call}));
  std::string ticket = Register("2024-10-14 09:03:00", "城乡建设/住房保障/物业管理");

  Inspection on_call;
  on_call.sheet = made->id;
  on_call.target_kind = QaTarget::kCall;
  on_call.target = "c-1";
  on_call.scores = {18, 45, 27};  // 90 of 100
  clock_.Set(At("2024-10-15 10:00:00"));
  auto i1 = programmes_->Inspect(city_->Act("qa"), on_call);
  ASSERT_OK(i1);
  EXPECT_EQ(i1->agent, "op");  // from the call
  EXPECT_EQ(i1->total, 90);
  Inspection on_ticket = on_call;
  on_ticket.target_kind = QaTarget::kTicket;
  on_ticket.target = ticket;
  on_ticket.scores = {14, 40, 16};  // 70 of 100
  on_ticket.comment = "记录不完整";
  auto i2 = programmes_->Inspect(city_->Act("qa"), on_ticket);
  ASSERT_OK(i2);
  EXPECT_EQ(i2->agent, "op");  // the registering operator
  Inspection cb = on_call;
  cb.target_kind = QaTarget::kTicket;
  cb.target = ticket;
  cb.agent = "cb";
  cb.scores = {20, 50, 25};  // 95
  ASSERT_OK(programmes_->Inspect(city_->Act("qa"), cb));

  // Refused, and nothing written: wrong agent for the call, unknown call, over the maximum.
  Inspection wrong = on_call;
  wrong.agent = "cb";
  EXPECT_THAT(programmes_->Inspect(city_->Act("qa"), wrong),
              HasErrorCode(ErrorCode::kInvalidArgument));
  Inspection unknown = on_call;
  unknown.target = "c-404";
  EXPECT_THAT(programmes_->Inspect(city_->Act("qa"), unknown), HasErrorCode(ErrorCode::kNotFound));
  Inspection over = on_call;
  over.scores = {21, 45, 27};
  EXPECT_THAT(programmes_->Inspect(city_->Act("qa"), over),
              HasErrorCode(ErrorCode::kInvalidArgument));
  Inspection not_agent = cb;
  not_agent.agent = "housing";
  EXPECT_THAT(programmes_->Inspect(city_->Act("qa"), not_agent),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(programmes_->Inspect(city_->Act("sup"), on_call),
              HasErrorCode(ErrorCode::kPermissionDenied));
  EXPECT_EQ(store_->ListInspections({})->size(), 3u);

  // op: (90 + 70) / 2 = 80; cb: 95. cb first.
  auto ranking = programmes_->Ranking(city_->Act("boss"), "2024-10-01", "2024-10-31");
  ASSERT_OK(ranking);
  ASSERT_EQ(ranking->agents.size(), 2u);
  EXPECT_EQ(ranking->agents[0].agent, "cb");
  EXPECT_DOUBLE_EQ(ranking->agents[1].average, 80.0);
  EXPECT_EQ(ranking->agents[1].rank, 2);
  // The agent sees his own row and inspections only.
  auto mine = programmes_->Ranking(city_->Act("op"), "2024-10-01", "2024-10-31");
  ASSERT_OK(mine);
  ASSERT_EQ(mine->agents.size(), 1u);
  EXPECT_EQ(mine->agents[0].agent, "op");
  EXPECT_EQ(mine->ranked, 2);
  EXPECT_EQ(programmes_->Inspections(city_->Act("op"), {})->size(), 2u);
  ports::InspectionFilter others;
  others.agent = "cb";
  EXPECT_THAT(programmes_->Inspections(city_->Act("op"), others),
              HasErrorCode(ErrorCode::kPermissionDenied));
  EXPECT_THAT(programmes_->Ranking(city_->Act("housing"), "2024-10-01", "2024-10-31"),
              HasErrorCode(ErrorCode::kPermissionDenied));
  // Outside the period: nothing.
  EXPECT_TRUE(programmes_->Ranking(city_->Act("qa"), "2024-11-01", "2024-11-30")->agents.empty());

  // A used sheet keeps its items; its name and activity may change.
  ScoreSheet changed = *made;
  changed.items[0].max_points = 10;
  EXPECT_THAT(programmes_->UpdateSheet(city_->Act("qa"), changed),
              HasErrorCode(ErrorCode::kFailedPrecondition));
  ScoreSheet retired = *made;
  retired.active = false;
  retired.name = "话务质检表（2024版）";
  ASSERT_OK(programmes_->UpdateSheet(city_->Act("qa"), retired));
  auto back = store_->FindSheet(made->id);
  ASSERT_OK(back);
  EXPECT_FALSE(back->active);
  EXPECT_EQ(back->items.size(), 3u);
  EXPECT_EQ(back->items[1].name, "业务准确");
  EXPECT_THAT(programmes_->Inspect(city_->Act("qa"), on_call),
              HasErrorCode(ErrorCode::kFailedPrecondition));
}

}  // namespace
}  // namespace hotline::adapters::sqlite

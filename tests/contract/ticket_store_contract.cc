#include "contract/ticket_store_contract.h"

#include <algorithm>
#include <atomic>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "adapters/json/ticket_json.h"
#include "app/ticket_service.h"
#include "testing/matchers.h"
#include "testing/small_city.h"

namespace hotline::testing {
namespace {

using domain::Action;
using domain::Command;
using domain::Fields;
using domain::Ticket;
using domain::TicketState;

ports::TicketFilter AllTickets() {
  ports::TicketFilter f;
  f.limit = 1000;
  return f;
}

class Harness {
 public:
  explicit Harness(StoreFactory factory)
      : store_(factory()), city_(MakeSmallCity()), clock_(*ParseInstant("2024-03-04 09:00")) {
    auto config = std::make_shared<app::HotlineConfig>();
    config->org = city_->org;
    config->categories = city_->categories;
    config->routing = city_->routing;
    service_ = std::make_unique<app::TicketService>(*store_.tickets, clock_, config);
  }

  Ticket Register(const char* phone = "13800001111") {
    auto t = service_->Register(city_->Act("op"), {{"type", "投诉"},
                                                   {"content", "小区楼下夜间施工噪音扰民"},
                                                   {"citizen_phone", phone},
                                                   {"region", "3"},
                                                   {"category", "1"}});
    EXPECT_OK(t);
    return t.has_value() ? *t : Ticket{};
  }

  Result<Ticket> Act(const char* login, const std::string& number, Action a, Fields f = {}) {
    return service_->Act(city_->Act(login), number, Command{a, std::move(f)});
  }

  Ticket Dispatched(domain::UnitId unit = SmallCity::kHousing) {
    Ticket t = Register();
    auto r =
        Act("disp", t.number, Action::kDispatch, {{"lead_unit", std::to_string(unit.value())}});
    EXPECT_OK(r);
    return r.has_value() ? *r : t;
  }

  ports::TicketStore& tickets() { return *store_.tickets; }
  ports::DirectoryStore& directory() { return *store_.directory; }
  app::TicketService& service() { return *service_; }
  ports::FakeClock& clock() { return clock_; }
  const SmallCity& city() { return *city_; }

 private:
  StoreUnderTest store_;
  std::unique_ptr<SmallCity> city_;
  ports::FakeClock clock_;
  std::unique_ptr<app::TicketService> service_;
};

TEST_P(TicketStoreContract, CreateAssignsReadableUniqueNumbers) {
  Harness h(GetParam());
  std::set<std::string> numbers;
  for (int i = 0; i < 5; ++i) {
    Ticket t = h.Register();
    EXPECT_TRUE(std::regex_match(t.number, std::regex("SM20240304\\d{6}"))) << t.number;
    EXPECT_TRUE(numbers.insert(t.number).second);
    EXPECT_EQ(t.version, 1);
    EXPECT_EQ(t.state, TicketState::kRegistered);
  }
  EXPECT_EQ(*numbers.begin(), "SM20240304000001");
  h.clock().Advance(std::chrono::hours(24));
  EXPECT_EQ(h.Register().number, "SM20240305000001");
}

TEST_P(TicketStoreContract, FindReturnsWhatWasStored) {
  Harness h(GetParam());
  Ticket t = h.Register();
  auto by_id = h.tickets().Find(t.id);
  auto by_number = h.tickets().FindByNumber(t.number);
  ASSERT_OK(by_id);
  ASSERT_OK(by_number);
  EXPECT_TRUE(adapters::json::SameTicket(*by_id, t));
  EXPECT_TRUE(adapters::json::SameTicket(*by_number, t));
  EXPECT_EQ(by_id->content, "小区楼下夜间施工噪音扰民");
  EXPECT_THAT(h.tickets().FindByNumber("SM-nope"), HasErrorCode(ErrorCode::kNotFound));
  EXPECT_THAT(h.tickets().Find(domain::TicketId{999999}), HasErrorCode(ErrorCode::kNotFound));
  EXPECT_THAT(h.tickets().History(domain::TicketId{999999}), HasErrorCode(ErrorCode::kNotFound));
}

TEST_P(TicketStoreContract, CommitAppendsEventsInOrder) {
  Harness h(GetParam());
  Ticket t = h.Dispatched();
  ASSERT_OK(h.Act("housing", t.number, Action::kSign));
  ASSERT_OK(h.Act("housing", t.number, Action::kReply, {{"reply", "已协调施工单位停工"}}));
  auto history = h.tickets().History(t.id);
  ASSERT_OK(history);
  ASSERT_EQ(history->size(), 4u);
  const char* types[] = {"register", "dispatch", "sign", "reply"};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ((*history)[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ((*history)[i].type, types[i]);
  }
  EXPECT_EQ((*history)[3].fields.at("reply"), "已协调施工单位停工");
  EXPECT_EQ((*history)[1].actor.role, domain::Role::kDispatcher);
  auto stored = h.tickets().Find(t.id);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->version, 4);
  EXPECT_EQ(stored->state, TicketState::kReplied);
}

TEST_P(TicketStoreContract, StaleVersionIsRefusedAndNothingIsWritten) {
  Harness h(GetParam());
  Ticket t = h.Dispatched();
  Ticket stale = t;
  ASSERT_OK(h.Act("housing", t.number, Action::kSign));
  // A write decided on the old version must be refused.
  ports::TicketWrite w{stale, {}, stale.version};
  domain::TicketEvent e;
  e.ticket = stale.id;
  e.seq = stale.version + 1;
  e.at = h.clock().Now();
  e.actor = h.city().Act("disp");
  e.type = "urge";
  w.events.push_back(e);
  domain::Apply(w.ticket, e);
  EXPECT_THAT(h.tickets().Commit({w}), HasErrorCode(ErrorCode::kAborted));
  auto history = h.tickets().History(t.id);
  ASSERT_OK(history);
  EXPECT_EQ(history->back().type, "sign");
  EXPECT_EQ(h.tickets().Find(t.id)->urge_count, 0);
  // The service refuses an explicitly stale expected version before deciding.
  EXPECT_THAT(h.service().Act(h.city().Act("sup"), t.number, Command{Action::kUrge, {}}, 2),
              HasErrorCode(ErrorCode::kAborted));
}

TEST_P(TicketStoreContract, ConcurrentChangesToOneTicketAreNeverLost) {
  Harness h(GetParam());
  Ticket t = h.Dispatched();
  constexpr int kThreads = 8;
  std::atomic<int> ok{0};
  std::atomic<int> aborted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      // Each thread decides on the same version; exactly one may win.
      auto r =
          h.service().Act(h.city().Act("sup"), t.number, Command{Action::kUrge, {}}, t.version);
      if (r.has_value()) {
        ++ok;
      } else if (r.error().code == ErrorCode::kAborted) {
        ++aborted;
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(aborted.load(), kThreads - 1);
  auto stored = h.tickets().Find(t.id);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->urge_count, 1);
  EXPECT_EQ(stored->version, t.version + 1);
}

TEST_P(TicketStoreContract, MultiTicketCommitIsAllOrNothing) {
  Harness h(GetParam());
  Ticket master = h.Dispatched();
  Ticket child = h.Register();
  // Merge succeeds: both tickets change.
  ASSERT_OK(h.Act("disp", child.number, Action::kMerge, {{"into", master.number}}));
  EXPECT_EQ(h.tickets().Find(child.id)->state, TicketState::kMerged);
  EXPECT_EQ(h.tickets().Find(master.id)->merged_in, std::vector<std::string>{child.number});
  // A merge whose master write is stale writes neither ticket.
  Ticket child2 = h.Register();
  auto fresh_master = *h.tickets().Find(master.id);
  ports::TicketWrite cw{child2, {}, child2.version};
  ports::TicketWrite mw{fresh_master, {}, fresh_master.version - 1};  // stale
  domain::TicketEvent ce{child2.id, child2.version + 1,       h.clock().Now(), h.city().Act("disp"),
                         "merge",   {{"into", master.number}}};
  domain::TicketEvent me{master.id,       fresh_master.version + 1,
                         h.clock().Now(), h.city().Act("disp"),
                         "merged_in",     {{"child", child2.number}}};
  cw.events.push_back(ce);
  mw.events.push_back(me);
  domain::Apply(cw.ticket, ce);
  domain::Apply(mw.ticket, me);
  EXPECT_THAT(h.tickets().Commit({cw, mw}), HasErrorCode(ErrorCode::kAborted));
  EXPECT_EQ(h.tickets().Find(child2.id)->state, TicketState::kRegistered);
  EXPECT_EQ(h.tickets().History(child2.id)->size(), 1u);
}

TEST_P(TicketStoreContract, ListFiltersAndPaginates) {
  Harness h(GetParam());
  Ticket a = h.Dispatched(SmallCity::kHousing);
  Ticket b = h.Dispatched(SmallCity::kEnvironment);
  Ticket c = h.Register("13900002222");
  ports::TicketFilter by_unit;
  by_unit.unit = SmallCity::kEnvironment;
  auto r = h.tickets().List(by_unit);
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].number, b.number);

  ports::TicketFilter by_state;
  by_state.states = {TicketState::kRegistered};
  r = h.tickets().List(by_state);
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].number, c.number);

  ports::TicketFilter by_phone;
  by_phone.citizen_phone = "13900002222";
  EXPECT_EQ(h.tickets().List(by_phone)->size(), 1u);

  ports::TicketFilter page;
  page.limit = 2;
  r = h.tickets().List(page);
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].number, a.number);
  page.after_id = (*r)[1].id.value();
  r = h.tickets().List(page);
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].number, c.number);

  ports::TicketFilter text;
  text.text = "施工噪音";
  EXPECT_EQ(h.tickets().List(text)->size(), 3u);
}

TEST_P(TicketStoreContract, RebuildFromLogEqualsLiveProjections) {
  Harness h(GetParam());
  std::mt19937 rng(7);
  std::vector<std::string> numbers;
  for (int i = 0; i < 40; ++i) {
    numbers.push_back(h.Register().number);
  }
  // Random walk: a random legal action by whoever may take it, with fields that satisfy
  // every action (each action reads only its own).
  std::vector<std::string> logins = {"op",   "disp", "housing", "env",   "hub",
                                     "town", "cb",   "sup",     "system"};
  const char* units[] = {"2", "3", "4", "5"};
  const char* satisfaction[] = {"满意", "基本满意", "不满意"};
  int applied = 0;
  for (int step = 0; step < 500; ++step) {
    const std::string& number = numbers[rng() % numbers.size()];
    auto current = h.tickets().FindByNumber(number);
    ASSERT_OK(current);
    std::vector<Action> legal;
    for (Action a : domain::AllActions()) {
      if (domain::IsAllowedIn(a, current->state) && a != Action::kMerge && a != Action::kMergedIn) {
        legal.push_back(a);
      }
    }
    if (legal.empty()) {
      continue;
    }
    Action action = legal[rng() % legal.size()];
    Fields f{{"lead_unit", units[rng() % 4]},
             {"unit", "6"},
             {"reply", "已处理"},
             {"reason", "原因"},
             {"comment", "意见"},
             {"days", "3"},
             {"reached", "1"},
             {"resolved", rng() % 2 ? "1" : "0"},
             {"satisfaction", satisfaction[rng() % 3]},
             {"level", "2"},
             {"text", "备注"},
             {"answer", "已告知"},
             {"name", "a.jpg"},
             {"size", "10"},
             {"reply_deadline", "2030-01-01"}};
    h.clock().Advance(std::chrono::minutes(rng() % 600));
    std::shuffle(logins.begin(), logins.end(), rng);
    for (const std::string& login : logins) {
      if (h.Act(login.c_str(), number, action, f).has_value()) {
        ++applied;
        break;
      }
    }
  }
  EXPECT_GT(applied, 100);
  auto before = h.tickets().List(AllTickets());
  ASSERT_OK(before);
  auto diff = h.tickets().VerifyProjections();
  ASSERT_OK(diff);
  EXPECT_TRUE(diff->empty()) << diff->size() << " tickets differ";
  ASSERT_OK(h.tickets().RebuildProjections());
  auto after = h.tickets().List(AllTickets());
  ASSERT_OK(after);
  ASSERT_EQ(before->size(), after->size());
  for (size_t i = 0; i < before->size(); ++i) {
    EXPECT_TRUE(adapters::json::SameTicket((*before)[i], (*after)[i])) << (*before)[i].number;
  }
}

TEST_P(TicketStoreContract, DirectoryRoundTrips) {
  Harness h(GetParam());
  const SmallCity& city = h.city();
  ASSERT_OK(h.directory().SaveOrg(city.org));
  ASSERT_OK(h.directory().SaveCategories(city.categories));
  ASSERT_OK(h.directory().SaveRouting(city.routing));
  ASSERT_OK(h.directory().PutSetting("ticket_prefix", "SM"));
  auto org = h.directory().LoadOrg();
  ASSERT_OK(org);
  EXPECT_EQ(org->units().size(), city.org.units().size());
  EXPECT_EQ(org->FindUserByLogin("hub")->unit, SmallCity::kCountyHub);
  EXPECT_EQ(org->FindUnit(SmallCity::kTownship)->parent, SmallCity::kCountyHub);
  auto cats = h.directory().LoadCategories();
  ASSERT_OK(cats);
  EXPECT_EQ(cats->PathOf(cats->FindByPath("噪声污染")->id), "环境保护/污染防治/噪声污染");
  auto routing = h.directory().LoadRouting();
  ASSERT_OK(routing);
  EXPECT_EQ(routing->rules().size(), 3u);
  EXPECT_EQ(routing->fallback_unit(), SmallCity::kCountyHub);
  EXPECT_EQ(routing->rules()[2].co_units, std::vector<domain::UnitId>{SmallCity::kEnvironment});
  auto setting = h.directory().GetSetting("ticket_prefix");
  ASSERT_OK(setting);
  EXPECT_EQ(setting->value_or(""), "SM");
  EXPECT_FALSE(h.directory().GetSetting("nope")->has_value());
}

}  // namespace
}  // namespace hotline::testing

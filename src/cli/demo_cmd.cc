// hotline demo: builds a realistic city (Sanming-like: a city centre, 11 counties with
// their platforms and townships, city departments, users for every role, categories, a
// routing directory) and N tickets spread over the lifecycle with realistic timings.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "adapters/security/password.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "domain/fields.h"

namespace hotline::cli {
namespace {

using namespace hotline::domain;  // NOLINT(google-build-using-namespace)

// The default category tree (written for the demo; a deployment loads its own CSV).
constexpr const char* kCategories[][3] = {
    {"城乡建设", "住房保障", "物业管理"},       {"城乡建设", "住房保障", "房屋质量"},
    {"城乡建设", "住房保障", "公租房"},         {"城乡建设", "市政设施", "路灯照明"},
    {"城乡建设", "市政设施", "道路破损"},       {"城乡建设", "市政设施", "供水排水"},
    {"城乡建设", "市容环卫", "垃圾清运"},       {"城乡建设", "市容环卫", "违章搭建"},
    {"环境保护", "污染防治", "噪声污染"},       {"环境保护", "污染防治", "大气污染"},
    {"环境保护", "污染防治", "水污染"},         {"劳动和社会保障", "劳动关系", "拖欠工资"},
    {"劳动和社会保障", "社会保险", "社保缴纳"}, {"劳动和社会保障", "社会保险", "医保报销"},
    {"教育文体", "基础教育", "入学招生"},       {"教育文体", "基础教育", "校外培训"},
    {"卫生计生", "医疗服务", "医疗纠纷"},       {"卫生计生", "公共卫生", "疫苗接种"},
    {"交通运输", "公共交通", "公交线路"},       {"交通运输", "公共交通", "出租车"},
    {"交通运输", "道路交通", "交通拥堵"},       {"商贸旅游", "市场监管", "食品安全"},
    {"商贸旅游", "市场监管", "消费维权"},       {"商贸旅游", "旅游服务", "景区服务"},
    {"农村农业", "农业生产", "农资质量"},       {"公共安全", "治安管理", "治安隐患"},
};

// (top-level category, city department code, department name)
constexpr const char* kDepartments[][3] = {
    {"城乡建设", "city-housing", "三明市住房和城乡建设局"},
    {"环境保护", "city-environment", "三明市生态环境局"},
    {"劳动和社会保障", "city-hrss", "三明市人力资源和社会保障局"},
    {"教育文体", "city-education", "三明市教育局"},
    {"卫生计生", "city-health", "三明市卫生健康委员会"},
    {"交通运输", "city-transport", "三明市交通运输局"},
    {"商贸旅游", "city-market", "三明市市场监督管理局"},
    {"农村农业", "city-agriculture", "三明市农业农村局"},
    {"公共安全", "city-police", "三明市公安局"},
    {"", "city-urban", "三明市城市管理局"},
    {"", "city-water", "三明市水务集团"},
    {"", "city-power", "国网三明供电公司"},
    {"", "city-medicare", "三明市医疗保障局"},
    {"", "city-culture", "三明市文化和旅游局"},
    {"", "city-natural", "三明市自然资源局"},
    {"", "city-civil", "三明市民政局"},
    {"", "city-office", "三明市人民政府办公室"},
};

constexpr const char* kCounties[][2] = {
    {"350404", "三元区"}, {"350405", "沙县区"}, {"350481", "永安市"}, {"350421", "明溪县"},
    {"350423", "清流县"}, {"350424", "宁化县"}, {"350425", "大田县"}, {"350426", "尤溪县"},
    {"350428", "将乐县"}, {"350429", "泰宁县"}, {"350430", "建宁县"},
};
constexpr const char* kTownSuffixes[] = {"城关街道", "城东镇", "城西乡"};

struct Template {
  const char* category;  // path
  const char* text;      // {a} = address
  RequestType type;
};
const Template kTemplates[] = {
    {"城乡建设/住房保障/物业管理",
     "{a}小区物业长期不清理楼道垃圾，电梯经常故障，业主多次反映无人处理。",
     RequestType::kComplaint},
    {"城乡建设/住房保障/房屋质量",
     "{a}新交付的商品房墙体开裂渗水，开发商拖延维修，请求有关部门督促。", RequestType::kComplaint},
    {"城乡建设/住房保障/公租房", "请问{a}附近的公租房如何申请，需要准备哪些材料？",
     RequestType::kConsultation},
    {"城乡建设/市政设施/路灯照明", "{a}路段路灯已经坏了两个星期，晚上行人出行不安全，请尽快维修。",
     RequestType::kHelp},
    {"城乡建设/市政设施/道路破损", "{a}路面坑洼严重，下雨积水，电动车经过容易摔倒。",
     RequestType::kComplaint},
    {"城乡建设/市政设施/供水排水", "{a}一带今天早上开始停水，没有提前通知，请问什么时候恢复供水？",
     RequestType::kHelp},
    {"城乡建设/市容环卫/垃圾清运", "{a}垃圾桶满了好几天没人清运，气味很大。",
     RequestType::kComplaint},
    {"城乡建设/市容环卫/违章搭建", "举报{a}有住户在楼顶违章搭建铁皮房，存在安全隐患。",
     RequestType::kReport},
    {"环境保护/污染防治/噪声污染", "{a}附近工地夜间施工到凌晨，噪音严重影响周边居民休息。",
     RequestType::kComplaint},
    {"环境保护/污染防治/大气污染", "{a}的餐饮店油烟直排，楼上住户无法开窗。",
     RequestType::kComplaint},
    {"环境保护/污染防治/水污染", "{a}旁边的小河出现大量死鱼，疑似有工厂偷排污水。",
     RequestType::kReport},
    {"劳动和社会保障/劳动关系/拖欠工资",
     "我在{a}的工地务工，包工头拖欠三个月工资共两万余元，请求帮助讨薪。", RequestType::kHelp},
    {"劳动和社会保障/社会保险/社保缴纳", "单位一直没有给我缴纳社保，公司地址在{a}，请问如何维权？",
     RequestType::kConsultation},
    {"劳动和社会保障/社会保险/医保报销", "异地就医的医保报销需要哪些手续？我现在住在{a}。",
     RequestType::kConsultation},
    {"教育文体/基础教育/入学招生", "孩子今年上小学，户籍在{a}，请问学区如何划分、什么时候报名？",
     RequestType::kConsultation},
    {"教育文体/基础教育/校外培训", "{a}有培训机构收取高额预付费后关门，家长无法退费。",
     RequestType::kComplaint},
    {"卫生计生/医疗服务/医疗纠纷", "在{a}的诊所看病后出现不良反应，诊所拒绝沟通。",
     RequestType::kComplaint},
    {"卫生计生/公共卫生/疫苗接种", "请问{a}社区卫生服务中心的疫苗接种时间是什么时候？",
     RequestType::kConsultation},
    {"交通运输/公共交通/公交线路", "建议在{a}增设公交站点，目前居民出行要步行一公里以上。",
     RequestType::kSuggestion},
    {"交通运输/公共交通/出租车", "在{a}打车，出租车司机拒载还绕路多收费。",
     RequestType::kComplaint},
    {"交通运输/道路交通/交通拥堵", "{a}路口早晚高峰拥堵严重，建议优化红绿灯配时。",
     RequestType::kSuggestion},
    {"商贸旅游/市场监管/食品安全", "在{a}的超市买到过期食品，商家不予退换。",
     RequestType::kComplaint},
    {"商贸旅游/市场监管/消费维权", "{a}的健身房突然停业，会员卡余额无法退还。",
     RequestType::kComplaint},
    {"商贸旅游/旅游服务/景区服务", "表扬{a}景区工作人员热情帮助走失老人找到家人。",
     RequestType::kPraise},
    {"公共安全/治安管理/治安隐患", "{a}附近夜间经常有人聚集飙车，存在安全隐患。",
     RequestType::kReport},
};
constexpr const char* kPlaces[] = {"列东街", "新市北路", "梅列大道", "崇宁路", "东新二路",
                                   "建新路", "富兴路",   "和平路",   "工业路", "滨江路"};
constexpr const char* kEstates[] = {"阳光花园", "江滨小区", "富兴小区", "金色家园",
                                    "翠竹苑",   "碧桂园",   "城市广场", "东方名城"};

constexpr char kDemoPassword[] = "hotline12345";

struct DemoArgs {
  std::string store = "var/hotline.db";
  int tickets = 2000;
  uint64_t seed = 12345;
  std::string taxonomy;
  int days = 90;
};

struct DemoCity {
  OrgTree org;
  CategoryTree categories;
  RoutingDirectory routing;
  std::vector<std::string> logins_printed;
};

Result<DemoCity> BuildCity(const DemoArgs& args) {
  std::vector<Region> regions;
  std::vector<Unit> units;
  std::vector<User> users;
  RegionId city{1};
  regions.push_back({city, "350400", "三明市", UnitLevel::kCity, RegionId{}});
  UnitId centre{1};
  units.push_back({centre, "centre", "三明市12345政务服务便民热线中心", UnitLevel::kCity,
                   UnitKind::kCentre, UnitId{}, city, true});
  int64_t next_user = 1;
  auto add_user = [&](std::string login, std::string name, Role role, UnitId unit) {
    users.push_back({UserId{next_user++}, std::move(login), std::move(name), role, unit, true});
  };
  for (int i = 1; i <= 3; ++i) {
    add_user(fmt::format("op{}", i), fmt::format("话务员{}号", i), Role::kOperator, centre);
  }
  add_user("disp1", "派单员一", Role::kDispatcher, centre);
  add_user("disp2", "派单员二", Role::kDispatcher, centre);
  add_user("cb1", "回访员一", Role::kCallback, centre);
  add_user("cb2", "回访员二", Role::kCallback, centre);
  add_user("sup1", "督办员", Role::kSupervisor, centre);
  add_user("qa1", "质检员", Role::kInspector, centre);
  add_user("leader1", "中心主任", Role::kLeader, centre);
  add_user("admin", "系统管理员", Role::kAdmin, centre);
  add_user("system", "系统", Role::kSystem, centre);
  int64_t next_unit = 2;
  for (const auto& d : kDepartments) {
    UnitId id{next_unit++};
    units.push_back({id, d[1], d[2], UnitLevel::kCity, UnitKind::kDepartment, centre, city, true});
    add_user(d[1], std::string(d[2]) + "承办人", Role::kUnitHandler, id);
  }
  int64_t next_region = 2;
  for (const auto& c : kCounties) {
    RegionId county{next_region++};
    regions.push_back({county, c[0], c[1], UnitLevel::kCounty, city});
    UnitId hub{next_unit++};
    std::string hub_code = fmt::format("hub-{}", c[0]);
    units.push_back({hub, hub_code, std::string(c[1]) + "12345分平台", UnitLevel::kCounty,
                     UnitKind::kPlatform, centre, county, true});
    add_user(hub_code, std::string(c[1]) + "分平台管理员", Role::kUnitAdmin, hub);
    int t = 1;
    for (const char* suffix : kTownSuffixes) {
      RegionId town{next_region++};
      std::string code = fmt::format("{}{:03d}", c[0], t++);
      regions.push_back({town, code, std::string(c[1]) + suffix, UnitLevel::kTownship, county});
      UnitId tu{next_unit++};
      units.push_back({tu, "town-" + code, std::string(c[1]) + suffix + "办事处",
                       UnitLevel::kTownship, UnitKind::kDepartment, hub, town, true});
      add_user("town-" + code, std::string(c[1]) + suffix + "承办人", Role::kUnitHandler, tu);
    }
  }
  HOTLINE_ASSIGN_OR_RETURN(OrgTree org, OrgTree::Build(regions, units, users));
  CategoryTree categories;
  if (!args.taxonomy.empty()) {
    HOTLINE_ASSIGN_OR_RETURN(std::string csv, ReadFile(args.taxonomy));
    HOTLINE_ASSIGN_OR_RETURN(categories, CategoryTree::ParseCsv(csv));
  } else {
    std::string csv = "一级分类,二级分类,三级分类\n";
    for (const auto& c : kCategories) {
      csv += fmt::format("{},{},{}\n", c[0], c[1], c[2]);
    }
    HOTLINE_ASSIGN_OR_RETURN(categories, CategoryTree::ParseCsv(csv));
  }
  // Routing: each top-level category to its city department; environmental noise and
  // city appearance in a county go to that county's platform (which sub-dispatches).
  std::vector<RoutingRule> rules;
  int64_t next_rule = 1;
  for (const auto& d : kDepartments) {
    const Category* cat = categories.FindByPath(d[0]);
    const Unit* unit = org.FindUnitByCode(d[1]);
    if (cat != nullptr && unit != nullptr) {
      rules.push_back({RuleId{next_rule++}, cat->id, RegionId{}, unit->id, {}, 0, {}, {}, ""});
    }
  }
  for (const char* local : {"城乡建设/市容环卫", "环境保护/污染防治/噪声污染"}) {
    const Category* cat = categories.FindByPath(local);
    if (cat == nullptr) {
      continue;
    }
    for (const auto& c : kCounties) {
      const Region* county = org.FindRegionByCode(c[0]);
      const Unit* hub = org.FindUnitByCode(fmt::format("hub-{}", c[0]));
      rules.push_back({RuleId{next_rule++}, cat->id, county->id, hub->id, {}, 0, {}, {}, ""});
    }
  }
  RoutingDirectory routing(std::move(rules), org.FindUnitByCode("city-office")->id);
  return DemoCity{std::move(org), std::move(categories), std::move(routing), {}};
}

// Simulates one ticket's life with realistic timings; stops at `now`.
class Simulator {
 public:
  Simulator(app::TicketService& service, ports::FakeClock& clock, const DemoCity& city,
            std::mt19937_64& rng, Instant now)
      : service_(service), clock_(clock), city_(city), rng_(rng), now_(now) {}

  void Run(Instant created) {
    clock_.Set(created);
    const Template& tpl = kTemplates[Pick(std::size(kTemplates))];
    const Region* town = PickTownship();
    std::string address = fmt::format("{}{}{}号{}", town->name, kPlaces[Pick(std::size(kPlaces))],
                                      1 + Pick(200), kEstates[Pick(std::size(kEstates))]);
    std::string content = tpl.text;
    content.replace(content.find("{a}"), 3, address);
    const Category* cat = city_.categories.FindByPath(tpl.category);
    Fields f{{"type", std::string(Code(tpl.type))},
             {"content", content},
             {"address", address},
             {"region", std::to_string(town->id.value())},
             {"citizen_phone", fmt::format("13{:09d}", Pick(1000000000))},
             {"channel", Chance(0.7) ? "phone" : (Chance(0.5) ? "web" : "wechat")},
             {"urgency", Chance(0.05) ? "urgent" : "normal"}};
    if (cat != nullptr) {
      f["category"] = std::to_string(cat->id.value());
    }
    if (!Chance(0.2)) {
      f["citizen_name"] = Chance(0.5) ? "张先生" : "李女士";
    }
    auto t = service_.Register(Login(Chance(0.5) ? "op1" : "op2"), f);
    if (!t.has_value()) {
      return;
    }
    number_ = t->number;
    ++registered;
    if (tpl.type == RequestType::kConsultation && Chance(0.8)) {
      Step(Minutes(3, 10), "op1", Action::kAnswer,
           {{"answer", "已按知识库答复市民办理流程和所需材料。"}});
      Step(Hours(1, 4), "disp1", Action::kArchive);
      return;
    }
    if (Chance(0.03)) {
      Step(Minutes(2, 5), "op1", Action::kReject,
           {{"reason", "属于诉讼程序事项，已告知市民通过司法途径解决"}});
      return;
    }
    auto unit = service_.SuggestUnit(cat != nullptr ? cat->id : CategoryId{}, town->id);
    UnitId lead = unit.has_value() ? unit->lead_unit : city_.org.FindUnitByCode("city-office")->id;
    bool wrong = Chance(0.06);
    UnitId first = wrong ? city_.org.FindUnitByCode("city-urban")->id : lead;
    if (first == lead && wrong) {
      wrong = false;
    }
    if (!Step(Minutes(10, 90), "disp1", Action::kDispatch, {{"lead_unit", Id(first)}})) {
      return;
    }
    if (Chance(0.01)) {
      Step(Hours(1, 20), "op2", Action::kWithdraw, {{"reason", "市民来电表示问题已自行解决"}});
      return;
    }
    if (Chance(0.02)) {
      return;  // never signed: shows up as sign-overdue
    }
    if (!Step(Chance(0.9) ? Minutes(5, 100) : Hours(3, 30), Handler(first), Action::kSign)) {
      return;
    }
    if (wrong) {
      if (!Step(Hours(1, 8), Handler(first), Action::kRequestReturn,
                {{"reason", "该事项不属于本单位职责范围"}}) ||
          !Step(Hours(1, 4), "disp2", Action::kApproveReturn) ||
          !Step(Minutes(10, 60), "disp2", Action::kDispatch, {{"lead_unit", Id(lead)}}) ||
          !Step(Minutes(10, 120), Handler(lead), Action::kSign)) {
        return;
      }
    }
    const Unit* lead_unit = city_.org.FindUnit(lead);
    if (lead_unit != nullptr && lead_unit->kind == UnitKind::kPlatform) {
      auto children = city_.org.Children(lead);
      UnitId sub = children.empty() ? lead : children[Pick(children.size())];
      if (sub != lead) {
        if (!Step(Minutes(30, 240), Handler(lead), Action::kSubDispatch,
                  {{"lead_unit", Id(sub)}}) ||
            !Step(Minutes(10, 120), Handler(sub), Action::kSign)) {
          return;
        }
        lead = sub;
      }
    }
    if (Chance(0.05)) {
      if (!Step(Hours(24, 72), Handler(lead), Action::kRequestExtension,
                {{"days", "5"}, {"reason", "需要多部门现场联合勘查"}}) ||
          !Step(Hours(1, 6), "disp1", Action::kApproveExtension)) {
        return;
      }
    }
    if (Chance(0.15)) {
      Step(Hours(20, 60), "sup1", Action::kUrge, {{"comment", "请加快办理进度"}});
    }
    if (Chance(0.05)) {
      return;  // a slow unit: still in progress, overdue once its limit passes
    }
    bool late = Chance(0.08);
    if (!Step(late ? Hours(24 * 12, 24 * 20) : Hours(20, 24 * 6), Handler(lead), Action::kReply,
              {{"reply", "经现场核查，已协调相关责任方整改，并将处理结果告知市民。"}})) {
      return;
    }
    if (Chance(0.05)) {
      if (!Step(Hours(1, 8), "disp1", Action::kReviewFail, {{"reason", "答复未说明整改时限"}}) ||
          !Step(Hours(4, 24), Handler(lead), Action::kReply,
                {{"reply", "已责令责任方在5个工作日内完成整改，并安排专人跟踪。"}})) {
        return;
      }
    }
    if (!Step(Hours(1, 12), "disp2", Action::kReviewPass)) {
      return;
    }
    double r = Uniform();
    const char* sat = r < 0.80 ? "满意" : (r < 0.92 ? "基本满意" : "不满意");
    bool resolved = r < 0.9;
    if (!Step(Hours(4, 48), "cb1", Action::kCallback,
              {{"reached", "1"}, {"resolved", resolved ? "1" : "0"}, {"satisfaction", sat}})) {
      return;
    }
    if (r >= 0.92 && Chance(0.7)) {
      if (!Step(Hours(1, 6), "cb1", Action::kRehandle, {{"reason", "市民反映问题仍未解决"}}) ||
          !Step(Minutes(30, 240), Handler(lead), Action::kSign) ||
          !Step(Hours(24, 24 * 5), Handler(lead), Action::kReply,
                {{"reply", "重新办理：已联合执法彻底解决。"}}) ||
          !Step(Hours(1, 12), "disp2", Action::kReviewPass) ||
          !Step(Hours(4, 48), "cb2", Action::kCallback,
                {{"reached", "1"}, {"resolved", "1"}, {"satisfaction", "基本满意"}})) {
        return;
      }
    }
    Step(Hours(24, 72), "system", Action::kArchive);
  }

  int registered = 0;
  int events = 0;

 private:
  bool Step(Duration after, const std::string& login, Action a, Fields f = {}) {
    Instant at = clock_.Now() + after;
    if (at > now_) {
      return false;  // the future has not happened yet: the ticket stays open
    }
    clock_.Set(at);
    auto r = service_.Act(Login(login), number_, Command{a, std::move(f)});
    if (r.has_value()) {
      ++events;
    }
    return r.has_value();
  }
  Actor Login(const std::string& login) { return *city_.org.ActorFor(login); }
  std::string Handler(UnitId unit) {
    for (const auto& u : city_.org.users()) {
      if (u.unit == unit) {
        return u.login;
      }
    }
    return "system";
  }
  static std::string Id(UnitId id) { return std::to_string(id.value()); }
  const Region* PickTownship() {
    std::vector<const Region*> towns;
    for (const auto& r : city_.org.regions()) {
      if (r.level == UnitLevel::kTownship) {
        towns.push_back(&r);
      }
    }
    return towns[Pick(towns.size())];
  }
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  bool Chance(double p) { return Uniform() < p; }
  Duration Minutes(int lo, int hi) { return std::chrono::minutes(lo + Pick(hi - lo + 1)); }
  Duration Hours(int lo, int hi) {
    return std::chrono::minutes(60 * lo + Pick(60 * (hi - lo) + 1));
  }

  app::TicketService& service_;
  ports::FakeClock& clock_;
  const DemoCity& city_;
  std::mt19937_64& rng_;
  Instant now_;
  std::string number_;
};

void RunDemo(const DemoArgs& args) {
  if (args.tickets < 0 || args.days < 1) {
    return Fail("--tickets 不能为负数，--days 至少为 1");
  }
  if (std::filesystem::exists(args.store)) {
    return Fail(
        fmt::format("{} 已存在；演示数据只写入新的数据库（请换一个路径或先删除它）", args.store));
  }
  if (auto parent = std::filesystem::path(args.store).parent_path(); !parent.empty()) {
    std::filesystem::create_directories(parent);
  }
  auto city = BuildCity(args);
  if (!city.has_value()) {
    return Fail(city.error());
  }
  adapters::sqlite::SqliteOptions options;
  options.path = args.store;
  options.durable = false;  // bulk load
  auto store = adapters::sqlite::SqliteStore::Open(options);
  if (!store.has_value()) {
    return Fail(store.error());
  }
  std::string calendar_text = DefaultCalendarText();
  for (Status st :
       {(*store)->SaveOrg(city->org), (*store)->SaveCategories(city->categories),
        (*store)->SaveRouting(city->routing),
        (*store)->PutSetting(app::kCalendarSetting, calendar_text),
        (*store)->PutSetting(app::kPoliciesSetting, TimeLimitPolicies::Defaults().Serialise()),
        (*store)->PutSetting(app::kTicketPrefixSetting, "SM")}) {
    if (!st.has_value()) {
      return Fail(st.error());
    }
  }
  // Every demo user gets the same demo password, hashed once (Argon2id is deliberately slow).
  auto hash = adapters::security::HashPassword(kDemoPassword);
  if (!hash.has_value()) {
    return Fail(hash.error());
  }
  for (const auto& u : city->org.users()) {
    if (auto st = (*store)->SetPasswordHash(u.id, *hash); !st.has_value()) {
      return Fail(st.error());
    }
  }
  auto config = app::LoadConfig(**store, calendar_text);
  if (!config.has_value()) {
    return Fail(config.error());
  }
  Instant now = ports::SystemClock().Now();
  ports::FakeClock clock(now);
  app::TicketService service(**store, clock,
                             std::make_shared<const app::HotlineConfig>(std::move(*config)));
  std::mt19937_64 rng(args.seed);
  Simulator sim(service, clock, *city, rng, now);
  const int64_t span = static_cast<int64_t>(args.days) * 86400;
  std::vector<int64_t> offsets(args.tickets);
  for (auto& o : offsets) {
    // Calls cluster in office hours: pick a day, then a time between 08:00 and 21:00 local.
    int64_t day = std::uniform_int_distribution<int64_t>(0, span / 86400)(rng);
    int64_t secs = std::uniform_int_distribution<int64_t>(0, 13 * 3600)(rng);
    o = day * 86400 + secs;
  }
  std::sort(offsets.begin(), offsets.end());
  auto start_day = std::chrono::floor<std::chrono::days>(now + kChinaUtcOffset) -
                   std::chrono::days(args.days) - kChinaUtcOffset + std::chrono::hours(8);
  for (int64_t o : offsets) {
    Instant created = Instant(start_day) + Duration(o);
    if (created > now) {
      created = now - std::chrono::minutes(5);
    }
    sim.Run(created);
  }
  auto summary = (*store)->Summary();
  std::printf("演示城市已写入 %s：%zu 个单位，%zu 个用户，%zu 个区域，%zu 个分类，%zu 条派单规则\n",
              args.store.c_str(), city->org.units().size(), city->org.users().size(),
              city->org.regions().size(), city->categories.all().size(),
              city->routing.rules().size());
  if (summary.has_value()) {
    std::printf("工单 %lld 件，事件 %lld 条\n", static_cast<long long>(summary->tickets),
                static_cast<long long>(summary->events));
    for (const auto& [state, n] : summary->by_state) {
      std::printf("  %-10s %6lld\n", std::string(ChineseName(state)).c_str(),
                  static_cast<long long>(n));
    }
  }
  std::printf("\n演示账号（登录名 / 角色），密码均为 %s：\n", kDemoPassword);
  for (const char* login : {"op1", "disp1", "cb1", "sup1", "qa1", "leader1", "admin",
                            "city-housing", "hub-350404", "town-350404001"}) {
    const User* u = city->org.FindUserByLogin(login);
    if (u != nullptr) {
      const Unit* unit = city->org.FindUnit(u->unit);
      std::printf("  %-16s %-8s %s\n", login, std::string(ChineseName(u->role)).c_str(),
                  unit != nullptr ? unit->name.c_str() : "");
    }
  }
  std::printf("（每个承办单位、分平台、街道都有一个以其单位代码为登录名的账号）\n");
}

}  // namespace

void RegisterDemoCommands(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  auto* cmd = app.add_subcommand("demo", "生成演示城市（组织、用户、分类、派单目录）和工单");
  cmd->add_option("--store", args->store, "新数据库文件路径（不能已存在）")->capture_default_str();
  cmd->add_option("--tickets", args->tickets, "工单数量")->capture_default_str();
  cmd->add_option("--seed", args->seed, "随机种子（相同种子生成相同的城市与工单）")
      ->capture_default_str();
  cmd->add_option("--days", args->days, "工单分布在最近多少天")->capture_default_str();
  cmd->add_option("--taxonomy", args->taxonomy,
                  "三级分类 CSV（表头 + 一级,二级,三级），默认用内置分类");
  cmd->callback([args] { RunDemo(*args); });
}

}  // namespace hotline::cli

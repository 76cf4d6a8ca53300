// SqliteStore's KpiStore: KPI facts and daily aggregates written in the same transaction as
// the events (schema 006), their rebuild from the log, and the job-step ledger.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include "adapters/json/ticket_json.h"
#include "adapters/sqlite/reader.h"
#include "adapters/sqlite/sqlite_store.h"

namespace hotline::adapters::sqlite {

using domain::kpi::Fact;
using domain::kpi::Measure;

namespace {

// The directory setting that holds the calendar text (app::kCalendarSetting).
constexpr char kCalendarSettingKey[] = "calendar";
constexpr char kNeedsRebuild[] = "kpi_needs_rebuild";

constexpr char kFindDoc[] = "SELECT doc FROM tickets WHERE id = ?1";
constexpr char kGetSetting[] = "SELECT value FROM settings WHERE key = ?1";
constexpr char kInsertFact[] =
    "INSERT INTO kpi_facts (ticket_id, seq, measure, unit, day, category, region, type, channel, "
    "value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT DO UPDATE SET value = value + excluded.value";
constexpr char kAddDaily[] =
    "INSERT INTO kpi_daily (day, unit, category, region, type, channel, measure, value) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT DO UPDATE SET value = value + excluded.value";
// One fact into each monthly roll-up (schema 011): in all, by unit, by region, by category,
// and by top-level category (schema 015).
constexpr char kAddRollup[] =
    "INSERT INTO kpi_rollup (dim, month, key, measure, value) VALUES "
    "('all', ?1, 0, ?5, ?6), ('unit', ?1, ?2, ?5, ?6), ('region', ?1, ?3, ?5, ?6), "
    "('category', ?1, ?4, ?5, ?6), ('top_category', ?1, ?7, ?5, ?6) "
    "ON CONFLICT DO UPDATE SET value = value + excluded.value";
// And into the county x unit, county x category and county x top-level category roll-ups
// (schemas 012 and 015).
constexpr char kAddCountyRollup[] =
    "INSERT INTO kpi_county_rollup (dim, county, month, key, measure, value) VALUES "
    "('unit', ?1, ?2, ?3, ?5, ?6), ('category', ?1, ?2, ?4, ?5, ?6), "
    "('top_category', ?1, ?2, ?7, ?5, ?6) "
    "ON CONFLICT DO UPDATE SET value = value + excluded.value";
constexpr char kFindCounty[] = "SELECT county FROM kpi_region_county WHERE region = ?1";
constexpr char kSaveCounty[] = "INSERT INTO kpi_region_county (region, county) VALUES (?1, ?2)";
constexpr char kRegionParent[] = "SELECT parent FROM regions WHERE id = ?1";
constexpr char kFindTop[] = "SELECT top FROM kpi_category_top WHERE category = ?1";
constexpr char kSaveTop[] = "INSERT INTO kpi_category_top (category, top) VALUES (?1, ?2)";
constexpr char kCategoryParent[] = "SELECT parent FROM categories WHERE id = ?1";
constexpr char kAllEventRows[] =
    "SELECT ticket_id, seq, at, actor_user, actor_role, actor_unit, actor_name, type, fields "
    "FROM ticket_events ORDER BY ticket_id, seq";
constexpr char kClaim[] =
    "INSERT INTO job_steps (ticket_id, step, claimed_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT DO NOTHING";
constexpr char kStepState[] = "SELECT done_at FROM job_steps WHERE ticket_id = ?1 AND step = ?2";
constexpr char kFinish[] =
    "UPDATE job_steps SET done_at = strftime('%s', 'now'), event_seq = ?3 "
    "WHERE ticket_id = ?1 AND step = ?2";

// A statement prepared for one call (the Db cache is keyed by static SQL text).
class OneShot {
 public:
  static Result<std::unique_ptr<OneShot>> Prepare(Db& db, const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db.raw(), sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr) !=
        SQLITE_OK) {
      return db.LastError("prepare");
    }
    return std::unique_ptr<OneShot>(new OneShot(raw));
  }
  Stmt& stmt() { return stmt_; }

 private:
  explicit OneShot(sqlite3_stmt* raw) : stmt_(raw) {}
  Stmt stmt_;
};

// WHERE clause and bindings of a query over kpi_daily or kpi_facts.
struct Where {
  std::string sql;
  std::vector<std::string> text;  // bound in order after the ints
  std::vector<int64_t> ints;
  std::vector<int> order;  // 0: next int, 1: next text
};

void AddIn(Where& w, const std::string& column, const std::vector<int64_t>& values) {
  if (values.empty()) {
    return;
  }
  w.sql += fmt::format(" AND {} IN (", column);
  for (size_t i = 0; i < values.size(); ++i) {
    w.sql += i == 0 ? "?" : ",?";
    w.ints.push_back(values[i]);
    w.order.push_back(0);
  }
  w.sql += ")";
}

void AddIn(Where& w, const std::string& column, const std::vector<std::string>& values) {
  if (values.empty()) {
    return;
  }
  w.sql += fmt::format(" AND {} IN (", column);
  for (size_t i = 0; i < values.size(); ++i) {
    w.sql += i == 0 ? "?" : ",?";
    w.text.push_back(values[i]);
    w.order.push_back(1);
  }
  w.sql += ")";
}

// `p` prefixes the columns ("f." in a join).
Where WhereOf(const ports::KpiQuery& q, const std::string& p = "") {
  Where w;
  w.sql = fmt::format(" WHERE {0}day >= ? AND {0}day <= ?", p);
  w.text = {q.from, q.to};
  w.order = {1, 1};
  AddIn(w, p + "unit", q.units);
  AddIn(w, p + "region", q.regions);
  AddIn(w, p + "category", q.categories);
  AddIn(w, p + "type", q.types);
  AddIn(w, p + "channel", q.channels);
  return w;
}

int Bind(Stmt& s, const Where& w) {
  size_t ii = 0;
  size_t ti = 0;
  int index = 1;
  for (int kind : w.order) {
    if (kind == 0) {
      s.Bind(index++, w.ints[ii++]);
    } else {
      s.Bind(index++, std::string_view(w.text[ti++]));
    }
  }
  return index;
}

// The counties of regions and top-level categories of categories already looked up in this
// transaction.
struct CountyMemo {
  std::unordered_map<int64_t, int64_t> county;
  std::unordered_map<int64_t, int64_t> top;
};

// `id`, its parent, ..., the root, following `parent_sql` (cycles and over-deep chains cut).
Result<std::vector<int64_t>> ChainUp(Db& db, const char* parent_sql, int64_t id) {
  std::vector<int64_t> chain{id};
  HOTLINE_ASSIGN_OR_RETURN(Stmt * parent, db.Prepare(parent_sql));
  while (chain.size() < 64) {
    parent->Bind(1, chain.back());
    HOTLINE_ASSIGN_OR_RETURN(bool row, parent->Step());
    int64_t up = row && !parent->IsNull(0) ? parent->Int(0) : 0;
    parent->Reset();
    if (up == 0 || std::find(chain.begin(), chain.end(), up) != chain.end()) {
      break;
    }
    chain.push_back(up);
  }
  return chain;
}

// The top-level category a fact of `category` is rolled up under (kpi_category_top; schema
// 015): the stored one, else the root of its chain in the category tree (an unknown
// category, and 0, under itself), stored in this transaction.
Result<int64_t> TopOf(Db& db, int64_t category, CountyMemo& memo) {
  if (auto it = memo.top.find(category); it != memo.top.end()) {
    return it->second;
  }
  HOTLINE_ASSIGN_OR_RETURN(Stmt * find, db.Prepare(kFindTop));
  find->Bind(1, category);
  HOTLINE_ASSIGN_OR_RETURN(bool found, find->Step());
  int64_t top = found ? find->Int(0) : category;
  find->Reset();
  if (!found) {
    HOTLINE_ASSIGN_OR_RETURN(auto chain, ChainUp(db, kCategoryParent, category));
    top = chain.back();
    HOTLINE_ASSIGN_OR_RETURN(Stmt * save, db.Prepare(kSaveTop));
    save->Bind(1, category).Bind(2, top);
    HOTLINE_RETURN_IF_ERROR(save->Run());
  }
  memo.top[category] = top;
  return top;
}

// The county a fact of `region` is rolled up under (kpi_region_county; schema 012): the
// stored one, else the region's ancestor just below the root in the region tree (the root,
// and a region the tree does not know, under itself), stored in this transaction.
Result<int64_t> CountyOf(Db& db, int64_t region, CountyMemo& memo) {
  if (auto it = memo.county.find(region); it != memo.county.end()) {
    return it->second;
  }
  HOTLINE_ASSIGN_OR_RETURN(Stmt * find, db.Prepare(kFindCounty));
  find->Bind(1, region);
  HOTLINE_ASSIGN_OR_RETURN(bool found, find->Step());
  int64_t county = found ? find->Int(0) : region;
  find->Reset();
  if (!found) {
    HOTLINE_ASSIGN_OR_RETURN(auto chain, ChainUp(db, kRegionParent, region));
    county = chain.size() >= 2 ? chain[chain.size() - 2] : chain[0];
    HOTLINE_ASSIGN_OR_RETURN(Stmt * save, db.Prepare(kSaveCounty));
    save->Bind(1, region).Bind(2, county);
    HOTLINE_RETURN_IF_ERROR(save->Run());
  }
  memo.county[region] = county;
  return county;
}

Status InsertFacts(Db& db, int64_t ticket_id, int64_t seq, const Fact& f, CountyMemo& memo) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kInsertFact));
  s->Bind(1, ticket_id)
      .Bind(2, seq)
      .Bind(3, static_cast<int64_t>(f.measure))
      .Bind(4, f.key.unit)
      .Bind(5, f.key.day)
      .Bind(6, f.key.category)
      .Bind(7, f.key.region)
      .Bind(8, f.key.type)
      .Bind(9, f.key.channel)
      .Bind(10, f.value);
  HOTLINE_RETURN_IF_ERROR(s->Run());
  HOTLINE_ASSIGN_OR_RETURN(Stmt * d, db.Prepare(kAddDaily));
  d->Bind(1, f.key.day)
      .Bind(2, f.key.unit)
      .Bind(3, f.key.category)
      .Bind(4, f.key.region)
      .Bind(5, f.key.type)
      .Bind(6, f.key.channel)
      .Bind(7, static_cast<int64_t>(f.measure))
      .Bind(8, f.value);
  HOTLINE_RETURN_IF_ERROR(d->Run());
  HOTLINE_ASSIGN_OR_RETURN(int64_t top, TopOf(db, f.key.category, memo));
  HOTLINE_ASSIGN_OR_RETURN(Stmt * r, db.Prepare(kAddRollup));
  r->Bind(1, std::string_view(f.key.day).substr(0, 7))
      .Bind(2, f.key.unit)
      .Bind(3, f.key.region)
      .Bind(4, f.key.category)
      .Bind(5, static_cast<int64_t>(f.measure))
      .Bind(6, f.value)
      .Bind(7, top);
  HOTLINE_RETURN_IF_ERROR(r->Run());
  HOTLINE_ASSIGN_OR_RETURN(int64_t county, CountyOf(db, f.key.region, memo));
  HOTLINE_ASSIGN_OR_RETURN(Stmt * c, db.Prepare(kAddCountyRollup));
  c->Bind(1, county)
      .Bind(2, std::string_view(f.key.day).substr(0, 7))
      .Bind(3, f.key.unit)
      .Bind(4, f.key.category)
      .Bind(5, static_cast<int64_t>(f.measure))
      .Bind(6, f.value)
      .Bind(7, top);
  return c->Run();
}

// A period split at month boundaries: the whole months in the middle can be read from the
// roll-ups, the partial months at either end from kpi_daily.
struct MonthSplit {
  std::string head_from, head_to;       // daily part before the whole months (empty: none)
  std::string first_month, last_month;  // whole months, YYYY-MM (empty: none)
  std::string tail_from, tail_to;       // daily part after them (empty: none)
};

bool ParseDay(const std::string& s, int& y, int& m, int& d) {
  return s.size() == 10 && std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 &&
         m <= 12 && d >= 1 && d <= 31;
}

int DaysIn(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

std::string Ymd(int y, int m, int d) { return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d); }

// Empty optional when the period holds no whole month (or the dates do not parse: the daily
// path then answers, as before).
std::optional<MonthSplit> SplitByMonth(const std::string& from, const std::string& to) {
  int fy = 0, fm = 0, fd = 0, ty = 0, tm = 0, td = 0;
  if (!ParseDay(from, fy, fm, fd) || !ParseDay(to, ty, tm, td)) {
    return std::nullopt;
  }
  int first = fy * 12 + (fm - 1) + (fd == 1 ? 0 : 1);  // months since year 0
  int last = ty * 12 + (tm - 1) - (td == DaysIn(ty, tm) ? 0 : 1);
  if (first > last) {
    return std::nullopt;
  }
  MonthSplit out;
  out.first_month = fmt::format("{:04d}-{:02d}", first / 12, first % 12 + 1);
  out.last_month = fmt::format("{:04d}-{:02d}", last / 12, last % 12 + 1);
  if (fd != 1) {
    out.head_from = from;
    out.head_to = Ymd(fy, fm, DaysIn(fy, fm));
  }
  if (td != DaysIn(ty, tm)) {
    out.tail_from = Ymd(ty, tm, 1);
    out.tail_to = to;
  }
  return out;
}

// The counties (kpi_region_county) whose regions `regions` holds all of, when `regions` is
// exactly such whole counties (regions never seen in a fact, hence in no aggregate, aside:
// none at all gives an empty list); nullopt otherwise: a county roll-up cannot answer for
// part of a county.
Result<std::optional<std::vector<int64_t>>> WholeCounties(Db& db,
                                                          const std::vector<int64_t>& regions) {
  std::unordered_map<int64_t, std::vector<int64_t>> members;  // county -> its regions
  std::unordered_map<int64_t, int64_t> county_of;
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare("SELECT region, county FROM kpi_region_county"));
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    county_of[s->Int(0)] = s->Int(1);
    members[s->Int(1)].push_back(s->Int(0));
  }
  s->Reset();
  const std::set<int64_t> wanted(regions.begin(), regions.end());
  std::set<int64_t> counties;
  for (int64_t region : wanted) {
    if (auto it = county_of.find(region); it != county_of.end()) {
      counties.insert(it->second);
    }
  }
  for (int64_t county : counties) {
    for (int64_t region : members[county]) {
      if (wanted.count(region) == 0) {
        return std::optional<std::vector<int64_t>>();
      }
    }
  }
  return std::optional<std::vector<int64_t>>(
      std::vector<int64_t>(counties.begin(), counties.end()));
}

// Each category's top-level category in the current category tree (the root of its chain),
// and whether kpi_category_top, which the 'top_category' roll-up rows were written by, agrees
// with it for every category it holds.
struct CurrentTops {
  std::unordered_map<int64_t, int64_t> top;
  bool rollups_agree = true;

  int64_t Of(int64_t category) const {
    auto it = top.find(category);
    return it == top.end() ? category : it->second;
  }
};

Result<CurrentTops> LoadCurrentTops(Db& db) {
  std::unordered_map<int64_t, int64_t> parent;
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare("SELECT id, parent FROM categories"));
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    parent[s->Int(0)] = s->IsNull(1) ? 0 : s->Int(1);
  }
  s->Reset();
  CurrentTops out;
  for (const auto& [id, up] : parent) {
    int64_t top = id;
    for (int depth = 0; depth < 64; ++depth) {  // (as ChainUp: cycles and deep chains cut)
      auto it = parent.find(top);
      if (it == parent.end() || it->second == 0 || it->second == id) {
        break;
      }
      top = it->second;
    }
    out.top[id] = top;
  }
  HOTLINE_ASSIGN_OR_RETURN(Stmt * m, db.Prepare("SELECT category, top FROM kpi_category_top"));
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, m->Step());
    if (!row) {
      break;
    }
    if (out.Of(m->Int(0)) != m->Int(1)) {
      out.rollups_agree = false;
    }
  }
  m->Reset();
  return out;
}

}  // namespace

std::shared_ptr<const domain::WorkCalendar> SqliteStore::KpiCalendar(Db& db) {
  std::string text;
  auto s = db.Prepare(kGetSetting);
  if (s.has_value()) {
    (*s)->Bind(1, std::string_view(kCalendarSettingKey));
    auto row = (*s)->Step();
    if (row.has_value() && *row) {
      text = (*s)->Text(0);
    }
    (*s)->Reset();
  }
  std::lock_guard lock(kpi_mu_);
  if (!kpi_calendar_ || text != kpi_calendar_text_) {
    auto parsed = text.empty() ? Result<domain::WorkCalendar>(domain::WorkCalendar::PlainWeeks())
                               : domain::WorkCalendar::Parse(text);
    kpi_calendar_ = std::make_shared<const domain::WorkCalendar>(
        parsed.has_value() ? *parsed : domain::WorkCalendar::PlainWeeks());
    kpi_calendar_text_ = text;
  }
  return kpi_calendar_;
}

Result<SqliteStore::KpiFacts> SqliteStore::KpiFactsForNew(
    const std::vector<domain::TicketEvent>& events) {
  std::shared_ptr<const domain::WorkCalendar> calendar;
  {
    HOTLINE_READER(r);
    calendar = KpiCalendar(r.db());
  }
  KpiFacts out;
  domain::Ticket t;
  for (const domain::TicketEvent& e : events) {
    for (Fact& f : domain::kpi::Contributions(t, e, *calendar)) {
      out.emplace_back(e.seq, std::move(f));
    }
    domain::Apply(t, e);
  }
  return out;
}

Result<SqliteStore::KpiFacts> SqliteStore::KpiFactsFor(const ports::TicketWrite& w) {
  KpiFacts out;
  if (w.events.empty()) {
    return out;
  }
  std::shared_ptr<const domain::WorkCalendar> calendar;
  domain::Ticket t;
  {
    HOTLINE_READER(r);
    calendar = KpiCalendar(r.db());
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kFindDoc));
    s->Bind(1, w.ticket.id.value());
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      s->Reset();
      return NotFound(fmt::format("工单不存在: {}", w.ticket.number));
    }
    auto j = nlohmann::json::parse(s->Text(0), nullptr, false);
    s->Reset();
    if (j.is_discarded() || !j.is_object()) {
      return Internal("工单文档不是有效的 JSON（数据库已损坏？）");
    }
    j["id"] = w.ticket.id.value();
    j["number"] = w.ticket.number;
    HOTLINE_ASSIGN_OR_RETURN(t, json::TicketFromJson(j));
  }
  if (t.version != w.expected_version) {
    return Aborted(
        fmt::format("工单 {} 已被他人修改（当前版本 {}，基于版本 {} 的修改被拒绝），请刷新后重试",
                    w.ticket.number, t.version, w.expected_version));
  }
  for (const domain::TicketEvent& e : w.events) {
    for (Fact& f : domain::kpi::Contributions(t, e, *calendar)) {
      out.emplace_back(e.seq, std::move(f));
    }
    domain::Apply(t, e);
  }
  return out;
}

Status SqliteStore::WriteKpiFacts(Db& db, int64_t ticket_id, const KpiFacts& facts) {
  CountyMemo memo;
  for (const auto& [seq, f] : facts) {
    HOTLINE_RETURN_IF_ERROR(InsertFacts(db, ticket_id, seq, f, memo));
  }
  return OkStatus();
}

Status SqliteStore::RebuildKpi() {
  return RunWrite([&](Db& db) -> Status {
    auto calendar = KpiCalendar(db);
    HOTLINE_RETURN_IF_ERROR(
        db.Exec("DELETE FROM kpi_facts; DELETE FROM kpi_daily; DELETE FROM kpi_rollup; "
                "DELETE FROM kpi_county_rollup; DELETE FROM kpi_region_county; "
                "DELETE FROM kpi_category_top;"));
    CountyMemo memo;  // counties and top categories are recomputed from the current trees
    HOTLINE_ASSIGN_OR_RETURN(auto rows, OneShot::Prepare(db, kAllEventRows));
    Stmt& s = rows->stmt();
    domain::Ticket t;
    int64_t current = 0;
    while (true) {
      HOTLINE_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) {
        break;
      }
      int64_t id = s.Int(0);
      if (id != current) {
        t = domain::Ticket{};
        t.id = domain::TicketId{id};
        current = id;
      }
      domain::TicketEvent e;
      e.ticket = domain::TicketId{id};
      e.seq = s.Int(1);
      e.at = FromUnix(s.Int(2));
      e.actor.user = domain::UserId{s.Int(3)};
      e.actor.role = domain::ParseRole(s.Text(4)).value_or(domain::Role::kSystem);
      e.actor.unit = domain::UnitId{s.Int(5)};
      e.actor.name = s.Text(6);
      e.type = s.Text(7);
      auto j = nlohmann::json::parse(s.Text(8), nullptr, false);
      if (j.is_discarded()) {
        return Internal("事件字段不是有效的 JSON（数据库已损坏？）");
      }
      HOTLINE_ASSIGN_OR_RETURN(e.fields, json::FieldsFromJson(j));
      for (const Fact& f : domain::kpi::Contributions(t, e, *calendar)) {
        HOTLINE_RETURN_IF_ERROR(InsertFacts(db, id, e.seq, f, memo));
      }
      domain::Apply(t, e);
    }
    HOTLINE_ASSIGN_OR_RETURN(Stmt * del, db.Prepare("DELETE FROM settings WHERE key = ?1"));
    del->Bind(1, std::string_view(kNeedsRebuild));
    return del->Run();
  });
}

Status SqliteStore::RebuildKpiIfNeeded() {
  HOTLINE_ASSIGN_OR_RETURN(auto flag, GetSetting(kNeedsRebuild));
  if (!flag.has_value()) {
    return OkStatus();
  }
  return RebuildKpi();
}

Result<std::vector<std::pair<std::string, int64_t>>> SqliteStore::KpiAggregateDump() {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(
      Stmt * s, r.db().Prepare("SELECT day, unit, category, region, type, channel, measure, value "
                               "FROM kpi_daily WHERE value <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7"));
  std::vector<std::pair<std::string, int64_t>> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    out.emplace_back(
        fmt::format("{}|{}|{}|{}|{}|{}|{}", s->Text(0), s->Int(1), s->Int(2), s->Int(3), s->Text(4),
                    s->Text(5), domain::kpi::Code(static_cast<Measure>(s->Int(6)))),
        s->Int(7));
  }
  s->Reset();
  // The roll-ups too, so that comparing a rebuild with the incremental state covers them.
  HOTLINE_ASSIGN_OR_RETURN(Stmt * u, r.db().Prepare("SELECT dim, month, key, measure, value "
                                                    "FROM kpi_rollup WHERE value <> 0 "
                                                    "ORDER BY 1, 2, 3, 4"));
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, u->Step());
    if (!row) {
      break;
    }
    out.emplace_back(fmt::format("rollup|{}|{}|{}|{}", u->Text(0), u->Text(1), u->Int(2),
                                 domain::kpi::Code(static_cast<Measure>(u->Int(3)))),
                     u->Int(4));
  }
  u->Reset();
  HOTLINE_ASSIGN_OR_RETURN(
      Stmt * c, r.db().Prepare("SELECT dim, county, month, key, measure, value "
                               "FROM kpi_county_rollup WHERE value <> 0 ORDER BY 1, 2, 3, 4, 5"));
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, c->Step());
    if (!row) {
      break;
    }
    out.emplace_back(fmt::format("county_rollup|{}|{}|{}|{}|{}", c->Text(0), c->Int(1), c->Text(2),
                                 c->Int(3), domain::kpi::Code(static_cast<Measure>(c->Int(4)))),
                     c->Int(5));
  }
  c->Reset();
  HOTLINE_ASSIGN_OR_RETURN(
      Stmt * m, r.db().Prepare("SELECT region, county FROM kpi_region_county ORDER BY 1"));
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, m->Step());
    if (!row) {
      break;
    }
    out.emplace_back(fmt::format("region_county|{}", m->Int(0)), m->Int(1));
  }
  m->Reset();
  HOTLINE_ASSIGN_OR_RETURN(Stmt * t,
                           r.db().Prepare("SELECT category, top FROM kpi_category_top ORDER BY 1"));
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, t->Step());
    if (!row) {
      break;
    }
    out.emplace_back(fmt::format("category_top|{}", t->Int(0)), t->Int(1));
  }
  t->Reset();
  return out;
}

Result<std::vector<ports::KpiGroupRow>> SqliteStore::KpiSums(const ports::KpiQuery& q,
                                                             ports::KpiGroup group) {
  const char* column = "''";
  switch (group) {
    case ports::KpiGroup::kNone:
      break;
    case ports::KpiGroup::kDay:
      column = "day";
      break;
    case ports::KpiGroup::kUnit:
      column = "unit";
      break;
    case ports::KpiGroup::kRegion:
      column = "region";
      break;
    case ports::KpiGroup::kCategory:
    case ports::KpiGroup::kTopCategory:  // (daily rows by leaf, folded below)
      column = "category";
      break;
    case ports::KpiGroup::kMonth:
      column = "substr(day, 1, 7)";
      break;
  }
  // Which roll-up answers the whole months (docs/kpi.md, "Roll-ups"):
  //  - one of 011 that keeps the only dimension the query filters or groups by;
  //  - else, when the query's regions are whole counties (kpi_region_county), a county
  //    roll-up of 012 that keeps the other dimension (unit or category) it uses;
  //  - else none: kpi_daily answers (two of unit/region/category besides the county, a
  //    type or channel filter, grouping by day, or a part of a county).
  const bool u = !q.units.empty();
  const bool r = !q.regions.empty();
  const bool c = !q.categories.empty();
  const bool plain = !q.daily_only && q.types.empty() && q.channels.empty();
  const char* dim = nullptr;
  const std::vector<int64_t>* keys = nullptr;
  if (plain && (u + r + c) <= 1) {
    switch (group) {
      case ports::KpiGroup::kDay:
        break;
      case ports::KpiGroup::kUnit:
        dim = r || c ? nullptr : "unit";
        break;
      case ports::KpiGroup::kRegion:
        dim = u || c ? nullptr : "region";
        break;
      case ports::KpiGroup::kCategory:
        dim = u || r ? nullptr : "category";
        break;
      case ports::KpiGroup::kTopCategory:  // (a category filter names leaves: daily rows)
        dim = u || r || c ? nullptr : "top_category";
        break;
      case ports::KpiGroup::kNone:
      case ports::KpiGroup::kMonth:
        dim = u ? "unit" : r ? "region" : c ? "category" : "all";
        break;
    }
    if (dim != nullptr) {
      keys = u ? &q.units : r ? &q.regions : c ? &q.categories : nullptr;
    }
  }
  // County roll-up candidates: the dimension kept besides the county.
  const char* county_dim = nullptr;
  if (dim == nullptr && plain && r && !(u && c)) {
    const bool totals = group == ports::KpiGroup::kNone || group == ports::KpiGroup::kMonth;
    if (!c && (group == ports::KpiGroup::kUnit || (u && totals))) {
      county_dim = "unit";
      keys = u ? &q.units : nullptr;
    } else if (!u && (group == ports::KpiGroup::kCategory || (c && totals))) {
      county_dim = "category";
      keys = c ? &q.categories : nullptr;
    } else if (!u && !c && group == ports::KpiGroup::kTopCategory) {
      county_dim = "top_category";
    }
  }
  std::optional<MonthSplit> split;
  if (dim != nullptr || county_dim != nullptr) {
    split = SplitByMonth(q.from, q.to);
  }

  HOTLINE_READER(rd);
  // By top-level category: the rows of the 'top_category' roll-ups are keyed by the tops
  // kpi_category_top fixed when they were written; the daily rows (and the leaf-keyed
  // roll-ups) are folded below by the current tree. When the two trees disagree (a category
  // moved), the daily rows answer alone.
  CurrentTops tops;
  if (group == ports::KpiGroup::kTopCategory) {
    HOTLINE_ASSIGN_OR_RETURN(tops, LoadCurrentTops(rd.db()));
    if (!tops.rollups_agree) {
      split.reset();
    }
  }
  std::vector<int64_t> counties;
  if (county_dim != nullptr && split.has_value()) {
    HOTLINE_ASSIGN_OR_RETURN(auto whole, WholeCounties(rd.db(), q.regions));
    if (whole.has_value()) {
      counties = std::move(*whole);
    } else {
      split.reset();
    }
  }
  std::map<std::string, domain::kpi::Sums> sums;
  auto collect = [&](const std::string& sql, auto&& bind) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(auto stmt, OneShot::Prepare(rd.db(), sql));
    Stmt& s = stmt->stmt();
    bind(s);
    while (true) {
      HOTLINE_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) {
        break;
      }
      int64_t m = s.Int(1);
      if (m >= 0 && m < static_cast<int64_t>(domain::kpi::kMeasureCount)) {
        sums[s.Text(0)][static_cast<size_t>(m)] += s.Int(2);
      }
    }
    return OkStatus();
  };
  auto daily = [&](const std::string& from, const std::string& to) -> Status {
    ports::KpiQuery part = q;
    part.from = from;
    part.to = to;
    Where w = WhereOf(part);
    return collect(fmt::format("SELECT CAST({0} AS TEXT), measure, SUM(value) FROM kpi_daily{1} "
                               "GROUP BY {0}, measure",
                               column, w.sql),
                   [&](Stmt& s) { Bind(s, w); });
  };
  if (!split.has_value()) {
    HOTLINE_RETURN_IF_ERROR(daily(q.from, q.to));
  } else {
    if (!split->head_from.empty()) {
      HOTLINE_RETURN_IF_ERROR(daily(split->head_from, split->head_to));
    }
    if (!split->tail_from.empty()) {
      HOTLINE_RETURN_IF_ERROR(daily(split->tail_from, split->tail_to));
    }
    const char* key_column = group == ports::KpiGroup::kNone    ? "''"
                             : group == ports::KpiGroup::kMonth ? "month"
                                                                : "key";
    Where w;
    std::string table;
    if (dim != nullptr) {
      table = "kpi_rollup";
      w.sql = " WHERE dim = ? AND month >= ? AND month <= ?";
      w.text = {dim, split->first_month, split->last_month};
      w.order = {1, 1, 1};
    } else {
      table = "kpi_county_rollup";
      w.sql = " WHERE dim = ?";
      w.text = {county_dim};
      w.order = {1};
      AddIn(w, "county", counties);
      w.sql += " AND month >= ? AND month <= ?";
      w.text.push_back(split->first_month);
      w.text.push_back(split->last_month);
      w.order.push_back(1);
      w.order.push_back(1);
    }
    if (keys != nullptr) {
      AddIn(w, "key", *keys);
    }
    // (A county roll-up over regions no fact has: the whole months add nothing.)
    const bool nothing = dim == nullptr && counties.empty();
    if (nothing) {
      // nothing to add
    } else if (std::string_view(key_column) == "key") {
      // Grouped by the roll-up's key (a breakdown by unit, region or category): the rows are
      // summed here by integer key, not by SQLite's GROUP BY, which would sort every row of
      // every month (some 170k for a year's 1,000 categories) to merge the months.
      HOTLINE_ASSIGN_OR_RETURN(
          auto stmt, OneShot::Prepare(rd.db(), fmt::format("SELECT key, measure, value FROM {}{}",
                                                           table, w.sql)));
      Stmt& st = stmt->stmt();
      Bind(st, w);
      std::unordered_map<int64_t, domain::kpi::Sums> by_key;
      while (true) {
        HOTLINE_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) {
          break;
        }
        int64_t m = st.Int(1);
        if (m >= 0 && m < static_cast<int64_t>(domain::kpi::kMeasureCount)) {
          by_key[st.Int(0)][static_cast<size_t>(m)] += st.Int(2);
        }
      }
      for (const auto& [key, v] : by_key) {
        domain::kpi::Sums& into = sums[std::to_string(key)];
        for (size_t i = 0; i < into.size(); ++i) {
          into[i] += v[i];
        }
      }
    } else {
      HOTLINE_RETURN_IF_ERROR(
          collect(fmt::format("SELECT CAST({0} AS TEXT), measure, SUM(value) FROM {1}{2} "
                              "GROUP BY {0}, measure",
                              key_column, table, w.sql),
                  [&](Stmt& s) { Bind(s, w); }));
    }
  }
  if (group == ports::KpiGroup::kTopCategory) {
    std::map<std::string, domain::kpi::Sums> folded;
    for (const auto& [key, v] : sums) {
      domain::kpi::Sums& into =
          folded[std::to_string(tops.Of(std::strtoll(key.c_str(), nullptr, 10)))];
      for (size_t i = 0; i < into.size(); ++i) {
        into[i] += v[i];
      }
    }
    sums = std::move(folded);
  }
  std::vector<ports::KpiGroupRow> out;
  out.reserve(sums.size());
  for (auto& [key, v] : sums) {
    out.push_back({key, v});
  }
  if (group != ports::KpiGroup::kNone && group != ports::KpiGroup::kDay &&
      group != ports::KpiGroup::kMonth) {
    // Ids in numeric order, as SQL's ORDER BY on the integer column gave.
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::strtoll(a.key.c_str(), nullptr, 10) < std::strtoll(b.key.c_str(), nullptr, 10);
    });
  }
  if (out.empty() && group == ports::KpiGroup::kNone) {
    out.push_back({"", {}});
  }
  return out;
}

Result<std::vector<ports::KpiTicketRef>> SqliteStore::KpiTickets(const ports::KpiQuery& q,
                                                                 Measure measure, int64_t after_id,
                                                                 int limit) {
  Where w = WhereOf(q, "f.");
  std::string sql = fmt::format(
      "SELECT f.ticket_id, t.number, MIN(f.day), SUM(f.value) FROM kpi_facts f "
      "JOIN tickets t ON t.id = f.ticket_id{} AND f.measure = ? AND f.ticket_id > ? "
      "GROUP BY f.ticket_id ORDER BY f.ticket_id LIMIT ?",
      w.sql);
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(auto stmt, OneShot::Prepare(r.db(), sql));
  Stmt& s = stmt->stmt();
  int next = Bind(s, w);
  s.Bind(next, static_cast<int64_t>(measure)).Bind(next + 1, after_id).Bind(next + 2, limit);
  std::vector<ports::KpiTicketRef> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) {
      break;
    }
    out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Int(3)});
  }
  return out;
}

Result<ports::StepClaim> SqliteStore::ClaimStep(domain::TicketId ticket, const std::string& key,
                                                Instant at) {
  ports::StepClaim claim = ports::StepClaim::kClaimed;
  Status st = RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kClaim));
    s->Bind(1, ticket.value()).Bind(2, key).Bind(3, ToUnix(at));
    HOTLINE_RETURN_IF_ERROR(s->Run());
    if (db.Changes() == 1) {
      claim = ports::StepClaim::kClaimed;
      return OkStatus();
    }
    HOTLINE_ASSIGN_OR_RETURN(Stmt * q, db.Prepare(kStepState));
    q->Bind(1, ticket.value()).Bind(2, key);
    HOTLINE_ASSIGN_OR_RETURN(bool row, q->Step());
    claim = row && !q->IsNull(0) ? ports::StepClaim::kAlreadyDone : ports::StepClaim::kPending;
    q->Reset();
    return OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(st);
  return claim;
}

Status SqliteStore::FinishStep(domain::TicketId ticket, const std::string& key, int64_t seq) {
  return RunWrite([&](Db& db) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kFinish));
    s->Bind(1, ticket.value()).Bind(2, key).Bind(3, seq);
    return s->Run();
  });
}

}  // namespace hotline::adapters::sqlite

// SqliteStore's TelephonyStore: call detail records and agent state changes (schema 007).

#include "adapters/sqlite/reader.h"
#include "adapters/sqlite/sqlite_store.h"

namespace hotline::adapters::sqlite {

using domain::kpi::AgentStateChange;
using domain::kpi::CallRecord;
using domain::kpi::CallSums;

namespace {

constexpr char kFindCall[] =
    "SELECT id, call_id, caller, queue, offered_at, answered_at, ended_at, abandoned, agent, "
    "talk_seconds, ticket, channel FROM calls WHERE call_id = ?1";
constexpr char kInsertCall[] =
    "INSERT INTO calls (call_id, caller, queue, offered_at, answered_at, ended_at, abandoned, "
    "agent, talk_seconds, ticket, channel, m_answered, m_abandoned, m_short_abandoned, "
    "m_in_target, m_talk, m_wait, received_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
    "strftime('%s', 'now'), strftime('%s', 'now'))";
constexpr char kUpdateCall[] =
    "UPDATE calls SET caller = ?2, queue = ?3, offered_at = ?4, answered_at = ?5, ended_at = ?6, "
    "abandoned = ?7, agent = ?8, talk_seconds = ?9, ticket = ?10, channel = ?11, "
    "m_answered = ?12, m_abandoned = ?13, m_short_abandoned = ?14, m_in_target = ?15, "
    "m_talk = ?16, m_wait = ?17, updated_at = strftime('%s', 'now') WHERE call_id = ?1";
constexpr char kSums[] =
    "SELECT COUNT(*), COALESCE(SUM(m_answered), 0), COALESCE(SUM(m_abandoned), 0), "
    "COALESCE(SUM(m_short_abandoned), 0), COALESCE(SUM(m_in_target), 0), "
    "COALESCE(SUM(m_talk), 0), COALESCE(SUM(m_wait), 0) FROM calls "
    "WHERE offered_at >= ?1 AND offered_at < ?2";
constexpr char kSumsAgent[] =
    "SELECT COUNT(*), COALESCE(SUM(m_answered), 0), COALESCE(SUM(m_abandoned), 0), "
    "COALESCE(SUM(m_short_abandoned), 0), COALESCE(SUM(m_in_target), 0), "
    "COALESCE(SUM(m_talk), 0), COALESCE(SUM(m_wait), 0) FROM calls "
    "WHERE agent = ?3 AND offered_at >= ?1 AND offered_at < ?2";
constexpr char kList[] =
    "SELECT id, call_id, caller, queue, offered_at, answered_at, ended_at, abandoned, agent, "
    "talk_seconds, ticket, channel FROM calls "
    "WHERE offered_at >= ?1 AND offered_at < ?2 AND id > ?3 ORDER BY id LIMIT ?4";
constexpr char kListAgent[] =
    "SELECT id, call_id, caller, queue, offered_at, answered_at, ended_at, abandoned, agent, "
    "talk_seconds, ticket, channel FROM calls "
    "WHERE agent = ?5 AND offered_at >= ?1 AND offered_at < ?2 AND id > ?3 ORDER BY id LIMIT ?4";
constexpr char kInsertState[] =
    "INSERT INTO agent_states (agent, state, at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
// SQLite takes the bare columns of the row with MAX(at) (the last change before `from`).
constexpr char kStates[] =
    "SELECT agent, state, at, id FROM agent_states WHERE at >= ?1 AND at < ?2 "
    "UNION ALL SELECT agent, state, MAX(at), id FROM agent_states WHERE at < ?1 GROUP BY agent "
    "ORDER BY 3, 4";

std::optional<Instant> OptTime(const Stmt& s, int col) {
  if (s.IsNull(col)) {
    return std::nullopt;
  }
  return FromUnix(s.Int(col));
}

std::optional<int64_t> OptUnix(const std::optional<Instant>& t) {
  if (!t) {
    return std::nullopt;
  }
  return ToUnix(*t);
}

// Columns 1..11 of kFindCall / kList.
CallRecord ReadCall(const Stmt& s) {
  CallRecord r;
  r.call_id = s.Text(1);
  r.caller = s.Text(2);
  r.queue = s.Text(3);
  r.offered_at = FromUnix(s.Int(4));
  r.answered_at = OptTime(s, 5);
  r.ended_at = OptTime(s, 6);
  r.abandoned = s.Int(7) != 0;
  r.agent = s.Text(8);
  r.talk_seconds = s.Int(9);
  r.ticket = s.Text(10);
  r.channel = s.Text(11);
  return r;
}

Status WriteCall(Db& db, const char* sql, const CallRecord& r) {
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(sql));
  CallSums m = domain::kpi::Contribution(r);
  s->Bind(1, std::string_view(r.call_id))
      .Bind(2, std::string_view(r.caller))
      .Bind(3, std::string_view(r.queue))
      .Bind(4, ToUnix(r.offered_at))
      .BindOpt(5, OptUnix(r.answered_at))
      .BindOpt(6, OptUnix(r.ended_at))
      .Bind(7, int64_t{r.abandoned ? 1 : 0})
      .Bind(8, std::string_view(r.agent))
      .Bind(9, r.talk_seconds)
      .Bind(10, std::string_view(r.ticket))
      .Bind(11, std::string_view(r.channel))
      .Bind(12, m.answered)
      .Bind(13, m.abandoned)
      .Bind(14, m.short_abandoned)
      .Bind(15, m.answered_in_target)
      .Bind(16, m.talk_seconds)
      .Bind(17, m.wait_seconds);
  return s->Run();
}

}  // namespace

Result<ports::UpsertCounts> SqliteStore::PutCalls(const std::vector<CallRecord>& calls) {
  ports::UpsertCounts counts;
  Status written = RunWrite([&](Db& db) -> Status {
    counts = {};
    for (const CallRecord& r : calls) {
      HOTLINE_ASSIGN_OR_RETURN(Stmt * find, db.Prepare(kFindCall));
      find->Bind(1, std::string_view(r.call_id));
      HOTLINE_ASSIGN_OR_RETURN(bool found, find->Step());
      if (!found) {
        HOTLINE_RETURN_IF_ERROR(WriteCall(db, kInsertCall, r));
        ++counts.inserted;
        continue;
      }
      CallRecord stored = ReadCall(*find);
      find->Reset();
      if (stored == r || domain::kpi::Stage(r) < domain::kpi::Stage(stored)) {
        ++counts.unchanged;
        continue;
      }
      HOTLINE_RETURN_IF_ERROR(WriteCall(db, kUpdateCall, r));
      ++counts.updated;
    }
    return OkStatus();
  });
  if (!written.has_value()) {
    return written.error();
  }
  return counts;
}

Result<ports::UpsertCounts> SqliteStore::PutAgentStates(
    const std::vector<AgentStateChange>& changes) {
  ports::UpsertCounts counts;
  Status written = RunWrite([&](Db& db) -> Status {
    counts = {};
    for (const AgentStateChange& c : changes) {
      HOTLINE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(kInsertState));
      s->Bind(1, std::string_view(c.agent))
          .Bind(2, domain::kpi::Code(c.state))
          .Bind(3, ToUnix(c.at));
      HOTLINE_RETURN_IF_ERROR(s->Run());
      if (db.Changes() > 0) {
        ++counts.inserted;
      } else {
        ++counts.unchanged;
      }
    }
    return OkStatus();
  });
  if (!written.has_value()) {
    return written.error();
  }
  return counts;
}

Result<CallSums> SqliteStore::CallSumsBetween(Instant from, Instant to, const std::string& agent) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(agent.empty() ? kSums : kSumsAgent));
  s->Bind(1, ToUnix(from)).Bind(2, ToUnix(to));
  if (!agent.empty()) {
    s->Bind(3, std::string_view(agent));
  }
  HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
  CallSums out;
  if (row) {
    out.offered = s->Int(0);
    out.answered = s->Int(1);
    out.abandoned = s->Int(2);
    out.short_abandoned = s->Int(3);
    out.answered_in_target = s->Int(4);
    out.talk_seconds = s->Int(5);
    out.wait_seconds = s->Int(6);
  }
  s->Reset();
  return out;
}

Result<std::vector<ports::StoredCall>> SqliteStore::ListCalls(const ports::CallQuery& q) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(q.agent.empty() ? kList : kListAgent));
  s->Bind(1, ToUnix(q.from)).Bind(2, ToUnix(q.to)).Bind(3, q.after).Bind(4, int64_t{q.limit});
  if (!q.agent.empty()) {
    s->Bind(5, std::string_view(q.agent));
  }
  std::vector<ports::StoredCall> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    out.push_back({s->Int(0), ReadCall(*s)});
  }
  return out;
}

Result<std::vector<AgentStateChange>> SqliteStore::AgentStatesBetween(Instant from, Instant to) {
  HOTLINE_READER(r);
  HOTLINE_ASSIGN_OR_RETURN(Stmt * s, r.db().Prepare(kStates));
  s->Bind(1, ToUnix(from)).Bind(2, ToUnix(to));
  std::vector<AgentStateChange> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    auto state = domain::kpi::ParseAgentState(s->Text(1));
    if (!state) {
      return Internal("agent_states: 未知状态 " + s->Text(1));
    }
    out.push_back({s->Text(0), *state, FromUnix(s->Int(2))});
  }
  return out;
}

}  // namespace hotline::adapters::sqlite

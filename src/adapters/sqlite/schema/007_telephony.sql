-- 007: telephony input (docs/telephony.md): call detail records and agent state changes.
-- One row per call id; a resend replaces the row unless it is less complete (docs/kpi.md).
-- The m_* columns are the call's contribution to the call KPIs (domain/kpi/calls.h),
-- computed when the row is written, so a period's KPIs are one SUM over an index range.
CREATE TABLE calls (
  id           INTEGER PRIMARY KEY,
  call_id      TEXT    NOT NULL UNIQUE,
  caller       TEXT    NOT NULL DEFAULT '',
  queue        TEXT    NOT NULL DEFAULT '',
  offered_at   INTEGER NOT NULL,
  answered_at  INTEGER,
  ended_at     INTEGER,
  abandoned    INTEGER NOT NULL DEFAULT 0,
  agent        TEXT    NOT NULL DEFAULT '',
  talk_seconds INTEGER NOT NULL DEFAULT 0,
  ticket       TEXT    NOT NULL DEFAULT '',
  channel      TEXT    NOT NULL DEFAULT '',
  m_answered        INTEGER NOT NULL DEFAULT 0,
  m_abandoned       INTEGER NOT NULL DEFAULT 0,
  m_short_abandoned INTEGER NOT NULL DEFAULT 0,
  m_in_target       INTEGER NOT NULL DEFAULT 0,
  m_talk            INTEGER NOT NULL DEFAULT 0,
  m_wait            INTEGER NOT NULL DEFAULT 0,
  received_at  INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX calls_by_offered ON calls (offered_at);
CREATE INDEX calls_by_agent ON calls (agent, offered_at);

-- Agent state changes (logged_in, ready, busy, after_call_work, logged_out); a resend of the
-- same (agent, at, state) is stored once.
CREATE TABLE agent_states (
  id    INTEGER PRIMARY KEY,
  agent TEXT    NOT NULL,
  state TEXT    NOT NULL,
  at    INTEGER NOT NULL,
  UNIQUE (agent, at, state)
);
CREATE INDEX agent_states_by_at ON agent_states (at);

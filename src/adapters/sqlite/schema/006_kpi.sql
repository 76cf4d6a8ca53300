-- 006: KPI facts and daily aggregates (docs/kpi.md), and the time-limit job's ledger.
-- One row per (event, measure, unit): what each event contributed. Drill-down reads it.
CREATE TABLE kpi_facts (
  ticket_id INTEGER NOT NULL,
  seq       INTEGER NOT NULL,
  measure   INTEGER NOT NULL,
  unit      INTEGER NOT NULL,
  day       TEXT    NOT NULL,
  category  INTEGER NOT NULL,
  region    INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  channel   TEXT    NOT NULL,
  value     INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, seq, measure, unit)
) WITHOUT ROWID;
CREATE INDEX kpi_facts_by_measure ON kpi_facts (measure, day, ticket_id);

-- The facts summed by day x unit x category x region x type x channel x measure, updated in
-- the same transaction as the events; dashboards read only this.
CREATE TABLE kpi_daily (
  day      TEXT    NOT NULL,
  unit     INTEGER NOT NULL,
  category INTEGER NOT NULL,
  region   INTEGER NOT NULL,
  type     TEXT    NOT NULL,
  channel  TEXT    NOT NULL,
  measure  INTEGER NOT NULL,
  value    INTEGER NOT NULL,
  PRIMARY KEY (day, unit, category, region, type, channel, measure)
) WITHOUT ROWID;

-- Steps of the time-limit job (reminder, urge, supervise), each taken once per ticket.
CREATE TABLE job_steps (
  ticket_id  INTEGER NOT NULL,
  step       TEXT    NOT NULL,
  claimed_at INTEGER NOT NULL,
  done_at    INTEGER,
  event_seq  INTEGER,
  PRIMARY KEY (ticket_id, step)
) WITHOUT ROWID;

-- Tickets written before this migration get their facts from a rebuild at the next open.
INSERT OR REPLACE INTO settings (key, value) VALUES ('kpi_needs_rebuild', '1');

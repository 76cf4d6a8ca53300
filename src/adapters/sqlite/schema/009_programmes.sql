-- 009: themes and programmes (docs/programmes.md): thematic campaigns and their tickets,
-- leader hotline days, difficult cases, and the quality inspection of agents.
CREATE TABLE campaigns (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL UNIQUE,
  description TEXT    NOT NULL DEFAULT '',
  date_from   TEXT    NOT NULL,
  date_to     TEXT    NOT NULL,
  categories  TEXT    NOT NULL DEFAULT '',  -- ids, comma-separated
  regions     TEXT    NOT NULL DEFAULT '',  -- ids, comma-separated
  keywords    TEXT    NOT NULL DEFAULT '',  -- one per line
  created_by  TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  scanned_to  INTEGER NOT NULL DEFAULT 0    -- the highest ticket id the rule has seen
);

-- how: 'rule' (matched), 'manual' (tagged by hand), 'excluded' (removed by hand: the rule
-- does not add it again).
CREATE TABLE campaign_tickets (
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  ticket_id   INTEGER NOT NULL,
  how         TEXT    NOT NULL,
  PRIMARY KEY (campaign_id, ticket_id)
) WITHOUT ROWID;

CREATE TABLE leader_days (
  id         INTEGER PRIMARY KEY,
  day        TEXT    NOT NULL,
  leader     TEXT    NOT NULL,
  topic      TEXT    NOT NULL,
  units      TEXT    NOT NULL DEFAULT '',  -- unit ids, comma-separated
  note       TEXT    NOT NULL DEFAULT '',
  created_by TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX leader_days_by_day ON leader_days (day);

CREATE TABLE leader_day_tickets (
  day_id    INTEGER NOT NULL REFERENCES leader_days (id) ON DELETE CASCADE,
  ticket_id INTEGER NOT NULL,
  seq       INTEGER NOT NULL,
  PRIMARY KEY (day_id, ticket_id)
) WITHOUT ROWID;

CREATE TABLE difficult_cases (
  id          INTEGER PRIMARY KEY,
  ticket_id   INTEGER NOT NULL,
  reason      TEXT    NOT NULL,
  flagged_by  TEXT    NOT NULL,
  flagged_at  INTEGER NOT NULL,
  owner       TEXT    NOT NULL DEFAULT '',
  next_review TEXT    NOT NULL DEFAULT '',
  resolved    INTEGER NOT NULL DEFAULT 0,
  resolved_at INTEGER,
  resolution  TEXT    NOT NULL DEFAULT ''
);
-- At most one open case per ticket.
CREATE UNIQUE INDEX difficult_cases_open ON difficult_cases (ticket_id) WHERE resolved = 0;

CREATE TABLE difficult_notes (
  case_id INTEGER NOT NULL REFERENCES difficult_cases (id) ON DELETE CASCADE,
  seq     INTEGER NOT NULL,
  at      INTEGER NOT NULL,
  by      TEXT    NOT NULL,
  text    TEXT    NOT NULL,
  PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;

CREATE TABLE qa_sheets (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL UNIQUE,
  items      TEXT    NOT NULL,  -- JSON [{"name":..,"max_points":..}]
  active     INTEGER NOT NULL DEFAULT 1,
  created_by TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE qa_inspections (
  id          INTEGER PRIMARY KEY,
  sheet_id    INTEGER NOT NULL REFERENCES qa_sheets (id),
  agent       TEXT    NOT NULL,
  target_kind TEXT    NOT NULL,
  target      TEXT    NOT NULL,
  inspector   TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  day         TEXT    NOT NULL,  -- local date of `at`
  scores      TEXT    NOT NULL,  -- JSON [int, ...]
  remarks     TEXT    NOT NULL,  -- JSON [string, ...]
  comment     TEXT    NOT NULL DEFAULT '',
  total       INTEGER NOT NULL,
  max_total   INTEGER NOT NULL
);
CREATE INDEX qa_inspections_by_day ON qa_inspections (day, agent);
CREATE INDEX qa_inspections_by_agent ON qa_inspections (agent, day);

-- 001: the ticket event log (source of truth), ticket projections and the directory.
CREATE TABLE ticket_events (
  ticket_id   INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  actor_user  INTEGER NOT NULL,
  actor_role  TEXT    NOT NULL,
  actor_unit  INTEGER NOT NULL,
  actor_name  TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  fields      TEXT    NOT NULL,
  PRIMARY KEY (ticket_id, seq)
) WITHOUT ROWID;

CREATE TABLE tickets (
  id             INTEGER PRIMARY KEY,
  number         TEXT    NOT NULL UNIQUE,
  version        INTEGER NOT NULL,
  state          TEXT    NOT NULL,
  type           TEXT    NOT NULL,
  urgency        TEXT    NOT NULL,
  category_id    INTEGER,
  region_id      INTEGER,
  lead_unit      INTEGER,
  citizen_phone  TEXT    NOT NULL,
  created_at     INTEGER NOT NULL,
  reply_deadline INTEGER,
  doc            TEXT    NOT NULL
);
CREATE INDEX tickets_by_state ON tickets (state, id);
CREATE INDEX tickets_by_lead ON tickets (lead_unit, state, id);
CREATE INDEX tickets_by_created ON tickets (created_at);
CREATE INDEX tickets_by_phone ON tickets (citizen_phone, id) WHERE citizen_phone <> '';

-- Units that a ticket concerns (lead and co-units), for unit queues and data scope.
CREATE TABLE ticket_units (
  unit_id   INTEGER NOT NULL,
  ticket_id INTEGER NOT NULL,
  role      TEXT    NOT NULL,
  PRIMARY KEY (unit_id, ticket_id)
) WITHOUT ROWID;
CREATE INDEX ticket_units_by_ticket ON ticket_units (ticket_id);

-- Daily sequence behind readable ticket numbers.
CREATE TABLE ticket_numbers (
  day      TEXT    PRIMARY KEY,
  last_seq INTEGER NOT NULL
);

CREATE TABLE regions (
  id     INTEGER PRIMARY KEY,
  code   TEXT NOT NULL UNIQUE,
  name   TEXT NOT NULL,
  level  TEXT NOT NULL,
  parent INTEGER
);

CREATE TABLE units (
  id     INTEGER PRIMARY KEY,
  code   TEXT    NOT NULL UNIQUE,
  name   TEXT    NOT NULL,
  level  TEXT    NOT NULL,
  kind   TEXT    NOT NULL,
  parent INTEGER,
  region INTEGER,
  active INTEGER NOT NULL
);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  login         TEXT    NOT NULL UNIQUE,
  name          TEXT    NOT NULL,
  role          TEXT    NOT NULL,
  unit          INTEGER,
  active        INTEGER NOT NULL,
  password_hash TEXT
);

CREATE TABLE categories (
  id     INTEGER PRIMARY KEY,
  name   TEXT    NOT NULL,
  parent INTEGER,
  level  INTEGER NOT NULL
);

CREATE TABLE routing_rules (
  id         INTEGER PRIMARY KEY,
  category   INTEGER,
  region     INTEGER,
  lead_unit  INTEGER NOT NULL,
  co_units   TEXT    NOT NULL,
  priority   INTEGER NOT NULL,
  valid_from INTEGER,
  valid_to   INTEGER,
  note       TEXT    NOT NULL
);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- 004: the admin endpoints. Every change of the routing directory (派单目录) is kept: who,
-- when, what (create/update/delete/fallback), and the rule before and after (documents
-- written by the caller). Users and units already carry an `active` flag (001).
CREATE TABLE routing_history (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  at         INTEGER NOT NULL,
  login      TEXT    NOT NULL,
  action     TEXT    NOT NULL,
  rule       INTEGER NOT NULL,
  before_doc TEXT    NOT NULL,
  after_doc  TEXT    NOT NULL
);
CREATE INDEX routing_history_by_rule ON routing_history (rule, seq);

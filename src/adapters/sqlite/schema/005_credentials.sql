-- 005: persistent sessions and API keys. Only SHA-256 hashes of tokens and keys are kept.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  login      TEXT    NOT NULL,
  csrf       TEXT    NOT NULL,
  expires    INTEGER NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires);

CREATE TABLE api_keys (
  id       INTEGER PRIMARY KEY,
  name     TEXT    NOT NULL,
  login    TEXT    NOT NULL,
  key_hash TEXT    NOT NULL UNIQUE,
  prefix   TEXT    NOT NULL,
  created  INTEGER NOT NULL,
  revoked  INTEGER
);

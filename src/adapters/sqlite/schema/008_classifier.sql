-- 008: the request classifier in the store (docs/classify.md): model versions, and the
-- suggestion made for each ticket at registration, so the suggestion's accuracy against the
-- dispatcher's final category (and the routing suggestion against the unit dispatched) is a
-- KPI over time.

-- One row per trained model; `id` is the model version. At most one row is active: the
-- model `hotline serve` loads at start and swaps in when another version is activated.
CREATE TABLE classifier_models (
  id            INTEGER PRIMARY KEY,
  created_at    INTEGER NOT NULL,
  trained_by    TEXT    NOT NULL,  -- who or what trained it: "cli", "job", a login
  source        TEXT    NOT NULL,  -- how: "retrain", "import"
  training_rows INTEGER NOT NULL,
  metrics       TEXT    NOT NULL,  -- JSON: held-out n, accuracy, macro_f1, top3, ...
  model         BLOB    NOT NULL,  -- the model file's bytes (FastTextModel::Serialize)
  model_bytes   INTEGER NOT NULL,
  active        INTEGER NOT NULL DEFAULT 0,
  activated_at  INTEGER
);
CREATE UNIQUE INDEX classifier_models_one_active ON classifier_models (active) WHERE active = 1;

-- The classifier's top 3 (and the routing directory's unit for the first) when the ticket
-- was registered; written once per ticket. category_k is the label mapped to the category
-- tree (null when the label names no category); model_version is null for a model loaded
-- from a file (serve --model).
CREATE TABLE classify_suggestions (
  ticket_id     INTEGER PRIMARY KEY,
  at            INTEGER NOT NULL,
  model_version INTEGER,
  suggestions   TEXT    NOT NULL,  -- JSON [{"label":..,"confidence":..,"category":id}]
  category1     INTEGER,
  category2     INTEGER,
  category3     INTEGER,
  unit1         INTEGER            -- lead unit the directory gives for category1 + region
);
CREATE INDEX classify_suggestions_by_at ON classify_suggestions (at);

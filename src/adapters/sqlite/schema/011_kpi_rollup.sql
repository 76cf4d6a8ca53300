-- 011: monthly roll-ups of the KPI aggregates, one per dimension (docs/kpi.md, "Roll-ups").
-- kpi_daily is keyed by day x unit x category x region x type x channel: in a megacity nearly
-- every ticket is its own combination, so a year's dashboard would read about as many rows as
-- there are facts. A roll-up keeps one dimension and the month, so "a year by county" reads at
-- most 12 x regions x measures rows whatever the volume. Written in the same transaction as
-- kpi_daily; KpiSums reads them for whole months when the query filters and groups by at most
-- that one dimension, and kpi_daily for the rest.
CREATE TABLE kpi_rollup (
  dim     TEXT    NOT NULL,  -- 'all' (key 0) | 'unit' | 'region' | 'category'
  month   TEXT    NOT NULL,  -- YYYY-MM
  key     INTEGER NOT NULL,  -- the unit, region or category id
  measure INTEGER NOT NULL,
  value   INTEGER NOT NULL,
  PRIMARY KEY (dim, month, key, measure)
) WITHOUT ROWID;

-- The roll-ups, and the new return_rejected measure (a rejected return request, counted
-- against the unit that asked), are filled for earlier events by a rebuild at the next open.
INSERT OR REPLACE INTO settings (key, value) VALUES ('kpi_needs_rebuild', '1');

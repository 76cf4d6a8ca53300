-- 012: county x unit and county x category monthly roll-ups (docs/kpi.md, "Roll-ups").
-- A county-scoped dashboard filters by the county's regions and breaks down by unit and by
-- category: two dimensions at once, which no roll-up of 011 keeps, so it read kpi_daily
-- (3.5 s for a year at 1M tickets). These keep the county with the unit or the category.
--
-- kpi_region_county: the county each region's facts are rolled up under (the region's
-- ancestor just below the root; the root and unknown regions under themselves), fixed when a
-- region's first fact is written and recomputed by a rebuild. Writers and readers both use
-- this table, never the live region tree, so a region moved to another county later cannot
-- make the roll-ups disagree with kpi_daily: KpiSums uses them only when the query's regions
-- are exactly whole counties of this map.
CREATE TABLE kpi_region_county (
  region INTEGER PRIMARY KEY,
  county INTEGER NOT NULL
);

CREATE TABLE kpi_county_rollup (
  dim     TEXT    NOT NULL,  -- 'unit' | 'category'
  county  INTEGER NOT NULL,  -- kpi_region_county.county of the fact's region
  month   TEXT    NOT NULL,  -- YYYY-MM
  key     INTEGER NOT NULL,  -- the unit or category id (leaf, as in kpi_daily)
  measure INTEGER NOT NULL,
  value   INTEGER NOT NULL,
  PRIMARY KEY (dim, county, month, key, measure)
) WITHOUT ROWID;

-- Filled for earlier events by a rebuild at the next open.
INSERT OR REPLACE INTO settings (key, value) VALUES ('kpi_needs_rebuild', '1');

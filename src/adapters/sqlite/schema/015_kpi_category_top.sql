-- 015: roll-ups keyed by top-level category (docs/kpi.md, "Roll-ups").
-- A dashboard shows its category breakdown by top-level category (about 20), but the roll-ups
-- of 011 and 012 keep the leaf category (about 1,000): a year's breakdown read some 170k rows
-- and folded them. The roll-ups now also hold dim 'top_category' rows (kpi_rollup, and
-- kpi_county_rollup per county) keyed by the fact's top-level category.
--
-- kpi_category_top: the top-level category each category's facts are rolled up under (the
-- root of its chain in the category tree; an unknown category under itself), fixed when the
-- category's first fact is written and recomputed by a rebuild, as kpi_region_county (012).
-- KpiSums reads the 'top_category' rows only while this map agrees with the current category
-- tree, and otherwise folds the leaf rows by the current tree.
CREATE TABLE kpi_category_top (
  category INTEGER PRIMARY KEY,
  top      INTEGER NOT NULL
);

-- Filled for earlier events by a rebuild at the next open.
INSERT OR REPLACE INTO settings (key, value) VALUES ('kpi_needs_rebuild', '1');

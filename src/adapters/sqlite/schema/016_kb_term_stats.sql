-- Statistics of the knowledge-base index kb_fts for the shared ranking
-- (src/adapters/text/ranking.h, docs/search.md): the number of indexed articles, the tokens
-- of each column, and each term's document and collection frequency. FTS5 only gives a
-- term's frequencies by reading its whole posting list, too slow for every query term of
-- every search; these tables answer in one lookup. They are written in the transaction that
-- writes kb_fts (SqliteKbStore), so they always describe the index as committed.
CREATE TABLE kb_fts_terms (
  term TEXT PRIMARY KEY,
  df INTEGER NOT NULL,  -- kb_fts rows holding the term
  cf INTEGER NOT NULL   -- occurrences of the term in all columns
) WITHOUT ROWID;

CREATE TABLE kb_fts_totals (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  documents INTEGER NOT NULL,
  title_tokens INTEGER NOT NULL,
  body_tokens INTEGER NOT NULL,
  keywords_tokens INTEGER NOT NULL
);

-- Filled from the index as it stands (fts5vocab reads kb_fts's own counts).
CREATE VIRTUAL TABLE temp.kb_fts_rows_016 USING fts5vocab(main, kb_fts, row);
CREATE VIRTUAL TABLE temp.kb_fts_cols_016 USING fts5vocab(main, kb_fts, col);
INSERT INTO kb_fts_terms (term, df, cf) SELECT term, doc, cnt FROM temp.kb_fts_rows_016;
INSERT INTO kb_fts_totals (id, documents, title_tokens, body_tokens, keywords_tokens)
SELECT 1, (SELECT count(*) FROM kb_fts),
       coalesce((SELECT sum(cnt) FROM temp.kb_fts_cols_016 WHERE col = 'title'), 0),
       coalesce((SELECT sum(cnt) FROM temp.kb_fts_cols_016 WHERE col = 'body'), 0),
       coalesce((SELECT sum(cnt) FROM temp.kb_fts_cols_016 WHERE col = 'keywords'), 0);
DROP TABLE temp.kb_fts_rows_016;
DROP TABLE temp.kb_fts_cols_016;

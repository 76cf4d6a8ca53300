-- Knowledge base: the current version of each article, every version ever saved, and an
-- FTS5 index fed with the text engine's terms (Tokenizer::Terms, space-separated), written
-- in the same transaction as the article. Dates are 'YYYY-MM-DD' or ''.
CREATE TABLE kb_articles (
  doc INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('answer', 'service_item')),
  title TEXT NOT NULL,
  answer TEXT NOT NULL,
  category TEXT NOT NULL,
  department TEXT NOT NULL,
  region TEXT NOT NULL,
  keywords TEXT NOT NULL,  -- one keyword a line
  source TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  review_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
  conditions TEXT NOT NULL,
  materials TEXT NOT NULL,
  place TEXT NOT NULL,
  time_limit TEXT NOT NULL,
  fee TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE INDEX kb_articles_review ON kb_articles (department, review_date) WHERE review_date <> '';

CREATE TABLE kb_article_versions (
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  answer TEXT NOT NULL,
  category TEXT NOT NULL,
  department TEXT NOT NULL,
  region TEXT NOT NULL,
  keywords TEXT NOT NULL,
  source TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  review_date TEXT NOT NULL,
  status TEXT NOT NULL,
  conditions TEXT NOT NULL,
  materials TEXT NOT NULL,
  place TEXT NOT NULL,
  time_limit TEXT NOT NULL,
  fee TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (id, version)
);

-- rowid = kb_articles.doc. The columns hold terms, not text: segmentation, synonyms and
-- Traditional/Simplified folding happen in the tokenizer, so unicode61 only splits spaces.
CREATE VIRTUAL TABLE kb_fts USING fts5(title, body, keywords,
                                       tokenize = 'unicode61 remove_diacritics 0');

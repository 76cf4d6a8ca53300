-- The lexicon admins edit (on top of the built-in vocabulary of the text engine): user
-- dictionary words and synonym groups (社保/社会保险). `words` holds the word of a dictionary
-- entry, or the words of a synonym group separated by spaces, the canonical form first.
CREATE TABLE kb_lexicon (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('word', 'address', 'unit', 'synonyms')),
  words TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);

-- One row, bumped in the transaction of every change (which also re-indexes kb_fts with the
-- new lexicon): a process that sees it move rebuilds its tokenizer.
CREATE TABLE kb_lexicon_revision (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL
);
INSERT INTO kb_lexicon_revision (id, revision) VALUES (1, 0);

-- Knowledge base change log: one row per article written (insert, update, delete), added by
-- triggers in the transaction of the write, whichever process and code path made it. A
-- server's in-memory search index (SharedKb) reads the rows after the last sequence number it
-- applied and catches up with exactly those articles. Only the newest 100,000 rows are kept:
-- a reader that finds rows missing after its sequence number reloads everything instead.
CREATE TABLE kb_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  doc INTEGER NOT NULL
);
CREATE TRIGGER kb_changes_insert AFTER INSERT ON kb_articles BEGIN
  INSERT INTO kb_changes (doc) VALUES (NEW.doc);
END;
CREATE TRIGGER kb_changes_update AFTER UPDATE ON kb_articles BEGIN
  INSERT INTO kb_changes (doc) VALUES (NEW.doc);
END;
CREATE TRIGGER kb_changes_delete AFTER DELETE ON kb_articles BEGIN
  INSERT INTO kb_changes (doc) VALUES (OLD.doc);
END;
CREATE TRIGGER kb_changes_prune AFTER INSERT ON kb_changes BEGIN
  DELETE FROM kb_changes WHERE seq <= NEW.seq - 100000;
END;
-- Rows of articles saved before this migration need no entry: a reader loads everything first.
INSERT INTO sqlite_sequence (name, seq) SELECT 'kb_changes', 0
  WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'kb_changes');

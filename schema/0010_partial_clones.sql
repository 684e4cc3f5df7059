-- Schema v10: file changes whose content a partial clone lacks. Documented in schema/README.md.
--
-- A partial clone (`git clone --filter=blob:limit=1m`) leaves out the blobs its filter names: large data files,
-- checkpoints, generated code. Such a blob is missing by design, not damage, so its commit is mined like any other;
-- the change keeps its paths, blobs and modes, and `content_missing` says that its line counts are unknown (NULL)
-- and, for a Python file, that its analysis is too (blob_analyses.status 'unreadable'). A missing blob in a
-- repository that is not a partial clone still fails its commit (commits.error).
ALTER TABLE file_changes ADD COLUMN content_missing INTEGER NOT NULL DEFAULT 0 CHECK (content_missing IN (0, 1));

-- Schema v1: provenance (runs), repositories, their commits and per-commit file changes.
-- Applied by hybridminer when it opens a database whose PRAGMA user_version is below 1.
-- Documented column by column in schema/README.md; names here are the tool's public API.

CREATE TABLE runs (
  id               INTEGER PRIMARY KEY,
  command          TEXT    NOT NULL,
  arguments        TEXT    NOT NULL,               -- JSON array: the command line as given
  options          TEXT    NOT NULL,               -- JSON object: options after defaults were applied
  tool_version     TEXT    NOT NULL,
  schema_version   INTEGER NOT NULL,
  started_at       TEXT    NOT NULL,               -- ISO 8601 UTC
  finished_at      TEXT,                           -- NULL: interrupted (or still running)
  status           TEXT    NOT NULL DEFAULT 'running'
                   CHECK (status IN ('running', 'ok', 'partial', 'failed')),
  sources          INTEGER NOT NULL DEFAULT 0,
  sources_failed   INTEGER NOT NULL DEFAULT 0,
  commits_added    INTEGER NOT NULL DEFAULT 0,
  file_changes_added INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE repositories (
  id               INTEGER PRIMARY KEY,
  url              TEXT    NOT NULL UNIQUE,        -- canonical source: absolute path or remote URL
  name             TEXT    NOT NULL,               -- owner/name for GitHub, else the folder name
  source_kind      TEXT    NOT NULL
                   CHECK (source_kind IN ('local', 'file', 'http', 'https', 'ssh', 'github')),
  git_dir          TEXT,                           -- where the git data was read (in place or cache clone)
  default_branch   TEXT,                           -- e.g. refs/heads/main
  head_sha         TEXT,                           -- default branch head at the last complete mine
  mined_at         TEXT,                           -- ISO 8601 UTC of the last complete mine
  last_run_id      INTEGER REFERENCES runs(id),
  error            TEXT                            -- last mine's error; NULL when it succeeded
);

CREATE TABLE commits (
  id               INTEGER PRIMARY KEY,
  repository_id    INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  sha              TEXT    NOT NULL,
  parents          TEXT    NOT NULL,               -- parent SHAs in order, space separated ('' for a root)
  parent_count     INTEGER NOT NULL,
  is_merge         INTEGER NOT NULL CHECK (is_merge IN (0, 1)),
  author_name      TEXT    NOT NULL,
  author_email     TEXT    NOT NULL,
  author_time      INTEGER NOT NULL,               -- Unix seconds
  author_tz        INTEGER NOT NULL,               -- offset from UTC in minutes
  committer_name   TEXT    NOT NULL,
  committer_email  TEXT    NOT NULL,
  committer_time   INTEGER NOT NULL,
  committer_tz     INTEGER NOT NULL,
  message          TEXT    NOT NULL,
  error            TEXT,                           -- why its file changes could not be read; NULL normally
  UNIQUE (repository_id, sha)
);
CREATE INDEX commits_by_sha ON commits(sha);
CREATE INDEX commits_by_time ON commits(repository_id, committer_time);

CREATE TABLE file_changes (
  id               INTEGER PRIMARY KEY,
  commit_id        INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
  status           TEXT    NOT NULL
                   CHECK (status IN ('added', 'modified', 'deleted', 'renamed', 'copied', 'type_changed')),
  old_path         TEXT,                           -- NULL when added
  new_path         TEXT,                           -- NULL when deleted
  old_blob         TEXT,
  new_blob         TEXT,
  old_mode         INTEGER,                        -- git file mode, e.g. 33188 (0100644)
  new_mode         INTEGER,
  similarity       INTEGER,                        -- 0..100 for renamed/copied, else NULL
  is_binary        INTEGER NOT NULL CHECK (is_binary IN (0, 1)),
  lines_added      INTEGER,                        -- NULL for binary files and submodules
  lines_removed    INTEGER,
  language         TEXT                            -- from the path: 'python', 'jupyter', ...; NULL if unknown
);
CREATE INDEX file_changes_by_commit ON file_changes(commit_id);
CREATE INDEX file_changes_by_language ON file_changes(language);

-- Tips of the refs walked by the last complete mine. Every commit reachable from them is in `commits`, so the
-- next mine hides them from the walk and only visits new history.
CREATE TABLE mined_refs (
  repository_id    INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  ref_name         TEXT    NOT NULL,
  target_sha       TEXT    NOT NULL,
  PRIMARY KEY (repository_id, ref_name)
);

-- Common questions --------------------------------------------------------------------------------------------

-- One row per file change with its commit and repository, dates as ISO text.
CREATE VIEW file_changes_detail AS
SELECT r.name AS repository, c.sha, datetime(c.committer_time, 'unixepoch') AS committed_at,
       c.author_name, c.is_merge, fc.status, fc.old_path, fc.new_path, fc.language, fc.is_binary,
       fc.lines_added, fc.lines_removed, fc.similarity, fc.id AS file_change_id, c.id AS commit_id,
       r.id AS repository_id
FROM file_changes fc
JOIN commits c ON c.id = fc.commit_id
JOIN repositories r ON r.id = c.repository_id;

-- One row per repository: what has been mined from it.
CREATE VIEW repository_summary AS
SELECT r.id AS repository_id, r.name AS repository, r.url, r.default_branch, r.head_sha, r.mined_at, r.error,
       (SELECT count(*) FROM commits c WHERE c.repository_id = r.id) AS commits,
       (SELECT count(*) FROM commits c WHERE c.repository_id = r.id AND c.is_merge) AS merge_commits,
       (SELECT count(DISTINCT c.author_email) FROM commits c WHERE c.repository_id = r.id) AS authors,
       (SELECT count(*) FROM file_changes fc JOIN commits c ON c.id = fc.commit_id
         WHERE c.repository_id = r.id) AS file_changes,
       (SELECT count(*) FROM file_changes fc JOIN commits c ON c.id = fc.commit_id
         WHERE c.repository_id = r.id AND fc.language IN ('python', 'jupyter')) AS python_file_changes,
       (SELECT datetime(min(c.committer_time), 'unixepoch') FROM commits c WHERE c.repository_id = r.id)
         AS first_commit_at,
       (SELECT datetime(max(c.committer_time), 'unixepoch') FROM commits c WHERE c.repository_id = r.id)
         AS last_commit_at
FROM repositories r;

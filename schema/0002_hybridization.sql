-- Schema v2: per-blob Python facts (the detector's cache), hybridization changes per commit, bug-fix
-- classification and issue references of commits. Documented in schema/README.md.

-- One row per analysed blob (Python source or notebook), shared by every commit, branch and repository that
-- contains it. A blob is analysed once per detector version.
CREATE TABLE blob_analyses (
  blob             TEXT    PRIMARY KEY,            -- git blob id
  detector_version INTEGER NOT NULL,
  language         TEXT    NOT NULL,               -- python or jupyter
  status           TEXT    NOT NULL
                   CHECK (status IN ('parsed', 'skipped', 'unreadable')),
                   -- skipped: the byte prefilter proved it holds no hybridization site, so it was not parsed
  bytes            INTEGER NOT NULL,
  syntax_errors    INTEGER,                        -- tree-sitter ERROR/MISSING nodes; NULL unless parsed
  is_python2       INTEGER,                        -- 1: Python 2 statements (print "x", exec "s"); NULL unless parsed
  error            TEXT                            -- why it is unreadable (missing object, invalid notebook)
);

CREATE TABLE blob_functions (
  blob             TEXT    NOT NULL REFERENCES blob_analyses(blob) ON DELETE CASCADE,
  qualified_name   TEXT    NOT NULL,               -- f, Class.method, outer.inner
  name             TEXT    NOT NULL,
  class_name       TEXT,
  class_bases      TEXT,                           -- JSON array of source texts
  cell             INTEGER,                        -- notebooks: index of the cell; NULL for .py files
  start_line       INTEGER NOT NULL,               -- 1-based; within the cell for notebooks
  end_line         INTEGER NOT NULL,
  parameters       TEXT    NOT NULL,               -- JSON array of {name, kind, annotation, default}
  decorators       TEXT    NOT NULL,               -- JSON array of source texts without '@'
  body_hash        TEXT    NOT NULL
);
CREATE INDEX blob_functions_by_blob ON blob_functions(blob);

CREATE TABLE blob_imports (
  blob             TEXT    NOT NULL REFERENCES blob_analyses(blob) ON DELETE CASCADE,
  alias            TEXT    NOT NULL,
  target           TEXT    NOT NULL,
  line             INTEGER NOT NULL
);
CREATE INDEX blob_imports_by_blob ON blob_imports(blob);

CREATE TABLE blob_sites (
  blob             TEXT    NOT NULL REFERENCES blob_analyses(blob) ON DELETE CASCADE,
  api              TEXT    NOT NULL,               -- tf.function, torch.compile, jax.jit, mxnet.hybridize, ...
  family           TEXT    NOT NULL,               -- tensorflow, pytorch, jax, mxnet
  role             TEXT    NOT NULL CHECK (role IN ('hybridize', 'annotation')),
  form             TEXT    NOT NULL,               -- decorator, decorator_call, partial_decorator, call, method_call
  level            TEXT    NOT NULL CHECK (level IN ('module', 'class', 'function')),
  function         TEXT    NOT NULL,               -- target: qualified function name, or expression as written
  scope            TEXT    NOT NULL,               -- enclosing function/class; '' at module level
  assigned_to      TEXT,
  cell             INTEGER,                        -- notebooks: index of the cell; NULL for .py files
  line             INTEGER NOT NULL,               -- 1-based; within the cell for notebooks
  arguments        TEXT    NOT NULL                -- JSON object: keyword → source text
);
CREATE INDEX blob_sites_by_blob ON blob_sites(blob);

CREATE TABLE hybridization_changes (
  id               INTEGER PRIMARY KEY,
  commit_id        INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
  file_change_id   INTEGER NOT NULL REFERENCES file_changes(id) ON DELETE CASCADE,
  path             TEXT,                           -- file after the commit; NULL when removed with its file
  old_path         TEXT,                           -- file before (differs for renames and moved functions)
  function         TEXT    NOT NULL,
  api              TEXT    NOT NULL,
  family           TEXT    NOT NULL,
  kind             TEXT    NOT NULL
                   CHECK (kind IN ('added', 'removed', 'args_changed', 'api_changed', 'body_changed')),
  old_api          TEXT,                           -- api_changed: the API before
  form_before      TEXT,
  form_after       TEXT,
  args_before      TEXT,                           -- JSON object, NULL when not hybrid before
  args_after       TEXT,                           -- JSON object, NULL when not hybrid after
  args_added       TEXT    NOT NULL,               -- JSON array of argument names
  args_removed     TEXT    NOT NULL,
  args_modified    TEXT    NOT NULL,
  old_line         INTEGER,
  new_line         INTEGER
);
CREATE INDEX hybridization_changes_by_commit ON hybridization_changes(commit_id);

ALTER TABLE commits ADD COLUMN detector_version INTEGER;  -- NULL: not analysed yet (or by an older detector)
ALTER TABLE commits ADD COLUMN is_bug_fix INTEGER;        -- from the message; NULL until analysed
ALTER TABLE commits ADD COLUMN bug_fix_rule TEXT;         -- the catalogue keyword that matched

CREATE TABLE commit_issue_references (
  commit_id        INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
  repository       TEXT,                           -- owner/name when the reference names one; NULL: same repository
  number           INTEGER NOT NULL,
  kind             TEXT    NOT NULL,               -- mention or closes
  text             TEXT    NOT NULL                -- as written in the message
);
CREATE INDEX commit_issue_references_by_commit ON commit_issue_references(commit_id);

-- Common questions --------------------------------------------------------------------------------------------

-- Every hybridization change with its commit and repository.
CREATE VIEW hybridization_changes_detail AS
SELECT r.name AS repository, c.sha, datetime(c.committer_time, 'unixepoch') AS committed_at, c.author_name,
       c.is_bug_fix, c.is_merge, h.kind, h.api, h.family, h.function, h.path, h.old_path, h.old_api,
       h.form_before, h.form_after, h.args_before, h.args_after, h.args_added, h.args_removed, h.args_modified,
       h.old_line, h.new_line, substr(c.message, 1, instr(c.message || char(10), char(10)) - 1) AS summary,
       h.id AS change_id, c.id AS commit_id, r.id AS repository_id
FROM hybridization_changes h
JOIN commits c ON c.id = h.commit_id
JOIN repositories r ON r.id = c.repository_id;

-- Per repository, API and kind: how many changes (merges excluded: they repeat their branch's changes).
CREATE VIEW hybridization_counts AS
SELECT r.name AS repository, h.family, h.api, h.kind, count(*) AS changes,
       count(DISTINCT c.id) AS commits, count(DISTINCT h.function) AS functions
FROM hybridization_changes h
JOIN commits c ON c.id = h.commit_id
JOIN repositories r ON r.id = c.repository_id
WHERE c.is_merge = 0
GROUP BY r.name, h.family, h.api, h.kind;

-- Bug-fix commits that change hybridization, one row per commit.
CREATE VIEW bug_fix_hybridization_commits AS
SELECT r.name AS repository, c.sha, datetime(c.committer_time, 'unixepoch') AS committed_at, c.bug_fix_rule,
       count(*) AS changes, group_concat(DISTINCT h.kind) AS kinds, group_concat(DISTINCT h.api) AS apis,
       substr(c.message, 1, instr(c.message || char(10), char(10)) - 1) AS summary, c.id AS commit_id
FROM commits c
JOIN repositories r ON r.id = c.repository_id
JOIN hybridization_changes h ON h.commit_id = c.id
WHERE c.is_bug_fix = 1 AND c.is_merge = 0
GROUP BY c.id;

-- What the analysis phase of each run did.
ALTER TABLE runs ADD COLUMN hybridization_changes_added INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN commits_analysed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN blobs_parsed INTEGER NOT NULL DEFAULT 0;   -- parsed with tree-sitter
ALTER TABLE runs ADD COLUMN blobs_skipped INTEGER NOT NULL DEFAULT 0;  -- ruled out by the prefilter, not parsed
ALTER TABLE runs ADD COLUMN blobs_cached INTEGER NOT NULL DEFAULT 0;   -- analysis reused from blob_analyses

-- Schema v6: code search corpora (split by file size), pull-request review comments, candidate bug reports found
-- by their comments, issue timelines (commits that reference or close an issue, pull requests that cross-reference
-- it) and deleted issues and comments. Documented in schema/README.md.
--
-- SQLite cannot change a CHECK constraint in place: the tables whose CHECK gains a value (corpus_queries.kind,
-- github_sync.resource) and the table whose key changes (issue_comments: review comment ids are a sequence of
-- their own) are rebuilt, their rows copied. corpus_queries is renamed away first so that its children follow
-- the rename (SQLite rewrites their REFERENCES) and are then rebuilt too: dropping a parent with foreign keys on
-- would cascade deletes into them.

DROP VIEW corpus_repositories;
DROP VIEW hybridization_bug_reports;
DROP VIEW commit_issue_links;

-- corpus_queries: kind 'search_code' -------------------------------------------------------------------------
ALTER TABLE corpus RENAME TO corpus_v4;
ALTER TABLE corpus_search_slices RENAME TO corpus_search_slices_v4;
ALTER TABLE corpus_queries RENAME TO corpus_queries_v4;
DROP INDEX corpus_by_query;

CREATE TABLE corpus_queries (
  id               INTEGER PRIMARY KEY,
  kind             TEXT    NOT NULL
                   CHECK (kind IN ('search_repositories', 'search_commits', 'search_code', 'add', 'import')),
  query            TEXT    NOT NULL,               -- search: GitHub query without the date/size slice; add: the names; import: the file
  options          TEXT    NOT NULL,               -- JSON object: the filters as given
  run_id           INTEGER REFERENCES runs(id),
  started_at       TEXT    NOT NULL,               -- ISO 8601 UTC
  finished_at      TEXT,                           -- NULL: interrupted (the same search resumes it)
  repositories     INTEGER NOT NULL DEFAULT 0,     -- distinct repositories it selected
  incomplete       INTEGER NOT NULL DEFAULT 0 CHECK (incomplete IN (0, 1))
                   -- 1: GitHub flagged incomplete_results, or a one-second (one-byte) slice still held over 1,000 results
);
INSERT INTO corpus_queries (id, kind, query, options, run_id, started_at, finished_at, repositories, incomplete)
SELECT id, kind, query, options, run_id, started_at, finished_at, repositories, incomplete FROM corpus_queries_v4;

CREATE TABLE corpus_search_slices (
  query_id         INTEGER NOT NULL REFERENCES corpus_queries(id) ON DELETE CASCADE,
  date_from        TEXT    NOT NULL,               -- ISO 8601 UTC, inclusive
  date_to          TEXT    NOT NULL,               -- ISO 8601 UTC, inclusive
  total_count      INTEGER NOT NULL,               -- GitHub's total_count for the slice
  status           TEXT    NOT NULL CHECK (status IN ('split', 'done')),
  PRIMARY KEY (query_id, date_from, date_to)
);
INSERT INTO corpus_search_slices SELECT query_id, date_from, date_to, total_count, status FROM corpus_search_slices_v4;

CREATE TABLE corpus (
  repository_id    INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  query_id         INTEGER NOT NULL REFERENCES corpus_queries(id) ON DELETE CASCADE,
  added_at         TEXT    NOT NULL,
  PRIMARY KEY (repository_id, query_id)
);
INSERT INTO corpus SELECT repository_id, query_id, added_at FROM corpus_v4;
CREATE INDEX corpus_by_query ON corpus(query_id);

DROP TABLE corpus_v4;
DROP TABLE corpus_search_slices_v4;
DROP TABLE corpus_queries_v4;

-- Size slices of a code search: code search has no date qualifier, so the file size range (size:, in bytes) is
-- halved instead, as corpus_search_slices halves dates.
CREATE TABLE corpus_search_size_slices (
  query_id         INTEGER NOT NULL REFERENCES corpus_queries(id) ON DELETE CASCADE,
  size_from        INTEGER NOT NULL,               -- bytes, inclusive
  size_to          INTEGER NOT NULL,               -- bytes, inclusive
  total_count      INTEGER NOT NULL,
  status           TEXT    NOT NULL CHECK (status IN ('split', 'done')),
  PRIMARY KEY (query_id, size_from, size_to)
);

-- github_sync: resource 'review_comments' ----------------------------------------------------------------------
CREATE TABLE github_sync_v6 (
  repository_id    INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  resource         TEXT    NOT NULL CHECK (resource IN ('issues', 'comments', 'review_comments', 'pulls')),
  since            TEXT,
  pass_started_at  TEXT,
  next_url         TEXT,
  completed_at     TEXT,
  PRIMARY KEY (repository_id, resource)
);
INSERT INTO github_sync_v6 SELECT repository_id, resource, since, pass_started_at, next_url, completed_at FROM github_sync;
DROP TABLE github_sync;
ALTER TABLE github_sync_v6 RENAME TO github_sync;

-- issue_comments: review comments, the rule a comment matched, deletion -------------------------------------
CREATE TABLE issue_comments_v6 (
  id               INTEGER NOT NULL,               -- GitHub's comment id (unique within its kind)
  kind             TEXT    NOT NULL CHECK (kind IN ('issue', 'review')),
  issue_id         INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  author           TEXT,
  author_association TEXT,
  body             TEXT,
  html_url         TEXT    NOT NULL,
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL,
  path             TEXT,                           -- review comments: the file of the diff line commented on
  candidate_rule   TEXT,                           -- the rule of data/hybridization_bug_reports.txt its body matched
  deleted_at       TEXT,                           -- when hybridminer saw it gone from GitHub; NULL: live
  PRIMARY KEY (kind, id)
);
INSERT INTO issue_comments_v6 (id, kind, issue_id, author, author_association, body, html_url, created_at, updated_at)
SELECT id, 'issue', issue_id, author, author_association, body, html_url, created_at, updated_at FROM issue_comments;
DROP TABLE issue_comments;
ALTER TABLE issue_comments_v6 RENAME TO issue_comments;
CREATE INDEX issue_comments_by_issue ON issue_comments(issue_id);

-- issues: where the candidate rule matched, deletion, timeline state -------------------------------------------
ALTER TABLE issues ADD COLUMN candidate_source TEXT
  CHECK (candidate_source IN ('title_body', 'comment', 'review_comment'));  -- NULL when not a candidate
ALTER TABLE issues ADD COLUMN candidate_comment_id INTEGER;  -- issue_comments.id of the matching comment
ALTER TABLE issues ADD COLUMN deleted_at TEXT;               -- when GitHub answered 404/410 for it; NULL: live
ALTER TABLE issues ADD COLUMN timeline_updated_at TEXT;      -- updated_at of the issue when its timeline was read
UPDATE issues SET candidate_source = 'title_body' WHERE is_candidate = 1;

-- The events of a candidate bug report's timeline that tie it to commits: a commit that referenced or closed it,
-- an issue or pull request that cross-referenced it. Replaced as a whole each time the timeline is read.
CREATE TABLE issue_timeline_events (
  issue_id         INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  event            TEXT    NOT NULL CHECK (event IN ('referenced', 'closed', 'cross-referenced')),
  commit_sha       TEXT,                           -- referenced, closed: the commit (NULL: closed without one)
  commit_repository TEXT,                          -- owner/name of that commit (from commit_url), when given
  source_repository TEXT,                          -- cross-referenced: owner/name of the issue or pull request
  source_number    INTEGER,                        -- cross-referenced: its number
  source_is_pull_request INTEGER CHECK (source_is_pull_request IN (0, 1)),
  actor            TEXT,                           -- login; NULL for a deleted account
  created_at       TEXT    NOT NULL
);
CREATE INDEX issue_timeline_events_by_issue ON issue_timeline_events(issue_id);

-- Views ------------------------------------------------------------------------------------------------------

CREATE VIEW corpus_repositories AS
SELECT r.id AS repository_id, r.name AS repository, r.url, m.stars, m.forks, m.watchers, m.language,
       m.topics, m.license, m.default_branch, m.is_fork, m.is_archived, m.created_at, m.pushed_at,
       (SELECT group_concat(q.kind || ': ' || q.query, '; ') FROM corpus c JOIN corpus_queries q ON q.id = c.query_id
         WHERE c.repository_id = r.id) AS selected_by,
       r.mined_at, (SELECT count(*) FROM commits c WHERE c.repository_id = r.id) AS commits,
       (SELECT count(*) FROM issues i WHERE i.repository_id = r.id) AS issues
FROM repositories r
LEFT JOIN repository_metadata m ON m.repository_id = r.id
WHERE r.id IN (SELECT repository_id FROM corpus);

-- Commits and issues linked, both ways (filter on commit_id or on issue_id):
--   message_mention / message_closes  the commit message names the issue (commit_issue_references)
--   pr_merge_commit                   the commit is the merge commit of the pull request
--   pr_closes                         the commit merged a pull request whose text closes the issue
--   timeline_referenced               the issue's timeline: the commit referenced it
--   timeline_closed                   the issue's timeline: the commit closed it
--   timeline_cross_referenced         the issue's timeline: a pull request of the repository cross-referenced it,
--                                     and the commit merged that pull request
CREATE VIEW commit_issue_links AS
SELECT c.id AS commit_id, i.id AS issue_id, r.name AS repository, c.sha, i.number, i.is_pull_request,
       'message_' || ref.kind AS link
FROM commit_issue_references ref
JOIN commits c ON c.id = ref.commit_id
JOIN repositories r ON r.id = c.repository_id
JOIN issues i ON i.repository_id = c.repository_id AND i.number = ref.number
WHERE ref.repository IS NULL OR lower(ref.repository) = lower(r.name)
UNION
SELECT c.id, i.id, r.name, c.sha, i.number, i.is_pull_request, 'pr_merge_commit'
FROM issues i
JOIN commits c ON c.repository_id = i.repository_id AND c.sha = i.merge_commit_sha
JOIN repositories r ON r.id = c.repository_id
WHERE i.merged_at IS NOT NULL
UNION
SELECT c.id, target.id, r.name, c.sha, target.number, target.is_pull_request, 'pr_closes'
FROM issues pr
JOIN issue_references ref ON ref.issue_id = pr.id AND ref.kind = 'closes'
JOIN repositories r ON r.id = pr.repository_id
JOIN issues target ON target.repository_id = pr.repository_id AND target.number = ref.number
JOIN commits c ON c.repository_id = pr.repository_id AND c.sha = pr.merge_commit_sha
WHERE pr.merged_at IS NOT NULL AND (ref.repository IS NULL OR lower(ref.repository) = lower(r.name))
UNION
SELECT c.id, i.id, r.name, c.sha, i.number, i.is_pull_request,
       CASE e.event WHEN 'closed' THEN 'timeline_closed' ELSE 'timeline_referenced' END
FROM issue_timeline_events e
JOIN issues i ON i.id = e.issue_id
JOIN repositories r ON r.id = i.repository_id
JOIN commits c ON c.repository_id = i.repository_id AND c.sha = e.commit_sha
WHERE e.event IN ('referenced', 'closed')
UNION
SELECT c.id, i.id, r.name, c.sha, i.number, i.is_pull_request, 'timeline_cross_referenced'
FROM issue_timeline_events e
JOIN issues i ON i.id = e.issue_id
JOIN repositories r ON r.id = i.repository_id
JOIN issues pr ON pr.repository_id = i.repository_id AND pr.number = e.source_number AND pr.is_pull_request = 1
JOIN commits c ON c.repository_id = i.repository_id AND c.sha = pr.merge_commit_sha
WHERE e.event = 'cross-referenced' AND pr.merged_at IS NOT NULL
  AND (e.source_repository IS NULL OR lower(e.source_repository) = lower(r.name));

-- Candidate hybridization bug reports with the rule that selected them, where it matched and the linked commits.
CREATE VIEW hybridization_bug_reports AS
SELECT r.name AS repository, i.number, i.is_pull_request, i.state, i.title, i.candidate_rule, i.author_association,
       i.created_at, i.closed_at, i.html_url,
       (SELECT group_concat(l.name, ', ') FROM issue_labels l WHERE l.issue_id = i.id) AS labels,
       (SELECT count(DISTINCT commit_id) FROM commit_issue_links k WHERE k.issue_id = i.id) AS linked_commits,
       i.id AS issue_id, r.id AS repository_id, i.candidate_source, i.candidate_comment_id, i.deleted_at
FROM issues i
JOIN repositories r ON r.id = i.repository_id
WHERE i.is_candidate = 1;

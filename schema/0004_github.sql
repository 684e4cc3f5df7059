-- Schema v4: GitHub corpora (the queries that selected repositories, and the repositories' metadata), issues and
-- pull requests with their comments, candidate hybridization bug reports, links between commits and issues, and
-- the state that makes GitHub fetches incremental and resumable (HTTP cache, sync cursors).
-- Documented in schema/README.md.

-- One row per `hybridminer corpus search|add|import`: what selected repositories into the corpus.
CREATE TABLE corpus_queries (
  id               INTEGER PRIMARY KEY,
  kind             TEXT    NOT NULL
                   CHECK (kind IN ('search_repositories', 'search_commits', 'add', 'import')),
  query            TEXT    NOT NULL,               -- search: GitHub query without the date slice; add: the names; import: the file
  options          TEXT    NOT NULL,               -- JSON object: the filters as given
  run_id           INTEGER REFERENCES runs(id),
  started_at       TEXT    NOT NULL,               -- ISO 8601 UTC
  finished_at      TEXT,                           -- NULL: interrupted (the same search resumes it)
  repositories     INTEGER NOT NULL DEFAULT 0,     -- distinct repositories it selected
  incomplete       INTEGER NOT NULL DEFAULT 0 CHECK (incomplete IN (0, 1))
                   -- 1: GitHub flagged incomplete_results, or a one-second slice still held over 1,000 results
);

-- Date slices of a search: a slice over GitHub's 1,000-result cap is split in two ('split'), a slice under it
-- is read page by page ('done' when every page is stored). An interrupted search skips the slices already done.
CREATE TABLE corpus_search_slices (
  query_id         INTEGER NOT NULL REFERENCES corpus_queries(id) ON DELETE CASCADE,
  date_from        TEXT    NOT NULL,               -- ISO 8601 UTC, inclusive
  date_to          TEXT    NOT NULL,               -- ISO 8601 UTC, inclusive
  total_count      INTEGER NOT NULL,               -- GitHub's total_count for the slice
  status           TEXT    NOT NULL CHECK (status IN ('split', 'done')),
  PRIMARY KEY (query_id, date_from, date_to)
);

-- Corpus membership: which query selected which repository (a repository can be selected by several).
CREATE TABLE corpus (
  repository_id    INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  query_id         INTEGER NOT NULL REFERENCES corpus_queries(id) ON DELETE CASCADE,
  added_at         TEXT    NOT NULL,
  PRIMARY KEY (repository_id, query_id)
);
CREATE INDEX corpus_by_query ON corpus(query_id);

-- GitHub's description of a repository, as of fetched_at.
CREATE TABLE repository_metadata (
  repository_id    INTEGER PRIMARY KEY REFERENCES repositories(id) ON DELETE CASCADE,
  github_id        INTEGER NOT NULL,
  full_name        TEXT    NOT NULL,               -- owner/name as GitHub spells it
  html_url         TEXT    NOT NULL,
  description      TEXT,
  stars            INTEGER NOT NULL,               -- stargazers_count
  forks            INTEGER NOT NULL,               -- forks_count
  watchers         INTEGER,                        -- subscribers_count; NULL when only known from search results
  open_issues      INTEGER NOT NULL,               -- open_issues_count (issues and pull requests)
  size_kb          INTEGER,
  language         TEXT,                           -- primary language; NULL when GitHub detects none
  topics           TEXT    NOT NULL,               -- JSON array of strings
  license          TEXT,                           -- SPDX id (MIT, Apache-2.0, NOASSERTION); NULL without a license
  default_branch   TEXT,                           -- branch name (main), not a ref
  is_fork          INTEGER NOT NULL CHECK (is_fork IN (0, 1)),
  is_archived      INTEGER NOT NULL CHECK (is_archived IN (0, 1)),
  created_at       TEXT,                           -- ISO 8601 UTC
  pushed_at        TEXT,
  updated_at       TEXT,
  fetched_at       TEXT    NOT NULL
);

-- Issues and pull requests (GitHub numbers both in one sequence per repository).
CREATE TABLE issues (
  id               INTEGER PRIMARY KEY,
  repository_id    INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  github_id        INTEGER NOT NULL,
  number           INTEGER NOT NULL,
  is_pull_request  INTEGER NOT NULL CHECK (is_pull_request IN (0, 1)),
  title            TEXT    NOT NULL,
  body             TEXT,
  state            TEXT    NOT NULL CHECK (state IN ('open', 'closed')),
  state_reason     TEXT,                           -- completed, not_planned, reopened; NULL when GitHub gives none
  author           TEXT,                           -- login; NULL for a deleted account
  author_association TEXT,                         -- OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, ...
  comments         INTEGER NOT NULL,               -- GitHub's comment count
  html_url         TEXT    NOT NULL,
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL,
  closed_at        TEXT,
  merged_at        TEXT,                           -- pull requests: when merged; NULL when not (or not known yet)
  merge_commit_sha TEXT,                           -- pull requests: the merge (or squash/rebase) commit
  is_candidate     INTEGER NOT NULL CHECK (is_candidate IN (0, 1)),  -- candidate hybridization bug report
  candidate_rule   TEXT,                           -- the rule of data/hybridization_bug_reports.txt that matched
  fetched_at       TEXT    NOT NULL,
  UNIQUE (repository_id, number)
);
CREATE INDEX issues_by_candidate ON issues(is_candidate);

CREATE TABLE issue_labels (
  issue_id         INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  name             TEXT    NOT NULL,
  PRIMARY KEY (issue_id, name)
);

CREATE TABLE issue_comments (
  id               INTEGER PRIMARY KEY,            -- GitHub's comment id
  issue_id         INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  author           TEXT,
  author_association TEXT,
  body             TEXT,
  html_url         TEXT    NOT NULL,
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL
);
CREATE INDEX issue_comments_by_issue ON issue_comments(issue_id);

-- References written in an issue's or pull request's title and body ("closes #12", "see owner/repo#3"), read
-- with the same rules as commit messages (commit_issue_references).
CREATE TABLE issue_references (
  issue_id         INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  repository       TEXT,                           -- owner/name when named; NULL: same repository
  number           INTEGER NOT NULL,
  kind             TEXT    NOT NULL CHECK (kind IN ('mention', 'closes')),
  text             TEXT    NOT NULL
);
CREATE INDEX issue_references_by_issue ON issue_references(issue_id);

-- Incremental, resumable fetches per repository and resource. A pass lists everything updated since `since`,
-- page by page; each page is stored together with the URL of the next one, so a killed pass resumes at the page
-- it was reading. A complete pass moves `since` to the time it started.
CREATE TABLE github_sync (
  repository_id    INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  resource         TEXT    NOT NULL CHECK (resource IN ('issues', 'comments', 'pulls')),
  since            TEXT,                           -- ISO 8601 UTC; NULL before the first complete pass
  pass_started_at  TEXT,                           -- the pass in progress (NULL when none)
  next_url         TEXT,                           -- its next page (NULL when none is in progress)
  completed_at     TEXT,                           -- end of the last complete pass
  PRIMARY KEY (repository_id, resource)
);

-- Conditional requests: the last 200 answer with an ETag for each URL (no token: it travels in a header).
CREATE TABLE http_cache (
  url              TEXT    PRIMARY KEY,
  etag             TEXT    NOT NULL,
  body             TEXT    NOT NULL,
  link             TEXT    NOT NULL,               -- the Link header, for pagination of a 304
  fetched_at       TEXT    NOT NULL
);

ALTER TABLE runs ADD COLUMN github_requests INTEGER NOT NULL DEFAULT 0;  -- HTTP requests to the GitHub API
ALTER TABLE runs ADD COLUMN issues_added INTEGER NOT NULL DEFAULT 0;      -- issues and PRs stored or updated

-- Common questions --------------------------------------------------------------------------------------------

-- The corpus: one row per repository with its metadata, the queries that selected it and what was mined.
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
WHERE pr.merged_at IS NOT NULL AND (ref.repository IS NULL OR lower(ref.repository) = lower(r.name));

-- Candidate hybridization bug reports with the rule that selected them and the commits linked to them.
CREATE VIEW hybridization_bug_reports AS
SELECT r.name AS repository, i.number, i.is_pull_request, i.state, i.title, i.candidate_rule, i.author_association,
       i.created_at, i.closed_at, i.html_url,
       (SELECT group_concat(l.name, ', ') FROM issue_labels l WHERE l.issue_id = i.id) AS labels,
       (SELECT count(DISTINCT commit_id) FROM commit_issue_links k WHERE k.issue_id = i.id) AS linked_commits,
       i.id AS issue_id, r.id AS repository_id
FROM issues i
JOIN repositories r ON r.id = i.repository_id
WHERE i.is_candidate = 1;

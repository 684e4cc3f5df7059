-- Schema v6: per-function refactoring advice as facts of a blob, the advice at each repository's tip, and
-- finding lifetimes that follow renames. Documented in schema/README.md.

-- The advisor's answer for every function definition of one blob, from the same single-module analysis as
-- blob_findings (analysed alone, so the advice is the same whatever path or commit holds the blob). Blobs with
-- hybridization sites get it with their facts (the analysis runs for their findings anyway). Eager files get it
-- only when they are at a mined tip and import TensorFlow, PyTorch, JAX or MXNet (a byte check): advice for every
-- version of every such file would cost several times the rest of the mine (3.5x on tensorflow/addons). Their
-- blob_analyses.status can be 'skipped' (the hybridization prefilter ruled them out). `advised_blobs` lists the
-- blobs whose rows are complete. Deleted with their blob_analyses row.
CREATE TABLE blob_function_advice (
  blob                    TEXT    NOT NULL REFERENCES blob_analyses(blob) ON DELETE CASCADE,
  function                TEXT    NOT NULL,       -- qualified name: f, C.m, outer.inner
  cell                    INTEGER,                -- notebooks: index of the cell; NULL for .py files
  line                    INTEGER NOT NULL,       -- the def line, 1-based; within the cell for notebooks
  is_hybrid               INTEGER NOT NULL CHECK (is_hybrid IN (0, 1)),
  api                     TEXT,                   -- hybridizing API (catalogue id); NULL when eager
  has_tensor_parameter    INTEGER,                -- 1/0; NULL when undecidable (never called in the file)
  has_primitive_parameter INTEGER,
  has_python_side_effects INTEGER,
  is_recursive            INTEGER,
  refactoring             TEXT,                   -- CONVERT_EAGER_FUNCTION_TO_HYBRID, OPTIMIZE_HYBRID_FUNCTION
  transformation          TEXT,                   -- CONVERT_TO_HYBRID, CONVERT_TO_EAGER; NULL unless it passes
  passing_precondition    TEXT,                   -- P1, P2, P3, P6; NULL unless it passes
  failures                TEXT    NOT NULL        -- JSON array of failure codes in the advisor's order; '[]' if none
);
CREATE INDEX blob_function_advice_by_blob ON blob_function_advice(blob);

-- Blobs whose blob_function_advice rows are complete (possibly none: no functions, or no framework import), so the
-- advice step at the end of a mine does not analyse them again.
CREATE TABLE advised_blobs (
  blob TEXT PRIMARY KEY REFERENCES blob_analyses(blob) ON DELETE CASCADE
);

-- The advice for every function in the files at each repository's mined tip.
CREATE VIEW function_advice_at_head AS
SELECT h.repository_id, h.repository, h.path, a.function, a.cell, a.line, a.is_hybrid, a.api,
       a.has_tensor_parameter, a.has_primitive_parameter, a.has_python_side_effects, a.is_recursive,
       a.refactoring, a.transformation, a.passing_precondition, a.failures, h.blob
FROM head_files h JOIN blob_function_advice a ON a.blob = h.blob;

-- Functions at the tip per repository, refactoring and reason: `reason` is the passing precondition (P1, ...) for
-- the functions the refactoring applies to (`passes` = 1), else one of their failure codes (`passes` = 0; a
-- function failing for several reasons counts once under each; NULL for one that neither passes nor has a code).
-- `refactoring` is NULL for functions the advisor has none for (hybrid functions of APIs other than TensorFlow's:
-- failure CURRENTLY_NOT_HANDLED).
CREATE VIEW refactoring_opportunities AS
WITH reasons AS (
  SELECT repository_id, repository, refactoring, passing_precondition AS reason, 1 AS passes, path, function
  FROM function_advice_at_head WHERE passing_precondition IS NOT NULL
  UNION ALL
  SELECT a.repository_id, a.repository, a.refactoring, f.value, 0, a.path, a.function
  FROM function_advice_at_head a, json_each(a.failures) f
  WHERE a.passing_precondition IS NULL
  UNION ALL
  SELECT repository_id, repository, refactoring, NULL, 0, path, function
  FROM function_advice_at_head WHERE passing_precondition IS NULL AND failures = '[]'
)
SELECT repository_id, repository, refactoring, passes, reason,
       count(DISTINCT path || char(0) || function) AS functions
FROM reasons
GROUP BY repository_id, repository, refactoring, passes, reason;

-- Lifetimes of findings on the tip's first-parent chain (as in schema v5), now following renames: a file version
-- continues the previous version of its path, or, when its commit renamed the file to this path, the last
-- version of the old path. A lifetime is a maximal chain of such consecutive versions containing the finding
-- (same anti-pattern and function); `path` is where its last version lives, `introduced_path` where it began.
DROP VIEW finding_lifetimes;
CREATE VIEW finding_lifetimes AS
WITH RECURSIVE present AS MATERIALIZED (
  SELECT DISTINCT v.repository_id, f.antipattern, v.path, f.function, v.depth, v.next_depth
  FROM chain_file_versions v JOIN blob_findings f ON f.blob = v.blob
),
renames AS MATERIALIZED (
  SELECT ch.repository_id, ch.depth, fc.old_path, fc.new_path
  FROM head_chain ch JOIN file_changes fc ON fc.commit_id = ch.commit_id
  WHERE fc.status = 'renamed' AND fc.old_path <> fc.new_path
),
-- Version `s` continues version `p` of the same finding.
links AS MATERIALIZED (
  SELECT p.repository_id, p.antipattern, p.function, p.path AS from_path, p.depth AS from_depth,
         s.path AS to_path, s.depth AS to_depth, s.next_depth AS to_next_depth
  FROM present p JOIN present s
    ON s.repository_id = p.repository_id AND s.antipattern = p.antipattern AND s.function = p.function
   AND s.depth = p.next_depth
  WHERE s.path = p.path
     OR EXISTS (SELECT 1 FROM renames r WHERE r.repository_id = s.repository_id AND r.depth = s.depth
                AND r.old_path = p.path AND r.new_path = s.path)
),
chains(repository_id, antipattern, function, introduced_path, introduced_depth, path, depth, next_depth) AS (
  SELECT p.repository_id, p.antipattern, p.function, p.path, p.depth, p.path, p.depth, p.next_depth
  FROM present p
  WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.repository_id = p.repository_id AND l.antipattern = p.antipattern
                    AND l.function = p.function AND l.to_path = p.path AND l.to_depth = p.depth)
  UNION ALL
  SELECT c.repository_id, c.antipattern, c.function, c.introduced_path, c.introduced_depth, l.to_path, l.to_depth,
         l.to_next_depth
  FROM chains c JOIN links l
    ON l.repository_id = c.repository_id AND l.antipattern = c.antipattern AND l.function = c.function
   AND l.from_path = c.path AND l.from_depth = c.depth
),
ended AS (
  SELECT c.repository_id, c.antipattern, c.function, c.introduced_path, c.introduced_depth, c.path,
         c.next_depth AS removed_depth
  FROM chains c
  WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.repository_id = c.repository_id AND l.antipattern = c.antipattern
                    AND l.function = c.function AND l.from_path = c.path AND l.from_depth = c.depth)
)
SELECT e.repository_id, r.name AS repository, e.antipattern, e.path, e.function,
       ic.sha AS introduced_sha, datetime(ih.committer_time, 'unixepoch') AS introduced_at,
       rc.sha AS removed_sha, datetime(rh.committer_time, 'unixepoch') AS removed_at,
       CASE WHEN e.removed_depth IS NULL THEN 'open' ELSE 'removed' END AS status,
       rc.is_bug_fix AS removed_in_bug_fix,
       round((coalesce(rh.committer_time, tip.committer_time) - ih.committer_time) / 86400.0, 1) AS days,
       e.introduced_path
FROM ended e
JOIN repositories r ON r.id = e.repository_id
JOIN head_chain tip ON tip.repository_id = e.repository_id AND tip.depth = 0
JOIN head_chain ih ON ih.repository_id = e.repository_id AND ih.depth = e.introduced_depth
JOIN commits ic ON ic.id = ih.commit_id
LEFT JOIN head_chain rh ON rh.repository_id = e.repository_id AND rh.depth = e.removed_depth
LEFT JOIN commits rc ON rc.id = rh.commit_id;

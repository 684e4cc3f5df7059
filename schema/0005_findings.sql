-- Schema v5: anti-pattern findings as facts of a blob, and their lifetimes on each repository's first-parent
-- chain. Documented in schema/README.md.

-- The anti-pattern findings of one blob, from the single-module analysis `analyze` runs, restricted to that file
-- (analysed alone, under a neutral module name, so the finding is the same whatever path or commit holds the
-- blob). Only parsed Python blobs and notebooks with hybridization sites are analysed (findings concern hybrid
-- functions); other blobs have no rows. Deleted with their blob_analyses row (re-analysis by a newer detector).
CREATE TABLE blob_findings (
  blob             TEXT    NOT NULL REFERENCES blob_analyses(blob) ON DELETE CASCADE,
  antipattern      TEXT    NOT NULL,               -- catalogue id (`hybridminer analyze --list-antipatterns`)
  function         TEXT    NOT NULL,               -- qualified name; '' for module-level findings
  cell             INTEGER,                        -- notebooks: index of the cell; NULL for .py files
  line             INTEGER NOT NULL,               -- 1-based; within the cell for notebooks
  detail           TEXT    NOT NULL                -- the evidence, as written
);
CREATE INDEX blob_findings_by_blob ON blob_findings(blob);

-- Every version of every file on the tip's first-parent chain: the change that wrote it (or deleted / renamed it
-- away: blob NULL) and the depth of the next change of that path (NULL: still so at the tip).
CREATE VIEW chain_file_versions AS
WITH events AS (
  SELECT ch.repository_id, fc.new_path AS path, fc.new_blob AS blob, ch.depth
  FROM head_chain ch JOIN file_changes fc ON fc.commit_id = ch.commit_id
  WHERE fc.new_path IS NOT NULL
  UNION ALL
  SELECT ch.repository_id, fc.old_path, NULL, ch.depth
  FROM head_chain ch JOIN file_changes fc ON fc.commit_id = ch.commit_id
  WHERE fc.old_path IS NOT NULL AND (fc.new_path IS NULL OR fc.new_path <> fc.old_path)
),
-- Within one commit, a file written at a path wins over a rename away from it (as in head_files).
deduplicated AS (
  SELECT *, row_number() OVER (PARTITION BY repository_id, path, depth ORDER BY blob IS NULL) AS rank
  FROM events
)
SELECT repository_id, path, blob, depth,
       lead(depth) OVER (PARTITION BY repository_id, path ORDER BY depth DESC) AS next_depth
FROM deduplicated WHERE rank = 1;

-- Lifetimes of findings on the tip's first-parent chain, per repository, anti-pattern, path and function: a
-- finding is present in a commit when the version of the file there contains it (at any line). Each maximal run
-- of consecutive file versions containing it is one row: the commit that introduced it (its file version), and
-- the commit whose change of the file dropped it (or deleted the file), NULL while still present at the tip.
-- Renames are not followed: a renamed file's findings end at the old path and start at the new one.
CREATE VIEW finding_lifetimes AS
WITH present AS (
  SELECT DISTINCT v.repository_id, f.antipattern, v.path, f.function, v.depth, v.next_depth
  FROM chain_file_versions v JOIN blob_findings f ON f.blob = v.blob
),
marked AS (
  SELECT *, CASE WHEN lag(next_depth) OVER key_order = depth THEN 0 ELSE 1 END AS starts
  FROM present
  WINDOW key_order AS (PARTITION BY repository_id, antipattern, path, function ORDER BY depth DESC)
),
numbered AS (
  SELECT *, sum(starts) OVER (PARTITION BY repository_id, antipattern, path, function ORDER BY depth DESC
                              ROWS UNBOUNDED PRECEDING) AS run
  FROM marked
),
runs AS (
  SELECT repository_id, antipattern, path, function, max(depth) AS introduced_depth,
         min(depth) AS last_depth
  FROM numbered GROUP BY repository_id, antipattern, path, function, run
),
ended AS (
  SELECT ru.*, n.next_depth AS removed_depth
  FROM runs ru JOIN numbered n
    ON n.repository_id = ru.repository_id AND n.antipattern = ru.antipattern AND n.path = ru.path
   AND n.function = ru.function AND n.depth = ru.last_depth
)
SELECT e.repository_id, r.name AS repository, e.antipattern, e.path, e.function,
       ic.sha AS introduced_sha, datetime(ih.committer_time, 'unixepoch') AS introduced_at,
       rc.sha AS removed_sha, datetime(rh.committer_time, 'unixepoch') AS removed_at,
       CASE WHEN e.removed_depth IS NULL THEN 'open' ELSE 'removed' END AS status,
       rc.is_bug_fix AS removed_in_bug_fix,
       round((coalesce(rh.committer_time, tip.committer_time) - ih.committer_time) / 86400.0, 1) AS days
FROM ended e
JOIN repositories r ON r.id = e.repository_id
JOIN head_chain tip ON tip.repository_id = e.repository_id AND tip.depth = 0
JOIN head_chain ih ON ih.repository_id = e.repository_id AND ih.depth = e.introduced_depth
JOIN commits ic ON ic.id = ih.commit_id
LEFT JOIN head_chain rh ON rh.repository_id = e.repository_id AND rh.depth = e.removed_depth
LEFT JOIN commits rc ON rc.id = rh.commit_id;

-- Findings in the files at each repository's mined tip.
CREATE VIEW findings_at_head AS
SELECT h.repository_id, h.repository, h.path, f.antipattern, f.function, f.cell, f.line, f.detail, h.blob
FROM head_files h JOIN blob_findings f ON f.blob = h.blob;

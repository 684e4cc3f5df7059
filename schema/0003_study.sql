-- Schema v3: the study. Views that reconstruct each repository's state at its mined tip ("at head") and the
-- hybridization episodes of functions, and the tables of the manual labelling workflow. Documented in
-- schema/README.md.

-- The first-parent chain of each repository's mined tip: the tip at depth 0, its first parent at depth 1, ...
-- file_changes are taken against the first parent, so the changes of these commits, applied from the root up,
-- rebuild exactly the tree at the tip. The chain stops early where a parent was not stored (a --since mine).
CREATE VIEW head_chain AS
WITH RECURSIVE chain(repository_id, commit_id, parents, committer_time, depth) AS (
  SELECT c.repository_id, c.id, c.parents, c.committer_time, 0
  FROM repositories r JOIN commits c ON c.repository_id = r.id AND c.sha = r.head_sha
  UNION ALL
  SELECT p.repository_id, p.id, p.parents, p.committer_time, chain.depth + 1
  FROM chain
  JOIN commits p ON p.repository_id = chain.repository_id
                AND p.sha = substr(chain.parents, 1, 40)
  WHERE chain.parents <> ''
)
SELECT repository_id, commit_id, committer_time, depth FROM chain;

-- Every file at each repository's mined tip, with its blob: for each path, the latest change of the chain that
-- touched it decides (added/modified/renamed to it: that blob; deleted/renamed away: gone). Within one commit, a
-- file written at a path wins over a rename away from it.
CREATE VIEW head_files AS
WITH events AS (
  SELECT ch.repository_id, fc.new_path AS path, fc.new_blob AS blob, fc.language, ch.depth, fc.id AS file_change_id
  FROM head_chain ch JOIN file_changes fc ON fc.commit_id = ch.commit_id
  WHERE fc.new_path IS NOT NULL
  UNION ALL
  SELECT ch.repository_id, fc.old_path, NULL, fc.language, ch.depth, fc.id
  FROM head_chain ch JOIN file_changes fc ON fc.commit_id = ch.commit_id
  WHERE fc.old_path IS NOT NULL AND (fc.new_path IS NULL OR fc.new_path <> fc.old_path)
),
latest AS (
  SELECT *, row_number() OVER (PARTITION BY repository_id, path ORDER BY depth, blob IS NULL) AS rank
  FROM events
)
SELECT l.repository_id, r.name AS repository, l.path, l.blob, l.language, l.file_change_id
FROM latest l JOIN repositories r ON r.id = l.repository_id
WHERE l.rank = 1 AND l.blob IS NOT NULL;

-- Hybridization sites (role 'hybridize'; annotations such as torch.jit.ignore are left out) in the files at head.
CREATE VIEW head_sites AS
SELECT f.repository_id, f.repository, f.path, s.api, s.family, s.form, s.level, s.function, s.scope,
       s.assigned_to, s.cell, s.line, s.arguments, f.blob
FROM head_files f JOIN blob_sites s ON s.blob = f.blob
WHERE s.role = 'hybridize';

-- Hybridization episodes on the tip's first-parent chain: one row per `added` change (the function becomes
-- hybrid), ended by the first later `removed` change of the same function in the same file (followed through
-- renames of the file), or still open at the tip. Merges count here: on the first-parent chain a merge's changes
-- are what it brought into the main line. Days are from the adding commit to the removing commit, or to the tip
-- for open episodes (right-censored).
CREATE VIEW hybrid_episodes AS
WITH RECURSIVE adds AS (
  SELECT h.id AS change_id, ch.repository_id, h.function, h.path, h.api, h.family, ch.depth, ch.committer_time
  FROM hybridization_changes h JOIN head_chain ch ON ch.commit_id = h.commit_id
  WHERE h.kind = 'added'
),
-- The paths the added function's file had later on: its path when added, then every rename on the chain.
lineage(change_id, path, depth) AS (
  SELECT change_id, path, depth FROM adds
  UNION
  SELECT l.change_id, fc.new_path, ch.depth
  FROM lineage l
  JOIN file_changes fc ON fc.old_path = l.path AND fc.status = 'renamed'
  JOIN head_chain ch ON ch.commit_id = fc.commit_id AND ch.depth < l.depth
  JOIN adds a ON a.change_id = l.change_id AND a.repository_id = ch.repository_id
),
removals AS (
  SELECT a.change_id, max(ch.depth) AS removed_depth
  FROM adds a
  JOIN lineage l ON l.change_id = a.change_id
  JOIN hybridization_changes h ON h.kind = 'removed' AND h.function = a.function
                              AND coalesce(h.old_path, h.path) = l.path
  JOIN head_chain ch ON ch.commit_id = h.commit_id AND ch.repository_id = a.repository_id
                    AND ch.depth < a.depth AND ch.depth <= l.depth
  GROUP BY a.change_id
)
SELECT a.repository_id, r.name AS repository, a.function, a.path, a.api, a.family,
       datetime(a.committer_time, 'unixepoch') AS added_at,
       datetime(rc.committer_time, 'unixepoch') AS removed_at,
       CASE WHEN rm.change_id IS NULL THEN 'open' ELSE 'removed' END AS status,
       round((coalesce(rc.committer_time, tip.committer_time) - a.committer_time) / 86400.0, 1) AS days,
       a.change_id AS added_change_id
FROM adds a
JOIN repositories r ON r.id = a.repository_id
JOIN head_chain tip ON tip.repository_id = a.repository_id AND tip.depth = 0
LEFT JOIN removals rm ON rm.change_id = a.change_id
LEFT JOIN head_chain rc ON rc.repository_id = a.repository_id AND rc.depth = rm.removed_depth;

-- Manual labels ------------------------------------------------------------------------------------------------

-- One row per rater and labelled hybridization change. Changes are named by their natural key (repository,
-- commit, file, function, API) rather than by hybridization_changes.id, so labels survive a re-analysis by a
-- newer detector, which replaces the change rows.
CREATE TABLE labels (
  rater            TEXT    NOT NULL,
  repository       TEXT    NOT NULL,               -- repositories.name
  sha              TEXT    NOT NULL,               -- commit
  path             TEXT    NOT NULL,               -- coalesce(path, old_path) of the change
  function         TEXT    NOT NULL,
  api              TEXT    NOT NULL,
  bug_fix          INTEGER CHECK (bug_fix IN (0, 1)),  -- the rater's judgement; NULL: not given
  change_kind      TEXT    CHECK (change_kind IN ('added', 'removed', 'args_changed', 'api_changed',
                                                  'body_changed', 'none')),
  problem_category TEXT,                           -- names from data/labels/problem_category.txt
  cause            TEXT,                           -- data/labels/cause.txt
  symptom          TEXT,                           -- data/labels/symptom.txt
  fix              TEXT,                           -- data/labels/fix.txt
  notes            TEXT,
  imported_at      TEXT    NOT NULL,               -- ISO 8601 UTC
  source_file      TEXT    NOT NULL,               -- the CSV imported
  PRIMARY KEY (rater, repository, sha, path, function, api)
);

-- Labels joined to the change they describe (NULL change columns when the change is no longer detected).
CREATE VIEW labels_detail AS
SELECT l.*, d.change_id, d.kind AS auto_kind, d.is_bug_fix AS auto_is_bug_fix
FROM labels l
LEFT JOIN hybridization_changes_detail d
  ON d.repository = l.repository AND d.sha = l.sha AND coalesce(d.path, d.old_path) = l.path
 AND d.function = l.function AND d.api = l.api;

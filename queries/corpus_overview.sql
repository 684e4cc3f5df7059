-- Question: What does the mined corpus contain, per repository and in total?
-- One row per repository, then a `(total)` row: commits (merges among them), distinct authors, file changes
-- overall and in Python sources or notebooks, the Python files (sources and notebooks) and the distinct hybrid
-- functions (file + function with a hybridization site, annotations left out) at head — the files of each
-- repository's mined tip, rebuilt from file_changes along its first-parent chain (views head_files and
-- head_sites) —, the span of its history, and whether its last mine failed.
-- Order: 10
WITH head AS (
  SELECT r.id AS repository_id,
         (SELECT count(*) FROM head_files f WHERE f.repository_id = r.id
                                              AND f.language IN ('python', 'jupyter')) AS python_files_at_head,
         (SELECT count(DISTINCT s.path || char(0) || s.function) FROM head_sites s
          WHERE s.repository_id = r.id) AS hybrid_functions_at_head
  FROM repositories r
)
SELECT repository, commits, merge_commits, authors, file_changes, python_file_changes,
       python_files_at_head, hybrid_functions_at_head, first_commit, last_commit, status
FROM (
  SELECT 0 AS total_row, s.repository, s.commits, s.merge_commits, s.authors, s.file_changes, s.python_file_changes,
         h.python_files_at_head, h.hybrid_functions_at_head,
         substr(s.first_commit_at, 1, 10) AS first_commit, substr(s.last_commit_at, 1, 10) AS last_commit,
         CASE WHEN s.error IS NULL THEN 'ok' ELSE 'error: ' || s.error END AS status
  FROM repository_summary s JOIN head h ON h.repository_id = s.repository_id
  UNION ALL
  SELECT 1, '(total)', sum(s.commits), sum(s.merge_commits),
         (SELECT count(DISTINCT author_email) FROM commits), sum(s.file_changes), sum(s.python_file_changes),
         sum(h.python_files_at_head), sum(h.hybrid_functions_at_head),
         substr(min(s.first_commit_at), 1, 10), substr(max(s.last_commit_at), 1, 10),
         count(*) || ' repositories, ' || sum(s.error IS NOT NULL) || ' failed'
  FROM repository_summary s JOIN head h ON h.repository_id = s.repository_id
  HAVING count(*) > 0
)
ORDER BY total_row, repository;

-- Question: What does the mined corpus contain, per repository?
-- One row per repository: commits (merges among them), distinct authors, file changes overall and in Python
-- sources or notebooks, the span of its history, and whether its last mine failed.
-- Order: 10
SELECT repository,
       commits,
       merge_commits,
       authors,
       file_changes,
       python_file_changes,
       substr(first_commit_at, 1, 10) AS first_commit,
       substr(last_commit_at, 1, 10) AS last_commit,
       CASE WHEN error IS NULL THEN 'ok' ELSE 'error: ' || error END AS status
FROM repository_summary
ORDER BY repository;

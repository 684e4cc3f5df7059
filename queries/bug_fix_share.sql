-- Question: What share of hybridization changes is made in bug-fix commits, by kind and API?
-- Per API and kind of change, then per kind over all APIs (`(all)`): changes (merges excluded), those in commits
-- the bug-fix rules (data/bug_fix_keywords.txt) mark as fixes by their message, their share, and the bug-fix
-- commits that reference an issue; then the changes in commits linked to an issue or pull request labelled as a
-- bug (view commit_bug_reports; needs `hybridminer issues`), and the changes that are bug fixes by either sign
-- (message or label) with their share.
-- Order: 55
WITH changes AS (
  SELECT h.api, h.kind, c.id AS commit_id, c.is_bug_fix = 1 AS bug_fix,
         EXISTS (SELECT 1 FROM commit_issue_references i WHERE i.commit_id = c.id) AS references_issue,
         EXISTS (SELECT 1 FROM commit_bug_reports b WHERE b.commit_id = c.id) AS bug_report
  FROM hybridization_changes h JOIN commits c ON c.id = h.commit_id
  WHERE c.is_merge = 0
),
grouped AS (
  SELECT 0 AS total_row, api, kind, count(*) AS changes, sum(bug_fix) AS bug_fix_changes,
         count(DISTINCT CASE WHEN bug_fix AND references_issue THEN commit_id END) AS bug_fix_commits_with_issue,
         sum(bug_report) AS bug_report_changes, sum(bug_fix OR bug_report) AS either
  FROM changes GROUP BY api, kind
  UNION ALL
  SELECT 1, '(all)', kind, count(*), sum(bug_fix),
         count(DISTINCT CASE WHEN bug_fix AND references_issue THEN commit_id END),
         sum(bug_report), sum(bug_fix OR bug_report)
  FROM changes GROUP BY kind
)
SELECT api, kind, changes, bug_fix_changes, round(100.0 * bug_fix_changes / changes, 1) AS bug_fix_percent,
       bug_fix_commits_with_issue, bug_report_changes, either AS bug_fix_or_report_changes,
       round(100.0 * either / changes, 1) AS bug_fix_or_report_percent
FROM grouped
ORDER BY total_row, api, CASE kind WHEN 'added' THEN 1 WHEN 'removed' THEN 2 WHEN 'args_changed' THEN 3
                                   WHEN 'api_changed' THEN 4 ELSE 5 END;

-- Question: Which hybridization changes are linked to bug reports, and what are those reports' labels?
-- Per API and kind of change, then per kind over all APIs (`(all)`): changes (merges excluded), those whose commit
-- is linked to an issue or pull request (view commit_issue_links: the message names it, the commit merged the pull
-- request, or merged a pull request closing it), the distinct linked issues and pull requests, the linked issues
-- the bug-report rules (data/hybridization_bug_reports.txt) mark as candidate hybridization bug reports, the linked
-- issues and pull requests labelled as a bug (view bug_labels), and every label of the linked issues and pull
-- requests with the number of them carrying it (`name (n)`, most frequent first). Needs `hybridminer issues`.
-- Order: 56
-- commit_issue_links is a union of five joins that SQLite cannot narrow to one commit: asked per change it is
-- computed again each time (34 s on 22,000 commits with no issues at all), so the linked commits are listed once.
WITH linked_commits AS MATERIALIZED (
  SELECT DISTINCT commit_id FROM commit_issue_links
),
changes AS (
  SELECT h.id AS change_id, h.api, h.kind, h.commit_id
  FROM hybridization_changes h JOIN commits c ON c.id = h.commit_id
  WHERE c.is_merge = 0
),
groups AS (
  SELECT 0 AS total_row, api, kind, change_id, commit_id FROM changes
  UNION ALL
  SELECT 1, '(all)', kind, change_id, commit_id FROM changes
),
linked AS (
  SELECT DISTINCT g.total_row, g.api, g.kind, i.id AS issue_id, i.is_pull_request, i.is_candidate,
         EXISTS (SELECT 1 FROM bug_labels b WHERE b.issue_id = i.id) AS bug_labelled
  FROM groups g
  JOIN commit_issue_links k ON k.commit_id = g.commit_id
  JOIN issues i ON i.id = k.issue_id
),
label_counts AS (
  SELECT l.total_row, l.api, l.kind, il.name, count(*) AS n
  FROM linked l JOIN issue_labels il ON il.issue_id = l.issue_id
  GROUP BY l.total_row, l.api, l.kind, il.name
),
label_lists AS (
  SELECT total_row, api, kind, group_concat(name || ' (' || n || ')', ', ') AS labels
  FROM (SELECT * FROM label_counts ORDER BY n DESC, name)
  GROUP BY total_row, api, kind
),
counted AS (
  SELECT g.total_row, g.api, g.kind, count(*) AS changes,
         sum(g.commit_id IN (SELECT commit_id FROM linked_commits)) AS linked_changes
  FROM groups g GROUP BY g.total_row, g.api, g.kind
)
SELECT c.api, c.kind, c.changes, c.linked_changes,
       (SELECT count(*) FROM linked l WHERE (l.total_row, l.api, l.kind) = (c.total_row, c.api, c.kind)
          AND l.is_pull_request = 0) AS linked_issues,
       (SELECT count(*) FROM linked l WHERE (l.total_row, l.api, l.kind) = (c.total_row, c.api, c.kind)
          AND l.is_pull_request = 1) AS linked_pull_requests,
       (SELECT count(*) FROM linked l WHERE (l.total_row, l.api, l.kind) = (c.total_row, c.api, c.kind)
          AND l.is_pull_request = 0 AND l.is_candidate = 1) AS candidate_reports,
       (SELECT count(*) FROM linked l WHERE (l.total_row, l.api, l.kind) = (c.total_row, c.api, c.kind)
          AND l.bug_labelled) AS bug_labelled,
       coalesce(ll.labels, '') AS labels
FROM counted c
LEFT JOIN label_lists ll ON (ll.total_row, ll.api, ll.kind) = (c.total_row, c.api, c.kind)
ORDER BY c.total_row, c.api, CASE c.kind WHEN 'added' THEN 1 WHEN 'removed' THEN 2 WHEN 'args_changed' THEN 3
                                         WHEN 'api_changed' THEN 4 ELSE 5 END;

-- Question: Which bug-fix commits change hybridization, and how?
-- Commits whose message matches the bug-fix rules (data/bug_fix_keywords.txt) and that change hybridization,
-- with the kinds and APIs of their changes and the issues they reference.
-- Order: 60
SELECT b.repository,
       substr(b.sha, 1, 10) AS sha,
       substr(b.committed_at, 1, 10) AS date,
       b.bug_fix_rule AS rule,
       b.kinds,
       b.apis,
       (SELECT group_concat(coalesce(r.repository, '') || '#' || r.number, ' ')
        FROM commit_issue_references r WHERE r.commit_id = b.commit_id) AS issues,
       b.summary
FROM bug_fix_hybridization_commits b
ORDER BY b.repository, b.committed_at;

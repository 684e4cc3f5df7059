-- Question: How do projects change their hybridization, per API and kind of change?
-- Hybridization changes (merges excluded: they repeat their branch's changes) per API family, API and kind, with
-- the repositories, commits and distinct functions involved, and how many of the commits are bug fixes.
-- Order: 40
SELECT h.family,
       h.api,
       h.kind,
       count(*) AS changes,
       count(DISTINCT c.repository_id) AS repositories,
       count(DISTINCT c.id) AS commits,
       count(DISTINCT c.repository_id || ':' || h.function) AS functions,
       count(DISTINCT CASE WHEN c.is_bug_fix THEN c.id END) AS bug_fix_commits
FROM hybridization_changes h
JOIN commits c ON c.id = h.commit_id
WHERE c.is_merge = 0
GROUP BY h.family, h.api, h.kind
ORDER BY h.family, h.api, CASE h.kind WHEN 'added' THEN 1 WHEN 'removed' THEN 2 WHEN 'args_changed' THEN 3
                                      WHEN 'api_changed' THEN 4 ELSE 5 END;

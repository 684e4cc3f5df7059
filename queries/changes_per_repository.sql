-- Question: How does each project change its hybridization?
-- Hybridization changes per repository and kind (merges excluded), with the commits and distinct functions
-- involved and the share of changes made in bug-fix commits.
-- Order: 46
SELECT r.name AS repository,
       sum(h.kind = 'added') AS added,
       sum(h.kind = 'removed') AS removed,
       sum(h.kind = 'args_changed') AS args_changed,
       sum(h.kind = 'api_changed') AS api_changed,
       sum(h.kind = 'body_changed') AS body_changed,
       count(*) AS changes,
       count(DISTINCT c.id) AS commits,
       count(DISTINCT coalesce(h.path, h.old_path) || char(0) || h.function) AS functions,
       round(100.0 * sum(c.is_bug_fix = 1) / count(*), 1) AS bug_fix_percent
FROM hybridization_changes h
JOIN commits c ON c.id = h.commit_id
JOIN repositories r ON r.id = c.repository_id
WHERE c.is_merge = 0
GROUP BY r.id
ORDER BY r.name;

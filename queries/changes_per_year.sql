-- Question: How many hybridization changes of each kind happen per year?
-- Hybridization changes by committer year and kind across the corpus (merges excluded: they repeat their
-- branch's changes), with the commits and repositories involved.
-- Order: 45
SELECT strftime('%Y', c.committer_time, 'unixepoch') AS year,
       sum(h.kind = 'added') AS added,
       sum(h.kind = 'removed') AS removed,
       sum(h.kind = 'args_changed') AS args_changed,
       sum(h.kind = 'api_changed') AS api_changed,
       sum(h.kind = 'body_changed') AS body_changed,
       count(*) AS changes,
       count(DISTINCT c.id) AS commits,
       count(DISTINCT c.repository_id) AS repositories
FROM hybridization_changes h
JOIN commits c ON c.id = h.commit_id
WHERE c.is_merge = 0
GROUP BY year
ORDER BY year;

-- Question: How has the adoption of each hybridization API grown or shrunk over the years?
-- Per API and year, at the end of the year: the repositories using it and the hybrid functions it had, counted
-- along each repository's first-parent chain to its mined tip (view head_chain: `added` +1, `removed` -1,
-- `api_changed` moves a function from the old API to the new one), with the functions added and removed during
-- the year. The last year's counts equal those at head. Years run from the API's first use to the corpus's last
-- commit.
-- Order: 43
WITH RECURSIVE deltas AS (
  SELECT ch.repository_id, h.api, h.family, CAST(strftime('%Y', ch.committer_time, 'unixepoch') AS INTEGER) AS year,
         CASE h.kind WHEN 'added' THEN 1 WHEN 'removed' THEN -1 WHEN 'api_changed' THEN 1 ELSE 0 END AS delta
  FROM hybridization_changes h JOIN head_chain ch ON ch.commit_id = h.commit_id
  WHERE h.kind IN ('added', 'removed', 'api_changed')
  UNION ALL
  SELECT ch.repository_id, h.old_api, h.family, CAST(strftime('%Y', ch.committer_time, 'unixepoch') AS INTEGER), -1
  FROM hybridization_changes h JOIN head_chain ch ON ch.commit_id = h.commit_id
  WHERE h.kind = 'api_changed' AND h.old_api IS NOT NULL
),
years(year) AS (
  SELECT min(year) FROM deltas
  UNION ALL
  SELECT year + 1 FROM years
  WHERE year < (SELECT CAST(strftime('%Y', max(committer_time), 'unixepoch') AS INTEGER) FROM commits)
),
per_repository AS (
  SELECT y.year, d.api, d.family, d.repository_id,
         sum(d.delta) AS functions,
         sum(CASE WHEN d.year = y.year AND d.delta > 0 THEN d.delta ELSE 0 END) AS added,
         sum(CASE WHEN d.year = y.year AND d.delta < 0 THEN -d.delta ELSE 0 END) AS removed
  FROM years y JOIN deltas d ON d.year <= y.year
  GROUP BY y.year, d.api, d.family, d.repository_id
)
SELECT year, family, api,
       sum(functions > 0) AS repositories,
       sum(functions) AS functions,
       sum(added) AS added,
       sum(removed) AS removed
FROM per_repository
GROUP BY year, family, api
ORDER BY year, family, api;

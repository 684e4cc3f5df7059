-- Question: How has the use of each hybridization argument changed over the years?
-- Per API, keyword argument and year, at the end of the year: the repositories and hybrid functions passing it,
-- counted along each repository's first-parent chain to its mined tip (view head_chain): every change adds the
-- arguments of its `args_after` and takes away those of its `args_before` (for `api_changed`, from the old API).
-- The last year's counts equal those of adoption_arguments_at_head. Years run from the argument's first use to
-- the corpus's last commit.
-- Order: 44
WITH RECURSIVE deltas AS (
  SELECT ch.repository_id, h.api, a.key AS argument,
         CAST(strftime('%Y', ch.committer_time, 'unixepoch') AS INTEGER) AS year, 1 AS delta
  FROM hybridization_changes h JOIN head_chain ch ON ch.commit_id = h.commit_id, json_each(h.args_after) a
  WHERE h.args_after IS NOT NULL
  UNION ALL
  SELECT ch.repository_id, CASE WHEN h.kind = 'api_changed' THEN coalesce(h.old_api, h.api) ELSE h.api END, a.key,
         CAST(strftime('%Y', ch.committer_time, 'unixepoch') AS INTEGER), -1
  FROM hybridization_changes h JOIN head_chain ch ON ch.commit_id = h.commit_id, json_each(h.args_before) a
  WHERE h.args_before IS NOT NULL
),
years(year) AS (
  SELECT min(year) FROM deltas
  UNION ALL
  SELECT year + 1 FROM years
  WHERE year < (SELECT CAST(strftime('%Y', max(committer_time), 'unixepoch') AS INTEGER) FROM commits)
),
per_repository AS (
  SELECT y.year, d.api, d.argument, d.repository_id, sum(d.delta) AS functions
  FROM years y JOIN deltas d ON d.year <= y.year
  GROUP BY y.year, d.api, d.argument, d.repository_id
)
SELECT year, api, argument, sum(functions > 0) AS repositories, sum(functions) AS functions
FROM per_repository
GROUP BY year, api, argument
ORDER BY year, api, argument;

-- Question: How long do anti-patterns live, and are they removed in bug fixes?
-- Per anti-pattern, the lifetimes of its findings on the repositories' first-parent chains (view
-- finding_lifetimes; one lifetime per repository, path, function and run of file versions containing it):
-- how many were removed, their share, the share of removals made by bug-fix commits, and the median and mean
-- days until removal; open lifetimes (still at head) are right-censored and reported by their mean age.
-- Needs the findings of every version (`mine --findings history`, the default): `--findings tip` leaves the
-- versions off the tips without them, and the report's provenance counts them.
-- Order: 53
WITH removed AS (
  SELECT antipattern, days,
         row_number() OVER (PARTITION BY antipattern ORDER BY days) AS position,
         count(*) OVER (PARTITION BY antipattern) AS total
  FROM finding_lifetimes WHERE status = 'removed'
),
medians AS (
  SELECT antipattern, round(avg(days), 1) AS median_days
  FROM removed WHERE position IN ((total + 1) / 2, (total + 2) / 2)
  GROUP BY antipattern
)
SELECT l.antipattern, count(*) AS lifetimes,
       sum(l.status = 'removed') AS removed,
       round(100.0 * sum(l.status = 'removed') / count(*), 1) AS percent_removed,
       sum(l.removed_in_bug_fix = 1) AS removed_in_bug_fix,
       round(100.0 * sum(l.removed_in_bug_fix = 1) / nullif(sum(l.status = 'removed'), 0), 1)
         AS percent_removals_in_bug_fix,
       m.median_days AS median_days_until_removed,
       round(avg(CASE WHEN l.status = 'removed' THEN l.days END), 1) AS mean_days_until_removed,
       round(avg(CASE WHEN l.status = 'open' THEN l.days END), 1) AS mean_days_open
FROM finding_lifetimes l LEFT JOIN medians m ON m.antipattern = l.antipattern
GROUP BY l.antipattern
ORDER BY l.antipattern;

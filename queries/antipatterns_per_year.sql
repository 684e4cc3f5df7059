-- Question: How many anti-pattern findings are open at the end of each year, per anti-pattern?
-- Per anti-pattern and year, from the findings' lifetimes (view finding_lifetimes, on each repository's
-- first-parent chain): the findings open at the end of the year (introduced in or before it and not removed by
-- then), and those introduced and removed during the year. Years run from the anti-pattern's first finding to the
-- corpus's last commit, so the last year's open findings are those at head. The report draws `open` as the
-- anti-pattern lifetimes figure.
-- Needs the findings of every version (`mine --findings history`, the default): `--findings tip` leaves the
-- versions off the tips without them, and the report's provenance counts them.
-- Order: 54
WITH RECURSIVE lifetimes AS (
  SELECT antipattern, CAST(substr(introduced_at, 1, 4) AS INTEGER) AS introduced_year,
         CAST(substr(removed_at, 1, 4) AS INTEGER) AS removed_year
  FROM finding_lifetimes
),
years(year) AS (
  SELECT min(introduced_year) FROM lifetimes
  UNION ALL
  SELECT year + 1 FROM years
  WHERE year < (SELECT CAST(strftime('%Y', max(committer_time), 'unixepoch') AS INTEGER) FROM commits)
)
SELECT y.year, l.antipattern,
       sum(l.removed_year IS NULL OR l.removed_year > y.year) AS open,
       sum(l.introduced_year = y.year) AS introduced,
       sum(coalesce(l.removed_year = y.year, 0)) AS removed
FROM years y JOIN lifetimes l ON l.introduced_year <= y.year
GROUP BY y.year, l.antipattern
ORDER BY y.year, l.antipattern;

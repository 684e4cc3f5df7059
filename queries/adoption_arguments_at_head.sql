-- Question: Which hybridization arguments do projects use today (at head)?
-- Per API and keyword argument at each repository's mined tip: the repositories and distinct hybrid functions
-- passing it, and the most frequent value (source text; ties broken alphabetically). Sites without arguments
-- count under `(none)`.
-- Order: 42
WITH args AS (
  SELECT s.repository_id, s.path, s.function, s.api, a.key AS argument, a.value AS value
  FROM head_sites s, json_each(s.arguments) a
  UNION ALL
  SELECT s.repository_id, s.path, s.function, s.api, '(none)', NULL
  FROM head_sites s WHERE s.arguments = '{}'
),
value_counts AS (
  SELECT api, argument, value, count(*) AS uses,
         row_number() OVER (PARTITION BY api, argument ORDER BY count(*) DESC, value) AS rank
  FROM args WHERE value IS NOT NULL GROUP BY api, argument, value
)
SELECT a.api, a.argument,
       count(DISTINCT a.repository_id) AS repositories,
       count(DISTINCT a.repository_id || char(0) || a.path || char(0) || a.function) AS functions,
       v.value AS most_frequent_value
FROM args a
LEFT JOIN value_counts v ON v.api = a.api AND v.argument = a.argument AND v.rank = 1
GROUP BY a.api, a.argument
ORDER BY a.api, a.argument = '(none)', functions DESC, a.argument;

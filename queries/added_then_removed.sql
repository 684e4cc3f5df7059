-- Question: How often is hybridization added and then removed again?
-- Per API (and over all APIs): hybridization episodes (view hybrid_episodes), how many ended with the
-- hybridization removed, their share, and the days they lasted (removed episodes: mean, min, max; open
-- episodes: mean age at the tip).
-- Order: 48
SELECT api, episodes, removed, percent_removed, mean_days_until_removed, min_days_until_removed,
       max_days_until_removed, mean_days_open
FROM (
  SELECT 0 AS total_row, api, count(*) AS episodes,
         sum(status = 'removed') AS removed,
         round(100.0 * sum(status = 'removed') / count(*), 1) AS percent_removed,
         round(avg(CASE WHEN status = 'removed' THEN days END), 1) AS mean_days_until_removed,
         min(CASE WHEN status = 'removed' THEN days END) AS min_days_until_removed,
         max(CASE WHEN status = 'removed' THEN days END) AS max_days_until_removed,
         round(avg(CASE WHEN status = 'open' THEN days END), 1) AS mean_days_open
  FROM hybrid_episodes GROUP BY api
  UNION ALL
  SELECT 1, '(all)', count(*), sum(status = 'removed'), round(100.0 * sum(status = 'removed') / count(*), 1),
         round(avg(CASE WHEN status = 'removed' THEN days END), 1),
         min(CASE WHEN status = 'removed' THEN days END), max(CASE WHEN status = 'removed' THEN days END),
         round(avg(CASE WHEN status = 'open' THEN days END), 1)
  FROM hybrid_episodes HAVING count(*) > 0
)
ORDER BY total_row, api;

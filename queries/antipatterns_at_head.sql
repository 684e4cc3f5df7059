-- Question: How prevalent is each anti-pattern in projects today (at head)?
-- Per anti-pattern in the files at each repository's mined tip (view findings_at_head): the repositories, files
-- and distinct functions (file + function; module-level findings count as the file's '' function) with it, and
-- its findings. Only files with hybridization sites are analysed for anti-patterns.
-- Order: 52
SELECT antipattern,
       count(DISTINCT repository_id) AS repositories,
       count(DISTINCT repository_id || char(0) || path) AS files,
       count(DISTINCT repository_id || char(0) || path || char(0) || function) AS functions,
       count(*) AS findings
FROM findings_at_head
GROUP BY antipattern
ORDER BY antipattern;

-- Question: Which hybridization APIs do projects use today (at head)?
-- Per API at each repository's mined tip (view head_sites): the repositories, files and distinct hybrid
-- functions (file + function) using it, and its sites by form (decorator, decorator with arguments, call, ...).
-- Order: 41
SELECT family, api,
       count(DISTINCT repository_id) AS repositories,
       count(DISTINCT repository_id || char(0) || path) AS files,
       count(DISTINCT repository_id || char(0) || path || char(0) || function) AS functions,
       count(*) AS sites,
       sum(form = 'decorator') AS decorator,
       sum(form IN ('decorator_call', 'partial_decorator')) AS decorator_with_arguments,
       sum(form IN ('call', 'method_call')) AS call
FROM head_sites
GROUP BY family, api
ORDER BY family, api;

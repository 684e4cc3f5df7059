-- Question: How much development happened each year, and how much of it touched Python code?
-- Commits by committer year across the corpus, with the number of repositories active that year and the
-- commits that changed at least one Python source or notebook.
-- Order: 20
SELECT strftime('%Y', c.committer_time, 'unixepoch') AS year,
       count(DISTINCT c.repository_id) AS repositories,
       count(*) AS commits,
       sum(EXISTS (SELECT 1 FROM file_changes fc
                   WHERE fc.commit_id = c.id AND fc.language IN ('python', 'jupyter'))) AS python_commits
FROM commits c
GROUP BY year
ORDER BY year;

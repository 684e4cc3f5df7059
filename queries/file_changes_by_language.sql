-- Question: Which kinds of files do the corpus' commits change?
-- File changes per language (from the path; 'unknown' when it has no known extension) and status, with the
-- lines added and removed. Binary files count as changes with no lines.
-- Order: 30
SELECT coalesce(language, 'unknown') AS language,
       count(*) AS changes,
       sum(status = 'added') AS added,
       sum(status = 'modified') AS modified,
       sum(status = 'deleted') AS deleted,
       sum(status IN ('renamed', 'copied')) AS renamed_or_copied,
       sum(is_binary) AS binary,
       coalesce(sum(lines_added), 0) AS lines_added,
       coalesce(sum(lines_removed), 0) AS lines_removed
FROM file_changes
GROUP BY coalesce(language, 'unknown')
ORDER BY changes DESC, language;

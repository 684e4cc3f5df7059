-- Schema v8: bug reports by their labels. A commit linked (commit_issue_links) to an issue or pull request that its
-- project labelled as a bug is a bug fix by the project's own word, whatever its message says; the bug-fix queries
-- count these beside the message keywords (commits.is_bug_fix). Documented in schema/README.md.

-- The labels that mark an issue or pull request as a bug. Projects spell it many ways ("bug", "type:bug",
-- "kind/bug", "Type: Bug", "bug-fix", "bugfix", "🐛 bug"): after lowercasing and turning ':', '/', '-' and '_'
-- into spaces, the label holds the word "bug", "bugs", "bugfix" or "defect"; "not a bug" (and words that merely
-- contain the letters, such as "debugging") do not count.
CREATE VIEW bug_labels AS
SELECT issue_id, name AS label
FROM (SELECT issue_id, name,
             ' ' || replace(replace(replace(replace(lower(name), ':', ' '), '/', ' '), '-', ' '), '_', ' ') || ' '
               AS words
      FROM issue_labels)
WHERE (words LIKE '% bug %' OR words LIKE '% bugs %' OR words LIKE '% bugfix %' OR words LIKE '% defect %')
  AND words NOT LIKE '% not a bug %';

-- Commits linked to an issue or pull request labelled as a bug: one row per commit, linked issue and link kind.
CREATE VIEW commit_bug_reports AS
SELECT k.commit_id, k.issue_id, k.repository, k.sha, k.number, k.is_pull_request, k.link,
       (SELECT group_concat(b.label, ', ') FROM (SELECT label FROM bug_labels WHERE issue_id = k.issue_id ORDER BY label) b)
         AS bug_labels
FROM commit_issue_links k
WHERE EXISTS (SELECT 1 FROM bug_labels b WHERE b.issue_id = k.issue_id);

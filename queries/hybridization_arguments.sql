-- Question: Which hybridization arguments do developers add, remove and change?
-- One row per API and argument: how often it was added, removed or modified in a hybridization change (an
-- `added` change counts the arguments it was added with; merges excluded).
-- Order: 50
WITH args AS (
  SELECT h.api, a.value AS argument, 'added' AS action
  FROM hybridization_changes h JOIN commits c ON c.id = h.commit_id, json_each(h.args_added) a WHERE c.is_merge = 0
  UNION ALL
  SELECT h.api, a.value, 'removed'
  FROM hybridization_changes h JOIN commits c ON c.id = h.commit_id, json_each(h.args_removed) a WHERE c.is_merge = 0
  UNION ALL
  SELECT h.api, a.value, 'modified'
  FROM hybridization_changes h JOIN commits c ON c.id = h.commit_id, json_each(h.args_modified) a WHERE c.is_merge = 0
)
SELECT api, argument,
       sum(action = 'added') AS added,
       sum(action = 'removed') AS removed,
       sum(action = 'modified') AS modified
FROM args
GROUP BY api, argument
ORDER BY api, added + removed + modified DESC, argument;

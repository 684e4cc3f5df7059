-- Question: Which hybridization arguments are replaced by others, and which values change to which?
-- In changes that keep a function hybrid (merges excluded): `renamed` pairs an argument removed with one added in
-- the same change (experimental_relax_shapes -> reduce_retracing), `value` an argument whose value changed
-- (mode "reduce-overhead" -> "max-autotune"; values as source text). Counted per API, with the repositories.
-- Order: 51
WITH kept AS (
  SELECT h.*, c.repository_id
  FROM hybridization_changes h JOIN commits c ON c.id = h.commit_id
  WHERE c.is_merge = 0 AND h.args_before IS NOT NULL AND h.args_after IS NOT NULL
),
transitions AS (
  SELECT k.api, 'renamed' AS transition, r.value AS from_argument, a.value AS to_argument,
         json_extract(k.args_before, '$."' || r.value || '"') AS from_value,
         json_extract(k.args_after, '$."' || a.value || '"') AS to_value, k.repository_id
  FROM kept k, json_each(k.args_removed) r, json_each(k.args_added) a
  UNION ALL
  SELECT k.api, 'value', m.value, m.value,
         json_extract(k.args_before, '$."' || m.value || '"'), json_extract(k.args_after, '$."' || m.value || '"'),
         k.repository_id
  FROM kept k, json_each(k.args_modified) m
)
SELECT api, transition, from_argument, to_argument, from_value, to_value,
       count(*) AS changes, count(DISTINCT repository_id) AS repositories
FROM transitions
GROUP BY api, transition, from_argument, to_argument, from_value, to_value
ORDER BY api, transition, changes DESC, from_argument, to_argument, from_value, to_value;

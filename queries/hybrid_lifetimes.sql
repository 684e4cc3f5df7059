-- Question: How long do functions stay hybrid?
-- Every hybridization episode on the repositories' first-parent chains (view hybrid_episodes): a function made
-- hybrid, and when (if ever) hybridization was removed again; `days` runs to the removal, or to the tip for
-- episodes still open at head (right-censored).
-- Order: 47
SELECT repository, api, path, function, substr(added_at, 1, 10) AS added, substr(removed_at, 1, 10) AS removed,
       status, days
FROM hybrid_episodes
ORDER BY repository, added_at, path, function;

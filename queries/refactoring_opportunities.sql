-- Question: How many functions could be refactored (eager to hybrid, or hybrid back to eager), and why not the others?
-- Per refactoring and reason over the functions in the files at each repository's mined tip (view
-- refactoring_opportunities): the passing precondition (P1: convert to hybrid; P2, P3, P6: convert to eager) or,
-- for functions the refactoring cannot be applied to, each failure code (a function with several counts under
-- each). Functions are counted per file and qualified name; the share is of all functions that refactoring was
-- considered for; refactoring '(none)' holds the hybrid functions of APIs the advisor does not handle (failure
-- CURRENTLY_NOT_HANDLED). Advice is computed for files with hybridization sites or importing TensorFlow, PyTorch, JAX or
-- MXNet, each file analysed on its own.
-- Order: 58
WITH candidates AS (
  SELECT refactoring, count(DISTINCT repository_id || char(0) || path || char(0) || function) AS functions
  FROM function_advice_at_head
  GROUP BY refactoring
)
SELECT coalesce(o.refactoring, '(none)') AS refactoring,
       CASE WHEN o.passes THEN 'passes' ELSE 'fails' END AS outcome,
       coalesce(o.reason, '(no code)') AS reason,
       count(DISTINCT o.repository_id) AS repositories,
       sum(o.functions) AS functions,
       round(100.0 * sum(o.functions) / c.functions, 1) AS percent_of_candidates
FROM refactoring_opportunities o JOIN candidates c ON c.refactoring IS o.refactoring
GROUP BY o.refactoring, o.passes, o.reason
ORDER BY o.refactoring IS NULL, o.refactoring, o.passes DESC, functions DESC, reason;

-- Question: Which runs produced this database (provenance)?
-- Every run with its command, tool and schema version, start and end (no end: interrupted), outcome and counts.
-- Order: 90
SELECT id AS run, command, tool_version, schema_version, started_at, finished_at, status,
       sources, sources_failed, commits_added, file_changes_added, commits_analysed, hybridization_changes_added,
       blobs_parsed, blobs_skipped, blobs_cached
FROM runs
ORDER BY id;

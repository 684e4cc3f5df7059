#pragma once
// Merges one hybridminer database into another: how the per-shard databases of a cluster run become one. Rows
// are matched by their natural keys (a run by command + arguments + options + start time, a repository by url,
// a commit by repository + sha, a blob analysis by blob id, an issue by repository + number, a corpus query by
// kind + query + options + start time, the other GitHub and label rows by their primary keys); what the output
// lacks is copied with fresh ids, what both have is compared. So merging is idempotent, and merging shards gives
// the rows of a single-process run.
//
// When both have a row that differs: a repository mined later (mined_at) replaces the older row and its mined
// refs, and GitHub data fetched later (an issue with its labels and references, metadata, comments, sync state,
// cached responses) and labels imported later replace theirs; anything else is a conflict, reported, and the
// output's row is kept (e.g. commits analysed by different detector versions: re-mine the output instead of
// merging across versions).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite.hpp"

namespace hm::store {

struct MergeCounts {
  std::int64_t runs_added = 0;
  std::int64_t repositories_added = 0;
  std::int64_t repositories_updated = 0;
  std::int64_t commits_added = 0;
  std::int64_t file_changes_added = 0;
  std::int64_t hybridization_changes_added = 0;
  std::int64_t blobs_added = 0;
  std::int64_t issues_added = 0;
  std::int64_t issues_updated = 0;
  std::int64_t labels_added = 0;
  std::int64_t conflicts = 0;
  std::vector<std::string> conflict_examples;  // one line each, the first few
};

// Merges `input` (never written) into `out` in one transaction: on any error nothing of `input` is kept.
// Throws hm::Error when `input` is not a hybridminer database of the current schema, is `out` itself, or has
// tables this version does not know how to merge.
MergeCounts merge_database(Database& out, const std::filesystem::path& input);

}  // namespace hm::store

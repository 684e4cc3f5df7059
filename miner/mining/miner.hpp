#pragma once
// Mines one source at a time: clone or fetch when remote, walk the new history, store every commit with its file
// changes, then record the tips reached. Failures are contained to their source.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "corpus/source.hpp"
#include "store/history_store.hpp"
#include "util/progress.hpp"

namespace hm::mining {

struct MineOptions {
  std::filesystem::path cache_dir;
  bool all_refs = false;                // walk every branch and tag instead of the default branch
  std::optional<std::int64_t> since;   // committer time bounds, Unix seconds, inclusive
  std::optional<std::int64_t> until;
  std::size_t commits_per_transaction = 500;
};

struct SourceOutcome {
  bool ok = true;
  std::string error;  // one line when !ok
  std::int64_t commits_added = 0;
  std::int64_t file_changes_added = 0;
  std::int64_t commits_failed = 0;  // stored with commits.error set
  std::int64_t commits_analysed = 0;
  std::int64_t hybridization_changes_added = 0;
  std::int64_t blobs_parsed = 0;
  std::int64_t blobs_skipped = 0;
  std::int64_t blobs_cached = 0;
};

class Miner {
 public:
  Miner(store::HistoryStore& store, std::int64_t run_id, MineOptions options, util::Progress& progress);

  SourceOutcome mine(const corpus::Source& source);

 private:
  void mine_history(std::int64_t repository_id, const corpus::Source& source, SourceOutcome& outcome);
  bool in_date_range(std::int64_t committer_time) const;

  store::HistoryStore& store_;
  std::int64_t run_id_;
  MineOptions options_;
  util::Progress& progress_;
  std::optional<std::int64_t> kill_after_commits_;  // fault injection for the crash-safety tests
  std::int64_t commits_inserted_ = 0;
};

}  // namespace hm::mining

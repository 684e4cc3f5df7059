#pragma once
// Mines a list of sources: `jobs` worker threads clone or fetch, walk, read and analyse histories (HistoryWalker:
// each walked window of commits is analysed on the worker, pipelined with the walk), while exactly one thread, the
// caller's, owns the database: it stores each source's commits and file changes together with their analysis
// (blob facts, findings and advice, hybridization changes, issue references, bug-fix rule), a commit and its
// analysis in the same transaction; records the tips reached; analyses commits stored earlier without the current
// detector's analysis; and advises the tip's files. Sources are stored in list order, so the database is the same
// row for row (ids included) whatever `jobs` is; workers run at most `jobs` sources ahead of the writer, and each
// through a bounded queue, so memory stays bounded whatever the history length. `jobs` is also the CPU budget:
// every thread, the writer included, holds one of its slots while it works, and the analysis parses on more
// threads only on slots left idle.
// Failures are contained to their source; a failure of the database itself ends the run.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "corpus/source.hpp"
#include "mining/commit_analyzer.hpp"
#include "mining/history_walker.hpp"
#include "store/history_store.hpp"
#include "util/cpu_budget.hpp"
#include "util/progress.hpp"

namespace hm::mining {

struct MineOptions {
  std::filesystem::path cache_dir;
  bool all_refs = false;                // walk every branch and tag instead of the default branch
  std::optional<std::int64_t> since;   // committer time bounds, Unix seconds, inclusive
  std::optional<std::int64_t> until;
  std::size_t commits_per_transaction = 500;
  std::size_t jobs = 1;                 // sources walked in parallel; busy threads of analysis
  FindingsScope findings = FindingsScope::History;  // which versions get findings and advice (commit_analyzer.hpp)
};

struct SourceOutcome {
  bool ok = true;
  std::string error;  // one line when !ok
  std::string warning;  // one line, or empty: what the database lacks although the source was mined
  std::int64_t commits_added = 0;
  std::int64_t file_changes_added = 0;
  std::int64_t commits_analysed = 0;
  std::int64_t hybridization_changes_added = 0;
  std::int64_t blobs_parsed = 0;
  std::int64_t blobs_reparsed = 0;  // of blobs_parsed, those reparsed from an earlier version's tree
  std::int64_t blobs_skipped = 0;
  std::int64_t blobs_cached = 0;
  std::int64_t tip_blobs_advised = 0;     // the tip's files given advice at the end of the mine
  std::int64_t tip_blobs_worked_out = 0;  // of them, those the walk's analysis advised while the writer stored
  std::int64_t blobs_completed = 0;  // versions an earlier `--findings tip` mine left without findings, completed
};

class Miner {
 public:
  // `store` must be the only writing connection to its database for the life of the Miner.
  Miner(store::HistoryStore& store, std::int64_t run_id, MineOptions options, util::Progress& progress);

  // Mines every source; `finished` is called on this thread for each source, in order, once it is stored.
  void mine(const std::vector<corpus::Source>& sources,
            const std::function<void(std::size_t, const SourceOutcome&)>& finished);

 private:
  SourceOutcome store_source(const corpus::Source& source, WalkQueue& queue);
  void store_history(std::int64_t repository_id, WalkQueue& queue, SourceOutcome& outcome);

  store::HistoryStore& store_;
  std::int64_t run_id_;
  MineOptions options_;
  util::Progress& progress_;
  util::CpuBudget budget_;
  SharedBlobs shared_blobs_;  // between the workers
  std::optional<std::int64_t> kill_after_commits_;  // fault injection for the crash-safety tests
  std::optional<std::int64_t> kill_after_analysed_;
  std::int64_t commits_inserted_ = 0;
  // With FindingsScope::History, whether an earlier `--findings tip` mine left versions without their findings:
  // only then does each source look for its own (CommitAnalyzer::complete_findings).
  bool findings_to_complete_ = false;
};

}  // namespace hm::mining

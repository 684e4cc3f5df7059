#pragma once
// The read side of a mine, run on a worker thread: clone or fetch a source when remote, walk the history not yet
// stored, read every commit with its file changes, and analyse them window by window (CommitAnalyzer::
// analyse_window) on a second thread of the source's, so the walk of a window overlaps the analysis of the one
// before. It never writes the database: each stage reads what earlier runs stored (and the blob cache) through its
// own read-only connection (WAL lets it read while the writer writes), and the analysis stage sends what was read
// and analysed, in walk order and in windows, to the one thread that writes (see miner.hpp). Each stage holds a
// slot of the run's CPU budget while it works, not while it waits for the other stage or the writer.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <variant>
#include <vector>

#include "corpus/source.hpp"
#include "git/commit_reader.hpp"
#include "git/repository.hpp"
#include "mining/commit_analyzer.hpp"
#include "store/sqlite.hpp"
#include "util/bounded_queue.hpp"
#include "util/cpu_budget.hpp"
#include "util/progress.hpp"

namespace hm::mining {

struct MineOptions;

// The repository is open and the walk is known; comes first.
struct WalkStart {
  std::string git_dir;
  std::optional<git::RefTip> head;
  std::vector<git::RefTip> tips;
  std::size_t to_visit = 0;
  // repositories.name as of this mine: the source's, but owner/name for a local clone of a GitHub repository (its
  // origin remote), the name its GitHub source would have, so that the study's tables tell apart clones that sit
  // in folders of the same name, and their commits' owner/name#N references resolve.
  std::string name;
  bool partial_clone = false;  // git::Repository::is_partial_clone
};

struct WalkedCommit {
  std::size_t index = 0;  // position in the walk, for progress
  git::CommitInfo info;
  std::vector<git::FileChange> changes;
  std::optional<std::string> error;  // stored in commits.error (damage, or HistoryStore::kShallowBoundary)
  CommitAnalysis analysis;           // stored with the commit, in its transaction
  // Stored by an earlier run without its changes (unreadable, or a shallow clone's boundary) and readable now: the
  // writer replaces that row, so the database holds what a fresh mine of the repository as it is now would.
  bool replaces_stored = false;
};

// One analysis window of commits, in walk order.
struct WalkBatch {
  std::vector<WalkedCommit> commits;
  std::vector<std::shared_ptr<const BlobSave>> blobs;  // the blobs the window's analysis parsed: saved before its first commit
  AnalysisCounts counts;        // blobs the worker found cached
};

// Consecutive windows of `commits` (read: their changes known) that each give the analysis at most `limit` Python
// bytes to parse, by the prefilter's answers the walk read (a commit over the limit makes a window of its own).
std::vector<std::vector<WalkedCommit>> split_by_parse_bytes(std::vector<WalkedCommit> commits, std::size_t limit);

// The bytes of the Python blobs a batch's analysis parsed: what its analyses hold grows with them, so the
// writer's queue is bounded in them as well as in batches.
std::size_t parsed_bytes(const WalkBatch& batch);

// Every window of the walk is sent; the tip's advice is being worked out, and WalkEnd follows with it.
struct WalkAnalysed {};

// The walk is complete.
struct WalkEnd {
  // Worked out by the walk's analysis for the default branch's tip (advise_tip); null when none was. (A pointer:
  // held by value, GCC 12 -O2 warns a string of it is freed from the stack, -Wfree-nonheap-object.)
  std::unique_ptr<TipAdvice> tip_advice;
};

// The source cannot be mined; what was sent before it is discarded by the writer.
struct WalkFailure {
  std::string error;  // one line
  bool database = false;  // the database itself failed: the run cannot go on
};

using WalkMessage = std::variant<WalkStart, WalkBatch, WalkAnalysed, WalkEnd, WalkFailure>;
using WalkQueue = util::BoundedQueue<WalkMessage>;

class HistoryWalker {
 public:
  // `db_file` is opened read-only: the writer's connection must have created and migrated it. Clone and fetch
  // progress goes to `progress`, named by the source.
  HistoryWalker(const std::filesystem::path& db_file, const MineOptions& options, util::Progress& progress,
                util::CpuBudget& budget, SharedBlobs& shared);

  // Walks `source` into `queue`; ends with WalkEnd or WalkFailure unless the queue was closed (run cancelled).
  void walk(const corpus::Source& source, WalkQueue& queue);

 private:
  bool walk_history(const corpus::Source& source, WalkQueue& queue);
  void read_changes(const std::filesystem::path& git_dir, const std::vector<git_oid>& to_visit, WalkBatch& batch,
                    const std::vector<std::size_t>& to_diff, git::CommitReader& reader);
  std::optional<std::int64_t> repository_id(const std::string& url);
  std::unordered_set<std::string> readable_again(const git::Repository& repo, std::int64_t repository_id,
                                                 const std::unordered_set<std::string>& shallow, bool partial_clone);
  void add_content_back(const git::Repository& repo, std::int64_t repository_id,
                        std::unordered_set<std::string>& readable);
  bool in_date_range(std::int64_t committer_time) const;

  const MineOptions& options_;
  util::Progress& progress_;
  util::CpuBudget& budget_;
  SharedBlobs& shared_;
  store::Database db_;
  store::Statement find_repository_;
  store::Statement mined_refs_;
  store::Statement has_commit_;
  store::Statement stored_without_changes_;
  store::Statement stored_without_content_;
};

}  // namespace hm::mining

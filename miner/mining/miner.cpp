#include "mining/miner.hpp"

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <memory>
#include <mutex>
#include <thread>

#include "git/handles.hpp"
#include "mining/commit_analyzer.hpp"
#include "util/fault_injection.hpp"

namespace hm::mining {
namespace {

// Windows a worker may queue ahead of the writer, per source, and the Python bytes their analyses parsed in all
// (parsed_bytes): an analysis holds a few times the bytes it parsed (facts, findings and advice of every function).
constexpr std::size_t kQueuedBatches = 4;
constexpr std::size_t kQueuedParsedBytes = 32u << 20;
// A log this long when a source's last window is stored is copied into the database while the tip's advice is
// worked out (64 MiB of 4 KiB pages); a shorter one waits for a later source or the close: each checkpoint waits
// for the disk twice, which for every one of thousands of small repositories would cost more than it saves.
constexpr int kCheckpointFrames = 16384;

std::string first_line(std::string text) {
  const auto newline = text.find('\n');
  if (newline != std::string::npos) text.resize(newline);
  return text;
}

// The worker threads: they take sources in list order, at most `jobs` ahead of the one being stored, so a long
// history stored by the writer holds up at most `jobs` walks, each waiting on a bounded queue.
// Destroying the pool cancels what is left and joins the workers.
class WalkPool {
 public:
  WalkPool(const std::vector<corpus::Source>& sources, const MineOptions& options, std::filesystem::path db_file,
           util::Progress& progress, util::CpuBudget& budget, SharedBlobs& shared)
      : sources_(sources),
        options_(options),
        db_file_(std::move(db_file)),
        progress_(progress),
        budget_(budget),
        shared_(shared),
        lookahead_(std::max<std::size_t>(1, options.jobs)) {
    for (std::size_t i = 0; i < sources.size(); ++i) {
      queues_.push_back(std::make_unique<WalkQueue>(kQueuedBatches, kQueuedParsedBytes));
    }
    for (std::size_t t = 0; t < std::min(lookahead_, sources.size()); ++t) workers_.emplace_back([this] { work(); });
  }
  ~WalkPool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    turn_.notify_all();
    for (auto& queue : queues_) queue->close();
  }
  WalkPool(const WalkPool&) = delete;
  WalkPool& operator=(const WalkPool&) = delete;

  WalkQueue& queue(std::size_t index) { return *queues_[index]; }

  // Source `index` is stored: its queue is done with (a worker still pushing stops), the next may start.
  void stored(std::size_t index) {
    queues_[index]->close();
    {
      std::lock_guard lock(mutex_);
      stored_ = index + 1;
    }
    turn_.notify_all();
  }

 private:
  void work() {
    std::optional<HistoryWalker> walker;
    for (;;) {
      std::size_t index = 0;
      {
        std::unique_lock lock(mutex_);
        turn_.wait(lock, [&] { return stopping_ || next_ >= sources_.size() || next_ < stored_ + lookahead_; });
        if (stopping_ || next_ >= sources_.size()) return;
        index = next_++;
      }
      try {
        if (!walker) walker.emplace(db_file_, options_, progress_, budget_, shared_);
      } catch (const std::exception& e) {
        queues_[index]->push(WalkFailure{first_line(e.what()), true});
        continue;
      }
      walker->walk(sources_[index], *queues_[index]);
    }
  }

  const std::vector<corpus::Source>& sources_;
  const MineOptions& options_;
  std::filesystem::path db_file_;
  util::Progress& progress_;
  util::CpuBudget& budget_;
  SharedBlobs& shared_;
  std::size_t lookahead_;
  std::vector<std::unique_ptr<WalkQueue>> queues_;
  std::mutex mutex_;
  std::condition_variable turn_;
  std::size_t next_ = 0;
  std::size_t stored_ = 0;
  bool stopping_ = false;
  std::vector<std::jthread> workers_;  // last: joined before the queues and the lock go
};

// The next message of a walk; a failure of the walk becomes the exception a sequential mine would have thrown.
WalkMessage next_message(WalkQueue& queue) {
  auto message = queue.pop();
  if (!message) throw Error("walk cancelled");
  if (const auto* failure = std::get_if<WalkFailure>(&*message)) {
    if (failure->database) throw DatabaseFailure(failure->error);
    throw Error(failure->error);
  }
  return std::move(*message);
}

// Whether a `--findings tip` mine left versions with sites in `db` without their findings. Its runs (merged ones
// included) tell first whether one ran: a few rows to read, where the sites of a large corpus are many.
bool findings_to_complete(store::Database& db) {
  auto tip_run = db.prepare(
      "SELECT EXISTS (SELECT 1 FROM runs WHERE command = 'mine' AND json_extract(options, '$.findings') = 'tip')");
  if (!tip_run.step() || tip_run.get_int(0) == 0) return false;
  auto lacking = db.prepare("SELECT EXISTS (SELECT 1 FROM blob_sites s "
                            "WHERE NOT EXISTS (SELECT 1 FROM advised_blobs a WHERE a.blob = s.blob))");
  return lacking.step() && lacking.get_int(0) == 1;
}

}  // namespace

Miner::Miner(store::HistoryStore& store, std::int64_t run_id, MineOptions options, util::Progress& progress)
    : store_(store),
      run_id_(run_id),
      options_(std::move(options)),
      progress_(progress),
      budget_(std::max<std::size_t>(1, options_.jobs)),
      // HYBRIDMINER_FAULT_KILL_AFTER_COMMITS=N: SIGKILL right after inserting the N-th commit of the run (before
      // its analysis, in the same open transaction).
      kill_after_commits_(util::fault_point("HYBRIDMINER_FAULT_KILL_AFTER_COMMITS")),
      // HYBRIDMINER_FAULT_KILL_AFTER_ANALYSED=N: SIGKILL right after storing the analysis of a repository's N-th
      // commit (the count starts again for each repository).
      kill_after_analysed_(util::fault_point("HYBRIDMINER_FAULT_KILL_AFTER_ANALYSED")),
      findings_to_complete_(options_.findings == FindingsScope::History && findings_to_complete(store_.db())) {}

void Miner::mine(const std::vector<corpus::Source>& sources,
                 const std::function<void(std::size_t, const SourceOutcome&)>& finished) {
  WalkPool pool(sources, options_, store_.db().path(), progress_, budget_, shared_blobs_);
  for (std::size_t i = 0; i < sources.size(); ++i) {
    progress_.start_source(i + 1, sources.size(), sources[i].name);
    const auto outcome = store_source(sources[i], pool.queue(i));
    pool.stored(i);
    finished(i, outcome);
  }
}

SourceOutcome Miner::store_source(const corpus::Source& source, WalkQueue& queue) {
  SourceOutcome outcome;
  std::int64_t repository_id = 0;
  try {
    repository_id = store_.upsert_repository(source);
    store_history(repository_id, queue, outcome);
  } catch (const DatabaseFailure&) {
    throw;  // not this source's fault: the run cannot go on
  } catch (const std::exception& e) {
    // Git, filesystem and SQLite errors of this source alike: its failure, not the run's.
    outcome.ok = false;
    outcome.error = first_line(e.what());
  }
  if (!outcome.ok && repository_id != 0) store_.record_failure(repository_id, run_id_, outcome.error);
  return outcome;
}

void Miner::store_history(std::int64_t repository_id, WalkQueue& queue, SourceOutcome& outcome) {
  progress_.set_phase("walking");
  // The writer's work counts against the budget like the workers' (`--jobs 1` is one busy thread in all);
  // waiting for the workers is not work.
  util::BudgetSlot slot(budget_);
  const auto next = [&] { return slot.idle([&] { return next_message(queue); }); };
  auto first = next();
  const auto& start = std::get<WalkStart>(first);
  store_.set_git_dir(repository_id, start.git_dir);
  store_.set_name(repository_id, start.name);

  // The writer's own handle on the repository (libgit2 objects stay on their thread): for commits stored earlier
  // without the current detector's analysis, analysed first, in id order as they were stored, then for the tip.
  const auto repo = git::Repository::open(start.git_dir);
  CommitAnalyzer analyzer(store_.db(), repo, progress_, &budget_, nullptr, options_.findings);
  std::int64_t analysed_here = 0;
  const auto analysed = [&] {
    if (kill_after_analysed_ && ++analysed_here == *kill_after_analysed_) std::raise(SIGKILL);
  };
  AnalysisCounts counts = analyzer.analyse_pending(repository_id, options_.commits_per_transaction, analysed);
  progress_.set_phase("walking");

  // Whole commits per transaction: a commit, its file changes and its analysis land together or not at all, and
  // batching keeps SQLite's per-transaction sync cost off the hot path. A window's blob facts go in first, before
  // the commits that refer to them.
  AnalysisWriter writer(store_.db());
  std::optional<store::Transaction> transaction;
  std::size_t in_transaction = 0;
  std::int64_t commit_id = 0;
  std::vector<std::int64_t> file_change_ids;
  const auto end_transaction = [&] {
    transaction->commit();
    transaction.reset();
    in_transaction = 0;
  };
  std::unique_ptr<TipAdvice> tip_advice;
  for (;;) {
    auto message = next();
    if (auto* end = std::get_if<WalkEnd>(&message)) {
      tip_advice = std::move(end->tip_advice);
      break;
    }
    if (std::holds_alternative<WalkAnalysed>(message)) {
      // Every commit is here, and the analysis works out the tip's advice. Meanwhile the log of a long mine is
      // copied into the database, which the close did last, alone (Keras: a second on one core, half of it
      // waiting for the disk).
      if (transaction) end_transaction();
      slot.idle([&] { store_.db().checkpoint_if_longer(kCheckpointFrames); });
      continue;
    }
    auto& batch = std::get<WalkBatch>(message);
    counts += batch.counts;
    bool blobs_saved = false;
    for (const auto& commit : batch.commits) {
      progress_.commits(commit.index, start.to_visit);
      if (!transaction) transaction.emplace(store_.db());
      if (!blobs_saved) {
        writer.save_blobs(batch.blobs, counts);
        blobs_saved = true;
        // A window's blob facts can be 100 MB of rows: a transaction of their own spills less of SQLite's page
        // cache to the log before the commits' rows join them (0.5 s of 21 on Keras). Blob facts are keyed by
        // content, so committing them ahead of the commits that refer to them is safe after a kill.
        transaction->commit();
        transaction.emplace(store_.db());
      }
      if (commit.replaces_stored) store_.delete_commit(repository_id, commit.info.sha);
      outcome.file_changes_added += store_.insert_commit(repository_id, commit.info, commit.changes, commit.error,
                                                         &commit_id, &file_change_ids);
      ++outcome.commits_added;
      if (kill_after_commits_ && ++commits_inserted_ == *kill_after_commits_) std::raise(SIGKILL);
      writer.store(commit_id, commit.analysis, file_change_ids, counts);
      analysed();
      if (++in_transaction >= options_.commits_per_transaction) end_transaction();
    }
  }
  progress_.commits(start.to_visit, start.to_visit);

  // The tips go in last, once the final commits are stored (in their transaction, or in one after it when the
  // analysis said every window was sent): only a run that stored everything reachable from them may claim them. A
  // date-filtered run stored only part, so it leaves the old tips.
  if (!transaction) transaction.emplace(store_.db());
  std::vector<store::MinedRef> refs;
  for (const auto& tip : start.tips) refs.push_back({tip.name, git::to_hex(tip.target)});
  // Every damaged commit stored for the repository, not only this run's: a run resumed after a kill, or a later
  // incremental one, reports what an uninterrupted mine would.
  const auto error = store_.unreadable_commits(repository_id);
  if (start.partial_clone) outcome.warning = store_.content_missing(repository_id).value_or("");
  const bool complete = !options_.since && !options_.until;
  const auto& head = start.head;
  store_.record_success(repository_id, run_id_, head ? std::optional<std::string>(head->name) : std::nullopt,
                        head ? std::optional<std::string>(git::to_hex(head->target)) : std::nullopt, refs, complete,
                        error);
  transaction->commit();

  if (head) {
    const auto tip = analyzer.advise_tip(head->target, tip_advice.get());
    outcome.tip_blobs_advised = tip.advised;
    outcome.tip_blobs_worked_out = tip.worked_out;
  }
  if (findings_to_complete_) {
    outcome.blobs_completed = analyzer.complete_findings(repository_id);
  }
  outcome.commits_analysed = counts.commits;
  outcome.hybridization_changes_added = counts.hybridization_changes;
  outcome.blobs_parsed = counts.blobs_parsed;
  outcome.blobs_reparsed = counts.blobs_reparsed;
  outcome.blobs_skipped = counts.blobs_skipped;
  outcome.blobs_cached = counts.blobs_cached;
  if (error) {
    outcome.ok = false;
    outcome.error = *error;
  }
}

}  // namespace hm::mining

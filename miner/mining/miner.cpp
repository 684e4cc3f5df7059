#include "mining/miner.hpp"

#include <csignal>

#include "git/clone.hpp"
#include "git/commit_reader.hpp"
#include "git/history.hpp"
#include "git/repository.hpp"
#include "mining/commit_analyzer.hpp"
#include "util/fault_injection.hpp"

namespace hm::mining {
namespace {

git_oid oid_from_hex(const std::string& hex) {
  git_oid oid;
  git::check(git_oid_fromstr(&oid, hex.c_str()), "invalid object id " + hex);
  return oid;
}

git::Repository open_source(const corpus::Source& source, const std::filesystem::path& cache_dir,
                            util::Progress& progress) {
  if (!source.is_remote()) return git::Repository::open(source.url);
  progress.set_phase("fetching");
  const auto destination = corpus::cache_path(source, cache_dir);
  return git::clone_or_fetch(source.url, destination,
                             [&](std::size_t received, std::size_t total) { progress.transfer(received, total); });
}

std::string first_line(std::string text) {
  const auto newline = text.find('\n');
  if (newline != std::string::npos) text.resize(newline);
  return text;
}

}  // namespace

Miner::Miner(store::HistoryStore& store, std::int64_t run_id, MineOptions options, util::Progress& progress)
    : store_(store),
      run_id_(run_id),
      options_(std::move(options)),
      progress_(progress),
      // HYBRIDMINER_FAULT_KILL_AFTER_COMMITS=N: SIGKILL right after inserting the N-th commit.
      kill_after_commits_(util::fault_point("HYBRIDMINER_FAULT_KILL_AFTER_COMMITS")) {}

bool Miner::in_date_range(std::int64_t committer_time) const {
  return (!options_.since || committer_time >= *options_.since) &&
         (!options_.until || committer_time <= *options_.until);
}

SourceOutcome Miner::mine(const corpus::Source& source) {
  SourceOutcome outcome;
  std::int64_t repository_id = 0;
  try {
    repository_id = store_.upsert_repository(source);
    mine_history(repository_id, source, outcome);
  } catch (const DatabaseFailure&) {
    throw;  // not this source's fault: the run cannot go on
  } catch (const Error& e) {
    outcome.ok = false;
    outcome.error = first_line(e.what());
  } catch (const std::exception& e) {
    // Filesystem errors and the like: still one source's failure, not the run's.
    outcome.ok = false;
    outcome.error = first_line(e.what());
  }
  if (!outcome.ok && repository_id != 0) store_.record_failure(repository_id, run_id_, outcome.error);
  return outcome;
}

void Miner::mine_history(std::int64_t repository_id, const corpus::Source& source, SourceOutcome& outcome) {
  auto repo = open_source(source, options_.cache_dir, progress_);
  store_.set_git_dir(repository_id, repo.git_dir().string());

  progress_.set_phase("walking");
  const auto head = repo.default_branch();
  std::vector<git::RefTip> tips;
  if (options_.all_refs) {
    tips = repo.all_ref_tips();
    // A detached HEAD is not a ref, but it is what the user has checked out.
    if (head && head->name == "HEAD") tips.push_back(*head);
  } else if (head) {
    tips.push_back(*head);
  }
  std::vector<git_oid> tip_oids;
  for (const auto& tip : tips) tip_oids.push_back(tip.target);
  std::vector<git_oid> hidden;
  for (const auto& mined : store_.mined_refs(repository_id)) hidden.push_back(oid_from_hex(mined.target_sha));
  const auto to_visit = git::commits_to_visit(repo, tip_oids, hidden);

  // Whole commits per transaction: a commit and its file changes land together or not at all, and batching
  // keeps SQLite's per-transaction sync cost off the hot path.
  git::CommitReader reader(repo);
  const auto shallow = git::shallow_boundary(repo);
  std::optional<store::Transaction> transaction;
  std::size_t in_transaction = 0;
  std::optional<std::string> first_commit_error;
  for (std::size_t i = 0; i < to_visit.size(); ++i) {
    progress_.commits(i, to_visit.size());
    const auto sha = git::to_hex(to_visit[i]);
    if (store_.has_commit(repository_id, sha)) continue;  // stored by an earlier, interrupted run
    auto info = reader.info(to_visit[i]);
    if (!in_date_range(info.committer.time)) continue;

    std::vector<git::FileChange> changes;
    std::optional<std::string> commit_error;
    if (shallow.count(sha)) {
      // Not damage: the clone was made without the parents. Stored, marked, and not counted as failed.
      commit_error = "shallow clone boundary: parent commits not available, file changes unknown";
    } else {
      try {
        changes = reader.changes(to_visit[i]);
      } catch (const Error& e) {
        commit_error = first_line(e.what());
        ++outcome.commits_failed;
        if (!first_commit_error) first_commit_error = sha + ": " + *commit_error;
      }
    }
    if (!transaction) transaction.emplace(store_.db());
    outcome.file_changes_added += store_.insert_commit(repository_id, info, changes, commit_error);
    ++outcome.commits_added;
    if (kill_after_commits_ && ++commits_inserted_ == *kill_after_commits_) std::raise(SIGKILL);
    if (++in_transaction >= options_.commits_per_transaction) {
      transaction->commit();
      transaction.reset();
      in_transaction = 0;
    }
  }
  progress_.commits(to_visit.size(), to_visit.size());

  // The tips go in last, in the same transaction as the final commits: only a run that stored everything
  // reachable from them may claim them. A date-filtered run stored only part, so it leaves the old tips.
  if (!transaction) transaction.emplace(store_.db());
  std::vector<store::MinedRef> refs;
  for (const auto& tip : tips) refs.push_back({tip.name, git::to_hex(tip.target)});
  std::optional<std::string> error;
  if (outcome.commits_failed > 0) {
    error = std::to_string(outcome.commits_failed) + " commit(s) could not be read, first " + *first_commit_error;
  }
  const bool complete = !options_.since && !options_.until;
  store_.record_success(repository_id, run_id_, head ? std::optional<std::string>(head->name) : std::nullopt,
                        head ? std::optional<std::string>(git::to_hex(head->target)) : std::nullopt, refs, complete,
                        error);
  transaction->commit();

  // Then what the stored commits mean for hybridization: pending ones only, so a re-mine costs nothing here.
  CommitAnalyzer analyzer(store_.db(), repo, progress_);
  const auto analysed = analyzer.analyse_pending(repository_id, options_.commits_per_transaction);
  if (head) analyzer.advise_tip(head->target);
  outcome.commits_analysed = analysed.commits;
  outcome.hybridization_changes_added = analysed.hybridization_changes;
  outcome.blobs_parsed = analysed.blobs_parsed;
  outcome.blobs_skipped = analysed.blobs_skipped;
  outcome.blobs_cached = analysed.blobs_cached;
  if (error) {
    outcome.ok = false;
    outcome.error = *error;
  }
}

}  // namespace hm::mining

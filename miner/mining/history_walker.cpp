#include "mining/history_walker.hpp"

#include <atomic>
#include <exception>
#include <memory>
#include <thread>

#include "detectors/hybrid_apis.hpp"
#include "detectors/language.hpp"
#include "git/clone.hpp"
#include "git/history.hpp"
#include "mining/miner.hpp"
#include "store/history_store.hpp"

namespace hm::mining {
namespace {

std::string first_line(std::string text) {
  const auto newline = text.find('\n');
  if (newline != std::string::npos) text.resize(newline);
  return text;
}

}  // namespace

HistoryWalker::HistoryWalker(const std::filesystem::path& db_file, const MineOptions& options,
                             util::Progress& progress, util::CpuBudget& budget, SharedBlobs& shared)
    : options_(options),
      progress_(progress),
      budget_(budget),
      shared_(shared),
      db_(store::Database::open(db_file, store::Database::Mode::ReadOnly)),
      find_repository_(db_.prepare("SELECT id FROM repositories WHERE url = ?")),
      mined_refs_(db_.prepare("SELECT target_sha FROM mined_refs WHERE repository_id = ? ORDER BY ref_name")),
      has_commit_(db_.prepare("SELECT 1 FROM commits WHERE repository_id = ? AND sha = ?")),
      stored_without_changes_(
          db_.prepare("SELECT sha, error FROM commits WHERE repository_id = ? AND error IS NOT NULL ORDER BY id")),
      stored_without_content_(db_.prepare(
          "SELECT c.sha, f.old_blob, f.new_blob FROM commits c JOIN file_changes f ON f.commit_id = c.id "
          "WHERE c.repository_id = ? AND f.content_missing = 1 ORDER BY c.id, f.id")) {}

bool HistoryWalker::in_date_range(std::int64_t committer_time) const {
  return (!options_.since || committer_time >= *options_.since) &&
         (!options_.until || committer_time <= *options_.until);
}

// Rows of this repository are written only by the writer, and only once this walk has been handed to it, so
// what is read here is what a sequential mine would have seen.
std::optional<std::int64_t> HistoryWalker::repository_id(const std::string& url) {
  find_repository_.bind_all(url);
  std::optional<std::int64_t> id;
  if (find_repository_.step()) id = find_repository_.get_int(0);
  find_repository_.reset();
  return id;
}

// The stored commits whose changes were unknown and can be read now: a shallow clone's boundary after the clone was
// deepened (`git fetch --unshallow`), or a commit whose missing objects came back (fetched again, or copied in).
// A commit still damaged costs one failed read per mine.
std::unordered_set<std::string> HistoryWalker::readable_again(const git::Repository& repo,
                                                              std::int64_t repository_id,
                                                              const std::unordered_set<std::string>& shallow,
                                                              bool partial_clone) {
  std::unordered_set<std::string> readable;
  std::optional<git::CommitReader> reader;
  stored_without_changes_.bind_all(repository_id);
  while (stored_without_changes_.step()) {
    auto sha = stored_without_changes_.get_text(0);
    if (stored_without_changes_.get_text(1) == store::HistoryStore::kShallowBoundary) {
      if (!shallow.count(sha)) readable.insert(std::move(sha));
      continue;
    }
    if (!reader) reader.emplace(repo);
    try {
      reader->changes(git::oid_from_hex(sha));
      readable.insert(std::move(sha));
    } catch (const Error&) {
      // still damaged: the stored row stands
    }
  }
  stored_without_changes_.reset();
  // Only a partial clone stores changes without content (file_changes.content_missing): an ordinary repository
  // pays no look-up at each mine.
  if (partial_clone) add_content_back(repo, repository_id, readable);
  return readable;
}

// The stored commits of a partial clone whose missing blobs are all there now (fetched since, by `git fetch
// --refetch` or by reading them with git, which fetches a missing blob on demand): read again, they get their line
// counts, renames and analysis as in a full clone (the analysis takes the blobs stored 'unreadable' for stale,
// CommitAnalyzer::stale_). A commit still lacking a blob keeps its rows.
void HistoryWalker::add_content_back(const git::Repository& repo, std::int64_t repository_id,
                                     std::unordered_set<std::string>& readable) {
  std::vector<std::pair<std::string, bool>> commits;  // in id order: whether a blob is still missing
  const auto present = [&](const std::string& blob) { return repo.holds_object(git::oid_from_hex(blob)); };
  stored_without_content_.bind_all(repository_id);
  while (stored_without_content_.step()) {
    auto sha = stored_without_content_.get_text(0);
    if (commits.empty() || commits.back().first != sha) commits.emplace_back(std::move(sha), false);
    auto& still_missing = commits.back().second;
    for (const int column : {1, 2}) {
      still_missing = still_missing ||
                      (!stored_without_content_.is_null(column) && !present(stored_without_content_.get_text(column)));
    }
  }
  stored_without_content_.reset();
  for (auto& [sha, still_missing] : commits) {
    if (!still_missing) readable.insert(std::move(sha));
  }
}

void HistoryWalker::walk(const corpus::Source& source, WalkQueue& queue) {
  try {
    walk_history(source, queue);
  } catch (const DatabaseFailure& e) {
    queue.push(WalkFailure{first_line(e.what()), true});
  } catch (const std::exception& e) {
    // Git, filesystem and network errors alike: this source's failure, not the run's.
    queue.push(WalkFailure{first_line(e.what()), false});
  }
}

namespace {

// The line counts read every new blob; the analysis would read each Python one again only to find, nine times
// in ten, that the prefilter rules it out. The walk asks the prefilter while it holds the bytes.
void ask_the_prefilter(git::CommitReader& reader) {
  reader.ask_of_new_content([](std::string_view path, std::string_view content) {
    return detectors::language_of(path) == "python" && !detectors::may_contain_sites(content);
  });
}

// The bytes a commit's changes give the analysis to parse: new versions of Python files the walk's prefilter let
// through, and notebooks. An estimate (a blob seen before is counted again; one the reader did not read, such as a
// file over the diff's size limit, is not), used only to size windows.
std::size_t parse_bytes(const WalkedCommit& commit) {
  std::size_t bytes = 0;
  for (const auto& change : commit.changes) {
    if (!change.new_path || !change.new_size || change.new_content_answer.value_or(false)) continue;
    const auto language = detectors::language_of(*change.new_path);
    if (language && detectors::is_python_like(*language)) bytes += static_cast<std::size_t>(*change.new_size);
  }
  return bytes;
}

}  // namespace

std::vector<std::vector<WalkedCommit>> split_by_parse_bytes(std::vector<WalkedCommit> commits, std::size_t limit) {
  std::vector<std::vector<WalkedCommit>> windows;
  std::size_t bytes = 0;
  for (auto& commit : commits) {
    const auto commit_bytes = parse_bytes(commit);
    if (windows.empty() || (!windows.back().empty() && bytes + commit_bytes > limit)) {
      windows.emplace_back();
      bytes = 0;
    }
    bytes += commit_bytes;
    windows.back().push_back(std::move(commit));
  }
  return windows;
}

std::size_t parsed_bytes(const WalkBatch& batch) {
  std::size_t bytes = 0;
  for (const auto& save : batch.blobs) {
    if (save->analysis.status == "parsed") bytes += static_cast<std::size_t>(save->bytes);
  }
  return bytes;
}

namespace {

// A repository handle and a commit reader of a helper thread's own (libgit2 objects stay on their thread); what
// the walk's reader learnt of the paths' diff drivers, and the texts it read last, are shared.
struct HelperReader {
  HelperReader(const std::filesystem::path& git_dir, const git::CommitReader& walk_reader)
      : repo(git::Repository::open(git_dir)), reader(repo, walk_reader.drivers(), walk_reader.recent()) {
    ask_the_prefilter(reader);
  }
  git::Repository repo;
  git::CommitReader reader;
};

git::CommitReader& reader_of(git::CommitReader& reader) { return reader; }
git::CommitReader& reader_of(HelperReader& helper) { return helper.reader; }

}  // namespace

// Reads the file changes of the batch's commits `to_diff` on this thread and on budget slots the analysis leaves
// idle: early in a history the analysis has little to do (most blobs are ruled out by the prefilter) and waits for
// the walk, whose diffs and line counts are then most of the work. Each commit's changes are the same whichever
// reader reads them; a commit that cannot be read is recorded as failed, as in a sequential walk.
void HistoryWalker::read_changes(const std::filesystem::path& git_dir, const std::vector<git_oid>& to_visit,
                                 WalkBatch& batch, const std::vector<std::size_t>& to_diff,
                                 git::CommitReader& reader) {
  std::vector<std::exception_ptr> unexpected(to_diff.size());
  util::share_tasks(
      &budget_, to_diff.size(), reader, [&] { return std::make_unique<HelperReader>(git_dir, reader); },
      [&](std::size_t t, auto& state) {
        auto& commit = batch.commits[to_diff[t]];
        try {
          commit.changes = reader_of(state).changes(to_visit[commit.index]);
        } catch (const Error& e) {
          commit.error = first_line(e.what());
        } catch (...) {
          unexpected[t] = std::current_exception();  // rethrown on the walk's thread: the source fails
        }
      });
  for (const auto& e : unexpected) {
    if (e) std::rethrow_exception(e);
  }
}

bool HistoryWalker::walk_history(const corpus::Source& source, WalkQueue& queue) {
  util::BudgetSlot slot(budget_);
  // Waiting for the writer is not work: the slot goes back to the budget meanwhile.
  const auto send = [&](WalkMessage message) { return slot.idle([&] { return queue.push(std::move(message)); }); };
  const auto transfer = [&](std::size_t received, std::size_t total) {
    progress_.transfer_of(source.name, received, total);
  };
  auto repo = source.is_remote()
                  ? git::clone_or_fetch(source.url, corpus::cache_path(source, options_.cache_dir), transfer)
                  : git::Repository::open(source.url);

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
  const auto id = repository_id(source.url);
  const auto shallow = git::shallow_boundary(repo);
  // A commit read again is an ancestor of the tips mined before, which hide their ancestors from the walk: then
  // the walk takes the whole history, skipping what is stored (and, after a deepened shallow clone, reaches the
  // commits the clone did not have). They come before the commit read again (parents first), so a run killed
  // after replacing it leaves nothing behind.
  const bool partial_clone = repo.is_partial_clone();
  const auto replaced =
      id ? readable_again(repo, *id, shallow, partial_clone) : std::unordered_set<std::string>{};
  std::vector<git_oid> hidden;
  if (id && replaced.empty()) {
    mined_refs_.bind_all(*id);
    while (mined_refs_.step()) hidden.push_back(git::oid_from_hex(mined_refs_.get_text(0)));
    mined_refs_.reset();
  }
  const auto to_visit = git::commits_to_visit(repo, tip_oids, hidden);
  std::string name = source.name;
  if (source.kind == corpus::SourceKind::Local) {
    if (const auto origin = repo.remote_url("origin")) name = corpus::github_full_name(*origin).value_or(name);
  }
  if (!send(WalkStart{repo.git_dir().string(), head, tips, to_visit.size(), name, partial_clone})) {
    return false;
  }

  // The analysis stage: a thread of its own, with its own repository handle and read-only connection (libgit2 and
  // SQLite objects stay on their thread), fed walked windows through a queue of one, so that the walk of a window
  // overlaps the analysis of the one before. Each stage holds a budget slot only while it works: with one slot
  // they take turns, with an idle one they run side by side.
  util::BoundedQueue<WalkBatch> walked(1);
  std::optional<WalkFailure> analysis_failure;
  bool delivered = true;
  std::atomic<bool> walked_all = false;  // the queue closed at the walk's end, not for a failure
  auto tip_advice = std::make_unique<TipAdvice>();
  const auto git_dir = repo.git_dir();
  std::jthread analysis([&] {
    try {
      const auto analysis_repo = git::Repository::open(git_dir);
      auto cache = store::Database::open(db_.path(), store::Database::Mode::ReadOnly);
      CommitAnalyzer analyzer(cache, analysis_repo, progress_, &budget_, &shared_, options_.findings);
      while (auto batch = walked.pop()) {
        {
          util::BudgetSlot working(budget_);
          batch->counts = analyzer.analyse_window(batch->commits, batch->blobs);
        }
        const auto weight = parsed_bytes(*batch);
        if (!queue.push(std::move(*batch), weight)) {
          delivered = false;
          break;
        }
      }
      // While the writer stores the last windows (see tip_advice).
      if (delivered && walked_all && head) {
        if (queue.push(WalkAnalysed{})) {
          util::BudgetSlot working(budget_);
          *tip_advice = analyzer.tip_advice(head->target);
        } else {
          delivered = false;
        }
      }
    } catch (const DatabaseFailure& e) {
      analysis_failure = WalkFailure{first_line(e.what()), true};
    } catch (const std::exception& e) {
      analysis_failure = WalkFailure{first_line(e.what()), false};
    }
    walked.close();  // the walk stops at its next window
  });
  // However the walk ends, the analysis ends: its queue closes (it drains what was walked), then it is joined.
  struct Finish {
    util::BudgetSlot& slot;
    util::BoundedQueue<WalkBatch>& walked;
    std::jthread& analysis;
    ~Finish() {
      slot.release();  // the analysis may need it to finish
      walked.close();
      if (analysis.joinable()) analysis.join();
    }
  } finish{slot, walked, analysis};

  {
    git::CommitReader reader(repo);
    ask_the_prefilter(reader);
    WalkBatch batch;
    std::vector<std::size_t> to_diff;  // the batch's commits whose changes are still to be read
    std::size_t walked_windows = 0;
    // Hands the walked commits to the analysis; false once it stopped (a failure, or the run is cancelled). Their
    // changes are read first, and they go in windows of at most window_bytes() to parse (at least a commit each):
    // the analyses of a window are held until the writer stores them, and on histories of large files
    // (JAX: 63 MB a window of 1,024 commits) a window of any length would hold too many.
    const auto flush = [&] {
      read_changes(git_dir, to_visit, batch, to_diff, reader);
      to_diff.clear();
      auto windows = split_by_parse_bytes(std::move(batch.commits), CommitAnalyzer::window_bytes());
      batch = {};
      for (auto& window : windows) {
        WalkBatch part;
        part.commits = std::move(window);
        if (!slot.idle([&] { return walked.push(std::move(part)); })) return false;
      }
      return true;
    };
    for (std::size_t i = 0; i < to_visit.size(); ++i) {
      const auto sha = git::to_hex(to_visit[i]);
      const bool replaces_stored = replaced.count(sha) > 0;
      if (id && !replaces_stored) {
        // Stored by an earlier run (one interrupted, or before the walk had to take the whole history).
        has_commit_.bind_all(*id, sha);
        const bool stored = has_commit_.step();
        has_commit_.reset();
        if (stored) continue;
      }
      WalkedCommit commit;
      commit.index = i;
      commit.replaces_stored = replaces_stored;
      commit.info = reader.info(to_visit[i]);
      if (!in_date_range(commit.info.committer.time)) continue;
      if (shallow.count(sha)) {
        // Not damage: the clone was made without the parents. Stored, marked, and not counted as failed.
        commit.error = std::string(store::HistoryStore::kShallowBoundary);
      } else {
        to_diff.push_back(batch.commits.size());
      }
      batch.commits.push_back(std::move(commit));
      if (batch.commits.size() >= CommitAnalyzer::window_commits(walked_windows)) {
        ++walked_windows;
        if (!flush()) break;
      }
    }
    if (!batch.commits.empty()) flush();
  }
  slot.idle([&] {  // waiting for the analysis is not work
    walked_all = true;
    walked.close();
    analysis.join();
  });
  if (analysis_failure) {
    if (analysis_failure->database) throw DatabaseFailure(analysis_failure->error);
    throw Error(analysis_failure->error);
  }
  if (!delivered) return false;
  return send(WalkEnd{std::move(tip_advice)});
}

}  // namespace hm::mining

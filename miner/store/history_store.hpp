#pragma once
// Writes what the miner learns into the database: runs (provenance), repositories, commits, file changes and the
// tips a complete mine reached. Holds its prepared statements for the life of a run; the caller owns
// transactions (see mining/miner.cpp for why they cover whole commits).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "corpus/source.hpp"
#include "git/commit_reader.hpp"
#include "store/sqlite.hpp"

namespace hm::store {

struct RunCounts {
  std::int64_t sources = 0;
  std::int64_t sources_failed = 0;
  std::int64_t commits_added = 0;
  std::int64_t file_changes_added = 0;
  std::int64_t commits_analysed = 0;
  std::int64_t hybridization_changes_added = 0;
  std::int64_t blobs_parsed = 0;
  std::int64_t blobs_skipped = 0;
  std::int64_t blobs_cached = 0;
};

struct MinedRef {
  std::string name;
  std::string target_sha;
};

class HistoryStore {
 public:
  explicit HistoryStore(Database& db);

  Database& db() noexcept { return db_; }

  std::int64_t begin_run(const std::string& command, const std::string& arguments_json,
                         const std::string& options_json);
  void finish_run(std::int64_t run_id, const RunCounts& counts);

  // Inserts the repository if new (matched by canonical url) and returns its id.
  std::int64_t upsert_repository(const corpus::Source& source);
  void set_git_dir(std::int64_t repository_id, const std::string& git_dir);
  void set_name(std::int64_t repository_id, const std::string& name);

  // commits.error of the oldest commits of a shallow clone: not damage (their parents were never fetched).
  static constexpr std::string_view kShallowBoundary =
      "shallow clone boundary: parent commits not available, file changes unknown";
  // "N commit(s) could not be read, first SHA: ERROR" over the repository's stored commits (this transaction's
  // included), in the order they were stored; nullopt when none is damaged. Counted from the rows, not from one
  // run, so the summary is the same whether the history was mined in one run or resumed after a kill.
  std::optional<std::string> unreadable_commits(std::int64_t repository_id);
  // For a partial clone: how many of the repository's file changes lack their content (file_changes.content_missing),
  // in one line; nothing when none do.
  std::optional<std::string> content_missing(std::int64_t repository_id);
  void record_failure(std::int64_t repository_id, std::int64_t run_id, const std::string& error);
  // The end of a complete mine: head, refs reached, time; `error` summarises unreadable commits, if any.
  void record_success(std::int64_t repository_id, std::int64_t run_id, const std::optional<std::string>& default_branch,
                      const std::optional<std::string>& head_sha, const std::vector<MinedRef>& refs,
                      bool replace_refs, const std::optional<std::string>& error);

  std::vector<MinedRef> mined_refs(std::int64_t repository_id);
  // Deletes a stored commit with everything stored for it (file changes, their analysis, its issue references).
  void delete_commit(std::int64_t repository_id, const std::string& sha);
  bool has_commit(std::int64_t repository_id, const std::string& sha);

  // Inserts a commit and its file changes; returns the number of file changes stored, and when asked the commit's
  // id and the ids of its file changes (in the order of `changes`).
  std::int64_t insert_commit(std::int64_t repository_id, const git::CommitInfo& commit,
                             const std::vector<git::FileChange>& changes, const std::optional<std::string>& error,
                             std::int64_t* commit_id = nullptr, std::vector<std::int64_t>* change_ids = nullptr);

 private:
  Database& db_;
  Statement has_commit_;
  Statement insert_commit_;
  Statement insert_change_;
};

}  // namespace hm::store

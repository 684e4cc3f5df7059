#include "store/history_store.hpp"

#include "detectors/language.hpp"
#include "store/migrations.hpp"
#include "util/time.hpp"

#ifndef HM_VERSION
#define HM_VERSION "unknown"
#endif

namespace hm::store {
namespace {

std::string join(const std::vector<std::string>& parts) {
  std::string result;
  for (const auto& part : parts) {
    if (!result.empty()) result += ' ';
    result += part;
  }
  return result;
}

}  // namespace

HistoryStore::HistoryStore(Database& db)
    : db_(db),
      has_commit_(db.prepare("SELECT 1 FROM commits WHERE repository_id = ? AND sha = ?")),
      insert_commit_(db.prepare(
          "INSERT INTO commits (repository_id, sha, parents, parent_count, is_merge, author_name, author_email, "
          "author_time, author_tz, committer_name, committer_email, committer_time, committer_tz, message, error) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")),
      insert_change_(db.prepare(
          "INSERT INTO file_changes (commit_id, status, old_path, new_path, old_blob, new_blob, old_mode, new_mode, "
          "similarity, is_binary, lines_added, lines_removed, language, content_missing) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {}

std::int64_t HistoryStore::begin_run(const std::string& command, const std::string& arguments_json,
                                     const std::string& options_json) {
  db_.prepare(
         "INSERT INTO runs (command, arguments, options, tool_version, schema_version, started_at) "
         "VALUES (?, ?, ?, ?, ?, ?)")
      .bind_all(command, arguments_json, options_json, HM_VERSION, latest_schema_version(), util::now_iso_utc())
      .run();
  return db_.last_insert_id();
}

void HistoryStore::finish_run(std::int64_t run_id, const RunCounts& counts) {
  const char* status = counts.sources_failed == 0                ? "ok"
                       : counts.sources_failed < counts.sources ? "partial"
                                                                : "failed";
  db_.prepare(
         "UPDATE runs SET finished_at = ?, status = ?, sources = ?, sources_failed = ?, commits_added = ?, "
         "file_changes_added = ?, commits_analysed = ?, hybridization_changes_added = ?, blobs_parsed = ?, "
         "blobs_skipped = ?, blobs_cached = ? WHERE id = ?")
      .bind_all(util::now_iso_utc(), status, counts.sources, counts.sources_failed, counts.commits_added,
                counts.file_changes_added, counts.commits_analysed, counts.hybridization_changes_added,
                counts.blobs_parsed, counts.blobs_skipped, counts.blobs_cached, run_id)
      .run();
}

std::int64_t HistoryStore::upsert_repository(const corpus::Source& source) {
  db_.prepare("INSERT INTO repositories (url, name, source_kind) VALUES (?, ?, ?) ON CONFLICT (url) DO NOTHING")
      .bind_all(source.url, source.name, corpus::to_string(source.kind))
      .run();
  auto select = db_.prepare("SELECT id FROM repositories WHERE url = ?");
  select.bind_all(source.url);
  select.step();
  return select.get_int(0);
}

void HistoryStore::set_name(std::int64_t repository_id, const std::string& name) {
  db_.prepare("UPDATE repositories SET name = ? WHERE id = ?").bind_all(name, repository_id).run();
}

std::optional<std::string> HistoryStore::unreadable_commits(std::int64_t repository_id) {
  auto damaged = db_.prepare(
      "SELECT count(*) OVER (), sha, error FROM commits WHERE repository_id = ? AND error IS NOT NULL "
      "AND error <> ? ORDER BY id LIMIT 1");
  damaged.bind_all(repository_id, std::string(kShallowBoundary));
  if (!damaged.step()) return std::nullopt;
  return std::to_string(damaged.get_int(0)) + " commit(s) could not be read, first " + damaged.get_text(1) + ": " +
         damaged.get_text(2);
}

std::optional<std::string> HistoryStore::content_missing(std::int64_t repository_id) {
  auto missing = db_.prepare(
      "SELECT count(*), coalesce(sum(f.language IN ('python', 'jupyter')), 0) FROM commits c "
      "JOIN file_changes f ON f.commit_id = c.id WHERE c.repository_id = ? AND f.content_missing = 1");
  missing.bind_all(repository_id);
  missing.step();
  const auto changes = missing.get_int(0);
  const auto python = missing.get_int(1);
  if (changes == 0) return std::nullopt;
  auto note = std::to_string(changes) + " file change(s) without content, left out by the partial clone's filter";
  if (python == 0) return note;
  return note + "; " + std::to_string(python) +
         " of Python files or notebooks, whose hybridization sites are unknown (clone with a larger blob limit)";
}

void HistoryStore::set_git_dir(std::int64_t repository_id, const std::string& git_dir) {
  db_.prepare("UPDATE repositories SET git_dir = ? WHERE id = ?").bind_all(git_dir, repository_id).run();
}

void HistoryStore::record_failure(std::int64_t repository_id, std::int64_t run_id, const std::string& error) {
  db_.prepare("UPDATE repositories SET error = ?, last_run_id = ? WHERE id = ?")
      .bind_all(error, run_id, repository_id)
      .run();
}

void HistoryStore::record_success(std::int64_t repository_id, std::int64_t run_id,
                                  const std::optional<std::string>& default_branch,
                                  const std::optional<std::string>& head_sha, const std::vector<MinedRef>& refs,
                                  bool replace_refs, const std::optional<std::string>& error) {
  if (replace_refs) {
    db_.prepare("DELETE FROM mined_refs WHERE repository_id = ?").bind_all(repository_id).run();
    auto insert = db_.prepare("INSERT INTO mined_refs (repository_id, ref_name, target_sha) VALUES (?, ?, ?)");
    for (const auto& ref : refs) insert.bind_all(repository_id, ref.name, ref.target_sha).run();
  }
  db_.prepare(
         "UPDATE repositories SET default_branch = ?, head_sha = ?, mined_at = ?, last_run_id = ?, error = ? "
         "WHERE id = ?")
      .bind_all(default_branch, head_sha, util::now_iso_utc(), run_id, error, repository_id)
      .run();
}

std::vector<MinedRef> HistoryStore::mined_refs(std::int64_t repository_id) {
  auto select = db_.prepare("SELECT ref_name, target_sha FROM mined_refs WHERE repository_id = ? ORDER BY ref_name");
  select.bind_all(repository_id);
  std::vector<MinedRef> refs;
  while (select.step()) refs.push_back({select.get_text(0), select.get_text(1)});
  return refs;
}

void HistoryStore::delete_commit(std::int64_t repository_id, const std::string& sha) {
  // Every row about a commit refers to it with ON DELETE CASCADE.
  db_.prepare("DELETE FROM commits WHERE repository_id = ? AND sha = ?").bind_all(repository_id, sha).run();
}

bool HistoryStore::has_commit(std::int64_t repository_id, const std::string& sha) {
  has_commit_.bind_all(repository_id, sha);
  const bool found = has_commit_.step();
  has_commit_.reset();
  return found;
}

std::int64_t HistoryStore::insert_commit(std::int64_t repository_id, const git::CommitInfo& commit,
                                         const std::vector<git::FileChange>& changes,
                                         const std::optional<std::string>& error, std::int64_t* commit_id_out,
                                         std::vector<std::int64_t>* change_ids) {
  const auto parent_count = static_cast<std::int64_t>(commit.parents.size());
  insert_commit_
      .bind_all(repository_id, commit.sha, join(commit.parents), parent_count, parent_count > 1 ? 1 : 0,
                commit.author.name, commit.author.email, commit.author.time, commit.author.tz_offset_minutes,
                commit.committer.name, commit.committer.email, commit.committer.time,
                commit.committer.tz_offset_minutes, commit.message, error)
      .run();
  const auto commit_id = db_.last_insert_id();
  if (commit_id_out != nullptr) *commit_id_out = commit_id;
  if (change_ids != nullptr) change_ids->clear();
  for (const auto& change : changes) {
    const auto& path = change.new_path ? *change.new_path : change.old_path.value_or("");
    const auto language = detectors::language_of(path);
    insert_change_
        .bind_all(commit_id, git::to_string(change.status), change.old_path, change.new_path, change.old_blob,
                  change.new_blob, change.old_mode, change.new_mode, change.similarity, change.is_binary ? 1 : 0,
                  change.lines_added, change.lines_removed,
                  language ? std::optional<std::string>(std::string(*language)) : std::nullopt,
                  change.content_missing ? 1 : 0)
      .run();
    if (change_ids != nullptr) change_ids->push_back(db_.last_insert_id());
  }
  return static_cast<std::int64_t>(changes.size());
}

}  // namespace hm::store

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "corpus/source.hpp"
#include "git/commit_reader.hpp"
#include "store/history_store.hpp"
#include "store/migrations.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

using hm::corpus::Source;
using hm::corpus::SourceKind;
using hm::git::ChangeStatus;
using hm::git::CommitInfo;
using hm::git::FileChange;
using hm::store::Database;
using hm::store::HistoryStore;
using hm::store::MinedRef;
using hm::store::RunCounts;

namespace {

const std::string kSha1(40, '1');
const std::string kSha2(40, '2');
const std::string kSha3(40, '3');

std::int64_t scalar_int(Database& db, const std::string& sql) {
  auto statement = db.prepare(sql);
  REQUIRE(statement.step());
  return statement.get_int(0);
}

std::optional<std::string> scalar_text(Database& db, const std::string& sql) {
  auto statement = db.prepare(sql);
  REQUIRE(statement.step());
  return statement.get_optional_text(0);
}

Source local_source(const std::string& url, const std::string& name) {
  return {SourceKind::Local, url, url, name};
}

CommitInfo make_commit(const std::string& sha, std::vector<std::string> parents) {
  CommitInfo info;
  info.sha = sha;
  info.parents = std::move(parents);
  info.author = {"Ada", "ada@example.org", 1609459200, 60};
  info.committer = {"Grace", "grace@example.org", 1609462800, -300};
  info.message = "Add model\n\nLonger body.\n";
  return info;
}

FileChange added(const std::string& path, std::int64_t lines) {
  FileChange change;
  change.status = ChangeStatus::Added;
  change.new_path = path;
  change.new_blob = std::string(40, 'a');
  change.new_mode = 0100644;
  change.lines_added = lines;
  change.lines_removed = 0;
  return change;
}

struct Fixture {
  hm::test::TempDir dir;
  Database db = hm::store::open_database(dir / "hm.sqlite");
  HistoryStore store{db};
};

}  // namespace

TEST_CASE("HistoryStore: upsert_repository is idempotent by url", "[history_store]") {
  Fixture f;
  const auto first = f.store.upsert_repository(local_source("/repos/a", "a"));
  const auto again = f.store.upsert_repository(local_source("/repos/a", "a"));
  const auto other = f.store.upsert_repository({SourceKind::GitHub, "o/b", "https://github.com/o/b", "o/b"});
  CHECK(first == again);
  CHECK(other != first);
  CHECK(scalar_int(f.db, "SELECT count(*) FROM repositories") == 2);
  CHECK(scalar_text(f.db, "SELECT source_kind FROM repositories WHERE id = " + std::to_string(other)) == "github");
  CHECK(scalar_text(f.db, "SELECT name FROM repositories WHERE id = " + std::to_string(first)) == "a");
  CHECK(scalar_text(f.db, "SELECT url FROM repositories WHERE id = " + std::to_string(first)) == "/repos/a");
}

TEST_CASE("HistoryStore: set_git_dir and record_failure", "[history_store]") {
  Fixture f;
  const auto run = f.store.begin_run("mine", "[]", "{}");
  const auto repo = f.store.upsert_repository(local_source("/repos/a", "a"));
  f.store.set_git_dir(repo, "/repos/a/.git/");
  f.store.record_failure(repo, run, "not a git repository");
  const auto id = std::to_string(repo);
  CHECK(scalar_text(f.db, "SELECT git_dir FROM repositories WHERE id = " + id) == "/repos/a/.git/");
  CHECK(scalar_text(f.db, "SELECT error FROM repositories WHERE id = " + id) == "not a git repository");
  CHECK(scalar_int(f.db, "SELECT last_run_id FROM repositories WHERE id = " + id) == run);
  CHECK_FALSE(scalar_text(f.db, "SELECT mined_at FROM repositories WHERE id = " + id).has_value());
}

TEST_CASE("HistoryStore: insert_commit stores metadata, parents and merges", "[history_store]") {
  Fixture f;
  const auto repo = f.store.upsert_repository(local_source("/repos/a", "a"));
  CHECK(f.store.insert_commit(repo, make_commit(kSha1, {}), {}, std::nullopt) == 0);
  CHECK(f.store.insert_commit(repo, make_commit(kSha2, {kSha1}), {}, std::nullopt) == 0);
  CHECK(f.store.insert_commit(repo, make_commit(kSha3, {kSha2, kSha1}), {}, std::string("tree missing")) == 0);

  auto select = f.db.prepare(
      "SELECT sha, parents, parent_count, is_merge, author_name, author_email, author_time, author_tz, "
      "committer_name, committer_email, committer_time, committer_tz, message, error FROM commits ORDER BY id");
  REQUIRE(select.step());
  CHECK(select.get_text(0) == kSha1);
  CHECK(select.get_text(1) == "");
  CHECK(select.get_int(2) == 0);
  CHECK(select.get_int(3) == 0);
  CHECK(select.get_text(4) == "Ada");
  CHECK(select.get_text(5) == "ada@example.org");
  CHECK(select.get_int(6) == 1609459200);
  CHECK(select.get_int(7) == 60);
  CHECK(select.get_text(8) == "Grace");
  CHECK(select.get_text(9) == "grace@example.org");
  CHECK(select.get_int(10) == 1609462800);
  CHECK(select.get_int(11) == -300);
  CHECK(select.get_text(12) == "Add model\n\nLonger body.\n");
  CHECK(select.is_null(13));
  REQUIRE(select.step());
  CHECK(select.get_text(1) == kSha1);
  CHECK(select.get_int(2) == 1);
  CHECK(select.get_int(3) == 0);
  REQUIRE(select.step());
  CHECK(select.get_text(1) == kSha2 + " " + kSha1);
  CHECK(select.get_int(2) == 2);
  CHECK(select.get_int(3) == 1);
  CHECK(select.get_text(13) == "tree missing");
  CHECK_FALSE(select.step());
}

TEST_CASE("HistoryStore: file changes get their language from the path", "[history_store]") {
  Fixture f;
  const auto repo = f.store.upsert_repository(local_source("/repos/a", "a"));
  FileChange deleted;
  deleted.status = ChangeStatus::Deleted;
  deleted.old_path = "old/model.py";
  deleted.old_blob = std::string(40, 'b');
  deleted.old_mode = 0100644;
  deleted.lines_added = 0;
  deleted.lines_removed = 7;
  FileChange renamed;
  renamed.status = ChangeStatus::Renamed;
  renamed.old_path = "a.py";
  renamed.new_path = "b.py";
  renamed.similarity = 93;
  renamed.lines_added = 1;
  renamed.lines_removed = 1;
  FileChange binary = added("weights.bin", 0);
  binary.is_binary = true;
  binary.lines_added.reset();
  binary.lines_removed.reset();
  const std::vector<FileChange> changes{added("src/train.py", 10), added("notebooks/Explore.ipynb", 3), deleted,
                                        binary, renamed, added("Makefile", 2)};
  CHECK(f.store.insert_commit(repo, make_commit(kSha1, {}), changes, std::nullopt) == 6);

  auto select = f.db.prepare(
      "SELECT status, old_path, new_path, language, is_binary, lines_added, lines_removed, similarity, new_mode, "
      "old_blob, new_blob FROM file_changes ORDER BY id");
  REQUIRE(select.step());
  CHECK(select.get_text(0) == "added");
  CHECK(select.is_null(1));
  CHECK(select.get_text(2) == "src/train.py");
  CHECK(select.get_text(3) == "python");
  CHECK(select.get_int(4) == 0);
  CHECK(select.get_int(5) == 10);
  CHECK(select.get_int(6) == 0);
  CHECK(select.is_null(7));
  CHECK(select.get_int(8) == 0100644);
  CHECK(select.is_null(9));
  CHECK(select.get_text(10) == std::string(40, 'a'));
  REQUIRE(select.step());
  CHECK(select.get_text(3) == "jupyter");
  REQUIRE(select.step());
  CHECK(select.get_text(0) == "deleted");
  CHECK(select.get_text(1) == "old/model.py");
  CHECK(select.is_null(2));
  CHECK(select.get_text(3) == "python");  // from the old path when there is no new one
  CHECK(select.get_int(6) == 7);
  REQUIRE(select.step());
  CHECK(select.is_null(3));  // .bin: unknown
  CHECK(select.get_int(4) == 1);
  CHECK(select.is_null(5));
  CHECK(select.is_null(6));
  REQUIRE(select.step());
  CHECK(select.get_text(0) == "renamed");
  CHECK(select.get_int(7) == 93);
  REQUIRE(select.step());
  CHECK(select.get_text(2) == "Makefile");
  CHECK(select.is_null(3));
  CHECK_FALSE(select.step());
}

TEST_CASE("HistoryStore: has_commit is per repository", "[history_store]") {
  Fixture f;
  const auto a = f.store.upsert_repository(local_source("/repos/a", "a"));
  const auto b = f.store.upsert_repository(local_source("/repos/b", "b"));
  CHECK_FALSE(f.store.has_commit(a, kSha1));
  f.store.insert_commit(a, make_commit(kSha1, {}), {}, std::nullopt);
  CHECK(f.store.has_commit(a, kSha1));
  CHECK(f.store.has_commit(a, kSha1));  // the statement is reusable
  CHECK_FALSE(f.store.has_commit(b, kSha1));
  CHECK_FALSE(f.store.has_commit(a, kSha2));
  // The same commit may be stored once per repository (forks share history).
  f.store.insert_commit(b, make_commit(kSha1, {}), {}, std::nullopt);
  CHECK(f.store.has_commit(b, kSha1));
}

TEST_CASE("HistoryStore: a duplicate commit is rejected", "[history_store]") {
  Fixture f;
  const auto repo = f.store.upsert_repository(local_source("/repos/a", "a"));
  f.store.insert_commit(repo, make_commit(kSha1, {}), {}, std::nullopt);
  CHECK_THROWS_AS(f.store.insert_commit(repo, make_commit(kSha1, {}), {}, std::nullopt), hm::Error);
  CHECK(scalar_int(f.db, "SELECT count(*) FROM commits") == 1);
}

TEST_CASE("HistoryStore: insert_commit still works after a failed insert", "[history_store]") {
  // Regression: a cached statement whose step() threw was never reset, so every later insert failed with
  // "bad parameter or other API misuse", and one failed source failed all the following ones.
  Fixture f;
  const auto repo = f.store.upsert_repository(local_source("/repos/a", "a"));
  f.store.insert_commit(repo, make_commit(kSha1, {}), {}, std::nullopt);
  CHECK_THROWS_AS(f.store.insert_commit(repo, make_commit(kSha1, {}), {}, std::nullopt), hm::Error);
  CHECK_NOTHROW(f.store.insert_commit(repo, make_commit(kSha2, {kSha1}), {}, std::nullopt));
  CHECK(f.store.has_commit(repo, kSha2));
}

TEST_CASE("HistoryStore: record_success replaces mined refs only when asked", "[history_store]") {
  Fixture f;
  const auto run = f.store.begin_run("mine", "[]", "{}");
  const auto repo = f.store.upsert_repository(local_source("/repos/a", "a"));
  f.store.record_failure(repo, run, "earlier failure");
  f.store.record_success(repo, run, std::string("refs/heads/main"), kSha2,
                         {{"refs/heads/main", kSha2}, {"refs/heads/dev", kSha1}}, true, std::nullopt);
  auto refs = f.store.mined_refs(repo);
  REQUIRE(refs.size() == 2);
  CHECK(refs[0].name == "refs/heads/dev");  // sorted by name
  CHECK(refs[0].target_sha == kSha1);
  CHECK(refs[1].name == "refs/heads/main");
  CHECK(refs[1].target_sha == kSha2);
  const auto id = std::to_string(repo);
  CHECK(scalar_text(f.db, "SELECT default_branch FROM repositories WHERE id = " + id) == "refs/heads/main");
  CHECK(scalar_text(f.db, "SELECT head_sha FROM repositories WHERE id = " + id) == kSha2);
  CHECK_FALSE(scalar_text(f.db, "SELECT error FROM repositories WHERE id = " + id).has_value());
  CHECK(scalar_text(f.db, "SELECT mined_at FROM repositories WHERE id = " + id).has_value());

  // A partial (date-filtered) mine keeps the refs of the last complete one.
  f.store.record_success(repo, run, std::string("refs/heads/main"), kSha3, {{"refs/heads/main", kSha3}}, false,
                         std::string("1 commit(s) could not be read"));
  refs = f.store.mined_refs(repo);
  REQUIRE(refs.size() == 2);
  CHECK(refs[1].target_sha == kSha2);
  CHECK(scalar_text(f.db, "SELECT head_sha FROM repositories WHERE id = " + id) == kSha3);
  CHECK(scalar_text(f.db, "SELECT error FROM repositories WHERE id = " + id) == "1 commit(s) could not be read");

  // A complete mine replaces them all.
  f.store.record_success(repo, run, std::nullopt, std::nullopt, {{"refs/tags/v1", kSha3}}, true, std::nullopt);
  refs = f.store.mined_refs(repo);
  REQUIRE(refs.size() == 1);
  CHECK(refs[0].name == "refs/tags/v1");
  CHECK(refs[0].target_sha == kSha3);
  CHECK_FALSE(scalar_text(f.db, "SELECT default_branch FROM repositories WHERE id = " + id).has_value());
  CHECK_FALSE(scalar_text(f.db, "SELECT head_sha FROM repositories WHERE id = " + id).has_value());
}

TEST_CASE("HistoryStore: mined refs are per repository", "[history_store]") {
  Fixture f;
  const auto run = f.store.begin_run("mine", "[]", "{}");
  const auto a = f.store.upsert_repository(local_source("/repos/a", "a"));
  const auto b = f.store.upsert_repository(local_source("/repos/b", "b"));
  f.store.record_success(a, run, std::nullopt, std::nullopt, {{"refs/heads/main", kSha1}}, true, std::nullopt);
  f.store.record_success(b, run, std::nullopt, std::nullopt, {}, true, std::nullopt);
  CHECK(f.store.mined_refs(a).size() == 1);
  CHECK(f.store.mined_refs(b).empty());
}

TEST_CASE("HistoryStore: runs record provenance and their status", "[history_store]") {
  Fixture f;
  const auto ok = f.store.begin_run("mine", R"(["mine","a"])", R"({"all_refs":false})");
  const auto partial = f.store.begin_run("mine", "[]", "{}");
  const auto failed = f.store.begin_run("mine", "[]", "{}");
  const auto interrupted = f.store.begin_run("mine", "[]", "{}");
  CHECK(ok != partial);
  f.store.finish_run(ok, RunCounts{2, 0, 5, 9});
  f.store.finish_run(partial, RunCounts{3, 1, 0, 0});
  f.store.finish_run(failed, RunCounts{2, 2, 0, 0});

  auto select = f.db.prepare(
      "SELECT status, command, arguments, options, schema_version, sources, sources_failed, commits_added, "
      "file_changes_added, finished_at IS NOT NULL, started_at FROM runs ORDER BY id");
  REQUIRE(select.step());
  CHECK(select.get_text(0) == "ok");
  CHECK(select.get_text(1) == "mine");
  CHECK(select.get_text(2) == R"(["mine","a"])");
  CHECK(select.get_text(3) == R"({"all_refs":false})");
  CHECK(select.get_int(4) == hm::store::latest_schema_version());
  CHECK(select.get_int(5) == 2);
  CHECK(select.get_int(6) == 0);
  CHECK(select.get_int(7) == 5);
  CHECK(select.get_int(8) == 9);
  CHECK(select.get_int(9) == 1);
  CHECK(select.get_text(10).size() == 20);
  REQUIRE(select.step());
  CHECK(select.get_text(0) == "partial");
  REQUIRE(select.step());
  CHECK(select.get_text(0) == "failed");
  REQUIRE(select.step());
  CHECK(select.get_text(0) == "running");
  CHECK(select.get_int(9) == 0);
  CHECK_FALSE(select.step());
  (void)interrupted;
}

TEST_CASE("HistoryStore: a run with no sources is ok", "[history_store]") {
  Fixture f;
  const auto run = f.store.begin_run("mine", "[]", "{}");
  f.store.finish_run(run, RunCounts{});
  CHECK(scalar_text(f.db, "SELECT status FROM runs WHERE id = " + std::to_string(run)) == "ok");
}

TEST_CASE("HistoryStore: deleting a repository cascades to its history", "[history_store]") {
  Fixture f;
  const auto run = f.store.begin_run("mine", "[]", "{}");
  const auto a = f.store.upsert_repository(local_source("/repos/a", "a"));
  const auto b = f.store.upsert_repository(local_source("/repos/b", "b"));
  f.store.insert_commit(a, make_commit(kSha1, {}), {added("a.py", 1), added("b.py", 2)}, std::nullopt);
  f.store.insert_commit(a, make_commit(kSha2, {kSha1}), {added("c.py", 1)}, std::nullopt);
  f.store.insert_commit(b, make_commit(kSha3, {}), {added("d.py", 1)}, std::nullopt);
  f.store.record_success(a, run, std::nullopt, std::nullopt, {{"refs/heads/main", kSha2}}, true, std::nullopt);
  REQUIRE(scalar_int(f.db, "SELECT count(*) FROM file_changes") == 4);

  f.db.exec("DELETE FROM repositories WHERE id = " + std::to_string(a));
  CHECK(scalar_int(f.db, "SELECT count(*) FROM commits") == 1);
  CHECK(scalar_int(f.db, "SELECT count(*) FROM file_changes") == 1);
  CHECK(scalar_int(f.db, "SELECT count(*) FROM mined_refs") == 0);
  CHECK(f.store.has_commit(b, kSha3));
  CHECK_FALSE(f.store.has_commit(a, kSha1));
}

TEST_CASE("HistoryStore: the schema rejects file changes of unknown commits", "[history_store]") {
  Fixture f;
  CHECK_THROWS_AS(f.db.exec("INSERT INTO file_changes (commit_id, status, is_binary) VALUES (999, 'added', 0)"),
                  hm::Error);
}

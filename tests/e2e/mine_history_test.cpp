// End to end: real git repositories built in temp folders, mined by the real binary, asserted row by row.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "support/db_rows.hpp"
#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using hm::test::GitRepo;
using hm::test::hybridminer;
using hm::test::rows;
using hm::test::single;
using hm::test::TempDir;

namespace {

std::string numbered_lines(int count, const std::string& prefix) {
  std::string text;
  for (int i = 1; i <= count; ++i) text += prefix + std::to_string(i) + " = " + std::to_string(i * i) + "\n";
  return text;
}

// main: c1 add a.py + README; c2 modify a.py, add logo.bin; c3 rename a.py -> b.py with one line edited;
// feature: c4 add feat.py; main: c5 edit README; m merge feature (--no-ff); c6 delete logo.bin.
struct ScriptedHistory {
  explicit ScriptedHistory(const std::filesystem::path& where) : repo(where / "project") {
    repo.write("a.py", numbered_lines(10, "x"));
    repo.write("README.md", "# demo\n");
    c1 = repo.commit("Initial commit", 0);
    repo.write("a.py", numbered_lines(10, "x") + "y = 1\nz = 2\n");
    repo.write("logo.bin", std::string("\x89PNG\0\0\0\x01", 8));
    c2 = repo.commit("Add logo", 1);
    repo.git({"mv", "a.py", "b.py"});
    repo.write("b.py", "x0 = 0\n" + numbered_lines(10, "x") + "y = 1\nz = 2\n");
    c3 = repo.commit("Rename a to b", 2, "Grace");
    repo.git({"checkout", "-q", "-b", "feature"});
    repo.write("feat.py", "import tensorflow as tf\n\n@tf.function\ndef f(x):\n    return x\n");
    c4 = repo.commit("Add feature", 3);
    repo.git({"checkout", "-q", "main"});
    repo.write("README.md", "# demo\n\nMore.\n");
    c5 = repo.commit("Docs", 4);
    merge = repo.merge("feature", "Merge feature", 5);
    repo.remove("logo.bin");
    c6 = repo.commit("Fix bug: drop logo", 6);
  }
  GitRepo repo;
  std::string c1, c2, c3, c4, c5, merge, c6;
};

const char* kChangesSql =
    "SELECT c.sha, fc.status, coalesce(fc.old_path, 'NULL'), coalesce(fc.new_path, 'NULL'), fc.is_binary, "
    "coalesce(fc.lines_added, 'NULL'), coalesce(fc.lines_removed, 'NULL'), coalesce(fc.language, 'NULL') "
    "FROM file_changes fc JOIN commits c ON c.id = fc.commit_id "
    "ORDER BY c.committer_time, c.sha, coalesce(fc.new_path, fc.old_path)";

}  // namespace

TEST_CASE("mining a scripted history stores every commit and file change exactly", "[e2e][mine]") {
  TempDir tmp;
  ScriptedHistory history(tmp.path());
  const auto db = tmp / "out.db";

  const auto result = hybridminer({"mine", "--db", db.string(), history.repo.path().string()});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.find("mined 1 source (0 failed): 7 new commits") != std::string::npos);

  CHECK(single(db, "SELECT count(*) FROM commits") == std::to_string(history.repo.count_commits()));
  CHECK(single(db, "SELECT count(*) FROM commits") == "7");
  CHECK(rows(db, "SELECT sha FROM commits WHERE is_merge = 1") == std::vector<std::string>{history.merge});
  CHECK(single(db, "SELECT parents FROM commits WHERE is_merge = 1") == history.c5 + " " + history.c4);
  CHECK(single(db, "SELECT parents || '|' || parent_count FROM commits WHERE sha = '" + history.c1 + "'") == "|0");
  CHECK(single(db, "SELECT author_name, author_email, author_time, author_tz, message FROM commits WHERE sha = '" +
                       history.c3 + "'") == "Grace|Grace@example.org|1609632000|0|Rename a to b\n");

  const std::vector<std::string> expected{
      history.c1 + "|added|NULL|README.md|0|1|0|markdown",
      history.c1 + "|added|NULL|a.py|0|10|0|python",
      history.c2 + "|modified|a.py|a.py|0|2|0|python",
      history.c2 + "|added|NULL|logo.bin|1|NULL|NULL|NULL",
      history.c3 + "|renamed|a.py|b.py|0|1|0|python",
      history.c4 + "|added|NULL|feat.py|0|5|0|python",
      history.c5 + "|modified|README.md|README.md|0|2|0|markdown",
      // The merge, against its first parent: what the feature branch brought into main.
      history.merge + "|added|NULL|feat.py|0|5|0|python",
      history.c6 + "|deleted|logo.bin|NULL|1|NULL|NULL|NULL",
  };
  CHECK(rows(db, kChangesSql) == expected);
  CHECK(single(db, "SELECT similarity FROM file_changes WHERE status = 'renamed'") == "96");
  CHECK(single(db, "SELECT old_blob = (SELECT new_blob FROM file_changes WHERE new_path = 'a.py' AND "
                   "status = 'modified') FROM file_changes WHERE status = 'renamed'") == "1");

  CHECK(single(db, "SELECT name, source_kind, default_branch, head_sha, error IS NULL, mined_at IS NOT NULL, "
                   "last_run_id FROM repositories") ==
        "project|local|refs/heads/main|" + history.c6 + "|1|1|1");
  CHECK(rows(db, "SELECT ref_name, target_sha FROM mined_refs") ==
        std::vector<std::string>{"refs/heads/main|" + history.c6});
  CHECK(single(db, "SELECT command, status, sources, sources_failed, commits_added, file_changes_added, "
                   "finished_at IS NOT NULL FROM runs") == "mine|ok|1|0|7|9|1");
}

TEST_CASE("mining again stores nothing new, and later only the new commits", "[e2e][mine][incremental]") {
  TempDir tmp;
  ScriptedHistory history(tmp.path());
  const auto db = (tmp / "out.db").string();
  REQUIRE(hybridminer({"mine", "--db", db, history.repo.path().string()}).exit_code == 0);
  const auto before = rows(db, kChangesSql);

  const auto again = hybridminer({"mine", "--db", db, history.repo.path().string()});
  REQUIRE(again.exit_code == 0);
  CHECK(again.err.find("0 new commits, 0 file changes") != std::string::npos);
  CHECK(rows(db, kChangesSql) == before);
  CHECK(single(db, "SELECT count(*) FROM runs") == "2");

  history.repo.write("b.py", "changed = True\n");
  const auto c7 = history.repo.commit("Rewrite b", 7);
  const auto third = hybridminer({"mine", "--db", db, history.repo.path().string()});
  REQUIRE(third.exit_code == 0);
  CHECK(third.err.find("1 new commit, 1 file change") != std::string::npos);
  CHECK(single(db, "SELECT count(*) FROM commits") == "8");
  CHECK(single(db, "SELECT head_sha FROM repositories") == c7);
  CHECK(single(db, "SELECT status, lines_added, lines_removed FROM file_changes fc JOIN commits c ON "
                   "c.id = fc.commit_id WHERE c.sha = '" + c7 + "'") == "modified|1|13");
}

TEST_CASE("a run killed at any commit resumes to exactly the rows of an uninterrupted run", "[e2e][mine][crash]") {
  TempDir tmp;
  ScriptedHistory history(tmp.path());
  const auto reference = (tmp / "reference.db").string();
  const auto repo = history.repo.path().string();
  REQUIRE(hybridminer({"mine", "--db", reference, "--commits-per-transaction", "2", repo}).exit_code == 0);
  const char* stable =
      "SELECT r.url, r.default_branch, r.head_sha, r.error, c.sha, c.parents, c.message, c.error, "
      "(SELECT group_concat(status || ':' || coalesce(old_path, '') || ':' || coalesce(new_path, '') || ':' || "
      "coalesce(lines_added, '') || ':' || coalesce(lines_removed, ''), ',') FROM "
      "(SELECT * FROM file_changes WHERE commit_id = c.id ORDER BY coalesce(new_path, old_path))) "
      "FROM commits c JOIN repositories r ON r.id = c.repository_id ORDER BY c.sha";
  const auto expected = rows(reference, stable);
  REQUIRE(expected.size() == 7);

  for (int kill_after = 1; kill_after <= 7; ++kill_after) {
    DYNAMIC_SECTION("killed after inserting commit " << kill_after) {
      const auto db = (tmp / ("killed-" + std::to_string(kill_after) + ".db")).string();
      const auto killed = hybridminer({"mine", "--db", db, "--commits-per-transaction", "2", repo},
                                      {{"HYBRIDMINER_FAULT_KILL_AFTER_COMMITS", std::to_string(kill_after)}});
      REQUIRE(killed.signal == 9);
      // Only whole transactions survive: the commits of the last open one are gone with it.
      CHECK(single(db, "SELECT count(*) FROM commits") == std::to_string((kill_after - 1) / 2 * 2));
      CHECK(single(db, "SELECT count(*) FROM file_changes WHERE commit_id NOT IN (SELECT id FROM commits)") == "0");
      CHECK(single(db, "SELECT head_sha IS NULL FROM repositories") == "1");
      CHECK(single(db, "SELECT finished_at IS NULL FROM runs") == "1");

      const auto resumed = hybridminer({"mine", "--db", db, "--commits-per-transaction", "2", repo});
      REQUIRE(resumed.exit_code == 0);
      CHECK(rows(db, stable) == expected);
      CHECK(single(db, "SELECT count(*) FROM file_changes") == "9");
      CHECK(single(db, "PRAGMA integrity_check") == "ok");
    }
  }
}

TEST_CASE("mining with all refs walks every branch and tag, by default only the default branch", "[e2e][mine][refs]") {
  TempDir tmp;
  GitRepo repo(tmp / "refs", "trunk");
  repo.write("a.py", "a = 1\n");
  repo.commit("one", 0);
  repo.write("a.py", "a = 2\n");
  repo.commit("two", 1);
  repo.git({"checkout", "-q", "-b", "experiment"});
  repo.write("b.py", "b = 1\n");
  repo.commit("unmerged work", 2);
  repo.git({"checkout", "-q", "--detach", "HEAD~2"});
  repo.write("c.py", "c = 1\n");
  const auto tagged = repo.commit("tagged side work", 3);
  repo.git({"tag", "-a", "v1", "-m", "release"});
  repo.git({"checkout", "-q", "trunk"});

  const auto db = (tmp / "default.db").string();
  REQUIRE(hybridminer({"mine", "--db", db, repo.path().string()}).exit_code == 0);
  CHECK(single(db, "SELECT count(*) FROM commits") == std::to_string(repo.count_commits("trunk")));
  CHECK(single(db, "SELECT count(*) FROM commits") == "2");
  CHECK(single(db, "SELECT default_branch FROM repositories") == "refs/heads/trunk");

  const auto all = (tmp / "all.db").string();
  REQUIRE(hybridminer({"mine", "--db", all, "--all-refs", repo.path().string()}).exit_code == 0);
  CHECK(single(all, "SELECT count(*) FROM commits") == "4");
  CHECK(std::to_string(repo.count_commits("--all")) == "4");
  CHECK(rows(all, "SELECT ref_name FROM mined_refs ORDER BY ref_name") ==
        std::vector<std::string>{"refs/heads/experiment", "refs/heads/trunk", "refs/tags/v1"});
  CHECK(single(all, "SELECT target_sha FROM mined_refs WHERE ref_name = 'refs/tags/v1'") == tagged);

  // Switching the same database from the default branch to all refs adds only what is new.
  const auto switched = hybridminer({"mine", "--db", db, "--all-refs", repo.path().string()});
  REQUIRE(switched.exit_code == 0);
  CHECK(switched.err.find("2 new commits") != std::string::npos);
  CHECK(single(db, "SELECT count(*) FROM commits") == "4");
}

TEST_CASE("since and until keep commits by committer date, and a later full mine completes", "[e2e][mine]") {
  TempDir tmp;
  GitRepo repo(tmp / "dated");
  for (int day = 0; day < 6; ++day) {
    repo.write("a.py", "a = " + std::to_string(day) + "\n");
    repo.commit("day " + std::to_string(day), day * 40);  // 2021-01-01, 02-10, 03-22, 05-01, 06-10, 07-20
  }
  const auto db = (tmp / "out.db").string();
  REQUIRE(hybridminer({"mine", "--db", db, "--since", "2021-03-01", "--until", "2021-06-01", repo.path().string()})
              .exit_code == 0);
  CHECK(rows(db, "SELECT message FROM commits ORDER BY committer_time") ==
        std::vector<std::string>{"day 2\n", "day 3\n"});
  CHECK(single(db, "SELECT count(*) FROM mined_refs") == "0");

  REQUIRE(hybridminer({"mine", "--db", db, repo.path().string()}).exit_code == 0);
  CHECK(single(db, "SELECT count(*) FROM commits") == "6");
}

TEST_CASE("bare repositories and file URL clones are mined, and a clone is fetched, not cloned again", "[e2e][mine][clone]") {
  TempDir tmp;
  GitRepo origin(tmp / "origin");
  origin.write("m.py", "import torch\n");
  origin.commit("start", 0);
  origin.write("m.py", "import torch\nmodel = torch.compile(model)\n");
  origin.commit("compile", 1);
  const auto bare = tmp / "bare.git";
  origin.git({"clone", "-q", "--bare", origin.path().string(), bare.string()});

  const auto db = (tmp / "out.db").string();
  const auto cache = (tmp / "cache").string();
  const auto url = "file://" + bare.string();
  const auto local = hybridminer({"mine", "--db", db, "--cache-dir", cache, bare.string(), url});
  INFO(local.err);
  REQUIRE(local.exit_code == 0);
  CHECK(rows(db, "SELECT name, source_kind, (SELECT count(*) FROM commits c WHERE c.repository_id = r.id) "
                 "FROM repositories r ORDER BY id") == std::vector<std::string>{"bare|local|2", "bare|file|2"});
  CHECK(single(db, "SELECT git_dir LIKE '" + cache + "/file/%' FROM repositories WHERE source_kind = 'file'") == "1");

  origin.git({"clone", "-q", bare.string(), (tmp / "pusher").string()});
  GitRepo pusher(tmp / "pusher");
  pusher.write("m.py", "import torch\n");
  const auto newest = pusher.commit("Revert compile: crash with dynamic shapes", 2);
  pusher.git({"push", "-q", bare.string(), "main"});

  const auto again = hybridminer({"mine", "--db", db, "--cache-dir", cache, url});
  REQUIRE(again.exit_code == 0);
  CHECK(again.err.find("1 new commit") != std::string::npos);
  CHECK(single(db, "SELECT head_sha FROM repositories WHERE source_kind = 'file'") == newest);
}

TEST_CASE("a local clone of a GitHub repository is named owner/name by its origin, others by their folder",
          "[e2e][mine]") {
  // Two clones in folders of the same name: the tables must tell them apart, and the GitHub clone's messages that
  // name its own repository (owner/name#N) must link to its issues.
  TempDir tmp;
  GitRepo github_clone(tmp / "a" / "repo");
  github_clone.git({"remote", "add", "origin", "git@github.com:acme/widgets.git"});
  github_clone.write("m.py", "import torch\n");
  const auto fix = github_clone.commit("Fix acme/widgets#7: guard the shape", 0);
  GitRepo other(tmp / "b" / "repo");
  other.git({"remote", "add", "origin", "https://gitlab.com/acme/widgets.git"});
  other.write("m.py", "import torch\n");
  other.commit("start", 0);

  const auto db = (tmp / "out.db").string();
  const auto mined = hybridminer({"mine", "--db", db, github_clone.path().string(), other.path().string()});
  INFO(mined.err);
  REQUIRE(mined.exit_code == 0);
  CHECK(rows(db, "SELECT name, source_kind FROM repositories ORDER BY id") ==
        std::vector<std::string>{"acme/widgets|local", "repo|local"});

  // Issue 7 of each (as `hybridminer issues` would store them): only the GitHub clone's commit names its own.
  const auto inserted = hm::test::run_process(
      {"sqlite3", db,
       "INSERT INTO issues (repository_id, github_id, number, is_pull_request, title, state, comments, html_url, "
       "created_at, updated_at, is_candidate, fetched_at) SELECT id, 100 + id, 7, 0, 'Shape error', 'closed', 0, "
       "'https://github.com/x', '2022-01-01T00:00:00Z', '2022-01-01T00:00:00Z', 0, '2024-06-01T00:00:00Z' "
       "FROM repositories"});
  INFO(inserted.err);
  REQUIRE(inserted.exit_code == 0);
  CHECK(rows(db, "SELECT repository, sha, number, link FROM commit_issue_links") ==
        std::vector<std::string>{"acme/widgets|" + fix + "|7|message_closes"});

  // The name follows the origin at each mine: without it, the clone is its folder again.
  github_clone.git({"remote", "remove", "origin"});
  REQUIRE(hybridminer({"mine", "--db", db, github_clone.path().string()}).exit_code == 0);
  CHECK(rows(db, "SELECT name FROM repositories ORDER BY id") == std::vector<std::string>{"repo", "repo"});
}

TEST_CASE("blobs the walk's prefilter rules out are stored as skipped, with their sizes, and the others analysed",
          "[e2e][mine]") {
  // The walk asks the prefilter about each new Python blob it reads for its line counts, and the analysis does
  // not read the ones it rules out: their rows must be those the analysis would have stored.
  TempDir tmp;
  GitRepo repo(tmp / "project");
  std::string plain = numbered_lines(40, "v");
  repo.write("plain.py", plain);
  repo.write("model.py", "import tensorflow as tf\n\n@tf.function\ndef f(x):\n    return x\n");
  repo.commit("first", 0);
  for (int c = 1; c <= 3; ++c) {
    plain += "w" + std::to_string(c) + " = " + std::to_string(c) + "\n";
    repo.write("plain.py", plain);
    repo.write("model.py", "import tensorflow as tf\n\n@tf.function\ndef f(x):\n    return x + " +
                               std::to_string(c) + "\n");
    repo.commit("edit " + std::to_string(c), c);
  }
  const auto db = tmp / "mine.db";
  REQUIRE(hybridminer({"mine", "-q", "--db", db.string(), repo.path().string()}).exit_code == 0);

  // Every version of each file, with its size as git reports it.
  std::vector<std::string> expected;
  for (const std::string path : {"model.py", "plain.py"}) {
    const auto versions = repo.git({"log", "--format=%H", "--", path});
    std::istringstream shas(versions);
    for (std::string sha; std::getline(shas, sha);) {
      const auto blob = hm::test::trimmed(repo.git({"rev-parse", sha + ":" + path}));
      const auto size = hm::test::trimmed(repo.git({"cat-file", "-s", blob}));
      expected.push_back(blob + "|python|" + (path == "plain.py" ? "skipped" : "parsed") + "|" + size);
    }
  }
  std::sort(expected.begin(), expected.end());
  CHECK(rows(db, "SELECT blob, language, status, bytes FROM blob_analyses ORDER BY blob") == expected);
}

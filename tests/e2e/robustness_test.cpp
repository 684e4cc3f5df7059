// Robustness end to end: runs killed at random points resume to the rows of an uninterrupted run; damaged,
// shallow, empty, oddly configured repositories and hostile file contents are mined without losing the rest;
// a full or read-only database gives a clear error and stays intact.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "store/sqlite.hpp"
#include "support/db_rows.hpp"
#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using hm::test::canonical_rows;
using hm::test::GitRepo;
using hm::test::hybridminer;
using hm::test::rows;
using hm::test::run_process;
using hm::test::single;
using hm::test::TempDir;
using hm::test::trimmed;

namespace {

// The integrity of a database whose writer was killed. A read-only connection cannot recover a write-ahead log left
// by a crash ("attempt to write a readonly database"), so this one may write: recovery is what the next
// hybridminer run would do first.
std::string integrity_after_crash(const std::string& db) {
  auto connection = hm::store::Database::open(db, hm::store::Database::Mode::ReadWrite);
  auto check = connection.prepare("PRAGMA integrity_check");
  return check.step() ? check.get_text(0) : std::string("<no row>");
}

std::filesystem::path loose_object(const GitRepo& repo, const std::string& sha) {
  return repo.path() / ".git" / "objects" / sha.substr(0, 2) / sha.substr(2);
}

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// a.py with a tf.function site and `version` in its body, so every commit changes hybridization facts.
std::string tf_module(int version) {
  return "import tensorflow as tf\n\n@tf.function(jit_compile=" + std::string(version % 2 ? "True" : "False") +
         ")\ndef step(x):\n    return x * " + std::to_string(version) + "\n";
}

// Five commits of a.py into `origin` (each changes the tf.function's arguments), and a clone of it `depth` commits
// deep at `clone`.
std::filesystem::path five_versions_cloned(GitRepo& origin, const std::filesystem::path& clone, int depth) {
  for (int i = 0; i < 5; ++i) {
    origin.write("a.py", tf_module(i));
    origin.commit("change " + std::to_string(i), i);
  }
  REQUIRE(run_process({"git", "clone", "-q", "--depth", std::to_string(depth), "file://" + origin.path().string(),
                       clone.string()})
              .exit_code == 0);
  return clone;
}

// Runs hybridminer with `args` and has timeout(1) SIGKILL it after a random delay from 10 ms to `max_seconds`.
void kill_after_random_delay(std::mt19937& random, const std::vector<std::string>& args, double max_seconds) {
  const auto delay = std::to_string(0.01 + (max_seconds - 0.01) * static_cast<double>(random() % 1000) / 1000.0);
  std::vector<std::string> argv{"timeout", "-s", "KILL", delay, HM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  run_process(argv);
}

}  // namespace

TEST_CASE("runs killed at random points resume to exactly the rows of an uninterrupted run", "[e2e][robustness][crash]") {
  TempDir tmp;
  hm::test::make_demo_corpus(tmp / "demo");
  const auto corpus = "@" + (tmp / "demo" / "corpus.txt").string();
  const auto reference = (tmp / "reference.db").string();
  REQUIRE(hybridminer({"mine", "--jobs", "1", "--db", reference, corpus}).exit_code == 0);
  const auto expected = canonical_rows(reference);
  const auto commits = std::stoi(single(reference, "SELECT count(*) FROM commits"));
  REQUIRE(commits > 20);
  // The analysis count starts again for each repository: its kill point must fall within the largest one.
  const auto largest = std::stoi(single(reference, "SELECT max(n) FROM (SELECT count(*) AS n FROM commits "
                                                   "GROUP BY repository_id)"));
  REQUIRE(std::stoi(single(reference, "SELECT count(*) FROM hybridization_changes")) > 0);

  // Each seed picks where to kill: after storing the N-th commit, after analysing the N-th commit (both inside an
  // open transaction), or a real SIGKILL from outside after a random delay. Small transactions make every kill
  // land between some committed and some lost work. The killed runs walk with two workers (the reference used
  // one); odd seeds resume with one, even seeds with two.
  for (const unsigned seed : {1u, 2u, 3u, 4u, 5u, 6u}) {
    DYNAMIC_SECTION("seed " << seed) {
      std::mt19937 random(seed);
      const auto db = (tmp / ("killed-" + std::to_string(seed) + ".db")).string();
      std::vector<std::string> mine{"mine", "--jobs", "2", "--db", db, "--commits-per-transaction", "3", corpus};
      const auto how = random() % 3;
      const auto at = std::to_string(1 + random() % static_cast<unsigned>(how == 1 ? largest : commits));
      INFO("how " << how << ", at " << at);
      if (how == 0) {
        CHECK(hybridminer(mine, {{"HYBRIDMINER_FAULT_KILL_AFTER_COMMITS", at}}).signal == SIGKILL);
      } else if (how == 1) {
        CHECK(hybridminer(mine, {{"HYBRIDMINER_FAULT_KILL_AFTER_ANALYSED", at}}).signal == SIGKILL);
      } else {
        // 10..300 ms: anywhere from opening the database to the last commit.
        kill_after_random_delay(random, mine, 0.3);
      }
      if (std::filesystem::exists(db)) CHECK(integrity_after_crash(db) == "ok");
      mine[2] = seed % 2 ? "1" : "2";
      const auto resumed = hybridminer(mine);
      INFO(resumed.err);
      REQUIRE(resumed.exit_code == 0);
      CHECK(canonical_rows(db) == expected);
      CHECK(single(db, "PRAGMA integrity_check") == "ok");
      CHECK(single(db, "PRAGMA foreign_key_check") == "<no row>");
    }
  }
}

TEST_CASE("a --findings tip mine, and the default mine that completes its findings, resume after a kill",
          "[e2e][robustness][crash][findings]") {
  TempDir tmp;
  hm::test::make_demo_corpus(tmp / "demo");
  const auto corpus = "@" + (tmp / "demo" / "corpus.txt").string();
  const auto tip_reference = (tmp / "tip.db").string();
  const auto reference = (tmp / "history.db").string();
  REQUIRE(hybridminer({"mine", "--jobs", "1", "--findings", "tip", "--db", tip_reference, corpus}).exit_code == 0);
  REQUIRE(hybridminer({"mine", "--jobs", "1", "--db", reference, corpus}).exit_code == 0);
  // Versions with sites away from the tips: what the tip mine leaves without findings, the default one completes.
  REQUIRE(std::stoi(single(tip_reference, "SELECT count(DISTINCT blob) FROM blob_sites WHERE blob NOT IN "
                                          "(SELECT blob FROM advised_blobs)")) > 0);
  const auto expected_tip = canonical_rows(tip_reference);
  const auto expected = canonical_rows(reference);

  // Killed after 10..400 ms: anywhere from opening the database to the last commit or the last slice of the tips'
  // advice (tip mine), or of the completed findings (default mine).
  const auto killed = [](std::mt19937& random, const std::vector<std::string>& mine) {
    kill_after_random_delay(random, mine, 0.4);
  };
  for (const unsigned seed : {1u, 2u, 3u}) {
    DYNAMIC_SECTION("seed " << seed) {
      std::mt19937 random(seed);
      const auto db = (tmp / ("killed-" + std::to_string(seed) + ".db")).string();
      std::vector<std::string> mine{"mine", "--jobs", "2", "--db", db, "--commits-per-transaction", "3",
                                    "--findings", "tip", corpus};
      killed(random, mine);
      if (std::filesystem::exists(db)) CHECK(integrity_after_crash(db) == "ok");
      const auto resumed = hybridminer(mine);
      INFO(resumed.err);
      REQUIRE(resumed.exit_code == 0);
      CHECK(canonical_rows(db) == expected_tip);

      mine[8] = "history";
      killed(random, mine);
      CHECK(integrity_after_crash(db) == "ok");
      const auto completed = hybridminer(mine);
      INFO(completed.err);
      REQUIRE(completed.exit_code == 0);
      CHECK(canonical_rows(db) == expected);
      CHECK(single(db, "PRAGMA foreign_key_check") == "<no row>");
    }
  }
}

TEST_CASE("a corrupt loose object or a truncated pack fails its commit only, the rest is mined", "[e2e][robustness][corrupt]") {
  TempDir tmp;
  GitRepo repo(tmp / "damaged");
  std::vector<std::string> shas;
  for (int i = 0; i < 6; ++i) {
    repo.write("a.py", tf_module(i));
    repo.write("notes/n" + std::to_string(i) + ".txt", "note " + std::to_string(i) + "\n");
    shas.push_back(repo.commit("change " + std::to_string(i), i));
  }
  // Commit 2's new note: garbage where the zlib stream should be. Commit 4's new note: in a pack of its own,
  // cut in half (its index still claims it), with the loose copy gone.
  const auto garbled = trimmed(repo.git({"rev-parse", shas[2] + ":notes/n2.txt"}));
  std::filesystem::permissions(loose_object(repo, garbled), std::filesystem::perms::owner_all);
  std::filesystem::copy_file(loose_object(repo, garbled), tmp / "garbled.good");
  std::ofstream(loose_object(repo, garbled), std::ios::binary | std::ios::trunc) << "not zlib at all";
  const auto packed = trimmed(repo.git({"rev-parse", shas[4] + ":notes/n4.txt"}));
  const auto pack_base = repo.path() / ".git" / "objects" / "pack" / "pack";
  const auto packed_result = run_process({"sh", "-c", "echo " + packed + " | git -C " + repo.path().string() +
                                                          " pack-objects -q " + pack_base.string()});
  REQUIRE(packed_result.exit_code == 0);
  const auto pack_file = repo.path() / ".git" / "objects" / "pack" / ("pack-" + trimmed(packed_result.out) + ".pack");
  REQUIRE(std::filesystem::exists(pack_file));
  std::filesystem::remove(loose_object(repo, packed));
  std::filesystem::permissions(pack_file, std::filesystem::perms::owner_all);
  std::filesystem::copy_file(pack_file, tmp / "pack.good");
  std::filesystem::resize_file(pack_file, std::filesystem::file_size(pack_file) / 2);

  const auto db = (tmp / "out.db").string();
  const auto result = hybridminer({"mine", "--db", db, repo.path().string()});
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(count_lines(result.err) == 2);  // the source's error and the summary
  CHECK(result.err.find("error: " + repo.path().string() + ": 2 commit(s) could not be read, first " + shas[2]) !=
        std::string::npos);
  CHECK(single(db, "SELECT count(*) FROM commits") == "6");
  CHECK(rows(db, "SELECT sha FROM commits WHERE error IS NOT NULL ORDER BY committer_time") ==
        std::vector<std::string>{shas[2], shas[4]});
  // The four readable commits have both their files; the two damaged ones none (a commit is stored whole or not).
  CHECK(single(db, "SELECT count(*) FROM file_changes") == "8");
  CHECK(single(db, "SELECT count(*) FROM commits WHERE detector_version IS NULL") == "0");
  CHECK(single(db, "SELECT count(*) FROM hybridization_changes WHERE kind = 'added'") == "1");
  CHECK(single(db, "PRAGMA integrity_check") == "ok");

  // The objects come back (fetched again, copied from a backup): the next mine reads the two commits and replaces
  // their rows, leaving what a fresh mine of the repaired repository holds.
  const auto copy_back = std::filesystem::copy_options::overwrite_existing;
  std::filesystem::copy_file(tmp / "garbled.good", loose_object(repo, garbled), copy_back);
  std::filesystem::copy_file(tmp / "pack.good", pack_file, copy_back);
  const auto repaired = hybridminer({"mine", "--db", db, repo.path().string()});
  INFO(repaired.err);
  CHECK(repaired.exit_code == 0);
  CHECK(single(db, "SELECT count(*), count(error) FROM commits") == "6|0");
  CHECK(single(db, "SELECT count(*) FROM file_changes") == "12");
  CHECK(single(db, "SELECT error IS NULL FROM repositories") == "1");
  const auto fresh = (tmp / "fresh.db").string();
  REQUIRE(hybridminer({"mine", "--db", fresh, repo.path().string()}).exit_code == 0);
  CHECK(canonical_rows(db) == canonical_rows(fresh));
  CHECK(single(db, "PRAGMA foreign_key_check") == "<no row>");
}

TEST_CASE("a partial clone's missing blobs leave their changes without content, not their commits failed",
          "[e2e][robustness][partial]") {
  TempDir tmp;
  GitRepo origin(tmp / "origin");
  // big.txt and big.py are over the clone's 1 KiB filter; a.py is under it.
  std::string numbers;
  for (int i = 0; i < 400; ++i) numbers += std::to_string(i) + "\n";
  const std::string big_python =
      "import tensorflow as tf\n\n" + std::string(1200, '#') + "\n@tf.function\ndef big(x):\n    return x\n";
  origin.write("a.py", tf_module(0));
  origin.write("big.txt", numbers);
  origin.write("big.py", big_python);
  const auto first = origin.commit("one", 0);
  // Renamed with an edit (found by content only) beside an edit of a.py and of big.py.
  std::filesystem::remove(origin.path() / "big.txt");
  origin.write("moved.txt", numbers + "400\n");
  origin.write("a.py", tf_module(1));
  origin.write("big.py", big_python + "y = 1\n");
  const auto second = origin.commit("two", 1);
  origin.git({"config", "uploadpack.allowFilter", "true"});
  const auto clone = tmp / "partial.git";
  REQUIRE(run_process({"git", "clone", "-q", "--bare", "--filter=blob:limit=1k", "file://" + origin.path().string(),
                       clone.string()})
              .exit_code == 0);

  const auto db = (tmp / "out.db").string();
  const auto result = hybridminer({"mine", "--db", db, clone.string()});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.err.find("warning: " + clone.string() + ": 5 file change(s) without content, left out by the partial "
                        "clone's filter; 2 of Python files or notebooks, whose hybridization sites are unknown (clone "
                        "with a larger blob limit)\n") != std::string::npos);
  CHECK(single(db, "SELECT count(*), count(error) FROM commits") == "2|0");
  CHECK(rows(db, "SELECT c.sha, f.status, coalesce(f.old_path, ''), coalesce(f.new_path, ''), f.is_binary, "
                 "coalesce(f.lines_added, 'NULL'), coalesce(f.lines_removed, 'NULL'), f.content_missing "
                 "FROM file_changes f JOIN commits c ON c.id = f.commit_id ORDER BY f.id") ==
        std::vector<std::string>{
            first + "|added||a.py|0|5|0|0",
            first + "|added||big.py|0|NULL|NULL|1",
            first + "|added||big.txt|0|NULL|NULL|1",
            second + "|modified|a.py|a.py|0|2|2|0",
            second + "|modified|big.py|big.py|0|NULL|NULL|1",
            // The rename needs both contents: without them it is a deletion and an addition.
            second + "|deleted|big.txt||0|NULL|NULL|1",
            second + "|added||moved.txt|0|NULL|NULL|1",
        });
  // The missing Python versions are recorded as unreadable; a.py is analysed as in any clone.
  CHECK(rows(db, "SELECT b.status FROM blob_analyses b JOIN file_changes f ON f.new_blob = b.blob "
                 "WHERE f.new_path = 'big.py' ORDER BY f.id") == std::vector<std::string>{"unreadable", "unreadable"});
  // big.py's tf.function is unknown: only a.py's sites are found.
  CHECK(rows(db, "SELECT kind, coalesce(args_before, 'NULL'), args_after FROM hybridization_changes ORDER BY id") ==
        std::vector<std::string>{"added|NULL|{\"jit_compile\":\"False\"}",
                                 "args_changed|{\"jit_compile\":\"False\"}|{\"jit_compile\":\"True\"}"});
  CHECK(single(db, "SELECT head_sha, error IS NULL FROM repositories") == second + "|1");
  CHECK(single(db, "PRAGMA integrity_check") == "ok");

  // Older gits mark a partial clone with the partialclone extension of repository format 1, which libgit2 refuses
  // by default: such a clone is mined the same.
  run_process({"git", "-C", clone.string(), "config", "core.repositoryformatversion", "1"});
  run_process({"git", "-C", clone.string(), "config", "extensions.partialClone", "origin"});
  const auto marked = (tmp / "marked.db").string();
  const auto marked_result = hybridminer({"mine", "--db", marked, clone.string()});
  INFO(marked_result.err);
  CHECK(marked_result.exit_code == 0);
  CHECK(canonical_rows(marked) == canonical_rows(db));

  // Another clone of the project that has the blobs (here the origin), mined into the same database, does not take
  // the analyses stored 'unreadable' for the partial clone: its big.py is parsed, its tf.function found.
  const auto origin_has_big_py = [&](const std::string& file) {
    INFO(file);
    CHECK(single(file, "SELECT count(*) FROM blob_analyses WHERE status = 'unreadable'") == "0");
    CHECK(single(file, "SELECT count(*) FROM hybridization_changes h JOIN commits c ON c.id = h.commit_id "
                       "JOIN repositories r ON r.id = c.repository_id WHERE h.path = 'big.py' AND r.url = '" +
                           origin.path().string() + "'") == "1");
  };
  const auto shared = (tmp / "shared.db").string();
  std::filesystem::copy_file(db, shared);
  const auto origin_result = hybridminer({"mine", "--db", shared, origin.path().string()});
  INFO(origin_result.err);
  CHECK(origin_result.exit_code == 0);
  origin_has_big_py(shared);
  // The same in one run on two workers, whichever analyses the blob first.
  const auto together = (tmp / "together.db").string();
  const auto together_result =
      hybridminer({"mine", "--jobs", "2", "--db", together, clone.string(), origin.path().string()});
  INFO(together_result.err);
  CHECK(together_result.exit_code == 0);
  origin_has_big_py(together);

  // The left-out blobs are fetched later (git fetches a missing blob on demand): the next mine reads the two
  // commits again, and the database then holds what a mine of the whole history holds (line counts, the rename,
  // big.py's analysis), with no warning left.
  for (const auto& blob : rows(db, "SELECT old_blob FROM file_changes WHERE content_missing = 1 AND old_blob "
                                   "IS NOT NULL UNION SELECT new_blob FROM file_changes WHERE content_missing = 1 "
                                   "AND new_blob IS NOT NULL")) {
    REQUIRE(run_process({"git", "-C", clone.string(), "cat-file", "-e", blob}).exit_code == 0);
  }
  const auto refilled = hybridminer({"mine", "--db", db, clone.string()});
  INFO(refilled.err);
  CHECK(refilled.exit_code == 0);
  CHECK(refilled.err.find("warning") == std::string::npos);
  CHECK(rows(db, "SELECT c.sha, f.status, coalesce(f.old_path, ''), coalesce(f.new_path, ''), f.is_binary, "
                 "coalesce(f.lines_added, 'NULL'), coalesce(f.lines_removed, 'NULL'), f.content_missing "
                 "FROM file_changes f JOIN commits c ON c.id = f.commit_id ORDER BY c.committer_time, f.new_path") ==
        std::vector<std::string>{
            first + "|added||a.py|0|5|0|0",
            first + "|added||big.py|0|6|0|0",
            first + "|added||big.txt|0|400|0|0",
            second + "|modified|a.py|a.py|0|2|2|0",
            second + "|modified|big.py|big.py|0|1|0|0",
            second + "|renamed|big.txt|moved.txt|0|1|0|0",
        });
  CHECK(single(db, "SELECT count(*) FROM blob_analyses WHERE status = 'unreadable'") == "0");
  CHECK(single(db, "SELECT count(*) FROM hybridization_changes WHERE path = 'big.py'") == "1");
  const auto whole = (tmp / "whole.db").string();
  REQUIRE(hybridminer({"mine", "--db", whole, clone.string()}).exit_code == 0);
  CHECK(canonical_rows(db) == canonical_rows(whole));
  CHECK(single(db, "PRAGMA foreign_key_check") == "<no row>");
  CHECK(single(db, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("a shallow clone is mined down to its shallow boundary", "[e2e][robustness][shallow]") {
  TempDir tmp;
  GitRepo origin(tmp / "origin");
  const auto shallow = five_versions_cloned(origin, tmp / "shallow", 2);
  const auto db = (tmp / "out.db").string();
  const auto result = hybridminer({"mine", "--db", db, shallow.string()});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(single(db, "SELECT count(*) FROM commits") == "2");
  // The boundary commit is stored without file changes (its parent is not in the clone), marked, not a failure.
  const auto boundary = trimmed(origin.git({"rev-parse", "HEAD~1"}));
  CHECK(rows(db, "SELECT sha, error FROM commits WHERE error IS NOT NULL") ==
        std::vector<std::string>{boundary + "|shallow clone boundary: parent commits not available, file changes unknown"});
  CHECK(single(db, "SELECT parents FROM commits WHERE sha = '" + boundary + "'") ==
        trimmed(origin.git({"rev-parse", "HEAD~2"})));
  CHECK(single(db, "SELECT head_sha, error IS NULL FROM repositories") == origin.head() + "|1");
  CHECK(single(db, "SELECT kind, args_before, args_after FROM hybridization_changes") ==
        "args_changed|{\"jit_compile\":\"True\"}|{\"jit_compile\":\"False\"}");
  CHECK(single(db, "PRAGMA integrity_check") == "ok");

  // Deepening the clone later mines the newly fetched history, and the old boundary gets its file changes: the
  // database then holds what a fresh mine of the deeper clone would.
  for (const auto& deepen : std::vector<std::vector<std::string>>{{"--deepen", "2"}, {"--unshallow"}}) {
    std::vector<std::string> fetch{"git", "-C", shallow.string(), "fetch", "-q"};
    fetch.insert(fetch.end(), deepen.begin(), deepen.end());
    REQUIRE(run_process(fetch).exit_code == 0);
    const auto deeper = hybridminer({"mine", "--db", db, shallow.string()});
    INFO(deeper.err);
    CHECK(deeper.exit_code == 0);
    const auto fresh = (tmp / ("fresh" + deepen[0] + ".db")).string();
    REQUIRE(hybridminer({"mine", "--db", fresh, shallow.string()}).exit_code == 0);
    CHECK(canonical_rows(db) == canonical_rows(fresh));
    CHECK(single(db, "PRAGMA foreign_key_check") == "<no row>");
  }
  CHECK(single(db, "SELECT count(*), count(error) FROM commits") == "5|0");
  CHECK(single(db, "SELECT count(*) FROM file_changes") == "5");
  CHECK(rows(db, "SELECT kind FROM hybridization_changes h JOIN commits c ON c.id = h.commit_id "
                 "ORDER BY c.committer_time") == std::vector<std::string>{"added", "args_changed", "args_changed",
                                                                          "args_changed", "args_changed"});
}

TEST_CASE("a mine of an unshallowed clone killed after any commit resumes to a fresh mine's rows", "[e2e][robustness][shallow][crash]") {
  TempDir tmp;
  GitRepo origin(tmp / "origin");
  const auto shallow = five_versions_cloned(origin, tmp / "shallow", 1);
  const auto before = (tmp / "before.db").string();
  REQUIRE(hybridminer({"mine", "--db", before, shallow.string()}).exit_code == 0);
  REQUIRE(run_process({"git", "-C", shallow.string(), "fetch", "-q", "--unshallow"}).exit_code == 0);
  const auto fresh = (tmp / "fresh.db").string();
  REQUIRE(hybridminer({"mine", "--db", fresh, shallow.string()}).exit_code == 0);
  const auto expected = canonical_rows(fresh);
  REQUIRE(single(fresh, "SELECT count(*), count(error) FROM commits") == "5|0");

  // The four older commits come first, then the old boundary is replaced: a kill after each one.
  for (int at = 1; at <= 5; ++at) {
    DYNAMIC_SECTION("killed after commit " << at) {
      const auto db = (tmp / ("killed-" + std::to_string(at) + ".db")).string();
      std::filesystem::copy_file(before, db);
      const std::vector<std::string> mine{"mine", "--db", db, "--commits-per-transaction", "1", shallow.string()};
      CHECK(hybridminer(mine, {{"HYBRIDMINER_FAULT_KILL_AFTER_COMMITS", std::to_string(at)}}).signal == SIGKILL);
      CHECK(integrity_after_crash(db) == "ok");
      const auto resumed = hybridminer(mine);
      INFO(resumed.err);
      REQUIRE(resumed.exit_code == 0);
      CHECK(canonical_rows(db) == expected);
    }
  }
}

TEST_CASE("empty repositories, local, bare and cloned, are zero commits and no error", "[e2e][robustness][empty]") {
  TempDir tmp;
  GitRepo work(tmp / "empty-work");
  GitRepo bare(tmp / "empty.git", "main", true);
  const auto db = (tmp / "out.db").string();
  const auto result = hybridminer({"mine", "--db", db, "--cache-dir", (tmp / "cache").string(),
                                   work.path().string(), bare.path().string(), "file://" + bare.path().string()});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(rows(db, "SELECT source_kind, head_sha IS NULL, error IS NULL, mined_at IS NOT NULL FROM repositories "
                 "ORDER BY id") == std::vector<std::string>{"local|1|1|1", "local|1|1|1", "file|1|1|1"});
  CHECK(single(db, "SELECT count(*) FROM commits") == "0");
  // And a second run over them is just as quiet.
  CHECK(hybridminer({"mine", "--db", db, "--cache-dir", (tmp / "cache").string(), work.path().string(),
                     bare.path().string(), "file://" + bare.path().string()})
            .exit_code == 0);
}

TEST_CASE("a default branch that is neither master nor main is followed, locally and through a clone", "[e2e][robustness][branch]") {
  TempDir tmp;
  GitRepo origin(tmp / "origin", "develop");
  origin.write("a.py", tf_module(0));
  origin.commit("one", 0);
  origin.git({"branch", "main"});  // a stale main, behind develop
  origin.write("a.py", tf_module(1));
  const auto tip = origin.commit("two", 1);
  const auto bare = tmp / "origin.git";
  origin.git({"clone", "-q", "--bare", origin.path().string(), bare.string()});

  const auto db = (tmp / "out.db").string();
  const auto result = hybridminer({"mine", "--db", db, "--cache-dir", (tmp / "cache").string(),
                                   origin.path().string(), "file://" + bare.string()});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(rows(db, "SELECT source_kind, default_branch, head_sha, (SELECT count(*) FROM commits c WHERE "
                 "c.repository_id = r.id) FROM repositories r ORDER BY id") ==
        std::vector<std::string>{"local|refs/heads/develop|" + tip + "|2", "file|refs/heads/develop|" + tip + "|2"});
}

TEST_CASE("a submodule is a gitlink file change; its own history is not mined", "[e2e][robustness][submodule]") {
  TempDir tmp;
  GitRepo library(tmp / "library");
  library.write("lib.py", "x = 1\n");
  const auto library_tip = library.commit("library", 0);
  GitRepo app(tmp / "app");
  app.write("main.py", tf_module(0));
  app.commit("app", 1);
  app.git({"-c", "protocol.file.allow=always", "submodule", "add", "-q", library.path().string(), "vendor/library"});
  const auto with_submodule = app.commit("Add the library as a submodule", 2);

  const auto db = (tmp / "out.db").string();
  const auto result = hybridminer({"mine", "--db", db, app.path().string()});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(single(db, "SELECT count(*) FROM commits") == "2");
  CHECK(rows(db, "SELECT fc.status, fc.new_path, fc.new_blob, fc.new_mode, coalesce(fc.lines_added, 'NULL') "
                 "FROM file_changes fc JOIN commits c ON c.id = fc.commit_id WHERE c.sha = '" + with_submodule +
                 "' ORDER BY fc.new_path") ==
        std::vector<std::string>{"added|.gitmodules|" + trimmed(app.git({"rev-parse", "HEAD:.gitmodules"})) +
                                     "|33188|3",
                                 "added|vendor/library|" + library_tip + "|57344|NULL"});
  CHECK(single(db, "SELECT count(*) FROM blob_analyses WHERE blob = '" + library_tip + "'") == "0");
}

TEST_CASE("hostile file contents are analysed without failing the commit", "[e2e][robustness][contents]") {
  TempDir tmp;
  GitRepo repo(tmp / "hostile");
  const std::string site = "import tensorflow as tf\n\n@tf.function\ndef f(x):\n    return x\n";
  repo.write("utf8.py", "# caf\xe9 \xff\xfe\n" + site + "s = '\xc3\x28'\n");
  const char nul_line[] = "data = b'\0\0\0'\n";
  repo.write("nul.py", site + std::string(nul_line, sizeof nul_line - 1));
  repo.write("crlf.py", "import tensorflow as tf\r\n\r\n@tf.function\r\ndef f(x):\r\n    return x\r\n");
  // Generated code is mostly tables (protobuf descriptors, weights); a function every 100 of them.
  std::string big = "import tensorflow as tf\n\n";
  int generated = 0;
  for (int n = 0; big.size() < (10u << 20); ++n) {
    const auto i = std::to_string(n);
    big += "TABLE_" + i + " = [" + i + ", 0x" + i + ", '" + i + "', {'k': (" + i + ", None)}, -" + i + ".5]\n";
    if (n % 100 == 0) {
      big += "\n@tf.function\ndef f" + std::to_string(generated++) + "(x):\n    return x + TABLE_" + i + "[0]\n\n";
    }
  }
  repo.write("generated.py", big);
  std::string parens, sum = "1", calls;
  for (int i = 0; i < 5000; ++i) {
    parens += '(';
    sum += " + 1";
    calls += "g(";
  }
  repo.write("deep.py", site + "p = " + parens + "1" + std::string(5000, ')') + "\ns = " + sum + "\nc = " + calls +
                            "0" + std::string(5000, ')') + "\n");
  repo.write("deep_unbalanced.py", site + "p = " + parens + "\n");
  const auto sha = repo.commit("Hostile files", 0);

  const auto db = (tmp / "out.db").string();
  const auto result = hybridminer({"mine", "--db", db, repo.path().string()});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(single(db, "SELECT error IS NULL, detector_version IS NOT NULL FROM commits") == "1|1");
  CHECK(single(db, "SELECT lines_added FROM file_changes WHERE new_path = 'crlf.py'") == "5");
  CHECK(rows(db, "SELECT fc.new_path, b.status FROM file_changes fc JOIN blob_analyses b ON b.blob = fc.new_blob "
                 "ORDER BY fc.new_path") ==
        std::vector<std::string>{"crlf.py|parsed", "deep.py|parsed", "deep_unbalanced.py|parsed", "generated.py|parsed",
                                 "nul.py|parsed", "utf8.py|parsed"});
  // The site is found in every small file, at its line; every generated function is one site.
  CHECK(rows(db, "SELECT path, function, new_line FROM hybridization_changes WHERE path != 'generated.py' "
                 "ORDER BY path") ==
        std::vector<std::string>{"crlf.py|f|3", "deep.py|f|3", "deep_unbalanced.py|f|3", "nul.py|f|3",
                                 "utf8.py|f|4"});
  CHECK(single(db, "SELECT count(*) FROM hybridization_changes WHERE path = 'generated.py' AND kind = 'added'") ==
        std::to_string(generated));
  CHECK(single(db, "SELECT count(*) FROM commits WHERE sha = '" + sha + "'") == "1");
}

TEST_CASE("a full database fails with one clear error, keeps its integrity, and a later run completes", "[e2e][robustness][disk-full]") {
  TempDir tmp;
  hm::test::make_demo_corpus(tmp / "demo");
  const auto corpus = "@" + (tmp / "demo" / "corpus.txt").string();
  // Databases of 1 KiB pages: the demo corpus's rows then fill enough pages (53 over the schema's) to run out of
  // room in the middle of them.
  const auto small_pages = [](const std::string& file) {
    hm::store::Database::open(file).exec("PRAGMA page_size = 1024; VACUUM");
  };
  const auto reference = (tmp / "reference.db").string();
  small_pages(reference);
  REQUIRE(hybridminer({"mine", "--db", reference, corpus}).exit_code == 0);
  GitRepo empty(tmp / "empty");
  const auto schema_only = (tmp / "schema-only.db").string();
  small_pages(schema_only);
  REQUIRE(hybridminer({"mine", "--db", schema_only, empty.path().string()}).exit_code == 0);
  const auto schema_pages = std::stoi(single(schema_only, "PRAGMA page_count"));
  const auto needed = std::stoi(single(reference, "PRAGMA page_count"));
  REQUIRE(needed > schema_pages + 4);

  // The test hook caps the file (PRAGMA max_page_count) so SQLite fails writes exactly as on a full disk
  // (SQLITE_FULL), without needing a tiny file system: full during the first repository's walk, or later.
  for (const auto quarter : {1, 3}) {
    DYNAMIC_SECTION("full after " << quarter << " quarter(s) of the data") {
      const auto db = (tmp / ("full-" + std::to_string(quarter) + ".db")).string();
      small_pages(db);
      const auto pages = schema_pages + (needed - schema_pages) * quarter / 4;
      const auto full = hybridminer({"mine", "--db", db, "--commits-per-transaction", "2", corpus},
                                    {{"HYBRIDMINER_FAULT_MAX_PAGES", std::to_string(pages)}});
      INFO(full.err);
      CHECK(full.exit_code == 1);
      // One line, and the run stops: a full disk is not the next repository's fault.
      CHECK(full.err.rfind("hybridminer: SQL failed: database or disk is full in: ", 0) == 0);
      CHECK(count_lines(full.err) == 1);
      CHECK(single(db, "PRAGMA integrity_check") == "ok");
      CHECK(single(db, "PRAGMA foreign_key_check") == "<no row>");
      CHECK(std::stoi(single(db, "SELECT count(*) FROM commits WHERE detector_version IS NOT NULL")) <
            std::stoi(single(reference, "SELECT count(*) FROM commits")));

      const auto resumed = hybridminer({"mine", "--db", db, corpus});
      INFO(resumed.err);
      REQUIRE(resumed.exit_code == 0);
      CHECK(canonical_rows(db) == canonical_rows(reference));
    }
  }
}

TEST_CASE("a read-only database fails with one clear error and is left as it was", "[e2e][robustness][read-only]") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("a.py", tf_module(0));
  repo.commit("one", 0);
  const auto db = (tmp / "out.db").string();
  REQUIRE(hybridminer({"mine", "--db", db, repo.path().string()}).exit_code == 0);
  repo.write("a.py", tf_module(1));
  repo.commit("two", 1);
  const auto before = canonical_rows(db);

  // Root ignores file permissions, so as root the miner runs as nobody instead; either way it cannot write.
  using std::filesystem::perms;
  std::filesystem::permissions(db, perms::owner_read | perms::group_read | perms::others_read);
  // Others may enter the folder (to read the repository) but not create files in it.
  std::filesystem::permissions(tmp.path(), perms::owner_all | perms::group_read | perms::group_exec |
                                               perms::others_read | perms::others_exec);
  std::vector<std::string> argv{HM_BINARY, "mine", "--db", db, repo.path().string()};
  if (::geteuid() == 0) {
    argv.insert(argv.begin(), {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"});
  }
  const auto result = run_process(argv, {{"GIT_CONFIG_GLOBAL", "/dev/null"}});
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.err.rfind("hybridminer: ", 0) == 0);
  CHECK(result.err == "hybridminer: database " + db + " is read-only (no write permission on the file or its folder)\n");
  CHECK(count_lines(result.err) == 1);
  CHECK(canonical_rows(db) == before);
  CHECK(single(db, "PRAGMA integrity_check") == "ok");
}

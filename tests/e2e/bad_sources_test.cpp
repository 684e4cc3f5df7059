// Bad input: every bad source is a one-line error, recorded, and never stops the good ones.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
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
using hm::test::trimmed;

namespace {

std::size_t count_lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

std::filesystem::path loose_object(const GitRepo& repo, const std::string& sha) {
  return repo.path() / ".git" / "objects" / sha.substr(0, 2) / sha.substr(2);
}

}  // namespace

TEST_CASE("bad sources fail one by one with a clear error and the rest is mined", "[e2e][errors]") {
  TempDir tmp;
  GitRepo good(tmp / "good");
  good.write("a.py", "a = 1\n");
  good.commit("one", 0);
  std::filesystem::create_directories(tmp / "plain-folder");

  const auto db = (tmp / "out.db").string();
  const auto missing = (tmp / "missing").string();
  const auto plain = (tmp / "plain-folder").string();
  const std::string unreachable = "file://" + (tmp / "nowhere.git").string();
  const auto result = hybridminer({"mine", "--db", db, "--cache-dir", (tmp / "cache").string(), missing, plain,
                                   unreachable, good.path().string()});
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("error: " + missing + ": no such path: " + missing + "\n") != std::string::npos);
  CHECK(result.err.find("error: " + plain + ": not a git repository: " + plain + "\n") != std::string::npos);
  CHECK(result.err.find("error: " + unreachable + ": cannot clone " + unreachable) != std::string::npos);
  CHECK(result.err.find("mined 4 sources (3 failed): 1 new commit") != std::string::npos);
  CHECK(count_lines(result.err) == 4);  // three errors and the summary

  CHECK(rows(db, "SELECT name, error IS NOT NULL, (SELECT count(*) FROM commits c WHERE c.repository_id = r.id) "
                 "FROM repositories r ORDER BY id") ==
        std::vector<std::string>{"missing|1|0", "plain-folder|1|0", "nowhere|1|0", "good|0|1"});
  CHECK(single(db, "SELECT error FROM repositories WHERE name = 'missing'") == "no such path: " + missing);
  CHECK(single(db, "SELECT status, sources, sources_failed FROM runs") == "partial|4|3");
  // No half clone left behind.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(tmp / "cache")) {
    CHECK(entry.path().filename().string().find("nowhere") == std::string::npos);
  }
}

TEST_CASE("an unreachable https remote fails fast with an error", "[e2e][errors]") {
  TempDir tmp;
  const auto db = (tmp / "out.db").string();
  // Port 9 (discard) on loopback: connection refused, no network needed.
  const auto result = hybridminer({"mine", "--db", db, "--cache-dir", (tmp / "cache").string(),
                                   "https://127.0.0.1:9/owner/repo.git"});
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("error: https://127.0.0.1:9/owner/repo.git: cannot clone") != std::string::npos);
  CHECK(single(db, "SELECT source_kind, error LIKE 'cannot clone%' FROM repositories") == "https|1");
}

TEST_CASE("a missing blob fails its commit only; a missing commit fails the source", "[e2e][errors][corrupt]") {
  TempDir tmp;
  GitRepo repo(tmp / "corrupt");
  repo.write("a.py", "a = 1\n");
  repo.commit("one", 0);
  repo.write("a.py", "a = 2\n");
  const auto broken = repo.commit("two", 1);
  repo.write("b.py", "b = 1\n");
  repo.commit("three", 2);
  const auto blob = trimmed(repo.git({"rev-parse", broken + ":a.py"}));
  std::filesystem::remove(loose_object(repo, blob));

  const auto db = (tmp / "out.db").string();
  const auto result = hybridminer({"mine", "--db", db, repo.path().string()});
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(single(db, "SELECT count(*) FROM commits") == "3");
  CHECK(rows(db, "SELECT sha FROM commits WHERE error IS NOT NULL") == std::vector<std::string>{broken});
  CHECK(single(db, "SELECT error LIKE '1 commit(s) could not be read, first " + broken + ": %' FROM repositories") ==
        "1");
  CHECK(single(db, "SELECT count(*) FROM file_changes") == "2");

  GitRepo cut(tmp / "cut");
  cut.write("a.py", "a = 1\n");
  const auto root = cut.commit("one", 0);
  cut.write("a.py", "a = 2\n");
  cut.commit("two", 1);
  std::filesystem::remove(loose_object(cut, root));
  const auto cut_result = hybridminer({"mine", "--db", db, cut.path().string()});
  CHECK(cut_result.exit_code == 1);
  CHECK(cut_result.err.find("error: " + cut.path().string() + ": ") != std::string::npos);
  CHECK(single(db, "SELECT error IS NOT NULL AND head_sha IS NULL FROM repositories WHERE name = 'cut'") == "1");
}

TEST_CASE("the repository's error counts every unreadable commit stored, after a kill and in later runs alike",
          "[e2e][errors][corrupt][crash]") {
  // Six commits, the 2nd and 5th missing a blob. Killed after any commit and resumed, the repository must say what
  // an uninterrupted mine says: two commits unreadable, the 2nd first (a run only sees its own share of them).
  TempDir tmp;
  GitRepo repo(tmp / "damaged");
  std::vector<std::string> shas;
  for (int i = 1; i <= 6; ++i) {
    repo.write("f" + std::to_string(i) + ".py", "v = " + std::to_string(i) + "\n");
    shas.push_back(repo.commit("commit " + std::to_string(i), i));
  }
  for (const int damaged : {1, 4}) {
    const auto file = "f" + std::to_string(damaged + 1) + ".py";
    std::filesystem::remove(loose_object(repo, trimmed(repo.git({"rev-parse", shas[damaged] + ":" + file}))));
  }
  const auto path = repo.path().string();
  const std::string expected = "2 commit(s) could not be read, first " + shas[1] + ": ";
  const auto error_of = [](const std::string& db) { return single(db, "SELECT error FROM repositories"); };

  const auto reference = (tmp / "reference.db").string();
  const auto uninterrupted = hybridminer({"mine", "--db", reference, "--commits-per-transaction", "1", path});
  CHECK(uninterrupted.exit_code == 1);
  REQUIRE(error_of(reference).starts_with(expected));
  // A later run with nothing new still reports the damage stored: the history in the database is incomplete.
  const auto again = hybridminer({"mine", "--db", reference, path});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("error: " + path + ": " + expected) != std::string::npos);
  CHECK(error_of(reference).starts_with(expected));

  for (int kill_after = 1; kill_after <= 6; ++kill_after) {
    DYNAMIC_SECTION("killed after inserting commit " << kill_after) {
      const auto db = (tmp / ("killed-" + std::to_string(kill_after) + ".db")).string();
      const auto killed = hybridminer({"mine", "--db", db, "--commits-per-transaction", "1", path},
                                      {{"HYBRIDMINER_FAULT_KILL_AFTER_COMMITS", std::to_string(kill_after)}});
      REQUIRE(killed.signal == 9);
      const auto resumed = hybridminer({"mine", "--db", db, "--commits-per-transaction", "1", path});
      CHECK(resumed.exit_code == 1);
      CHECK(error_of(db) == error_of(reference));
      CHECK(rows(db, "SELECT sha FROM commits WHERE error IS NOT NULL ORDER BY id") ==
            std::vector<std::string>{shas[1], shas[4]});
    }
  }
}

TEST_CASE("an empty repository is mined as zero commits", "[e2e][errors]") {
  TempDir tmp;
  GitRepo empty(tmp / "empty");
  const auto db = (tmp / "out.db").string();
  const auto result = hybridminer({"mine", "--db", db, empty.path().string()});
  CHECK(result.exit_code == 0);
  CHECK(single(db, "SELECT default_branch IS NULL, head_sha IS NULL, error IS NULL, mined_at IS NOT NULL "
                   "FROM repositories") == "1|1|1|1");
}

TEST_CASE("usage errors exit with 2, help with 0", "[e2e][cli]") {
  TempDir tmp;
  const auto db = (tmp / "out.db").string();
  CHECK(hybridminer({"mine", "--db", db}).exit_code == 2);
  CHECK(hybridminer({}).exit_code == 2);
  CHECK(hybridminer({"frobnicate"}).exit_code == 2);
  CHECK(hybridminer({"mine", "--no-such-flag", "x"}).exit_code == 2);
  const auto bad_date = hybridminer({"mine", "--db", db, "--since", "last tuesday", "."});
  CHECK(bad_date.exit_code == 2);
  CHECK(bad_date.err == "hybridminer: invalid date 'last tuesday': use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]\n");
  CHECK_FALSE(std::filesystem::exists(db));  // usage errors touch nothing
  const auto missing_corpus = hybridminer({"mine", "--db", db, "@" + (tmp / "nope.txt").string()});
  CHECK(missing_corpus.exit_code == 2);
  CHECK(missing_corpus.err.find("cannot read corpus file") != std::string::npos);
  for (const auto* command : {"mine", "query", "report"}) {
    const auto help = hybridminer({command, "--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--db") != std::string::npos);
  }
  CHECK(hybridminer({"--version"}).out.find("hybridminer ") == 0);
}

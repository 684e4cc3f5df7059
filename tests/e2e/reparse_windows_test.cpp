// Incremental reparsing over several analysis windows (CommitAnalyzer::kWindow commits each), with chains of
// versions long enough to be cut for the parser threads under --jobs 2 (the version after a cut is parsed from
// scratch), and over many slices of a window, where a file's parse is carried from one slice to the next.
// Wherever chains start or are cut, the database must be the one a mine that parses every blob from scratch
// stores.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/db_rows.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using hm::test::hybridminer;
using hm::test::run_process;
using hm::test::TempDir;

namespace {

// Past windows of 512 commits, the first four shorter (HYBRIDMINER_WINDOW_COMMITS: the default window is twice as
// long).
constexpr int kCommits = 1060;
const std::map<std::string, std::string> kWindows{{"HYBRIDMINER_WINDOW_COMMITS", "512"}};

// A module with `methods` test methods, some hybridized: every version has sites, so every version is parsed and
// gets the findings and advice analysis.
std::string module_text(int methods, int seed) {
  std::ostringstream text;
  text << "import tensorflow as tf\n\n\nclass ModelTest:\n";
  for (int m = 0; m < methods; ++m) {
    if (m % 3 == 0) text << "    @tf.function\n";
    text << "    def test_" << m << "(self, x):\n";
    text << "        y = tf.constant([[" << m << ", " << (m * seed) % 97 << "]])\n";
    if ((m + seed) % 5 == 0) text << "        print(y)\n";
    text << "        return x + y\n\n";
  }
  return text.str();
}

// A fast-import stream of `commits` commits on main: each rewrites one of three modules (methods inserted and
// deleted, literals edited) and, now and then, a file without sites.
std::string history(int commits) {
  std::ostringstream stream;
  for (int c = 1; c <= commits; ++c) {
    const int file = c % 3;
    const int methods = 60 + (c * 7) % 13;  // grows and shrinks: methods inserted and deleted whole
    const std::string content = module_text(methods, c);
    stream << "commit refs/heads/main\n";
    stream << "committer Ada <ada@example.com> " << 1609459200 + c * 3600 << " +0000\n";
    const std::string message = "change " + std::to_string(c) + "\n";
    stream << "data " << message.size() << "\n" << message;
    stream << "M 100644 inline pkg/module_" << file << ".py\n";
    stream << "data " << content.size() << "\n" << content << "\n";
    if (c % 10 == 0) {
      const std::string plain = "VALUE = " + std::to_string(c) + "\n";
      stream << "M 100644 inline pkg/plain.py\ndata " << plain.size() << "\n" << plain << "\n";
    }
  }
  return stream.str();
}

// A mine's settings: --jobs and the environment.
struct Run {
  std::string jobs;
  std::map<std::string, std::string> env;
};

// Mines `repo` once with every parse from scratch, then once per run, and checks each run's database equals the
// scratch one and that every blob was analysed once.
void check_against_scratch(const TempDir& tmp, const std::filesystem::path& repo, const std::vector<Run>& runs) {
  const auto incremental = tmp / "incremental.db";
  const auto scratch = tmp / "scratch.db";
  // Two jobs: parsing from scratch does not depend on how versions are shared out (and the --jobs 1 runs are
  // compared with it too), and the case stays in its time budget under the sanitizers.
  REQUIRE(hybridminer({"mine", "-q", "--jobs", "2", "--db", scratch.string(), repo.string()},
                      {{"HYBRIDMINER_FULL_REPARSE", "1"}})
              .exit_code == 0);
  for (const auto& run : runs) {
    INFO("--jobs " << run.jobs << ", " << run.env.size() << " variables");
    std::filesystem::remove(incremental);
    REQUIRE(hybridminer({"mine", "-q", "--jobs", run.jobs, "--db", incremental.string(), repo.string()}, run.env)
                .exit_code == 0);
    CHECK(hm::test::single(incremental.string(), "SELECT count(*) FROM commits") == std::to_string(kCommits));
    CHECK(std::stoi(hm::test::single(incremental.string(), "SELECT count(*) FROM blob_sites")) > 1000);
    CHECK(std::stoi(hm::test::single(incremental.string(), "SELECT count(*) FROM blob_function_advice")) > 1000);
    CHECK(hm::test::canonical_rows(incremental) == hm::test::canonical_rows(scratch));
    // Every blob analysed once: none found stored already (a blob analysed again is found stored by the writer).
    CHECK(hm::test::single(incremental.string(), "SELECT blobs_cached FROM runs") == "0");
    CHECK(hm::test::single(incremental.string(), "SELECT blobs_parsed + blobs_skipped FROM runs") ==
          hm::test::single(incremental.string(), "SELECT count(*) FROM blob_analyses"));
  }
}

// kWindows with `name` set to `value`.
std::map<std::string, std::string> windows_and(const std::string& name, const std::string& value) {
  auto env = kWindows;
  env[name] = value;
  return env;
}

// A repository of kCommits commits in `tmp`.
std::filesystem::path make_repository(const TempDir& tmp) {
  const auto repo = tmp / "repo";
  REQUIRE(run_process({"git", "init", "-q", "-b", "main", repo.string()}).exit_code == 0);
  const auto stream_file = tmp / "history.fi";
  {
    std::ofstream out(stream_file, std::ios::binary);
    out << history(kCommits);
  }
  const auto imported =
      run_process({"sh", "-c", "git fast-import --quiet < '" + stream_file.string() + "'"}, {}, repo.string());
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  return repo;
}

}  // namespace

// Three cases of two or three mines each (about 50 s a mine under the sanitizers): CTest gives each case its own
// budget, and the five runs in one case had run past it.
TEST_CASE("chains over several windows, cut for two parser threads or carried over many slices, store what parsing "
          "from scratch stores",
          "[e2e][mine][reparse]") {
  TempDir tmp;
  // Slices of 64 KB: each window's blobs are read in many slices, and a file's first version in a slice is
  // reparsed from its last parse in the slice before.
  check_against_scratch(tmp, make_repository(tmp),
                        {Run{"2", kWindows}, Run{"2", windows_and("HYBRIDMINER_SLICE_BYTES", "65536")}});
}

// With the facts of only a few blobs remembered between windows: a window's old versions must still be known (the
// window before analysed them), not read and analysed again.
TEST_CASE("chains over several windows, with few blobs remembered, store what parsing from scratch stores",
          "[e2e][mine][reparse]") {
  TempDir tmp;
  const auto few_remembered = windows_and("HYBRIDMINER_RECENT_BLOBS", "8");
  check_against_scratch(tmp, make_repository(tmp), {Run{"2", few_remembered}, Run{"1", few_remembered}});
}

// One job: chains are never cut.
TEST_CASE("uncut chains over several windows store what parsing from scratch stores", "[e2e][mine][reparse]") {
  TempDir tmp;
  check_against_scratch(tmp, make_repository(tmp), {Run{"1", kWindows}});
}

// Windows cut by the Python bytes they give to parse (64 KB: eight commits or so, where the commit bound is 512),
// and remembered facts bounded in bytes (1 byte: forgotten at every window but for what the window refers to).
TEST_CASE("chains over windows cut by bytes, or with little remembered in bytes, store what parsing from scratch "
          "stores",
          "[e2e][mine][reparse]") {
  TempDir tmp;
  check_against_scratch(tmp, make_repository(tmp),
                        {Run{"2", windows_and("HYBRIDMINER_WINDOW_BYTES", "65536")},
                         Run{"1", windows_and("HYBRIDMINER_RECENT_BYTES", "1")}});
}

// A file's first version in a window is reparsed from its last parse in the window before (kept across windows),
// so one job parses only each module's first version from scratch: 3 over the five windows (64, 128, 256, 512 and
// 100 commits: a walk's first windows are shorter), where keeping no parse (HYBRIDMINER_LAST_PARSES_BYTES of 1)
// parses each module's first version in every window from scratch: 15.
// `mine -v` reports how many it parsed from scratch.
TEST_CASE("a file's last parse in a window is what its next version in the next window is reparsed from",
          "[e2e][mine][reparse]") {
  TempDir tmp;
  const auto repo = make_repository(tmp);
  const auto from_scratch = [&](const std::map<std::string, std::string>& env) {
    const auto db = tmp / "verbose.db";
    std::filesystem::remove(db);
    const auto run = hybridminer({"mine", "-v", "--jobs", "1", "--db", db.string(), repo.string()}, env);
    REQUIRE(run.exit_code == 0);
    const auto blobs = hm::test::single(db.string(), "SELECT blobs_parsed FROM runs");
    INFO(run.err);
    const auto at = run.err.find(" blobs parsed (");
    REQUIRE(at != std::string::npos);
    CHECK(run.err.substr(at - blobs.size() - 1, blobs.size() + 1) == " " + blobs);
    return std::stoi(run.err.substr(at + std::string(" blobs parsed (").size()));
  };
  CHECK(from_scratch(kWindows) == 3);
  CHECK(from_scratch(windows_and("HYBRIDMINER_LAST_PARSES_BYTES", "1")) == 15);
}

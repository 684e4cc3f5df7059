// mine --jobs: sources walked in parallel while one thread writes give the database of a sequential run, row for
// row and id for id; a failing source fails alone; the verbose log stays one source at a time, in corpus order.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "support/db_rows.hpp"
#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using hm::test::canonical_rows;
using hm::test::GitRepo;
using hm::test::hybridminer;
using hm::test::rows;
using hm::test::single;
using hm::test::TempDir;

namespace {

// The demo corpus, a missing folder in the middle, then small repositories sharing a file (the blob cache is
// shared across sources, so the order in which they are analysed shows in blob_analyses).
std::filesystem::path make_corpus(const TempDir& tmp) {
  hm::test::make_demo_corpus(tmp / "demo");
  const auto corpus = tmp / "demo" / "corpus.txt";
  std::ofstream list(corpus, std::ios::app);
  list << (tmp / "missing").string() << "\n";
  for (int r = 0; r < 3; ++r) {
    GitRepo repo(tmp / ("extra" + std::to_string(r)));
    repo.write("shared.py", "import torch\n\n@torch.jit.script\ndef f(x):\n    return x\n");
    repo.commit("shared", 0);
    for (int c = 1; c <= 3; ++c) {
      repo.write("own.py", "import jax\nstep = jax.jit(step, static_argnums=(" + std::to_string(c) + ",))\n");
      repo.commit("step " + std::to_string(c), c);
    }
    list << repo.path().string() << "\n";
  }
  return corpus;
}

// Ids included: the writer stores sources in corpus order whatever the number of workers.
const std::string kCommitIds = "SELECT c.id, r.url, c.sha FROM commits c JOIN repositories r ON r.id = c.repository_id ORDER BY c.id";
const std::string kChangeIds = "SELECT id, commit_id, file_change_id, function, api, kind FROM hybridization_changes ORDER BY id";

}  // namespace

TEST_CASE("mine --jobs 2 and --jobs 3 store the rows of --jobs 1, ids included", "[e2e][jobs]") {
  TempDir tmp;
  const auto corpus = "@" + make_corpus(tmp).string();
  const auto sequential = (tmp / "jobs1.db").string();
  const auto one = hybridminer({"mine", "-v", "--jobs", "1", "--db", sequential, corpus});
  CHECK(one.exit_code == 1);  // the missing folder
  REQUIRE(std::stoi(single(sequential, "SELECT count(*) FROM hybridization_changes")) > 0);
  CHECK(single(sequential, "SELECT count(*) FROM repositories WHERE error IS NOT NULL") == "1");

  for (const std::string jobs : {"2", "3"}) {
    DYNAMIC_SECTION("--jobs " << jobs) {
      const auto db = (tmp / ("jobs" + jobs + ".db")).string();
      const auto parallel = hybridminer({"mine", "-v", "--jobs", jobs, "--db", db, corpus});
      CHECK(parallel.exit_code == 1);
      CHECK(canonical_rows(db) == canonical_rows(sequential));
      CHECK(rows(db, kCommitIds) == rows(sequential, kCommitIds));
      CHECK(rows(db, kChangeIds) == rows(sequential, kChangeIds));
      // The same log, line for line, but for the timing in the summary.
      auto without_summary = [](const std::string& err) { return err.substr(0, err.rfind("mined ")); };
      CHECK(without_summary(parallel.err) == without_summary(one.err));
      CHECK(single(db, "SELECT json_extract(options, '$.jobs') FROM runs") == jobs);
      // A re-mine finds nothing new, in parallel too.
      const auto again = hybridminer({"mine", "--jobs", jobs, "--db", db, corpus});
      CHECK(again.exit_code == 1);
      CHECK(canonical_rows(db) == canonical_rows(sequential));
    }
  }
}

TEST_CASE("mine --jobs: 0 is a usage error", "[e2e][jobs]") {
  TempDir tmp;
  const auto result = hybridminer({"mine", "--jobs", "0", "--db", (tmp / "x.db").string(), tmp.path().string()});
  CHECK(result.exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(tmp / "x.db"));
}

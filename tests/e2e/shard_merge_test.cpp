// Clusters end to end: the corpus mined as shards by GNU parallel and merged equals a single-process run; merging
// is idempotent, reports conflicts, and lets a later mine of a repository replace an older one.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

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

namespace {

// The demo corpus plus a few small repositories, some sharing a file (so shards analyse the same blob twice).
std::filesystem::path make_corpus(const TempDir& tmp) {
  hm::test::make_demo_corpus(tmp / "demo");
  const auto corpus = tmp / "demo" / "corpus.txt";
  std::ofstream list(corpus, std::ios::app);
  for (int r = 0; r < 4; ++r) {
    GitRepo repo(tmp / ("extra" + std::to_string(r)));
    repo.write("shared.py", "import jax\n\n@jax.jit\ndef f(x):\n    return x\n");
    repo.commit("shared", 0);
    repo.write("own.py", "import tensorflow as tf\nstep = tf.function(step, reduce_retracing=" +
                             std::string(r % 2 ? "True" : "False") + ")\n");
    repo.commit("Fix retracing #" + std::to_string(r + 1), r + 1);
    list << repo.path().string() << "\n";
  }
  return corpus;
}

}  // namespace

TEST_CASE("shards mined with GNU parallel and merged equal a single-process run", "[e2e][shard][merge]") {
  TempDir tmp;
  const auto corpus = "@" + make_corpus(tmp).string();
  const auto single_run = (tmp / "single.db").string();
  REQUIRE(hybridminer({"mine", "--db", single_run, corpus}).exit_code == 0);
  const auto expected = canonical_rows(single_run);
  REQUIRE(single(single_run, "SELECT count(*) FROM repositories") == "7");

  const auto shards = hm::test::run_process({"parallel", "--will-cite", "--halt", "now,fail=1", HM_BINARY, "mine",
                                             "-q", "--db", (tmp / "shard-{}.db").string(), "--shard", "{}/3", corpus,
                                             ":::", "1", "2", "3"});
  INFO(shards.err);
  REQUIRE(shards.exit_code == 0);
  std::vector<std::string> inputs;
  int repositories = 0;
  for (int k = 1; k <= 3; ++k) {
    inputs.push_back((tmp / ("shard-" + std::to_string(k) + ".db")).string());
    repositories += std::stoi(single(inputs.back(), "SELECT count(*) FROM repositories"));
  }
  CHECK(repositories == 7);  // each repository in exactly one shard

  const auto merged = (tmp / "merged.db").string();
  std::vector<std::string> merge{"merge", merged};
  merge.insert(merge.end(), inputs.begin(), inputs.end());
  const auto first = hybridminer(merge);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(canonical_rows(merged) == expected);
  // The blob facts include advice (the demo files import TensorFlow, PyTorch or JAX), merged with their blobs.
  CHECK(std::stoi(single(merged, "SELECT count(*) FROM blob_function_advice")) > 0);
  CHECK(single(merged, "SELECT count(*) FROM blob_function_advice") ==
        single(single_run, "SELECT count(*) FROM blob_function_advice"));
  CHECK(single(merged, "PRAGMA integrity_check") == "ok");
  CHECK(single(merged, "PRAGMA foreign_key_check") == "<no row>");
  // The shards' runs are kept as provenance, plus the merge's own.
  CHECK(rows(merged, "SELECT command, count(*) FROM runs GROUP BY command ORDER BY command") ==
        std::vector<std::string>{"merge|1", "mine|3"});

  // Idempotent: merging again (in another order) adds nothing but its own run.
  std::vector<std::string> again{"merge", merged, inputs[2], inputs[0], inputs[1]};
  const auto second = hybridminer(again);
  REQUIRE(second.exit_code == 0);
  CHECK(second.err.find(": 0 new commits, 0 file changes, 0 hybridization changes, 0 blob analyses, 0 conflicts") !=
        std::string::npos);
  CHECK(canonical_rows(merged) == expected);
  CHECK(single(merged, "SELECT count(*) FROM runs") == "5");

  // The merged database is a normal one: mining into it finds nothing new.
  const auto remine = hybridminer({"mine", "--db", merged, corpus});
  REQUIRE(remine.exit_code == 0);
  CHECK(remine.err.find("0 new commits") != std::string::npos);
  CHECK(canonical_rows(merged) == expected);
}

TEST_CASE("merge reports conflicts and bad inputs, keeps the output's rows, and a later mine wins", "[e2e][merge]") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("a.py", "import torch\nmodel = torch.compile(model)\n");
  const auto first_commit = repo.commit("one", 0);
  const auto old_db = (tmp / "old.db").string();
  REQUIRE(hybridminer({"mine", "--db", old_db, repo.path().string()}).exit_code == 0);
  repo.write("a.py", "import torch\nmodel = torch.compile(model, mode='max-autotune')\n");
  const auto tip = repo.commit("two", 1);
  // mined_at has one-second resolution, and two different mines of one repository within the same second are a
  // conflict: make this one later.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const auto new_db = (tmp / "new.db").string();
  REQUIRE(hybridminer({"mine", "--db", new_db, repo.path().string()}).exit_code == 0);

  // Older first, then newer: the newer mine's repository row and tips win, commits are the union.
  const auto out = (tmp / "out.db").string();
  const auto merged = hybridminer({"merge", out, old_db, new_db});
  INFO(merged.err);
  REQUIRE(merged.exit_code == 0);
  CHECK(canonical_rows(out) == canonical_rows(new_db));
  CHECK(single(out, "SELECT head_sha FROM repositories") == tip);
  // Newer first, then older: the older one changes nothing.
  const auto out2 = (tmp / "out2.db").string();
  REQUIRE(hybridminer({"merge", out2, new_db, old_db}).exit_code == 0);
  CHECK(canonical_rows(out2) == canonical_rows(new_db));

  // A tampered copy of a commit is a conflict: reported, the output's row kept, exit code 1.
  const auto tampered = (tmp / "tampered.db").string();
  std::filesystem::copy_file(old_db, tampered);
  {
    auto db = hm::store::Database::open(tampered);
    db.exec("UPDATE commits SET message = 'rewritten' WHERE sha = '" + first_commit + "'");
  }
  const auto missing = (tmp / "missing.db").string();
  const auto conflicted = hybridminer({"merge", out, tampered, missing, out});
  CHECK(conflicted.exit_code == 1);
  CHECK(conflicted.err.find("conflict: " + tampered + ": commit " + first_commit + " of " + repo.path().string() +
                            " differs (kept " + out + "'s)\n") != std::string::npos);
  CHECK(conflicted.err.find("error: " + missing + ": database " + missing + " does not exist") != std::string::npos);
  CHECK(conflicted.err.find("error: " + out + ": cannot merge " + out + " into itself\n") != std::string::npos);
  CHECK(single(out, "SELECT message FROM commits WHERE sha = '" + first_commit + "'") == "one\n");
  CHECK(canonical_rows(out) == canonical_rows(new_db));

  CHECK(hybridminer({"mine", "--db", out, "--shard", "4/3", repo.path().string()}).exit_code == 2);
  CHECK(hybridminer({"merge", out}).exit_code == 2);
}

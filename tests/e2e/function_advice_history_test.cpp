// Per-function refactoring advice: blob_function_advice rows of a scripted history (blobs with sites get advice
// with their facts, in every version; eager files importing TensorFlow get it when they are at a mined tip,
// although the hybridization prefilter skips them; files importing no DL framework get none), the advice at the
// tip, the refactoring_opportunities view and its query.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "support/db_rows.hpp"
#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using hm::test::GitRepo;
using hm::test::hybridminer;
using hm::test::rows;
using hm::test::TempDir;

namespace {

std::string scale_module(const std::string& body_prefix) {
  return "import tensorflow as tf\n\n\ndef scale(x):\n" + body_prefix +
         "    return tf.reduce_sum(x) * 2\n\n\nscale(tf.constant([1.0]))\n";
}

const std::string kStepModule =
    "import tensorflow as tf\n\n\n@tf.function\ndef step(n):\n    return n + 1\n\n\nstep(3)\n";

}  // namespace

TEST_CASE("function advice is stored per blob for files with sites, and for framework files at the tip", "[e2e][advice]") {
  TempDir tmp;
  GitRepo repo(tmp / "advice");
  repo.write("model.py", scale_module(""));
  repo.write("plain.py", "def helper(x):\n    return x + 1\n\n\nhelper(1)\n");  // no framework: no advice
  const auto first = repo.commit("add model", 0);
  repo.write("model.py", scale_module("    print(x)\n"));
  repo.write("steps.py", kStepModule);
  const auto second = repo.commit("log the input, add a step", 1);

  const auto db = (tmp / "out.db").string();
  const auto mined = hybridminer({"mine", "-v", "--db", db, repo.path().string()});
  INFO(mined.err);
  REQUIRE(mined.exit_code == 0);
  // The walk's analysis knew every file of the tip: it advised those without sites (model.py, plain.py) while the
  // writer stored the commits; steps.py was advised with its sites.
  CHECK_THAT(mined.err, Catch::Contains("advised 2 files at the tip (2 worked out while the last commits were stored)"));

  // model.py at the tip only (skipped by the site prefilter, advised all the same); its first version was never at
  // a mined tip. steps.py has a site: advised with its facts.
  CHECK(rows(db,
             "SELECT fc.new_path, c.sha, b.status, a.function, coalesce(a.cell, 'NULL'), a.line, a.is_hybrid, "
             "coalesce(a.api, 'NULL'), coalesce(a.has_tensor_parameter, 'NULL'), "
             "coalesce(a.has_primitive_parameter, 'NULL'), coalesce(a.has_python_side_effects, 'NULL'), "
             "coalesce(a.is_recursive, 'NULL'), a.refactoring, coalesce(a.transformation, 'NULL'), "
             "coalesce(a.passing_precondition, 'NULL'), a.failures "
             "FROM blob_function_advice a JOIN blob_analyses b ON b.blob = a.blob "
             "JOIN file_changes fc ON fc.new_blob = a.blob JOIN commits c ON c.id = fc.commit_id "
             "ORDER BY c.committer_time, fc.new_path") ==
        std::vector<std::string>{
            "model.py|" + second + "|skipped|scale|NULL|4|0|NULL|1|0|1|0|CONVERT_EAGER_FUNCTION_TO_HYBRID|NULL|NULL|"
                "[\"HAS_PYTHON_SIDE_EFFECTS\"]",
            "steps.py|" + second + "|parsed|step|NULL|5|1|tf.function|0|1|0|0|OPTIMIZE_HYBRID_FUNCTION|"
                "CONVERT_TO_EAGER|P2|[]"});

  CHECK(rows(db, "SELECT repository, path, function, line, refactoring, coalesce(passing_precondition, 'NULL'), "
                 "failures FROM function_advice_at_head ORDER BY path") ==
        std::vector<std::string>{
            "advice|model.py|scale|4|CONVERT_EAGER_FUNCTION_TO_HYBRID|NULL|[\"HAS_PYTHON_SIDE_EFFECTS\"]",
            "advice|steps.py|step|5|OPTIMIZE_HYBRID_FUNCTION|P2|[]"});
  CHECK(rows(db, "SELECT repository, refactoring, passes, reason, functions FROM refactoring_opportunities "
                 "ORDER BY refactoring, reason") ==
        std::vector<std::string>{"advice|CONVERT_EAGER_FUNCTION_TO_HYBRID|0|HAS_PYTHON_SIDE_EFFECTS|1",
                                 "advice|OPTIMIZE_HYBRID_FUNCTION|1|P2|1"});

  const auto query = hybridminer({"query", "--db", db, "--format", "csv", "refactoring_opportunities"});
  INFO(query.err);
  REQUIRE(query.exit_code == 0);
  CHECK(query.out ==
        "refactoring,outcome,reason,repositories,functions,percent_of_candidates\r\n"
        "CONVERT_EAGER_FUNCTION_TO_HYBRID,fails,HAS_PYTHON_SIDE_EFFECTS,1,1,100\r\n"
        "OPTIMIZE_HYBRID_FUNCTION,passes,P2,1,1,100\r\n");

  // Advised blobs: the tip's three files (plain.py with no rows: no framework import), not model.py's first version.
  CHECK(rows(db, "SELECT count(*), sum(blob IN (SELECT new_blob FROM file_changes fc JOIN commits c ON "
                 "c.id = fc.commit_id WHERE c.sha = '" + first + "' AND fc.new_path = 'model.py')) FROM advised_blobs") ==
        std::vector<std::string>{"3|0"});

  SECTION("a later mine advises the new tip's files and keeps what earlier tips were given") {
    repo.write("model.py", scale_module(""));  // back to the first version's bytes: that blob is now at the tip
    repo.commit("stop logging", 2);
    const auto later = hybridminer({"mine", "-v", "--db", db, repo.path().string()});
    INFO(later.err);
    REQUIRE(later.exit_code == 0);
    CHECK_THAT(later.err, Catch::Contains("advised 1 file at the tip (1 worked out while the last commits were stored)"));
    CHECK(rows(db, "SELECT path, function, coalesce(passing_precondition, 'NULL'), failures "
                   "FROM function_advice_at_head ORDER BY path") ==
          std::vector<std::string>{"model.py|scale|P1|[]", "steps.py|step|P2|[]"});
    CHECK(rows(db, "SELECT count(*) FROM blob_function_advice") == std::vector<std::string>{"3"});
    CHECK(rows(db, "SELECT count(*) FROM advised_blobs") == std::vector<std::string>{"4"});
  }

  SECTION("files at the tip the walk's analysis did not see are advised by the writer, with the same rows") {
    // Up to the first commit's day: model.py's second version and steps.py were not analysed before the tip's
    // advice; plain.py, unchanged since, was.
    const auto until_db = (tmp / "until.db").string();
    const auto until = hybridminer({"mine", "-v", "--db", until_db, "--until", "2021-01-01", repo.path().string()});
    INFO(until.err);
    REQUIRE(until.exit_code == 0);
    CHECK_THAT(until.err, Catch::Contains("advised 3 files at the tip (1 worked out while the last commits were stored)"));
    const std::string advice = "SELECT blob, ordinal, verdict, coalesce(cell, 'NULL'), line FROM blob_function_verdicts "
                               "ORDER BY blob, ordinal";
    CHECK(rows(until_db, advice) == rows(db, advice));
    CHECK(rows(until_db, "SELECT blob FROM advised_blobs ORDER BY blob") ==
          rows(db, "SELECT blob FROM advised_blobs ORDER BY blob"));
  }
}

TEST_CASE("the tip's files are advised in parallel; a blob at two paths has one set of rows", "[e2e][advice]") {
  TempDir tmp;
  GitRepo repo(tmp / "tip");
  // Eager framework files (advised only at the tip), one of them at two paths: the same blob, one set of rows.
  for (int i = 0; i < 6; ++i) {
    repo.write("pkg/m" + std::to_string(i) + ".py", "import tensorflow as tf\n\n\ndef f" + std::to_string(i) +
                                                         "(x):\n    return tf.reduce_sum(x) * " + std::to_string(i) +
                                                         "\n\n\nf" + std::to_string(i) + "(tf.constant([1.0]))\n");
  }
  repo.write("z/m0.py", "import tensorflow as tf\n\n\ndef f0(x):\n    return tf.reduce_sum(x) * 0\n\n\n"
                           "f0(tf.constant([1.0]))\n");
  repo.commit("add modules", 0);

  const auto db = (tmp / "out.db").string();
  for (const auto* jobs : {"1", "2"}) {
    std::filesystem::remove(db);
    const auto mined = hybridminer({"mine", "--jobs", jobs, "--db", db, repo.path().string()});
    INFO(mined.err);
    REQUIRE(mined.exit_code == 0);
    CHECK(rows(db, "SELECT a.function, a.line, a.refactoring, coalesce(a.passing_precondition, 'NULL') "
                   "FROM blob_function_advice a ORDER BY a.function") ==
          std::vector<std::string>{"f0|4|CONVERT_EAGER_FUNCTION_TO_HYBRID|P1", "f1|4|CONVERT_EAGER_FUNCTION_TO_HYBRID|P1", "f2|4|CONVERT_EAGER_FUNCTION_TO_HYBRID|P1",
                                   "f3|4|CONVERT_EAGER_FUNCTION_TO_HYBRID|P1", "f4|4|CONVERT_EAGER_FUNCTION_TO_HYBRID|P1",
                                   "f5|4|CONVERT_EAGER_FUNCTION_TO_HYBRID|P1"});
    CHECK(rows(db, "SELECT count(*) FROM advised_blobs") == std::vector<std::string>{"6"});
    CHECK(rows(db, "SELECT count(*) FROM function_advice_at_head") == std::vector<std::string>{"7"});
  }
}

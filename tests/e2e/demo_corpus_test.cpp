// The bundled demo corpus, mined and queried the way the README's demo command does.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "store/sqlite.hpp"
#include "support/db_rows.hpp"
#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using hm::test::hybridminer;
using hm::test::rows;
using hm::test::single;
using hm::test::TempDir;

TEST_CASE("the demo corpus mines into the expected repositories, commits and renames", "[e2e][demo]") {
  TempDir tmp;
  hm::test::make_demo_corpus(tmp / "demo");
  const auto db = (tmp / "hybridminer.db").string();
  const auto result = hybridminer({"mine", "--db", db, "@" + (tmp / "demo" / "corpus.txt").string()});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);

  CHECK(rows(db, "SELECT repository, default_branch, commits, merge_commits, error IS NULL FROM repository_summary "
                 "ORDER BY repository") == std::vector<std::string>{"jax-demo|refs/heads/trunk|4|0|1",
                                                             "tf-demo|refs/heads/main|15|1|1",
                                                             "torch-demo|refs/heads/master|7|0|1"});
  CHECK(rows(db, "SELECT old_path || ' -> ' || new_path || ' ' || similarity FROM file_changes_detail "
                 "WHERE status = 'renamed' ORDER BY new_path") ==
        std::vector<std::string>{"loops.py -> custom_loop.py 100", "utils/data.py -> utils/dataset.py 95"});
  CHECK(single(db, "SELECT count(*) FROM file_changes WHERE language = 'jupyter'") == "1");
  CHECK(single(db, "SELECT count(*) FROM file_changes WHERE is_binary = 1") == "2");

  SECTION("hybridization changes: exactly the scripted ones") {
    const std::vector<std::string> expected{
        "jax-demo|7a18e6b|added|jax.jit|update|model.py|[]|[]|[]|0",
        "jax-demo|13a8a9a|added|jax.jit|polynomial_features|model.py|[\"static_argnums\"]|[]|[]|0",
        "tf-demo|c65c67b|added|tf.function|train_step|model.py|[]|[]|[]|0",
        // "fixed input signature": the keyword rules count it, as the original study's rules would.
        "tf-demo|697690c|added|tf.function|Classifier.predict|model.py|[\"input_signature\"]|[]|[]|1",
        "tf-demo|3e5ef16|added|tf.function|test_step|model.py|[\"experimental_relax_shapes\"]|[]|[]|0",
        "tf-demo|3e5ef16|added|tf.function|augment|utils/data.py|[]|[]|[]|0",
        "tf-demo|624bc44|removed|tf.function|augment|utils/data.py|[]|[]|[]|1",
        "tf-demo|6768b1c|args_changed|tf.function|train_step|model.py|[\"jit_compile\"]|[]|[]|0",
        "tf-demo|48dd7e9|added|tf.function|train_step|loops.py|[]|[]|[]|0",
        // The merge, against its first parent, brings the branch's hybrid train_step into main.
        "tf-demo|51c368d|added|tf.function|train_step|loops.py|[]|[]|[]|0",
        "tf-demo|b27ea44|args_changed|tf.function|test_step|model.py|[\"reduce_retracing\"]|[\"experimental_relax_shapes\"]|[]|0",
        "torch-demo|2e1eaa4|added|torch.jit.script|fused_gelu|net.py|[]|[]|[]|0",
        "torch-demo|20050c4|added|torch.jit.trace|model|export.py|[]|[]|[]|0",
        "torch-demo|a64176f|added|torch.jit.script|model|explore.ipynb|[]|[]|[]|0",
        "torch-demo|cf508d2|added|torch.compile|model|train.py|[\"mode\"]|[]|[]|0",
        "torch-demo|7d87669|args_changed|torch.compile|model|train.py|[]|[]|[\"mode\"]|0",
        "torch-demo|11bdfcd|removed|torch.compile|model|train.py|[]|[\"mode\"]|[]|1",
    };
    CHECK(rows(db, "SELECT repository, substr(sha, 1, 7), kind, api, function, coalesce(path, old_path), "
                   "args_added, args_removed, args_modified, is_bug_fix FROM hybridization_changes_detail "
                   "ORDER BY repository, committed_at, change_id") == expected);
    // Renames (utils/data.py -> utils/dataset.py, loops.py -> custom_loop.py) carry no hybridization change.
    CHECK(single(db, "SELECT count(*) FROM hybridization_changes h JOIN file_changes f ON f.id = h.file_change_id "
                     "WHERE f.status = 'renamed'") == "0");
    CHECK(single(db, "SELECT count(*) FROM commits WHERE detector_version IS NULL") == "0");
    CHECK(rows(db, "SELECT number, kind, text FROM commit_issue_references") == std::vector<std::string>{"12|mention|#12"});
    // The notebook's site is located by cell and line.
    CHECK(single(db, "SELECT api || ' ' || form || ' ' || function || ' cell ' || cell || ' line ' || line FROM blob_sites "
                     "WHERE blob = (SELECT new_blob FROM file_changes WHERE new_path = 'explore.ipynb')") ==
          "torch.jit.script call model cell 0 line 5");
    // The Python 2 file holds no API name, so the prefilter rules it out without parsing (and without error).
    CHECK(single(db, "SELECT status, is_python2 FROM blob_analyses WHERE blob = (SELECT new_blob FROM file_changes "
                     "WHERE new_path = 'legacy/convert.py')") == "skipped|NULL");
    CHECK(rows(db, "SELECT repository, api, kind, changes FROM hybridization_counts WHERE repository = 'torch-demo' "
                   "ORDER BY api, kind") ==
          std::vector<std::string>{"torch-demo|torch.compile|added|1", "torch-demo|torch.compile|args_changed|1",
                                   "torch-demo|torch.compile|removed|1", "torch-demo|torch.jit.script|added|2",
                                   "torch-demo|torch.jit.trace|added|1"});
    CHECK(rows(db, "SELECT repository, substr(sha, 1, 7), kinds FROM bug_fix_hybridization_commits ORDER BY committed_at") ==
          std::vector<std::string>{"tf-demo|697690c|added", "tf-demo|624bc44|removed", "torch-demo|11bdfcd|removed"});

    const auto by_api = hybridminer({"query", "--db", db, "--format", "csv", "hybridization_changes_by_api"});
    REQUIRE(by_api.exit_code == 0);
    CHECK(by_api.out ==
          "family,api,kind,changes,repositories,commits,functions,bug_fix_commits\r\n"
          "jax,jax.jit,added,2,1,2,2,0\r\n"
          "pytorch,torch.compile,added,1,1,1,1,0\r\n"
          "pytorch,torch.compile,removed,1,1,1,1,1\r\n"
          "pytorch,torch.compile,args_changed,1,1,1,1,0\r\n"
          "pytorch,torch.jit.script,added,2,1,2,2,0\r\n"
          "pytorch,torch.jit.trace,added,1,1,1,1,0\r\n"
          "tensorflow,tf.function,added,5,1,4,4,1\r\n"
          "tensorflow,tf.function,removed,1,1,1,1,1\r\n"
          "tensorflow,tf.function,args_changed,2,1,2,2,0\r\n");

    // Mining again analyses nothing new; the blob cache serves a second database's analysis.
    const auto again = hybridminer({"mine", "--db", db, "@" + (tmp / "demo" / "corpus.txt").string()});
    CHECK(again.err.find("0 new commits, 0 file changes, 0 hybridization changes") != std::string::npos);
  }

  SECTION("query: named queries in every format, literal SQL, read-only") {
    const auto csv = hybridminer({"query", "--db", db, "--format", "csv", "corpus_overview"});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("repository,commits,merge_commits,authors,file_changes,python_file_changes,"
                        "python_files_at_head,hybrid_functions_at_head,first_commit,last_commit,status\r\n", 0) == 0);
    CHECK(csv.out.find("tf-demo,15,1,") != std::string::npos);

    const auto json = hybridminer({"query", "--db", db, "--format", "json",
                                   "SELECT name, head_sha IS NOT NULL AS mined FROM repositories ORDER BY name"});
    REQUIRE(json.exit_code == 0);
    const auto parsed = nlohmann::json::parse(json.out);
    CHECK(parsed == nlohmann::json::parse(R"([{"name":"jax-demo","mined":1},{"name":"tf-demo","mined":1},
                                              {"name":"torch-demo","mined":1}])"));

    const auto table = hybridminer({"query", "--db", db, "commits_per_year"});
    REQUIRE(table.exit_code == 0);
    CHECK(table.out.find("(5 rows)") != std::string::npos);

    const auto write = hybridminer({"query", "--db", db, "DELETE FROM commits"});
    CHECK(write.exit_code == 1);
    CHECK(single(db, "SELECT count(*) FROM commits") == "26");
    CHECK(hybridminer({"query", "--db", db, "no_such_query"}).exit_code == 2);
    CHECK(hybridminer({"query", "--db", (tmp / "absent.db").string(), "corpus_overview"}).exit_code == 1);
  }

  SECTION("report prints every named query as a titled table") {
    const auto report = hybridminer({"report", "--db", db});
    REQUIRE(report.exit_code == 0);
    CHECK(report.out.find("## corpus_overview: What does the mined corpus contain, per repository and in total?") !=
          std::string::npos);
    CHECK(report.out.find("## commits_per_year:") != std::string::npos);
  }
}

TEST_CASE("a run killed while analysing resumes to exactly the rows of an uninterrupted run", "[e2e][demo][crash]") {
  TempDir tmp;
  hm::test::make_demo_corpus(tmp / "demo");
  const auto repo = (tmp / "demo" / "tf-demo").string();
  const auto reference = (tmp / "reference.db").string();
  REQUIRE(hybridminer({"mine", "--db", reference, "--commits-per-transaction", "3", repo}).exit_code == 0);
  const char* analysis =
      "SELECT c.sha, c.detector_version, c.is_bug_fix, coalesce(c.bug_fix_rule, ''), h.kind, h.api, h.function, "
      "coalesce(h.path, ''), coalesce(h.old_path, ''), coalesce(h.args_before, ''), coalesce(h.args_after, ''), "
      "h.args_added, h.args_removed, h.args_modified, coalesce(f.new_path, f.old_path) "
      "FROM commits c LEFT JOIN hybridization_changes h ON h.commit_id = c.id "
      "LEFT JOIN file_changes f ON f.id = h.file_change_id ORDER BY c.sha, h.function, h.kind";
  const char* blobs =
      "SELECT a.blob, a.status, a.syntax_errors, (SELECT count(*) FROM blob_sites s WHERE s.blob = a.blob), "
      "(SELECT count(*) FROM blob_functions f WHERE f.blob = a.blob) FROM blob_analyses a ORDER BY a.blob";
  const auto expected = rows(reference, analysis);
  const auto expected_blobs = rows(reference, blobs);
  REQUIRE(single(reference, "SELECT count(*) FROM hybridization_changes") == "9");

  for (const int kill_after : {1, 4, 8, 15}) {
    DYNAMIC_SECTION("killed after analysing commit " << kill_after) {
      const auto db = (tmp / ("killed-" + std::to_string(kill_after) + ".db")).string();
      const auto killed = hybridminer({"mine", "--db", db, "--commits-per-transaction", "3", repo},
                                      {{"HYBRIDMINER_FAULT_KILL_AFTER_ANALYSED", std::to_string(kill_after)}});
      REQUIRE(killed.signal == 9);
      CHECK(single(db, "SELECT count(*) FROM commits WHERE detector_version IS NOT NULL") ==
            std::to_string((kill_after - 1) / 3 * 3));
      const auto resumed = hybridminer({"mine", "--db", db, "--commits-per-transaction", "3", repo});
      REQUIRE(resumed.exit_code == 0);
      CHECK(rows(db, analysis) == expected);
      CHECK(rows(db, blobs) == expected_blobs);
      CHECK(single(db, "PRAGMA integrity_check") == "ok");
      CHECK(single(db, "PRAGMA foreign_key_check") == "<no row>");
    }
  }
}

TEST_CASE("a mine stores each commit together with its analysis, in one transaction", "[e2e][demo][crash]") {
  TempDir tmp;
  hm::test::make_demo_corpus(tmp / "demo");
  const auto repo = (tmp / "demo" / "tf-demo").string();
  const auto reference = (tmp / "reference.db").string();
  REQUIRE(hybridminer({"mine", "--db", reference, repo}).exit_code == 0);
  const auto commits = std::stoi(single(reference, "SELECT count(*) FROM commits"));
  REQUIRE(commits > 10);
  // The analysis of the commits stored, by sha: what the killed run must already have for the commits it kept.
  const auto analysis_of = [](const std::string& where) {
    return "SELECT c.sha, c.detector_version, c.is_bug_fix, coalesce(c.bug_fix_rule, ''), h.kind, h.api, "
           "h.function, coalesce(h.path, ''), coalesce(f.new_path, f.old_path) FROM commits c "
           "LEFT JOIN hybridization_changes h ON h.commit_id = c.id LEFT JOIN file_changes f ON f.id = h.file_change_id "
           "WHERE " + where + " ORDER BY c.sha, h.function, h.kind, h.path";
  };
  for (const int kill_after : {2, 7, commits}) {
    DYNAMIC_SECTION("killed after inserting commit " << kill_after) {
      const auto db = (tmp / ("killed-" + std::to_string(kill_after) + ".db")).string();
      const auto killed = hybridminer({"mine", "--db", db, "--commits-per-transaction", "1", repo},
                                      {{"HYBRIDMINER_FAULT_KILL_AFTER_COMMITS", std::to_string(kill_after)}});
      REQUIRE(killed.signal == 9);
      // Every commit kept is analysed: no commit without its detector version, changes, or blob facts.
      CHECK(single(db, "SELECT count(*) FROM commits") == std::to_string(kill_after - 1));
      CHECK(single(db, "SELECT count(*) FROM commits WHERE detector_version IS NULL") == "0");
      CHECK(single(db, "SELECT count(*) FROM file_changes f WHERE f.language = 'python' AND "
                       "coalesce(f.new_blob, f.old_blob) NOT IN (SELECT blob FROM blob_analyses)") == "0");
      std::string kept = "c.sha IN (";
      for (const auto& sha : rows(db, "SELECT sha FROM commits")) kept += "'" + sha + "',";
      kept += "'')";
      CHECK(rows(db, analysis_of("1")) == rows(reference, analysis_of(kept)));
      REQUIRE(hybridminer({"mine", "--db", db, repo}).exit_code == 0);
      CHECK(rows(db, analysis_of("1")) == rows(reference, analysis_of("1")));
    }
  }
}

TEST_CASE("commits stored without the current analysis are analysed by the next mine, and resume if killed", "[e2e][demo][crash]") {
  TempDir tmp;
  hm::test::make_demo_corpus(tmp / "demo");
  const auto corpus = "@" + (tmp / "demo" / "corpus.txt").string();
  const auto reference = (tmp / "reference.db").string();
  REQUIRE(hybridminer({"mine", "--db", reference, corpus}).exit_code == 0);
  const auto expected = hm::test::canonical_rows(reference);
  REQUIRE(std::stoi(single(reference, "SELECT count(*) FROM hybridization_changes")) > 0);
  // As an older hybridminer (or an older detector version) would have left it: commits without analysis.
  const auto forget = [](const std::string& db) {
    auto connection = hm::store::Database::open(db);
    connection.exec("DELETE FROM hybridization_changes; DELETE FROM commit_issue_references; "
                    "DELETE FROM blob_analyses; UPDATE commits SET detector_version = NULL, is_bug_fix = NULL, "
                    "bug_fix_rule = NULL");
  };
  const auto db = (tmp / "old.db").string();
  std::filesystem::copy_file(reference, db);
  forget(db);
  REQUIRE(single(db, "SELECT count(*) FROM commits WHERE detector_version IS NULL") != "0");
  const auto killed = hybridminer({"mine", "--db", db, "--commits-per-transaction", "2", corpus},
                                  {{"HYBRIDMINER_FAULT_KILL_AFTER_ANALYSED", "5"}});
  REQUIRE(killed.signal == 9);
  CHECK(single(db, "SELECT count(*) FROM commits WHERE detector_version IS NOT NULL") == "4");
  for (const std::string jobs : {"1", "2"}) {
    REQUIRE(hybridminer({"mine", "--jobs", jobs, "--db", db, corpus}).exit_code == 0);
    CHECK(hm::test::canonical_rows(db) == expected);
    forget(db);
  }
}

TEST_CASE("incremental reparsing stores exactly what parsing every blob from scratch stores", "[e2e][demo]") {
  TempDir tmp;
  hm::test::make_demo_corpus(tmp / "demo");
  const auto corpus = "@" + (tmp / "demo" / "corpus.txt").string();
  const auto incremental = tmp / "incremental.db";
  const auto scratch = tmp / "scratch.db";
  REQUIRE(hybridminer({"mine", "--db", incremental.string(), corpus}).exit_code == 0);
  REQUIRE(hybridminer({"mine", "--db", scratch.string(), corpus}, {{"HYBRIDMINER_FULL_REPARSE", "1"}}).exit_code == 0);
  CHECK(std::stoi(single(incremental.string(), "SELECT count(*) FROM blob_functions")) > 0);
  CHECK(hm::test::canonical_rows(incremental) == hm::test::canonical_rows(scratch));
}

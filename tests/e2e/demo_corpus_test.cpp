// The bundled demo corpus, mined and queried the way the README's demo command does.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

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

  SECTION("query: named queries in every format, literal SQL, read-only") {
    const auto csv = hybridminer({"query", "--db", db, "--format", "csv", "corpus_overview"});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("repository,commits,merge_commits,authors,file_changes,python_file_changes,first_commit,"
                        "last_commit,status\r\n", 0) == 0);
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
    CHECK(report.out.find("## corpus_overview: What does the mined corpus contain, per repository?") !=
          std::string::npos);
    CHECK(report.out.find("## commits_per_year:") != std::string::npos);
  }
}

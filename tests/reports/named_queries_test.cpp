#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "reports/named_queries.hpp"
#include "reports/result_set.hpp"
#include "store/migrations.hpp"
#include "support/temp_dir.hpp"

using hm::reports::find_named_query;
using hm::reports::looks_like_query_name;
using hm::reports::named_queries;

TEST_CASE("named queries: each has a name, a question and SQL", "[named_queries]") {
  REQUIRE_FALSE(named_queries().empty());
  std::set<std::string> names;
  for (const auto& query : named_queries()) {
    INFO(query.name);
    CHECK(looks_like_query_name(query.name));
    CHECK_FALSE(query.name.ends_with(".sql"));
    CHECK_FALSE(query.question.empty());
    CHECK_FALSE(query.question.starts_with("Question:"));
    CHECK_FALSE(query.question.starts_with("--"));
    CHECK(query.sql.find("SELECT") != std::string::npos);
    CHECK(names.insert(query.name).second);
  }
}

TEST_CASE("named queries: the shipped study questions are there", "[named_queries]") {
  for (const char* name : {"corpus_overview", "commits_per_year", "file_changes_by_language", "runs"}) {
    INFO(name);
    const auto query = find_named_query(name);
    REQUIRE(query.has_value());
    CHECK(query->name == name);
  }
  CHECK(find_named_query("runs")->question == "Which runs produced this database (provenance)?");
}

TEST_CASE("named queries: every one runs on a freshly migrated empty database", "[named_queries]") {
  hm::test::TempDir dir;
  { auto db = hm::store::open_database(dir / "hm.sqlite"); }
  auto db = hm::store::open_database_readonly(dir / "hm.sqlite");
  for (const auto& query : named_queries()) {
    INFO(query.name);
    hm::reports::ResultSet result;
    REQUIRE_NOTHROW(result = hm::reports::run_query(db, query.sql));
    CHECK_FALSE(result.columns.empty());
    CHECK(result.rows.empty());
  }
}

TEST_CASE("find_named_query: unknown names are nullopt", "[named_queries]") {
  CHECK_FALSE(find_named_query("no_such_query").has_value());
  CHECK_FALSE(find_named_query("").has_value());
  CHECK_FALSE(find_named_query("runs.sql").has_value());
  CHECK_FALSE(find_named_query("RUNS").has_value());
}

TEST_CASE("looks_like_query_name", "[named_queries]") {
  CHECK(looks_like_query_name("corpus_overview"));
  CHECK(looks_like_query_name("runs"));
  CHECK(looks_like_query_name("per-year-2"));
  CHECK_FALSE(looks_like_query_name(""));
  CHECK_FALSE(looks_like_query_name("SELECT 1"));
  CHECK_FALSE(looks_like_query_name("select*from runs"));
  CHECK_FALSE(looks_like_query_name("runs;"));
  CHECK_FALSE(looks_like_query_name("queries/runs.sql"));
  CHECK_FALSE(looks_like_query_name("runs\n"));
}

TEST_CASE("named queries: the report order follows the Order header, corpus overview first", "[named_queries]") {
  const auto ordered = hm::reports::named_queries_in_report_order();
  REQUIRE(ordered.size() == hm::reports::named_queries().size());
  CHECK(ordered.front().name == "corpus_overview");
  CHECK(ordered.back().name == "runs");
  for (std::size_t i = 1; i < ordered.size(); ++i) CHECK(ordered[i - 1].order <= ordered[i].order);
}

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <variant>

#include "reports/result_set.hpp"
#include "store/migrations.hpp"
#include "store/sqlite.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

using hm::reports::ResultSet;
using hm::reports::run_query;
using hm::reports::Value;
using hm::store::Database;

namespace {

struct Fixture {
  hm::test::TempDir dir;
  Database db = Database::open(dir / "db.sqlite");
  Fixture() { db.exec("CREATE TABLE t (id INTEGER, name TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b')"); }
  std::int64_t count() {
    auto statement = db.prepare("SELECT count(*) FROM t");
    REQUIRE(statement.step());
    return statement.get_int(0);
  }
};

}  // namespace

TEST_CASE("run_query: values are typed as SQLite returns them", "[result_set]") {
  Fixture f;
  const auto result = run_query(f.db, "SELECT NULL AS n, 42 AS i, 2.5 AS r, 'text' AS s, x'00ff' AS b, -7 AS neg");
  REQUIRE(result.columns == std::vector<std::string>{"n", "i", "r", "s", "b", "neg"});
  REQUIRE(result.rows.size() == 1);
  const auto& row = result.rows[0];
  REQUIRE(row.size() == 6);
  CHECK(std::holds_alternative<std::monostate>(row[0]));
  REQUIRE(std::holds_alternative<std::int64_t>(row[1]));
  CHECK(std::get<std::int64_t>(row[1]) == 42);
  REQUIRE(std::holds_alternative<double>(row[2]));
  CHECK(std::get<double>(row[2]) == 2.5);
  REQUIRE(std::holds_alternative<std::string>(row[3]));
  CHECK(std::get<std::string>(row[3]) == "text");
  REQUIRE(std::holds_alternative<std::string>(row[4]));
  CHECK(std::get<std::string>(row[4]) == std::string("\0\xff", 2));
  CHECK(std::get<std::int64_t>(row[5]) == -7);
}

TEST_CASE("run_query: rows in order, columns even with no rows", "[result_set]") {
  Fixture f;
  const auto result = run_query(f.db, "SELECT id, name FROM t ORDER BY id DESC");
  REQUIRE(result.rows.size() == 2);
  CHECK(std::get<std::int64_t>(result.rows[0][0]) == 2);
  CHECK(std::get<std::string>(result.rows[1][1]) == "a");

  const auto empty = run_query(f.db, "SELECT id, name FROM t WHERE id > 10");
  CHECK(empty.columns == std::vector<std::string>{"id", "name"});
  CHECK(empty.rows.empty());
}

TEST_CASE("run_query: writes are rejected", "[result_set]") {
  Fixture f;
  CHECK_THROWS_AS(run_query(f.db, "INSERT INTO t VALUES (3, 'c')"), hm::Error);
  CHECK_THROWS_AS(run_query(f.db, "DELETE FROM t"), hm::Error);
  CHECK_THROWS_AS(run_query(f.db, "UPDATE t SET name = 'z'"), hm::Error);
  CHECK_THROWS_AS(run_query(f.db, "DROP TABLE t"), hm::Error);
  CHECK_THROWS_AS(run_query(f.db, "CREATE TABLE u (x)"), hm::Error);
  CHECK_THROWS_WITH(run_query(f.db, "DELETE FROM t"), Catch::Contains("read-only"));
  CHECK(f.count() == 2);
}

TEST_CASE("run_query: several statements are rejected before any runs", "[result_set]") {
  Fixture f;
  CHECK_THROWS_AS(run_query(f.db, "SELECT 1; SELECT 2"), hm::Error);
  CHECK_THROWS_AS(run_query(f.db, "SELECT 1; DELETE FROM t"), hm::Error);
  CHECK_THROWS_AS(run_query(f.db, "SELECT 1; -- fine\nDELETE FROM t;"), hm::Error);
  CHECK_THROWS_WITH(run_query(f.db, "SELECT 1; SELECT 2"), Catch::Contains("single"));
  CHECK(f.count() == 2);
}

TEST_CASE("run_query: trailing semicolons, whitespace and comments are accepted", "[result_set]") {
  Fixture f;
  for (const char* sql : {"SELECT count(*) FROM t;", "SELECT count(*) FROM t ;;  \n", "SELECT count(*) FROM t -- why",
                          "SELECT count(*) FROM t; -- trailing comment", "SELECT count(*) FROM t; /* block */ ;",
                          "-- leading comment\nSELECT count(*) FROM t", "/* a */ SELECT count(*) /* b */ FROM t;\n"}) {
    INFO(sql);
    const auto result = run_query(f.db, sql);
    REQUIRE(result.rows.size() == 1);
    CHECK(std::get<std::int64_t>(result.rows[0][0]) == 2);
  }
}

TEST_CASE("run_query: empty queries and SQL errors are errors", "[result_set]") {
  Fixture f;
  CHECK_THROWS_AS(run_query(f.db, ""), hm::Error);
  CHECK_THROWS_AS(run_query(f.db, "  -- only a comment\n"), hm::Error);
  CHECK_THROWS_AS(run_query(f.db, "SELECT * FROM missing_table"), hm::Error);
  CHECK_THROWS_AS(run_query(f.db, "SELEC 1"), hm::Error);
}

TEST_CASE("run_query: works on a read-only connection", "[result_set]") {
  hm::test::TempDir dir;
  { auto db = hm::store::open_database(dir / "hm.sqlite"); }
  auto db = hm::store::open_database_readonly(dir / "hm.sqlite");
  const auto result = run_query(db, "SELECT count(*) AS n FROM repositories");
  REQUIRE(result.rows.size() == 1);
  CHECK(std::get<std::int64_t>(result.rows[0][0]) == 0);
  CHECK_THROWS_AS(run_query(db, "DELETE FROM repositories"), hm::Error);
}

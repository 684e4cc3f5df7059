// Functions and advice stored once (schema v9): content ids, the writer's shared rows, and the migration of v8's
// per-blob rows into them.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

#include "store/content_id.hpp"
#include "store/facts_store.hpp"
#include "store/migrations.hpp"
#include "store/shared_rows.hpp"
#include "store/sqlite.hpp"
#include "support/db_rows.hpp"
#include "support/temp_dir.hpp"

using hm::store::content_hash;
using hm::store::SqlValue;
using hm::test::rows;
using hm::test::single;

namespace {

std::int64_t sql_id(hm::store::Database& db, const std::string& arguments) {
  auto statement = db.prepare("SELECT hm_content_id(" + arguments + ")");
  REQUIRE(statement.step());
  return statement.get_int(0);
}

// A database at schema version `last`.
void create_at(const std::filesystem::path& file, std::int64_t last) {
  auto db = hm::store::Database::open(file);
  for (const auto& migration : hm::store::migrations()) {
    if (migration.version > last) break;
    db.exec(migration.sql);
    db.exec("PRAGMA user_version = " + std::to_string(migration.version));
  }
}

}  // namespace

TEST_CASE("content ids: SQL and C++ agree, and values of other types or split otherwise differ", "[store][shared]") {
  hm::test::TempDir tmp;
  auto db = hm::store::open_database(tmp / "hm.db");
  CHECK(sql_id(db, "'f', NULL, 3, ''") ==
        content_hash({std::string_view("f"), nullptr, std::int64_t{3}, std::string_view("")}).id);
  CHECK(sql_id(db, "'ab', 'c'") != sql_id(db, "'a', 'bc'"));
  CHECK(sql_id(db, "1") != sql_id(db, "'1'"));
  CHECK(sql_id(db, "NULL") != sql_id(db, "''"));
  CHECK(sql_id(db, "'x', NULL") != sql_id(db, "'x'"));
  const auto one = content_hash({std::string_view("a")});
  const auto other = content_hash({std::string_view("b")});
  CHECK(one.id != other.id);
  CHECK(one.check != other.check);
  CHECK(content_hash({std::string_view("a")}).check == one.check);
}

TEST_CASE("shared rows: one row per distinct content, and a collision is an error", "[store][shared]") {
  hm::test::TempDir tmp;
  auto db = hm::store::open_database(tmp / "hm.db");
  hm::store::SharedRows verdicts(db, "function_verdicts",
                                 {"function", "is_hybrid", "api", "has_tensor_parameter", "has_primitive_parameter",
                                  "has_python_side_effects", "is_recursive", "refactoring", "transformation",
                                  "passing_precondition", "failures"});
  const auto verdict = [](std::string_view function, std::int64_t hybrid) {
    return std::vector<SqlValue>{function, hybrid,  nullptr, nullptr, nullptr, nullptr,
                                 nullptr,  nullptr, nullptr, nullptr, std::string_view("[]")};
  };
  const auto first = verdicts.put(verdict("f", 0));
  CHECK(verdicts.put(verdict("f", 0)) == first);
  const auto second = verdicts.put(verdict("f", 1));
  CHECK(second != first);
  CHECK(rows(tmp / "hm.db", "SELECT function, is_hybrid FROM function_verdicts ORDER BY is_hybrid") ==
        std::vector<std::string>{"f|0", "f|1"});
  CHECK(single(tmp / "hm.db", "SELECT id FROM function_verdicts WHERE is_hybrid = 0") == std::to_string(first));

  // Another process's row under the id "g" hashes to, with other values: a writer must not take it for "g".
  const auto g = content_hash(verdict("g", 0)).id;
  db.exec("INSERT INTO function_verdicts (id, function, is_hybrid, failures) VALUES (" + std::to_string(g) +
          ", 'not g', 0, '[]')");
  hm::store::SharedRows fresh(db, "function_verdicts",
                              {"function", "is_hybrid", "api", "has_tensor_parameter", "has_primitive_parameter",
                               "has_python_side_effects", "is_recursive", "refactoring", "transformation",
                               "passing_precondition", "failures"});
  CHECK_THROWS_WITH(fresh.put(verdict("g", 0)), Catch::Contains("hash collision"));
  // A row stored by another process is taken when it is the same.
  CHECK(fresh.put(verdict("f", 1)) == second);
}

TEST_CASE("migration 9 moves v8's function and advice rows into shared rows, as the writer would store them",
          "[store][shared]") {
  hm::test::TempDir tmp;
  const auto old_file = tmp / "v8.db";
  create_at(old_file, 8);
  {
    auto db = hm::store::Database::open(old_file);
    db.exec(
        "INSERT INTO blob_analyses (blob, detector_version, language, status, bytes) VALUES "
        "('b1', 4, 'python', 'parsed', 10), ('b2', 4, 'python', 'parsed', 12);"
        "INSERT INTO blob_functions (blob, qualified_name, name, class_name, class_bases, cell, start_line, end_line, "
        "parameters, decorators, body_hash) VALUES "
        "('b1', 'f', 'f', NULL, NULL, NULL, 1, 2, '[]', '[\"tf.function\"]', 'h1'),"
        "('b1', 'C.m', 'm', 'C', '[\"object\"]', NULL, 4, 5, '[]', '[]', 'h2'),"
        "('b2', 'C.m', 'm', 'C', '[\"object\"]', NULL, 7, 8, '[]', '[]', 'h2');"
        "INSERT INTO blob_function_advice (blob, function, cell, line, is_hybrid, api, has_tensor_parameter, "
        "refactoring, failures) VALUES "
        "('b1', 'f', NULL, 1, 1, 'tf.function', 1, 'OPTIMIZE_HYBRID_FUNCTION', '[\"IS_RECURSIVE\"]'),"
        "('b2', 'f', NULL, 3, 1, 'tf.function', 1, 'OPTIMIZE_HYBRID_FUNCTION', '[\"IS_RECURSIVE\"]');"
        "INSERT INTO advised_blobs VALUES ('b1'), ('b2');");
  }
  const std::string functions =
      "SELECT blob, qualified_name, name, class_name, class_bases, cell, start_line, end_line, parameters, "
      "decorators, body_hash FROM blob_functions ORDER BY blob, start_line";
  const std::string advice =
      "SELECT blob, function, cell, line, is_hybrid, api, has_tensor_parameter, has_primitive_parameter, "
      "has_python_side_effects, is_recursive, refactoring, transformation, passing_precondition, failures "
      "FROM blob_function_advice ORDER BY blob, line";
  const auto functions_before = rows(old_file, functions);
  const auto advice_before = rows(old_file, advice);
  { hm::store::open_database(old_file); }  // migrates
  CHECK(rows(old_file, functions) == functions_before);
  CHECK(rows(old_file, advice) == advice_before);
  CHECK(single(old_file, "SELECT count(*) FROM function_definitions") == "2");
  CHECK(single(old_file, "SELECT count(*) FROM function_verdicts") == "1");
  CHECK(rows(old_file, "SELECT blob, ordinal FROM blob_function_spans") ==
        std::vector<std::string>{"b1|0", "b1|1", "b2|0"});
  CHECK(rows(old_file, "PRAGMA foreign_key_check").empty());

  // The writer stores the same facts under the same ids, so a migrated database and a new one merge as one.
  const auto new_file = tmp / "v9.db";
  {
    auto db = hm::store::open_database(new_file);
    hm::store::FactsStore store(db);
    for (const auto& [blob, line, start] : {std::tuple{"b1", 1u, 4u}, std::tuple{"b2", 3u, 7u}}) {
      hm::store::BlobAnalysis analysis;
      analysis.status = "parsed";
      analysis.facts.parsed = true;
      if (std::string(blob) == "b1") {
        hm::detectors::FunctionFact f;
        f.qualified_name = f.name = "f";
        f.start_line = 1;
        f.end_line = 2;
        f.decorators = {"tf.function"};
        f.body_hash = "h1";
        analysis.facts.functions.push_back(f);
      }
      hm::detectors::FunctionFact m;
      m.qualified_name = "C.m";
      m.name = "m";
      m.class_name = "C";
      m.class_bases = {"object"};
      m.start_line = start;
      m.end_line = start + 1;
      m.body_hash = "h2";
      analysis.facts.functions.push_back(m);
      hm::detectors::FileFunctionAdvice a;
      a.function = "f";
      a.line = line;
      a.is_hybrid = true;
      a.api = "tf.function";
      a.has_tensor_parameter = true;
      a.refactoring = "OPTIMIZE_HYBRID_FUNCTION";
      a.failures = {"IS_RECURSIVE"};
      analysis.advice.push_back(a);
      analysis.advised = true;
      store.save(blob, "python", 10, analysis);
    }
  }
  CHECK(rows(new_file, "SELECT * FROM function_definitions ORDER BY id") ==
        rows(old_file, "SELECT * FROM function_definitions ORDER BY id"));
  CHECK(rows(new_file, "SELECT * FROM function_verdicts ORDER BY id") ==
        rows(old_file, "SELECT * FROM function_verdicts ORDER BY id"));
  CHECK(rows(new_file, "SELECT * FROM blob_function_spans") == rows(old_file, "SELECT * FROM blob_function_spans"));
  CHECK(rows(new_file, "SELECT * FROM blob_function_verdicts") ==
        rows(old_file, "SELECT * FROM blob_function_verdicts"));
}

TEST_CASE("shared rows: a row whose transaction rolled back is written again", "[store][shared]") {
  hm::test::TempDir tmp;
  auto db = hm::store::open_database(tmp / "hm.db");
  hm::store::SharedRows definitions(
      db, "function_definitions",
      {"qualified_name", "name", "class_name", "class_bases", "parameters", "decorators", "body_hash"});
  const std::vector<SqlValue> f{std::string_view("f"), std::string_view("f"), nullptr, nullptr,
                                std::string_view("[]"), std::string_view("[]"), std::string_view("h")};
  {
    hm::store::Transaction transaction(db);
    definitions.put(f);
    CHECK(single(tmp / "hm.db", "SELECT count(*) FROM function_definitions") == "0");  // not committed yet
  }  // rolled back
  CHECK(db.rollbacks() == 1);
  {
    hm::store::Transaction transaction(db);
    const auto id = definitions.put(f);
    db.exec("INSERT INTO blob_analyses (blob, detector_version, language, status, bytes) VALUES ('b', 4, 'python', "
            "'parsed', 1)");
    db.exec("INSERT INTO blob_function_spans VALUES ('b', 0, " + std::to_string(id) + ", NULL, 1, 2)");
    transaction.commit();
  }
  CHECK(single(tmp / "hm.db", "SELECT count(*) FROM function_definitions") == "1");
  CHECK(rows(tmp / "hm.db", "PRAGMA foreign_key_check").empty());
}

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "store/migrations.hpp"
#include "store/sqlite.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using hm::store::Database;
using hm::store::latest_schema_version;
using hm::store::migrations;
using hm::store::open_database;
using hm::store::open_database_readonly;
using hm::store::Transaction;

namespace {

std::int64_t scalar_int(Database& db, const std::string& sql) {
  auto statement = db.prepare(sql);
  REQUIRE(statement.step());
  return statement.get_int(0);
}

std::string scalar_text(Database& db, const std::string& sql) {
  auto statement = db.prepare(sql);
  REQUIRE(statement.step());
  return statement.get_text(0);
}

}  // namespace

TEST_CASE("migrations are numbered 1..N and non-empty", "[store]") {
  const auto& all = migrations();
  REQUIRE_FALSE(all.empty());
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(all[i].version == static_cast<std::int64_t>(i + 1));
    CHECK_FALSE(all[i].name.empty());
    CHECK_FALSE(all[i].sql.empty());
  }
  CHECK(latest_schema_version() == static_cast<std::int64_t>(all.size()));
}

TEST_CASE("open_database: a fresh database gets the latest schema, WAL and foreign keys", "[store]") {
  hm::test::TempDir dir;
  auto db = open_database(dir / "hm.sqlite");
  CHECK(fs::exists(dir / "hm.sqlite"));
  CHECK(db.user_version() == latest_schema_version());
  CHECK(scalar_int(db, "PRAGMA user_version") == latest_schema_version());
  CHECK(scalar_int(db, "PRAGMA foreign_keys") == 1);
  CHECK(scalar_text(db, "PRAGMA journal_mode") == "wal");
  for (const char* table : {"runs", "repositories", "commits", "file_changes", "mined_refs"}) {
    INFO(table);
    CHECK(scalar_int(db, std::string("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '") +
                             table + "'") == 1);
  }
  CHECK(db.path() == dir / "hm.sqlite");
}

TEST_CASE("SQLite does not count its allocations (no global mutex around each)", "[store]") {
  hm::test::TempDir dir;
  auto db = open_database(dir / "hm.sqlite");
  scalar_int(db, "SELECT count(*) FROM commits");
  // With SQLITE_CONFIG_MEMSTATUS on, an open connection with a schema has allocated and counted memory.
  CHECK(sqlite3_memory_used() == 0);
}

TEST_CASE("open_database: reopening a migrated database is a no-op", "[store]") {
  hm::test::TempDir dir;
  const auto file = dir / "hm.sqlite";
  {
    auto db = open_database(file);
    db.exec("INSERT INTO repositories (url, name, source_kind) VALUES ('/r', 'r', 'local')");
  }
  auto db = open_database(file);
  CHECK(db.user_version() == latest_schema_version());
  CHECK(scalar_int(db, "SELECT count(*) FROM repositories") == 1);
  CHECK(scalar_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'commits'") == 1);
}

TEST_CASE("open_database: a database newer than the binary is refused", "[store]") {
  hm::test::TempDir dir;
  const auto file = dir / "hm.sqlite";
  {
    auto db = open_database(file);
    db.exec("PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
  }
  CHECK_THROWS_AS(open_database(file), hm::Error);
  CHECK_THROWS_WITH(open_database(file), Catch::Contains("newer"));
  CHECK_THROWS_WITH(open_database_readonly(file), Catch::Contains("newer"));
}

TEST_CASE("open_database: a file that is not a database is refused", "[store]") {
  hm::test::TempDir dir;
  const auto file = dir / "notes.txt";
  std::ofstream(file) << "These are not the bytes you are looking for.\n"
                         "Random text that is definitely longer than a SQLite header would be, "
                         "so SQLite has to read it and reject it.\n";
  CHECK_THROWS_AS(open_database(file), hm::Error);
  CHECK_THROWS_AS(open_database_readonly(file), hm::Error);
}

TEST_CASE("open_database_readonly: missing and schema-less files are refused", "[store]") {
  hm::test::TempDir dir;
  CHECK_THROWS_AS(open_database_readonly(dir / "missing.sqlite"), hm::Error);
  CHECK_FALSE(fs::exists(dir / "missing.sqlite"));
  CHECK_THROWS_WITH(open_database_readonly(dir / "missing.sqlite"), Catch::Contains("does not exist"));

  std::ofstream(dir / "empty.sqlite").close();
  CHECK_THROWS_AS(open_database_readonly(dir / "empty.sqlite"), hm::Error);
  CHECK_THROWS_WITH(open_database_readonly(dir / "empty.sqlite"), Catch::Contains("no schema"));

  {
    auto plain = Database::open(dir / "plain.sqlite");
    plain.exec("CREATE TABLE t (x INTEGER)");
  }
  CHECK_THROWS_WITH(open_database_readonly(dir / "plain.sqlite"), Catch::Contains("not a hybridminer database"));
}

TEST_CASE("open_database_readonly: an older schema asks for an upgrade", "[store]") {
  hm::test::TempDir dir;
  const auto file = dir / "hm.sqlite";
  {
    auto db = open_database(file);
    db.exec("PRAGMA user_version = " + std::to_string(latest_schema_version() - 1));
  }
  if (latest_schema_version() > 1) {
    CHECK_THROWS_WITH(open_database_readonly(file), Catch::Contains("upgrade"));
  } else {
    CHECK_THROWS_WITH(open_database_readonly(file), Catch::Contains("no schema"));
  }
}

TEST_CASE("open_database_readonly: reads a migrated database and refuses writes", "[store]") {
  hm::test::TempDir dir;
  const auto file = dir / "hm.sqlite";
  { auto db = open_database(file); }
  auto db = open_database_readonly(file);
  CHECK(db.user_version() == latest_schema_version());
  CHECK(scalar_int(db, "SELECT count(*) FROM runs") == 0);
  CHECK_THROWS_AS(db.exec("INSERT INTO repositories (url, name, source_kind) VALUES ('/r', 'r', 'local')"),
                  hm::Error);
}

TEST_CASE("Database::open in read-only mode does not create a file", "[store]") {
  hm::test::TempDir dir;
  CHECK_THROWS_AS(Database::open(dir / "nope.sqlite", Database::Mode::ReadOnly), hm::Error);
  CHECK_FALSE(fs::exists(dir / "nope.sqlite"));
}

TEST_CASE("Database::exec and prepare report SQL errors as hm::Error", "[store]") {
  hm::test::TempDir dir;
  auto db = Database::open(dir / "db.sqlite");
  CHECK_THROWS_AS(db.exec("CREATE TABLE"), hm::Error);
  CHECK_THROWS_AS(db.prepare("SELEC 1"), hm::Error);
  CHECK_THROWS_AS(db.prepare("   "), hm::Error);
  CHECK_THROWS_WITH(db.exec("SELECT * FROM no_such_table"), Catch::Contains("no_such_table"));
}

TEST_CASE("Transaction rolls back unless committed", "[store]") {
  hm::test::TempDir dir;
  auto db = Database::open(dir / "db.sqlite");
  db.exec("CREATE TABLE t (x INTEGER)");
  {
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (1)");
    CHECK(scalar_int(db, "SELECT count(*) FROM t") == 1);
  }
  CHECK(scalar_int(db, "SELECT count(*) FROM t") == 0);
  {
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (2)");
    transaction.commit();
  }
  CHECK(scalar_int(db, "SELECT count(*) FROM t") == 1);
  CHECK(scalar_int(db, "SELECT x FROM t") == 2);
}

TEST_CASE("Transaction rolls back when an exception unwinds", "[store]") {
  hm::test::TempDir dir;
  auto db = Database::open(dir / "db.sqlite");
  db.exec("CREATE TABLE t (x INTEGER)");
  try {
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (1)");
    throw hm::Error("abandon");
  } catch (const hm::Error&) {
  }
  CHECK(scalar_int(db, "SELECT count(*) FROM t") == 0);
  // The connection is usable for the next transaction.
  Transaction again(db);
  db.exec("INSERT INTO t VALUES (3)");
  again.commit();
  CHECK(scalar_int(db, "SELECT count(*) FROM t") == 1);
}

TEST_CASE("Statement binds values, NULLs and optionals", "[store]") {
  hm::test::TempDir dir;
  auto db = Database::open(dir / "db.sqlite");
  auto statement = db.prepare("SELECT ?1 IS NULL, typeof(?1), ?1");

  statement.bind(1, std::optional<std::int64_t>{});
  REQUIRE(statement.step());
  CHECK(statement.get_int(0) == 1);
  CHECK(statement.get_text(1) == "null");
  CHECK(statement.is_null(2));
  CHECK(statement.column_type(2) == SQLITE_NULL);
  CHECK_FALSE(statement.get_optional_text(2).has_value());
  statement.reset();

  statement.bind(1, std::optional<std::string>{});
  REQUIRE(statement.step());
  CHECK(statement.get_int(0) == 1);
  statement.reset();

  statement.bind(1, std::optional<std::int64_t>{42});
  REQUIRE(statement.step());
  CHECK(statement.get_int(0) == 0);
  CHECK(statement.get_text(1) == "integer");
  CHECK(statement.get_int(2) == 42);
  statement.reset();

  statement.bind(1, std::optional<std::string>{"text"});
  REQUIRE(statement.step());
  CHECK(statement.get_text(1) == "text");
  CHECK(statement.get_optional_text(2) == std::optional<std::string>("text"));
  statement.reset();

  statement.bind(1, 2.5);
  REQUIRE(statement.step());
  CHECK(statement.get_text(1) == "real");
  CHECK(statement.get_double(2) == 2.5);
  statement.reset();

  statement.bind(1, nullptr);
  REQUIRE(statement.step());
  CHECK(statement.get_int(0) == 1);
  statement.reset();

  // Text with an embedded NUL keeps its length.
  statement.bind(1, std::string_view("a\0b", 3));
  REQUIRE(statement.step());
  CHECK(statement.get_text(2) == std::string("a\0b", 3));
  CHECK_FALSE(statement.step());
}

TEST_CASE("Statement::bind_all binds in order and run() allows reuse", "[store]") {
  hm::test::TempDir dir;
  auto db = Database::open(dir / "db.sqlite");
  db.exec("CREATE TABLE t (a INTEGER, b TEXT, c REAL)");
  auto insert = db.prepare("INSERT INTO t VALUES (?, ?, ?)");
  insert.bind_all(std::int64_t{1}, "one", 1.5).run();
  insert.bind_all(2, std::string("two"), std::optional<double>{}).run();
  CHECK(db.changes() == 1);
  CHECK(db.last_insert_id() == 2);
  auto select = db.prepare("SELECT a, b, c FROM t ORDER BY a");
  CHECK(select.column_count() == 3);
  CHECK(select.column_name(1) == "b");
  REQUIRE(select.step());
  CHECK(select.get_int(0) == 1);
  CHECK(select.get_text(1) == "one");
  CHECK(select.get_double(2) == 1.5);
  REQUIRE(select.step());
  CHECK(select.get_int(0) == 2);
  CHECK(select.is_null(2));
  CHECK_FALSE(select.step());
  CHECK(select.is_readonly());
  CHECK_FALSE(insert.is_readonly());
}

TEST_CASE("Statement::bind rejects an out-of-range index", "[store]") {
  hm::test::TempDir dir;
  auto db = Database::open(dir / "db.sqlite");
  auto statement = db.prepare("SELECT ?");
  CHECK_THROWS_AS(statement.bind(2, std::int64_t{1}), hm::Error);
}

TEST_CASE("Database::open turns foreign keys on", "[store]") {
  hm::test::TempDir dir;
  auto db = Database::open(dir / "db.sqlite");
  CHECK(scalar_int(db, "PRAGMA foreign_keys") == 1);
  db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent(id))");
  CHECK_THROWS_AS(db.exec("INSERT INTO child VALUES (7)"), hm::Error);
}

TEST_CASE("column_list names columns, prefixed, or gives one placeholder each", "[store]") {
  const std::vector<std::string> names{"blob", "ordinal", "line"};
  CHECK(hm::store::column_list(names) == "blob, ordinal, line");
  CHECK(hm::store::column_list(names, "s.") == "s.blob, s.ordinal, s.line");
  CHECK(hm::store::column_list(names, "?") == "?, ?, ?");
  CHECK(hm::store::column_list({}) == "");
}

namespace {

// Rows of `table` in the database file alone, as a copy without its log sees them: what checkpoints copied.
std::int64_t rows_checkpointed(const fs::path& file, const std::string& table) {
  const auto copy = file.parent_path() / "copy.db";
  fs::copy_file(file, copy, fs::copy_options::overwrite_existing);
  auto db = Database::open(copy, Database::Mode::ReadOnly);
  auto exists = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = ?");
  exists.bind_all(table);
  REQUIRE(exists.step());
  return exists.get_int(0) == 0 ? 0 : scalar_int(db, "SELECT count(*) FROM " + table);
}

void insert_rows(Database& db, int count) {
  Transaction transaction(db);
  auto insert = db.prepare("INSERT INTO t (x) VALUES (?)");
  for (int i = 0; i < count; ++i) insert.bind_all(std::string(1000, static_cast<char>('a' + i % 26))).run();
  transaction.commit();
}

}  // namespace

TEST_CASE("a WAL database's log is copied into the file on demand once long enough, and after a commit past a bound",
          "[store]") {
  // Page counts: 1,000-byte rows, at most four to a 4 KiB page.
  hm::test::TempDir tmp;
  const auto file = tmp / "wal.db";
  {
    auto db = Database::open(file);
    db.exec("PRAGMA journal_mode = WAL");
    db.checkpoint_every(1 << 30);  // never after a commit
    db.exec("CREATE TABLE t (x TEXT)");
    insert_rows(db, 2000);  // about 2 MB: 500 pages or more
    CHECK(rows_checkpointed(file, "t") == 0);
    CHECK_FALSE(db.checkpoint_if_longer(100000));
    CHECK(rows_checkpointed(file, "t") == 0);
    CHECK(db.checkpoint_if_longer(400));
    CHECK(rows_checkpointed(file, "t") == 2000);
    // Copied already: nothing left to copy until more is written.
    CHECK_FALSE(db.checkpoint_if_longer(1));
    insert_rows(db, 10);
    CHECK(db.checkpoint_if_longer(1));
    CHECK(rows_checkpointed(file, "t") == 2010);
  }
  // Closed: the log was copied. Now after a commit that leaves the log longer than checkpoint_every's bound.
  auto db = Database::open(file);
  db.checkpoint_every(400);
  insert_rows(db, 100);  // under the bound: not copied
  CHECK(rows_checkpointed(file, "t") == 2010);
  insert_rows(db, 2000);
  CHECK(rows_checkpointed(file, "t") == 4110);
}

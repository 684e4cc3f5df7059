#pragma once
// RAII wrappers for a SQLite connection and prepared statements. Every failing call throws hm::Error with
// SQLite's message and the SQL (or file) involved, so callers never check return codes.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace hm::store {

struct SqliteCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};

class Statement;

class Database {
 public:
  enum class Mode { ReadWrite, ReadOnly };

  // Opens (and for ReadWrite creates) the file; sets foreign keys on and a busy timeout.
  static Database open(const std::filesystem::path& file, Mode mode = Mode::ReadWrite);

  sqlite3* handle() const noexcept { return db_.get(); }
  const std::filesystem::path& path() const noexcept { return path_; }

  // Runs one or more statements that return no rows.
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  std::int64_t last_insert_id() const noexcept;
  int changes() const noexcept;
  std::int64_t user_version();
  // How many transactions rolled back so far (explicitly or after an error): what a cache of rows written in a
  // transaction checks before trusting them.
  std::uint64_t rollbacks() const noexcept { return *rollbacks_; }
  [[noreturn]] void fail(std::string_view what) const;

  // WAL mode. After each commit, a passive checkpoint once the log holds `frames` pages (what PRAGMA
  // wal_autocheckpoint does, which this replaces), the log's length kept for checkpoint_if_longer.
  void checkpoint_every(int frames);
  // A passive checkpoint now if, as of the last commit, the log holds at least `frames` pages not yet copied
  // into the database (after checkpoint_every). Returns whether one ran.
  bool checkpoint_if_longer(int frames);

 private:
  Database(std::unique_ptr<sqlite3, SqliteCloser> db, std::filesystem::path path);
  std::unique_ptr<sqlite3, SqliteCloser> db_;
  std::filesystem::path path_;
  std::unique_ptr<std::uint64_t> rollbacks_;  // on the heap: SQLite's hook keeps its address across moves
  struct WalLog {
    int every = 0;         // checkpoint_every's
    int frames = 0;        // in the log after the last commit (from its start: the log restarts after a full copy)
    int checkpointed = 0;  // of them, copied into the database by the last checkpoint
    int checkpoint(sqlite3* db, const char* name);  // passive; SQLite's result code
  };
  std::unique_ptr<WalLog> wal_log_;  // on the heap, likewise
};

class Statement {
 public:
  Statement(const Database& db, std::unique_ptr<sqlite3_stmt, StatementFinalizer> stmt);

  // Binds by 1-based index; std::nullopt and nullptr bind NULL.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, std::nullptr_t);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, nullptr);
  }
  // Binds all arguments in order, starting at index 1.
  template <typename... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Advances to the next row; false when done.
  bool step();
  // Steps through a statement that returns no rows, then resets it for reuse.
  void run();
  void reset();

  int column_count() const noexcept;
  std::string column_name(int column) const;
  bool is_null(int column) const noexcept;
  int column_type(int column) const noexcept;
  std::int64_t get_int(int column) const noexcept;
  double get_double(int column) const noexcept;
  std::string get_text(int column) const;
  std::optional<std::string> get_optional_text(int column) const;
  bool is_readonly() const noexcept;
  sqlite3_stmt* handle() const noexcept { return stmt_.get(); }

 private:
  void check_bind(int rc, int index);
  const Database* db_;
  std::unique_ptr<sqlite3_stmt, StatementFinalizer> stmt_;
};

// "p.a, p.b, p.c": column names for SQL text built from a table's columns (names come from the schema, never
// from input). With prefix "?" it is the statement's placeholders instead: "?, ?, ?".
std::string column_list(const std::vector<std::string>& names, std::string_view prefix = "");

// Commits on destruction only if commit() was called; otherwise rolls back (e.g. when an exception unwinds).
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace hm::store

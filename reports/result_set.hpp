#pragma once
// Running read-only SQL and holding its result, typed as SQLite returned it, for the formatters.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/sqlite.hpp"

namespace hm::reports {

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;  // NULL, INTEGER, REAL, TEXT/BLOB

struct ResultSet {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

// Runs exactly one statement, which must not write (checked with sqlite3_stmt_readonly, on top of the read-only
// connection the callers use). Throws hm::Error for writes, several statements, or SQL errors.
ResultSet run_query(store::Database& db, std::string_view sql);

// Steps a prepared (and bound) statement to the end, collecting its rows.
ResultSet read_rows(store::Statement& statement);

}  // namespace hm::reports

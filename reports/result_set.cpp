#include "reports/result_set.hpp"

#include <cctype>

namespace hm::reports {
namespace {

// True when only whitespace, semicolons and comments follow the first statement.
bool only_trailing_noise(std::string_view rest) {
  std::size_t i = 0;
  while (i < rest.size()) {
    const char c = rest[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == ';') {
      ++i;
    } else if (rest.substr(i, 2) == "--") {
      const auto end = rest.find('\n', i);
      i = end == std::string_view::npos ? rest.size() : end;
    } else if (rest.substr(i, 2) == "/*") {
      const auto end = rest.find("*/", i + 2);
      i = end == std::string_view::npos ? rest.size() : end + 2;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

ResultSet run_query(store::Database& db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &raw, &tail) != SQLITE_OK) {
    db.fail("invalid query");
  }
  if (raw == nullptr) throw Error("the query is empty");
  store::Statement statement(db, std::unique_ptr<sqlite3_stmt, store::StatementFinalizer>(raw));
  if (tail != nullptr && !only_trailing_noise(std::string_view(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail)))) {
    throw Error("a query must be a single SQL statement");
  }
  if (!statement.is_readonly()) throw Error("queries are read-only: the statement would modify the database");

  return read_rows(statement);
}

ResultSet read_rows(store::Statement& statement) {
  ResultSet result;
  for (int i = 0; i < statement.column_count(); ++i) result.columns.push_back(statement.column_name(i));
  while (statement.step()) {
    std::vector<Value> row;
    row.reserve(result.columns.size());
    for (int i = 0; i < statement.column_count(); ++i) {
      switch (statement.column_type(i)) {
        case SQLITE_NULL: row.emplace_back(std::monostate{}); break;
        case SQLITE_INTEGER: row.emplace_back(statement.get_int(i)); break;
        case SQLITE_FLOAT: row.emplace_back(statement.get_double(i)); break;
        default: row.emplace_back(statement.get_text(i)); break;
      }
    }
    result.rows.push_back(std::move(row));
  }
  return result;
}

}  // namespace hm::reports

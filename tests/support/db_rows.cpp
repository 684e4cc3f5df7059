#include "support/db_rows.hpp"

#include "store/sqlite.hpp"

namespace hm::test {

std::vector<std::string> rows(const std::filesystem::path& db_path, const std::string& sql) {
  auto db = store::Database::open(db_path, store::Database::Mode::ReadOnly);
  auto statement = db.prepare(sql);
  std::vector<std::string> result;
  while (statement.step()) {
    std::string row;
    for (int i = 0; i < statement.column_count(); ++i) {
      if (i > 0) row += '|';
      row += statement.is_null(i) ? "NULL" : statement.get_text(i);
    }
    result.push_back(row);
  }
  return result;
}

std::string single(const std::filesystem::path& db, const std::string& sql) {
  const auto all = rows(db, sql);
  return all.empty() ? std::string("<no row>") : all.front();
}

}  // namespace hm::test

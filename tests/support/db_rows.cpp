#include "support/db_rows.hpp"

#include <algorithm>
#include <map>
#include <set>

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

namespace {

// The natural key of a row of `table` whose id is the SQL expression `id`; empty when the table has none.
std::string natural_key(const std::string& table, const std::string& id) {
  const std::string commit_key = "(SELECT r.url || ' ' || c.sha FROM commits c JOIN repositories r ON "
                                 "r.id = c.repository_id WHERE c.id = ";
  if (table == "repositories") return "(SELECT url FROM repositories WHERE id = " + id + ")";
  if (table == "commits") return commit_key + id + ")";
  if (table == "issues") {
    return "(SELECT r.url || '#' || i.number FROM issues i JOIN repositories r ON r.id = i.repository_id "
           "WHERE i.id = " + id + ")";
  }
  if (table == "corpus_queries") {
    return "(SELECT q.kind || ' ' || q.query || ' ' || q.options || ' ' || q.started_at FROM corpus_queries q "
           "WHERE q.id = " + id + ")";
  }
  if (table == "file_changes") {
    return "(SELECT " + commit_key + "f.commit_id) || ' ' || f.status || ' ' || quote(f.old_path) || ' ' || "
           "quote(f.new_path) FROM file_changes f WHERE f.id = " + id + ")";
  }
  return {};
}

}  // namespace

std::vector<std::string> canonical_rows(const std::filesystem::path& db_path) {
  const std::set<std::string> per_process{"repositories.mined_at", "repositories.last_run_id",
                                          "repositories.git_dir"};
  std::vector<std::string> tables;
  {
    auto db = store::Database::open(db_path, store::Database::Mode::ReadOnly);
    auto list = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                           "AND name != 'runs' ORDER BY name");
    while (list.step()) tables.push_back(list.get_text(0));
  }
  std::vector<std::string> result;
  for (const auto& table : tables) {
    auto db = store::Database::open(db_path, store::Database::Mode::ReadOnly);
    std::map<std::string, std::string> foreign;  // column -> referenced table
    {
      auto keys = db.prepare("SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?)");
      keys.bind_all(table);
      while (keys.step()) foreign[keys.get_text(0)] = keys.get_text(1);
    }
    std::string select = "SELECT '" + table + "'";
    auto columns = db.prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid");
    columns.bind_all(table);
    while (columns.step()) {
      const auto column = columns.get_text(0);
      if (column == "id" || per_process.count(table + "." + column)) continue;
      const auto parent = foreign.find(column);
      if (parent != foreign.end() && parent->second == "runs") continue;
      const auto key = parent != foreign.end() ? natural_key(parent->second, "t." + column) : std::string();
      select += " || '|' || quote(" + (key.empty() ? "t." + column : key) + ")";
    }
    select += " FROM " + table + " t";
    auto statement = db.prepare(select);
    while (statement.step()) result.push_back(statement.get_text(0));
  }
  std::sort(result.begin(), result.end());
  return result;
}

}  // namespace hm::test

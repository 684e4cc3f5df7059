#include "store/shared_rows.hpp"

#include <variant>

namespace hm::store {
namespace {

constexpr std::size_t kKnownRows = 1 << 18;  // ~10 MB of ids; Keras' history has 14,955 distinct definitions

}  // namespace

SharedRows::SharedRows(Database& db, std::string table, const std::vector<std::string>& columns)
    : db_(db),
      table_(std::move(table)),
      insert_(db.prepare("INSERT INTO " + table_ + " (id, " + column_list(columns) + ") VALUES (?, " +
                         column_list(columns, "?") + ") ON CONFLICT (id) DO NOTHING")),
      select_(db.prepare("SELECT " + column_list(columns) + " FROM " + table_ + " WHERE id = ?")) {}

std::int64_t SharedRows::put(const std::vector<SqlValue>& row) {
  const auto hash = content_hash(row);
  if (db_.rollbacks() != rollbacks_seen_) {
    known_.clear();
    rollbacks_seen_ = db_.rollbacks();
  }
  if (const auto known = known_.find(hash.id); known != known_.end()) {
    if (known->second == hash.check) return hash.id;
    throw collision(hash.id);
  }
  insert_.bind(1, hash.id);
  for (std::size_t i = 0; i < row.size(); ++i) {
    std::visit([&](auto value) { insert_.bind(static_cast<int>(i) + 2, value); }, row[i]);
  }
  insert_.run();
  if (db_.changes() != 1 && !stored_row_is(hash.id, row)) throw collision(hash.id);
  if (known_.size() >= kKnownRows) known_.clear();
  known_.emplace(hash.id, hash.check);
  return hash.id;
}

Error SharedRows::collision(std::int64_t id) const {
  return Error("two different rows of " + table_ + " have the same content id " + std::to_string(id) +
               " (a 64-bit hash collision; database " + db_.path().string() + ")");
}

bool SharedRows::stored_row_is(std::int64_t id, const std::vector<SqlValue>& row) {
  select_.bind(1, id);
  bool same = select_.step();
  for (std::size_t i = 0; same && i < row.size(); ++i) {
    const int column = static_cast<int>(i);
    if (std::holds_alternative<std::nullptr_t>(row[i])) {
      same = select_.is_null(column);
    } else if (const auto* number = std::get_if<std::int64_t>(&row[i])) {
      same = select_.column_type(column) == SQLITE_INTEGER && select_.get_int(column) == *number;
    } else {
      same = select_.column_type(column) == SQLITE_TEXT && select_.get_text(column) == std::get<std::string_view>(row[i]);
    }
  }
  select_.reset();
  return same;
}

}  // namespace hm::store

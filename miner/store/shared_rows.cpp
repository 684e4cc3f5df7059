#include "store/shared_rows.hpp"

#include <variant>

#include "util/word_hash.hpp"

namespace hm::store {
namespace {

constexpr std::size_t kKnownRows = 1 << 18;  // ~10 MB of ids; Keras' history has 14,955 distinct definitions
constexpr std::size_t kMetBytes = 16u << 20;   // Keras' distinct definitions and verdicts encode to about 4 MB

}  // namespace

SharedRows::SharedRows(Database& db, std::string table, const std::vector<std::string>& columns)
    : db_(db),
      table_(std::move(table)),
      insert_(db.prepare("INSERT INTO " + table_ + " (id, " + column_list(columns) + ") VALUES (?, " +
                         column_list(columns, "?") + ") ON CONFLICT (id) DO NOTHING")),
      select_(db.prepare("SELECT " + column_list(columns) + " FROM " + table_ + " WHERE id = ?")) {}

std::int64_t SharedRows::put(const std::vector<SqlValue>& row) {
  if (db_.rollbacks() != rollbacks_seen_) {
    known_.clear();
    met_.clear();
    met_bytes_ = 0;
    rollbacks_seen_ = db_.rollbacks();
  }
  encoding_.clear();
  append_encoding(row, encoding_);
  const auto fast = util::word_hash(encoding_);
  if (const auto met = met_.find(fast); met != met_.end() && met->second.encoding == encoding_) return met->second.id;
  const auto hash = content_hash_of_encoding(encoding_);
  if (const auto known = known_.find(hash.id); known != known_.end()) {
    if (known->second != hash.check) throw collision(hash.id);
  } else {
    insert_.bind(1, hash.id);
    for (std::size_t i = 0; i < row.size(); ++i) {
      std::visit([&](auto value) { insert_.bind(static_cast<int>(i) + 2, value); }, row[i]);
    }
    insert_.run();
    if (db_.changes() != 1 && !stored_row_is(hash.id, row)) throw collision(hash.id);
    if (known_.size() >= kKnownRows) known_.clear();
    known_.emplace(hash.id, hash.check);
  }
  if (met_bytes_ + encoding_.size() > kMetBytes) {
    met_.clear();
    met_bytes_ = 0;
  }
  // A row whose fast hash another row has keeps the first there: a miss costs only the content hash.
  if (met_.emplace(fast, Met{encoding_, hash.id}).second) met_bytes_ += encoding_.size();
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

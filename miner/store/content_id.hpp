#pragma once
// Ids of the rows stored once however many blobs hold them (function_definitions and function_verdicts, schema
// v9): a 64-bit hash of the row's values. The same row gets the same id in every process, shard and migration, so
// merging databases needs no renumbering. The database computes it as hm_content_id(v1, v2, ...), a function
// every connection has (Database::open); the writer computes it here from the values it binds. Both hash the same
// encoding of SQL values, so the values must be the same, of the same SQL types, in the same order.
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hm::store {

// One SQL value as bound or read (the writer's rows hold no REAL or BLOB values).
using SqlValue = std::variant<std::nullptr_t, std::int64_t, std::string_view>;

inline SqlValue sql_value(std::int64_t value) { return value; }
inline SqlValue sql_value(std::string_view value) { return value; }
inline SqlValue sql_value(const std::string& value) { return std::string_view(value); }
template <typename T>
SqlValue sql_value(const std::optional<T>& value) {
  if (!value) return nullptr;
  return sql_value(*value);
}

// Two independent 64-bit hashes of a row: `id` names it; `check` tells apart two rows that happen to share an id
// (the chance that any two of ten million distinct rows do is about 3 in a million), which the writer then
// reports instead of mixing them up.
struct ContentHash {
  std::int64_t id = 0;
  std::uint64_t check = 0;
};

ContentHash content_hash(const std::vector<SqlValue>& row);
// The two steps of content_hash: the row's encoding, appended to `out` (equal rows, and only they, encode alike),
// and the hash of an encoding.
void append_encoding(const std::vector<SqlValue>& row, std::string& out);
ContentHash content_hash_of_encoding(std::string_view encoding);

// Registers hm_content_id(...) (deterministic, any number of arguments) on a connection.
void register_content_id(sqlite3* db);

}  // namespace hm::store

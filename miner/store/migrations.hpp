#pragma once
// Versioned schema: schema/NNNN_name.sql files, applied in order at open. PRAGMA user_version holds the number
// of the last applied migration; each migration runs in its own transaction together with the version bump, so a
// killed upgrade leaves the database at the previous version, never in between.
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "store/sqlite.hpp"

namespace hm::store {

struct Migration {
  std::int64_t version;
  std::string_view name;
  std::string_view sql;
};

// The migrations compiled into this binary, ordered by version.
const std::vector<Migration>& migrations();
std::int64_t latest_schema_version();

// Applies every migration newer than the database's version. Throws if the database is newer than the binary.
void migrate(Database& db);

// Opens a database for writing: creates it if missing, WAL mode, migrated to the latest version.
Database open_database(const std::filesystem::path& file);

// Opens an existing database read-only (for queries and reports); it must already have a schema.
Database open_database_readonly(const std::filesystem::path& file);

}  // namespace hm::store

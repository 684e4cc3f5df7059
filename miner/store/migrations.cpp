#include "store/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "util/embedded_file.hpp"
#include "util/fault_injection.hpp"

namespace hm::store {
namespace {

std::int64_t version_of(std::string_view name) {
  std::int64_t version = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), version);
  if (ec != std::errc() || end == name.data() || version <= 0) {
    throw Error("schema migration file name must start with its version number: " + std::string(name));
  }
  return version;
}

std::vector<Migration> load_migrations() {
  std::vector<Migration> result;
  for (const auto& file : embedded::schema_migrations()) {
    result.push_back({version_of(file.name), file.name, file.text});
  }
  std::sort(result.begin(), result.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  for (std::size_t i = 0; i < result.size(); ++i) {
    if (result[i].version != static_cast<std::int64_t>(i + 1)) {
      throw Error("schema migrations must be numbered 1, 2, 3, ... without gaps; found " +
                  std::string(result[i].name));
    }
  }
  return result;
}

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = load_migrations();
  return all;
}

std::int64_t latest_schema_version() { return migrations().empty() ? 0 : migrations().back().version; }

void migrate(Database& db) {
  const auto current = db.user_version();
  if (current > latest_schema_version()) {
    throw Error("database " + db.path().string() + " has schema version " + std::to_string(current) +
                ", newer than this hybridminer supports (" + std::to_string(latest_schema_version()) +
                "); use a newer hybridminer");
  }
  for (const auto& migration : migrations()) {
    if (migration.version <= current) continue;
    Transaction transaction(db);
    db.exec(migration.sql);
    db.exec("PRAGMA user_version = " + std::to_string(migration.version));
    transaction.commit();
  }
}

Database open_database(const std::filesystem::path& file) {
  auto db = Database::open(file, Database::Mode::ReadWrite);
  // SQLite silently opens a file it may not write read-only; say so now rather than fail at the first insert.
  if (sqlite3_db_readonly(db.handle(), "main") == 1) {
    throw Error("database " + file.string() + " is read-only (no write permission on the file or its folder)");
  }
  // HYBRIDMINER_FAULT_MAX_PAGES=N (tests): cap the file at N pages, so writes fail as on a full disk.
  if (const auto pages = util::fault_point("HYBRIDMINER_FAULT_MAX_PAGES")) {
    db.exec("PRAGMA max_page_count = " + std::to_string(*pages));
  }
  // WAL: readers (queries, reports) never block the miner. synchronous=NORMAL in WAL mode still survives a
  // killed process with every committed transaction intact; only an OS crash may lose the last ones.
  {
    auto mode = db.prepare("PRAGMA journal_mode = WAL");
    mode.step();
    if (mode.get_text(0) != "wal") {
      throw Error("cannot switch database " + file.string() + " to WAL mode (got " + mode.get_text(0) + ")");
    }
  }
  db.exec("PRAGMA synchronous = NORMAL");
  // A mine rewrites the same index pages (blob_function_spans, blob_imports, ...) over and over: a 64 MiB page
  // cache (the default is 2 MiB) and a 256 MiB WAL between checkpoints (default 4 MiB) keep them in memory instead
  // of copying them back and forth through the kernel. Each checkpoint copies every page the log holds, however
  // often rewritten since the last (Keras, perf samples in checkpoints at 250 Hz: 368 with 64 MiB, 104 with
  // 256 MiB, 243 with 1 GiB, where the one checkpoint at the end sorts and copies the whole log). The mine also
  // checkpoints a long log at a source's end, while the tip's advice is worked out (miner.cpp).
  db.exec("PRAGMA cache_size = -65536");
  db.checkpoint_every(65536);
  migrate(db);
  return db;
}

Database open_database_readonly(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    throw Error("database " + file.string() + " does not exist; run `hybridminer mine --db " + file.string() +
                " ...` first");
  }
  auto db = Database::open(file, Database::Mode::ReadOnly);
  const auto version = db.user_version();
  if (version == 0) throw Error(file.string() + " is not a hybridminer database (no schema)");
  if (version > latest_schema_version()) {
    throw Error("database " + file.string() + " has schema version " + std::to_string(version) +
                ", newer than this hybridminer supports");
  }
  if (version < latest_schema_version()) {
    throw Error("database " + file.string() + " has schema version " + std::to_string(version) +
                "; open it once with `hybridminer mine` (no sources) to upgrade it to " +
                std::to_string(latest_schema_version()));
  }
  return db;
}

}  // namespace hm::store

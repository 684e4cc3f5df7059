#include "store/sqlite.hpp"

#include <utility>

#include "store/content_id.hpp"

namespace hm::store {
namespace {

// Result codes that say the database file itself cannot take writes any more, whatever is written next.
[[noreturn]] void throw_sql_error(int rc, const std::string& message) {
  switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
      throw DatabaseFailure(message);
    default:
      throw Error(message);
  }
}

// SQLite counts every allocation under one global mutex, for sqlite3_memory_used and the soft heap limit, which
// hybridminer uses neither of; with several connections on as many threads (the writer and the walks' readers)
// that mutex is taken for each of them. Set before SQLite initialises itself (its first open), where it must be.
void configure_sqlite_once() {
  static const int configured = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }();
  (void)configured;  // SQLITE_MISUSE if something initialised SQLite first: then it keeps counting, no harm done
}

}  // namespace

Database::Database(std::unique_ptr<sqlite3, SqliteCloser> db, std::filesystem::path path)
    : db_(std::move(db)), path_(std::move(path)), rollbacks_(std::make_unique<std::uint64_t>(0)) {
  sqlite3_rollback_hook(db_.get(), [](void* count) { ++*static_cast<std::uint64_t*>(count); }, rollbacks_.get());
}

Database Database::open(const std::filesystem::path& file, Mode mode) {
  configure_sqlite_once();
  sqlite3* raw = nullptr;
  const int flags = mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<sqlite3, SqliteCloser> owned(raw);
  if (rc != SQLITE_OK) {
    const std::string why = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    throw Error("cannot open database " + file.string() + ": " + why);
  }
  sqlite3_extended_result_codes(raw, 1);
  // Several hybridminer processes (shards, a query while mining) may touch one file: wait instead of failing.
  sqlite3_busy_timeout(raw, 30'000);
  // The ids of shared rows (schema v9), for migrations and merges; the writer computes them itself.
  register_content_id(raw);
  Database db(std::move(owned), file);
  db.exec("PRAGMA foreign_keys = ON");
  return db;
}

std::string column_list(const std::vector<std::string>& names, std::string_view prefix) {
  std::string text;
  for (const auto& name : names) {
    if (!text.empty()) text += ", ";
    text += prefix;
    if (prefix != "?") text += name;
  }
  return text;
}

int Database::WalLog::checkpoint(sqlite3* db, const char* name) {
  int copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, &copied);
  if (rc == SQLITE_OK) checkpointed = copied;
  return rc;
}

void Database::checkpoint_every(int frames) {
  wal_log_ = std::make_unique<WalLog>(WalLog{frames});
  sqlite3_wal_hook(
      db_.get(),
      [](void* data, sqlite3* db, const char* name, int log_frames) {
        auto& log = *static_cast<WalLog*>(data);
        log.frames = log_frames;
        if (log_frames < log.checkpointed) log.checkpointed = 0;  // restarted
        // As SQLite's own hook: a failure here is not the commit's; the next commit tries again.
        if (log_frames >= log.every) log.checkpoint(db, name);
        return SQLITE_OK;
      },
      wal_log_.get());
}

bool Database::checkpoint_if_longer(int frames) {
  if (!wal_log_ || wal_log_->frames - wal_log_->checkpointed < frames) return false;
  const int rc = wal_log_->checkpoint(db_.get(), nullptr);
  // Busy: another connection checkpoints; the log is copied all the same.
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    throw_sql_error(rc, std::string("checkpoint failed: ") + sqlite3_errmsg(db_.get()) + " (database " +
                            path_.string() + ")");
  }
  return true;
}

void Database::fail(std::string_view what) const {
  throw Error(std::string(what) + ": " + sqlite3_errmsg(db_.get()) + " (database " + path_.string() + ")");
}

void Database::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message); rc != SQLITE_OK) {
    std::string why = message ? message : sqlite3_errmsg(db_.get());
    sqlite3_free(message);
    const auto first_line = text.substr(0, text.find('\n'));
    throw_sql_error(rc, "SQL failed: " + why + " in: " + first_line + " (database " + path_.string() + ")");
  }
}

Statement Database::prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, &tail) != SQLITE_OK) {
    fail("cannot prepare SQL");
  }
  if (raw == nullptr) throw Error("empty SQL statement");
  return Statement(*this, std::unique_ptr<sqlite3_stmt, StatementFinalizer>(raw));
}

std::int64_t Database::last_insert_id() const noexcept { return sqlite3_last_insert_rowid(db_.get()); }
int Database::changes() const noexcept { return sqlite3_changes(db_.get()); }

std::int64_t Database::user_version() {
  auto stmt = prepare("PRAGMA user_version");
  stmt.step();
  return stmt.get_int(0);
}

Statement::Statement(const Database& db, std::unique_ptr<sqlite3_stmt, StatementFinalizer> stmt)
    : db_(&db), stmt_(std::move(stmt)) {}

void Statement::check_bind(int rc, int index) {
  if (rc != SQLITE_OK) db_->fail("cannot bind parameter " + std::to_string(index));
}

Statement& Statement::bind(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_.get(), index, value), index);
  return *this;
}
Statement& Statement::bind(int index, double value) {
  check_bind(sqlite3_bind_double(stmt_.get(), index, value), index);
  return *this;
}
Statement& Statement::bind(int index, std::string_view value) {
  check_bind(sqlite3_bind_text64(stmt_.get(), index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
             index);
  return *this;
}
Statement& Statement::bind(int index, std::nullptr_t) {
  check_bind(sqlite3_bind_null(stmt_.get(), index), index);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const char* sql = sqlite3_sql(stmt_.get());
  std::string first_line = sql ? sql : "";
  first_line = first_line.substr(0, first_line.find('\n'));
  const std::string message = std::string("SQL failed: ") + sqlite3_errmsg(db_->handle()) + " in: " + first_line +
                              " (database " + db_->path().string() + ")";
  // Reset so a cached statement stays usable after the caller handles the error.
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  throw_sql_error(rc, message);
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

int Statement::column_count() const noexcept { return sqlite3_column_count(stmt_.get()); }
std::string Statement::column_name(int column) const { return sqlite3_column_name(stmt_.get(), column); }
bool Statement::is_null(int column) const noexcept { return column_type(column) == SQLITE_NULL; }
int Statement::column_type(int column) const noexcept { return sqlite3_column_type(stmt_.get(), column); }
std::int64_t Statement::get_int(int column) const noexcept { return sqlite3_column_int64(stmt_.get(), column); }
double Statement::get_double(int column) const noexcept { return sqlite3_column_double(stmt_.get(), column); }

std::string Statement::get_text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), column)));
}

std::optional<std::string> Statement::get_optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return get_text(column);
}

bool Statement::is_readonly() const noexcept { return sqlite3_stmt_readonly(stmt_.get()) != 0; }

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (done_) return;
  // Destructors must not throw: a failed rollback leaves SQLite to roll back when the connection closes.
  sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace hm::store

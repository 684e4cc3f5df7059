#include "app/github_session.hpp"

#include "store/history_store.hpp"
#include "store/migrations.hpp"
#include "util/time.hpp"

#ifndef HM_VERSION
#define HM_VERSION "unknown"
#endif

namespace hm::app {
namespace {

std::string dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

GitHubSession::GitHubSession(const std::filesystem::path& db, const std::string& command,
                             const std::vector<std::string>& argv, const nlohmann::json& options)
    : db_(store::open_database(db)) {
  auto options_from_env = github::options_from_environment();
  options_from_env.user_agent = std::string("hybridminer/") + HM_VERSION;
  auto recorded = options;
  recorded["db"] = db.string();
  recorded["api_url"] = options_from_env.base_url;  // never the token
  store::HistoryStore history(db_);
  run_id_ = history.begin_run(command, dump(nlohmann::json(argv)), dump(recorded));
  cache_ = std::make_unique<github::SqliteResponseCache>(db_);
  client_ = std::make_unique<github::Client>(options_from_env, cache_.get());
}

std::int64_t GitHubSession::count(const std::string& sql) {
  auto statement = db_.prepare(sql);
  statement.step();
  return statement.get_int(0);
}

void GitHubSession::finish(std::int64_t sources, std::int64_t failed, std::int64_t issues_added) {
  const char* status = failed == 0 ? "ok" : failed < sources ? "partial" : "failed";
  db_.prepare(
         "UPDATE runs SET finished_at = ?, status = ?, sources = ?, sources_failed = ?, github_requests = ?, "
         "issues_added = ? WHERE id = ?")
      .bind_all(util::now_iso_utc(), status, sources, failed, client_->requests_sent(),
                issues_added, run_id_)
      .run();
}

}  // namespace hm::app

#pragma once
// What every GitHub subcommand sets up: the database (migrated), a run row for provenance, and a GitHub client
// configured from the environment whose ETags live in the database.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "github/client.hpp"
#include "github/http_cache.hpp"
#include "store/sqlite.hpp"

namespace hm::app {

class GitHubSession {
 public:
  GitHubSession(const std::filesystem::path& db, const std::string& command, const std::vector<std::string>& argv,
                const nlohmann::json& options);

  store::Database& db() noexcept { return db_; }
  github::Client& client() noexcept { return *client_; }
  std::int64_t run_id() const noexcept { return run_id_; }
  std::int64_t count(const std::string& sql);

  // Closes the run: `sources` repositories handled (searched, added or synced), `failed` of them failed.
  void finish(std::int64_t sources, std::int64_t failed, std::int64_t issues_added = 0);

 private:
  store::Database db_;
  std::int64_t run_id_ = 0;
  std::unique_ptr<github::SqliteResponseCache> cache_;
  std::unique_ptr<github::Client> client_;
};

}  // namespace hm::app

#pragma once
// Fetches a repository's issues, pull requests and comments incrementally and resumably. Three passes, each a
// listing sorted by update time: issues and pull requests (GET /repos/{r}/issues?state=all&since=...), their
// comments (GET /repos/{r}/issues/comments?since=...), and closed pull requests for their merge commits
// (GET /repos/{r}/pulls?state=closed, newest update first, read until the last pass's start). Each page is
// stored in one transaction together with the URL of the next page (table github_sync), so a killed run resumes
// at the page it was reading; a complete pass moves `since` to its start (less a margin for clock skew).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "github/client.hpp"
#include "github/issue_store.hpp"
#include "store/sqlite.hpp"

namespace hm::github {

struct SyncOptions {
  bool comments = true;
  bool pulls = true;
};

struct SyncCounts {
  std::int64_t pages = 0;
  std::int64_t issues = 0;           // issues and pull requests stored or updated
  std::int64_t comments = 0;
  std::int64_t merges = 0;           // pull requests whose merge commit was recorded
  std::int64_t comments_skipped = 0; // comments of issues GitHub no longer serves (deleted, transferred)
};

class IssueSync {
 public:
  IssueSync(Client& client, store::Database& db, Client::Notice notice = {});

  SyncCounts sync(std::int64_t repository_id, const std::string& full_name, const SyncOptions& options);

 private:
  struct PageData;
  void run_pass(std::int64_t repository_id, const std::string& full_name, const std::string& resource,
                SyncCounts& counts);
  PageData prepare(std::int64_t repository_id, const std::string& full_name, const std::string& resource,
                   const Page& page, const std::optional<std::string>& since);
  void store(std::int64_t repository_id, const std::string& resource, const PageData& data,
             const std::string& pass_started, const std::optional<std::string>& next_url, SyncCounts& counts);

  Client& client_;
  store::Database& db_;
  IssueStore issues_;
  Client::Notice notice_;
  std::int64_t pages_stored_ = 0;
};

}  // namespace hm::github

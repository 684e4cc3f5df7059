#pragma once
// Fetches a repository's issues, pull requests and comments incrementally and resumably. Four passes, each a
// listing sorted by update time: issues and pull requests (GET /repos/{r}/issues?state=all&since=...), their
// conversation comments (GET /repos/{r}/issues/comments?since=...), pull-request review comments
// (GET /repos/{r}/pulls/comments?since=...), and closed pull requests for their merge commits
// (GET /repos/{r}/pulls?state=closed, newest update first, read until the last pass's start). Each page is
// stored in one transaction together with the URL of the next page (table github_sync), so a killed run resumes
// at the page it was reading; a complete pass moves `since` to its start (less a margin for clock skew).
//
// Then the timelines of the candidate hybridization bug reports only (GET /repos/{r}/issues/{n}/timeline, every
// page), to bound the requests: commits that referenced or closed them, pull requests that cross-referenced
// them, and their live conversation comments. An issue is skipped while its updated_at is the one its timeline
// was read at. A timeline answering 404/410 marks the issue deleted; a comment a complete timeline no longer
// lists is marked deleted. Each issue's timeline is stored in one transaction.
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
  bool review_comments = true;
  bool pulls = true;
  bool timelines = true;
};

struct SyncCounts {
  std::int64_t pages = 0;
  std::int64_t issues = 0;           // issues and pull requests stored or updated
  std::int64_t comments = 0;
  std::int64_t merges = 0;           // pull requests whose merge commit was recorded
  std::int64_t comments_skipped = 0; // comments of issues GitHub no longer serves (deleted, transferred)
  std::int64_t review_comments = 0;
  std::int64_t timelines = 0;         // candidate reports whose timeline was read
  std::int64_t issues_deleted = 0;    // issues newly marked deleted (their timeline answered 404/410)
  std::int64_t comments_deleted = 0;  // comments newly marked deleted (no longer in their issue's timeline)

  SyncCounts& operator+=(const SyncCounts& other);
};

class IssueSync {
 public:
  IssueSync(Client& client, store::Database& db, Client::Notice notice = {});

  SyncCounts sync(std::int64_t repository_id, const std::string& full_name, const SyncOptions& options);

 private:
  struct PageData;
  void run_pass(std::int64_t repository_id, const std::string& full_name, const std::string& resource,
                SyncCounts& counts);
  void sync_timelines(std::int64_t repository_id, const std::string& full_name, SyncCounts& counts);
  std::optional<Issue> fetch_missing_issue(const std::string& full_name, std::int64_t number);
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

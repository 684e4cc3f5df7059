#pragma once
// Issues, pull requests, their comments (conversation and review comments) and timeline events as GitHub's REST
// API returns them, validated (issue_store parses before anything is written) and stored in issues, issue_labels,
// issue_comments, issue_references and issue_timeline_events. Storing an issue or a comment (re)classifies the
// issue as a candidate hybridization bug report (github/report_rules.hpp): by its title and body first, else by
// its earliest live comment that matches, recording which. The caller owns transactions.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite.hpp"

namespace hm::github {

struct Issue {
  std::int64_t github_id = 0;
  std::int64_t number = 0;
  bool is_pull_request = false;
  std::string title;
  std::optional<std::string> body;
  std::string state;
  std::optional<std::string> state_reason;
  std::optional<std::string> author;
  std::optional<std::string> author_association;
  std::int64_t comments = 0;
  std::string html_url;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> closed_at;
  std::optional<std::string> merged_at;  // pull requests: the issues API tells it in pull_request.merged_at
  std::vector<std::string> labels;
};

struct Comment {
  std::int64_t id = 0;
  std::string kind = "issue";     // "issue" (conversation) or "review" (a diff line of a pull request)
  std::int64_t issue_number = 0;  // from issue_url (pull_request_url for review comments)
  std::optional<std::string> author;
  std::optional<std::string> author_association;
  std::optional<std::string> body;
  std::string html_url;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> path;  // review comments: the file
};

// What a timeline says about commits: a commit that referenced or closed the issue, or an issue or pull request
// that cross-referenced it. Other events are not kept (comments come as Comment).
struct TimelineEvent {
  std::string event;  // referenced, closed, cross-referenced
  std::optional<std::string> commit_sha;
  std::optional<std::string> commit_repository;  // owner/name from commit_url
  std::optional<std::string> source_repository;
  std::optional<std::int64_t> source_number;
  std::optional<bool> source_is_pull_request;
  std::optional<std::string> actor;
  std::string created_at;
};

struct Timeline {
  std::vector<TimelineEvent> events;
  std::vector<Comment> comments;  // its "commented" events: every live conversation comment of the issue
};

struct PullMerge {
  std::int64_t number = 0;
  std::string updated_at;
  std::optional<std::string> merged_at;
  std::optional<std::string> merge_commit_sha;
};

// Each throws hm::Error naming `context` (the URL) and the field for a missing field or a wrong type.
Issue parse_issue(const nlohmann::json& json, const std::string& context);
Comment parse_comment(const nlohmann::json& json, const std::string& context);
Comment parse_review_comment(const nlohmann::json& json, const std::string& context);
PullMerge parse_pull(const nlohmann::json& json, const std::string& context);
// Appends the events and comments of one timeline page of issue `number` (an array) to `timeline`.
void parse_timeline_page(const nlohmann::json& json, const std::string& context, std::int64_t number,
                         Timeline& timeline);

class IssueStore {
 public:
  explicit IssueStore(store::Database& db);

  // Inserts or updates (by repository and number) the issue, its labels and references; returns its id.
  std::int64_t upsert_issue(std::int64_t repository_id, const Issue& issue);
  std::optional<std::int64_t> issue_id(std::int64_t repository_id, std::int64_t number);
  // Stores the comment with the rule its body matches (live again if it was marked deleted); call
  // refresh_candidate for its issue afterwards.
  void upsert_comment(std::int64_t issue_id, const Comment& comment);
  // Records a pull request's merge (the merge commit only when merged); false when the pull request is not stored.
  bool set_merge(std::int64_t repository_id, const PullMerge& merge);
  // Classifies the stored issue again from its title and body, else its earliest live matching comment.
  void refresh_candidate(std::int64_t issue_id);
  // GitHub answered 404/410 for the issue: marks it deleted (keeps the row and its comments).
  void mark_deleted(std::int64_t issue_id);
  // Replaces the issue's timeline events, stores its comments, marks its conversation comments that the complete
  // timeline no longer lists as deleted (when `complete`), reclassifies it and records `updated_at` as the state
  // of the issue the timeline was read at. Returns the comments newly marked deleted.
  std::int64_t store_timeline(std::int64_t issue_id, const Timeline& timeline, bool complete,
                              const std::string& updated_at);

 private:
  // Title and body first; else the earliest live comment that matches; else not a candidate.
  void apply_candidate(std::int64_t issue_id, bool title_body_match, const std::string& rule);

  store::Database& db_;
  store::Statement upsert_issue_;
  store::Statement find_issue_;
  store::Statement delete_labels_;
  store::Statement insert_label_;
  store::Statement delete_references_;
  store::Statement insert_reference_;
  store::Statement upsert_comment_;
  store::Statement set_merge_;
  store::Statement read_issue_text_;
  store::Statement first_matching_comment_;
  store::Statement set_candidate_;
};

}  // namespace hm::github

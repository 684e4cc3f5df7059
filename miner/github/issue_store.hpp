#pragma once
// Issues, pull requests and their comments as GitHub's REST API returns them, validated (issue_store parses
// before anything is written) and stored in issues, issue_labels, issue_comments and issue_references. Storing
// an issue classifies it as a candidate hybridization bug report (github/report_rules.hpp). The caller owns
// transactions.
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
  std::int64_t issue_number = 0;  // from issue_url
  std::optional<std::string> author;
  std::optional<std::string> author_association;
  std::optional<std::string> body;
  std::string html_url;
  std::string created_at;
  std::string updated_at;
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
PullMerge parse_pull(const nlohmann::json& json, const std::string& context);

class IssueStore {
 public:
  explicit IssueStore(store::Database& db);

  // Inserts or updates (by repository and number) the issue, its labels and references; returns its id.
  std::int64_t upsert_issue(std::int64_t repository_id, const Issue& issue);
  std::optional<std::int64_t> issue_id(std::int64_t repository_id, std::int64_t number);
  void upsert_comment(std::int64_t issue_id, const Comment& comment);
  // Records a pull request's merge; false when the pull request is not stored.
  bool set_merge(std::int64_t repository_id, const PullMerge& merge);

 private:
  store::Database& db_;
  store::Statement upsert_issue_;
  store::Statement find_issue_;
  store::Statement delete_labels_;
  store::Statement insert_label_;
  store::Statement delete_references_;
  store::Statement insert_reference_;
  store::Statement upsert_comment_;
  store::Statement set_merge_;
};

}  // namespace hm::github

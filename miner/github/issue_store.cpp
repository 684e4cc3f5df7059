#include "github/issue_store.hpp"

#include <charconv>

#include "detectors/commit_message.hpp"
#include "github/json_fields.hpp"
#include "github/report_rules.hpp"
#include "util/time.hpp"

namespace hm::github {
namespace {

std::optional<std::string> login_of(const JsonReader& object) {
  const auto user = object.optional_object("user");
  return user ? user->optional_text("login") : std::nullopt;
}

// ".../repos/o/n/issues/12" -> 12
std::int64_t number_from_issue_url(const JsonReader& comment) {
  const auto url = comment.text("issue_url");
  const auto slash = url.rfind('/');
  std::int64_t number = 0;
  const auto* begin = url.data() + (slash == std::string::npos ? 0 : slash + 1);
  const auto [end, ec] = std::from_chars(begin, url.data() + url.size(), number);
  if (ec != std::errc() || end != url.data() + url.size() || number <= 0) {
    comment.fail("field 'issue_url' does not end in an issue number: " + url);
  }
  return number;
}

}  // namespace

Issue parse_issue(const nlohmann::json& json, const std::string& context) {
  const auto object = expect_object(json, context);
  Issue issue;
  issue.github_id = object.integer("id");
  issue.number = object.integer("number");
  if (issue.number <= 0) object.fail("field 'number' is not positive");
  issue.title = object.text("title");
  issue.body = object.optional_text("body");
  issue.state = object.text("state");
  if (issue.state != "open" && issue.state != "closed") object.fail("field 'state' is neither open nor closed");
  issue.state_reason = object.optional_text("state_reason");
  issue.author = login_of(object);
  issue.author_association = object.optional_text("author_association");
  issue.comments = object.optional_integer("comments").value_or(0);
  issue.html_url = object.text("html_url");
  issue.created_at = object.text("created_at");
  issue.updated_at = object.text("updated_at");
  issue.closed_at = object.optional_text("closed_at");
  if (const auto pull = object.optional_object("pull_request")) {
    issue.is_pull_request = true;
    issue.merged_at = pull->optional_text("merged_at");
  }
  if (object.has("labels")) {
    for (const auto& label : object.array("labels")) {
      // GitHub sends label objects; older answers and some tools send plain names.
      if (label.is_string()) {
        issue.labels.push_back(label.get<std::string>());
      } else {
        issue.labels.push_back(expect_object(label, context).text("name"));
      }
    }
  }
  return issue;
}

Comment parse_comment(const nlohmann::json& json, const std::string& context) {
  const auto object = expect_object(json, context);
  Comment comment;
  comment.id = object.integer("id");
  comment.issue_number = number_from_issue_url(object);
  comment.author = login_of(object);
  comment.author_association = object.optional_text("author_association");
  comment.body = object.optional_text("body");
  comment.html_url = object.text("html_url");
  comment.created_at = object.text("created_at");
  comment.updated_at = object.text("updated_at");
  return comment;
}

PullMerge parse_pull(const nlohmann::json& json, const std::string& context) {
  const auto object = expect_object(json, context);
  PullMerge merge;
  merge.number = object.integer("number");
  merge.updated_at = object.text("updated_at");
  merge.merged_at = object.optional_text("merged_at");
  merge.merge_commit_sha = object.optional_text("merge_commit_sha");
  return merge;
}

IssueStore::IssueStore(store::Database& db)
    : db_(db),
      upsert_issue_(db.prepare(
          "INSERT INTO issues (repository_id, github_id, number, is_pull_request, title, body, state, state_reason, "
          "author, author_association, comments, html_url, created_at, updated_at, closed_at, merged_at, "
          "is_candidate, candidate_rule, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (repository_id, number) DO UPDATE SET github_id = excluded.github_id, "
          "is_pull_request = excluded.is_pull_request, title = excluded.title, body = excluded.body, "
          "state = excluded.state, state_reason = excluded.state_reason, author = excluded.author, "
          "author_association = excluded.author_association, comments = excluded.comments, "
          "html_url = excluded.html_url, created_at = excluded.created_at, updated_at = excluded.updated_at, "
          "closed_at = excluded.closed_at, merged_at = coalesce(excluded.merged_at, merged_at), "
          "is_candidate = excluded.is_candidate, candidate_rule = excluded.candidate_rule, "
          "fetched_at = excluded.fetched_at RETURNING id")),
      find_issue_(db.prepare("SELECT id FROM issues WHERE repository_id = ? AND number = ?")),
      delete_labels_(db.prepare("DELETE FROM issue_labels WHERE issue_id = ?")),
      insert_label_(db.prepare("INSERT OR IGNORE INTO issue_labels (issue_id, name) VALUES (?, ?)")),
      delete_references_(db.prepare("DELETE FROM issue_references WHERE issue_id = ?")),
      insert_reference_(db.prepare(
          "INSERT INTO issue_references (issue_id, repository, number, kind, text) VALUES (?, ?, ?, ?, ?)")),
      upsert_comment_(db.prepare(
          "INSERT INTO issue_comments (id, issue_id, author, author_association, body, html_url, created_at, "
          "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET issue_id = excluded.issue_id, "
          "author = excluded.author, author_association = excluded.author_association, body = excluded.body, "
          "html_url = excluded.html_url, created_at = excluded.created_at, updated_at = excluded.updated_at")),
      set_merge_(db.prepare(
          "UPDATE issues SET merged_at = ?, merge_commit_sha = ? WHERE repository_id = ? AND number = ? "
          "AND is_pull_request = 1")) {}

std::int64_t IssueStore::upsert_issue(std::int64_t repository_id, const Issue& issue) {
  const auto match = classify_report(issue.title, issue.body.value_or(""));
  upsert_issue_.reset();
  upsert_issue_.bind_all(repository_id, issue.github_id, issue.number, issue.is_pull_request ? 1 : 0, issue.title,
                         issue.body, issue.state, issue.state_reason, issue.author, issue.author_association,
                         issue.comments, issue.html_url, issue.created_at, issue.updated_at, issue.closed_at,
                         issue.merged_at, match.is_candidate ? 1 : 0,
                         match.is_candidate ? std::optional<std::string>(match.rule) : std::nullopt,
                         util::now_iso_utc());
  if (!upsert_issue_.step()) db_.fail("cannot store issue #" + std::to_string(issue.number));
  const auto id = upsert_issue_.get_int(0);
  upsert_issue_.reset();

  delete_labels_.bind_all(id).run();
  for (const auto& label : issue.labels) insert_label_.bind_all(id, label).run();
  delete_references_.bind_all(id).run();
  for (const auto& reference : detectors::find_issue_references(issue.title + "\n" + issue.body.value_or(""))) {
    if (reference.repository == std::nullopt && reference.number == issue.number) continue;  // itself
    insert_reference_.bind_all(id, reference.repository, reference.number, reference.kind, reference.text).run();
  }
  return id;
}

std::optional<std::int64_t> IssueStore::issue_id(std::int64_t repository_id, std::int64_t number) {
  find_issue_.reset();
  find_issue_.bind_all(repository_id, number);
  std::optional<std::int64_t> id;
  if (find_issue_.step()) id = find_issue_.get_int(0);
  find_issue_.reset();
  return id;
}

void IssueStore::upsert_comment(std::int64_t issue_id, const Comment& comment) {
  upsert_comment_
      .bind_all(comment.id, issue_id, comment.author, comment.author_association, comment.body, comment.html_url,
                comment.created_at, comment.updated_at)
      .run();
}

bool IssueStore::set_merge(std::int64_t repository_id, const PullMerge& merge) {
  set_merge_.bind_all(merge.merged_at, merge.merge_commit_sha, repository_id, merge.number).run();
  return db_.changes() > 0;
}

}  // namespace hm::github

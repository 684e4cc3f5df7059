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

// ".../repos/o/n/issues/12" -> 12 (FIELD is issue_url, or pull_request_url for review comments)
std::int64_t number_from_url(const JsonReader& object, const char* field) {
  const auto url = object.text(field);
  const auto slash = url.rfind('/');
  std::int64_t number = 0;
  const auto* begin = url.data() + (slash == std::string::npos ? 0 : slash + 1);
  const auto [end, ec] = std::from_chars(begin, url.data() + url.size(), number);
  if (ec != std::errc() || end != url.data() + url.size() || number <= 0) {
    object.fail(std::string("field '") + field + "' does not end in an issue number: " + url);
  }
  return number;
}

// The fields issue and review comments share; the caller sets kind and issue_number.
Comment comment_fields(const JsonReader& object) {
  Comment comment;
  comment.id = object.integer("id");
  comment.author = login_of(object);
  comment.author_association = object.optional_text("author_association");
  comment.body = object.optional_text("body");
  comment.html_url = object.text("html_url");
  comment.created_at = object.text("created_at");
  comment.updated_at = object.text("updated_at");
  return comment;
}

// ".../repos/o/n/commits/SHA" -> "o/n"; nullopt for any other shape (the commit is still linked by its sha).
std::optional<std::string> repository_of_commit_url(const std::optional<std::string>& url) {
  if (!url) return std::nullopt;
  const auto repos = url->find("/repos/");
  const auto commits = url->rfind("/commits/");
  if (repos == std::string::npos || commits == std::string::npos || commits <= repos + 7) return std::nullopt;
  return url->substr(repos + 7, commits - repos - 7);
}

TimelineEvent timeline_event(const JsonReader& item, const std::string& event) {
  TimelineEvent parsed;
  parsed.event = event;
  parsed.created_at = item.text("created_at");
  if (const auto actor = item.optional_object("actor")) parsed.actor = actor->optional_text("login");
  if (event == "cross-referenced") {
    const auto source = item.object("source").object("issue");
    parsed.source_number = source.integer("number");
    parsed.source_is_pull_request = source.has("pull_request");
    if (const auto repository = source.optional_object("repository")) {
      parsed.source_repository = repository->text("full_name");
    }
  } else {
    parsed.commit_sha = item.optional_text("commit_id");
    parsed.commit_repository = repository_of_commit_url(item.optional_text("commit_url"));
  }
  return parsed;
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
  auto comment = comment_fields(object);
  comment.issue_number = number_from_url(object, "issue_url");
  return comment;
}

Comment parse_review_comment(const nlohmann::json& json, const std::string& context) {
  const auto object = expect_object(json, context);
  auto comment = comment_fields(object);
  comment.kind = "review";
  comment.issue_number = number_from_url(object, "pull_request_url");
  comment.path = object.optional_text("path");
  return comment;
}

void parse_timeline_page(const nlohmann::json& json, const std::string& context, std::int64_t number,
                         Timeline& timeline) {
  for (const auto& item : expect_array(json, context)) {
    const auto object = expect_object(item, context);
    const auto event = object.text("event");
    if (event == "referenced" || event == "closed" || event == "cross-referenced") {
      timeline.events.push_back(timeline_event(object, event));
    } else if (event == "commented") {
      auto comment = comment_fields(object);
      comment.issue_number = number;
      timeline.comments.push_back(std::move(comment));
    }
  }
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
          "fetched_at = excluded.fetched_at, deleted_at = NULL RETURNING id")),
      find_issue_(db.prepare("SELECT id FROM issues WHERE repository_id = ? AND number = ?")),
      delete_labels_(db.prepare("DELETE FROM issue_labels WHERE issue_id = ?")),
      insert_label_(db.prepare("INSERT OR IGNORE INTO issue_labels (issue_id, name) VALUES (?, ?)")),
      delete_references_(db.prepare("DELETE FROM issue_references WHERE issue_id = ?")),
      insert_reference_(db.prepare(
          "INSERT INTO issue_references (issue_id, repository, number, kind, text) VALUES (?, ?, ?, ?, ?)")),
      upsert_comment_(db.prepare(
          "INSERT INTO issue_comments (id, kind, issue_id, author, author_association, body, html_url, created_at, "
          "updated_at, path, candidate_rule, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) "
          "ON CONFLICT (kind, id) DO UPDATE SET issue_id = excluded.issue_id, author = excluded.author, "
          "author_association = excluded.author_association, body = excluded.body, html_url = excluded.html_url, "
          "created_at = excluded.created_at, updated_at = excluded.updated_at, path = excluded.path, "
          "candidate_rule = excluded.candidate_rule, deleted_at = NULL")),
      set_merge_(db.prepare(
          "UPDATE issues SET merged_at = ?, merge_commit_sha = ? WHERE repository_id = ? AND number = ? "
          "AND is_pull_request = 1")),
      read_issue_text_(db.prepare("SELECT title, coalesce(body, '') FROM issues WHERE id = ?")),
      first_matching_comment_(db.prepare(
          "SELECT id, kind, candidate_rule FROM issue_comments WHERE issue_id = ? AND candidate_rule IS NOT NULL "
          "AND deleted_at IS NULL ORDER BY created_at, kind, id LIMIT 1")),
      set_candidate_(db.prepare(
          "UPDATE issues SET is_candidate = ?, candidate_rule = ?, candidate_source = ?, candidate_comment_id = ? "
          "WHERE id = ?")) {}

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
  apply_candidate(id, match.is_candidate, match.rule);
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
  const auto match = classify_report("", comment.body.value_or(""));
  upsert_comment_
      .bind_all(comment.id, comment.kind, issue_id, comment.author, comment.author_association, comment.body,
                comment.html_url, comment.created_at, comment.updated_at, comment.path,
                match.is_candidate ? std::optional<std::string>(match.rule) : std::nullopt)
      .run();
}

bool IssueStore::set_merge(std::int64_t repository_id, const PullMerge& merge) {
  // An unmerged pull request's merge_commit_sha is GitHub's test merge, no commit of the repository's history.
  const auto sha = merge.merged_at ? merge.merge_commit_sha : std::nullopt;
  set_merge_.bind_all(merge.merged_at, sha, repository_id, merge.number).run();
  return db_.changes() > 0;
}

void IssueStore::refresh_candidate(std::int64_t issue_id) {
  read_issue_text_.bind_all(issue_id);
  if (!read_issue_text_.step()) {
    read_issue_text_.reset();
    return;
  }
  const auto match = classify_report(read_issue_text_.get_text(0), read_issue_text_.get_text(1));
  read_issue_text_.reset();
  apply_candidate(issue_id, match.is_candidate, match.rule);
}

void IssueStore::apply_candidate(std::int64_t issue_id, bool title_body_match, const std::string& rule) {
  if (title_body_match) {
    set_candidate_.bind_all(1, rule, "title_body", nullptr, issue_id).run();
    return;
  }
  first_matching_comment_.bind_all(issue_id);
  if (first_matching_comment_.step()) {
    const auto comment_id = first_matching_comment_.get_int(0);
    const auto source = first_matching_comment_.get_text(1) == "review" ? "review_comment" : "comment";
    const auto comment_rule = first_matching_comment_.get_text(2);
    first_matching_comment_.reset();
    set_candidate_.bind_all(1, comment_rule, source, comment_id, issue_id).run();
    return;
  }
  first_matching_comment_.reset();
  set_candidate_.bind_all(0, nullptr, nullptr, nullptr, issue_id).run();
}

void IssueStore::mark_deleted(std::int64_t issue_id) {
  db_.prepare("UPDATE issues SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")
      .bind_all(util::now_iso_utc(), issue_id)
      .run();
}

std::int64_t IssueStore::store_timeline(std::int64_t issue_id, const Timeline& timeline, bool complete,
                                        const std::string& updated_at) {
  db_.prepare("DELETE FROM issue_timeline_events WHERE issue_id = ?").bind_all(issue_id).run();
  auto insert = db_.prepare(
      "INSERT INTO issue_timeline_events (issue_id, event, commit_sha, commit_repository, source_repository, "
      "source_number, source_is_pull_request, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& e : timeline.events) {
    const auto is_pull = e.source_is_pull_request ? std::optional<std::int64_t>(*e.source_is_pull_request ? 1 : 0)
                                                  : std::nullopt;
    insert.bind_all(issue_id, e.event, e.commit_sha, e.commit_repository, e.source_repository, e.source_number,
                    is_pull, e.actor, e.created_at)
        .run();
  }
  for (const auto& comment : timeline.comments) upsert_comment(issue_id, comment);
  std::int64_t deleted = 0;
  if (complete) {
    // The timeline lists every conversation comment: a stored one it lacks was deleted on GitHub.
    std::string listed;
    for (const auto& comment : timeline.comments) listed += (listed.empty() ? "" : ",") + std::to_string(comment.id);
    db_.prepare("UPDATE issue_comments SET deleted_at = ? WHERE issue_id = ? AND kind = 'issue' AND deleted_at IS NULL "
                "AND id NOT IN (SELECT value FROM json_each(?))")
        .bind_all(util::now_iso_utc(), issue_id, "[" + listed + "]")
        .run();
    deleted = db_.changes();
  }
  refresh_candidate(issue_id);
  db_.prepare("UPDATE issues SET timeline_updated_at = ? WHERE id = ?").bind_all(updated_at, issue_id).run();
  return deleted;
}

}  // namespace hm::github

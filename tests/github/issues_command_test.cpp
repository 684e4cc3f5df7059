// `hybridminer issues` end to end: issues, pull requests and comments from the fake GitHub API, candidate
// hybridization bug reports, commit <-> issue links, incremental and resumable fetches, hostile answers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "github/search.hpp"
#include "github_fixtures.hpp"
#include "store/migrations.hpp"
#include "support/db_rows.hpp"
#include "support/fake_github.hpp"
#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using hm::test::FakeGitHub;
using hm::test::FakeRequest;
using hm::test::FakeResponse;
using hm::test::hybridminer;
using hm::test::json_response;
using hm::test::rows;
using hm::test::single;
using hm::test::TempDir;

namespace gh = hm::test::gh;

namespace {

const std::string kRepo = "org/proj";
const std::string kMergeSha = "e5bd3914e2e596debea16f433f57875b5b90bcd6";
const std::string kFixSha = "1111111111111111111111111111111111111111";
const std::string kOtherSha = "2222222222222222222222222222222222222222";

// One repository's issues, comments, review comments, pull requests and timelines, listed like GitHub does:
// sorted by update time, filtered by since=, two per page (so that a handful of items spans several pages), Link
// headers.
struct FakeProject {
  std::vector<nlohmann::json> issues;
  std::vector<nlohmann::json> comments;
  std::vector<nlohmann::json> review_comments;
  std::vector<nlohmann::json> pulls;  // newest update first
  std::map<std::int64_t, nlohmann::json> hidden_issues;  // served by number, absent from the listing
  std::map<std::int64_t, std::vector<nlohmann::json>> timelines;  // by number; "[]" for other known issues
  std::set<std::int64_t> deleted;  // issues whose timeline answers 404 (deleted on GitHub)
  std::string base;
  std::string break_page;  // "issues:2": that page answers with a wrong type in broken_field
  std::string broken_field = "number";
  int rate_limited = 0;    // answer this many first requests with a primary rate limit

  FakeProject() {
    issues = {
        gh::issue(kRepo, 1, "tf.function retracing on every call",
                  "WARNING: 5 out of the last 5 calls to <function f> triggered tf.function retracing.",
                  "2024-01-01T00:00:01Z", false, std::nullopt, {"bug", "tf.function"}),
        gh::issue(kRepo, 2, "Model much slower with tf.function", "In graph mode it is 10x slower than eager.",
                  "2024-01-01T00:00:02Z"),
        gh::issue(kRepo, 3, "Docs typo", "There is a typo in the README.", "2024-01-01T00:00:03Z", false,
                  std::nullopt, {"documentation"}),
        gh::issue(kRepo, 4, "Avoid retracing in train_step", "Closes #1. See also #3.", "2024-01-01T00:00:04Z", true,
                  "2024-01-02T10:00:00Z"),
        gh::issue(kRepo, 5, "Question about jax.jit", "", "2024-01-01T00:00:05Z"),
        gh::issue(kRepo, 8, "Speed up data pipeline", "Uses jax.jit.", "2024-01-01T00:00:06Z", true),
    };
    issues[4]["body"] = nullptr;
    comments = {gh::comment(kRepo, 901, 1, "Same here with TF 2.4", "2024-01-01T00:01:00Z"),
                gh::comment(kRepo, 902, 2, "Try input_signature", "2024-01-01T00:02:00Z"),
                gh::comment(kRepo, 903, 6, "Comment on an issue the listing missed", "2024-01-01T00:03:00Z"),
                gh::comment(kRepo, 904, 5, "jax.jit raises ConcretizationTypeError here", "2024-01-01T00:04:00Z")};
    review_comments = {gh::review_comment(kRepo, 801, 8, "This jit recompiles on every batch: recompilation on new shapes",
                                          "2024-01-01T00:05:00Z", "model.py")};
    hidden_issues[6] = gh::issue(kRepo, 6, "Opened late", "torchscript error in forward", "2024-01-01T00:02:30Z");
    hidden_issues[9] = gh::issue(kRepo, 9, "Bump version", "", "2024-01-03T00:00:00Z", true, "2024-01-03T00:00:00Z");
    // Pull request 9 was merged after the issues pass read its listing: the pulls pass fetches it.
    pulls = {gh::pull(kRepo, 9, kOtherSha, "2024-01-03T00:00:00Z", "2024-01-03T00:00:00Z"),
             gh::pull(kRepo, 4, kMergeSha, "2024-01-02T10:00:00Z", "2024-01-02T10:00:00Z")};
    // Issue 1: a merged pull request of the repository cross-referenced it (and comment 901, a label: ignored).
    timelines[1] = {gh::commented_event(comments[0]), gh::labeled_event("2024-01-01T00:01:30Z"),
                    gh::cross_referenced_event(kRepo, 4, true, "2024-01-02T09:00:00Z")};
    // Issue 2: a commit referenced it, then closed it; comment 902 was deleted (not in the timeline).
    timelines[2] = {gh::referenced_event(kRepo, kFixSha, "2024-01-02T11:00:00Z"),
                    gh::closed_event(kFixSha, kRepo, "2024-01-02T11:00:01Z")};
    timelines[4] = {gh::closed_event(std::nullopt, kRepo, "2024-01-02T10:00:00Z")};
    timelines[5] = {gh::commented_event(comments[3])};
    deleted = {6};  // issue 6 was deleted since the comments pass read it
  }

  FakeResponse page_of(const FakeRequest& request, const std::string& resource, std::vector<nlohmann::json> items) const {
    const auto since = request.param("since");
    if (!since.empty()) {
      std::erase_if(items, [&](const nlohmann::json& item) { return item["updated_at"].get<std::string>() < since; });
    }
    const int page = request.param("page").empty() ? 1 : std::stoi(request.param("page"));
    if (break_page == resource + ":" + std::to_string(page)) {
      auto broken = items.at(static_cast<std::size_t>(page - 1) * 2);
      broken[broken_field] = "two";
      return json_response(nlohmann::json::array({broken}).dump());
    }
    auto slice = nlohmann::json::array();
    for (auto k = static_cast<std::size_t>(page - 1) * 2; k < items.size() && k < static_cast<std::size_t>(page) * 2; ++k) {
      slice.push_back(items[k]);
    }
    auto response = json_response(slice.dump());
    if (static_cast<std::size_t>(page) * 2 < items.size()) {
      auto next = request.target;
      if (const auto at = next.find("&page="); at != std::string::npos) next.resize(at);
      response.headers.push_back({"Link", "<" + base + next + "&page=" + std::to_string(page + 1) + ">; rel=\"next\""});
    }
    return response;
  }

  FakeResponse answer(const FakeRequest& request) {
    if (rate_limited > 0) {
      --rate_limited;
      auto limited = json_response("{\"message\": \"API rate limit exceeded\"}", 403);
      limited.headers = {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "1"}};
      return limited;
    }
    const auto prefix = "/repos/" + kRepo;
    if (request.path == prefix) return json_response(gh::repository(kRepo, 77, 1234, "2019-03-01T00:00:00Z").dump());
    if (request.path == prefix + "/issues") return page_of(request, "issues", issues);
    if (request.path == prefix + "/issues/comments") return page_of(request, "comments", comments);
    if (request.path == prefix + "/pulls") return page_of(request, "pulls", pulls);
    if (request.path == prefix + "/pulls/comments") return page_of(request, "review_comments", review_comments);
    if (request.path.starts_with(prefix + "/issues/") && request.path.ends_with("/timeline")) {
      const auto number = std::stoll(request.path.substr(prefix.size() + 8));
      const bool known = hidden_issues.contains(number) || std::any_of(issues.begin(), issues.end(), [&](const auto& i) {
        return i["number"].template get<std::int64_t>() == number;
      });
      if (!known || deleted.contains(number)) return json_response("{\"message\": \"Not Found\"}", 404);
      return page_of(request, "timeline:" + std::to_string(number), timelines[number]);
    }
    if (request.path.starts_with(prefix + "/issues/")) {
      const auto number = std::stoll(request.path.substr(prefix.size() + 8));
      if (hidden_issues.contains(number)) return json_response(hidden_issues[number].dump());
    }
    return json_response("{\"message\": \"Not Found\"}", 404);
  }
};

std::map<std::string, std::string> environment(const FakeGitHub& server) {
  return {{"GITHUB_API_URL", server.base_url()}, {"GITHUB_TOKEN", "ghp_issues_token"}, {"HM_GITHUB_MAX_SLEEP_MS", "0"}};
}

// A database with org/proj in the corpus and two of its commits (as `mine` would have stored them): the merge
// commit of pull request 4, and a commit whose message fixes #2.
std::string prepared_database(const TempDir& tmp, const FakeGitHub& server, const std::string& name = "issues.db") {
  const auto db = (tmp / name).string();
  REQUIRE(hybridminer({"corpus", "add", "--db", db, kRepo}, environment(server)).exit_code == 0);
  auto database = hm::store::open_database(db);
  database.exec(
      "INSERT INTO commits (repository_id, sha, parents, parent_count, is_merge, author_name, author_email, "
      "author_time, author_tz, committer_name, committer_email, committer_time, committer_tz, message) VALUES "
      "(1, '" + kMergeSha + "', '', 0, 0, 'a', 'a@x', 0, 0, 'a', 'a@x', 0, 0, 'Avoid retracing (#4)'), "
      "(1, '" + kFixSha + "', '', 0, 0, 'a', 'a@x', 0, 0, 'a', 'a@x', 0, 0, 'Fix slow graph mode, fixes #2');"
      "INSERT INTO commit_issue_references (commit_id, repository, number, kind, text) VALUES "
      "(1, NULL, 4, 'mention', '#4'), (2, NULL, 2, 'closes', '#2');");
  return db;
}

const std::string kIssueRows =
    "SELECT number, is_pull_request, title, coalesce(body, 'NULL'), state, author, author_association, html_url, "
    "merged_at, merge_commit_sha, is_candidate, candidate_rule FROM issues ORDER BY number";
const std::string kCommentRows =
    "SELECT c.kind, c.id, i.number, c.author, c.body, c.created_at, c.path, c.candidate_rule, c.deleted_at IS NOT NULL "
    "FROM issue_comments c JOIN issues i ON i.id = c.issue_id ORDER BY c.kind, c.id";
const std::string kCandidateRows =
    "SELECT number, candidate_source, candidate_comment_id, deleted_at IS NOT NULL, timeline_updated_at = updated_at "
    "FROM issues ORDER BY number";
const std::string kEventRows =
    "SELECT i.number, e.event, e.commit_sha, e.commit_repository, e.source_repository, e.source_number, "
    "e.source_is_pull_request, e.actor, e.created_at FROM issue_timeline_events e JOIN issues i ON i.id = e.issue_id "
    "ORDER BY i.number, e.created_at";
const std::string kLinkRows = "SELECT sha, number, link FROM commit_issue_links ORDER BY sha, number, link";

std::vector<std::string> all_rows(const std::string& db) {
  std::vector<std::string> out;
  for (const auto& sql : {kIssueRows, kCommentRows, kCandidateRows, kEventRows, kLinkRows,
                          std::string("SELECT i.number, l.name FROM issue_labels l JOIN issues i ON i.id = l.issue_id ORDER BY 1, 2"),
                          std::string("SELECT i.number, r.repository, r.number, r.kind, r.text FROM issue_references r "
                                      "JOIN issues i ON i.id = r.issue_id ORDER BY 1, 3")}) {
    for (auto& row : rows(db, sql)) out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

TEST_CASE("issues, pull requests and comments are stored, candidates marked and commits linked", "[github][e2e][issues]") {
  TempDir tmp;
  FakeProject project;
  FakeGitHub server([&](const FakeRequest& request) { return project.answer(request); });
  project.base = server.base_url();
  const auto db = prepared_database(tmp, server);

  const auto result = hybridminer({"issues", "--db", db}, environment(server));
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.find("issues: 1 repositories (0 failed): 8 issues and pull requests, 4 comments, 1 review comments, "
                        "2 merge commits stored; 5 timelines read (1 issues and 1 comments found deleted); "
                        "6 candidate hybridization bug reports") != std::string::npos);
  CHECK(rows(db, kIssueRows) ==
        std::vector<std::string>{
            "1|0|tf.function retracing on every call|WARNING: 5 out of the last 5 calls to <function f> triggered "
            "tf.function retracing.|open|octocat|COLLABORATOR|https://github.com/org/proj/issues/1|NULL|NULL|1|"
            "symptom-alone:retracing",
            "2|0|Model much slower with tf.function|In graph mode it is 10x slower than eager.|open|octocat|"
            "COLLABORATOR|https://github.com/org/proj/issues/2|NULL|NULL|1|api:tf.function+symptom:graph mode",
            "3|0|Docs typo|There is a typo in the README.|open|octocat|COLLABORATOR|"
            "https://github.com/org/proj/issues/3|NULL|NULL|0|NULL",
            "4|1|Avoid retracing in train_step|Closes #1. See also #3.|closed|octocat|COLLABORATOR|"
            "https://github.com/org/proj/pull/4|2024-01-02T10:00:00Z|" + kMergeSha + "|1|symptom-alone:retracing",
            "5|0|Question about jax.jit|NULL|open|octocat|COLLABORATOR|https://github.com/org/proj/issues/5|NULL|NULL|1|"
            "symptom-alone:concretizationtypeerror",
            "6|0|Opened late|torchscript error in forward|open|octocat|COLLABORATOR|"
            "https://github.com/org/proj/issues/6|NULL|NULL|1|symptom-alone:torchscript",
            "8|1|Speed up data pipeline|Uses jax.jit.|open|octocat|COLLABORATOR|https://github.com/org/proj/pull/8|NULL|"
            "NULL|1|symptom-alone:recompilation",
            "9|1|Bump version||closed|octocat|COLLABORATOR|https://github.com/org/proj/pull/9|2024-01-03T00:00:00Z|" +
                kOtherSha + "|0|NULL"});
  CHECK(rows(db, kCommentRows) ==
        std::vector<std::string>{
            "issue|901|1|octocat|Same here with TF 2.4|2024-01-01T00:01:00Z|NULL|NULL|0",
            "issue|902|2|octocat|Try input_signature|2024-01-01T00:02:00Z|NULL|NULL|1",
            "issue|903|6|octocat|Comment on an issue the listing missed|2024-01-01T00:03:00Z|NULL|NULL|0",
            "issue|904|5|octocat|jax.jit raises ConcretizationTypeError here|2024-01-01T00:04:00Z|NULL|"
            "symptom-alone:concretizationtypeerror|0",
            "review|801|8|octocat|This jit recompiles on every batch: recompilation on new shapes|2024-01-01T00:05:00Z|"
            "model.py|symptom-alone:recompilation|0"});
  // Where each candidate matched; issue 6 answered 404 to its timeline (deleted); 3 and 9 are no candidates.
  CHECK(rows(db, kCandidateRows) == std::vector<std::string>{"1|title_body|NULL|0|1", "2|title_body|NULL|0|1",
                                                              "3|NULL|NULL|0|NULL", "4|title_body|NULL|0|1",
                                                              "5|comment|904|0|1", "6|title_body|NULL|1|NULL",
                                                              "8|review_comment|801|0|1", "9|NULL|NULL|0|NULL"});
  CHECK(rows(db, kEventRows) ==
        std::vector<std::string>{
            "1|cross-referenced|NULL|NULL|org/proj|4|1|octocat|2024-01-02T09:00:00Z",
            "2|referenced|" + kFixSha + "|org/proj|NULL|NULL|NULL|octocat|2024-01-02T11:00:00Z",
            "2|closed|" + kFixSha + "|org/proj|NULL|NULL|NULL|octocat|2024-01-02T11:00:01Z",
            "4|closed|NULL|NULL|NULL|NULL|NULL|octocat|2024-01-02T10:00:00Z"});
  CHECK(rows(db, "SELECT i.number, l.name FROM issue_labels l JOIN issues i ON i.id = l.issue_id ORDER BY 1, 2") ==
        std::vector<std::string>{"1|bug", "1|tf.function", "3|documentation"});
  CHECK(rows(db, "SELECT i.number, r.repository, r.number, r.kind, r.text FROM issue_references r "
                 "JOIN issues i ON i.id = r.issue_id ORDER BY 1, 3") ==
        std::vector<std::string>{"4|NULL|1|closes|#1", "4|NULL|3|mention|#3"});
  // Both ways: the fix commit names #2 and, by #2's timeline, referenced and closed it; the merge commit of #4 is
  // linked to #4 and, through "Closes #1" and #1's cross-reference, to #1.
  CHECK(rows(db, kLinkRows) == std::vector<std::string>{kFixSha + "|2|message_closes", kFixSha + "|2|timeline_closed",
                                                        kFixSha + "|2|timeline_referenced", kMergeSha + "|1|pr_closes",
                                                        kMergeSha + "|1|timeline_cross_referenced",
                                                        kMergeSha + "|4|message_mention", kMergeSha + "|4|pr_merge_commit"});
  CHECK(rows(db, "SELECT repository, number, candidate_rule, candidate_source, labels, linked_commits, "
                 "deleted_at IS NOT NULL FROM hybridization_bug_reports ORDER BY number") ==
        std::vector<std::string>{"org/proj|1|symptom-alone:retracing|title_body|bug, tf.function|1|0",
                                 "org/proj|2|api:tf.function+symptom:graph mode|title_body|NULL|1|0",
                                 "org/proj|4|symptom-alone:retracing|title_body|NULL|1|0",
                                 "org/proj|5|symptom-alone:concretizationtypeerror|comment|NULL|0|0",
                                 "org/proj|6|symptom-alone:torchscript|title_body|NULL|0|1",
                                 "org/proj|8|symptom-alone:recompilation|review_comment|NULL|0|0"});
  CHECK(rows(db, "SELECT resource, since IS NOT NULL, next_url, pass_started_at FROM github_sync ORDER BY resource") ==
        std::vector<std::string>{"comments|1|NULL|NULL", "issues|1|NULL|NULL", "pulls|1|NULL|NULL",
                                 "review_comments|1|NULL|NULL"});
  CHECK(single(db, "SELECT command, status, sources, sources_failed, issues_added FROM runs WHERE id = 2") ==
        "issues|ok|1|0|8");
  // Every listing asked for 100 a page, sorted by update.
  for (const auto& request : server.requests()) {
    if (request.path.ends_with("/issues")) {
      CHECK(request.param("per_page") == "100");
      CHECK(request.param("sort") == "updated");
      CHECK(request.param("state") == "all");
      CHECK(request.param("since").empty());
    }
  }
}

TEST_CASE("a later issues run asks only for what changed since the last one", "[github][e2e][issues]") {
  TempDir tmp;
  FakeProject project;
  FakeGitHub server([&](const FakeRequest& request) { return project.answer(request); });
  project.base = server.base_url();
  const auto db = prepared_database(tmp, server);
  REQUIRE(hybridminer({"issues", "--db", db}, environment(server)).exit_code == 0);
  const auto since = single(db, "SELECT since FROM github_sync WHERE resource = 'issues'");

  project.issues.push_back(gh::issue(kRepo, 7, "XLA compile error", "jit_compile=True fails with an error", "2999-01-01T00:00:00Z"));
  project.issues[1]["title"] = "Model much slower with tf.function (edited)";  // too old for since=: not re-read
  // The comment that made issue 5 a candidate is edited: 5 is no candidate any more.
  project.comments[3]["body"] = "never mind, my mistake";
  project.comments[3]["updated_at"] = "2999-01-01T00:00:00Z";
  const auto first_run_requests = server.requests().size();
  const auto second = hybridminer({"issues", "--db", db}, environment(server));
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  const auto requests = server.requests();
  bool asked_since = false;
  for (auto i = first_run_requests; i < requests.size(); ++i) {
    if (requests[i].path == "/repos/org/proj/issues") asked_since = requests[i].param("since") == since;
  }
  CHECK(asked_since);
  // Only the new candidate's timeline is read: the others did not change since theirs was (6 is deleted).
  CHECK(second.err.find(": 1 issues and pull requests, 1 comments, 0 review comments, 0 merge commits stored; "
                        "1 timelines read (0 issues and 0 comments found deleted)") != std::string::npos);
  std::size_t timeline_requests = 0;
  for (auto i = first_run_requests; i < requests.size(); ++i) timeline_requests += requests[i].path.ends_with("/timeline");
  CHECK(timeline_requests == 1);
  CHECK(single(db, "SELECT count(*) FROM issues") == "9");
  CHECK(single(db, "SELECT is_candidate, candidate_rule, candidate_source, candidate_comment_id FROM issues "
                   "WHERE number = 5") == "0|NULL|NULL|NULL");
  CHECK(single(db, "SELECT candidate_rule FROM issue_comments WHERE id = 904") == "NULL");
  CHECK(single(db, "SELECT title FROM issues WHERE number = 2") == "Model much slower with tf.function");
  CHECK(single(db, "SELECT is_candidate, candidate_rule FROM issues WHERE number = 7") == "1|api:xla+symptom:error");
}

TEST_CASE("an issues run killed between pages resumes at the next page and ends with the same rows", "[github][e2e][issues]") {
  TempDir tmp;
  FakeProject project;
  FakeGitHub server([&](const FakeRequest& request) { return project.answer(request); });
  project.base = server.base_url();
  const auto killed_db = prepared_database(tmp, server, "killed.db");
  const auto fresh_db = prepared_database(tmp, server, "fresh.db");

  auto env = environment(server);
  env["HM_FAULT_KILL_AFTER_GITHUB_PAGES"] = "2";
  const auto killed = hybridminer({"issues", "--db", killed_db}, env);
  REQUIRE(killed.signal == 9);
  CHECK(single(killed_db, "SELECT count(*) FROM issues") == "4");
  CHECK(single(killed_db, "SELECT since IS NULL, next_url FROM github_sync WHERE resource = 'issues'") ==
        "1|" + server.base_url() + "/repos/org/proj/issues?state=all&sort=updated&direction=asc&per_page=100&page=3");

  const auto resumed = hybridminer({"issues", "--db", killed_db}, environment(server));
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(resumed.err.find("org/proj: resuming the interrupted issues pass at " + server.base_url() +
                         "/repos/org/proj/issues?state=all&sort=updated&direction=asc&per_page=100&page=3") != std::string::npos);
  REQUIRE(hybridminer({"issues", "--db", fresh_db}, environment(server)).exit_code == 0);
  CHECK(all_rows(killed_db) == all_rows(fresh_db));
  CHECK(single(killed_db, "SELECT count(*) FROM github_sync WHERE next_url IS NULL AND since IS NOT NULL") == "4");
}

TEST_CASE("a page with a wrong type fails the repository cleanly and the next run recovers", "[github][e2e][issues]") {
  TempDir tmp;
  FakeProject project;
  project.break_page = "issues:2";
  FakeGitHub server([&](const FakeRequest& request) { return project.answer(request); });
  project.base = server.base_url();
  const auto db = prepared_database(tmp, server);
  const auto broken = hybridminer({"issues", "--db", db}, environment(server));
  CHECK(broken.exit_code == 1);
  CHECK(broken.err.find("error: org/proj: unexpected GitHub response from " + server.base_url() +
                        "/repos/org/proj/issues?state=all&sort=updated&direction=asc&per_page=100&page=2: "
                        "field 'number' is a string, not an integer\n") != std::string::npos);
  CHECK(single(db, "SELECT group_concat(number) FROM issues") == "1,2");  // the first page, nothing of the bad one
  CHECK(single(db, "SELECT status, sources_failed FROM runs WHERE id = 2") == "failed|1");

  project.break_page.clear();
  const auto fixed = hybridminer({"issues", "--db", db}, environment(server));
  INFO(fixed.err);
  CHECK(fixed.exit_code == 0);
  CHECK(single(db, "SELECT count(*) FROM issues") == "8");
}

TEST_CASE("malformed JSON and rate limits through the binary", "[github][e2e][issues]") {
  TempDir tmp;
  FakeProject project;
  FakeGitHub server([&](const FakeRequest& request) {
    if (request.path == "/repos/org/proj/issues/comments") return json_response("[{\"id\": 1,");
    return project.answer(request);
  });
  project.base = server.base_url();
  const auto db = prepared_database(tmp, server);
  project.rate_limited = 1;
  const auto result = hybridminer({"issues", "--db", db}, environment(server));
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("hybridminer: GitHub rate limit exhausted (GET " + server.base_url() +
                        "/repos/org/proj/issues?state=all&sort=updated&direction=asc&per_page=100): waiting ") !=
        std::string::npos);
  CHECK(result.err.find("error: org/proj: GET " + server.base_url() +
                        "/repos/org/proj/issues/comments?sort=updated&direction=asc&per_page=100: malformed JSON from "
                        "GitHub (") != std::string::npos);
  CHECK(single(db, "SELECT count(*) FROM issues") == "6");  // the issues pass completed before
  CHECK(single(db, "SELECT count(*) FROM issue_comments") == "0");
  CHECK(result.err.find("ghp_issues_token") == std::string::npos);
}

TEST_CASE("a mined local clone of a GitHub repository gets its issues, and its commits their links",
          "[github][e2e][issues]") {
  TempDir tmp;
  FakeProject project;
  FakeGitHub server([&](const FakeRequest& request) { return project.answer(request); });
  project.base = server.base_url();
  hm::test::GitRepo clone(tmp / "proj");
  clone.git({"remote", "add", "origin", "https://github.com/" + kRepo + ".git"});
  clone.write("a.py", "a = 1\n");
  const auto fix = clone.commit("Fix slow graph mode, fixes #2", 0);
  hm::test::GitRepo elsewhere(tmp / "elsewhere");  // no GitHub origin: not asked about
  elsewhere.write("b.py", "b = 1\n");
  elsewhere.commit("start", 0);
  const auto db = (tmp / "local.db").string();
  REQUIRE(hybridminer({"mine", "--db", db, clone.path().string(), elsewhere.path().string()}).exit_code == 0);

  const auto result = hybridminer({"issues", "--db", db}, environment(server));
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.find("issues: 1 repositories (0 failed)") != std::string::npos);
  CHECK(rows(db, "SELECT DISTINCT r.name FROM issues i JOIN repositories r ON r.id = i.repository_id") ==
        std::vector<std::string>{kRepo});
  CHECK(rows(db, "SELECT sha, number, link FROM commit_issue_links WHERE link LIKE 'message%'") ==
        std::vector<std::string>{fix + "|2|message_closes"});
}

TEST_CASE("issues refuses repositories the database does not hold", "[github][e2e][issues]") {
  TempDir tmp;
  FakeProject project;
  FakeGitHub server([&](const FakeRequest& request) { return project.answer(request); });
  const auto db = prepared_database(tmp, server);
  const auto result = hybridminer({"issues", "--db", db, "org/other"}, environment(server));
  CHECK(result.exit_code == 2);
  CHECK(result.err == "hybridminer: org/other is not in the database; add it with `hybridminer corpus add org/other`\n");
  CHECK(single(db, "SELECT count(*) FROM runs WHERE command = 'issues'") == "0");
}

TEST_CASE("a review comment of the wrong shape fails the repository and stores none of its page", "[github][e2e][issues]") {
  TempDir tmp;
  FakeProject project;
  project.break_page = "review_comments:1";
  project.broken_field = "pull_request_url";
  FakeGitHub server([&](const FakeRequest& request) { return project.answer(request); });
  project.base = server.base_url();
  const auto db = prepared_database(tmp, server);
  const auto broken = hybridminer({"issues", "--db", db}, environment(server));
  CHECK(broken.exit_code == 1);
  CHECK(broken.err.find("error: org/proj: unexpected GitHub response from " + server.base_url() +
                        "/repos/org/proj/pulls/comments?sort=updated&direction=asc&per_page=100: "
                        "field 'pull_request_url' does not end in an issue number: two\n") != std::string::npos);
  CHECK(single(db, "SELECT count(*) FROM issue_comments WHERE kind = 'review'") == "0");
  CHECK(single(db, "SELECT count(*) FROM github_sync WHERE resource = 'review_comments'") == "0");
  CHECK(single(db, "SELECT count(*) FROM issue_comments WHERE kind = 'issue'") == "4");  // the pass before completed
}

TEST_CASE("a timeline of the wrong shape stores nothing of that issue and the next run reads it", "[github][e2e][issues]") {
  TempDir tmp;
  FakeProject project;
  project.break_page = "timeline:1:2";  // the cross-referenced event of issue 1
  project.broken_field = "source";
  FakeGitHub server([&](const FakeRequest& request) { return project.answer(request); });
  project.base = server.base_url();
  const auto db = prepared_database(tmp, server);
  const auto broken = hybridminer({"issues", "--db", db}, environment(server));
  CHECK(broken.exit_code == 1);
  CHECK(broken.err.find("error: org/proj: unexpected GitHub response from " + server.base_url() +
                        "/repos/org/proj/issues/1/timeline?per_page=100&page=2: field 'source' is a string, not an "
                        "object\n") != std::string::npos);
  CHECK(single(db, "SELECT count(*) FROM issue_timeline_events") == "0");
  CHECK(single(db, "SELECT count(*) FROM issues WHERE timeline_updated_at IS NOT NULL OR deleted_at IS NOT NULL") == "0");
  CHECK(single(db, "SELECT count(*) FROM issue_comments WHERE deleted_at IS NOT NULL") == "0");

  project.break_page.clear();
  const auto fixed = hybridminer({"issues", "--db", db}, environment(server));
  INFO(fixed.err);
  CHECK(fixed.exit_code == 0);
  CHECK(fixed.err.find("5 timelines read (1 issues and 1 comments found deleted)") != std::string::npos);
  CHECK(rows(db, kEventRows).size() == 4);
}

TEST_CASE("a comment deleted on GitHub comes back to life when a timeline lists it again", "[github][e2e][issues]") {
  TempDir tmp;
  FakeProject project;
  FakeGitHub server([&](const FakeRequest& request) { return project.answer(request); });
  project.base = server.base_url();
  const auto db = prepared_database(tmp, server);
  REQUIRE(hybridminer({"issues", "--db", db}, environment(server)).exit_code == 0);
  CHECK(single(db, "SELECT deleted_at IS NOT NULL FROM issue_comments WHERE id = 902") == "1");

  // Issue 2 changes (so its timeline is read again), and this time its timeline lists comment 902.
  project.issues[1]["updated_at"] = "2999-01-01T00:00:00Z";
  project.timelines[2].push_back(gh::commented_event(project.comments[1]));
  const auto again = hybridminer({"issues", "--db", db}, environment(server));
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(single(db, "SELECT deleted_at FROM issue_comments WHERE id = 902") == "NULL");
  CHECK(single(db, "SELECT timeline_updated_at FROM issues WHERE number = 2") == "2999-01-01T00:00:00Z");
}

TEST_CASE("a pull request listing of the wrong shape records no merge commit", "[github][e2e][issues]") {
  TempDir tmp;
  FakeProject project;
  project.break_page = "pulls:1";  // pull request 9, the newest
  FakeGitHub server([&](const FakeRequest& request) { return project.answer(request); });
  project.base = server.base_url();
  const auto db = prepared_database(tmp, server);
  const auto broken = hybridminer({"issues", "--db", db, "--no-timelines"}, environment(server));
  CHECK(broken.exit_code == 1);
  CHECK(broken.err.find("error: org/proj: unexpected GitHub response from " + server.base_url() +
                        "/repos/org/proj/pulls?state=closed&sort=updated&direction=desc&per_page=100: field 'number' "
                        "is a string, not an integer\n") != std::string::npos);
  CHECK(single(db, "SELECT count(*) FROM issues WHERE merge_commit_sha IS NOT NULL") == "0");
  CHECK(single(db, "SELECT count(*) FROM github_sync WHERE resource = 'pulls'") == "0");
  CHECK(single(db, "SELECT count(*) FROM issue_timeline_events") == "0");
}

// `hybridminer issues` end to end: issues, pull requests and comments from the fake GitHub API, candidate
// hybridization bug reports, commit <-> issue links, incremental and resumable fetches, hostile answers.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "github/search.hpp"
#include "github_fixtures.hpp"
#include "store/migrations.hpp"
#include "support/db_rows.hpp"
#include "support/fake_github.hpp"
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

// One repository's issues, comments and pull requests, listed like GitHub does: sorted by update time,
// filtered by since=, two per page (so that a handful of items spans several pages), Link headers.
struct FakeProject {
  std::vector<nlohmann::json> issues;
  std::vector<nlohmann::json> comments;
  std::vector<nlohmann::json> pulls;  // newest update first
  std::map<std::int64_t, nlohmann::json> hidden_issues;  // served by number, absent from the listing
  std::string base;
  std::string break_page;  // "issues:2": that page answers with a wrong type
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
    };
    issues[4]["body"] = nullptr;
    comments = {gh::comment(kRepo, 901, 1, "Same here with TF 2.4", "2024-01-01T00:01:00Z"),
                gh::comment(kRepo, 902, 2, "Try input_signature", "2024-01-01T00:02:00Z"),
                gh::comment(kRepo, 903, 6, "Comment on an issue the listing missed", "2024-01-01T00:03:00Z")};
    hidden_issues[6] = gh::issue(kRepo, 6, "Opened late", "torchscript error in forward", "2024-01-01T00:02:30Z");
    pulls = {gh::pull(kRepo, 4, kMergeSha, "2024-01-02T10:00:00Z", "2024-01-02T10:00:00Z")};
  }

  FakeResponse page_of(const FakeRequest& request, const std::string& resource, std::vector<nlohmann::json> items) const {
    const auto since = request.param("since");
    if (!since.empty()) {
      std::erase_if(items, [&](const nlohmann::json& item) { return item["updated_at"].get<std::string>() < since; });
    }
    const int page = request.param("page").empty() ? 1 : std::stoi(request.param("page"));
    if (break_page == resource + ":" + std::to_string(page)) {
      auto broken = items.at(static_cast<std::size_t>(page - 1) * 2);
      broken["number"] = "two";
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
    "SELECT c.id, i.number, c.author, c.body, c.created_at FROM issue_comments c JOIN issues i ON i.id = c.issue_id "
    "ORDER BY c.id";
const std::string kLinkRows = "SELECT sha, number, link FROM commit_issue_links ORDER BY sha, number, link";

std::vector<std::string> all_rows(const std::string& db) {
  std::vector<std::string> out;
  for (const auto& sql : {kIssueRows, kCommentRows, kLinkRows,
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
  CHECK(result.err.find("issues: 1 repositories (0 failed): 6 issues and pull requests, 3 comments, 1 merge commits "
                        "stored; 4 candidate hybridization bug reports") != std::string::npos);
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
            "5|0|Question about jax.jit|NULL|open|octocat|COLLABORATOR|https://github.com/org/proj/issues/5|NULL|NULL|0|NULL",
            "6|0|Opened late|torchscript error in forward|open|octocat|COLLABORATOR|"
            "https://github.com/org/proj/issues/6|NULL|NULL|1|symptom-alone:torchscript"});
  CHECK(rows(db, kCommentRows) == std::vector<std::string>{"901|1|octocat|Same here with TF 2.4|2024-01-01T00:01:00Z",
                                                           "902|2|octocat|Try input_signature|2024-01-01T00:02:00Z",
                                                           "903|6|octocat|Comment on an issue the listing missed|2024-01-01T00:03:00Z"});
  CHECK(rows(db, "SELECT i.number, l.name FROM issue_labels l JOIN issues i ON i.id = l.issue_id ORDER BY 1, 2") ==
        std::vector<std::string>{"1|bug", "1|tf.function", "3|documentation"});
  CHECK(rows(db, "SELECT i.number, r.repository, r.number, r.kind, r.text FROM issue_references r "
                 "JOIN issues i ON i.id = r.issue_id ORDER BY 1, 3") ==
        std::vector<std::string>{"4|NULL|1|closes|#1", "4|NULL|3|mention|#3"});
  // Both ways: the fix commit names #2; the merge commit of #4 is linked to #4 and, through "Closes #1", to #1.
  CHECK(rows(db, kLinkRows) == std::vector<std::string>{"1111111111111111111111111111111111111111|2|message_closes",
                                                        kMergeSha + "|1|pr_closes", kMergeSha + "|4|message_mention",
                                                        kMergeSha + "|4|pr_merge_commit"});
  CHECK(rows(db, "SELECT repository, number, candidate_rule, labels, linked_commits FROM hybridization_bug_reports "
                 "ORDER BY number") ==
        std::vector<std::string>{"org/proj|1|symptom-alone:retracing|bug, tf.function|1",
                                 "org/proj|2|api:tf.function+symptom:graph mode|NULL|1",
                                 "org/proj|4|symptom-alone:retracing|NULL|1", "org/proj|6|symptom-alone:torchscript|NULL|0"});
  CHECK(rows(db, "SELECT resource, since IS NOT NULL, next_url, pass_started_at FROM github_sync ORDER BY resource") ==
        std::vector<std::string>{"comments|1|NULL|NULL", "issues|1|NULL|NULL", "pulls|1|NULL|NULL"});
  CHECK(single(db, "SELECT command, status, sources, sources_failed, issues_added FROM runs WHERE id = 2") ==
        "issues|ok|1|0|6");
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
  CHECK(second.err.find(": 1 issues and pull requests, 0 comments, 0 merge commits stored") != std::string::npos);
  CHECK(single(db, "SELECT count(*) FROM issues") == "7");
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
  CHECK(single(killed_db, "SELECT count(*) FROM github_sync WHERE next_url IS NULL AND since IS NOT NULL") == "3");
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
  CHECK(single(db, "SELECT count(*) FROM issues") == "6");
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
  CHECK(single(db, "SELECT count(*) FROM issues") == "5");  // the issues pass completed before
  CHECK(single(db, "SELECT count(*) FROM issue_comments") == "0");
  CHECK(result.err.find("ghp_issues_token") == std::string::npos);
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

// Hostile or changed API answers: wrong types and missing fields become one clear error naming the field.
#include <catch2/catch.hpp>

#include "github/issue_store.hpp"
#include "github/repository_metadata.hpp"
#include "github_fixtures.hpp"
#include "util/error.hpp"

namespace gh = hm::test::gh;

TEST_CASE("a full repository object is read field by field", "[github][json]") {
  const auto m = hm::github::parse_repository(gh::load("repository"), "ctx");
  CHECK(m.github_id == 1296269);
  CHECK(m.full_name == "octocat/Hello-World");
  CHECK(m.stars == 80);
  CHECK(m.forks == 9);
  CHECK(m.watchers == 42);
  CHECK(m.language == "Python");
  CHECK(m.topics == std::vector<std::string>{"octocat", "atom", "electron", "api"});
  CHECK(m.license == "MIT");
  CHECK(m.default_branch == "master");
  CHECK_FALSE(m.is_fork);
  CHECK_FALSE(m.is_archived);
  CHECK(m.created_at == "2011-01-26T19:01:12Z");
}

TEST_CASE("repository objects with missing fields or wrong types are refused", "[github][json]") {
  auto repo = gh::load("repository");
  repo.erase("full_name");
  CHECK_THROWS_WITH(hm::github::parse_repository(repo, "URL"), "unexpected GitHub response from URL: field 'full_name' is missing");
  repo = gh::load("repository");
  repo["fork"] = "no";
  CHECK_THROWS_WITH(hm::github::parse_repository(repo, "URL"),
                    "unexpected GitHub response from URL: field 'fork' is a string, not a boolean");
  repo = gh::load("repository");
  repo["topics"] = {"ok", 3};
  CHECK_THROWS_WITH(hm::github::parse_repository(repo, "URL"),
                    "unexpected GitHub response from URL: field 'topics' holds an integer, not a string");
  repo = gh::load("repository");
  repo["full_name"] = "../../etc";
  CHECK_THROWS_WITH(hm::github::parse_repository(repo, "URL"),
                    "unexpected GitHub response from URL: field 'full_name' is not owner/name: ../../etc");
  CHECK_THROWS_WITH(hm::github::parse_repository(nlohmann::json::array(), "URL"),
                    "unexpected GitHub response from URL: expected an object, got an array");
  repo = gh::load("repository");
  repo["license"] = nullptr;
  repo["language"] = nullptr;
  const auto m = hm::github::parse_repository(repo, "URL");
  CHECK(m.license == std::nullopt);
  CHECK(m.language == std::nullopt);
}

TEST_CASE("issues, comments and pulls are validated", "[github][json]") {
  auto issue = gh::load("issue");
  CHECK(hm::github::parse_issue(issue, "U").labels == std::vector<std::string>{"bug"});
  issue["state"] = "merged";
  CHECK_THROWS_WITH(hm::github::parse_issue(issue, "U"), "unexpected GitHub response from U: field 'state' is neither open nor closed");
  issue = gh::load("issue");
  issue["labels"] = {{{"id", 1}}};
  CHECK_THROWS_WITH(hm::github::parse_issue(issue, "U"), "unexpected GitHub response from U: field 'name' is missing");
  issue = gh::load("issue");
  issue["number"] = 1.5;
  CHECK_THROWS_WITH(hm::github::parse_issue(issue, "U"), "unexpected GitHub response from U: field 'number' is a fraction, not an integer");
  issue = gh::load("issue");
  issue["user"] = nullptr;  // a deleted account
  CHECK(hm::github::parse_issue(issue, "U").author == std::nullopt);

  auto comment = gh::load("issue_comment");
  CHECK(hm::github::parse_comment(comment, "U").issue_number == 1347);
  comment["issue_url"] = "https://api.github.com/repos/o/n/issues/abc";
  CHECK_THROWS_WITH(hm::github::parse_comment(comment, "U"),
                    "unexpected GitHub response from U: field 'issue_url' does not end in an issue number: "
                    "https://api.github.com/repos/o/n/issues/abc");
  const auto pull = hm::github::parse_pull(gh::load("pull"), "U");
  CHECK(pull.merge_commit_sha == "e5bd3914e2e596debea16f433f57875b5b90bcd6");
  CHECK(pull.merged_at == "2011-01-26T19:01:12Z");
}

TEST_CASE("repository names are owner/name or a github.com URL", "[github][json]") {
  CHECK(hm::github::parse_full_name("tensorflow/models") == "tensorflow/models");
  CHECK(hm::github::parse_full_name("https://github.com/pytorch/pytorch.git") == "pytorch/pytorch");
  CHECK(hm::github::parse_full_name("https://github.com/google/jax/") == "google/jax");
  CHECK(hm::github::parse_full_name("a/b/c") == std::nullopt);
  CHECK(hm::github::parse_full_name("a b/c") == std::nullopt);
  CHECK(hm::github::parse_full_name("../x") == std::nullopt);
  CHECK(hm::github::parse_full_name("noslash") == std::nullopt);
}

TEST_CASE("review comments are read with their pull request and file", "[github][json]") {
  auto review = gh::load("pull_review_comment");
  const auto comment = hm::github::parse_review_comment(review, "U");
  CHECK(comment.kind == "review");
  CHECK(comment.id == 10);
  CHECK(comment.issue_number == 1);
  CHECK(comment.path == "file1.txt");
  CHECK(comment.author == "octocat");
  CHECK(comment.author_association == "NONE");
  review.erase("pull_request_url");
  CHECK_THROWS_WITH(hm::github::parse_review_comment(review, "U"),
                    "unexpected GitHub response from U: field 'pull_request_url' is missing");
  review = gh::load("pull_review_comment");
  review["id"] = "10";
  CHECK_THROWS_WITH(hm::github::parse_review_comment(review, "U"),
                    "unexpected GitHub response from U: field 'id' is a string, not an integer");
}

TEST_CASE("timeline pages keep commit events, cross-references and comments, and ignore the rest", "[github][json]") {
  const nlohmann::json page = {gh::referenced_event("o/fork", "abc", "2022-01-01T00:00:00Z"),
                               gh::closed_event(std::nullopt, "o/n", "2022-01-02T00:00:00Z"),
                               gh::cross_referenced_event("o/other", 12, false, "2022-01-03T00:00:00Z"),
                               gh::labeled_event("2022-01-04T00:00:00Z"),
                               gh::commented_event(gh::load("issue_comment"))};
  hm::github::Timeline timeline;
  hm::github::parse_timeline_page(page, "U", 7, timeline);
  REQUIRE(timeline.events.size() == 3);
  CHECK(timeline.events[0].event == "referenced");
  CHECK(timeline.events[0].commit_sha == "abc");
  CHECK(timeline.events[0].commit_repository == "o/fork");
  CHECK(timeline.events[0].actor == "octocat");
  CHECK(timeline.events[1].event == "closed");
  CHECK(timeline.events[1].commit_sha == std::nullopt);
  CHECK(timeline.events[1].commit_repository == std::nullopt);
  CHECK(timeline.events[2].event == "cross-referenced");
  CHECK(timeline.events[2].source_repository == "o/other");
  CHECK(timeline.events[2].source_number == 12);
  CHECK(timeline.events[2].source_is_pull_request == false);
  REQUIRE(timeline.comments.size() == 1);
  CHECK(timeline.comments[0].id == 1);
  CHECK(timeline.comments[0].kind == "issue");
  CHECK(timeline.comments[0].issue_number == 7);  // the issue whose timeline it is

  hm::github::Timeline bad;
  CHECK_THROWS_WITH(hm::github::parse_timeline_page(nlohmann::json::object(), "U", 7, bad),
                    "unexpected GitHub response from U: expected an array, got an object");
  CHECK_THROWS_WITH(hm::github::parse_timeline_page(nlohmann::json::array({{{"id", 1}}}), "U", 7, bad),
                    "unexpected GitHub response from U: field 'event' is missing");
  auto cross = gh::cross_referenced_event("o/other", 12, true, "2022-01-03T00:00:00Z");
  cross["source"]["issue"]["number"] = "12";
  CHECK_THROWS_WITH(hm::github::parse_timeline_page(nlohmann::json::array({cross}), "U", 7, bad),
                    "unexpected GitHub response from U: field 'number' is a string, not an integer");
  auto referenced = gh::referenced_event("o/n", "abc", "2022-01-01T00:00:00Z");
  referenced["commit_id"] = 42;
  CHECK_THROWS_WITH(hm::github::parse_timeline_page(nlohmann::json::array({referenced}), "U", 7, bad),
                    "unexpected GitHub response from U: field 'commit_id' is an integer, not a string");
}

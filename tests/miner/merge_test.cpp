// merge_database on the GitHub tables (0004) and the labels (0003): shards that fetched issues merge into the rows
// of one run; merging again adds nothing; a later fetch replaces an older one; differing rows fetched at the same
// time are conflicts, the output's kept.
#include <catch2/catch.hpp>

#include <string>

#include "store/merge.hpp"
#include "store/migrations.hpp"
#include "support/db_rows.hpp"
#include "support/temp_dir.hpp"

using hm::test::canonical_rows;
using hm::test::rows;
using hm::test::TempDir;

namespace {

// The corpus search every shard shares (each shard database starts as a copy of the corpus database).
void add_corpus_query(hm::store::Database& db) {
  db.exec(
      "INSERT INTO corpus_queries (id, kind, query, options, started_at, finished_at, repositories) VALUES "
      "(1, 'search_repositories', 'tf.function', '{}', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 2);"
      "INSERT INTO corpus_search_slices VALUES (1, '2015-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 2, 'done');"
      "INSERT INTO corpus_search_size_slices VALUES (1, 0, 393216, 2, 'done');"
      "INSERT INTO http_cache VALUES ('https://api.github.com/search/repositories?q=tf.function', 'W/\"1\"', '[]', "
      "'', '2026-01-01T00:00:30Z')");
}

// What `issues fetch` and `label import` store for one repository; `shift` keeps the ids of two repositories in
// one database apart, so a shard's ids differ from the single run's.
void add_repository(hm::store::Database& db, const std::string& name, int github, int id, int shift) {
  const auto n = std::to_string(id);
  const auto g = std::to_string(github);  // GitHub's ids are the same in every database
  const auto issue = std::to_string(id * 10 + shift);
  db.exec("INSERT INTO repositories (id, url, name, source_kind) VALUES (" + n + ", 'https://github.com/" + name +
          "', '" + name + "', 'github');"
          "INSERT INTO corpus VALUES (" + n + ", 1, '2026-01-01T00:01:00Z');"
          "INSERT INTO repository_metadata (repository_id, github_id, full_name, html_url, stars, forks, open_issues, "
          "topics, is_fork, is_archived, fetched_at) VALUES (" + n + ", " + g + "00, '" + name +
          "', 'https://github.com/" + name + "', 10, 2, 1, '[]', 0, 0, '2026-01-02T00:00:00Z');"
          "INSERT INTO issues (id, repository_id, github_id, number, is_pull_request, title, state, comments, "
          "html_url, created_at, updated_at, is_candidate, fetched_at) VALUES (" + issue + ", " + n + ", " + g +
          "001, 7, 0, 'tf.function retraces in " + name + "', 'open', 1, 'https://github.com/" + name +
          "/issues/7', '2025-05-01T00:00:00Z', '2025-05-02T00:00:00Z', 1, '2026-01-03T00:00:00Z');"
          "INSERT INTO issue_labels VALUES (" + issue + ", 'bug');"
          "INSERT INTO issue_timeline_events (issue_id, event, commit_sha, commit_repository, actor, created_at) "
          "VALUES (" + issue + ", 'referenced', 'abc" + g + "', '" + name + "', 'alice', '2025-05-03T00:00:00Z');"
          "INSERT INTO issue_references VALUES (" + issue + ", NULL, 3, 'mention', '#3');"
          "INSERT INTO issue_comments (id, kind, issue_id, author, author_association, body, html_url, created_at, "
          "updated_at) VALUES (" + g + "0001, 'issue', " + issue + ", 'alice', 'NONE', 'same here', "
          "'https://github.com/" + name + "/issues/7#c', '2025-05-02T00:00:00Z', '2025-05-02T00:00:00Z');"
          "INSERT INTO github_sync VALUES (" + n + ", 'issues', '2026-01-03T00:00:00Z', NULL, NULL, "
          "'2026-01-03T00:00:00Z');"
          "INSERT INTO labels (rater, repository, sha, path, function, api, bug_fix, imported_at, source_file) "
          "VALUES ('r1', '" + name + "', 'abc" + g + "', 'm.py', 'f', 'tf.function', 1, '2026-01-04T00:00:00Z', "
          "'labels.csv')");
}

}  // namespace

TEST_CASE("merge: shards with corpus, issues and labels merge into the rows of one run", "[store][merge][github]") {
  TempDir tmp;
  {
    auto single = hm::store::open_database(tmp / "single.db");
    add_corpus_query(single);
    add_repository(single, "a/one", 1, 1, 0);
    add_repository(single, "b/two", 2, 2, 0);
    auto shard1 = hm::store::open_database(tmp / "shard1.db");
    add_corpus_query(shard1);
    add_repository(shard1, "a/one", 1, 1, 5);
    auto shard2 = hm::store::open_database(tmp / "shard2.db");
    add_corpus_query(shard2);
    add_repository(shard2, "b/two", 2, 1, 0);  // id 1 here: the same id as shard1's other repository
  }
  auto out = hm::store::open_database(tmp / "merged.db");
  const auto first = hm::store::merge_database(out, tmp / "shard1.db");
  const auto second = hm::store::merge_database(out, tmp / "shard2.db");
  CHECK(first.conflicts == 0);
  CHECK(second.conflicts == 0);
  CHECK(first.issues_added == 1);
  CHECK(second.issues_added == 1);
  CHECK(second.labels_added == 1);
  CHECK(canonical_rows(tmp / "merged.db") == canonical_rows(tmp / "single.db"));
  CHECK(rows(tmp / "merged.db",
             "SELECT r.name, i.number, i.title, l.name, c.id, c.body FROM issues i JOIN repositories r ON "
             "r.id = i.repository_id JOIN issue_labels l ON l.issue_id = i.id JOIN issue_comments c ON "
             "c.issue_id = i.id ORDER BY r.name") ==
        std::vector<std::string>{"a/one|7|tf.function retraces in a/one|bug|10001|same here",
                                 "b/two|7|tf.function retraces in b/two|bug|20001|same here"});
  CHECK(rows(tmp / "merged.db", "SELECT q.id, q.query, count(c.repository_id) FROM corpus_queries q "
                                "JOIN corpus c ON c.query_id = q.id GROUP BY q.id") ==
        std::vector<std::string>{"1|tf.function|2"});
  CHECK(rows(tmp / "merged.db", "SELECT r.name, e.event, e.commit_sha FROM issue_timeline_events e JOIN issues i "
                                "ON i.id = e.issue_id JOIN repositories r ON r.id = i.repository_id ORDER BY r.name") ==
        std::vector<std::string>{"a/one|referenced|abc1", "b/two|referenced|abc2"});
  CHECK(rows(tmp / "merged.db", "SELECT query_id, size_from, size_to, status FROM corpus_search_size_slices") ==
        std::vector<std::string>{"1|0|393216|done"});
  CHECK(rows(tmp / "merged.db", "PRAGMA foreign_key_check").empty());

  // Idempotent.
  const auto again = hm::store::merge_database(out, tmp / "shard2.db");
  CHECK(again.issues_added == 0);
  CHECK(again.labels_added == 0);
  CHECK(again.conflicts == 0);
  CHECK(canonical_rows(tmp / "merged.db") == canonical_rows(tmp / "single.db"));
}

TEST_CASE("merge: an issue fetched later replaces the output's with its labels, the same fetch time differing is a conflict",
          "[store][merge][github]") {
  TempDir tmp;
  {
    auto old_fetch = hm::store::open_database(tmp / "old.db");
    add_corpus_query(old_fetch);
    add_repository(old_fetch, "a/one", 1, 1, 0);
    auto new_fetch = hm::store::open_database(tmp / "new.db");
    add_corpus_query(new_fetch);
    add_repository(new_fetch, "a/one", 1, 1, 0);
    new_fetch.exec(
        "UPDATE issues SET state = 'closed', fetched_at = '2026-02-01T00:00:00Z';"
        "UPDATE issue_labels SET name = 'fixed';"
        "UPDATE issue_comments SET body = 'fixed now', updated_at = '2026-01-20T00:00:00Z';"
        "UPDATE http_cache SET body = '[1]', fetched_at = '2026-02-01T00:00:00Z'");
    auto same_time = hm::store::open_database(tmp / "same.db");
    add_corpus_query(same_time);
    add_repository(same_time, "a/one", 1, 1, 0);
    same_time.exec("UPDATE issues SET title = 'edited'; UPDATE labels SET bug_fix = 0");
  }
  auto out = hm::store::open_database(tmp / "out.db");
  REQUIRE(hm::store::merge_database(out, tmp / "old.db").conflicts == 0);

  const auto newer = hm::store::merge_database(out, tmp / "new.db");
  CHECK(newer.conflicts == 0);
  CHECK(newer.issues_updated == 1);
  const std::string issue_rows =
      "SELECT i.title, i.state, l.name, c.body, (SELECT body FROM http_cache) FROM issues i "
      "JOIN issue_labels l ON l.issue_id = i.id JOIN issue_comments c ON c.issue_id = i.id";
  CHECK(rows(tmp / "out.db", issue_rows) ==
        std::vector<std::string>{"tf.function retraces in a/one|closed|fixed|fixed now|[1]"});

  // An older fetch changes nothing and is no conflict.
  CHECK(hm::store::merge_database(out, tmp / "old.db").conflicts == 0);
  CHECK(rows(tmp / "out.db", issue_rows) ==
        std::vector<std::string>{"tf.function retraces in a/one|closed|fixed|fixed now|[1]"});

  // Fetched (and labels imported) at the same time as the old rows, but different from them: reported.
  auto fresh = hm::store::open_database(tmp / "fresh.db");
  REQUIRE(hm::store::merge_database(fresh, tmp / "old.db").conflicts == 0);
  const auto conflicting = hm::store::merge_database(fresh, tmp / "same.db");
  CHECK(conflicting.conflicts == 2);
  CHECK(conflicting.conflict_examples ==
        std::vector<std::string>{
            "label of r1 for a/one abc1 m.py f differs, imported at the same time",
            "issue https://github.com/a/one#7 differs, fetched at the same time"});
  CHECK(rows(tmp / "fresh.db", "SELECT title FROM issues") ==
        std::vector<std::string>{"tf.function retraces in a/one"});
  CHECK(rows(tmp / "fresh.db", "SELECT bug_fix FROM labels") == std::vector<std::string>{"1"});
}

TEST_CASE("merge: a blob both have but only the input advised brings its advice along", "[store][merge]") {
  TempDir tmp;
  const std::string analysis =
      "INSERT INTO blob_analyses (blob, detector_version, language, status, bytes) VALUES "
      "('b1', 4, 'python', 'skipped', 10);";
  {
    auto out = hm::store::open_database(tmp / "out.db");
    out.exec(analysis);
    auto input = hm::store::open_database(tmp / "in.db");
    input.exec(analysis +
               "INSERT INTO function_verdicts (id, function, is_hybrid, refactoring, failures) VALUES "
               "(hm_content_id('scale', 0, NULL, NULL, NULL, NULL, NULL, 'CONVERT_EAGER_FUNCTION_TO_HYBRID', NULL, "
               "NULL, '[]'), 'scale', 0, 'CONVERT_EAGER_FUNCTION_TO_HYBRID', '[]');"
               "INSERT INTO blob_function_verdicts (blob, ordinal, verdict, line) SELECT 'b1', 0, id, 4 "
               "FROM function_verdicts;"
               "INSERT INTO advised_blobs VALUES ('b1');");
  }
  auto out = hm::store::open_database(tmp / "out.db");
  CHECK(hm::store::merge_database(out, tmp / "in.db").conflicts == 0);
  CHECK(rows(tmp / "out.db", "SELECT blob, function, refactoring FROM blob_function_advice") ==
        std::vector<std::string>{"b1|scale|CONVERT_EAGER_FUNCTION_TO_HYBRID"});
  CHECK(rows(tmp / "out.db", "SELECT blob FROM advised_blobs") == std::vector<std::string>{"b1"});
  // Merging again changes nothing: the blob is advised in the output now.
  CHECK(hm::store::merge_database(out, tmp / "in.db").conflicts == 0);
  CHECK(rows(tmp / "out.db", "SELECT count(*) FROM blob_function_advice") == std::vector<std::string>{"1"});
}

TEST_CASE("merge: a shared row that differs under the same content id is a conflict, and the output's is kept",
          "[store][merge]") {
  TempDir tmp;
  const auto verdict = [](const std::string& blob, const std::string& function) {
    return "INSERT INTO blob_analyses (blob, detector_version, language, status, bytes) VALUES ('" + blob +
           "', 4, 'python', 'parsed', 10);"
           "INSERT INTO function_verdicts (id, function, is_hybrid, failures) VALUES (7, '" + function + "', 0, '[]');"
           "INSERT INTO blob_function_verdicts (blob, ordinal, verdict, line) VALUES ('" + blob + "', 0, 7, 1);";
  };
  {
    auto out = hm::store::open_database(tmp / "out.db");
    out.exec(verdict("b1", "f"));
    auto input = hm::store::open_database(tmp / "in.db");
    input.exec(verdict("b2", "g"));
  }
  auto out = hm::store::open_database(tmp / "out.db");
  const auto merged = hm::store::merge_database(out, tmp / "in.db");
  CHECK(merged.conflicts == 1);
  CHECK(merged.conflict_examples ==
        std::vector<std::string>{"function_verdicts 7 differs (a content id collision)"});
  CHECK(rows(tmp / "out.db", "SELECT blob, function FROM blob_function_advice ORDER BY blob") ==
        std::vector<std::string>{"b1|f", "b2|f"});
}

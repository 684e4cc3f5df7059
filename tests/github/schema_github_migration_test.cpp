// Migration 7 (0007_github_timeline.sql) rebuilds GitHub tables (a CHECK gains values, issue_comments gets a two-column key): a database
// written by schema 5 keeps every row, its foreign keys and its candidates.
#include <catch2/catch.hpp>

#include <string>

#include "store/migrations.hpp"
#include "store/sqlite.hpp"
#include "support/db_rows.hpp"
#include "support/temp_dir.hpp"

using hm::test::rows;
using hm::test::single;

TEST_CASE("a schema 5 database with GitHub rows migrates to the latest schema without losing any", "[github][store]") {
  hm::test::TempDir tmp;
  const auto file = tmp / "v5.db";
  {
    auto db = hm::store::Database::open(file);
    for (const auto& migration : hm::store::migrations()) {
      if (migration.version > 5) break;
      db.exec(migration.sql);
      db.exec("PRAGMA user_version = " + std::to_string(migration.version));
    }
    db.exec(
        "INSERT INTO runs (id, started_at, command, arguments, options, schema_version, tool_version) VALUES "
        "(1, '2024-01-01T00:00:00Z', 'corpus', '[]', '{}', 5, 'x');"
        "INSERT INTO repositories (id, url, name, source_kind) VALUES (1, 'https://github.com/o/n', 'o/n', 'github');"
        "INSERT INTO corpus_queries (id, kind, query, options, run_id, started_at) VALUES "
        "(1, 'search_commits', 'tf.function', '{}', 1, '2024-01-01T00:00:00Z');"
        "INSERT INTO corpus_search_slices VALUES (1, '2020-01-01T00:00:00Z', '2020-12-31T23:59:59Z', 12, 'done');"
        "INSERT INTO corpus VALUES (1, 1, '2024-01-01T00:00:00Z');"
        "INSERT INTO issues (id, repository_id, github_id, number, is_pull_request, title, state, comments, html_url, "
        "created_at, updated_at, is_candidate, candidate_rule, fetched_at) VALUES "
        "(1, 1, 11, 1, 0, 'retracing', 'open', 1, 'h', 'c', 'u', 1, 'symptom-alone:retracing', 'f'),"
        "(2, 1, 12, 2, 0, 'typo', 'open', 0, 'h', 'c', 'u', 0, NULL, 'f');"
        "INSERT INTO issue_comments VALUES (901, 1, 'a', 'NONE', 'me too', 'h', 'c', 'u');"
        "INSERT INTO github_sync (repository_id, resource, since) VALUES (1, 'comments', '2024-01-01T00:00:00Z');");
  }
  {
    auto db = hm::store::open_database(file);  // migrates
    CHECK(db.user_version() == hm::store::latest_schema_version());
  }
  CHECK(rows(file, "PRAGMA foreign_key_check").empty());
  CHECK(single(file, "SELECT id, kind, query, run_id FROM corpus_queries") == "1|search_commits|tf.function|1");
  CHECK(single(file, "SELECT query_id, date_from, total_count, status FROM corpus_search_slices") ==
        "1|2020-01-01T00:00:00Z|12|done");
  CHECK(single(file, "SELECT repository, selected_by FROM corpus_repositories") == "o/n|search_commits: tf.function");
  CHECK(rows(file, "SELECT number, is_candidate, candidate_rule, candidate_source, deleted_at FROM issues ORDER BY 1") ==
        std::vector<std::string>{"1|1|symptom-alone:retracing|title_body|NULL", "2|0|NULL|NULL|NULL"});
  CHECK(single(file, "SELECT id, kind, issue_id, body, candidate_rule, deleted_at FROM issue_comments") ==
        "901|issue|1|me too|NULL|NULL");
  CHECK(single(file, "SELECT resource, since FROM github_sync") == "comments|2024-01-01T00:00:00Z");
  CHECK(single(file, "SELECT number, candidate_source FROM hybridization_bug_reports") == "1|title_body");
  // The rebuilt tables still cascade: deleting the query removes its slices and memberships.
  {
    auto db = hm::store::open_database(file);
    db.exec("DELETE FROM corpus_queries");
  }
  CHECK(single(file, "SELECT (SELECT count(*) FROM corpus) + (SELECT count(*) FROM corpus_search_slices)") == "0");
}

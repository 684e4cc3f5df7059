#include "github/corpus_store.hpp"

#include <nlohmann/json.hpp>

#include "util/time.hpp"

namespace hm::github {

CorpusStore::CorpusStore(store::Database& db) : db_(db) {}

std::pair<std::int64_t, bool> CorpusStore::open_query(const std::string& kind, const std::string& query,
                                                      const std::string& options_json, std::int64_t run_id) {
  auto find = db_.prepare(
      "SELECT id FROM corpus_queries WHERE kind = ? AND query = ? AND options = ? AND finished_at IS NULL "
      "ORDER BY id DESC LIMIT 1");
  find.bind_all(kind, query, options_json);
  if (find.step()) return {find.get_int(0), true};
  db_.prepare("INSERT INTO corpus_queries (kind, query, options, run_id, started_at) VALUES (?, ?, ?, ?, ?)")
      .bind_all(kind, query, options_json, run_id, util::now_iso_utc())
      .run();
  return {db_.last_insert_id(), false};
}

void CorpusStore::finish_query(std::int64_t query_id, bool incomplete) {
  db_.prepare(
         "UPDATE corpus_queries SET finished_at = ?, incomplete = (incomplete OR ?), "
         "repositories = (SELECT count(*) FROM corpus WHERE query_id = ?) WHERE id = ?")
      .bind_all(util::now_iso_utc(), incomplete ? 1 : 0, query_id, query_id)
      .run();
}

std::int64_t CorpusStore::upsert_repository(const RepositoryMetadata& m) {
  const bool on_github = m.html_url.starts_with("https://github.com/");
  const std::string url = on_github ? "https://github.com/" + m.full_name : m.html_url;
  std::int64_t id = 0;
  {
    auto find = db_.prepare("SELECT id FROM repositories WHERE lower(url) = lower(?) ORDER BY id LIMIT 1");
    find.bind(1, url);
    if (find.step()) id = find.get_int(0);
  }
  if (id == 0) {
    db_.prepare("INSERT INTO repositories (url, name, source_kind) VALUES (?, ?, ?)")
        .bind_all(url, m.full_name, on_github ? "github" : "https")
        .run();
    id = db_.last_insert_id();
  }
  db_.prepare(
         "INSERT INTO repository_metadata (repository_id, github_id, full_name, html_url, description, stars, "
         "forks, watchers, open_issues, size_kb, language, topics, license, default_branch, is_fork, is_archived, "
         "created_at, pushed_at, updated_at, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
         "?, ?, ?) ON CONFLICT (repository_id) DO UPDATE SET github_id = excluded.github_id, "
         "full_name = excluded.full_name, html_url = excluded.html_url, description = excluded.description, "
         "stars = excluded.stars, forks = excluded.forks, watchers = coalesce(excluded.watchers, watchers), "
         "open_issues = excluded.open_issues, size_kb = excluded.size_kb, language = excluded.language, "
         "topics = excluded.topics, license = excluded.license, default_branch = excluded.default_branch, "
         "is_fork = excluded.is_fork, is_archived = excluded.is_archived, created_at = excluded.created_at, "
         "pushed_at = excluded.pushed_at, updated_at = excluded.updated_at, fetched_at = excluded.fetched_at")
      .bind_all(id, m.github_id, m.full_name, m.html_url, m.description, m.stars, m.forks, m.watchers,
                m.open_issues, m.size_kb, m.language, nlohmann::json(m.topics).dump(), m.license, m.default_branch,
                m.is_fork ? 1 : 0, m.is_archived ? 1 : 0, m.created_at, m.pushed_at, m.updated_at,
                util::now_iso_utc())
      .run();
  return id;
}

void CorpusStore::add_to_corpus(std::int64_t repository_id, std::int64_t query_id) {
  db_.prepare("INSERT OR IGNORE INTO corpus (repository_id, query_id, added_at) VALUES (?, ?, ?)")
      .bind_all(repository_id, query_id, util::now_iso_utc())
      .run();
}

bool CorpusStore::slice_done(std::int64_t query_id, const std::string& from, const std::string& to) {
  auto find = db_.prepare(
      "SELECT 1 FROM corpus_search_slices WHERE query_id = ? AND date_from = ? AND date_to = ? AND status = 'done'");
  find.bind_all(query_id, from, to);
  return find.step();
}

void CorpusStore::record_slice(std::int64_t query_id, const std::string& from, const std::string& to,
                               std::int64_t total, const std::string& status) {
  db_.prepare(
         "INSERT INTO corpus_search_slices (query_id, date_from, date_to, total_count, status) VALUES (?, ?, ?, ?, ?) "
         "ON CONFLICT (query_id, date_from, date_to) DO UPDATE SET total_count = excluded.total_count, "
         "status = excluded.status")
      .bind_all(query_id, from, to, total, status)
      .run();
}

bool CorpusStore::size_slice_done(std::int64_t query_id, std::int64_t from, std::int64_t to) {
  auto find = db_.prepare(
      "SELECT 1 FROM corpus_search_size_slices WHERE query_id = ? AND size_from = ? AND size_to = ? "
      "AND status = 'done'");
  find.bind_all(query_id, from, to);
  return find.step();
}

void CorpusStore::record_size_slice(std::int64_t query_id, std::int64_t from, std::int64_t to, std::int64_t total,
                                    const std::string& status) {
  db_.prepare(
         "INSERT INTO corpus_search_size_slices (query_id, size_from, size_to, total_count, status) "
         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (query_id, size_from, size_to) DO UPDATE SET "
         "total_count = excluded.total_count, status = excluded.status")
      .bind_all(query_id, from, to, total, status)
      .run();
}

}  // namespace hm::github

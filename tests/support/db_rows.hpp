#pragma once
// Reads query results as "a|b|c" strings (NULL as "NULL"), so tests can assert exact rows in one comparison.
#include <filesystem>
#include <string>
#include <vector>

namespace hm::test {

std::vector<std::string> rows(const std::filesystem::path& db, const std::string& sql);
std::string single(const std::filesystem::path& db, const std::string& sql);

// Every row of every table as "table|value|value...", sorted: the database's content independent of how it was
// produced. This is what "the same database" means for crash/resume and shard/merge (README, "Clusters"):
// - `runs` is left out: it is the log of the processes that wrote the file;
// - `id` columns are left out, and a foreign key is replaced by the referenced row's natural key (a repository
//   by its url, a commit by url + sha, a file change by its commit's key + status + paths, an issue by url + number,
//   a corpus query by kind + query + options + start time);
// - per-process columns are left out: repositories.mined_at, last_run_id and git_dir (the cache folder).
// Values are SQL-quoted (quote()), so NULL, '' and 'NULL' stay distinct. Tables are read from the schema, so a
// column added by a later migration is compared without touching this function.
std::vector<std::string> canonical_rows(const std::filesystem::path& db);

}  // namespace hm::test

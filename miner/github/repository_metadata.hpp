#pragma once
// A GitHub repository as the corpus records it (table repository_metadata), read from the JSON of
// GET /repos/{owner}/{name}, of repository search results, or of the `repository` of a commit search result
// (the last is partial: only identity; its metadata is fetched with GET /repos).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hm::github {

struct RepositoryMetadata {
  std::int64_t github_id = 0;
  std::string full_name;
  std::string html_url;
  std::optional<std::string> description;
  std::int64_t stars = 0;
  std::int64_t forks = 0;
  std::optional<std::int64_t> watchers;  // subscribers_count: only GET /repos has it
  std::int64_t open_issues = 0;
  std::optional<std::int64_t> size_kb;
  std::optional<std::string> language;
  std::vector<std::string> topics;
  std::optional<std::string> license;  // SPDX id
  std::optional<std::string> default_branch;
  bool is_fork = false;
  bool is_archived = false;
  std::optional<std::string> created_at;
  std::optional<std::string> pushed_at;
  std::optional<std::string> updated_at;
};

// Validates and reads a full repository object; throws hm::Error naming `context` and the bad field.
RepositoryMetadata parse_repository(const nlohmann::json& json, const std::string& context);

// Checks "owner/name" (GitHub's characters: letters, digits, '-', '_', '.'); accepts https://github.com/owner/name
// (with optional .git or trailing slash) too. Returns owner/name or nullopt.
std::optional<std::string> parse_full_name(const std::string& text);

}  // namespace hm::github

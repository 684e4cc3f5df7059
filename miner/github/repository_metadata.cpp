#include "github/repository_metadata.hpp"

#include "github/json_fields.hpp"

namespace hm::github {
namespace {

bool valid_part(const std::string& part) {
  if (part.empty() || part.size() > 100 || part == "." || part == "..") return false;
  for (const char c : part) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

RepositoryMetadata parse_repository(const nlohmann::json& json, const std::string& context) {
  const auto repo = expect_object(json, context);
  RepositoryMetadata m;
  m.github_id = repo.integer("id");
  m.full_name = repo.text("full_name");
  if (!parse_full_name(m.full_name)) repo.fail("field 'full_name' is not owner/name: " + m.full_name);
  m.html_url = repo.text("html_url");
  m.description = repo.optional_text("description");
  m.stars = repo.integer("stargazers_count");
  m.forks = repo.integer("forks_count");
  m.watchers = repo.optional_integer("subscribers_count");
  m.open_issues = repo.integer("open_issues_count");
  m.size_kb = repo.optional_integer("size");
  m.language = repo.optional_text("language");
  if (repo.has("topics")) {
    for (const auto& topic : repo.array("topics")) {
      if (!topic.is_string()) repo.fail(std::string("field 'topics' holds ") + kind_of(topic) + ", not a string");
      m.topics.push_back(topic.get<std::string>());
    }
  }
  if (const auto license = repo.optional_object("license")) m.license = license->optional_text("spdx_id");
  m.default_branch = repo.optional_text("default_branch");
  m.is_fork = repo.boolean("fork");
  m.is_archived = repo.optional_boolean("archived", false);
  m.created_at = repo.optional_text("created_at");
  m.pushed_at = repo.optional_text("pushed_at");
  m.updated_at = repo.optional_text("updated_at");
  return m;
}

std::optional<std::string> parse_full_name(const std::string& text) {
  std::string name = text;
  for (const char* prefix : {"https://github.com/", "http://github.com/", "https://www.github.com/", "github.com/"}) {
    if (name.starts_with(prefix)) {
      name = name.substr(std::string(prefix).size());
      break;
    }
  }
  while (!name.empty() && name.back() == '/') name.pop_back();
  if (name.ends_with(".git")) name.resize(name.size() - 4);
  const auto slash = name.find('/');
  if (slash == std::string::npos || name.find('/', slash + 1) != std::string::npos) return std::nullopt;
  if (!valid_part(name.substr(0, slash)) || !valid_part(name.substr(slash + 1))) return std::nullopt;
  return name;
}

}  // namespace hm::github

#include "github_fixtures.hpp"

#include <fstream>
#include <stdexcept>

namespace hm::test::gh {
namespace {

std::string owner_of(const std::string& full_name) { return full_name.substr(0, full_name.find('/')); }
std::string name_of(const std::string& full_name) { return full_name.substr(full_name.find('/') + 1); }

}  // namespace

nlohmann::json load(const std::string& name) {
  const auto path = std::string(HM_SOURCE_DIR) + "/tests/github/fixtures/" + name + ".json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("missing fixture " + path);
  return nlohmann::json::parse(in);
}

nlohmann::json repository(const std::string& full_name, std::int64_t id, std::int64_t stars,
                          const std::string& created_at, bool fork, bool archived) {
  static const auto base = load("repository");
  auto repo = base;
  repo["id"] = id;
  repo["name"] = name_of(full_name);
  repo["full_name"] = full_name;
  repo["owner"]["login"] = owner_of(full_name);
  repo["html_url"] = "https://github.com/" + full_name;
  repo["url"] = "https://api.github.com/repos/" + full_name;
  repo["clone_url"] = "https://github.com/" + full_name + ".git";
  repo["stargazers_count"] = stars;
  repo["watchers_count"] = stars;
  repo["created_at"] = created_at;
  repo["fork"] = fork;
  repo["archived"] = archived;
  return repo;
}

nlohmann::json issue(const std::string& full_name, std::int64_t number, const std::string& title,
                     const std::string& body, const std::string& updated_at, bool pull_request,
                     const std::optional<std::string>& merged_at, const std::vector<std::string>& labels) {
  static const auto base = load("issue");
  auto item = base;
  const auto n = std::to_string(number);
  item["id"] = 1000 + number;
  item["number"] = number;
  item["title"] = title;
  item["body"] = body;
  item["updated_at"] = updated_at;
  item["created_at"] = "2020-01-01T00:00:00Z";
  item["url"] = "https://api.github.com/repos/" + full_name + "/issues/" + n;
  item["html_url"] = "https://github.com/" + full_name + (pull_request ? "/pull/" : "/issues/") + n;
  item["labels"] = nlohmann::json::array();
  for (const auto& label : labels) item["labels"].push_back({{"id", 1}, {"name", label}, {"color", "f29513"}});
  if (pull_request) {
    item["pull_request"] = {{"url", "https://api.github.com/repos/" + full_name + "/pulls/" + n},
                            {"html_url", "https://github.com/" + full_name + "/pull/" + n},
                            {"merged_at", merged_at ? nlohmann::json(*merged_at) : nlohmann::json()}};
    if (merged_at) {
      item["state"] = "closed";
      item["closed_at"] = *merged_at;
    }
  }
  return item;
}

nlohmann::json comment(const std::string& full_name, std::int64_t id, std::int64_t issue_number,
                       const std::string& body, const std::string& updated_at) {
  static const auto base = load("issue_comment");
  auto item = base;
  item["id"] = id;
  item["body"] = body;
  item["created_at"] = updated_at;
  item["updated_at"] = updated_at;
  item["issue_url"] = "https://api.github.com/repos/" + full_name + "/issues/" + std::to_string(issue_number);
  item["html_url"] = "https://github.com/" + full_name + "/issues/" + std::to_string(issue_number) +
                     "#issuecomment-" + std::to_string(id);
  return item;
}

nlohmann::json pull(const std::string& full_name, std::int64_t number, const std::string& merge_commit_sha,
                    const std::optional<std::string>& merged_at, const std::string& updated_at) {
  static const auto base = load("pull");
  auto item = base;
  item["number"] = number;
  item["merge_commit_sha"] = merge_commit_sha;
  item["merged_at"] = merged_at ? nlohmann::json(*merged_at) : nlohmann::json();
  item["updated_at"] = updated_at;
  item["html_url"] = "https://github.com/" + full_name + "/pull/" + std::to_string(number);
  return item;
}

nlohmann::json commit_item(const std::string& full_name, const std::string& sha) {
  static const auto base = load("search_commit_item");
  auto item = base;
  item["sha"] = sha;
  item["repository"]["full_name"] = full_name;
  item["repository"]["name"] = name_of(full_name);
  item["repository"]["html_url"] = "https://github.com/" + full_name;
  return item;
}

nlohmann::json code_item(const std::string& full_name, const std::string& path) {
  static const auto base = load("search_code_item");
  auto item = base;
  item["path"] = path;
  item["name"] = path.substr(path.rfind('/') + 1);
  item["repository"]["full_name"] = full_name;
  item["repository"]["name"] = name_of(full_name);
  item["repository"]["owner"]["login"] = owner_of(full_name);
  item["repository"]["html_url"] = "https://github.com/" + full_name;
  item["html_url"] = "https://github.com/" + full_name + "/blob/main/" + path;
  return item;
}

nlohmann::json review_comment(const std::string& full_name, std::int64_t id, std::int64_t pull_number,
                              const std::string& body, const std::string& updated_at, const std::string& path) {
  static const auto base = load("pull_review_comment");
  auto item = base;
  const auto n = std::to_string(pull_number);
  item["id"] = id;
  item["body"] = body;
  item["path"] = path;
  item["created_at"] = updated_at;
  item["updated_at"] = updated_at;
  item["url"] = "https://api.github.com/repos/" + full_name + "/pulls/comments/" + std::to_string(id);
  item["pull_request_url"] = "https://api.github.com/repos/" + full_name + "/pulls/" + n;
  item["html_url"] = "https://github.com/" + full_name + "/pull/" + n + "#discussion_r" + std::to_string(id);
  return item;
}

namespace {

const nlohmann::json& timeline_events() {
  static const auto events = load("timeline_events");
  return events;
}

}  // namespace

nlohmann::json referenced_event(const std::string& full_name, const std::string& sha, const std::string& created_at) {
  auto event = timeline_events().at("referenced");
  event["commit_id"] = sha;
  event["commit_url"] = "https://api.github.com/repos/" + full_name + "/commits/" + sha;
  event["created_at"] = created_at;
  return event;
}

nlohmann::json closed_event(const std::optional<std::string>& sha, const std::string& full_name,
                            const std::string& created_at) {
  auto event = timeline_events().at("closed");
  if (sha) {
    event["commit_id"] = *sha;
    event["commit_url"] = "https://api.github.com/repos/" + full_name + "/commits/" + *sha;
  }
  event["created_at"] = created_at;
  return event;
}

nlohmann::json cross_referenced_event(const std::string& source_full_name, std::int64_t number, bool pull_request,
                                      const std::string& created_at) {
  auto event = timeline_events().at("cross-referenced");
  auto& issue = event["source"]["issue"];
  issue["number"] = number;
  issue["repository"]["full_name"] = source_full_name;
  issue["repository"]["name"] = name_of(source_full_name);
  if (!pull_request) issue.erase("pull_request");
  event["created_at"] = created_at;
  return event;
}

nlohmann::json commented_event(const nlohmann::json& comment) {
  auto event = comment;
  event["event"] = "commented";
  event["actor"] = timeline_events().at("commented").at("actor");
  return event;
}

nlohmann::json labeled_event(const std::string& created_at) {
  auto event = timeline_events().at("labeled");
  event["created_at"] = created_at;
  return event;
}

nlohmann::json search_envelope(std::int64_t total, const std::vector<nlohmann::json>& items) {
  return {{"total_count", total}, {"incomplete_results", false}, {"items", items}};
}

}  // namespace hm::test::gh

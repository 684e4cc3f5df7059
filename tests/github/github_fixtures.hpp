#pragma once
// GitHub API objects for the fake server, built from the fixtures in tests/github/fixtures/ (GitHub's
// documented example objects, trimmed) with the fields a test cares about replaced.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hm::test::gh {

nlohmann::json load(const std::string& name);  // fixtures/NAME.json

nlohmann::json repository(const std::string& full_name, std::int64_t id, std::int64_t stars,
                          const std::string& created_at, bool fork = false, bool archived = false);
nlohmann::json issue(const std::string& full_name, std::int64_t number, const std::string& title,
                     const std::string& body, const std::string& updated_at, bool pull_request = false,
                     const std::optional<std::string>& merged_at = std::nullopt,
                     const std::vector<std::string>& labels = {});
nlohmann::json comment(const std::string& full_name, std::int64_t id, std::int64_t issue_number,
                       const std::string& body, const std::string& updated_at);
nlohmann::json pull(const std::string& full_name, std::int64_t number, const std::string& merge_commit_sha,
                    const std::optional<std::string>& merged_at, const std::string& updated_at);
nlohmann::json commit_item(const std::string& full_name, const std::string& sha);
nlohmann::json code_item(const std::string& full_name, const std::string& path);
nlohmann::json review_comment(const std::string& full_name, std::int64_t id, std::int64_t pull_number,
                              const std::string& body, const std::string& updated_at, const std::string& path);

// Timeline events (GET /repos/{r}/issues/{n}/timeline) of the kinds hybridminer reads, and one it ignores.
nlohmann::json referenced_event(const std::string& full_name, const std::string& sha, const std::string& created_at);
nlohmann::json closed_event(const std::optional<std::string>& sha, const std::string& full_name,
                            const std::string& created_at);
nlohmann::json cross_referenced_event(const std::string& source_full_name, std::int64_t number, bool pull_request,
                                      const std::string& created_at);
nlohmann::json commented_event(const nlohmann::json& comment);
nlohmann::json labeled_event(const std::string& created_at);

// {"total_count": N, "incomplete_results": false, "items": [...]}
nlohmann::json search_envelope(std::int64_t total, const std::vector<nlohmann::json>& items);

}  // namespace hm::test::gh

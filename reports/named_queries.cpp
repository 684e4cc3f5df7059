#include "reports/named_queries.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "util/embedded_file.hpp"

namespace hm::reports {
namespace {

std::string question_of(std::string_view sql) {
  // The first comment line that says "Question:"; else the first comment line.
  std::string first;
  std::size_t start = 0;
  while (start < sql.size()) {
    auto end = sql.find('\n', start);
    if (end == std::string_view::npos) end = sql.size();
    auto line = sql.substr(start, end - start);
    start = end + 1;
    if (!line.starts_with("--")) {
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      break;
    }
    line.remove_prefix(2);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.starts_with("Question:")) {
      line.remove_prefix(9);
      while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      return std::string(line);
    }
    if (first.empty()) first = line;
  }
  return first;
}

int order_of(std::string_view sql) {
  const auto found = sql.find("\n-- Order:");
  if (found == std::string_view::npos) return 1'000'000;
  return std::atoi(std::string(sql.substr(found + 10, 12)).c_str());
}

}  // namespace

std::vector<NamedQuery> named_queries_in_report_order() {
  auto queries = named_queries();
  std::stable_sort(queries.begin(), queries.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
  return queries;
}

const std::vector<NamedQuery>& named_queries() {
  static const std::vector<NamedQuery> all = [] {
    std::vector<NamedQuery> queries;
    for (const auto& file : embedded::named_queries()) {
      queries.push_back(
          {std::string(file.name), question_of(file.text), std::string(file.text), order_of(file.text)});
    }
    return queries;
  }();
  return all;
}

std::optional<NamedQuery> find_named_query(std::string_view name) {
  const auto& all = named_queries();
  const auto found = std::find_if(all.begin(), all.end(), [&](const auto& q) { return q.name == name; });
  if (found == all.end()) return std::nullopt;
  return *found;
}

bool looks_like_query_name(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

}  // namespace hm::reports

#pragma once
// The study questions in queries/*.sql, compiled in. Each file starts with a comment block whose first line is
// the question it answers ("-- Question: ...").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hm::reports {

struct NamedQuery {
  std::string name;      // file name without .sql
  std::string question;  // from the header comment
  std::string sql;
  int order = 1'000'000;  // from "-- Order: N"
};

const std::vector<NamedQuery>& named_queries();  // by name
// By the "-- Order: N" header line (queries without one come last, by name): the study's reading order.
std::vector<NamedQuery> named_queries_in_report_order();
std::optional<NamedQuery> find_named_query(std::string_view name);

// A NAME|SQL argument is a name when it is a bare identifier; anything else is literal SQL.
bool looks_like_query_name(std::string_view text);

}  // namespace hm::reports

#include "reports/report.hpp"

#include "reports/named_queries.hpp"

namespace hm::reports {

std::string text_report(store::Database& db) {
  std::string out;
  for (const auto& query : named_queries_in_report_order()) {
    out += "## " + query.name + ": " + query.question + "\n\n";
    out += to_table(run_query(db, query.sql));
    out += "\n";
  }
  return out;
}

}  // namespace hm::reports

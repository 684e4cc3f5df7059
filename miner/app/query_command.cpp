#include <cstdio>
#include <iostream>

#include "app/commands.hpp"
#include "reports/format.hpp"
#include "reports/named_queries.hpp"
#include "reports/report.hpp"
#include "store/migrations.hpp"
#include "util/error.hpp"

namespace hm::app {

int run_query(const QueryArgs& args) {
  const auto format = reports::parse_format(args.format);
  std::string sql = args.query;
  if (reports::looks_like_query_name(args.query)) {
    const auto named = reports::find_named_query(args.query);
    if (!named) {
      throw UsageError("no query named '" + args.query + "'; `hybridminer query --list` shows them");
    }
    sql = named->sql;
  }
  auto db = store::open_database_readonly(args.db);
  std::cout << reports::render(reports::run_query(db, sql), format);
  return 0;
}

int list_queries() {
  for (const auto& query : reports::named_queries()) std::cout << query.name << "\t" << query.question << "\n";
  return 0;
}

int run_report(const ReportArgs& args) {
  auto db = store::open_database_readonly(args.db);
  std::cout << reports::text_report(db);
  return 0;
}

}  // namespace hm::app

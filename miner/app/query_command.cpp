#include <cstdio>
#include <iostream>

#include "app/commands.hpp"
#include "reports/format.hpp"
#include "reports/named_queries.hpp"
#include "reports/report.hpp"
#include "reports/study_report.hpp"
#include "store/migrations.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

#ifndef HM_VERSION
#define HM_VERSION "unknown"
#endif

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
  if (!args.out && args.formats_given) throw UsageError("report: --format needs --out DIR");
  auto db = store::open_database_readonly(args.db);
  if (!args.out) {
    std::cout << reports::text_report(db);
    return 0;
  }
  const auto files = reports::write_study_report(
      db, {*args.out, args.formats, HM_VERSION, args.db.string(), util::now_iso_utc()});
  std::cerr << "report: " << files.size() << " files in " << args.out->string() << "\n";
  return 0;
}

}  // namespace hm::app

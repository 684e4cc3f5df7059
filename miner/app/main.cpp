// hybridminer: mine git histories of deep-learning projects for hybridization (tf.function, torch.jit,
// torch.compile, jax.jit, hybridize) into SQLite, and query the result.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "util/error.hpp"

#ifndef HM_VERSION
#define HM_VERSION "unknown"
#endif

namespace {

constexpr int kUsageError = 2;

void add_mine(CLI::App& app, hm::app::MineArgs& args) {
  auto* mine = app.add_subcommand("mine", "Mine git repositories into the database");
  mine->add_option("--db", args.db, "SQLite database to write (created if missing)")->capture_default_str();
  mine->add_option("--cache-dir", args.cache_dir,
                   "Where remote repositories are cloned (default: $XDG_CACHE_HOME/hybridminer)");
  mine->add_flag("--all-refs", args.all_refs, "Walk all branches and tags, not only the default branch");
  mine->add_option("--since", args.since, "Only commits committed on or after DATE (YYYY-MM-DD[THH:MM[:SS]][Z])");
  mine->add_option("--until", args.until, "Only commits committed on or before DATE");
  mine->add_option("--commits-per-transaction", args.commits_per_transaction,
                   "Commits stored per database transaction (a killed run loses at most this many)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
      ->capture_default_str();
  mine->add_option("--shard", args.shard,
                   "Mine only shard K of N (K/N, 1-based): a fixed share of the sources, by repository url");
  mine->add_flag("-q,--quiet", args.quiet, "Print errors only");
  mine->add_flag("-v,--verbose", args.verbose, "Print a line per repository, also when not on a terminal");
  mine->add_option("sources", args.sources,
                   "Repositories: PATH, file:// or https:// URL, owner/name (GitHub), or @FILE with one per line")
      ->required();
}

void add_merge(CLI::App& app, hm::app::MergeArgs& args) {
  auto* merge = app.add_subcommand("merge", "Merge databases (e.g. the shards of a cluster run) into OUT");
  merge->add_option("out", args.out, "Database to merge into (created if missing)")->required();
  merge->add_option("inputs", args.inputs, "Databases to merge from (read only)")->required();
  merge->add_flag("-q,--quiet", args.quiet, "Print conflicts and errors only");
}

void add_query(CLI::App& app, hm::app::QueryArgs& args, bool& list) {
  auto* query = app.add_subcommand("query", "Run a named query from queries/ or literal SQL, read-only");
  query->add_option("--db", args.db, "SQLite database to read")->capture_default_str();
  query->add_option("--format", args.format, "Output format: table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  query->add_flag("--list", list, "List the named queries and the question each answers");
  query->add_option("query", args.query, "Query name (e.g. corpus_overview) or a SQL statement");
}

void add_report(CLI::App& app, hm::app::ReportArgs& args) {
  auto* report = app.add_subcommand("report", "Print every named query as a study table");
  report->add_option("--db", args.db, "SQLite database to read")->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hybridminer: mine git histories for hybridization of deep-learning code (tf.function, "
               "torch.jit, torch.compile, jax.jit, hybridize) into SQLite"};
  app.set_version_flag("--version", std::string("hybridminer ") + HM_VERSION);
  app.require_subcommand(1);
  hm::app::MineArgs mine_args;
  hm::app::MergeArgs merge_args;
  hm::app::QueryArgs query_args;
  hm::app::ReportArgs report_args;
  bool list_queries = false;
  add_mine(app, mine_args);
  add_merge(app, merge_args);
  add_query(app, query_args, list_queries);
  add_report(app, report_args);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kUsageError;
  }

  try {
    if (app.got_subcommand("mine")) return hm::app::run_mine(mine_args, std::vector<std::string>(argv, argv + argc));
    if (app.got_subcommand("merge")) return hm::app::run_merge(merge_args, std::vector<std::string>(argv, argv + argc));
    if (app.got_subcommand("query")) {
      if (list_queries) return hm::app::list_queries();
      if (query_args.query.empty()) throw hm::UsageError("query: give a query name or SQL (or --list)");
      return hm::app::run_query(query_args);
    }
    if (app.got_subcommand("report")) return hm::app::run_report(report_args);
  } catch (const hm::UsageError& e) {
    std::fprintf(stderr, "hybridminer: %s\n", e.what());
    return kUsageError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hybridminer: %s\n", e.what());
    return 1;
  }
  return kUsageError;
}

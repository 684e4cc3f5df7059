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
  mine->add_option("-j,--jobs", args.jobs,
                   "Repositories walked in parallel while one thread writes the database (default: all cores)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1024}));
  mine->add_option("--shard", args.shard,
                   "Mine only shard K of N (K/N, 1-based): a fixed share of the sources, by repository url");
  mine->add_option("--findings", args.findings,
                   "Which versions of files with hybridization sites get anti-pattern findings and function advice: "
                   "history (every version: what finding_lifetimes needs) or tip (only the mined tips' files, "
                   "about 30 % faster)")
      ->check(CLI::IsMember({"history", "tip"}))
      ->capture_default_str();
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
  auto* report = app.add_subcommand(
      "report", "Write the study report (tables, figures, provenance) to --out DIR, or print the tables");
  report->add_option("--db", args.db, "SQLite database to read")->capture_default_str();
  report->add_option("--out", args.out, "Folder to write report.md, index.html, report.tex, tables/, figures/ into");
  report->add_option("--format", args.formats, "Formats to write, comma separated: md,csv,tex,html (default: all)")
      ->delimiter(',')
      ->check(CLI::IsMember({"md", "csv", "tex", "html"}))
      ->each([&args](const std::string&) { args.formats_given = true; });
}

// `label export|import|agreement|eval`: the manual labelling workflow (see README, "Labelling").
CLI::App* add_label(CLI::App& app, hm::app::LabelArgs& args) {
  auto* label = app.add_subcommand("label", "Label a sample of hybridization changes by hand and measure agreement");
  label->require_subcommand(1);
  const auto db = [&](CLI::App* sub) {
    sub->add_option("--db", args.db, "SQLite database")->capture_default_str();
  };
  auto* exporter = label->add_subcommand("export", "Write a CSV of sampled hybridization changes to label");
  db(exporter);
  exporter->add_option("--sample", args.sample, "Number of changes to sample")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
      ->capture_default_str();
  exporter->add_option("--seed", args.seed, "Random seed: the same seed and database give the same sample")
      ->capture_default_str();
  exporter->add_option("--stratify", args.stratify, "Stratify the sample by: kind")->check(CLI::IsMember({"kind"}));
  exporter->add_option("--out", args.out, "CSV file to write (default: standard output)");

  auto* importer = label->add_subcommand("import", "Store a rater's labelled CSV (all rows or none)");
  db(importer);
  importer->add_option("--rater", args.rater, "Who labelled the file")->required();
  importer->add_option("--catalogues", args.catalogues,
                       "Folder with problem_category.txt, cause.txt, symptom.txt, fix.txt (default: built in)");
  importer->add_option("file", args.file, "The labelled CSV")->required();

  auto* agreement = label->add_subcommand("agreement", "Cohen's kappa per dimension between two raters");
  db(agreement);
  agreement->add_option("--raters", args.raters, "The two raters, A,B (default: the only two in the database)");
  agreement->add_option("--format", args.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();

  auto* eval = label->add_subcommand("eval", "Precision and recall of the automatic classification vs agreed labels");
  db(eval);
  eval->add_option("--reference", args.reference,
                   "Use this rater's labels as the truth (default: labels all raters agree on)");
  eval->add_option("--format", args.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  return label;
}

struct GitHubArgs {
  hm::app::CorpusSearchArgs search;
  hm::app::CorpusAddArgs add;
  hm::app::CorpusAddArgs import;
  hm::app::CorpusListArgs list;
  hm::app::CorpusListArgs exported{"hybridminer.db", "names"};
  hm::app::IssuesArgs issues;
};

constexpr const char* kGitHubEnvironment =
    "GitHub: token from GITHUB_TOKEN (never stored), API from GITHUB_API_URL (default https://api.github.com)";

void add_corpus(CLI::App& app, GitHubArgs& args) {
  auto* corpus = app.add_subcommand("corpus", "Select GitHub repositories into the corpus, with their metadata");
  corpus->require_subcommand(1);
  corpus->footer(kGitHubEnvironment);

  auto* search = corpus->add_subcommand("search", "Search GitHub; date ranges are split so no result is lost");
  search->add_option("--db", args.search.db, "SQLite database to write")->capture_default_str();
  search->add_option("--in", args.search.in,
                     "Search repositories (name, description, topics; in:readme for READMEs), commit messages, or "
                     "code (needs GITHUB_TOKEN; file size ranges are split instead of dates)")
      ->check(CLI::IsMember({"repositories", "commits", "code"}))
      ->capture_default_str();
  search->add_option("--language", args.search.language,
                     "Primary language, e.g. Python (with --in code: the language of the matching files)");
  search->add_option("--min-stars", args.search.min_stars, "At least this many stars")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{10'000'000}));
  search->add_option("--created", args.search.created, "Repositories created in FROM..TO (YYYY-MM-DD, either optional)");
  search->add_option("--pushed", args.search.pushed, "Repositories last pushed in FROM..TO");
  search->add_option("--committed", args.search.committed, "Commit search: commits committed in FROM..TO");
  search->add_flag("--include-forks", args.search.include_forks, "Keep forks (excluded by default)");
  search->add_flag("--include-archived", args.search.include_archived, "Keep archived repositories (excluded by default)");
  search->add_option("text", args.search.text, "Search text and extra GitHub qualifiers, e.g. tf.function topic:tensorflow");

  auto* add = corpus->add_subcommand("add", "Add repositories by name");
  add->add_option("--db", args.add.db, "SQLite database to write")->capture_default_str();
  add->add_option("repositories", args.add.names, "owner/name or https://github.com/owner/name")->required();

  auto* import = corpus->add_subcommand("import", "Add the repositories listed in a file (one a line, # comments)");
  import->add_option("--db", args.import.db, "SQLite database to write")->capture_default_str();
  import->add_option("file", args.import.file, "File of owner/name lines")->required();

  auto* list = corpus->add_subcommand("list", "Show the corpus with its metadata");
  list->add_option("--db", args.list.db, "SQLite database to read")->capture_default_str();
  list->add_option("--format", args.list.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();

  auto* exported = corpus->add_subcommand("export", "Print the corpus: names (a corpus file for mine @FILE), csv or json");
  exported->add_option("--db", args.exported.db, "SQLite database to read")->capture_default_str();
  exported->add_option("--format", args.exported.format, "names, csv or json")
      ->check(CLI::IsMember({"names", "csv", "json"}))
      ->capture_default_str();
}

void add_issues(CLI::App& app, hm::app::IssuesArgs& args) {
  auto* issues = app.add_subcommand("issues", "Fetch issues, pull requests and comments of the GitHub repositories "
                                              "of the database (only what changed since the last fetch)");
  issues->footer(kGitHubEnvironment);
  issues->add_option("--db", args.db, "SQLite database to update")->capture_default_str();
  issues->add_flag("--no-comments", args.no_comments, "Skip conversation comments");
  issues->add_flag("--no-review-comments", args.no_review_comments, "Skip pull-request review comments");
  issues->add_flag("--no-pulls", args.no_pulls, "Skip the merge commits of pull requests");
  issues->add_flag("--no-timelines", args.no_timelines,
                   "Skip the timelines of candidate bug reports (commits that reference or close them, deletions)");
  issues->add_option("repositories", args.repositories,
                     "Only these owner/name (default: all GitHub repositories, local clones of them included)");
}

int run_corpus(CLI::App& app, const GitHubArgs& args, const std::vector<std::string>& argv) {
  auto* corpus = app.get_subcommand("corpus");
  if (corpus->got_subcommand("search")) return hm::app::run_corpus_search(args.search, argv);
  if (corpus->got_subcommand("add")) return hm::app::run_corpus_add(args.add, argv);
  if (corpus->got_subcommand("import")) return hm::app::run_corpus_import(args.import, argv);
  if (corpus->got_subcommand("list")) return hm::app::run_corpus_list(args.list);
  if (corpus->got_subcommand("export")) return hm::app::run_corpus_export(args.exported);
  return kUsageError;
}

void add_analyze(CLI::App& app, hm::app::AnalyzeArgs& args) {
  auto* analyze = app.add_subcommand(
      "analyze", "Advise on hybridization per function (refactorings, failed preconditions, anti-patterns)");
  analyze->add_option("--format", args.format, "Output format: table, jsonl or sarif")
      ->check(CLI::IsMember({"table", "jsonl", "sarif"}))
      ->capture_default_str();
  analyze->add_option("--at", args.at, "Analyse the repository given with --repo as it is at this revision");
  analyze->add_option("--repo", args.repo, "Repository whose revision --at is analysed");
  analyze->add_option("paths", args.paths, "Python files and folders (with --at: folders of the repository)");
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
  hm::app::LabelArgs label_args;
  hm::app::AnalyzeArgs analyze_args;
  bool list_queries = false;
  add_mine(app, mine_args);
  add_merge(app, merge_args);
  add_query(app, query_args, list_queries);
  add_report(app, report_args);
  auto* label = add_label(app, label_args);
  GitHubArgs github_args;
  add_corpus(app, github_args);
  add_issues(app, github_args.issues);
  add_analyze(app, analyze_args);

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
    if (label->got_subcommand("export")) return hm::app::run_label_export(label_args);
    if (label->got_subcommand("import")) return hm::app::run_label_import(label_args);
    if (label->got_subcommand("agreement")) return hm::app::run_label_agreement(label_args);
    if (label->got_subcommand("eval")) return hm::app::run_label_eval(label_args);
    const std::vector<std::string> argv_strings(argv, argv + argc);
    if (app.got_subcommand("corpus")) return run_corpus(app, github_args, argv_strings);
    if (app.got_subcommand("issues")) return hm::app::run_issues(github_args.issues, argv_strings);
    if (app.got_subcommand("analyze")) return hm::app::run_analyze(analyze_args);
  } catch (const hm::UsageError& e) {
    std::fprintf(stderr, "hybridminer: %s\n", e.what());
    return kUsageError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hybridminer: %s\n", e.what());
    return 1;
  }
  return kUsageError;
}

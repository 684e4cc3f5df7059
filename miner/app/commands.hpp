#pragma once
// The subcommands behind `hybridminer`. Each returns the process exit code: 0 ok, 1 some sources failed,
// 2 usage error (thrown as hm::UsageError and mapped in main()).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace hm::app {

struct MineArgs {
  std::filesystem::path db = "hybridminer.db";
  std::optional<std::filesystem::path> cache_dir;
  bool all_refs = false;
  std::optional<std::string> since;
  std::optional<std::string> until;
  bool quiet = false;
  bool verbose = false;
  std::size_t commits_per_transaction = 500;
  std::optional<std::size_t> jobs;   // default: all cores
  std::optional<std::string> shard;  // "K/N"
  std::string findings = "history";  // or "tip" (mining::FindingsScope)
  std::vector<std::string> sources;
};

struct MergeArgs {
  std::filesystem::path out;
  std::vector<std::filesystem::path> inputs;
  bool quiet = false;
};

struct QueryArgs {
  std::filesystem::path db = "hybridminer.db";
  std::string format = "table";
  std::string query;
};

struct AnalyzeArgs {
  std::string format = "table";
  std::optional<std::string> at;                  // a revision of `repo`
  std::optional<std::filesystem::path> repo;
  std::vector<std::string> paths;                 // files and folders (folders within `repo` with --at)
};

struct ReportArgs {
  std::filesystem::path db = "hybridminer.db";
  std::optional<std::filesystem::path> out;  // none: print the tables to standard output
  std::vector<std::string> formats{"md", "csv", "tex", "html"};
  bool formats_given = false;
};

struct LabelArgs {
  std::filesystem::path db = "hybridminer.db";
  // export
  std::size_t sample = 50;
  std::uint64_t seed = 1;
  std::optional<std::string> stratify;  // "kind"
  std::optional<std::filesystem::path> out;
  // import
  std::string rater;
  std::filesystem::path file;
  std::optional<std::filesystem::path> catalogues;
  // agreement ("A,B") and eval
  std::optional<std::string> raters;
  std::optional<std::string> reference;
  std::string format = "table";
};

struct CorpusSearchArgs {
  std::filesystem::path db = "hybridminer.db";
  std::string in = "repositories";  // or commits
  std::optional<std::string> language;
  std::optional<std::int64_t> min_stars;
  std::optional<std::string> created;    // FROM..TO, either side may be empty
  std::optional<std::string> pushed;
  std::optional<std::string> committed;  // commit search only
  bool include_forks = false;
  bool include_archived = false;
  std::vector<std::string> text;
};

struct CorpusAddArgs {
  std::filesystem::path db = "hybridminer.db";
  std::vector<std::string> names;  // owner/name or GitHub URLs
  std::filesystem::path file;      // corpus import
};

struct CorpusListArgs {
  std::filesystem::path db = "hybridminer.db";
  std::string format = "table";  // export: names, csv or json
};

struct IssuesArgs {
  std::filesystem::path db = "hybridminer.db";
  bool no_comments = false;
  bool no_review_comments = false;
  bool no_pulls = false;
  bool no_timelines = false;
  std::vector<std::string> repositories;  // owner/name; empty: every GitHub repository of the database
};

int run_mine(const MineArgs& args, const std::vector<std::string>& argv);
int run_merge(const MergeArgs& args, const std::vector<std::string>& argv);
int run_query(const QueryArgs& args);
int list_queries();
int run_report(const ReportArgs& args);
int run_label_export(const LabelArgs& args);
int run_label_import(const LabelArgs& args);
int run_label_agreement(const LabelArgs& args);
int run_label_eval(const LabelArgs& args);
int run_corpus_search(const CorpusSearchArgs& args, const std::vector<std::string>& argv);
int run_corpus_add(const CorpusAddArgs& args, const std::vector<std::string>& argv);
int run_corpus_import(const CorpusAddArgs& args, const std::vector<std::string>& argv);
int run_corpus_list(const CorpusListArgs& args);
int run_corpus_export(const CorpusListArgs& args);
int run_issues(const IssuesArgs& args, const std::vector<std::string>& argv);
int run_analyze(const AnalyzeArgs& args);

}  // namespace hm::app

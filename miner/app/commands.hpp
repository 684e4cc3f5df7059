#pragma once
// The subcommands behind `hybridminer`. Each returns the process exit code: 0 ok, 1 some sources failed,
// 2 usage error (thrown as hm::UsageError and mapped in main()).
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
  std::optional<std::string> shard;  // "K/N"
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

struct ReportArgs {
  std::filesystem::path db = "hybridminer.db";
};

int run_mine(const MineArgs& args, const std::vector<std::string>& argv);
int run_merge(const MergeArgs& args, const std::vector<std::string>& argv);
int run_query(const QueryArgs& args);
int list_queries();
int run_report(const ReportArgs& args);

}  // namespace hm::app

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "corpus/shard.hpp"
#include "corpus/source.hpp"
#include "git/handles.hpp"
#include "mining/miner.hpp"
#include "store/history_store.hpp"
#include "store/migrations.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace hm::app {
namespace {

nlohmann::json options_json(const MineArgs& args, const mining::MineOptions& options) {
  nlohmann::json json;
  json["db"] = args.db.string();
  json["cache_dir"] = options.cache_dir.string();
  json["all_refs"] = options.all_refs;
  json["since"] = args.since ? nlohmann::json(*args.since) : nlohmann::json();
  json["until"] = args.until ? nlohmann::json(*args.until) : nlohmann::json();
  json["jobs"] = options.jobs;
  json["findings"] = options.findings == mining::FindingsScope::Tip ? "tip" : "history";
  json["shard"] = args.shard ? nlohmann::json(*args.shard) : nlohmann::json();
  json["sources"] = args.sources;
  return json;
}

std::string plural(std::int64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

int run_mine(const MineArgs& args, const std::vector<std::string>& argv) {
  if (args.quiet && args.verbose) throw UsageError("--quiet and --verbose exclude each other");
  mining::MineOptions options;
  options.cache_dir = args.cache_dir ? *args.cache_dir : corpus::default_cache_dir();
  options.all_refs = args.all_refs;
  options.commits_per_transaction = args.commits_per_transaction;
  options.jobs = args.jobs ? *args.jobs : std::max(1u, std::thread::hardware_concurrency());
  options.findings = args.findings == "tip" ? mining::FindingsScope::Tip : mining::FindingsScope::History;
  if (args.since) options.since = util::parse_date(*args.since);
  if (args.until) options.until = util::parse_date(*args.until);
  if (options.since && options.until && *options.since > *options.until) {
    throw UsageError("--since is after --until");
  }
  auto sources = corpus::expand_sources(args.sources, std::filesystem::current_path());
  if (sources.empty()) throw UsageError("no sources to mine (the corpus files list none)");
  if (args.shard) {
    // A shard may be empty (more shards than repositories): it still writes a database, which merges as nothing.
    const auto shard = corpus::parse_shard(*args.shard);
    std::erase_if(sources, [&](const corpus::Source& source) { return !corpus::in_shard(source, shard); });
  }

  const auto started = std::chrono::steady_clock::now();
  git::Library libgit2;
  auto db = store::open_database(args.db);
  store::HistoryStore store(db);
  const auto run_id = store.begin_run("mine", nlohmann::json(argv).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                                      options_json(args, options).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));

  const auto verbosity = args.quiet ? util::Verbosity::Quiet : args.verbose ? util::Verbosity::Verbose : util::Verbosity::Normal;
  util::Progress progress(verbosity, ::isatty(STDERR_FILENO) == 1);
  mining::Miner miner(store, run_id, options, progress);
  store::RunCounts counts;
  // Printed, not stored: how the work went, not what was found.
  std::int64_t blobs_reparsed = 0;
  std::int64_t tip_blobs_advised = 0;
  std::int64_t tip_blobs_worked_out = 0;
  std::int64_t blobs_completed = 0;
  miner.mine(sources, [&](std::size_t i, const mining::SourceOutcome& outcome) {
    ++counts.sources;
    counts.commits_added += outcome.commits_added;
    counts.file_changes_added += outcome.file_changes_added;
    counts.commits_analysed += outcome.commits_analysed;
    counts.hybridization_changes_added += outcome.hybridization_changes_added;
    counts.blobs_parsed += outcome.blobs_parsed;
    blobs_reparsed += outcome.blobs_reparsed;
    tip_blobs_advised += outcome.tip_blobs_advised;
    tip_blobs_worked_out += outcome.tip_blobs_worked_out;
    blobs_completed += outcome.blobs_completed;
    counts.blobs_skipped += outcome.blobs_skipped;
    counts.blobs_cached += outcome.blobs_cached;
    if (!outcome.ok) {
      ++counts.sources_failed;
      progress.error(sources[i].spec + ": " + outcome.error);
    }
    if (!outcome.warning.empty()) progress.warning(sources[i].spec + ": " + outcome.warning);
    progress.finish_source(plural(outcome.commits_added, "new commit") + ", " +
                           plural(outcome.file_changes_added, "file change"));
  });
  store.finish_run(run_id, counts);

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!args.quiet) {
    std::fprintf(stderr, "mined %s (%lld failed): %s, %s, %s in %.1fs into %s (run %lld)\n",
                 plural(counts.sources, "source").c_str(), static_cast<long long>(counts.sources_failed),
                 plural(counts.commits_added, "new commit").c_str(),
                 plural(counts.file_changes_added, "file change").c_str(),
                 plural(counts.hybridization_changes_added, "hybridization change").c_str(), seconds,
                 args.db.c_str(), static_cast<long long>(run_id));
    if (blobs_completed > 0) {
      std::fprintf(stderr, "completed the findings and advice of %s an earlier --findings tip mine left without\n",
                   plural(blobs_completed, "file version").c_str());
    }
    if (args.verbose) {
      std::fprintf(stderr,
                   "analysed %lld commits: %lld blobs parsed (%lld from scratch, the others reparsed from an earlier "
                   "version), %lld ruled out by the prefilter, %lld cached\n",
                   static_cast<long long>(counts.commits_analysed), static_cast<long long>(counts.blobs_parsed),
                   static_cast<long long>(counts.blobs_parsed - blobs_reparsed),
                   static_cast<long long>(counts.blobs_skipped), static_cast<long long>(counts.blobs_cached));
      std::fprintf(stderr, "advised %s at the tip (%lld worked out while the last commits were stored)\n",
                   plural(tip_blobs_advised, "file").c_str(), static_cast<long long>(tip_blobs_worked_out));
    }
  }
  return counts.sources_failed > 0 ? 1 : 0;
}

}  // namespace hm::app

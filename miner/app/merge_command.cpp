#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "store/history_store.hpp"
#include "store/merge.hpp"
#include "store/migrations.hpp"
#include "util/error.hpp"

namespace hm::app {

int run_merge(const MergeArgs& args, const std::vector<std::string>& argv) {
  auto db = store::open_database(args.out);
  store::HistoryStore store(db);
  nlohmann::json options;
  options["out"] = args.out.string();
  std::vector<std::string> inputs;
  for (const auto& input : args.inputs) inputs.push_back(input.string());
  options["inputs"] = inputs;
  const auto dump = [](const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  const auto run_id = store.begin_run("merge", dump(nlohmann::json(argv)), dump(options));

  store::RunCounts run_counts;
  std::int64_t conflicts = 0, blobs = 0;
  for (const auto& input : args.inputs) {
    ++run_counts.sources;
    try {
      const auto counts = store::merge_database(db, input);
      run_counts.commits_added += counts.commits_added;
      run_counts.file_changes_added += counts.file_changes_added;
      run_counts.hybridization_changes_added += counts.hybridization_changes_added;
      blobs += counts.blobs_added;
      conflicts += counts.conflicts;
      for (const auto& conflict : counts.conflict_examples) {
        std::fprintf(stderr, "conflict: %s: %s (kept %s's)\n", input.c_str(), conflict.c_str(), args.out.c_str());
      }
      if (counts.conflicts > static_cast<std::int64_t>(counts.conflict_examples.size())) {
        std::fprintf(stderr, "conflict: %s: ... and %lld more\n", input.c_str(),
                     static_cast<long long>(counts.conflicts) -
                         static_cast<long long>(counts.conflict_examples.size()));
      }
      if (counts.conflicts > 0) ++run_counts.sources_failed;
    } catch (const Error& e) {
      ++run_counts.sources_failed;
      std::fprintf(stderr, "error: %s: %s\n", input.c_str(), e.what());
    }
  }
  store.finish_run(run_id, run_counts);
  if (!args.quiet) {
    std::fprintf(stderr, "merged %lld database(s) (%lld failed or in conflict): %lld new commits, %lld file changes, "
                 "%lld hybridization changes, %lld blob analyses, %lld conflicts into %s (run %lld)\n",
                 static_cast<long long>(run_counts.sources), static_cast<long long>(run_counts.sources_failed),
                 static_cast<long long>(run_counts.commits_added), static_cast<long long>(run_counts.file_changes_added),
                 static_cast<long long>(run_counts.hybridization_changes_added), static_cast<long long>(blobs),
                 static_cast<long long>(conflicts), args.out.c_str(), static_cast<long long>(run_id));
  }
  return run_counts.sources_failed > 0 ? 1 : 0;
}

}  // namespace hm::app

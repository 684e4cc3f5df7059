// `hybridminer issues`: issues, pull requests and comments of the database's GitHub repositories, fetched
// incrementally (github/issue_sync.hpp), with candidate hybridization bug reports marked as they are stored.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/github_session.hpp"
#include "github/issue_sync.hpp"
#include "github/repository_metadata.hpp"
#include "store/migrations.hpp"
#include "util/error.hpp"

namespace hm::app {
namespace {

struct Target {
  std::int64_t id;
  std::string full_name;
};

std::vector<Target> github_repositories(store::Database& db) {
  std::vector<Target> targets;
  auto list = db.prepare(
      "SELECT r.id, coalesce(m.full_name, r.name) FROM repositories r "
      "LEFT JOIN repository_metadata m ON m.repository_id = r.id "
      // A local clone of a GitHub repository is named owner/name by its origin remote (a folder name never holds
      // a slash): its issues are GitHub's too.
      "WHERE r.source_kind = 'github' OR m.repository_id IS NOT NULL "
      "OR (r.source_kind = 'local' AND instr(r.name, '/') > 0) ORDER BY r.id");
  while (list.step()) targets.push_back({list.get_int(0), list.get_text(1)});
  return targets;
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The repositories named on the command line, in that order; all GitHub repositories when none is named.
std::vector<Target> select(const std::vector<Target>& all, const std::vector<std::string>& names) {
  if (names.empty()) return all;
  std::vector<Target> chosen;
  for (const auto& spec : names) {
    const auto name = github::parse_full_name(spec);
    if (!name) throw UsageError("'" + spec + "' is not a GitHub repository (owner/name)");
    const auto it = std::find_if(all.begin(), all.end(), [&](const Target& t) { return lower(t.full_name) == lower(*name); });
    if (it == all.end()) {
      throw UsageError(*name + " is not in the database; add it with `hybridminer corpus add " + *name + "`");
    }
    chosen.push_back(*it);
  }
  return chosen;
}

}  // namespace

int run_issues(const IssuesArgs& args, const std::vector<std::string>& argv) {
  nlohmann::json options;
  options["comments"] = !args.no_comments;
  options["review_comments"] = !args.no_review_comments;
  options["pulls"] = !args.no_pulls;
  options["timelines"] = !args.no_timelines;
  options["repositories"] = args.repositories;
  // Checked before the run is recorded, so that a usage error leaves no trace in the database.
  const auto targets = [&] {
    auto db = store::open_database(args.db);
    return select(github_repositories(db), args.repositories);
  }();
  if (targets.empty()) {
    throw UsageError("the database holds no GitHub repositories; select some with `hybridminer corpus search|add`");
  }
  GitHubSession session(args.db, "issues", argv, options);
  github::IssueSync sync(session.client(), session.db(),
                         [](const std::string& text) { std::fprintf(stderr, "hybridminer: %s\n", text.c_str()); });
  github::SyncOptions sync_options{!args.no_comments, !args.no_review_comments, !args.no_pulls, !args.no_timelines};
  std::int64_t failed = 0;
  github::SyncCounts total;
  for (const auto& target : targets) {
    try {
      total += sync.sync(target.id, target.full_name, sync_options);
    } catch (const Error& e) {
      ++failed;
      std::fprintf(stderr, "error: %s: %s\n", target.full_name.c_str(), e.what());
    }
  }
  session.finish(static_cast<std::int64_t>(targets.size()), failed, total.issues);
  const auto candidates = session.count("SELECT count(*) FROM issues WHERE is_candidate = 1");
  std::fprintf(stderr, "issues: %zu repositories (%lld failed): %lld issues and pull requests, %lld comments, "
               "%lld review comments, %lld merge commits stored; %lld timelines read (%lld issues and %lld comments "
               "found deleted); %lld candidate hybridization bug reports in %s (%lld requests)\n",
               targets.size(), static_cast<long long>(failed), static_cast<long long>(total.issues),
               static_cast<long long>(total.comments), static_cast<long long>(total.review_comments),
               static_cast<long long>(total.merges), static_cast<long long>(total.timelines),
               static_cast<long long>(total.issues_deleted), static_cast<long long>(total.comments_deleted),
               static_cast<long long>(candidates), args.db.c_str(),
               static_cast<long long>(session.client().requests_sent()));
  return failed > 0 ? 1 : 0;
}

}  // namespace hm::app

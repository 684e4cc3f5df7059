#include "git/history.hpp"

#include <algorithm>
#include <fstream>
#include <utility>

namespace hm::git {
namespace {

std::vector<git_oid> parents_of(const Repository& repo, const git_oid& oid) {
  git_commit* raw = nullptr;
  check(git_commit_lookup(&raw, repo.handle(), &oid), "cannot read commit " + to_hex(oid));
  CommitPtr commit(raw);
  std::vector<git_oid> parents;
  for (unsigned i = 0, n = git_commit_parentcount(commit.get()); i < n; ++i) {
    parents.push_back(*git_commit_parent_id(commit.get(), i));
  }
  return parents;
}

// libgit2 1.5's revwalk fails on the missing parents of a shallow clone's boundary, so shallow repositories are
// walked here, boundary commits taken as roots: a depth-first post-order, which also puts parents first.
class ShallowWalk {
 public:
  ShallowWalk(const Repository& repo, std::unordered_set<std::string> boundary)
      : repo_(repo), boundary_(std::move(boundary)) {}

  // Appends what is reachable from `tip` and not seen yet to `order`, parents first.
  void visit(const git_oid& tip, std::vector<git_oid>& order) {
    if (!seen_.insert(to_hex(tip)).second) return;
    std::vector<std::pair<git_oid, std::vector<git_oid>>> stack;
    stack.emplace_back(tip, parents_of_unless_boundary(tip));
    while (!stack.empty()) {
      auto& [oid, parents] = stack.back();
      if (parents.empty()) {
        order.push_back(oid);
        stack.pop_back();
        continue;
      }
      const auto parent = parents.back();
      parents.pop_back();
      if (seen_.insert(to_hex(parent)).second) stack.emplace_back(parent, parents_of_unless_boundary(parent));
    }
  }

 private:
  std::vector<git_oid> parents_of_unless_boundary(const git_oid& oid) {
    if (boundary_.count(to_hex(oid))) return {};
    auto parents = parents_of(repo_, oid);
    std::reverse(parents.begin(), parents.end());  // popped from the back: first parent first
    return parents;
  }

  const Repository& repo_;
  std::unordered_set<std::string> boundary_;
  std::unordered_set<std::string> seen_;
};

}  // namespace

std::unordered_set<std::string> shallow_boundary(const Repository& repo) {
  std::unordered_set<std::string> boundary;
  std::ifstream file(repo.git_dir() / "shallow");
  for (std::string line; std::getline(file, line);) {
    if (line.size() >= 40) boundary.insert(line.substr(0, 40));
  }
  return boundary;
}

std::vector<git_oid> commits_to_visit(const Repository& repo, const std::vector<git_oid>& tips,
                                      const std::vector<git_oid>& already_mined_tips) {
  if (auto boundary = shallow_boundary(repo); !boundary.empty()) {
    // Mined tips hide nothing here: a clone deepened since the last mine has unmined commits behind them (the
    // miner skips the stored ones, and shallow histories are short).
    ShallowWalk walk(repo, std::move(boundary));
    std::vector<git_oid> result;
    for (const auto& tip : tips) walk.visit(tip, result);
    return result;
  }
  git_revwalk* raw = nullptr;
  check(git_revwalk_new(&raw, repo.handle()), "cannot start history walk");
  RevwalkPtr walk(raw);
  check(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE), "cannot sort history walk");
  for (const auto& tip : tips) check(git_revwalk_push(walk.get(), &tip), "cannot walk from " + to_hex(tip));
  for (const auto& mined : already_mined_tips) {
    // A tip mined earlier may have been rewritten away (force push); then it simply hides nothing.
    if (repo.has_object(mined)) check(git_revwalk_hide(walk.get(), &mined), "cannot hide " + to_hex(mined));
  }
  std::vector<git_oid> result;
  git_oid oid;
  int rc = 0;
  while ((rc = git_revwalk_next(&oid, walk.get())) == 0) result.push_back(oid);
  if (rc != GIT_ITEROVER) check(rc, "history walk failed");
  return result;
}

}  // namespace hm::git

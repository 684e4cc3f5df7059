#pragma once
// Which commits a mine visits: everything reachable from the tips, minus what is reachable from commits
// already mined, parents before children.
#include <string>
#include <unordered_set>
#include <vector>

#include "git/repository.hpp"

namespace hm::git {

// Topological order with parents first, so a killed run always leaves a database whose commits are closed under
// ancestry (up to the last committed transaction) and incremental analysis can rely on a parent being done.
// In a shallow clone the walk stops at the boundary commits (see shallow_boundary).
std::vector<git_oid> commits_to_visit(const Repository& repo, const std::vector<git_oid>& tips,
                                      const std::vector<git_oid>& already_mined_tips);

// The commits of a shallow clone whose parents were not fetched (hex ids, from GIT_DIR/shallow); empty for a
// complete repository.
std::unordered_set<std::string> shallow_boundary(const Repository& repo);

}  // namespace hm::git

#include "git/history.hpp"

namespace hm::git {

std::vector<git_oid> commits_to_visit(const Repository& repo, const std::vector<git_oid>& tips,
                                      const std::vector<git_oid>& already_mined_tips) {
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

#pragma once
// Builds real git repositories with the git command line, deterministically: fixed identities and dates, no
// user or system configuration, so the same steps give the same commit ids on every machine.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace hm::test {

class GitRepo {
 public:
  // `git init` in `path` (created if needed) with `branch` as the initial branch.
  explicit GitRepo(std::filesystem::path path, std::string branch = "main", bool bare = false);

  const std::filesystem::path& path() const noexcept { return path_; }

  // Runs git with the given arguments in the repository; throws with git's output on failure.
  std::string git(const std::vector<std::string>& args) const;

  void write(const std::string& relative, const std::string& content) const;
  void remove(const std::string& relative) const;
  // `git add -A` and commit with a date `day` days after 2021-01-01; returns the new commit's sha.
  std::string commit(const std::string& message, int day, const std::string& author = "Ada") const;
  // `git merge --no-ff` of `branch` into the current branch, dated like commit(); returns the merge's sha.
  std::string merge(const std::string& branch, const std::string& message, int day) const;
  std::string head() const;
  std::int64_t count_commits(const std::string& revs = "HEAD") const;

 private:
  std::filesystem::path path_;
};

// `text` without trailing newlines and spaces (git's output lines).
std::string trimmed(std::string text);

// Runs the demo corpus generator (data/demo/make_demo_corpus.sh) into `out`.
void make_demo_corpus(const std::filesystem::path& out);

}  // namespace hm::test

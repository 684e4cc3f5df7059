#include "support/git_fixture.hpp"

#include <fstream>
#include <map>
#include <stdexcept>

#include "support/process.hpp"

namespace hm::test {
namespace {

std::map<std::string, std::string> git_environment(const std::string& author = "Ada", const std::string& date = "") {
  std::map<std::string, std::string> env{
      {"GIT_CONFIG_NOSYSTEM", "1"},       {"GIT_CONFIG_GLOBAL", "/dev/null"},
      {"GIT_AUTHOR_NAME", author},        {"GIT_AUTHOR_EMAIL", author + "@example.org"},
      {"GIT_COMMITTER_NAME", author},     {"GIT_COMMITTER_EMAIL", author + "@example.org"},
  };
  if (!date.empty()) {
    env["GIT_AUTHOR_DATE"] = date;
    env["GIT_COMMITTER_DATE"] = date;
  }
  return env;
}

}  // namespace

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

GitRepo::GitRepo(std::filesystem::path path, std::string branch, bool bare) : path_(std::move(path)) {
  std::filesystem::create_directories(path_);
  std::vector<std::string> args{"git", "-c", "init.defaultBranch=" + branch, "init", "-q"};
  if (bare) args.push_back("--bare");
  args.push_back(path_.string());
  const auto result = run_process(args, git_environment());
  if (result.exit_code != 0) throw std::runtime_error("git init failed: " + result.err);
}

std::string GitRepo::git(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"git", "-C", path_.string(), "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto result = run_process(argv, git_environment("Ada", "2021-01-01T00:00:00Z"));
  if (result.exit_code != 0) throw std::runtime_error("git failed: " + result.err + result.out);
  return result.out;
}

void GitRepo::write(const std::string& relative, const std::string& content) const {
  const auto file = path_ / relative;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << content;
}

void GitRepo::remove(const std::string& relative) const { std::filesystem::remove(path_ / relative); }

std::string GitRepo::commit(const std::string& message, int day, const std::string& author) const {
  git({"add", "-A"});
  const std::string date = std::to_string(1609459200 + day * 86400) + " +0000";
  std::vector<std::string> argv{"git", "-C", path_.string(), "-c", "commit.gpgsign=false", "commit", "-q",
                                "--allow-empty", "-m", message};
  const auto result = run_process(argv, git_environment(author, date));
  if (result.exit_code != 0) throw std::runtime_error("git commit failed: " + result.err + result.out);
  return head();
}

std::string GitRepo::merge(const std::string& branch, const std::string& message, int day) const {
  const std::string date = std::to_string(1609459200 + day * 86400) + " +0000";
  const auto result = run_process({"git", "-C", path_.string(), "-c", "commit.gpgsign=false", "merge", "-q",
                                   "--no-ff", "-m", message, branch},
                                  git_environment("Ada", date));
  if (result.exit_code != 0) throw std::runtime_error("git merge failed: " + result.err + result.out);
  return head();
}

std::string GitRepo::head() const { return trimmed(git({"rev-parse", "HEAD"})); }

std::int64_t GitRepo::count_commits(const std::string& revs) const {
  return std::stoll(trimmed(git({"rev-list", "--count", revs})));
}

void make_demo_corpus(const std::filesystem::path& out) {
  const auto result = run_process({"bash", std::string(HM_SOURCE_DIR) + "/data/demo/make_demo_corpus.sh", out.string()});
  if (result.exit_code != 0) throw std::runtime_error("demo corpus generator failed: " + result.err);
}

}  // namespace hm::test

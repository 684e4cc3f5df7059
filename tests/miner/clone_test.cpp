#include <catch2/catch.hpp>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "git/clone.hpp"
#include "git/handles.hpp"
#include "git/repository.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using hm::git::clone_or_fetch;
using hm::git::Library;
using hm::git::Repository;
using hm::git::to_hex;
using hm::test::GitRepo;
using hm::test::TempDir;

namespace {

std::string file_url(const fs::path& path) { return "file://" + path.string(); }

// The commit a ref leads to, or nullopt when the ref does not exist.
std::optional<std::string> ref_target(const Repository& repo, const std::string& name) {
  for (const auto& tip : repo.all_ref_tips()) {
    if (tip.name == name) return to_hex(tip.target);
  }
  return std::nullopt;
}

std::size_t entries_in(const fs::path& dir) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++count;
  return count;
}

}  // namespace

TEST_CASE("clone_or_fetch: clones a file:// URL bare into the destination", "[git][clone]") {
  Library library;
  TempDir dir;
  GitRepo source(dir / "source");
  source.write("a.py", "a = 1\n");
  const auto first = source.commit("first", 0);
  source.git({"branch", "dev"});
  source.write("a.py", "a = 2\n");
  const auto second = source.commit("second", 1);
  source.git({"tag", "-a", "-m", "release", "v1.0", first});

  const auto destination = dir / "cache" / "file" / "source.git";
  const auto repo = clone_or_fetch(file_url(source.path()), destination);
  CHECK(fs::is_directory(destination));
  CHECK(git_repository_is_bare(repo.handle()) == 1);
  CHECK(fs::equivalent(repo.git_dir(), destination));
  const auto head = repo.default_branch();
  REQUIRE(head.has_value());
  CHECK(head->name == "refs/heads/main");
  CHECK(to_hex(head->target) == second);
  CHECK(ref_target(repo, "refs/heads/main") == second);
  CHECK(ref_target(repo, "refs/heads/dev") == first);
  CHECK(ref_target(repo, "refs/tags/v1.0") == first);
  // Branches are mirrored as local branches, not as remote-tracking ones.
  for (const auto& tip : repo.all_ref_tips()) CHECK_FALSE(tip.name.starts_with("refs/remotes/"));
  // Nothing but the clone is left next to it.
  CHECK(entries_in(destination.parent_path()) == 1);
}

TEST_CASE("clone_or_fetch: a second call fetches into the existing clone", "[git][clone]") {
  Library library;
  TempDir dir;
  GitRepo source(dir / "source");
  source.write("a.py", "a = 1\n");
  source.commit("first", 0);
  source.git({"branch", "doomed"});
  const auto url = file_url(source.path());
  const auto destination = dir / "cache" / "source.git";
  { clone_or_fetch(url, destination); }
  std::ofstream(destination / "marker") << "left by the test\n";

  source.write("a.py", "a = 2\n");
  const auto second = source.commit("second", 1);
  source.git({"tag", "v2", second});
  source.git({"branch", "-D", "doomed"});

  const auto repo = clone_or_fetch(url, destination);
  CHECK(fs::exists(destination / "marker"));  // fetched in place, not re-cloned
  CHECK(ref_target(repo, "refs/heads/main") == second);
  CHECK(ref_target(repo, "refs/tags/v2") == second);
  CHECK_FALSE(ref_target(repo, "refs/heads/doomed").has_value());  // pruned
  CHECK(repo.default_branch().has_value());
  CHECK(to_hex(repo.default_branch()->target) == second);
}

TEST_CASE("clone_or_fetch: reports transfer progress through the callback", "[git][clone]") {
  Library library;
  TempDir dir;
  GitRepo source(dir / "source");
  for (int i = 0; i < 3; ++i) {
    source.write("f" + std::to_string(i) + ".py", "x = " + std::to_string(i) + "\n");
    source.commit("commit " + std::to_string(i), i);
  }
  std::size_t calls = 0;
  std::size_t last_received = 0;
  std::size_t last_total = 0;
  const auto repo = clone_or_fetch(file_url(source.path()), dir / "cache" / "source.git",
                                   [&](std::size_t received, std::size_t total) {
                                     ++calls;
                                     last_received = received;
                                     last_total = total;
                                   });
  CHECK(repo.default_branch().has_value());
  if (calls > 0) {
    CHECK(last_received <= last_total);
  } else {
    WARN("libgit2 reported no transfer progress for a local clone");
  }
}

TEST_CASE("clone_or_fetch: an existing clone of another URL is refused", "[git][clone]") {
  Library library;
  TempDir dir;
  GitRepo first(dir / "first");
  first.write("a.py", "a = 1\n");
  first.commit("first", 0);
  GitRepo second(dir / "second");
  second.write("b.py", "b = 1\n");
  second.commit("second", 0);
  const auto destination = dir / "cache" / "repo.git";
  { clone_or_fetch(file_url(first.path()), destination); }
  CHECK_THROWS_AS(clone_or_fetch(file_url(second.path()), destination), hm::Error);
  CHECK_THROWS_WITH(clone_or_fetch(file_url(second.path()), destination), Catch::Contains("cached clone"));
  // The cached clone is untouched.
  const auto repo = Repository::open(destination);
  CHECK(repo.default_branch().has_value());
  CHECK(to_hex(repo.default_branch()->target) == first.head());
}

TEST_CASE("clone_or_fetch: an existing folder that is not a repository is refused", "[git][clone]") {
  Library library;
  TempDir dir;
  GitRepo source(dir / "source");
  source.write("a.py", "a = 1\n");
  source.commit("first", 0);
  fs::create_directories(dir / "cache" / "repo.git");
  CHECK_THROWS_AS(clone_or_fetch(file_url(source.path()), dir / "cache" / "repo.git"), hm::Error);
}

TEST_CASE("clone_or_fetch: an unreachable URL throws and leaves nothing behind", "[git][clone]") {
  Library library;
  TempDir dir;
  const auto cache = dir / "cache";
  const auto destination = cache / "file" / "nonexistent.git";
  CHECK_THROWS_AS(clone_or_fetch("file:///nonexistent-hybridminer-test/repo.git", destination), hm::Error);
  CHECK_FALSE(fs::exists(destination));
  if (fs::exists(destination.parent_path())) CHECK(entries_in(destination.parent_path()) == 0);
}

TEST_CASE("clone_or_fetch: the clone's HEAD follows the remote's default branch", "[git][clone]") {
  Library library;
  TempDir dir;
  GitRepo source(dir / "source", "trunk");
  source.write("a.py", "a = 1\n");
  const auto first = source.commit("first", 0);
  source.git({"branch", "aaa-first-by-name"});
  source.write("a.py", "a = 2\n");
  const auto second = source.commit("second", 1);
  const auto url = file_url(source.path());
  const auto destination = dir / "cache" / "source.git";
  {
    const auto repo = clone_or_fetch(url, destination);
    const auto head = repo.default_branch();
    REQUIRE(head.has_value());
    CHECK(head->name == "refs/heads/trunk");
    CHECK(to_hex(head->target) == second);
  }
  // The remote switches its default branch; the next fetch follows.
  source.git({"checkout", "-q", "aaa-first-by-name"});
  const auto repo = clone_or_fetch(url, destination);
  const auto head = repo.default_branch();
  REQUIRE(head.has_value());
  CHECK(head->name == "refs/heads/aaa-first-by-name");
  CHECK(to_hex(head->target) == first);
}

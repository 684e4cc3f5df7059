#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "git/handles.hpp"
#include "git/history.hpp"
#include "git/repository.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using hm::git::Library;
using hm::git::Repository;
using hm::git::to_hex;
using hm::test::GitRepo;
using hm::test::TempDir;
using hm::test::trimmed;

namespace {

git_oid oid(const std::string& hex) {
  git_oid result;
  REQUIRE(git_oid_fromstr(&result, hex.c_str()) == 0);
  return result;
}

std::vector<std::string> hexes(const std::vector<git_oid>& oids) {
  std::vector<std::string> result;
  for (const auto& o : oids) result.push_back(to_hex(o));
  return result;
}

std::ptrdiff_t position(const std::vector<std::string>& order, const std::string& sha) {
  const auto found = std::find(order.begin(), order.end(), sha);
  REQUIRE(found != order.end());
  return found - order.begin();
}

}  // namespace

TEST_CASE("Repository::open refuses missing paths, files and plain folders", "[git]") {
  Library library;
  TempDir dir;
  CHECK_THROWS_AS(Repository::open(dir / "missing"), hm::Error);
  std::ofstream(dir / "file.txt") << "x";
  CHECK_THROWS_AS(Repository::open(dir / "file.txt"), hm::Error);
  fs::create_directories(dir / "plain");
  CHECK_THROWS_WITH(Repository::open(dir / "plain"), Catch::Contains("not a git repository"));
}

TEST_CASE("Repository::open does not search parent folders", "[git]") {
  Library library;
  TempDir dir;
  GitRepo repo(dir / "repo");
  repo.write("sub/file.py", "x = 1\n");
  repo.commit("first", 0);
  CHECK_THROWS_AS(Repository::open(dir / "repo" / "sub"), hm::Error);
  CHECK_NOTHROW(Repository::open(dir / "repo"));
  CHECK_NOTHROW(Repository::open(dir / "repo" / ".git"));
}

TEST_CASE("Repository: an empty repository has no default branch and no tips", "[git]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "empty");
  const auto repo = Repository::open(git.path());
  CHECK_FALSE(repo.default_branch().has_value());
  CHECK(repo.all_ref_tips().empty());
  CHECK(fs::equivalent(repo.git_dir(), dir / "empty" / ".git"));
}

TEST_CASE("Repository: default branch follows HEAD, or is HEAD when detached", "[git]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo", "trunk");
  git.write("a.py", "a = 1\n");
  const auto first = git.commit("first", 0);
  git.write("a.py", "a = 2\n");
  const auto second = git.commit("second", 1);
  {
    const auto repo = Repository::open(git.path());
    const auto head = repo.default_branch();
    REQUIRE(head.has_value());
    CHECK(head->name == "refs/heads/trunk");
    CHECK(to_hex(head->target) == second);
  }
  git.git({"checkout", "-q", "--detach", first});
  const auto repo = Repository::open(git.path());
  const auto head = repo.default_branch();
  REQUIRE(head.has_value());
  CHECK(head->name == "HEAD");
  CHECK(to_hex(head->target) == first);
}

TEST_CASE("Repository: a bare repository opens and reports its branch", "[git]") {
  Library library;
  TempDir dir;
  GitRepo work(dir / "work");
  work.write("a.py", "a = 1\n");
  const auto sha = work.commit("first", 0);
  work.git({"clone", "-q", "--bare", work.path().string(), (dir / "bare.git").string()});
  const auto repo = Repository::open(dir / "bare.git");
  CHECK(git_repository_is_bare(repo.handle()) == 1);
  const auto head = repo.default_branch();
  REQUIRE(head.has_value());
  CHECK(head->name == "refs/heads/main");
  CHECK(to_hex(head->target) == sha);
}

TEST_CASE("Repository::all_ref_tips lists branches and peeled tags, sorted, skipping non-commits", "[git]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("a.py", "a = 1\n");
  const auto first = git.commit("first", 0);
  git.git({"branch", "dev"});
  git.write("a.py", "a = 2\n");
  const auto second = git.commit("second", 1);
  git.git({"tag", "v0.1", first});                         // lightweight
  git.git({"tag", "-a", "-m", "release", "v1.0", second});  // annotated: peeled to the commit
  const auto blob = trimmed(git.git({"rev-parse", "HEAD:a.py"}));
  const auto tree = trimmed(git.git({"rev-parse", "HEAD^{tree}"}));
  git.git({"tag", "blob-tag", blob});
  git.git({"tag", "-a", "-m", "a tree", "tree-tag", tree});
  git.git({"update-ref", "refs/remotes/origin/main", first});
  git.git({"symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main"});
  git.git({"update-ref", "refs/notes/whatever", first});

  const auto repo = Repository::open(git.path());
  const auto tips = repo.all_ref_tips();
  REQUIRE(tips.size() == 5);
  CHECK(tips[0].name == "refs/heads/dev");
  CHECK(to_hex(tips[0].target) == first);
  CHECK(tips[1].name == "refs/heads/main");
  CHECK(to_hex(tips[1].target) == second);
  CHECK(tips[2].name == "refs/remotes/origin/main");
  CHECK(to_hex(tips[2].target) == first);
  CHECK(tips[3].name == "refs/tags/v0.1");
  CHECK(to_hex(tips[3].target) == first);
  CHECK(tips[4].name == "refs/tags/v1.0");
  CHECK(to_hex(tips[4].target) == second);
}

TEST_CASE("Repository::has_object", "[git]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("a.py", "a = 1\n");
  const auto sha = git.commit("first", 0);
  const auto repo = Repository::open(git.path());
  CHECK(repo.has_object(oid(sha)));
  CHECK_FALSE(repo.has_object(oid(std::string(40, 'e'))));
}

TEST_CASE("Repository::holds_object: commits and blobs, loose and packed, without reading them", "[git]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("a.py", "a = 1\n");
  const auto sha = git.commit("first", 0);
  const auto blob = trimmed(git.git({"rev-parse", "HEAD:a.py"}));
  const auto holds_both_and_nothing_else = [&] {
    const auto repo = Repository::open(git.path());
    CHECK(repo.holds_object(oid(sha)));
    CHECK(repo.holds_object(oid(blob)));
    CHECK_FALSE(repo.holds_object(oid(std::string(40, 'e'))));
  };
  holds_both_and_nothing_else();  // loose
  git.git({"gc", "-q"});          // packed now, the loose objects pruned
  holds_both_and_nothing_else();
}

TEST_CASE("Repository::remote_url is the configured URL, or nothing without that remote", "[git]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  CHECK_FALSE(Repository::open(git.path()).remote_url("origin"));
  git.git({"remote", "add", "origin", "https://github.com/acme/widgets.git"});
  git.git({"remote", "add", "mirror", "/srv/mirrors/widgets"});
  const auto repo = Repository::open(git.path());
  CHECK(repo.remote_url("origin") == "https://github.com/acme/widgets.git");
  CHECK(repo.remote_url("mirror") == "/srv/mirrors/widgets");
  CHECK_FALSE(repo.remote_url("upstream"));
}

TEST_CASE("Repository::is_partial_clone: a promisor remote or the partialclone extension", "[git][partial]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.git({"remote", "add", "origin", "https://github.com/acme/widgets.git"});
  CHECK_FALSE(Repository::open(git.path()).is_partial_clone());
  git.git({"config", "remote.origin.promisor", "false"});
  CHECK_FALSE(Repository::open(git.path()).is_partial_clone());
  git.git({"config", "remote.origin.promisor", "true"});
  CHECK(Repository::open(git.path()).is_partial_clone());
  git.git({"config", "--unset", "remote.origin.promisor"});
  git.git({"config", "extensions.partialClone", "origin"});
  CHECK(Repository::open(git.path()).is_partial_clone());
}

TEST_CASE("commits_to_visit: a linear history, parents first", "[git][history]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  std::vector<std::string> shas;
  for (int i = 0; i < 4; ++i) {
    git.write("a.py", "a = " + std::to_string(i) + "\n");
    shas.push_back(git.commit("commit " + std::to_string(i), i));
  }
  const auto repo = Repository::open(git.path());
  CHECK(hexes(hm::git::commits_to_visit(repo, {oid(shas[3])}, {})) == shas);
  CHECK(hexes(hm::git::commits_to_visit(repo, {oid(shas[3])}, {oid(shas[1])})) ==
        std::vector<std::string>{shas[2], shas[3]});
  CHECK(hm::git::commits_to_visit(repo, {oid(shas[3])}, {oid(shas[3])}).empty());
  CHECK(hm::git::commits_to_visit(repo, {}, {}).empty());
}

TEST_CASE("commits_to_visit: merges come after both parents and hidden history is excluded", "[git][history]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("a.py", "a = 1\n");
  const auto root = git.commit("root", 0);
  git.git({"checkout", "-q", "-b", "feature"});
  git.write("f.py", "f = 1\n");
  const auto f1 = git.commit("feature 1", 1);
  git.write("f.py", "f = 2\n");
  const auto f2 = git.commit("feature 2", 3);
  git.git({"checkout", "-q", "main"});
  git.write("m.py", "m = 1\n");
  const auto m1 = git.commit("main 1", 2);
  git.git({"merge", "-q", "--no-ff", "-m", "merge feature", "feature"});
  const auto merge = git.head();
  git.write("m.py", "m = 2\n");
  const auto after = git.commit("after", 5);

  const auto repo = Repository::open(git.path());
  const auto order = hexes(hm::git::commits_to_visit(repo, {oid(after)}, {}));
  REQUIRE(order.size() == 6);
  CHECK(order.front() == root);
  CHECK(order.back() == after);
  CHECK(position(order, f1) < position(order, f2));
  CHECK(position(order, f2) < position(order, merge));
  CHECK(position(order, m1) < position(order, merge));
  CHECK(position(order, merge) < position(order, after));

  // Hiding the feature branch tip leaves only mainline commits not reachable from it.
  const auto rest = hexes(hm::git::commits_to_visit(repo, {oid(after)}, {oid(f2)}));
  CHECK(rest.size() == 3);
  CHECK(std::find(rest.begin(), rest.end(), root) == rest.end());
  CHECK(std::find(rest.begin(), rest.end(), f1) == rest.end());
  CHECK(position(rest, m1) < position(rest, merge));
  CHECK(rest.back() == after);

  // Several tips: every commit once.
  const auto both = hexes(hm::git::commits_to_visit(repo, {oid(f2), oid(m1)}, {}));
  CHECK(both.size() == 4);
  CHECK(both.front() == root);
}

TEST_CASE("commits_to_visit: a mined tip that no longer exists hides nothing", "[git][history]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("a.py", "a = 1\n");
  const auto first = git.commit("first", 0);
  git.write("a.py", "a = 2\n");
  const auto second = git.commit("second", 1);
  const auto repo = Repository::open(git.path());
  CHECK(hexes(hm::git::commits_to_visit(repo, {oid(second)}, {oid(std::string(40, 'd'))})) ==
        std::vector<std::string>{first, second});
}

TEST_CASE("commits_to_visit: an unknown tip is an error", "[git][history]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("a.py", "a = 1\n");
  git.commit("first", 0);
  const auto repo = Repository::open(git.path());
  CHECK_THROWS_AS(hm::git::commits_to_visit(repo, {oid(std::string(40, 'c'))}, {}), hm::Error);
}

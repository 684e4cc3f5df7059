#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "git/commit_reader.hpp"
#include "git/handles.hpp"
#include "git/recent_texts.hpp"
#include "git/repository.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

using hm::git::RecentTexts;

namespace {

// A distinct id per number (the cache never reads the objects: any 20 bytes will do).
git_oid id_of(unsigned number) {
  git_oid id{};
  for (unsigned i = 0; i < sizeof id.id; ++i) id.id[i] = static_cast<unsigned char>((number >> (8 * (i % 4))) + i);
  return id;
}

git_oid oid(const std::string& hex) {
  git_oid result;
  REQUIRE(git_oid_fromstr(&result, hex.c_str()) == 0);
  return result;
}

// a.py added ("one two three"), then modified (2 lines added, 1 removed, as `git diff --numstat` counts them).
struct TwoVersions {
  hm::git::Library library;
  hm::test::TempDir dir;
  hm::test::GitRepo git{dir / "repo"};
  std::string first = commit("one\ntwo\nthree\n", "first", 0);
  std::string second = commit("one\nTWO\nthree\nfour\n", "second", 1);
  hm::git::Repository repo = hm::git::Repository::open(git.path());

  std::string commit(const std::string& text, const std::string& message, int day) {
    git.write("a.py", text);
    return git.commit(message, day);
  }
};

}  // namespace

TEST_CASE("RecentTexts gives back the text held under an id, and nothing for another", "[git][recent_texts]") {
  RecentTexts recent(1000);
  CHECK(recent.find(id_of(1)) == nullptr);
  recent.add(id_of(1), "print(1)\n");
  const auto found = recent.find(id_of(1));
  REQUIRE(found != nullptr);
  CHECK(*found == "print(1)\n");
  CHECK(recent.find(id_of(2)) == nullptr);
  CHECK(recent.bytes() == 9);
}

TEST_CASE("RecentTexts lets the least recently used texts go past its capacity", "[git][recent_texts]") {
  RecentTexts recent(800);
  const std::string text(100, 'x');
  for (unsigned i = 0; i < 8; ++i) recent.add(id_of(i), text);
  CHECK(recent.bytes() == 800);
  REQUIRE(recent.find(id_of(0)) != nullptr);  // now the most recently used
  recent.add(id_of(8), text);                 // one over: id 1, the least recently used, goes
  CHECK(recent.bytes() == 800);
  CHECK(recent.size() == 8);
  CHECK(recent.find(id_of(1)) == nullptr);
  CHECK(recent.find(id_of(0)) != nullptr);
  CHECK(recent.find(id_of(2)) != nullptr);
  CHECK(recent.find(id_of(8)) != nullptr);
}

TEST_CASE("RecentTexts holds a text once, and none larger than an eighth of its capacity", "[git][recent_texts]") {
  RecentTexts recent(800);
  recent.add(id_of(1), std::string(100, 'a'));
  recent.add(id_of(1), std::string(100, 'a'));
  CHECK(recent.size() == 1);
  CHECK(recent.bytes() == 100);
  recent.add(id_of(2), std::string(101, 'b'));
  CHECK(recent.find(id_of(2)) == nullptr);
  CHECK(recent.bytes() == 100);
}

TEST_CASE("RecentTexts keeps a text it gave out alive after letting it go", "[git][recent_texts]") {
  RecentTexts recent(80);
  recent.add(id_of(1), std::string(10, 'a'));
  const auto held = recent.find(id_of(1));
  for (unsigned i = 2; i < 20; ++i) recent.add(id_of(i), std::string(10, 'b'));
  CHECK(recent.find(id_of(1)) == nullptr);
  REQUIRE(held != nullptr);
  CHECK(*held == std::string(10, 'a'));
}

TEST_CASE("RecentTexts is shared by threads that add and find at once", "[git][recent_texts]") {
  RecentTexts recent(64 * 100);
  std::atomic<int> wrong{0};  // Catch's assertions are for the test's own thread
  std::vector<std::jthread> threads;
  for (unsigned t = 0; t < 4; ++t) {
    threads.emplace_back([&recent, &wrong, t] {
      const std::string text(100, static_cast<char>('a' + t));
      for (unsigned i = 0; i < 2000; ++i) {
        recent.add(id_of(t * 10000 + i), text);
        const auto found = recent.find(id_of(t * 10000 + i / 2));
        if (found != nullptr && *found != text) ++wrong;
      }
    });
  }
  threads.clear();
  CHECK(wrong == 0);
  CHECK(recent.bytes() == 6400);
  CHECK(recent.size() == 64);
}

TEST_CASE("CommitReader finds a modified file's old blob among the new blobs it read before", "[git][recent_texts]") {
  const TwoVersions history;
  const auto& repo = history.repo;
  const auto& first = history.first;
  const auto& second = history.second;
  const auto recent = std::make_shared<RecentTexts>();
  const hm::git::CommitReader reader(repo, std::make_shared<hm::git::DiffDrivers>(), recent);
  const auto added = reader.changes(oid(first));
  REQUIRE(added.size() == 1);
  REQUIRE(added[0].new_blob.has_value());
  const auto held = recent->find(oid(*added[0].new_blob));
  REQUIRE(held != nullptr);
  CHECK(*held == "one\ntwo\nthree\n");

  // The old side comes from the recent texts; the counts are git's (`git diff --numstat`: 2 added, 1 removed).
  const auto modified = reader.changes(oid(second));
  REQUIRE(modified.size() == 1);
  CHECK(modified[0].old_blob == added[0].new_blob);
  CHECK(modified[0].lines_added == std::optional<std::int64_t>(2));
  CHECK(modified[0].lines_removed == std::optional<std::int64_t>(1));
  CHECK(recent->size() == 2);
}

TEST_CASE("CommitReader counts a modification from a held old blob without reading it again", "[git][recent_texts]") {
  const TwoVersions history;
  const auto& repo = history.repo;
  const auto& first = history.first;
  const auto& second = history.second;
  const hm::git::CommitReader reader(repo);
  const auto added = reader.changes(oid(first));
  REQUIRE(added.size() == 1);
  // The first version's object goes from the repository: only the reader's recent texts still hold it.
  const auto& hex = *added[0].new_blob;
  REQUIRE(std::filesystem::remove(history.git.path() / ".git" / "objects" / hex.substr(0, 2) / hex.substr(2)));
  CHECK_THROWS_AS(hm::git::CommitReader(repo).changes(oid(second)), hm::Error);

  const auto modified = reader.changes(oid(second));
  REQUIRE(modified.size() == 1);
  CHECK(modified[0].lines_added == std::optional<std::int64_t>(2));
  CHECK(modified[0].lines_removed == std::optional<std::int64_t>(1));
}

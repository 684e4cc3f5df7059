// RecentBlobs: the walk's cache of recently read blobs, by id, within a byte budget.
#include <catch2/catch.hpp>

#include <string>

#include "git/handles.hpp"
#include "git/recent_blobs.hpp"
#include "git/repository.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

using hm::git::Library;
using hm::git::RecentBlobs;
using hm::git::Repository;
using hm::test::GitRepo;
using hm::test::TempDir;
using hm::test::trimmed;

namespace {

git_oid blob_id(const GitRepo& repo, const std::string& path) {
  git_oid id;
  REQUIRE(git_oid_fromstr(&id, trimmed(repo.git({"rev-parse", "HEAD:" + path})).c_str()) == 0);
  return id;
}

std::string content(const hm::git::BlobPtr& blob) {
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                     static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

}  // namespace

TEST_CASE("recent blobs: the same content again from the cache, within the budget, and a clear error for a missing one",
          "[git][recent_blobs]") {
  Library library;
  TempDir tmp;
  GitRepo fixture(tmp / "repo");
  fixture.write("a.py", std::string(100, 'a'));
  fixture.write("b.py", std::string(100, 'b'));
  fixture.write("c.py", std::string(100, 'c'));
  fixture.write("big.py", std::string(1000, 'x'));
  fixture.commit("files", 1);
  const auto repo = Repository::open(fixture.path());
  RecentBlobs blobs(repo, 250);  // room for two of the small blobs

  const auto a = blob_id(fixture, "a.py");
  const auto first = blobs.get(a, "cannot read a.py");
  const auto again = blobs.get(a, "cannot read a.py");
  CHECK(content(first) == std::string(100, 'a'));
  CHECK(content(again) == content(first));  // each caller owns its handle: both stay readable
  CHECK(blobs.bytes() == 100);

  CHECK(content(blobs.get(blob_id(fixture, "b.py"), "b")) == std::string(100, 'b'));
  CHECK(blobs.bytes() == 200);
  CHECK(content(blobs.get(blob_id(fixture, "c.py"), "c")) == std::string(100, 'c'));
  CHECK(blobs.bytes() == 200);  // the least recently used (a) made room
  CHECK(content(blobs.get(blob_id(fixture, "big.py"), "big")) == std::string(1000, 'x'));
  CHECK(blobs.bytes() == 200);  // larger than the whole budget: read, not kept
  CHECK(content(first) == std::string(100, 'a'));  // a handle outlives its eviction

  git_oid missing;
  REQUIRE(git_oid_fromstr(&missing, "0123456789012345678901234567890123456789") == 0);
  try {
    blobs.get(missing, "cannot read gone.py");
    FAIL("a missing blob must throw");
  } catch (const hm::Error& e) {
    CHECK(std::string(e.what()).starts_with("cannot read gone.py: "));
  }
}

// mining::SharedBlobs: blobs analysed by one worker are given to the others instead of being parsed again.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "git/commit_reader.hpp"
#include "git/handles.hpp"
#include "git/repository.hpp"
#include "mining/commit_analyzer.hpp"
#include "mining/history_walker.hpp"
#include "store/migrations.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"
#include "util/progress.hpp"

using hm::mining::BlobSave;
using hm::mining::SharedBlobs;

namespace {

std::shared_ptr<const BlobSave> parsed(const std::string& blob) {
  auto save = std::make_shared<BlobSave>();
  save->blob = blob;
  save->language = "python";
  save->analysis.status = "parsed";
  return save;
}

}  // namespace

TEST_CASE("SharedBlobs: the first claim analyses, later ones get what it published", "[mining][shared]") {
  SharedBlobs shared;
  const int a = 0;
  const int b = 0;
  std::shared_ptr<const BlobSave> published;
  CHECK(shared.claim("x", &a, published) == SharedBlobs::Claim::Mine);
  CHECK(shared.claim("x", &b, published) == SharedBlobs::Claim::Taken);
  shared.abandon("x", &b);  // not b's claim: nothing happens
  CHECK(shared.claim("x", &b, published) == SharedBlobs::Claim::Taken);
  shared.publish("x", parsed("x"));
  CHECK(shared.claim("x", &b, published) == SharedBlobs::Claim::Published);
  REQUIRE(published);
  CHECK(published->blob == "x");
  shared.abandon("x", &a);  // published: stays
  CHECK(shared.wait("x") == published);
}

TEST_CASE("SharedBlobs: a waiter wakes when the blob is published, or abandoned", "[mining][shared]") {
  SharedBlobs shared;
  const int a = 0;
  std::shared_ptr<const BlobSave> published;
  REQUIRE(shared.claim("x", &a, published) == SharedBlobs::Claim::Mine);
  REQUIRE(shared.claim("y", &a, published) == SharedBlobs::Claim::Mine);
  std::atomic<bool> woken{false};
  std::shared_ptr<const BlobSave> got_x;
  std::shared_ptr<const BlobSave> got_y = parsed("not yet");
  std::jthread waiter([&] {
    got_x = shared.wait("x");
    got_y = shared.wait("y");
    woken = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  CHECK_FALSE(woken);
  shared.publish("x", parsed("x"));
  shared.abandon("y", &a);
  waiter.join();
  REQUIRE(got_x);
  CHECK(got_x->blob == "x");
  CHECK_FALSE(got_y);  // abandoned: the waiter analyses it itself
  const int b = 0;
  CHECK(shared.claim("y", &b, published) == SharedBlobs::Claim::Mine);
}

TEST_CASE("CommitAnalyzer: an analysis another worker made without the blob's content is not taken where the "
          "repository has the blob", "[mining][shared][partial]") {
  hm::git::Library library;
  hm::test::TempDir tmp;
  hm::test::GitRepo git(tmp / "repo");
  git.write("m.py", "import tensorflow as tf\n\n@tf.function\ndef f(x):\n    return x\n");
  const auto sha = git.commit("add m.py", 0);
  const auto blob = hm::test::trimmed(git.git({"rev-parse", "HEAD:m.py"}));
  const auto repo = hm::git::Repository::open(git.path());
  const auto oid = hm::git::oid_from_hex(sha);
  const hm::git::CommitReader reader(repo);
  std::vector<hm::mining::WalkedCommit> commits(1);
  commits[0].info = reader.info(oid);
  commits[0].changes = reader.changes(oid);

  // The worker of a partial clone that lacked the blob published it unreadable, as the analysis records it there.
  SharedBlobs shared;
  const int partial_worker = 0;
  std::shared_ptr<const BlobSave> published;
  REQUIRE(shared.claim(blob, &partial_worker, published) == SharedBlobs::Claim::Mine);
  auto lacking = std::make_shared<BlobSave>();
  lacking->blob = blob;
  lacking->language = "python";
  lacking->analysis.status = "unreadable";
  lacking->analysis.error = "cannot read blob " + blob + ": object not found";
  shared.publish(blob, lacking);

  auto db = hm::store::open_database(tmp / "hm.db");
  hm::util::Progress progress(hm::util::Verbosity::Quiet, false);
  hm::mining::CommitAnalyzer analyzer(db, repo, progress, nullptr, &shared);
  std::vector<std::shared_ptr<const BlobSave>> saves;
  analyzer.analyse_window(commits, saves);
  REQUIRE(saves.size() == 1);
  CHECK(saves[0]->blob == blob);
  CHECK(saves[0]->analysis.status == "parsed");
  CHECK(saves[0]->reparse);  // it replaces the unreadable row if the writer stored that first
  REQUIRE(commits[0].analysis.changes.size() == 1);
  CHECK(commits[0].analysis.changes[0].kind == "added");
  // What it published instead serves the other workers.
  CHECK(shared.claim(blob, &partial_worker, published) == SharedBlobs::Claim::Published);
  CHECK(published->analysis.status == "parsed");
}

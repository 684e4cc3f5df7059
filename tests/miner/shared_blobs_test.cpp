// mining::SharedBlobs: blobs analysed by one worker are given to the others instead of being parsed again.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "mining/commit_analyzer.hpp"

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

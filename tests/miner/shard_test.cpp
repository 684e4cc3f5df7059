#include <catch2/catch.hpp>

#include <map>

#include "corpus/shard.hpp"
#include "util/error.hpp"

using hm::corpus::in_shard;
using hm::corpus::parse_shard;

TEST_CASE("shard specs are K/N with 1 <= K <= N", "[corpus][shard]") {
  CHECK(parse_shard("1/1").index == 1);
  CHECK(parse_shard("3/8").index == 3);
  CHECK(parse_shard("3/8").count == 8);
  for (const auto* bad : {"", "3", "0/4", "5/4", "1/0", "a/b", "1/2/3", "-1/4", "1 /4", "1/4x"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_shard(bad), hm::UsageError);
  }
}

TEST_CASE("the shard hash is FNV-1a 64 of the canonical url", "[corpus][shard]") {
  // Published FNV-1a 64 test vectors: the hash is part of the shard contract, it must never change.
  CHECK(hm::corpus::shard_hash("") == 0xcbf29ce484222325ull);
  CHECK(hm::corpus::shard_hash("a") == 0xaf63dc4c8601ec8cull);
  CHECK(hm::corpus::shard_hash("foobar") == 0x85944171f73967e8ull);
}

TEST_CASE("every source is in exactly one shard, and the shares are balanced", "[corpus][shard]") {
  constexpr std::size_t kShards = 4;
  std::map<std::size_t, int> sizes;
  for (int i = 0; i < 400; ++i) {
    hm::corpus::Source source;
    source.url = "https://github.com/owner/repo" + std::to_string(i);
    int owners = 0;
    for (std::size_t k = 1; k <= kShards; ++k) {
      if (in_shard(source, {k, kShards})) {
        ++owners;
        ++sizes[k];
      }
    }
    CHECK(owners == 1);
  }
  for (std::size_t k = 1; k <= kShards; ++k) {
    CHECK(sizes[k] > 60);  // 100 expected; FNV spreads these urls well
  }
}

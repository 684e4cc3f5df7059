#pragma once
// `mine --shard K/N`: which repositories of a corpus one of N cooperating processes (a Slurm job array, GNU
// parallel over ssh) mines. The share depends only on each repository's canonical url, never on the corpus order
// or the machine, so N processes given the same corpus cover it exactly once between them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "corpus/source.hpp"

namespace hm::corpus {

struct Shard {
  std::size_t index = 1;  // K: 1-based, as Slurm array task ids and GNU parallel's {#} usually are
  std::size_t count = 1;  // N
};

// Parses "K/N" with 1 <= K <= N; throws hm::UsageError otherwise.
Shard parse_shard(std::string_view text);

// FNV-1a 64 of the canonical url: stable across runs, machines and versions (part of the shard contract).
std::uint64_t shard_hash(std::string_view url);

bool in_shard(const Source& source, const Shard& shard);

}  // namespace hm::corpus

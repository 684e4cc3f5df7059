#pragma once
// A fast 64-bit hash of bytes, eight at a time, for in-memory tables only (never stored: it may change). A
// byte-wise hash was most of the cost where texts are hashed by the million (the lines of every change, the rows
// the writer meets again).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace hm::util {

inline std::uint64_t word_hash(std::string_view bytes) {
  constexpr std::uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL;
  std::uint64_t hash = bytes.size() * kMultiplier;
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    hash = (hash ^ word) * kMultiplier;
    hash ^= hash >> 29;
  }
  if (i < bytes.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, bytes.size() - i);
    hash = (hash ^ word) * kMultiplier;
    hash ^= hash >> 29;
  }
  return hash ^ (hash >> 32);
}

}  // namespace hm::util

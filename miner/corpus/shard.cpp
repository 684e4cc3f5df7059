#include "corpus/shard.hpp"

#include <charconv>
#include <string>

#include "util/error.hpp"

namespace hm::corpus {
namespace {

bool parse_number(std::string_view text, std::size_t& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

Shard parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  Shard shard;
  if (slash == std::string_view::npos || !parse_number(text.substr(0, slash), shard.index) ||
      !parse_number(text.substr(slash + 1), shard.count) || shard.count == 0 || shard.index == 0 ||
      shard.index > shard.count) {
    throw UsageError("invalid shard '" + std::string(text) + "': use K/N with 1 <= K <= N, e.g. 3/8");
  }
  return shard;
}

std::uint64_t shard_hash(std::string_view url) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : url) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

bool in_shard(const Source& source, const Shard& shard) {
  return shard_hash(source.url) % shard.count == shard.index - 1;
}

}  // namespace hm::corpus

#pragma once
// The hash that tells a function body's edit from its reformatting. Comments, docstrings and other bare string
// statements (no-ops), layout, redundant parentheses, quote style, number spelling (1. and 1.0) and trailing
// commas do not change it: reformatting with black or editing a docstring is not a change of the compiled
// function. The tree's shape is part of the hash (each named node opens and closes), so dropping parentheses
// never makes `(a + b) * c` equal `a + b * c`.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include <tree_sitter/api.h>

namespace hm::detectors {

// 16 hex digits. `body` is a node of a tree parsed from `source`.
std::string body_hash(TSNode body, std::string_view source);

// Body hashes by what they are computed from. A body without syntax errors is parsed the same wherever its text
// stands, given the column it starts at (the indentation of its lines is relative to that) and its own node type
// (a body on the line of its `def` is a `_simple_statements` aliased to `block`, which the hash sees: the fuzzer
// found `def g(x, n): return x` and its two-line form share a body text), so its hash is a function of those: a
// function met before, in an earlier version of its file (parsed from scratch at the start of a window or a chain,
// or reparsed where tree-sitter did not reuse it) or in another file, is not walked again. Hashing the text costs a
// fraction of walking the tree. Thread-safe; bounded.
class BodyHashMemo {
 public:
  static constexpr std::size_t kDefaultCapacity = 1u << 19;
  explicit BodyHashMemo(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  // body_hash(body, source), from memory when a body with the same text, column and node type was hashed before.
  std::string hash(TSNode body, std::string_view source);
  // How many hashes came from memory (for tests and measurements).
  std::size_t hits() const;

 private:
  // Two independent 64-bit hashes of the text: a collision among the bodies of a history is then negligible.
  struct Key {
    std::uint64_t text_hash = 0;
    std::uint64_t text_hash2 = 0;
    std::uint32_t length = 0;
    std::uint32_t column = 0;
    TSSymbol symbol = 0;  // as a cursor at the body sees it (without the alias its parent gives)
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const noexcept {
      return key.text_hash ^ key.column ^ (std::size_t{key.symbol} << 32);
    }
  };

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::size_t hits_ = 0;
  std::unordered_map<Key, std::uint64_t, KeyHash> hashes_;
};

}  // namespace hm::detectors

#include "detectors/body_hash.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <vector>

#include "detectors/node_types.hpp"

namespace hm::detectors {
namespace {

// FNV-1a 64 over the token stream, tokens separated by 0x1f. Streaming, without a string per token: bodies are
// hashed for every function of every parsed blob.
class TokenHasher {
 public:
  void token(std::string_view text) {
    // A trailing comma before a closing bracket is layout (black's "magic trailing comma").
    if (text != ")" && text != "]" && text != "}") flush_comma();
    pending_comma_ = false;
    if (text == ",") {
      pending_comma_ = true;
      return;
    }
    emit(text);
  }

  // A named token, as "type:text"; the text by pieces (see normalised spellings below).
  void begin_named(const char* type) {
    flush_comma();
    bytes(type);
    bytes(":");
  }
  void bytes(std::string_view text) {
    for (const unsigned char c : text) hash_ = (hash_ ^ c) * 1099511628211ull;
  }
  void byte(char c) { bytes(std::string_view(&c, 1)); }

  std::uint64_t finish() {
    flush_comma();
    return hash_;
  }

 private:
  void flush_comma() {
    if (pending_comma_) emit(",");
    pending_comma_ = false;
  }

  void emit(std::string_view text) {
    bytes(text);
    byte('\x1f');
  }

  std::uint64_t hash_ = 14695981039346656037ull;
  bool pending_comma_ = false;
};

bool is_bare_string_statement(TSNode node) {
  if (!is(node, node::expression_statement) || ts_node_named_child_count(node) != 1) return false;
  const TSNode only = ts_node_named_child(node, 0);
  return is(only, node::string) || is(only, node::concatenated_string);
}

std::string_view text_of(TSNode node, std::string_view source) {
  const auto start = ts_node_start_byte(node);
  const auto end = ts_node_end_byte(node);
  if (start > source.size() || end > source.size() || end < start) return {};
  return source.substr(start, end - start);
}

// Leaves, with the spellings that mean the same thing made equal: ' and " quotes, escaped quotes inside a string,
// upper-case number letters, trailing zeros of a decimal fraction.
void hash_leaf(TSNode leaf, std::string_view source, TokenHasher& hasher) {
  const auto text = text_of(leaf, source);
  if (!ts_node_is_named(leaf)) {
    hasher.token(text);
    return;
  }
  hasher.begin_named(ts_node_type(leaf));
  if (is(leaf, node::string_start) || is(leaf, node::string_end)) {
    for (const char c : text) hasher.byte(c == '\'' ? '"' : c);
  } else if (is(leaf, node::string_content)) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\'')) continue;
      hasher.byte(text[i]);
    }
  } else if (is(leaf, node::integer) || is(leaf, node::float_)) {
    auto end = text.size();
    const bool plain_decimal = is(leaf, node::float_) && text.find_first_of("eEjJ_") == std::string_view::npos &&
                               text.find('.') != std::string_view::npos;
    while (plain_decimal && end > 0 && text[end - 1] == '0') --end;  // 1.0 → 1., 0.50 → 0.5
    for (std::size_t i = 0; i < end; ++i) hasher.byte(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))));
  } else {
    hasher.bytes(text);
  }
  hasher.byte('\x1f');
}

std::string hex(std::uint64_t hash) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

std::uint64_t body_hash_value(TSNode body, std::string_view source) {
  TokenHasher hasher;
  TreeCursor owner(body);
  TSTreeCursor* cursor = owner.get();
  struct Open {
    bool closes;       // leaving it emits a closing token
    bool parentheses;  // a parenthesized_expression: its brackets are not tokens, the grouping is in the shape
  };
  std::vector<Open> open;  // the ancestors of the current node, innermost last
  while (true) {
    const TSNode node = ts_tree_cursor_current_node(cursor);
    const TSSymbol symbol = ts_node_symbol(node);  // once: the tests below are integer compares
    const bool skip = node::comment.matches(symbol) || node::line_continuation.matches(symbol) ||
                      is_bare_string_statement(node) ||
                      (!open.empty() && open.back().parentheses && !ts_node_is_named(node));
    // string_content is a token whose children (escape sequences) do not cover all of its text.
    const bool leaf = ts_node_child_count(node) == 0 || node::string_content.matches(symbol);
    if (!skip && leaf) {
      hash_leaf(node, source, hasher);
    } else if (!skip) {
      const bool parentheses = node::parenthesized_expression.matches(symbol);
      const bool shaped = ts_node_is_named(node) && !parentheses;
      if (shaped) {
        hasher.token("<");
        hasher.bytes(ts_node_type(node));
      }
      if (ts_tree_cursor_goto_first_child(cursor)) {
        open.push_back({shaped, parentheses});
        continue;
      }
      if (shaped) hasher.token(">");
    }
    while (!ts_tree_cursor_goto_next_sibling(cursor)) {
      if (open.empty() || !ts_tree_cursor_goto_parent(cursor)) return hasher.finish();
      if (open.back().closes) hasher.token(">");
      open.pop_back();
    }
  }
}

}  // namespace

std::string body_hash(TSNode body, std::string_view source) { return hex(body_hash_value(body, source)); }

std::string BodyHashMemo::hash(TSNode body, std::string_view source) {
  // With an error inside, error recovery (which depends on what surrounds the body) shapes the subtree.
  const auto text = text_of(body, source);
  if (ts_node_has_error(body) || text.empty()) return body_hash(body, source);
  Key key;
  key.text_hash = std::hash<std::string_view>{}(text);
  // libstdc++'s Murmur hash (what std::hash uses) with another seed: an independent second hash at the same speed.
  key.text_hash2 = std::_Hash_bytes(text.data(), text.size(), 0x9e3779b9u);
  key.length = static_cast<std::uint32_t>(text.size());
  key.column = ts_node_start_point(body).column;
  key.symbol = ts_node_symbol(ts_tree_cursor_current_node(TreeCursor(body).get()));
  {
    const std::lock_guard lock(mutex_);
    if (const auto found = hashes_.find(key); found != hashes_.end()) {
      ++hits_;
      return hex(found->second);
    }
  }
  const auto value = body_hash_value(body, source);
  const std::lock_guard lock(mutex_);
  // Forgetting everything now and then costs some walks again, never unbounded memory.
  if (hashes_.size() >= capacity_) hashes_.clear();
  hashes_.emplace(key, value);
  return hex(value);
}

std::size_t BodyHashMemo::hits() const {
  const std::lock_guard lock(mutex_);
  return hits_;
}

}  // namespace hm::detectors

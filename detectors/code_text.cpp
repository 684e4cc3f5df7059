#include "detectors/code_text.hpp"

#include <cstddef>

namespace hm::detectors {
namespace {

bool is_line_break(char c) { return c == '\n' || c == '\r'; }

// Follows Python's tokenizer over strings and comments, blanking what is not code in `out` (a copy of `source`).
class Lexer {
 public:
  Lexer(std::string_view source, std::string& out) : source_(source), out_(out) {}

  // Code from `at` to the end of the source; false when the source cannot be followed.
  bool module() {
    std::size_t at = 0;
    return code(at, false) && at == source_.size();
  }

 private:
  // Nested format strings deeper than this are not followed (Python itself limits their nesting).
  static constexpr int kMaxDepth = 32;

  // Code from `at`; inside a format string's replacement field (`field`), up to and past its closing brace.
  bool code(std::size_t& at, bool field) {
    int braces = 0;
    while (at < source_.size()) {
      const char c = source_[at];
      // In a replacement field `#` is a format spec's alternate form (f"{n:#x}"), not a comment.
      if (c == '#' && !field) {
        while (at < source_.size() && !is_line_break(source_[at])) out_[at++] = ' ';
        continue;
      }
      if (c == '"' || c == '\'') {
        if (!string(at)) return false;
        continue;
      }
      if (field && c == '{') ++braces;
      if (field && c == '}' && braces-- == 0) {
        ++at;
        return true;
      }
      ++at;
    }
    return !field;  // a replacement field left open at the end of the source
  }

  // Whether the literal whose quote is at `quote` is a format string: an f among the (at most two) prefix letters.
  // A letter run before the quote that is longer (`elif"..."`) is read as a prefix too: that keeps the text, which
  // is the safe mistake.
  bool is_format(std::size_t quote) const {
    for (std::size_t back = 1; back <= 2 && back <= quote; ++back) {
      const char c = source_[quote - back];
      if (c == 'f' || c == 'F') return true;
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) break;
    }
    return false;
  }

  // A string literal opening at `at`; leaves `at` past its closing quote(s).
  bool string(std::size_t& at) {
    const char quote = source_[at];
    const bool triple = at + 2 < source_.size() && source_[at + 1] == quote && source_[at + 2] == quote;
    const bool format = is_format(at);
    const std::size_t open = triple ? 3 : 1;
    const std::size_t begin = at + open;
    if (format && ++depth_ > kMaxDepth) return false;
    for (std::size_t i = begin; i < source_.size();) {
      const char c = source_[i];
      if (c == '\\') {
        // An escape takes the next character, even in raw strings (r"\"" is one string); in a format string,
        // `\{` still opens a field.
        if (format && i + 1 < source_.size() && source_[i + 1] == '{') {
          i += 1;
        } else if (i + 2 < source_.size() && source_[i + 1] == '\r' && source_[i + 2] == '\n') {
          i += 3;  // a line continued with CRLF
        } else {
          i += 2;
        }
        continue;
      }
      if (!triple && is_line_break(c)) return false;  // Python would reject it: the parser's recovery is unknown
      if (c == quote && (!triple || (i + 2 < source_.size() && source_[i + 1] == quote && source_[i + 2] == quote))) {
        if (format) {
          --depth_;
        } else {
          blank(begin, i);
        }
        at = i + open;
        return true;
      }
      if (format && c == '{') {
        if (i + 1 < source_.size() && source_[i + 1] == '{') {
          i += 2;
          continue;
        }
        ++i;
        if (!code(i, true)) return false;
        continue;
      }
      ++i;
    }
    return false;  // open at the end of the source
  }

  void blank(std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (!is_line_break(out_[i])) out_[i] = ' ';
    }
  }

  std::string_view source_;
  std::string& out_;
  int depth_ = 0;
};

}  // namespace

std::optional<std::string> code_text(std::string_view source) {
  std::string out(source);
  if (!Lexer(source, out).module()) return std::nullopt;
  return out;
}

}  // namespace hm::detectors

#include "detectors/code_text.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace hm::detectors {
namespace {

bool is_line_break(char c) { return c == '\n' || c == '\r'; }

// The bytes a scan stops at, as a table: one load per byte, where find_first_of compares each byte to each stop.
struct Stops {
  bool at[256] = {};
  constexpr explicit Stops(std::string_view bytes) {
    for (const char c : bytes) at[static_cast<unsigned char>(c)] = true;
  }
};

std::size_t skip_to(std::string_view text, std::size_t from, const Stops& stops) {
  while (from < text.size() && !stops.at[static_cast<unsigned char>(text[from])]) ++from;
  return from;
}

constexpr Stops kCodeStops("#'\"");
constexpr Stops kLineEnd("\n\r");
// In a string: escapes, either quote (the one that may close it), line breaks (which end a one-line string) and,
// in a format string, fields.
constexpr Stops kStringStops("\\'\"\n\r");
constexpr Stops kFormatStringStops("\\'\"\n\r{");

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
    int brackets = 0;  // (, [ and { open within the field
    while (at < source_.size()) {
      // Outside fields only comments and strings matter: skip to the next `#` or quote (most of a source is code).
      if (!field) at = skip_to(source_, at, kCodeStops);
      if (at == source_.size()) break;
      const char c = source_[at];
      // A comment; in a replacement field `#` is not one (f"{n:#x}").
      if (c == '#' && !field) {
        const auto end = skip_to(source_, at, kLineEnd);
        std::fill(out_.begin() + static_cast<std::ptrdiff_t>(at), out_.begin() + static_cast<std::ptrdiff_t>(end), ' ');
        at = end;
        continue;
      }
      if (c == '"' || c == '\'') {
        if (!string(at)) return false;
        continue;
      }
      ++at;
      if (!field) continue;
      if (c == '(' || c == '[' || c == '{') ++brackets;
      if ((c == ')' || c == ']' || c == '}') && brackets-- == 0) return c == '}';
      // A colon outside brackets starts the format spec: text (quotes included) up to the field's end.
      if (c == ':' && brackets == 0) return format_spec(at);
    }
    return !field;  // a replacement field left open at the end of the source
  }

  // A replacement field's format spec from `at`: text, with nested fields (f"{x:>{width}}"), up to and past the
  // field's closing brace.
  bool format_spec(std::size_t& at) {
    while (at < source_.size()) {
      const char c = source_[at++];
      if (c == '}') return true;
      if (c == '{' && !code(at, true)) return false;
      if (is_line_break(c)) return false;
    }
    return false;
  }

  struct Prefix {
    bool format = false;  // f: the fields are code
    bool raw = false;     // r: a backslash escapes nothing but the quote
  };

  // The prefix of the literal whose quote is at `quote`. The parser takes the whole run of prefix letters before a
  // quote as the prefix (`frb"..."` is a format string to it), so every letter of the run counts; a run that ends
  // a name (`elif"..."`) may read as a format string, which keeps the text: the safe mistake.
  Prefix prefix_of(std::size_t quote) const {
    Prefix prefix;
    for (std::size_t at = quote; at > 0; --at) {
      const char c = source_[at - 1];
      if (c == 'f' || c == 'F') {
        prefix.format = true;
      } else if (c == 'r' || c == 'R') {
        prefix.raw = true;
      } else if (c != 'b' && c != 'B' && c != 'u' && c != 'U') {
        break;
      }
    }
    return prefix;
  }

  // A string literal opening at `at`; leaves `at` past its closing quote(s).
  bool string(std::size_t& at) {
    const char quote = source_[at];
    const bool triple = at + 2 < source_.size() && source_[at + 1] == quote && source_[at + 2] == quote;
    const auto [format, raw] = prefix_of(at);
    const std::size_t open = triple ? 3 : 1;
    const std::size_t begin = at + open;
    if (format && ++depth_ > kMaxDepth) return false;
    for (std::size_t i = begin; i < source_.size();) {
      i = skip_to(source_, i, format ? kFormatStringStops : kStringStops);
      if (i == source_.size()) break;
      const char c = source_[i];
      if (c == '\\') {
        // An escape takes the next character, even in raw strings (r"\"" is one string); in a format string,
        // `\{` still opens a field.
        if (format && i + 1 < source_.size() && source_[i + 1] == '{') {
          i += 1;
        } else if (raw && i + 1 < source_.size() && is_line_break(source_[i + 1])) {
          return false;  // the parser ends a raw string's line there, where Python continues it
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

bool is_clean_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    // Eight ASCII bytes at a time, none of them NUL: nearly all of a source.
    if (i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      constexpr std::uint64_t kLow = 0x0101010101010101ull;
      constexpr std::uint64_t kHigh = 0x8080808080808080ull;
      if ((word & kHigh) == 0 && ((word - kLow) & ~word & kHigh) == 0) {
        i += 8;
        continue;
      }
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == 0) return false;
    if (byte < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t point = 0;
    if ((byte & 0xe0) == 0xc0) {
      length = 2;
      point = byte & 0x1f;
    } else if ((byte & 0xf0) == 0xe0) {
      length = 3;
      point = byte & 0x0f;
    } else if ((byte & 0xf8) == 0xf0) {
      length = 4;
      point = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      point = (point << 6) | (next & 0x3f);
    }
    // Overlong forms, surrogates and points past Unicode are invalid too.
    const std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (point < least[length] || (point >= 0xd800 && point <= 0xdfff) || point > 0x10ffff) return false;
    i += length;
  }
  return true;
}

std::optional<std::string> code_text(std::string_view source) {
  if (!is_clean_utf8(source)) return std::nullopt;
  std::string out(source);
  if (!Lexer(source, out).module()) return std::nullopt;
  return out;
}

}  // namespace hm::detectors

#include "git/line_counts.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_set>
#include <vector>

namespace hm::git {
namespace {

// memcmp on blocks finds the first difference far faster than a byte loop; the byte loop then places it.
constexpr std::size_t kBlock = 64;

std::size_t common_prefix(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  while (i + kBlock <= n && std::memcmp(a.data() + i, b.data() + i, kBlock) == 0) i += kBlock;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

std::size_t common_suffix(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  const char* a_end = a.data() + a.size();
  const char* b_end = b.data() + b.size();
  std::size_t i = 0;
  while (i + kBlock <= n && std::memcmp(a_end - i - kBlock, b_end - i - kBlock, kBlock) == 0) i += kBlock;
  while (i < n && a_end[-1 - static_cast<std::ptrdiff_t>(i)] == b_end[-1 - static_cast<std::ptrdiff_t>(i)]) ++i;
  return i;
}

bool starts_line(std::string_view text, std::size_t pos) { return pos == 0 || text[pos - 1] == '\n'; }

// Bytes of the whole lines the two texts share at their start.
std::size_t shared_head(std::string_view a, std::string_view b) {
  const std::size_t same = common_prefix(a, b);
  // A line is shared when its '\n' comes before the first difference; the line holding it differs (in content,
  // or in that one side ends there without a '\n').
  const void* last_newline = same == 0 ? nullptr : ::memrchr(a.data(), '\n', same);
  return last_newline ? static_cast<std::size_t>(static_cast<const char*>(last_newline) - a.data()) + 1 : 0;
}

// Bytes of the whole lines the two texts share at their end (a and b start at a line start).
std::size_t shared_tail(std::string_view a, std::string_view b) {
  const std::size_t same = common_suffix(a, b);
  if (starts_line(a, a.size() - same) && starts_line(b, b.size() - same)) return same;
  // Otherwise the shared lines begin after the first '\n' of the common bytes, which both texts hold.
  if (same == 0) return 0;
  const char* tail = a.data() + a.size() - same;
  const void* newline = std::memchr(tail, '\n', same);
  if (newline == nullptr) return 0;
  return static_cast<std::size_t>(a.data() + a.size() - static_cast<const char*>(newline)) - 1;
}

template <typename Visit>
void for_each_line(std::string_view text, Visit visit) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto length = end == std::string_view::npos ? text.size() : end + 1;
    visit(text.substr(0, length));
    text.remove_prefix(length);
  }
}

std::int64_t line_count(std::string_view text) {
  if (text.empty()) return 0;
  const auto newlines = std::count(text.begin(), text.end(), '\n');
  return static_cast<std::int64_t>(newlines) + (text.back() == '\n' ? 0 : 1);
}

// Whether some line of `a` equals some line of `b` (each line with its '\n', as xdiff compares them).
bool share_a_line(std::string_view a, std::string_view b, std::int64_t a_lines) {
  // A handful of lines is faster to compare directly than to hash.
  constexpr std::int64_t kDirect = 8;
  if (a_lines <= kDirect) {
    std::vector<std::string_view> lines;
    lines.reserve(static_cast<std::size_t>(a_lines));
    for_each_line(a, [&](std::string_view line) { lines.push_back(line); });
    bool found = false;
    for_each_line(b, [&](std::string_view line) {
      found = found || std::find(lines.begin(), lines.end(), line) != lines.end();
    });
    return found;
  }
  std::unordered_set<std::string_view> lines;
  lines.reserve(static_cast<std::size_t>(a_lines));
  for_each_line(a, [&](std::string_view line) { lines.insert(line); });
  bool found = false;
  for_each_line(b, [&](std::string_view line) { found = found || lines.contains(line); });
  return found;
}

}  // namespace

std::optional<LineCount> forced_line_counts(std::string_view old_text, std::string_view new_text) {
  // Set aside the lines both share at the start, then those they share at the end (xdl_trim_ends, in this order).
  const std::size_t head = shared_head(old_text, new_text);
  old_text.remove_prefix(head);
  new_text.remove_prefix(head);
  const std::size_t tail = shared_tail(old_text, new_text);
  old_text.remove_suffix(tail);
  new_text.remove_suffix(tail);

  const LineCount counts{line_count(new_text), line_count(old_text)};
  if (counts.added == 0 || counts.removed == 0) return counts;
  const bool shared = counts.removed <= counts.added ? share_a_line(old_text, new_text, counts.removed)
                                                     : share_a_line(new_text, old_text, counts.added);
  if (shared) return std::nullopt;
  return counts;
}

bool looks_binary(std::string_view content) {
  if (content.empty()) return false;
  constexpr std::size_t kBytesChecked = 8000;  // GIT_FILTER_BYTES_TO_CHECK_NUL in libgit2, as in git
  return std::memchr(content.data(), '\0', std::min(content.size(), kBytesChecked)) != nullptr;
}

}  // namespace hm::git

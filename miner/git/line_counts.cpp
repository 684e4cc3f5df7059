#include "git/line_counts.hpp"

#include <algorithm>
#include <bitset>
#include <cstdint>
#include <cstring>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "util/word_hash.hpp"

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

// The '\n' bytes of a text. Counting them is a pass over both middles of every change, so sixteen bytes at a
// time where the machine has SSE2 (every x86-64 does): std::count's vectorised loop widens each match to 64 bits.
std::int64_t newlines(std::string_view text) {
  std::int64_t count = 0;
  std::size_t i = 0;
#ifdef __SSE2__
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i zero = _mm_setzero_si128();
  while (i + 16 <= text.size()) {
    // Each byte lane counts its matches (a match is -1, subtracted) for at most 255 blocks, then they are summed.
    __m128i lanes = zero;
    for (int blocks = 0; blocks < 255 && i + 16 <= text.size(); ++blocks, i += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(bytes, newline));
    }
    const __m128i sums = _mm_sad_epu8(lanes, zero);  // two 64-bit sums of eight lanes each
    count += _mm_cvtsi128_si64(sums) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums));
  }
#endif
  return count + std::count(text.begin() + static_cast<std::ptrdiff_t>(i), text.end(), '\n');
}

std::int64_t line_count(std::string_view text) {
  if (text.empty()) return 0;
  return newlines(text) + (text.back() == '\n' ? 0 : 1);
}

// A change cut into the whole lines both texts share at the start and at the end (xdl_trim_ends, which sets aside
// the shared start first), and the middles left between.
struct Split {
  std::string_view head;
  std::string_view old_middle;
  std::string_view new_middle;
  std::string_view tail;
};

Split split(std::string_view old_text, std::string_view new_text) {
  const std::size_t head = shared_head(old_text, new_text);
  const auto shared_start = old_text.substr(0, head);
  old_text.remove_prefix(head);
  new_text.remove_prefix(head);
  const std::size_t tail = shared_tail(old_text, new_text);
  const auto shared_end = old_text.substr(old_text.size() - tail);
  old_text.remove_suffix(tail);
  new_text.remove_suffix(tail);
  return {shared_start, old_text, new_text, shared_end};
}

// xdiff's limit on how often a middle line may occur in the whole other file before it is "too common" (and set
// aside when among lines that match nothing): xdl_bogosqrt of its own file's line count, at most
// XDL_MAX_EQLIMIT (xprepare.c).
std::int64_t too_common_limit(std::int64_t lines) {
  std::int64_t limit = 1;
  for (auto n = lines; n > 0; n >>= 2) limit <<= 1;
  return std::min<std::int64_t>(limit, 1024);
}

// The fewest lines a file can have for its limit to exceed `count`: the limit grows with the line count, in
// steps at 1, 4, 16, 64, ...
std::int64_t fewest_lines_above(std::int64_t count) {
  std::int64_t lines = 0;
  while (too_common_limit(lines) <= count) lines = lines == 0 ? 1 : lines * 4;
  return lines;
}

// The distinct lines of the two middles, numbered in order of appearance, with how often each occurs in each
// whole file: an open-addressing table, as a node per line cost more than the diff it replaces.
class Classes {
 public:
  struct Class {
    std::string_view line;
    std::int64_t in_old = 0;
    std::int64_t in_new = 0;
    bool in_old_middle = false;
    bool in_new_middle = false;
  };

  explicit Classes(std::size_t expected_lines) {
    std::size_t slots = 16;
    while (slots < 2 * expected_lines) slots *= 2;
    slots_.assign(slots, kEmpty);
    classes_.reserve(expected_lines);
  }

  // The class of `line`, added if new; `id` is its number.
  Class& of(std::string_view line, std::uint32_t& id) {
    const auto hash = util::word_hash(line);
    auto slot = probe(line, hash);
    if (slots_[slot] == kEmpty) {
      if (2 * (classes_.size() + 1) > slots_.size()) {
        grow();
        slot = probe(line, hash);
      }
      slots_[slot] = static_cast<std::uint32_t>(classes_.size());
      hashes_.push_back(hash);
      classes_.push_back({line});
      if (line.size() < kLengths) lengths_[line.size()] = true;
    }
    id = slots_[slot];
    return classes_[id];
  }

  // The class of `line` if it has one. Most shared lines have a length no middle line has, and skip the hash.
  Class* find(std::string_view line, std::uint32_t& id) {
    if (line.size() < kLengths && !lengths_[line.size()]) return nullptr;
    const auto slot = probe(line, util::word_hash(line));
    if (slots_[slot] == kEmpty) return nullptr;
    id = slots_[slot];
    return &classes_[id];
  }

  std::uint32_t size() const { return static_cast<std::uint32_t>(classes_.size()); }

  // The largest count in the other file, below `limit`, of a line of one side's middle. Any limit above it and
  // at most `limit` sorts every such line as `limit` does (too common or not): the other counts are at least
  // `limit`.
  std::int64_t largest_count_below(bool old_side, std::int64_t limit) const {
    std::int64_t largest = 0;
    for (const auto& seen : classes_) {
      if (!(old_side ? seen.in_old_middle : seen.in_new_middle)) continue;
      const auto count = old_side ? seen.in_new : seen.in_old;
      if (count < limit) largest = std::max(largest, count);
    }
    return largest;
  }

 private:
  static constexpr std::uint32_t kEmpty = ~std::uint32_t{0};
  static constexpr std::size_t kLengths = 512;

  // The slot holding `line`, or the empty slot where it would go (linear probing; the table is at most half full).
  std::size_t probe(std::string_view line, std::uint64_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    for (auto slot = static_cast<std::size_t>(hash) & mask;; slot = (slot + 1) & mask) {
      const auto id = slots_[slot];
      if (id == kEmpty || (hashes_[id] == hash && classes_[id].line == line)) return slot;
    }
  }

  void grow() {
    std::vector<std::uint32_t> slots(slots_.size() * 2, kEmpty);
    const std::size_t mask = slots.size() - 1;
    for (std::uint32_t id = 0; id < classes_.size(); ++id) {
      auto slot = static_cast<std::size_t>(hashes_[id]) & mask;
      while (slots[slot] != kEmpty) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    slots_ = std::move(slots);
  }

  std::vector<std::uint32_t> slots_;  // class ids
  std::vector<std::uint64_t> hashes_;  // by class id
  std::vector<Class> classes_;
  std::bitset<kLengths> lengths_;
};

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
  // The classes' table, not a node-based set: most of b's lines are skipped by their length alone.
  Classes lines(static_cast<std::size_t>(a_lines));
  std::uint32_t id = 0;
  for_each_line(a, [&](std::string_view line) { lines.of(line, id); });
  bool found = false;
  for_each_line(b, [&](std::string_view line) { found = found || lines.find(line, id) != nullptr; });
  return found;
}

// Appends the line standing for class `id`: the id's digits in base 253 (every byte but NUL, which would make the
// text look binary, and '\n'), then '\n'. Distinct ids give distinct lines.
void append_token(std::string& text, std::uint32_t id) {
  do {
    auto digit = static_cast<unsigned char>(1 + id % 253);
    if (digit >= '\n') ++digit;
    text += static_cast<char>(digit);
    id /= 253;
  } while (id != 0);
  text += '\n';
}

// The lines each middle holds (as `LineCount`: the new middle's are added, the old middle's removed).
LineCount middle_lines(const Split& parts) { return {line_count(parts.new_middle), line_count(parts.old_middle)}; }

std::optional<LineCount> forced_counts(const Split& parts, const LineCount& counts) {
  if (counts.added == 0 || counts.removed == 0) return counts;
  const bool shared = counts.removed <= counts.added
                          ? share_a_line(parts.old_middle, parts.new_middle, counts.removed)
                          : share_a_line(parts.new_middle, parts.old_middle, counts.added);
  if (shared) return std::nullopt;
  return counts;
}

XdiffEquivalent equivalent_of(const Split& parts, const LineCount& counts) {
  const auto old_middle_lines = counts.removed;
  const auto new_middle_lines = counts.added;
  Classes classes(static_cast<std::size_t>(old_middle_lines + new_middle_lines));
  std::vector<std::uint32_t> old_middle;
  std::vector<std::uint32_t> new_middle;
  old_middle.reserve(static_cast<std::size_t>(old_middle_lines));
  new_middle.reserve(static_cast<std::size_t>(new_middle_lines));
  std::uint32_t id = 0;
  for_each_line(parts.old_middle, [&](std::string_view line) {
    auto& seen = classes.of(line, id);
    ++seen.in_old;
    seen.in_old_middle = true;
    old_middle.push_back(id);
  });
  for_each_line(parts.new_middle, [&](std::string_view line) {
    auto& seen = classes.of(line, id);
    ++seen.in_new;
    seen.in_new_middle = true;
    new_middle.push_back(id);
  });

  // The shared lines that equal a middle line are kept: they count as its occurrences in both files.
  std::vector<std::uint32_t> head;
  std::vector<std::uint32_t> tail;
  std::int64_t shared_lines = 0;
  const auto keep = [&](std::string_view shared, std::vector<std::uint32_t>& kept) {
    for_each_line(shared, [&](std::string_view line) {
      ++shared_lines;
      auto* seen = classes.find(line, id);
      if (seen == nullptr) return;
      ++seen->in_old;
      ++seen->in_new;
      kept.push_back(id);
    });
  };
  keep(parts.head, head);
  keep(parts.tail, tail);

  // Fillers keep each file's "too common" limit on the same side of every middle line's count.
  const auto kept = static_cast<std::int64_t>(head.size() + tail.size());
  const auto old_floor = classes.largest_count_below(true, too_common_limit(shared_lines + old_middle_lines));
  const auto new_floor = classes.largest_count_below(false, too_common_limit(shared_lines + new_middle_lines));
  const auto fillers = std::max<std::int64_t>({0, fewest_lines_above(old_floor) - kept - old_middle_lines,
                                               fewest_lines_above(new_floor) - kept - new_middle_lines});

  // Each line becomes its class's token; the filler is a class of its own.
  XdiffEquivalent equivalent;
  const auto write = [&](std::string& text, const std::vector<std::uint32_t>& middle) {
    for (std::int64_t i = 0; i < fillers; ++i) append_token(text, classes.size());
    for (const auto line : head) append_token(text, line);
    for (const auto line : middle) append_token(text, line);
    for (const auto line : tail) append_token(text, line);
  };
  write(equivalent.old_text, old_middle);
  write(equivalent.new_text, new_middle);
  return equivalent;
}

}  // namespace

std::optional<LineCount> forced_line_counts(std::string_view old_text, std::string_view new_text) {
  const Split parts = split(old_text, new_text);
  return forced_counts(parts, middle_lines(parts));
}

XdiffEquivalent xdiff_equivalent(std::string_view old_text, std::string_view new_text) {
  const Split parts = split(old_text, new_text);
  return equivalent_of(parts, middle_lines(parts));
}

std::variant<LineCount, XdiffEquivalent> counts_or_xdiff_equivalent(std::string_view old_text,
                                                                    std::string_view new_text) {
  const Split parts = split(old_text, new_text);
  const LineCount middles = middle_lines(parts);
  if (const auto counts = forced_counts(parts, middles)) return *counts;
  return equivalent_of(parts, middles);
}

bool looks_binary(std::string_view content) {
  if (content.empty()) return false;
  constexpr std::size_t kBytesChecked = 8000;  // GIT_FILTER_BYTES_TO_CHECK_NUL in libgit2, as in git
  return std::memchr(content.data(), '\0', std::min(content.size(), kBytesChecked)) != nullptr;
}

}  // namespace hm::git

#include "detectors/line_diff.hpp"

#include <algorithm>
#include <cstdint>

namespace hm::detectors {
namespace {

// A run of equal lines: before[old_at, old_at + length) == after[new_at, new_at + length).
struct Match {
  std::size_t old_at;
  std::size_t new_at;
  std::size_t length;
};

// Myers' greedy forward search over the lines between the common prefix and suffix, keeping each round's
// furthest-reaching x per diagonal so the path can be traced back. Memory grows with the square of the number of
// changed lines, which `max_d` bounds.
class Myers {
 public:
  Myers(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b, std::size_t a0,
        std::size_t b0, std::size_t n, std::size_t m)
      : a_(a), b_(b), a0_(a0), b0_(b0), n_(static_cast<std::int64_t>(n)), m_(static_cast<std::int64_t>(m)) {}

  // The matching runs, in order; nullopt past max_d changed lines.
  std::optional<std::vector<Match>> run(std::size_t max_d) {
    const std::int64_t limit = std::min<std::int64_t>(n_ + m_, static_cast<std::int64_t>(max_d));
    const std::int64_t offset = limit + 1;
    std::vector<std::int64_t> v(static_cast<std::size_t>(2 * offset + 1), 0);
    for (std::int64_t d = 0; d <= limit; ++d) {
      // The round's starting state, for diagonals -d..d (what round d reads).
      trace_.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
      for (std::int64_t k = -d; k <= d; k += 2) {
        std::int64_t x = (k == -d || (k != d && at(v, offset, k - 1) < at(v, offset, k + 1)))
                             ? at(v, offset, k + 1)
                             : at(v, offset, k - 1) + 1;
        std::int64_t y = x - k;
        while (x < n_ && y < m_ && equal(x, y)) ++x, ++y;
        at(v, offset, k) = x;
        if (x >= n_ && y >= m_) return backtrack(d);
      }
    }
    return std::nullopt;
  }

 private:
  static std::int64_t& at(std::vector<std::int64_t>& v, std::int64_t offset, std::int64_t k) {
    return v[static_cast<std::size_t>(offset + k)];
  }
  bool equal(std::int64_t x, std::int64_t y) const {
    return a_[a0_ + static_cast<std::size_t>(x)] == b_[b0_ + static_cast<std::size_t>(y)];
  }
  // trace_[d] holds diagonals -d..d of the state round d started from.
  std::int64_t traced(std::int64_t d, std::int64_t k) const {
    return trace_[static_cast<std::size_t>(d)][static_cast<std::size_t>(k + d)];
  }

  std::vector<Match> backtrack(std::int64_t d_end) const {
    std::vector<Match> matches;
    std::int64_t x = n_;
    std::int64_t y = m_;
    for (std::int64_t d = d_end; d > 0; --d) {
      const std::int64_t k = x - y;
      // Round d moved onto diagonal k from k+1 (an insertion) or k-1 (a deletion), as the forward pass chose.
      const bool down = k == -d || (k != d && traced(d, k - 1) < traced(d, k + 1));
      const std::int64_t prev_k = down ? k + 1 : k - 1;
      const std::int64_t prev_x = traced(d, prev_k);
      const std::int64_t prev_y = prev_x - prev_k;
      const std::int64_t start_x = down ? prev_x : prev_x + 1;  // where the snake after the step begins
      if (x > start_x) add(matches, start_x, start_x - k, x - start_x);
      x = prev_x;
      y = prev_y;
    }
    if (x > 0) add(matches, 0, 0, x);  // round 0's snake: x == y
    std::reverse(matches.begin(), matches.end());
    return matches;
  }
  void add(std::vector<Match>& matches, std::int64_t x, std::int64_t y, std::int64_t length) const {
    matches.push_back({a0_ + static_cast<std::size_t>(x), b0_ + static_cast<std::size_t>(y),
                       static_cast<std::size_t>(length)});
  }

  const std::vector<std::string_view>& a_;
  const std::vector<std::string_view>& b_;
  std::size_t a0_, b0_;
  std::int64_t n_, m_;
  std::vector<std::vector<std::int64_t>> trace_;
};

}  // namespace

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto newline = text.find('\n', start);
    const auto end = newline == std::string_view::npos ? text.size() : newline + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

std::optional<std::vector<LineHunk>> diff_lines(const std::vector<std::string_view>& before,
                                                const std::vector<std::string_view>& after,
                                                std::size_t max_changed_lines) {
  // The common prefix and suffix cost nothing to match: most commits change a few lines of a long file.
  std::size_t prefix = 0;
  while (prefix < before.size() && prefix < after.size() && before[prefix] == after[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < before.size() - prefix && suffix < after.size() - prefix &&
         before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix]) {
    ++suffix;
  }
  const auto n = before.size() - prefix - suffix;
  const auto m = after.size() - prefix - suffix;
  auto matches = Myers(before, after, prefix, prefix, n, m).run(max_changed_lines);
  if (!matches) return std::nullopt;
  matches->push_back({before.size() - suffix, after.size() - suffix, 0});  // the suffix closes the last gap

  std::vector<LineHunk> hunks;
  std::size_t old_at = prefix;
  std::size_t new_at = prefix;
  for (const auto& match : *matches) {
    if (match.old_at > old_at || match.new_at > new_at) hunks.push_back({old_at, match.old_at, new_at, match.new_at});
    old_at = match.old_at + match.length;
    new_at = match.new_at + match.length;
  }
  return hunks;
}

}  // namespace hm::detectors

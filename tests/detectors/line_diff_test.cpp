#include "detectors/line_diff.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>

using hm::detectors::diff_lines;
using hm::detectors::LineHunk;
using hm::detectors::split_lines;

namespace {

// `before` with the hunks applied: must give `after` back.
std::vector<std::string_view> apply(const std::vector<std::string_view>& before,
                                    const std::vector<std::string_view>& after, const std::vector<LineHunk>& hunks) {
  std::vector<std::string_view> result;
  std::size_t at = 0;
  for (const auto& hunk : hunks) {
    result.insert(result.end(), before.begin() + static_cast<std::ptrdiff_t>(at),
                  before.begin() + static_cast<std::ptrdiff_t>(hunk.old_begin));
    result.insert(result.end(), after.begin() + static_cast<std::ptrdiff_t>(hunk.new_begin),
                  after.begin() + static_cast<std::ptrdiff_t>(hunk.new_end));
    at = hunk.old_end;
  }
  result.insert(result.end(), before.begin() + static_cast<std::ptrdiff_t>(at), before.end());
  return result;
}

std::size_t changed_lines(const std::vector<LineHunk>& hunks) {
  std::size_t changed = 0;
  for (const auto& hunk : hunks) changed += (hunk.old_end - hunk.old_begin) + (hunk.new_end - hunk.new_begin);
  return changed;
}

}  // namespace

TEST_CASE("split_lines keeps each line's newline, and a last line without one", "[line_diff]") {
  CHECK(split_lines("").empty());
  CHECK(split_lines("a\nb\n") == std::vector<std::string_view>{"a\n", "b\n"});
  CHECK(split_lines("a\n\nb") == std::vector<std::string_view>{"a\n", "\n", "b"});
}

TEST_CASE("diff_lines finds the separate hunks of an edit", "[line_diff]") {
  const auto before = split_lines("a\nb\nc\nd\ne\nf\n");
  const auto after = split_lines("a\nB\nc\nd\ne\nf\ng\n");
  const auto hunks = diff_lines(before, after, 100);
  REQUIRE(hunks);
  REQUIRE(hunks->size() == 2);
  CHECK((*hunks)[0].old_begin == 1);
  CHECK((*hunks)[0].old_end == 2);
  CHECK((*hunks)[0].new_begin == 1);
  CHECK((*hunks)[0].new_end == 2);
  CHECK((*hunks)[1].old_begin == 6);
  CHECK((*hunks)[1].old_end == 6);
  CHECK((*hunks)[1].new_begin == 6);
  CHECK((*hunks)[1].new_end == 7);

  const auto same = diff_lines(before, before, 0);
  REQUIRE(same);
  CHECK(same->empty());
  const auto from_empty = diff_lines({}, after, 100);
  REQUIRE(from_empty);
  REQUIRE(from_empty->size() == 1);
  CHECK((*from_empty)[0].new_end == after.size());
}

TEST_CASE("diff_lines gives up past its budget of changed lines", "[line_diff]") {
  const auto before = split_lines("a\nb\nc\nd\n");
  const auto after = split_lines("w\nx\ny\nz\n");
  CHECK_FALSE(diff_lines(before, after, 7));
  const auto within = diff_lines(before, after, 8);
  REQUIRE(within);
  CHECK(changed_lines(*within) == 8);
}

TEST_CASE("diff_lines: random edits are undone exactly and minimally", "[line_diff]") {
  std::mt19937 random(7);
  const std::vector<std::string> alphabet = {"a\n", "b\n", "c\n", "d\n", "pass\n", "\n"};
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> old_text;
    const auto length = random() % 30;
    for (std::size_t i = 0; i < length; ++i) old_text.push_back(alphabet[random() % alphabet.size()]);
    auto new_text = old_text;
    std::size_t edits = random() % 5;
    std::size_t budget = 0;  // an upper bound of the minimal number of changed lines
    for (std::size_t e = 0; e < edits; ++e) {
      const auto at = new_text.empty() ? 0 : random() % (new_text.size() + 1);
      if (random() % 2 == 0 || new_text.empty()) {
        new_text.insert(new_text.begin() + static_cast<std::ptrdiff_t>(at), alphabet[random() % alphabet.size()]);
      } else {
        new_text.erase(new_text.begin() + static_cast<std::ptrdiff_t>(std::min(at, new_text.size() - 1)));
      }
      ++budget;
    }
    const std::vector<std::string_view> before(old_text.begin(), old_text.end());
    const std::vector<std::string_view> after(new_text.begin(), new_text.end());
    const auto hunks = diff_lines(before, after, 1000);
    REQUIRE(hunks);
    CHECK(apply(before, after, *hunks) == after);
    CHECK(changed_lines(*hunks) <= budget);
    for (std::size_t i = 1; i < hunks->size(); ++i) CHECK((*hunks)[i].old_begin > (*hunks)[i - 1].old_end);
  }
}

#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "git/handles.hpp"
#include "git/line_counts.hpp"

using hm::git::forced_line_counts;
using hm::git::LineCount;
using hm::git::looks_binary;

namespace {

// What libgit2 (xdiff, no context lines, as the commit reader's diffs) counts for old → new.
LineCount libgit2_counts(const std::string& old_text, const std::string& new_text) {
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.context_lines = 0;
  options.interhunk_lines = 0;
  git_patch* raw = nullptr;
  REQUIRE(git_patch_from_buffers(&raw, old_text.data(), old_text.size(), "a", new_text.data(), new_text.size(), "a",
                                 &options) == 0);
  const hm::git::PatchPtr patch(raw);
  std::size_t added = 0;
  std::size_t removed = 0;
  if (patch) REQUIRE(git_patch_line_stats(nullptr, &added, &removed, patch.get()) == 0);
  return {static_cast<std::int64_t>(added), static_cast<std::int64_t>(removed)};
}

std::optional<LineCount> counts(std::int64_t added, std::int64_t removed) { return LineCount{added, removed}; }

// A random text of lines drawn from a small set, so that lines repeat as blank lines and closing brackets do in
// code, and xdiff's "too common" heuristics come into play in long texts.
std::string random_text(std::mt19937& random, int lines) {
  static const std::vector<std::string> kLines = {"\n",        "    pass\n", "  )\n",      "import os\n",
                                                  "x = 1\n",   "\r\n",       "def f():\n", "    return x\n",
                                                  "# note\n", "y = 2\r\n"};
  std::string text;
  for (int i = 0; i < lines; ++i) {
    // One line in four is unique, as most lines of real code are.
    if (random() % 4 == 0) {
      text += "value_" + std::to_string(random() % 100000) + " = " + std::to_string(i) + "\n";
    } else {
      text += kLines[random() % kLines.size()];
    }
  }
  if (!text.empty() && random() % 5 == 0) text.pop_back();  // no newline at the end
  return text;
}

// `text` with a few blocks of lines inserted, deleted or replaced at random places.
std::string random_edit(std::mt19937& random, const std::string& text) {
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    const auto end = text.find('\n', start);
    const auto next = end == std::string::npos ? text.size() : end + 1;
    lines.push_back(text.substr(start, next - start));
    start = next;
  }
  const int edits = 1 + static_cast<int>(random() % 3);
  for (int e = 0; e < edits; ++e) {
    const auto at = lines.empty() ? 0 : random() % (lines.size() + 1);
    const auto length = std::min<std::size_t>(random() % 6, lines.size() - at);
    const auto kind = random() % 3;
    if (kind != 0) lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at),
                               lines.begin() + static_cast<std::ptrdiff_t>(at + length));
    if (kind != 1) {
      const auto block = random_text(random, 1 + static_cast<int>(random() % 5));
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), block);
    }
  }
  std::string edited;
  for (const auto& line : lines) edited += line;
  return edited;
}

// Four lines named after `name`, a blank line, four more: edited into another name, the blank line sits between two
// runs of lines that match nothing.
std::string runs_around_a_blank_line(const std::string& name) {
  std::string lines;
  for (int i = 0; i < 8; ++i) {
    lines += (i == 4 ? "\n" : "") + name + std::to_string(i) + " = " + std::to_string(i) + "\n";
  }
  return lines;
}

}  // namespace

TEST_CASE("forced_line_counts: changes whose counts need no diff", "[git][line_counts]") {
  CHECK(forced_line_counts("a\nb\n", "a\nb\nc\nd\n") == counts(2, 0));      // appended
  CHECK(forced_line_counts("a\nb\nc\nd\n", "a\nd\n") == counts(0, 2));      // removed in the middle
  CHECK(forced_line_counts("a\nb\nc\n", "a\nB\nc\n") == counts(1, 1));      // one line replaced
  CHECK(forced_line_counts("", "a\nb") == counts(2, 0));                    // added file, no final newline
  CHECK(forced_line_counts("a\nb\n", "") == counts(0, 2));                  // deleted file
  CHECK(forced_line_counts("a\nb", "a\nb\n") == counts(1, 1));              // a final newline added
  CHECK(forced_line_counts("a\nb\n", "a\nbc\n") == counts(1, 1));           // a line grows
  CHECK(forced_line_counts("a\r\nb\r\n", "a\nb\n") == counts(2, 2));        // CRLF to LF
  CHECK(forced_line_counts("a\na\n", "a\na\na\n") == counts(1, 0));         // the shared ends overlap
  CHECK(forced_line_counts("x\n", "y\nx\n") == counts(1, 0));               // inserted at the start
  CHECK(forced_line_counts("a\nb\nc\n", "a\nb\nc\n") == counts(0, 0));      // the same text
}

TEST_CASE("forced_line_counts: long texts are counted whole", "[git][line_counts]") {
  // Newlines are counted sixteen bytes at a time in runs of 255 blocks: texts across several runs, one that is
  // nothing but newlines (every byte a match, each lane's count at its limit), and ends that are not a block.
  const std::string blank_lines(5000, '\n');
  CHECK(forced_line_counts("", blank_lines) == counts(5000, 0));
  CHECK(forced_line_counts(blank_lines + "x", "") == counts(0, 5001));
  std::string lines;
  std::int64_t count = 0;
  for (int i = 0; i < 3000; ++i, ++count) lines += std::string(static_cast<std::size_t>(i % 37), 'a') + "\n";
  CHECK(forced_line_counts("", lines) == counts(count, 0));
  CHECK(forced_line_counts("", lines + "tail") == counts(count + 1, 0));
  const auto part = lines.substr(0, 4099);  // not a whole number of blocks
  const auto part_lines = std::count(part.begin(), part.end(), '\n') + (part.back() == '\n' ? 0 : 1);
  CHECK(forced_line_counts(part, "") == counts(0, part_lines));
}

TEST_CASE("forced_line_counts: changes that need a diff get no answer", "[git][line_counts]") {
  // The line between the two edits is left on both sides: only a diff can say it is kept.
  CHECK_FALSE(forced_line_counts("a\nx\nb\ny\nc\n", "a\nX\nb\nY\nc\n").has_value());
  CHECK_FALSE(forced_line_counts("a\n\nb\n", "c\n\nd\n").has_value());
  // More than a handful of lines on the smaller side takes the hashed path.
  std::string old_text;
  std::string new_text;
  for (int i = 0; i < 20; ++i) {
    old_text += "old " + std::to_string(i) + "\n";
    new_text += "new " + std::to_string(i) + "\n";
  }
  CHECK(forced_line_counts(old_text, new_text) == counts(20, 20));
  CHECK_FALSE(forced_line_counts(old_text + "shared\n" + old_text, new_text + "shared\n" + new_text).has_value());
}

TEST_CASE("forced_line_counts agrees with libgit2 whenever it answers", "[git][line_counts]") {
  hm::git::Library library;
  std::mt19937 random(20261205);
  int answered = 0;
  int unanswered = 0;
  for (int i = 0; i < 3000; ++i) {
    // Long texts (up to 2,000 lines) make xdiff set aside frequent lines; short ones reach the edges.
    const int length = i % 10 == 0 ? static_cast<int>(random() % 2000) : static_cast<int>(random() % 40);
    const auto old_text = random_text(random, length);
    const auto new_text = random_edit(random, old_text);
    const auto forced = forced_line_counts(old_text, new_text);
    // The combined call answers as the two calls do.
    const auto either = hm::git::counts_or_xdiff_equivalent(old_text, new_text);
    if (!forced) {
      ++unanswered;
      const auto* equivalent = std::get_if<hm::git::XdiffEquivalent>(&either);
      REQUIRE(equivalent != nullptr);
      const auto expected = hm::git::xdiff_equivalent(old_text, new_text);
      CHECK(equivalent->old_text == expected.old_text);
      CHECK(equivalent->new_text == expected.new_text);
      continue;
    }
    REQUIRE(std::holds_alternative<LineCount>(either));
    CHECK(std::get<LineCount>(either) == *forced);
    ++answered;
    INFO("old:\n" << old_text << "\nnew:\n" << new_text);
    REQUIRE(*forced == libgit2_counts(old_text, new_text));
  }
  // Both paths were exercised.
  CHECK(answered > 500);
  CHECK(unanswered > 500);
}

TEST_CASE("xdiff_equivalent: libgit2 counts the same on the short texts as on the change", "[git][line_counts]") {
  hm::git::Library library;
  std::mt19937 random(5122026);
  int compared = 0;
  std::size_t original_bytes = 0;
  std::size_t equivalent_bytes = 0;
  for (int i = 0; i < 3000; ++i) {
    // Long texts have hundreds of distinct lines (tokens of two bytes) and lines frequent enough to be "too
    // common" to xdiff, in files whose line counts put the limit at several steps.
    const int length = i % 5 == 0 ? static_cast<int>(random() % 3000) : static_cast<int>(random() % 60);
    const auto old_text = random_text(random, length);
    const auto new_text = random_edit(random, old_text);
    if (forced_line_counts(old_text, new_text)) continue;
    ++compared;
    const auto equivalent = hm::git::xdiff_equivalent(old_text, new_text);
    original_bytes += old_text.size() + new_text.size();
    equivalent_bytes += equivalent.old_text.size() + equivalent.new_text.size();
    INFO("old:\n" << old_text << "\nnew:\n" << new_text);
    REQUIRE(libgit2_counts(equivalent.old_text, equivalent.new_text) == libgit2_counts(old_text, new_text));
  }
  CHECK(compared > 1000);
  // The point of it: far less for xdiff to read.
  CHECK(equivalent_bytes * 4 < original_bytes);
}

TEST_CASE("xdiff_equivalent: shared lines the middles repeat are kept", "[git][line_counts]") {
  // About 300 blank lines among 600 make a blank line "too common" to xdiff (its limit is 32 at that size). One
  // between two runs of lines that match nothing is then set aside with them and counted as changed: 9 lines
  // added and 9 removed, where a minimal diff has 8 and 8.
  std::string shared_start;
  for (int i = 0; i < 150; ++i) shared_start += "\n";
  std::string shared_end;
  for (int i = 0; i < 150; ++i) shared_end += "unique " + std::to_string(i) + "\n\n";
  const auto old_text = shared_start + runs_around_a_blank_line("x") + shared_end;
  const auto new_text = shared_start + runs_around_a_blank_line("y") + shared_end;
  hm::git::Library library;
  REQUIRE(libgit2_counts(old_text, new_text) == LineCount{9, 9});
  const auto equivalent = hm::git::xdiff_equivalent(old_text, new_text);
  CHECK(libgit2_counts(equivalent.old_text, equivalent.new_text) == LineCount{9, 9});
  CHECK(equivalent.old_text.size() < old_text.size() / 2);
}

TEST_CASE("xdiff_equivalent: fillers keep each file's limit where it was", "[git][line_counts]") {
  // 2,000-odd lines put xdiff's limit at 64. A blank line seen 37 times is not too common and is kept, so the
  // counts are minimal (8 and 8); without fillers the short texts' limit would fall to 8, and the blank line would
  // be set aside as in the test above (9 and 9). Seen 64 times, exactly the limit, it is too common (9 and 9).
  const auto check = [](int shared_blank_lines, LineCount expected) {
    std::string shared_start;
    for (int i = 0; i < 1950; ++i) shared_start += "unique " + std::to_string(i) + "\n";
    const std::string shared_end(static_cast<std::size_t>(shared_blank_lines), '\n');
    const auto old_text = shared_start + runs_around_a_blank_line("x") + shared_end;
    const auto new_text = shared_start + runs_around_a_blank_line("y") + shared_end;
    INFO(shared_blank_lines << " shared blank lines");
    REQUIRE(libgit2_counts(old_text, new_text) == expected);
    const auto equivalent = hm::git::xdiff_equivalent(old_text, new_text);
    CHECK(libgit2_counts(equivalent.old_text, equivalent.new_text) == expected);
    CHECK(equivalent.old_text.size() < old_text.size() / 5);
  };
  hm::git::Library library;
  check(36, {8, 8});
  check(63, {9, 9});
}

TEST_CASE("looks_binary: a NUL byte in the first 8000 bytes, as git decides", "[git][line_counts]") {
  CHECK_FALSE(looks_binary(""));
  CHECK_FALSE(looks_binary("text\n"));
  CHECK(looks_binary(std::string("a\0b", 3)));
  std::string late(8001, 'x');
  late[7999] = '\0';
  CHECK(looks_binary(late));
  late[7999] = 'x';
  late[8000] = '\0';
  CHECK_FALSE(looks_binary(late));
}

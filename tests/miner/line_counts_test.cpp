#include <catch2/catch.hpp>

#include <optional>
#include <random>
#include <string>
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
    if (!forced) {
      ++unanswered;
      continue;
    }
    ++answered;
    INFO("old:\n" << old_text << "\nnew:\n" << new_text);
    REQUIRE(*forced == libgit2_counts(old_text, new_text));
  }
  // Both paths were exercised.
  CHECK(answered > 500);
  CHECK(unanswered > 500);
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

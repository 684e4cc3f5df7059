#pragma once
// The lines a change of text adds and removes, as `git diff --numstat` (xdiff) counts them, at a fraction of
// xdiff's cost: hashing and sorting every line of both files was most of the time of reading a history.
//
// xdiff first sets aside the lines both versions share at the start and at the end; what it does with the lines
// left between (the middles) depends on the rest of the files only through a heuristic: a middle line that
// occurs too often in the whole other file may be counted as changed even where a minimal diff would keep it.
// - forced_line_counts answers when the middles leave xdiff no choice: one side has nothing left, or nothing left
//   on one side equals anything left on the other. Every diff then reports all the lines left on each side. Half
//   the text changes of the Keras history are such.
// - xdiff_equivalent gives, for the others, two short texts on which xdiff counts the same, to run it on.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace hm::git {

struct LineCount {
  std::int64_t added = 0;
  std::int64_t removed = 0;
  friend bool operator==(const LineCount&, const LineCount&) = default;
};

// The counts xdiff reports for old_text → new_text (lines as xdiff splits them: each ends after its '\n', and a
// last line without one is a line too), when the change's shape forces them; nothing when only a diff can say.
std::optional<LineCount> forced_line_counts(std::string_view old_text, std::string_view new_text);

// Two short texts on which xdiff counts what it counts on old_text → new_text. What xdiff does with the middles
// depends on the rest of the files in two ways only (xdl_cleanup_records in xprepare.c): how often each middle
// line occurs in the whole other file, and each file's line count, through the limit on how often a line may
// occur before it is "too common". So:
// - each distinct line becomes a short token line, as xdiff only compares lines for equality (with git's default
//   diff: Myers, no whitespace options, no indent heuristic -- the commit reader's diffs);
// - the shared lines equal to no middle line are dropped, the others kept, so every middle line's counts stay;
// - identical filler lines, equal to no other, take the dropped lines' place: only as many as keep each file's
//   limit on the same side of every middle line's count.
// Meant for changes with lines left on both sides (as forced_line_counts answers all others).
struct XdiffEquivalent {
  std::string old_text;
  std::string new_text;
};
XdiffEquivalent xdiff_equivalent(std::string_view old_text, std::string_view new_text);

// forced_line_counts' answer, or else xdiff_equivalent's texts: the shared ends are found once for both.
std::variant<LineCount, XdiffEquivalent> counts_or_xdiff_equivalent(std::string_view old_text,
                                                                    std::string_view new_text);

// git's and libgit2's test for binary content: a NUL byte in the first 8000 bytes.
bool looks_binary(std::string_view content);

}  // namespace hm::git

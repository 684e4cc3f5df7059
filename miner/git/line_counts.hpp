#pragma once
// Line counts of a text change that are forced by its shape, so no diff has to run to know them.
//
// Counting the lines a change adds and removes the way `git diff --numstat` does means running xdiff, whose
// heuristics (lines seen too often are set aside) make its answer depend on both whole files. Half the text
// changes of the Keras history are simpler than that: once the lines both versions share at the start and at the end are set aside,
// exactly as xdiff itself does first, either one side has nothing left, or nothing left on one side equals
// anything left on the other. Then every diff, xdiff's included, must report all the lines left on each side,
// and the counts come from a few memcmp and memchr calls instead of hashing every line of both files.
#include <cstdint>
#include <optional>
#include <string_view>

namespace hm::git {

struct LineCount {
  std::int64_t added = 0;
  std::int64_t removed = 0;
  friend bool operator==(const LineCount&, const LineCount&) = default;
};

// The counts xdiff reports for old_text → new_text (lines as xdiff splits them: each ends after its '\n', and a
// last line without one is a line too), when the change's shape forces them; nothing when only a diff can say.
std::optional<LineCount> forced_line_counts(std::string_view old_text, std::string_view new_text);

// git's and libgit2's test for binary content: a NUL byte in the first 8000 bytes.
bool looks_binary(std::string_view content);

}  // namespace hm::git

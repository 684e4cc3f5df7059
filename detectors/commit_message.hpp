#pragma once
// What a commit message says about its commit: whether it fixes a bug, and which issues or pull requests it
// refers to. The MSR 2022 study of hybridization ("Challenges in Migrating Imperative Deep Learning Programs to
// Graph Execution") selected its bug-fix commits by message keywords with gitcproc; classify_bug_fix() applies
// the same kind of rule, from an editable catalogue (data/bug_fix_keywords.txt, whose header documents the
// matching), so that queries can compare fixes to other commits and link them to the issues they close.
//
// Both functions read messages as bytes: any text, including invalid UTF-8, is accepted and nothing throws.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hm::detectors {

// The parsed bug-fix catalogue. Every term is lower-case ASCII letters, digits or '_'.
struct BugFixRules {
  std::vector<std::string> keywords;               // stems that mark a fix on their own ("fix", "bug")
  std::vector<std::string> with_issue_reference;   // stems that mark a fix only before an issue reference
  std::vector<std::vector<std::string>> excluded;  // words or phrases (as words) that never mark a fix

  // Parses the catalogue format (see data/bug_fix_keywords.txt). Throws hm::Error naming the line for an entry
  // outside a section, an unknown section, a term that is not lower-case word characters, a term listed twice,
  // or a catalogue without keywords.
  static BugFixRules parse(std::string_view catalogue_text);
};

// The text of data/bug_fix_keywords.txt as compiled into the binary (a unit test keeps the two identical).
std::string_view default_bug_fix_catalogue();

// default_bug_fix_catalogue(), parsed once.
const BugFixRules& default_bug_fix_rules();

struct BugFixMatch {
  bool is_bug_fix = false;
  std::string rule;          // the catalogue stem that matched ("fix"), empty when none did
  std::string matched_text;  // the word as written in the message ("Fixes"), empty when none matched
};

// The first word of the message (in text order) that is not covered by an excluded word or phrase and that a
// keyword matches, or that a with-issue-reference stem matches and an issue reference directly follows (spaces,
// tabs and one ':' may sit between them). When one word matches several stems, the longest stem is the rule.
BugFixMatch classify_bug_fix(std::string_view message, const BugFixRules& rules = default_bug_fix_rules());

struct IssueReference {
  std::optional<std::string> repository;  // "owner/repo" when named, nullopt for the commit's own repository
  std::int64_t number = 0;
  std::string kind;  // "closes" after a closing keyword: close(s|d), fix(es|ed), resolve(s|d); else "mention"
  std::string text;  // the reference as written, without the keyword: "#12", "GH-12", "owner/repo#12", a URL

  bool operator==(const IssueReference&) const = default;
};

// Issue and pull-request references, in order of first appearance, one per (repository, number): the
// strongest kind wins ("closes" over "mention"), with the text of the occurrence that gave it. Recognised:
//   #12, (#12)                            a '#' at the start or after whitespace or ([{<>,;:!*"'` or a non-ASCII byte
//   GH-12 (any case)                      at the same places
//   owner/repo#12                         at the same places
//   http(s)://(www.)github.com/owner/repo/issues/12 and .../pull/12, also without the scheme
// The number has 1 to 9 digits, no leading zero, and no word character after it. Not references: "#" before
// a non-digit (#fff, #1a2b3c, markdown headings), "C#", "abc#12", "&#39;", anything else inside a URL
// (example.com/page#12), and "issue 12" without '#' (too often a step or a count). An all-digit hex colour
// (#123456) cannot be told apart and is a reference. A URL names its repository even when it is the commit's
// own, so it is not merged with a bare #12 of the same number.
std::vector<IssueReference> find_issue_references(std::string_view message);

}  // namespace hm::detectors

#include "detectors/commit_message.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <utility>

#include "util/error.hpp"

namespace hm::detectors {
namespace {

// A byte-for-byte copy of data/bug_fix_keywords.txt (the unit tests compare them). It is a string here rather
// than a file embedded by the build so that this module needs no build rule of its own. The literal's first
// newline is dropped so that its lines line up with the file's.
constexpr std::string_view kDefaultCatalogue = std::string_view(R"catalogue(
# Commit-message keywords that mark a bug-fix commit (hm::detectors::classify_bug_fix).
#
# The MSR 2022 study "Challenges in Migrating Imperative Deep Learning Programs to Graph Execution" found its
# bug-fix commits with gitcproc, which counts a commit as a fix when a word of its message stems to one of the
# nine keywords of Ray et al. (FSE 2014): error, bug, fix, issue, mistake, incorrect, fault, defect, flaw.
# This catalogue keeps those nine and adds a few forms the stems miss.
#
# Format: one entry per line, `term<TAB>comment` (the comment is optional); blank lines and lines starting with
# `#` are ignored; terms are lower case. A [section] line says what the entries below it are:
#   [keywords]              stems; a word of the message that is a stem or an inflection of it marks a fix
#   [with-issue-reference]  stems that mark a fix only when an issue reference follows ("Resolves #12")
#   [exclude]               exact words, or phrases of words separated by one space: where one occurs in a
#                           message (whatever separates its words there: "error-handling"), its words never
#                           mark a fix
#
# Matching: the message is lower-cased (ASCII) and cut into words, runs of letters, digits and `_` (as regex \w;
# other bytes, including non-ASCII ones, separate words). A word matches stem S when it is S followed by "",
# "s", "es", "ed", "ing", "y" or "ly"; when S ends in "e", also S + "d" and S without its "e" + "ing"; when S ends
# in a consonant, also S with that consonant doubled + "ed", "ing" or "y" (bugged, buggy). Other forms are entries
# of their own. A word must start with the stem, so debug, prefix, suffix, affix, terror, mirror and tissue
# never match.
#
# The binary holds a copy of this file (kDefaultCatalogue in detectors/commit_message.cpp); a unit test fails
# when the two differ, so edit both.

[keywords]
# The study's keywords.
error	errors, errored, erroring; "error handling" counts too, as it did in the study (see [exclude])
bug	bugs, buggy, bugged; not debug, debugger, debugging: making bugs visible is not fixing them
fix	fixes, fixed, fixing; not prefix, suffix, affix, fixture
issue	issues; not issuer, tissue; issued and issuing are excluded below
mistake	mistakes
mistaken	mistakenly; not an inflection of "mistake" by the rule above
incorrect	incorrectly
fault	faults, faulty
defect	defects
defective	not an inflection of "defect" by the rule above
flaw	flaws, flawed
# Beyond the study's list.
crash	crashes, crashed, crashing
segfault	segfaults; a crash by another name
bugfix	bugfixes; one word, so neither "bug" nor "fix" matches it
hotfix	hotfixes
fixup	fixups; also git's "fixup!" commits
# Deliberately absent:
#   patch  image patches, ViT patch embeddings, monkey-patching and patch releases far outnumber fixes
#   debug  adding logging or a debugger hook is not a fix
#   close  GitHub's closing keywords also close feature requests

[with-issue-reference]
resolve	resolves, resolved, resolving; "Resolves #12" counts, "Resolve merge conflicts" does not

[exclude]
# The rules above cannot reach most false friends; these are the ones they can, or nearly can.
issued	"a warning is issued": issue as a verb means emit
issuing	as for issued
issuer	also rejected by the inflection rule
issuers	also rejected by the inflection rule
fixture	test fixtures; also rejected by the inflection rule
fixtures	as for fixture
# Uncomment to stop counting "Improve error handling" (the study counted it; "Fix error handling" still counts):
#error handling
)catalogue").substr(1);

// ---- Bytes. Only ASCII is classified; every other byte, valid UTF-8 or not, is "other".

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_word_char(char c) { return is_lower(c) || is_upper(c) || is_digit(c) || c == '_'; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_space(char c) { return is_blank(c) || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), to_lower);
  return out;
}

bool starts_with_ignoring_case(std::string_view text, std::size_t pos, std::string_view lower_prefix) {
  if (text.size() - pos < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    if (to_lower(text[pos + i]) != lower_prefix[i]) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// ---- Words and stems.

struct Word {
  std::size_t begin;
  std::size_t end;
  std::string lower;  // lower-cased copy of message[begin, end)
};

std::vector<Word> split_words(std::string_view text) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_word_char(text[i])) {
      ++i;
      continue;
    }
    const auto begin = i;
    while (i < text.size() && is_word_char(text[i])) ++i;
    words.push_back({begin, i, lower(text.substr(begin, i - begin))});
  }
  return words;
}

template <std::size_t N>
bool is_one_of(std::string_view text, const std::array<std::string_view, N>& options) {
  return std::find(options.begin(), options.end(), text) != options.end();
}

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// The inflection rule documented in data/bug_fix_keywords.txt. `word` and `stem` are lower case.
bool is_inflection_of(std::string_view word, std::string_view stem) {
  constexpr std::array<std::string_view, 7> kSuffixes{"", "s", "es", "ed", "ing", "y", "ly"};
  constexpr std::array<std::string_view, 3> kAfterDoubling{"ed", "ing", "y"};
  if (stem.empty()) return false;
  const char last = stem.back();
  if (word.starts_with(stem)) {
    const auto rest = word.substr(stem.size());
    if (is_one_of(rest, kSuffixes)) return true;
    if (last == 'e' && rest == "d") return true;                                              // resolved
    if (is_lower(last) && !is_vowel(last) && rest.size() > 1 && rest.front() == last &&       // bugged, buggy
        is_one_of(rest.substr(1), kAfterDoubling)) {
      return true;
    }
  }
  if (last == 'e' && stem.size() > 1) {  // resolving
    const auto base = stem.substr(0, stem.size() - 1);
    return word.size() == base.size() + 3 && word.starts_with(base) && word.ends_with("ing");
  }
  return false;
}

// The longest stem of which `word` is an inflection, or nullptr.
const std::string* longest_matching_stem(std::string_view word, const std::vector<std::string>& stems) {
  const std::string* best = nullptr;
  for (const auto& stem : stems) {
    if (is_inflection_of(word, stem) && (best == nullptr || stem.size() > best->size())) best = &stem;
  }
  return best;
}

// ---- Issue references.

// A reference found in the text, before deduplication; [begin, end) is its text.
struct FoundReference {
  IssueReference reference;
  std::size_t begin;
  std::size_t end;
};

// Whether a reference may start at `pos`: GitHub links #12 after whitespace and punctuation, not after a word
// character ("C#", "abc#12"), '/' (URL anchors), '&' (HTML entities such as &#39;) or '#'. Non-ASCII bytes
// count as punctuation so that references written inside Chinese text, common in deep-learning projects, are
// found.
bool may_start_reference(std::string_view text, std::size_t pos) {
  if (pos == 0) return true;
  const char before = text[pos - 1];
  if (static_cast<unsigned char>(before) >= 0x80 || is_space(before)) return true;
  return std::string_view("([{<>,;:!*\"'`").find(before) != std::string_view::npos;
}

// An issue number at `pos`: 1 to 9 digits without a leading zero, then no word character. On success returns
// the number and moves `pos` past it.
std::optional<std::int64_t> parse_number(std::string_view text, std::size_t& pos) {
  std::size_t end = pos;
  while (end < text.size() && is_digit(text[end])) ++end;
  const auto digits = end - pos;
  if (digits == 0 || digits > 9 || text[pos] == '0') return std::nullopt;
  if (end < text.size() && is_word_char(text[end])) return std::nullopt;
  std::int64_t number = 0;
  for (auto i = pos; i < end; ++i) number = number * 10 + (text[i] - '0');
  pos = end;
  return number;
}

// Length of the run at `pos` of characters in a GitHub owner (letters, digits, '-') or repository name (also
// '.' and '_').
std::size_t name_length(std::string_view text, std::size_t pos, bool is_repository) {
  auto end = pos;
  while (end < text.size()) {
    const char c = text[end];
    const bool ok = is_lower(c) || is_upper(c) || is_digit(c) || c == '-' || (is_repository && (c == '.' || c == '_'));
    if (!ok) break;
    ++end;
  }
  return end - pos;
}

// "owner/repo" at `pos`, moving `pos` past it.
std::optional<std::string> parse_repository(std::string_view text, std::size_t& pos) {
  const auto owner = name_length(text, pos, false);
  if (owner == 0 || owner > 39 || pos + owner >= text.size() || text[pos + owner] != '/') return std::nullopt;
  const auto repository = name_length(text, pos + owner + 1, true);
  if (repository == 0 || repository > 100) return std::nullopt;
  const auto end = pos + owner + 1 + repository;
  std::string name(text.substr(pos, end - pos));
  pos = end;
  return name;
}

// [http[s]://][www.]github.com/owner/repo/(issues|pull)/N at `pos`.
std::optional<FoundReference> parse_github_url(std::string_view text, std::size_t pos) {
  auto p = pos;
  if (starts_with_ignoring_case(text, p, "https://")) {
    p += 8;
  } else if (starts_with_ignoring_case(text, p, "http://")) {
    p += 7;
  }
  if (starts_with_ignoring_case(text, p, "www.")) p += 4;
  if (!starts_with_ignoring_case(text, p, "github.com/")) return std::nullopt;
  p += 11;
  auto repository = parse_repository(text, p);
  if (!repository || p >= text.size() || text[p] != '/') return std::nullopt;
  ++p;
  if (starts_with_ignoring_case(text, p, "issues/")) {
    p += 7;
  } else if (starts_with_ignoring_case(text, p, "pull/")) {
    p += 5;
  } else {
    return std::nullopt;
  }
  const auto number = parse_number(text, p);
  if (!number) return std::nullopt;
  return FoundReference{{std::move(repository), *number, "mention", std::string(text.substr(pos, p - pos))}, pos, p};
}

// owner/repo#N, GH-N or #N at `pos`, which may_start_reference() allows.
std::optional<FoundReference> parse_short_reference(std::string_view text, std::size_t pos) {
  const auto make = [&](std::optional<std::string> repository, std::int64_t number, std::size_t end) {
    std::string written(text.substr(pos, end - pos));
    return FoundReference{{std::move(repository), number, "mention", std::move(written)}, pos, end};
  };
  auto p = pos + 1;
  if (text[pos] == '#') {
    const auto number = parse_number(text, p);
    return number ? std::optional(make(std::nullopt, *number, p)) : std::nullopt;
  }
  p = pos + 3;
  if (starts_with_ignoring_case(text, pos, "gh-")) {
    if (const auto number = parse_number(text, p)) return make(std::nullopt, *number, p);
  }
  p = pos;  // owner/repo#N; an owner may start with "gh-"
  auto repository = parse_repository(text, p);
  if (!repository || p >= text.size() || text[p] != '#') return std::nullopt;
  ++p;
  const auto number = parse_number(text, p);
  return number ? std::optional(make(std::move(repository), *number, p)) : std::nullopt;
}

// "closes" when a GitHub closing keyword precedes the reference at `begin`, separated by spaces or tabs and at
// most one ':' ("Fixes #1", "closes: #1").
std::string kind_of_reference_at(std::string_view text, std::size_t begin) {
  constexpr std::array<std::string_view, 9> kClosingKeywords{"close", "closes",  "closed",  "fix",     "fixes",
                                                             "fixed", "resolve", "resolves", "resolved"};
  auto p = begin;
  while (p > 0 && is_blank(text[p - 1])) --p;
  if (p > 0 && text[p - 1] == ':') {
    --p;
    while (p > 0 && is_blank(text[p - 1])) --p;
  }
  if (p == begin) return "mention";
  const auto word_end = p;
  while (p > 0 && is_word_char(text[p - 1])) --p;
  return is_one_of(lower(text.substr(p, word_end - p)), kClosingKeywords) ? "closes" : "mention";
}

// Every reference in text order, duplicates included. Nothing inside a URL other than a GitHub issue or pull
// URL is a reference, so a URL that is not one is skipped whole.
std::vector<FoundReference> scan_references(std::string_view text) {
  std::vector<FoundReference> found;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool has_scheme =
        starts_with_ignoring_case(text, i, "http://") || starts_with_ignoring_case(text, i, "https://");
    const bool may_start = may_start_reference(text, i);
    std::optional<FoundReference> reference;
    if (has_scheme || may_start) reference = parse_github_url(text, i);
    if (!reference && has_scheme) {
      while (i < text.size() && !is_space(text[i])) ++i;
      continue;
    }
    if (!reference && may_start) reference = parse_short_reference(text, i);
    if (!reference) {
      ++i;
      continue;
    }
    reference->reference.kind = kind_of_reference_at(text, reference->begin);
    i = reference->end;
    found.push_back(std::move(*reference));
  }
  return found;
}

// Whether a reference starts at `pos` once spaces, tabs and one ':' are skipped.
bool reference_follows(std::string_view text, std::size_t pos, const std::vector<FoundReference>& references) {
  while (pos < text.size() && is_blank(text[pos])) ++pos;
  if (pos < text.size() && text[pos] == ':') ++pos;
  while (pos < text.size() && is_blank(text[pos])) ++pos;
  // scan_references() returns them in text order.
  const auto before = [](const FoundReference& reference, std::size_t at) { return reference.begin < at; };
  const auto found = std::lower_bound(references.begin(), references.end(), pos, before);
  return found != references.end() && found->begin == pos;
}

// ---- Catalogue parsing.

[[noreturn]] void fail(std::size_t line_number, const std::string& what) {
  throw Error("bug-fix catalogue line " + std::to_string(line_number) + ": " + what);
}

// Checks that `term` is one lower-case word and returns it.
std::string parse_word(std::string_view term, std::size_t line_number) {
  const auto quoted = "'" + std::string(term) + "'";
  if (std::any_of(term.begin(), term.end(), is_upper)) fail(line_number, quoted + " is not lower case");
  if (term.empty() || !std::all_of(term.begin(), term.end(), is_word_char)) {
    fail(line_number, quoted + " is not one word of letters, digits and '_'");
  }
  return std::string(term);
}

}  // namespace

BugFixRules BugFixRules::parse(std::string_view catalogue_text) {
  enum class Section { none, keywords, with_issue_reference, excluded };
  BugFixRules rules;
  auto section = Section::none;
  std::size_t line_number = 0;
  while (!catalogue_text.empty()) {
    ++line_number;
    const auto newline = catalogue_text.find('\n');
    const auto line = catalogue_text.substr(0, newline);
    catalogue_text.remove_prefix(newline == std::string_view::npos ? catalogue_text.size() : newline + 1);

    const auto trimmed = trim(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    if (trimmed.front() == '[') {
      if (trimmed == "[keywords]") {
        section = Section::keywords;
      } else if (trimmed == "[with-issue-reference]") {
        section = Section::with_issue_reference;
      } else if (trimmed == "[exclude]") {
        section = Section::excluded;
      } else {
        fail(line_number, "unknown section " + std::string(trimmed));
      }
      continue;
    }
    const auto term = trim(line.substr(0, line.find('\t')));
    if (term.empty()) fail(line_number, "an entry starts with its term, then a tab and a comment");

    switch (section) {
      case Section::none:
        fail(line_number, "entry before the first [section]");
      case Section::keywords:
      case Section::with_issue_reference: {
        auto stem = parse_word(term, line_number);
        const auto listed = [&](const std::vector<std::string>& stems) {
          return std::find(stems.begin(), stems.end(), stem) != stems.end();
        };
        if (listed(rules.keywords) || listed(rules.with_issue_reference)) {
          fail(line_number, "'" + stem + "' is listed twice");
        }
        (section == Section::keywords ? rules.keywords : rules.with_issue_reference).push_back(std::move(stem));
        break;
      }
      case Section::excluded: {
        std::vector<std::string> phrase;
        std::size_t start = 0;
        while (true) {
          const auto space = term.find(' ', start);
          const auto word = space == std::string_view::npos ? term.substr(start) : term.substr(start, space - start);
          if (word.empty()) fail(line_number, "the words of a phrase are separated by one space");
          phrase.push_back(parse_word(word, line_number));
          if (space == std::string_view::npos) break;
          start = space + 1;
        }
        if (std::find(rules.excluded.begin(), rules.excluded.end(), phrase) != rules.excluded.end()) {
          fail(line_number, "'" + std::string(term) + "' is listed twice");
        }
        rules.excluded.push_back(std::move(phrase));
        break;
      }
    }
  }
  if (rules.keywords.empty()) throw Error("bug-fix catalogue has no [keywords] entries");
  return rules;
}

std::string_view default_bug_fix_catalogue() { return kDefaultCatalogue; }

const BugFixRules& default_bug_fix_rules() {
  static const BugFixRules rules = BugFixRules::parse(kDefaultCatalogue);
  return rules;
}

BugFixMatch classify_bug_fix(std::string_view message, const BugFixRules& rules) {
  const auto words = split_words(message);

  // Words covered by an excluded word or phrase never match.
  std::vector<bool> excluded(words.size(), false);
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (const auto& phrase : rules.excluded) {
      if (i + phrase.size() > words.size()) continue;
      bool same = true;
      for (std::size_t k = 0; k < phrase.size() && same; ++k) same = words[i + k].lower == phrase[k];
      if (same) std::fill_n(excluded.begin() + static_cast<std::ptrdiff_t>(i), phrase.size(), true);
    }
  }

  std::optional<std::vector<FoundReference>> references;  // scanned when first needed
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (excluded[i]) continue;
    const auto& word = words[i];
    const auto as_written = [&] { return std::string(message.substr(word.begin, word.end - word.begin)); };
    if (const auto* stem = longest_matching_stem(word.lower, rules.keywords)) return {true, *stem, as_written()};
    if (const auto* stem = longest_matching_stem(word.lower, rules.with_issue_reference)) {
      if (!references) references = scan_references(message);
      if (reference_follows(message, word.end, *references)) return {true, *stem, as_written()};
    }
  }
  return {};
}

std::vector<IssueReference> find_issue_references(std::string_view message) {
  std::vector<IssueReference> references;
  std::map<std::pair<std::string, std::int64_t>, std::size_t> index;  // (lower-case repository or "", number)
  for (auto& found : scan_references(message)) {
    auto& reference = found.reference;
    auto key = std::make_pair(reference.repository ? lower(*reference.repository) : std::string(), reference.number);
    const auto [it, inserted] = index.emplace(std::move(key), references.size());
    if (inserted) {
      references.push_back(std::move(reference));
    } else if (reference.kind == "closes" && references[it->second].kind != "closes") {
      references[it->second].kind = "closes";
      references[it->second].text = std::move(reference.text);
      references[it->second].repository = std::move(reference.repository);
    }
  }
  return references;
}

}  // namespace hm::detectors

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detectors/commit_message.hpp"
#include "util/error.hpp"

using hm::detectors::BugFixMatch;
using hm::detectors::BugFixRules;
using hm::detectors::classify_bug_fix;
using hm::detectors::default_bug_fix_catalogue;
using hm::detectors::default_bug_fix_rules;
using hm::detectors::find_issue_references;
using hm::detectors::IssueReference;

namespace {

bool is_fix(std::string_view message) { return classify_bug_fix(message).is_bug_fix; }

// "rule/matched_text" for a match, "-" for none, so that a failed CHECK shows what did match.
std::string verdict(std::string_view message, const BugFixRules& rules = default_bug_fix_rules()) {
  const auto match = classify_bug_fix(message, rules);
  if (!match.is_bug_fix) {
    CHECK(match.rule.empty());
    CHECK(match.matched_text.empty());
    return "-";
  }
  return match.rule + "/" + match.matched_text;
}

// One line per reference: "kind repository#number 'text'", repository empty for the commit's own.
std::string refs(std::string_view message) {
  std::string out;
  for (const auto& reference : find_issue_references(message)) {
    if (!out.empty()) out += "\n";
    out += reference.kind + " " + reference.repository.value_or("") + "#" + std::to_string(reference.number) + " '" +
           reference.text + "'";
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  for (const auto& entry : list) {
    if (entry == item) return true;
  }
  return false;
}

}  // namespace

// ---- The catalogue.

TEST_CASE("bug-fix catalogue: the built-in copy equals data/bug_fix_keywords.txt", "[commit_message]") {
  const auto file = read_file(std::string(HM_SOURCE_DIR) + "/data/bug_fix_keywords.txt");
  CHECK(file == std::string(default_bug_fix_catalogue()));
}

TEST_CASE("bug-fix catalogue: the default rules", "[commit_message]") {
  const auto& rules = default_bug_fix_rules();
  for (const auto* stem : {"error", "bug", "fix", "issue", "mistake", "incorrect", "fault", "defect", "flaw"}) {
    INFO(stem);
    CHECK(contains(rules.keywords, stem));  // the study's nine
  }
  for (const auto* stem : {"crash", "segfault", "bugfix", "hotfix", "fixup", "mistaken", "defective"}) {
    INFO(stem);
    CHECK(contains(rules.keywords, stem));
  }
  for (const auto* absent : {"patch", "debug", "close", "resolve"}) {
    INFO(absent);
    CHECK_FALSE(contains(rules.keywords, absent));
  }
  CHECK(rules.with_issue_reference == std::vector<std::string>{"resolve"});
  const std::vector<std::vector<std::string>> excluded{{"issued"},  {"issuing"},  {"issuer"},
                                                       {"issuers"}, {"fixture"}, {"fixtures"}};
  CHECK(rules.excluded == excluded);
  CHECK(&default_bug_fix_rules() == &rules);  // parsed once
}

TEST_CASE("BugFixRules::parse: format details", "[commit_message]") {
  const auto rules = BugFixRules::parse(
      "# comment\r\n"
      "\r\n"
      "  [keywords]  \r\n"
      "fix\tthe comment\r\n"
      "bug \t spaces before the tab are trimmed\n"
      "oops\n"
      "    # an indented comment\n"
      "[with-issue-reference]\n"
      "close\tcloses #N\n"
      "[exclude]\n"
      "fixture\n"
      "error handling\tphrase\n"
      "[keywords]\n"
      "crash");  // no final newline, and a section may come back
  CHECK(rules.keywords == std::vector<std::string>{"fix", "bug", "oops", "crash"});
  CHECK(rules.with_issue_reference == std::vector<std::string>{"close"});
  CHECK(rules.excluded == std::vector<std::vector<std::string>>{{"fixture"}, {"error", "handling"}});
}

TEST_CASE("BugFixRules::parse: errors name the line", "[commit_message]") {
  using Catch::Matchers::Contains;
  CHECK_THROWS_AS(BugFixRules::parse("fix\tbefore any section\n"), hm::Error);
  CHECK_THROWS_WITH(BugFixRules::parse("# c\nfix\n"), Contains("line 2") && Contains("before the first [section]"));
  CHECK_THROWS_WITH(BugFixRules::parse("[keywords]\nfix\n[synonyms]\n"), Contains("line 3") && Contains("[synonyms]"));
  CHECK_THROWS_WITH(BugFixRules::parse("[keywords]\nFix\n"), Contains("line 2") && Contains("'Fix' is not lower case"));
  CHECK_THROWS_WITH(BugFixRules::parse("[keywords]\nfix comment\n"), Contains("line 2") && Contains("one word"));
  CHECK_THROWS_WITH(BugFixRules::parse("[keywords]\nbug-fix\n"), Contains("one word"));
  CHECK_THROWS_WITH(BugFixRules::parse("[keywords]\n\tcomment only\n"), Contains("line 2"));
  CHECK_THROWS_WITH(BugFixRules::parse("[keywords]\nfix\nbug\nfix\n"), Contains("line 4") && Contains("twice"));
  CHECK_THROWS_WITH(BugFixRules::parse("[keywords]\nfix\n[with-issue-reference]\nfix\n"), Contains("twice"));
  CHECK_THROWS_WITH(BugFixRules::parse("[keywords]\nfix\n[exclude]\nerror  handling\n"), Contains("one space"));
  CHECK_THROWS_WITH(BugFixRules::parse("[keywords]\nfix\n[exclude]\nfixture\nfixture\n"), Contains("twice"));
  CHECK_THROWS_WITH(BugFixRules::parse("[keywords]\nfix\n[exclude]\nError\n"), Contains("not lower case"));
  CHECK_THROWS_WITH(BugFixRules::parse(""), Contains("no [keywords]"));
  CHECK_THROWS_WITH(BugFixRules::parse("[with-issue-reference]\nresolve\n"), Contains("no [keywords]"));
}

// ---- classify_bug_fix.

TEST_CASE("classify_bug_fix: every keyword and its inflections", "[commit_message]") {
  // stem → the words it must match
  const std::vector<std::pair<std::string, std::vector<std::string>>> forms{
      {"fix", {"fix", "fixes", "fixed", "fixing"}},
      {"fixup", {"fixup", "fixups"}},
      {"bugfix", {"bugfix", "bugfixes", "bugfixing"}},
      {"hotfix", {"hotfix", "hotfixes"}},
      {"bug", {"bug", "bugs", "buggy", "bugged"}},
      {"error", {"error", "errors", "errored", "erroring"}},
      {"issue", {"issue", "issues"}},
      {"mistake", {"mistake", "mistakes"}},
      {"mistaken", {"mistaken", "mistakenly"}},
      {"incorrect", {"incorrect", "incorrectly"}},
      {"fault", {"fault", "faults", "faulty"}},
      {"defect", {"defect", "defects"}},
      {"defective", {"defective"}},
      {"flaw", {"flaw", "flaws", "flawed"}},
      {"crash", {"crash", "crashes", "crashed", "crashing"}},
      {"segfault", {"segfault", "segfaults"}},
  };
  for (const auto& [rule, words] : forms) {
    for (const auto& word : words) {
      const auto message = "Update the loss: " + word + " in tf.function tracing";
      INFO(message);
      CHECK(verdict(message) == rule + "/" + word);
    }
  }
}

TEST_CASE("classify_bug_fix: false friends do not match", "[commit_message]") {
  for (const auto* message : {
           "Add a prefix to variable names",      "Strip the suffix from checkpoint paths",
           "Affix the version to the wheel",      "Add a pytest fixture for the model",
           "Move fixtures to conftest.py",        "Use the debugger in notebooks",
           "Enable debugging output for autograph", "debug: print traced shapes",
           "Add terror.py example",               "Mirror the strategy across devices",
           "Validate the token issuer",           "Support several issuers",
           "Segment tissue images with a U-Net",  "A warning is issued when retracing",
           "Stop issuing retracing warnings",     "Prefixes, suffixed names and affixes",
           "Flawless speedup with XLA",           "Use 16x16 patches for the ViT",
           "Monkey-patch tf.function in tests",   "Close the session after training",
           "Resolve merge conflicts",             "Resolved the path of the dataset",
           "Add ladybug and humbug datasets",     "Raise ValueError on bad shapes",
           "Rename fix_seed to set_seed",         "Add error_handler hook",
           "fix2 and bug3 are test names",        "Errorless refactor",
       }) {
    INFO(message);
    CHECK(verdict(message) == "-");
  }
}

TEST_CASE("classify_bug_fix: words as written, any case", "[commit_message]") {
  CHECK(verdict("Fixes retracing in the training loop") == "fix/Fixes");
  CHECK(verdict("FIX: NaN loss") == "fix/FIX");
  CHECK(verdict("BUG in autograph") == "bug/BUG");
  CHECK(verdict("Handle the bUgFiX") == "bugfix/bUgFiX");
  CHECK(verdict("the model CRASHES on TPU") == "crash/CRASHES");
  CHECK(verdict("Incorrectly cached graph") == "incorrect/Incorrectly");
  CHECK(verdict("Update fixtures and FiXeD a typo") == "fix/FiXeD");
}

TEST_CASE("classify_bug_fix: word boundaries", "[commit_message]") {
  CHECK(verdict("bug-fix for the data loader") == "bug/bug");
  CHECK(verdict("Merge branch 'bugfix/loader'") == "bugfix/bugfix");
  CHECK(verdict("Merge pull request #12 from alice/fix-retracing") == "fix/fix");
  CHECK(verdict("[fix] loader") == "fix/fix");
  CHECK(verdict("fix(ops): shapes") == "fix/fix");
  CHECK(verdict("\"fixed\"") == "fix/fixed");
  CHECK(verdict("fixup! Use tf.function") == "fixup/fixup");
  CHECK(verdict("tf.errors.InvalidArgumentError") == "error/errors");  // a module name is a word too
  CHECK(verdict("fix_seed") == "-");                                   // '_' joins words, as in regex \w
  CHECK(verdict("add_bug_report_template") == "-");
}

TEST_CASE("classify_bug_fix: the first matching word wins", "[commit_message]") {
  CHECK(verdict("Refactor the bug tracker; also fixes a crash") == "bug/bug");
  CHECK(verdict("Crash in tf.function: fix retracing") == "crash/Crash");
}

TEST_CASE("classify_bug_fix: a keyword deep inside a long multi-line message", "[commit_message]") {
  std::string message = "Refactor the input pipeline\n\n";
  for (int i = 0; i < 400; ++i) message += "Move the dataset code into its own module and update the callers.\n";
  message += "\nThis also Resolves the retracing ERRORS seen with variable batch sizes.\n\n";
  for (int i = 0; i < 400; ++i) message += "* Rename a helper; keep the old name as an alias for a release.\r\n";
  message += "Signed-off-by: A Developer <dev@example.com>\n";
  CHECK(verdict(message) == "error/ERRORS");
}

TEST_CASE("classify_bug_fix: empty and keyword-free messages", "[commit_message]") {
  const BugFixMatch none = classify_bug_fix("");
  CHECK_FALSE(none.is_bug_fix);
  CHECK(none.rule.empty());
  CHECK(none.matched_text.empty());
  CHECK(verdict(" \n\t\r\n") == "-");
  CHECK(verdict("!!! ??? ...") == "-");
  CHECK(verdict("Use tf.function for the training step") == "-");
  CHECK(verdict("Initial commit") == "-");
}

TEST_CASE("classify_bug_fix: invalid UTF-8 and other bytes", "[commit_message]") {
  CHECK(verdict("\xff\xfe fix \xc3") == "fix/fix");
  CHECK(verdict("fix\xff\x80" "crash") == "fix/fix");  // non-ASCII bytes separate words
  CHECK(verdict("\x80\x81\x82\xc0\xc1\xf5\xff") == "-");
  CHECK(verdict(std::string_view("\0bug\0", 5)) == "bug/bug");
  CHECK(verdict(std::string_view("no\0thing", 8)) == "-");
  CHECK(verdict("\xe4\xbf\xae\xe5\xa4\x8d" "bug") == "bug/bug");  // 修复bug: Chinese text next to the keyword
  CHECK(verdict("\xe4\xbf\xae\xe5\xa4\x8d\xe9\x94\x99\xe8\xaf\xaf") == "-");  // 修复错误: no ASCII keyword
  CHECK(verdict("caf\xc3\xa9 fixes") == "fix/fixes");
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes += static_cast<char>(b);
  CHECK_NOTHROW(classify_bug_fix(all_bytes));
  CHECK_NOTHROW(find_issue_references(all_bytes));
}

TEST_CASE("classify_bug_fix: error handling counts by default, the catalogue can exclude it", "[commit_message]") {
  CHECK(verdict("Improve error handling in the data loader") == "error/error");
  auto catalogue = std::string(default_bug_fix_catalogue());
  const auto commented = catalogue.find("#error handling");
  REQUIRE(commented != std::string::npos);
  catalogue.erase(commented, 1);  // uncomment it
  const auto rules = BugFixRules::parse(catalogue);
  CHECK(verdict("Improve error handling in the data loader", rules) == "-");
  CHECK(verdict("Improve ERROR-handling", rules) == "-");
  CHECK(verdict("Fix error handling", rules) == "fix/Fix");
  CHECK(verdict("Better error handling; errors are logged", rules) == "error/errors");
  CHECK(verdict("Report the error to the user", rules) == "error/error");
}

TEST_CASE("classify_bug_fix: resolve counts only before an issue reference", "[commit_message]") {
  CHECK(verdict("Resolves #12") == "resolve/Resolves");
  CHECK(verdict("Speed up tracing.\n\nresolved: #3") == "resolve/resolved");
  CHECK(verdict("Resolve GH-7") == "resolve/Resolve");
  CHECK(verdict("resolving tensorflow/tensorflow#9") == "resolve/resolving");
  CHECK(verdict("Resolves https://github.com/o/r/issues/4") == "resolve/Resolves");
  CHECK(verdict("Resolve merge conflicts") == "-");
  CHECK(verdict("Resolve the path; see #12") == "-");
  CHECK(verdict("Resolves\n#12") == "-");
  CHECK(verdict("Resolves #fff") == "-");
  CHECK(verdict("Resolves issue 12") == "issue/issue");  // matched by "issue", not by the resolve rule
}

TEST_CASE("classify_bug_fix: custom rules", "[commit_message]") {
  const auto rules = BugFixRules::parse("[keywords]\nfix\nfixe\noops\n[exclude]\nfixed point\n");
  CHECK(verdict("fixes", rules) == "fixe/fixes");  // the longest stem of those that match
  CHECK(verdict("fix", rules) == "fix/fix");
  CHECK(verdict("Oops", rules) == "oops/Oops");
  CHECK(verdict("a bug", rules) == "-");
  CHECK(verdict("Use fixed-point math", rules) == "-");
  CHECK(verdict("Use fixed point math, fixed the overflow", rules) == "fixe/fixed");
  CHECK(is_fix("a bug"));  // the default rules are untouched
}

// ---- find_issue_references.

TEST_CASE("find_issue_references: #N", "[commit_message]") {
  CHECK(refs("See #123") == "mention #123 '#123'");
  CHECK(refs("#7 at the start") == "mention #7 '#7'");
  CHECK(refs("Speed up tracing (#4567)") == "mention #4567 '#4567'");
  CHECK(refs("[#1], {#2}, <#3>, \"#4\", '#5', `#6`, *#7*; #8: #9!") ==
        "mention #1 '#1'\nmention #2 '#2'\nmention #3 '#3'\nmention #4 '#4'\nmention #5 '#5'\n"
        "mention #6 '#6'\nmention #7 '#7'\nmention #8 '#8'\nmention #9 '#9'");
  CHECK(refs("end of sentence #12.") == "mention #12 '#12'");
  CHECK(refs("#123456789") == "mention #123456789 '#123456789'");  // up to nine digits
  CHECK(refs("colour #123456") == "mention #123456 '#123456'");     // an all-digit colour cannot be told apart
  CHECK(refs("\xe4\xbf\xae\xe5\xa4\x8d#12") == "mention #12 '#12'");  // 修复#12
  CHECK(refs("\xef\xbc\x88#12\xef\xbc\x89") == "mention #12 '#12'");  // （#12）
  CHECK(refs("\xff#12\xfe") == "mention #12 '#12'");
}

TEST_CASE("find_issue_references: GH-N", "[commit_message]") {
  CHECK(refs("Port GH-45 to 2.x") == "mention #45 'GH-45'");
  CHECK(refs("gh-45") == "mention #45 'gh-45'");
  CHECK(refs("(Gh-45)") == "mention #45 'Gh-45'");
  CHECK(refs("GH-") == "");
  CHECK(refs("GH-x1") == "");
  CHECK(refs("AGH-45") == "");
  CHECK(refs("GH-45a") == "");
}

TEST_CASE("find_issue_references: owner/repo#N", "[commit_message]") {
  CHECK(refs("Port tensorflow/tensorflow#12 here") == "mention tensorflow/tensorflow#12 'tensorflow/tensorflow#12'");
  CHECK(refs("fixes owner/repo#12") == "closes owner/repo#12 'owner/repo#12'");
  CHECK(refs("see tensorflow-io/my.repo_x-1#3") == "mention tensorflow-io/my.repo_x-1#3 'tensorflow-io/my.repo_x-1#3'");
  CHECK(refs("gh-user/repo#8") == "mention gh-user/repo#8 'gh-user/repo#8'");
  CHECK(refs("a/b/c#12") == "");  // a path, not owner/repo
  CHECK(refs("owner/repo#x") == "");
  CHECK(refs("owner/#1") == "");
}

TEST_CASE("find_issue_references: GitHub URLs", "[commit_message]") {
  CHECK(refs("See https://github.com/keras-team/keras/issues/12") ==
        "mention keras-team/keras#12 'https://github.com/keras-team/keras/issues/12'");
  CHECK(refs("Port https://github.com/pytorch/pytorch/pull/987.") ==
        "mention pytorch/pytorch#987 'https://github.com/pytorch/pytorch/pull/987'");
  CHECK(refs("http://www.github.com/o/r/issues/5#issuecomment-123") ==
        "mention o/r#5 'http://www.github.com/o/r/issues/5'");
  CHECK(refs("HTTPS://GitHub.com/O/R/pull/6/files") == "mention O/R#6 'HTTPS://GitHub.com/O/R/pull/6'");
  CHECK(refs("github.com/o/r/issues/7") == "mention o/r#7 'github.com/o/r/issues/7'");
  CHECK(refs("[the bug](https://github.com/o/r/issues/8)") == "mention o/r#8 'https://github.com/o/r/issues/8'");
  CHECK(refs("Fixes https://github.com/o/r/issues/9") == "closes o/r#9 'https://github.com/o/r/issues/9'");
  CHECK(refs("Closes: https://github.com/o/r/pull/10") == "closes o/r#10 'https://github.com/o/r/pull/10'");
  CHECK(refs("https://github.com/o/r/blob/main/model.py#L12") == "");
  CHECK(refs("https://github.com/o/r/commit/abc123#12") == "");
  CHECK(refs("https://github.com/o/r/issues/12abc") == "");
  CHECK(refs("https://github.com/o/r/issues") == "");
  CHECK(refs("https://github.com/o/r/pulls/3") == "");
}

TEST_CASE("find_issue_references: closing keywords", "[commit_message]") {
  for (const auto* keyword :
       {"close", "closes", "closed", "fix", "fixes", "fixed", "resolve", "resolves", "resolved"}) {
    const auto message = std::string(keyword) + " #12";
    INFO(message);
    CHECK(refs(message) == "closes #12 '#12'");
  }
  CHECK(refs("FIXES #1") == "closes #1 '#1'");
  CHECK(refs("Closes: #1") == "closes #1 '#1'");
  CHECK(refs("closes : \t#1") == "closes #1 '#1'");
  CHECK(refs("Fixed GH-5") == "closes #5 'GH-5'");
  CHECK(refs("bug-fixes #2") == "closes #2 '#2'");
  CHECK(refs("fixes #1, fixes #2") == "closes #1 '#1'\ncloses #2 '#2'");
  CHECK(refs("Fixes #1, #2") == "closes #1 '#1'\nmention #2 '#2'");  // as on GitHub, each needs its keyword
  CHECK(refs("fixing #1") == "mention #1 '#1'");
  CHECK(refs("prefixes #1") == "mention #1 '#1'");
  CHECK(refs("fixes\n#1") == "mention #1 '#1'");
  CHECK(refs("Fix loss scaling (#123)") == "mention #123 '#123'");  // a merge title's PR number
  CHECK(refs("fixes :: #1") == "mention #1 '#1'");
}

TEST_CASE("find_issue_references: one per issue, strongest kind, first position", "[commit_message]") {
  CHECK(refs("See #12.\n\nFixes #12") == "closes #12 '#12'");
  CHECK(refs("Refs #3, fixes #4, see #3, closes #4") == "mention #3 '#3'\ncloses #4 '#4'");
  CHECK(refs("#5 then GH-5") == "mention #5 '#5'");
  CHECK(refs("Owner/Repo#5 and fixes owner/repo#5") == "closes owner/repo#5 'owner/repo#5'");
  CHECK(refs("o/r#5 and https://github.com/o/r/issues/5") == "mention o/r#5 'o/r#5'");
  CHECK(refs("#5 and o/r#5") == "mention #5 '#5'\nmention o/r#5 'o/r#5'");  // the own repository is unknown
  CHECK(refs("#2 #1 #2 #3") == "mention #2 '#2'\nmention #1 '#1'\nmention #3 '#3'");

  const auto references = find_issue_references("See a/b#1, then fixes #1");
  REQUIRE(references.size() == 2);
  CHECK(references[0] == IssueReference{std::string("a/b"), 1, "mention", "a/b#1"});
  CHECK(references[1] == IssueReference{std::nullopt, 1, "closes", "#1"});
}

TEST_CASE("find_issue_references: every form in one message", "[commit_message]") {
  const auto message =
      "Fix retracing with variable batch sizes (#4321)\n"
      "\n"
      "tf.function retraced on every batch; see GH-100 and keras-team/keras#55,\n"
      "https://github.com/tensorflow/tensorflow/issues/39 and\n"
      "https://github.com/tensorflow/tensorflow/pull/40.\n"
      "\n"
      "Fixes #4000\n"
      "Resolves keras-team/keras#56\n";
  CHECK(refs(message) == "mention #4321 '#4321'\n"
                         "mention #100 'GH-100'\n"
                         "mention keras-team/keras#55 'keras-team/keras#55'\n"
                         "mention tensorflow/tensorflow#39 'https://github.com/tensorflow/tensorflow/issues/39'\n"
                         "mention tensorflow/tensorflow#40 'https://github.com/tensorflow/tensorflow/pull/40'\n"
                         "closes #4000 '#4000'\n"
                         "closes keras-team/keras#56 'keras-team/keras#56'");
}

TEST_CASE("find_issue_references: what is not a reference", "[commit_message]") {
  for (const auto* message : {
           "",
           "# Heading\n## 2 Results\n### 3. Notes\n#Heading",
           "#abc #fff #FFF #1a2b3c #12abc #12_3",
           "written in C# and F#12",
           "abc#12 x_#3 9#4",
           "issue 12, issue12, PR 5",
           "&#39;quoted&#39;",
           "https://example.com/page#12",
           "https://example.com/#12",
           "example.com/page#12 example.com/#12",
           "http://host/a/b#12, see?#3",
           "#0 #012 #1234567890",
           "##12 #-1 # 12",
           "GH 12, GH_12, GH-012",
           "fixes https://gitlab.com/o/r/issues/5",
       }) {
    INFO(message);
    CHECK(refs(message) == "");
  }
}

TEST_CASE("find_issue_references: a URL hides what is inside it, not what follows it", "[commit_message]") {
  CHECK(refs("https://example.com/x#1 #2") == "mention #2 '#2'");
  CHECK(refs("https://github.com/o/r/issues/1#2 #3") == "mention o/r#1 'https://github.com/o/r/issues/1'\n"
                                                        "mention #3 '#3'");
}

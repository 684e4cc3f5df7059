// The catalogue of candidate hybridization bug reports: the compiled-in copy, the parser's errors, the matching.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "github/report_rules.hpp"
#include "util/error.hpp"

using hm::github::classify_report;
using hm::github::ReportRules;

TEST_CASE("the compiled-in report rules are data/hybridization_bug_reports.txt", "[github][rules]") {
  std::ifstream in(std::string(HM_SOURCE_DIR) + "/data/hybridization_bug_reports.txt", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  CHECK(text.str() == hm::github::default_report_catalogue());
  const auto& rules = hm::github::default_report_rules();
  CHECK(rules.symptom_alone.front() == "retracing");
  CHECK(rules.apis.front() == "tf.function");
}

TEST_CASE("report rules: symptoms alone, API with symptom, and neither", "[github][rules]") {
  CHECK(classify_report("Excessive retracing", "").rule == "symptom-alone:retracing");
  CHECK(classify_report("bug", "AutoGraph could not transform <function f>").rule == "symptom-alone:autograph");
  CHECK(classify_report("torch.compile graph break on dict input", "").rule == "symptom-alone:graph break");
  CHECK(classify_report("jax.jit fails", "ConcretizationTypeError: abstract tracer").rule ==
        "symptom-alone:concretizationtypeerror");
  CHECK(classify_report("tf.function is slow", "").rule == "api:tf.function+symptom:slow");
  CHECK(classify_report("Use hybridize()", "NaN after a few steps").rule == "api:hybridize+symptom:nan");
  // An API without a symptom, a symptom without an API, and words that only contain a term.
  CHECK_FALSE(classify_report("Add tf.function to the model", "It is nicer.").is_candidate);
  CHECK_FALSE(classify_report("Crash on startup", "segfault in the loader").is_candidate);
  CHECK_FALSE(classify_report("jit_compile option", "an error").is_candidate);
  CHECK_FALSE(classify_report("Autographed copies", "").is_candidate);
  CHECK(classify_report("Autographed copies", "").rule.empty());
}

TEST_CASE("report rules: malformed catalogues are refused with the line", "[github][rules]") {
  CHECK_THROWS_WITH(ReportRules::parse("retracing\n"), "hybridization bug report rules, line 1: entry before any [section]");
  CHECK_THROWS_WITH(ReportRules::parse("[symptom-alone]\nretracing\n[other]\n"),
                    "hybridization bug report rules, line 3: unknown section [other]");
  CHECK_THROWS_WITH(ReportRules::parse("[api]\nTF.function\n"),
                    "hybridization bug report rules, line 2: a term must be lower case without leading or trailing "
                    "spaces: TF.function");
  CHECK_THROWS_WITH(ReportRules::parse("[api]\njit\n[symptom-alone]\njit\n"),
                    "hybridization bug report rules, line 4: term listed twice: jit");
  CHECK_THROWS_WITH(ReportRules::parse("[api]\njit\n"),
                    "hybridization bug report rules: [symptom-alone] and [api] must not be empty");
  const auto rules = ReportRules::parse("# comment\n[symptom-alone]\nretracing\tcomment\n[api]\njit\n[symptom]\nerror\n");
  CHECK(rules.symptom_alone == std::vector<std::string>{"retracing"});
  CHECK(classify_report("JIT error", "", rules).rule == "api:jit+symptom:error");
}

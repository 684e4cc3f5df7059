#include "github/report_rules.hpp"

#include <algorithm>
#include <set>

#include "util/error.hpp"

namespace hm::github {
namespace {

// A byte-for-byte copy of data/hybridization_bug_reports.txt (a unit test compares them), so the binary needs no
// data files at run time. The literal's first newline is dropped so that its lines line up with the file's.
constexpr std::string_view kDefaultRules = std::string_view(R"catalogue(
# Rules that mark an issue or pull request as a candidate hybridization bug report (hm::github::classify_report).
#
# The MSR 2022 study "Challenges in Migrating Imperative Deep Learning Programs to Graph Execution" read 446 bug
# reports about hybridization by hand. These rules pick the candidates to read: reports whose title or body
# names a hybridization API together with a symptom, or names a symptom that only hybridization has.
#
# Format: one entry per line, `term<TAB>comment` (the comment is optional); blank lines and lines starting with
# `#` are ignored; terms are lower case and may hold spaces, dots, '@' and '_'. A [section] line says what the
# entries below it are:
#   [symptom-alone]  enough on their own: a symptom of hybridization and nothing else
#   [api]            names of hybridization APIs
#   [symptom]        symptoms that count only next to an [api] term in the same report
#
# Matching: the title and body are lower-cased (ASCII) and a term matches where it occurs with no letter, digit
# or '_' directly before or after it. The rule recorded is the first [symptom-alone] term of this file found in
# the text ("symptom-alone:retracing"), else the first [api] term and the first [symptom] term found
# ("api:tf.function+symptom:graph mode"). Comments of the report are not read.
#
# The binary holds a copy of this file (kDefaultRules in miner/github/report_rules.cpp); a unit test fails when
# the two differ, so edit both.

[symptom-alone]
retracing	TensorFlow's "triggered tf.function retracing" warning
retraced
excessive retracing
autograph	AutoGraph conversion: "AutoGraph could not transform", "converted code"
could not transform
torchscript	TorchScript compilation and runtime errors
torch.jit.frontend
unsupported in torchscript
graph break	torch.compile (dynamo) graph breaks
graph breaks
torch._dynamo
recompilation	torch.compile and jax.jit recompiling on new shapes
recompiling
concretizationtypeerror	jax.jit: a traced value used where Python needs a concrete one
tracerarrayconversionerror
unexpectedtracererror
hybridblock	MXNet Gluon HybridBlock

[api]
tf.function
tf.compat.v1.function
def_function
tfe.defun
torch.jit
torch.jit.script
torch.jit.trace
torch.compile
jax.jit
jit	jax.jit imported as jit, @jit
hybridize
xla	tf.function(jit_compile=True) and JAX both compile through XLA

[symptom]
graph mode	running as a graph rather than eagerly
graph execution
eager	"works in eager mode", "run_functions_eagerly"
eagerly
tracing	side effects and Python values while tracing
traced
input_signature
input signature
reduce_retracing
experimental_relax_shapes
slow	performance problems
slower
slowdown
performance
memory leak
leak
error
errors
exception
crash
fails
failure
wrong result
wrong results
incorrect
nan
segfault
)catalogue").substr(1);

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

// Whether `term` occurs in `text` with no word character directly around it.
bool contains_term(const std::string& text, const std::string& term) {
  for (auto pos = text.find(term); pos != std::string::npos; pos = text.find(term, pos + 1)) {
    const bool open_before = pos == 0 || !is_word_char(text[pos - 1]);
    const auto end = pos + term.size();
    const bool open_after = end == text.size() || !is_word_char(text[end]);
    if (open_before && open_after) return true;
  }
  return false;
}

const std::string* first_found(const std::string& text, const std::vector<std::string>& terms) {
  for (const auto& term : terms) {
    if (contains_term(text, term)) return &term;
  }
  return nullptr;
}

}  // namespace

ReportRules ReportRules::parse(std::string_view catalogue_text) {
  ReportRules rules;
  std::vector<std::string>* section = nullptr;
  std::set<std::string> seen;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  while (pos <= catalogue_text.size()) {
    auto end = catalogue_text.find('\n', pos);
    if (end == std::string_view::npos) end = catalogue_text.size();
    auto line = catalogue_text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto where = "hybridization bug report rules, line " + std::to_string(line_number) + ": ";
    if (line.front() == '[') {
      if (line == "[symptom-alone]") section = &rules.symptom_alone;
      else if (line == "[api]") section = &rules.apis;
      else if (line == "[symptom]") section = &rules.symptoms;
      else throw Error(where + "unknown section " + std::string(line));
      continue;
    }
    const auto term = std::string(line.substr(0, line.find('\t')));
    if (section == nullptr) throw Error(where + "entry before any [section]");
    if (term.empty() || term != lower(term) || term.front() == ' ' || term.back() == ' ') {
      throw Error(where + "a term must be lower case without leading or trailing spaces: " + term);
    }
    if (!seen.insert(term).second) throw Error(where + "term listed twice: " + term);
    section->push_back(term);
  }
  if (rules.symptom_alone.empty() || rules.apis.empty()) {
    throw Error("hybridization bug report rules: [symptom-alone] and [api] must not be empty");
  }
  return rules;
}

std::string_view default_report_catalogue() { return kDefaultRules; }

const ReportRules& default_report_rules() {
  static const ReportRules rules = ReportRules::parse(kDefaultRules);
  return rules;
}

ReportMatch classify_report(std::string_view title, std::string_view body, const ReportRules& rules) {
  std::string text = lower(title);
  text += '\n';
  text += lower(body);
  if (const auto* alone = first_found(text, rules.symptom_alone)) return {true, "symptom-alone:" + *alone};
  const auto* api = first_found(text, rules.apis);
  if (api == nullptr) return {};
  const auto* symptom = first_found(text, rules.symptoms);
  if (symptom == nullptr) return {};
  return {true, "api:" + *api + "+symptom:" + *symptom};
}

}  // namespace hm::github

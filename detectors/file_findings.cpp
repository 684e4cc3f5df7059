#include "detectors/file_findings.hpp"

#include <array>
#include <cctype>

#include "detectors/advisor.hpp"
#include "detectors/antipatterns.hpp"
#include "detectors/function_analysis.hpp"
#include "detectors/notebook.hpp"

namespace hm::detectors {
namespace {

bool is_identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Whether the word before `position` (skipping blanks and commas of `import a, b`) ends an `import`/`from`.
bool follows_import_keyword(std::string_view text, std::size_t position) {
  auto end = position;
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  if (end == position) return false;  // the framework name must be its own word
  for (const std::string_view keyword : {"import", "from"}) {
    if (end < keyword.size() || text.substr(end - keyword.size(), keyword.size()) != keyword) continue;
    const auto start = end - keyword.size();
    if (start == 0 || !is_identifier_char(text[start - 1])) return true;
  }
  return false;
}

}  // namespace

bool imports_dl_framework(std::string_view bytes) {
  constexpr std::array<std::string_view, 4> kFrameworks{"tensorflow", "torch", "jax", "mxnet"};
  for (const auto framework : kFrameworks) {
    for (auto at = bytes.find(framework); at != std::string_view::npos; at = bytes.find(framework, at + 1)) {
      const auto after = at + framework.size();
      if (after < bytes.size() && is_identifier_char(bytes[after])) continue;  // torchvision, jaxlib
      if (follows_import_keyword(bytes, at)) return true;
    }
  }
  return false;
}

FileReport file_report(std::string_view bytes, std::string_view language, PythonParser& parser) {
  std::optional<NotebookSource> notebook;
  if (language == "jupyter") notebook = extract_notebook_code(bytes);
  const std::vector<ModuleSource> modules{{"module.py", notebook ? notebook->code : std::string(bytes)}};
  return to_file_report(analyse_project(modules, parser), notebook ? &*notebook : nullptr);
}

FileReport to_file_report(const ProjectAnalysis& analysis, const NotebookSource* notebook) {
  // Notebook lines are lines of the concatenated code cells: send them back to the cell a user would open.
  const auto place = [&](std::uint32_t& line, std::optional<std::uint32_t>& cell) {
    if (notebook == nullptr || line < 1 || line > notebook->lines.size()) return;
    const auto& origin = notebook->lines[line - 1];
    cell = origin.cell;
    line = origin.line;
  };

  FileReport report;
  std::vector<Finding> findings;
  for (const auto& function : analysis.functions) {
    auto found = function_findings(function);
    findings.insert(findings.end(), found.begin(), found.end());

    auto advice = advise(function);
    FileFunctionAdvice stored{function.qualified_name,
                              std::nullopt,
                              function.line,
                              function.is_hybrid,
                              function.api,
                              function.has_tensor_parameter,
                              function.has_primitive_parameter,
                              function.has_python_side_effects,
                              function.is_recursive,
                              std::move(advice.refactoring),
                              std::move(advice.transformation),
                              std::move(advice.passing_precondition),
                              std::move(advice.failures)};
    place(stored.line, stored.cell);
    report.advice.push_back(std::move(stored));
  }
  for (const auto& evidence : analysis.module_evidence) {
    auto found = module_findings(evidence);
    findings.insert(findings.end(), found.begin(), found.end());
  }

  report.findings.reserve(findings.size());
  for (auto& finding : findings) {
    FileFinding stored{std::move(finding.antipattern), std::move(finding.function), std::nullopt, finding.line,
                       std::move(finding.detail)};
    place(stored.line, stored.cell);
    report.findings.push_back(std::move(stored));
  }
  return report;
}

std::vector<FileFinding> file_findings(std::string_view bytes, std::string_view language, PythonParser& parser) {
  return file_report(bytes, language, parser).findings;
}

}  // namespace hm::detectors

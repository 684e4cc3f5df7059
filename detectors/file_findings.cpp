#include "detectors/file_findings.hpp"

#include "detectors/antipatterns.hpp"

namespace hm::detectors {

std::vector<FileFinding> file_findings(std::string_view bytes, std::string_view language, PythonParser& parser) {
  std::optional<NotebookSource> notebook;
  if (language == "jupyter") notebook = extract_notebook_code(bytes);
  const std::vector<ModuleSource> modules{{"module.py", notebook ? notebook->code : std::string(bytes)}};
  return to_file_findings(analyse_project(modules, parser), notebook ? &*notebook : nullptr);
}

std::vector<FileFinding> to_file_findings(const ProjectAnalysis& analysis, const NotebookSource* notebook) {
  std::vector<Finding> findings;
  for (const auto& function : analysis.functions) {
    auto found = function_findings(function);
    findings.insert(findings.end(), found.begin(), found.end());
  }
  for (const auto& evidence : analysis.module_evidence) {
    auto found = module_findings(evidence);
    findings.insert(findings.end(), found.begin(), found.end());
  }

  std::vector<FileFinding> result;
  result.reserve(findings.size());
  for (auto& finding : findings) {
    FileFinding stored{std::move(finding.antipattern), std::move(finding.function), std::nullopt, finding.line,
                       std::move(finding.detail)};
    // Notebook lines are lines of the concatenated code cells: send them back to the cell a user would open.
    if (notebook && stored.line >= 1 && stored.line <= notebook->lines.size()) {
      const auto& origin = notebook->lines[stored.line - 1];
      stored.cell = origin.cell;
      stored.line = origin.line;
    }
    result.push_back(std::move(stored));
  }
  return result;
}

}  // namespace hm::detectors

#pragma once
// Anti-pattern findings of one file version on its own: the single-module analysis `analyze` runs, restricted to
// that file, so the findings are a fact of the blob (what mining caches in blob_findings) whatever path, commit or
// repository holds it. Calls into other modules of the project are therefore unresolved here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detectors/function_analysis.hpp"
#include "detectors/notebook.hpp"
#include "detectors/python_parser.hpp"

namespace hm::detectors {

struct FileFinding {
  std::string antipattern;  // catalogue id
  std::string function;     // qualified name, "" for module-level code
  std::optional<std::uint32_t> cell;  // notebooks: the cell index; nullopt for .py files
  std::uint32_t line = 0;   // 1-based; within the cell for notebooks
  std::string detail;
};

// The module is analysed under a neutral name ("module.py"), never as a test file, so that the same bytes always
// give the same findings. Language "jupyter" reads the notebook's code cells (throws hm::Error for an invalid
// notebook, like analyse_file); anything else is read as Python. Findings come in the catalogue's order per
// function, functions in source order, then module-level findings.
std::vector<FileFinding> file_findings(std::string_view bytes, std::string_view language, PythonParser& parser);

// The findings of a single-module analysis, in that order; with `notebook`, lines go back to cell and line.
std::vector<FileFinding> to_file_findings(const ProjectAnalysis& analysis, const NotebookSource* notebook);

}  // namespace hm::detectors

#pragma once
// Anti-pattern findings and per-function refactoring advice of one file version on its own: the single-module
// analysis `analyze` runs, restricted to that file, so both are facts of the blob (what mining caches in
// blob_findings and blob_function_advice) whatever path, commit or repository holds it. Calls into other modules
// of the project are therefore unresolved here.
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

// The advisor's answer for one function definition, with the facts it was decided on.
struct FileFunctionAdvice {
  std::string function;               // qualified name
  std::optional<std::uint32_t> cell;  // notebooks: the cell index; nullopt for .py files
  std::uint32_t line = 0;             // the def line; within the cell for notebooks
  bool is_hybrid = false;
  std::string api;  // the hybridizing API's catalogue id; "" when eager
  std::optional<bool> has_tensor_parameter;
  std::optional<bool> has_primitive_parameter;
  std::optional<bool> has_python_side_effects;
  std::optional<bool> is_recursive;
  std::optional<std::string> refactoring;
  std::optional<std::string> transformation;
  std::optional<std::string> passing_precondition;
  std::vector<std::string> failures;  // failure codes in the advisor's order
};

struct FileReport {
  std::vector<FileFinding> findings;
  std::vector<FileFunctionAdvice> advice;  // one per function definition, in source order
};

// The module is analysed under a neutral name ("module.py"), never as a test file, so that the same bytes always
// give the same answers. Language "jupyter" reads the notebook's code cells (throws hm::Error for an invalid
// notebook, like analyse_file); anything else is read as Python. Findings come in the catalogue's order per
// function, functions in source order, then module-level findings.
FileReport file_report(std::string_view bytes, std::string_view language, PythonParser& parser);
// The findings and advice of a single-module analysis; with `notebook`, lines go back to cell and line.
FileReport to_file_report(const ProjectAnalysis& analysis, const NotebookSource* notebook);
std::vector<FileFinding> file_findings(std::string_view bytes, std::string_view language, PythonParser& parser);

// A cheap byte check, no parsing: whether the source has an `import`/`from` of TensorFlow, PyTorch, JAX or MXNet
// (`import tensorflow as tf`, `from torch import nn`, `import jax.numpy`). Mining gives refactoring advice to
// files without hybridization sites only when this holds: eager functions elsewhere cannot take tensors.
bool imports_dl_framework(std::string_view bytes);

}  // namespace hm::detectors

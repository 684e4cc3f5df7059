#include "detectors/blob_analysis.hpp"

#include "detectors/function_analysis.hpp"
#include "detectors/hybrid_apis.hpp"
#include "detectors/notebook.hpp"

namespace hm::detectors {
namespace {

void map_line(const NotebookSource& notebook, std::uint32_t& line, std::optional<std::uint32_t>& cell) {
  if (line == 0 || line > notebook.lines.size()) return;
  const auto& origin = notebook.lines[line - 1];
  cell = origin.cell;
  line = origin.line;
}

// Facts are extracted from the concatenated code cells; a user opens a cell, so lines go back to cell terms.
void map_to_cells(const NotebookSource& notebook, FileFacts& facts) {
  for (auto& function : facts.functions) {
    std::optional<std::uint32_t> end_cell;
    map_line(notebook, function.end_line, end_cell);
    map_line(notebook, function.start_line, function.cell);
  }
  for (auto& site : facts.sites) map_line(notebook, site.line, site.cell);
  for (auto& import : facts.imports) {
    std::optional<std::uint32_t> cell;
    map_line(notebook, import.line, cell);
  }
}

// A failure of the anti-pattern analysis must never cost the blob its facts (nor stop a mine): it costs the
// findings and advice only.
FileReport report_of(const std::string& code, const TSTree& tree, const FileFacts& facts,
                     const NotebookSource* notebook, const WalkRecord* known, WalkRecord* computed) {
  try {
    const auto analysis = analyse_parsed_module({"module.py", code, TreePtr(ts_tree_copy(&tree)), facts}, known, computed);
    return to_file_report(analysis, notebook);
  } catch (const std::exception&) {
    if (computed != nullptr) *computed = {};
    return {};
  }
}

}  // namespace

BlobResult analyse_blob(std::string_view bytes, std::string_view language, PythonParser& parser,
                        const BlobOptions& options) {
  BlobResult result;
  std::optional<NotebookSource> notebook;
  std::string code;
  if (language == "jupyter") {
    // The prefilter on the raw JSON first: a notebook without the tokens cannot have them in its cells either.
    if (options.prefilter && !notebook_may_contain_sites(bytes)) return result;
    notebook = extract_notebook_code(bytes);
    code = std::move(notebook->code);
    if (options.prefilter && !may_contain_sites(code)) return result;
  } else {
    // Most versions are ruled out here: test the bytes before copying them (a copy of every version's bytes was
    // a gigabyte of allocation on the Keras history).
    if (options.prefilter && !may_contain_sites(bytes)) return result;
    code = std::string(bytes);
  }

  const auto* previous = options.previous;
  auto tree = previous != nullptr && previous->tree ? parser.parse(code, previous->code, *previous->tree)
                                                    : parser.parse(code);
  BodyHashes body_hashes;
  WalkRecord facts_walk;
  result.facts = facts_of_tree(code, *tree, previous != nullptr ? &previous->body_hashes : nullptr,
                               options.keep_parse ? &body_hashes : nullptr,
                               previous != nullptr ? &previous->facts_walk : nullptr,
                               options.keep_parse ? &facts_walk : nullptr, options.body_hashes);
  WalkRecord walk;
  if (options.findings && !result.facts.sites.empty()) {
    auto report = report_of(code, *tree, result.facts, notebook ? &*notebook : nullptr,
                            previous != nullptr ? &previous->walk : nullptr, options.keep_parse ? &walk : nullptr);
    result.findings = std::move(report.findings);
    result.advice = std::move(report.advice);
  }
  if (notebook) map_to_cells(*notebook, result.facts);
  if (options.keep_parse) {
    result.parsed =
        ParsedSource{std::move(code), std::move(tree), std::move(body_hashes), std::move(facts_walk), std::move(walk)};
  }
  return result;
}

}  // namespace hm::detectors

#include "detectors/file_analysis.hpp"

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

}  // namespace

FileFacts analyse_file(std::string_view bytes, std::string_view language, PythonParser& parser, bool prefilter) {
  const auto analyse = [&](std::string_view source) {
    return prefilter ? analyse_python(source, parser) : analyse_python_unfiltered(source, parser);
  };
  if (language != "jupyter") return analyse(bytes);
  // The prefilter on the raw JSON first: a notebook without the tokens cannot have them in its cells either.
  if (prefilter && !may_contain_sites(bytes)) return {};
  const auto notebook = extract_notebook_code(bytes);
  auto facts = analyse(notebook.code);
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
  return facts;
}

}  // namespace hm::detectors

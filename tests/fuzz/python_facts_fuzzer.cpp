// libFuzzer target for the Python analysis: arbitrary blob bytes → facts, the way the miner feeds git blobs to
// the detector (as a .py file and as a notebook), then the change classifier on two versions. Any crash,
// sanitizer report, uncaught exception or hang is a finding, and so is a site in a syntactically valid source
// the prefilter ruled out. Built with -DHM_FUZZ=ON under clang (scripts/fuzz).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detectors/change_classifier.hpp"
#include "detectors/file_analysis.hpp"
#include "detectors/python_facts.hpp"
#include "util/error.hpp"

namespace {

hm::detectors::FileFacts facts_or_empty(std::string_view bytes, std::string_view language,
                                        hm::detectors::PythonParser& parser) {
  try {
    return hm::detectors::analyse_file(bytes, language, parser);
  } catch (const hm::Error&) {
    return {};  // documented: an invalid notebook is an error value, not a crash
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hm::detectors::PythonParser parser;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  const auto python = facts_or_empty(bytes, "python", parser);
  const auto unfiltered = hm::detectors::analyse_python_unfiltered(bytes, parser);
  const auto notebook = facts_or_empty(bytes, "jupyter", parser);
  // The prefilter's promise: a source it rules out has no site, comments and strings and all, when the parser reads
  // it without syntax errors (its error recovery may join tokens across junk, `tf.,function`, which no byte-level
  // filter can follow).
  if (!python.parsed && !unfiltered.sites.empty() && unfiltered.syntax_errors == 0) __builtin_trap();

  // Two versions of one file: the input split at its middle newline, the second half appended to the first.
  const auto middle = bytes.find('\n', size / 2);
  const auto old_bytes = bytes.substr(0, middle == std::string_view::npos ? size : middle);
  const auto old_facts = facts_or_empty(old_bytes, "python", parser);
  std::vector<hm::detectors::FileSides> sides(3);
  sides[0] = {"a.py", "a.py", &old_facts, &python};
  sides[1] = {"b.py", "c.py", &unfiltered, &python};
  sides[2] = {std::nullopt, "n.ipynb", nullptr, &notebook};
  const auto changes = hm::detectors::classify_changes(sides);
  for (const auto& change : changes) {
    if (change.file >= sides.size()) __builtin_trap();  // the documented contract: an index into `sides`
  }
  return 0;
}

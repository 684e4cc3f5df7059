// libFuzzer target for the Python analysis: arbitrary blob bytes → facts, the way the miner feeds git blobs to
// the detector (as a .py file and as a notebook), then the change classifier on two versions. Any crash,
// sanitizer report, uncaught exception or hang is a finding, and so are a site in a syntactically valid source
// the prefilter ruled out, and a version analysed from its predecessor's parse (incremental reparse, reused body
// hashes and replayed walks) that differs from a fresh analysis when both versions are syntactically valid, and an
// analysis taking body hashes from a memo filled by earlier inputs (body_hash.hpp) that differs from one without.
// Built with -DHM_FUZZ=ON under clang (scripts/fuzz).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detectors/blob_analysis.hpp"
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

// Everything a blob's analysis stores, as text.
std::string described(const hm::detectors::BlobResult& result) {
  std::string out;
  for (const auto& f : result.facts.functions) {
    out += "f " + f.qualified_name + " " + std::to_string(f.start_line) + " " + std::to_string(f.end_line) + " " +
           f.body_hash + " " + std::to_string(f.decorators.size()) + " " + std::to_string(f.parameters.size()) + "\n";
  }
  for (const auto& site : result.facts.sites) {
    out += "s " + site.api + " " + site.form + " " + site.function + " " + std::to_string(site.line) + "\n";
  }
  for (const auto& import : result.facts.imports) out += "i " + import.alias + " " + import.target + "\n";
  for (const auto& f : result.findings) {
    out += "x " + f.antipattern + " " + f.function + " " + std::to_string(f.line) + " " + f.detail + "\n";
  }
  for (const auto& a : result.advice) {
    out += "a " + a.function + " " + std::to_string(a.line) + " " + a.refactoring.value_or("-") + " " +
           a.passing_precondition.value_or("-");
    for (const auto& failure : a.failures) out += " " + failure;
    out += "\n";
  }
  return out;
}

// The text with its line at `at` (a line start) repeated, indented four spaces deeper: a statement added at the
// end of a block, or a new block, where the edits reach past the end of the statement (python_parser.cpp).
std::string with_line_repeated_deeper(std::string_view text, std::size_t at) {
  const auto end = text.find('\n', at);
  const auto line = text.substr(at, end == std::string_view::npos ? text.size() - at : end + 1 - at);
  return std::string(text.substr(0, at + line.size())) + (line.ends_with('\n') ? "" : "\n") + "    " +
         std::string(line) + std::string(text.substr(at + line.size()));
}

// A chain of versions (the first half, the whole input, the first half again, then with a line inserted above
// it, which moves every definition, then with its middle line repeated deeper, then with that line gone), each
// analysed from its predecessor's parse, against fresh analyses.
void check_incremental(std::string_view old_bytes, std::string_view new_bytes, hm::detectors::PythonParser& parser,
                       hm::detectors::BodyHashMemo& memo) {
  hm::detectors::BlobOptions fresh;
  fresh.prefilter = false;
  hm::detectors::BlobOptions keep = fresh;
  keep.keep_parse = true;
  keep.body_hashes = &memo;
  const std::string moved = "import os\n" + std::string(old_bytes);
  const auto middle = moved.rfind('\n', moved.size() / 2);
  const std::size_t at = middle == std::string::npos ? 0 : middle + 1;
  const std::string deeper = with_line_repeated_deeper(moved, at);
  const auto line_end = moved.find('\n', at);
  const std::string without = moved.substr(0, at) + (line_end == std::string::npos ? "" : moved.substr(line_end + 1));
  auto previous = hm::detectors::analyse_blob(old_bytes, "python", parser, keep);
  for (const std::string_view version : {new_bytes, old_bytes, std::string_view(moved), std::string_view(deeper),
                                         std::string_view(without)}) {
    auto options = keep;
    options.previous = previous.parsed ? &*previous.parsed : nullptr;
    auto chained = hm::detectors::analyse_blob(version, "python", parser, options);
    const auto alone = hm::detectors::analyse_blob(version, "python", parser, fresh);
    // tree-sitter's error recovery may differ between an incremental and a fresh parse; valid sources may not.
    if (alone.facts.syntax_errors == 0 && previous.facts.syntax_errors == 0 && described(chained) != described(alone)) {
      __builtin_trap();
    }
    previous = std::move(chained);
  }
}

// The memo's promise: a body without syntax errors hashes the same wherever its text stands (at the same column),
// so answers remembered from other inputs change nothing, errors elsewhere in the file or not.
void check_memo(std::string_view bytes, hm::detectors::PythonParser& parser, hm::detectors::BodyHashMemo& memo) {
  hm::detectors::BlobOptions plain;
  plain.prefilter = false;
  auto memoised = plain;
  memoised.body_hashes = &memo;
  const auto with_memo = hm::detectors::analyse_blob(bytes, "python", parser, memoised);
  if (described(with_memo) != described(hm::detectors::analyse_blob(bytes, "python", parser, plain))) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hm::detectors::PythonParser parser;
  static hm::detectors::BodyHashMemo memo;  // across inputs: a body met in one answers for the next
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
  check_memo(bytes, parser, memo);
  check_incremental(old_bytes, bytes, parser, memo);
  return 0;
}

#pragma once
// Everything mining learns from one blob, from a single parse: its facts (what change classification compares)
// and, when it has hybridization sites, its anti-pattern findings. The parse can start from the tree of the
// file's previous version (incremental reparse), and can be kept for the next one.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detectors/file_findings.hpp"
#include "detectors/python_facts.hpp"
#include "detectors/python_parser.hpp"
#include "detectors/recorded_walk.hpp"

namespace hm::detectors {

// A parsed version: the Python code that was parsed (a notebook's code cells, concatenated) and its tree.
struct ParsedSource {
  std::string code;
  TreePtr tree;
  BodyHashes body_hashes;  // of this tree's functions, reused for the subtrees the next version shares
  WalkRecord facts_walk;   // the facts' walk over definitions and sites, replayed for the subtrees shared
  WalkRecord walk;         // the findings analysis's walk of this tree (empty without sites), replayed likewise
};

struct BlobOptions {
  bool prefilter = true;   // skip (do not parse) sources that cannot contain a site
  bool findings = true;    // run the anti-pattern analysis and the advisor on sources with sites
  bool keep_parse = false; // return the parse, to be `previous` of the file's next version
  const ParsedSource* previous = nullptr;  // an earlier version of the same file, to reparse incrementally
  BodyHashMemo* body_hashes = nullptr;     // shared by the analyses of a history (body_hash.hpp)
};

struct BlobResult {
  FileFacts facts;  // notebook lines mapped back to cell and line
  std::vector<FileFinding> findings;
  std::vector<FileFunctionAdvice> advice;  // with findings: the advisor's answer for every function
  std::optional<ParsedSource> parsed;  // with keep_parse, when the source was parsed
};

// Throws hm::Error for a notebook that is not valid notebook JSON; Python never throws. The result does not
// depend on `previous`: an incremental reparse gives the tree a fresh parse would.
BlobResult analyse_blob(std::string_view bytes, std::string_view language, PythonParser& parser,
                        const BlobOptions& options);

}  // namespace hm::detectors

#pragma once
// Facts about one Python source, read from its tree-sitter tree: the functions it defines, the names it imports,
// and every hybridization site (where an API from the catalogue is applied, to what, with which arguments).
// These facts are what the database caches per blob; change classification compares them between versions.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "detectors/body_hash.hpp"
#include "detectors/python_parser.hpp"
#include "detectors/recorded_walk.hpp"

namespace hm::detectors {

struct Parameter {
  std::string name;                       // without * or **
  std::string kind;                       // "positional", "var_positional" (*args), "var_keyword" (**kwargs)
  std::optional<std::string> annotation;  // source text
  std::optional<std::string> default_value;
};

struct FunctionFact {
  std::string qualified_name;  // f, Class.method, outer.inner
  std::string name;
  std::optional<std::string> class_name;  // qualified name of the class it is a method of
  std::vector<std::string> class_bases;   // that class's bases, as written
  std::uint32_t start_line = 0;           // the def line (1-based); decorators are above it
  std::uint32_t end_line = 0;
  std::vector<Parameter> parameters;
  std::vector<std::string> decorators;  // source text without the '@'
  std::string body_hash;                // of the body's text: tells a body edit from an untouched function
  std::optional<std::uint32_t> cell;    // notebooks: the cell; lines are then within the cell
};

struct ImportFact {
  std::string alias;   // the name bound in the file
  std::string target;  // the fully qualified name it stands for ("tensorflow", "jax.jit"; ".x" when relative)
  std::uint32_t line = 0;
};

using Arguments = std::vector<std::pair<std::string, std::string>>;  // keyword → source text, in call order

struct HybridSite {
  std::string api;     // catalogue id: tf.function, torch.compile, ...
  std::string family;  // tensorflow, pytorch, jax, mxnet
  std::string role;    // "hybridize" or "annotation"
  // decorator (@api), decorator_call (@api(...)), partial_decorator (@partial(api, ...)), call (api(f, ...)),
  // method_call (block.hybridize(...))
  std::string form;
  std::string level;     // where the site is: module, class or function
  std::string function;  // what is hybridized: a function's qualified name when it is defined in the file,
                         // else the target expression as written (e.g. "model", "self.net"); "" if none
  std::string scope;     // qualified name of the enclosing function or class; "" at module level
  std::optional<std::string> assigned_to;  // for call forms: the left-hand side (step = tf.function(step))
  std::uint32_t line = 0;
  std::optional<std::uint32_t> cell;  // notebooks: the cell; `line` is then within the cell
  Arguments arguments;
};

struct FileFacts {
  bool parsed = false;  // false when the prefilter ruled out any site and the source was not parsed
  std::uint32_t syntax_errors = 0;
  bool python2 = false;  // Python-2-only statements seen (print "x", exec "code"): a legacy file
  std::vector<FunctionFact> functions;
  std::vector<ImportFact> imports;
  std::vector<HybridSite> sites;
};

// Analyses Python source (bytes as stored in git; invalid UTF-8 is tolerated). Never throws for bad input:
// syntax errors and Python 2 yield the facts outside the broken parts and a non-zero syntax_errors.
FileFacts analyse_python(std::string_view source, PythonParser& parser);

// The same, without the prefilter: always parses (for the advisor, which needs every function).
FileFacts analyse_python_unfiltered(std::string_view source, PythonParser& parser);

// Body hashes by the identity of the body's subtree (TSNode::id). A tree reparsed incrementally shares every
// subtree outside the edit with the tree it was parsed from, so the functions an edit did not touch are not hashed
// again. Valid only while the tree the ids come from is alive (a freed subtree's address can be reused).
using BodyHashes = std::unordered_map<const void*, std::string>;

// The facts of a source already parsed into `tree` (which must be the tree of exactly these bytes): for callers
// that need the tree too, so nothing is parsed twice. With `known`, the hashes of a tree this one was reparsed
// from; with `computed`, this tree's hashes are recorded for the next version. `known_walk` and `computed_walk` do
// the same for the walk over definitions and sites (recorded_walk.hpp); a body hash neither gives is looked up in
// `memo` (body_hash.hpp). The facts are the same with or without.
FileFacts facts_of_tree(std::string_view source, const TSTree& tree, const BodyHashes* known = nullptr,
                        BodyHashes* computed = nullptr, const WalkRecord* known_walk = nullptr,
                        WalkRecord* computed_walk = nullptr, BodyHashMemo* memo = nullptr);

std::string stable_hash(std::string_view text);  // 16 hex digits, FNV-1a 64

}  // namespace hm::detectors

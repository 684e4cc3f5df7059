#pragma once
// The catalogue of hybridization APIs: every fully qualified name that reaches one, the family it belongs to,
// and the keyword arguments the study tracks. To support a new API (or a new module path of an old one), add an
// entry to kApis in hybrid_apis.cpp and a snippet test; the prefilter and the detector read only this table.
#include <optional>
#include <string_view>
#include <vector>

namespace hm::detectors {

enum class ApiRole {
  Hybridize,   // turns a function or module into graph code (tf.function, torch.jit.script, jax.jit, ...)
  Annotation,  // steers a hybridizing API without hybridizing (torch.jit.ignore / unused / export)
};

struct HybridApi {
  std::string_view id;      // stable name stored in the database, e.g. "tf.function"
  std::string_view family;  // "tensorflow", "pytorch", "jax", "mxnet"
  ApiRole role;
  std::vector<std::string_view> qualified_names;  // e.g. "tensorflow.function", "tensorflow.compat.v2.function"
  std::vector<std::string_view> arguments;        // keyword arguments of interest, in documentation order
};

const std::vector<HybridApi>& hybrid_apis();

// The API a fully qualified dotted name denotes, if any ("tensorflow.compat.v1.function" → tf.function).
const HybridApi* api_for_qualified_name(std::string_view qualified_name);

// MXNet Gluon's hybridize() is a method of any HybridBlock, so it is recognised by method name, not by import.
const HybridApi& mxnet_hybridize();

// The last name component of every catalogued qualified name ("function", "jit", "script", ...) and "hybridize".
// A call the detector reports as a site spells one of them, or a name the file binds to an API (jit = jax.jit):
// the fact extractor skips expressions without either.
const std::vector<std::string_view>& api_last_names();

// Module aliases so conventional that code uses them without importing (notebook snippets, doctest-style files):
// used only when the file does not bind the name itself. conventional_aliases() lists them (tf, torch, jax);
// conventional_module() gives the module one stands for.
const std::vector<std::string_view>& conventional_aliases();
std::optional<std::string_view> conventional_module(std::string_view alias);

// The byte prefilter. The detector resolves a name to an API only through the file's own imports, assignments
// or a conventional alias, so a file that reaches an API must contain one of that API's module roots or aliases
// ("tensorflow", "tf", ...) and its last name component ("function", "jit", ...) either as an attribute
// (".function": tf.function, import a.b.function as x, x = tf.function) or as a name imported from that root
// ("from jax import jit"); for MXNet, ".hybridize". A file with none of these cannot yield a site and is never
// parsed. Jupyter notebooks are checked on their raw JSON, which holds cell sources verbatim.
// For Python source, the attribute must also end an identifier chain the detector could resolve to the API:
// `tf.function`, `tf2.function` with tf2 bound by an import naming tensorflow, but not `model.compile` or
// `K.function` (chains continued over lines are let through). Mentions in comments and in the text of strings
// other than format strings do not count (code_text), and a name next to a byte past ASCII is taken to end there.
// A source with NUL bytes or invalid UTF-8 always passes.
// Sound for sources the parser reads without syntax errors (the fuzzer checks it): in a broken source the parser's
// error recovery can join tokens across junk (`tf.,function`), which no byte-level filter can follow.
bool may_contain_sites(std::string_view source);

// The same gate on a notebook's raw JSON, where escapes (\n, \t) make chains unreadable: only the attribute and
// the root are required there; the extracted code cells then go through may_contain_sites.
bool notebook_may_contain_sites(std::string_view notebook_json);

}  // namespace hm::detectors

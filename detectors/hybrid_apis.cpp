#include "detectors/hybrid_apis.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>
#include <optional>
#include <string>
#include <unordered_map>

#include "detectors/code_text.hpp"
#include "detectors/text_search.hpp"

namespace hm::detectors {
namespace {

const std::vector<HybridApi> kApis = {
    // TensorFlow 2: tf.function, under every public and internal module path it has lived at.
    {"tf.function", "tensorflow", ApiRole::Hybridize,
     {"tensorflow.function", "tensorflow.compat.v2.function", "tensorflow.compat.v1.function",
      "tensorflow.python.eager.def_function.function",
      "tensorflow.python.eager.polymorphic_function.polymorphic_function.function",
      "tensorflow.python.eager.polymorphic_function.def_function.function", "tensorflow.contrib.eager.function",
      "tensorflow.python.eager.function.function"},
     {"input_signature", "autograph", "jit_compile", "experimental_compile", "reduce_retracing",
      "experimental_relax_shapes", "experimental_implements", "experimental_autograph_options",
      "experimental_follow_type_hints", "experimental_attributes"}},
    // TensorFlow 1.x eager: defun, tf.function's predecessor.
    {"tf.defun", "tensorflow", ApiRole::Hybridize,
     {"tensorflow.contrib.eager.defun", "tensorflow.python.eager.function.defun",
      "tensorflow.python.eager.function.defun_with_attributes"},
     {"input_signature", "autograph", "experimental_relax_shapes", "experimental_autograph_options"}},
    {"torch.jit.script", "pytorch", ApiRole::Hybridize, {"torch.jit.script", "torch.jit._script.script"},
     {"optimize", "_frames_up", "_rcb", "example_inputs"}},
    {"torch.jit.script_method", "pytorch", ApiRole::Hybridize,
     {"torch.jit.script_method", "torch.jit._script.script_method"}, {}},
    {"torch.jit.trace", "pytorch", ApiRole::Hybridize, {"torch.jit.trace", "torch.jit._trace.trace"},
     {"example_inputs", "optimize", "check_trace", "check_inputs", "check_tolerance", "strict",
      "example_kwarg_inputs"}},
    {"torch.jit.trace_module", "pytorch", ApiRole::Hybridize,
     {"torch.jit.trace_module", "torch.jit._trace.trace_module"},
     {"inputs", "optimize", "check_trace", "check_inputs", "check_tolerance", "strict"}},
    {"torch.compile", "pytorch", ApiRole::Hybridize, {"torch.compile", "torch._dynamo.optimize"},
     {"fullgraph", "dynamic", "backend", "mode", "options", "disable"}},
    {"torch.jit.ignore", "pytorch", ApiRole::Annotation, {"torch.jit.ignore", "torch._jit_internal.ignore"},
     {"drop"}},
    {"torch.jit.unused", "pytorch", ApiRole::Annotation, {"torch.jit.unused", "torch._jit_internal.unused"}, {}},
    {"torch.jit.export", "pytorch", ApiRole::Annotation, {"torch.jit.export", "torch._jit_internal.export"}, {}},
    {"jax.jit", "jax", ApiRole::Hybridize, {"jax.jit", "jax.api.jit", "jax._src.api.jit"},
     {"static_argnums", "static_argnames", "donate_argnums", "donate_argnames", "device", "backend", "inline",
      "keep_unused", "abstracted_axes", "in_shardings", "out_shardings"}},
    {"jax.pmap", "jax", ApiRole::Hybridize, {"jax.pmap", "jax.api.pmap", "jax._src.api.pmap"},
     {"axis_name", "in_axes", "out_axes", "static_broadcasted_argnums", "devices", "backend", "axis_size",
      "donate_argnums"}},
    {"mxnet.hybridize", "mxnet", ApiRole::Hybridize, {}, {"active", "static_alloc", "static_shape", "backend"}},
};

const std::unordered_map<std::string, const HybridApi*>& by_qualified_name() {
  static const auto map = [] {
    std::unordered_map<std::string, const HybridApi*> result;
    for (const auto& api : kApis) {
      for (const auto name : api.qualified_names) result.emplace(std::string(name), &api);
    }
    return result;
  }();
  return map;
}

}  // namespace

const std::vector<HybridApi>& hybrid_apis() { return kApis; }

const HybridApi* api_for_qualified_name(std::string_view qualified_name) {
  const auto& map = by_qualified_name();
  const auto found = map.find(std::string(qualified_name));
  return found == map.end() ? nullptr : found->second;
}

const HybridApi& mxnet_hybridize() {
  static const HybridApi& api =
      *std::find_if(kApis.begin(), kApis.end(), [](const HybridApi& a) { return a.id == "mxnet.hybridize"; });
  return api;
}

const std::vector<std::string_view>& api_last_names() {
  static const auto names = [] {
    std::vector<std::string_view> result = {"hybridize"};
    for (const auto& api : kApis) {
      for (const auto name : api.qualified_names) {
        const auto last = name.substr(name.find_last_of('.') + 1);
        if (std::find(result.begin(), result.end(), last) == result.end()) result.push_back(last);
      }
    }
    return result;
  }();
  return names;
}

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kConventionalModules = {{
    {"tf", "tensorflow"}, {"torch", "torch"}, {"jax", "jax"}}};

}  // namespace

const std::vector<std::string_view>& conventional_aliases() {
  static const auto aliases = [] {
    std::vector<std::string_view> result;
    for (const auto& [alias, module] : kConventionalModules) result.push_back(alias);
    return result;
  }();
  return aliases;
}

std::optional<std::string_view> conventional_module(std::string_view alias) {
  for (const auto& [known, module] : kConventionalModules) {
    if (known == alias) return module;
  }
  return std::nullopt;
}

namespace {

bool is_ascii_identifier_char(char c) { return is_identifier_char(c) && static_cast<unsigned char>(c) < 0x80; }

// A byte past ASCII next to the word may end it: the parser takes only Unicode letters and digits into a name
// (not `→`, a no-break space or invalid UTF-8), so for a filter that must never rule out a site it is a boundary.
bool whole_word_at(std::string_view text, std::size_t pos, std::size_t length) {
  return (pos == 0 || !is_ascii_identifier_char(text[pos - 1])) &&
         (pos + length >= text.size() || !is_ascii_identifier_char(text[pos + length]));
}

bool is_line_break(char c) { return c == '\n' || c == '\r' || c == '\\'; }

// Blanks, and a backslash ending the line, may stand between an attribute's dot and its name.
bool is_blank_or_break(char c) { return c == ' ' || c == '\t' || is_line_break(c); }

// Every `.name` attribute access in `text` with a name the prefilter asks about (api_last_names: the last names of
// the APIs, and `hybridize`), as (name, position of the dot), in text order. One pass over the dots, where a
// substring search per name read the whole text some fifteen times (a Keras file is asked for every name of every
// framework it mentions, and most occur nowhere).
std::vector<std::pair<std::string_view, std::size_t>> asked_attributes(std::string_view text) {
  // The names by first byte: most attributes' first bytes start none of them, and few names share one.
  static const auto by_first = [] {
    std::array<std::vector<std::string_view>, 256> table{};
    for (const auto name : api_last_names()) table[static_cast<unsigned char>(name[0])].push_back(name);
    return table;
  }();
  std::vector<std::pair<std::string_view, std::size_t>> found;
  const char* const data = text.data();
  const std::size_t size = text.size();
  for (const char* at = static_cast<const char*>(std::memchr(data, '.', size)); at != nullptr;
       at = static_cast<const char*>(std::memchr(at + 1, '.', size - static_cast<std::size_t>(at + 1 - data)))) {
    const auto dot = static_cast<std::size_t>(at - data);
    auto begin = dot + 1;
    while (begin < size && is_blank_or_break(data[begin])) ++begin;
    if (begin == size) break;
    const auto& candidates = by_first[static_cast<unsigned char>(data[begin])];
    if (candidates.empty()) continue;
    // The whole ASCII name: a byte past ASCII ends it, as for whole_word_at.
    auto end = begin + 1;
    while (end < size && is_ascii_identifier_char(data[end])) ++end;
    const auto word = text.substr(begin, end - begin);
    for (const auto name : candidates) {
      if (name == word) {
        found.emplace_back(name, dot);
        break;
      }
    }
  }
  return found;
}

// The extent of the import statement whose `import` keyword is at `pos`: from the start of its (continued) line
// to its closing parenthesis, else the end of the (continued) line or a ';'.
struct ImportStatement {
  std::size_t begin = 0;  // start of the statement's first line
  std::size_t names = 0;  // just after the `import` keyword
  std::size_t end = 0;
};

ImportStatement import_statement_at(std::string_view source, std::size_t pos) {
  ImportStatement statement;
  auto line_start = source.rfind('\n', pos) == std::string_view::npos ? 0 : source.rfind('\n', pos) + 1;
  // A statement continued with backslashes starts on the first of its lines.
  while (line_start >= 2) {
    auto before_newline = line_start - 2;
    if (source[before_newline] == '\r' && before_newline > 0) --before_newline;
    if (source[before_newline] != '\\') break;
    const auto previous = source.rfind('\n', before_newline);
    line_start = previous == std::string_view::npos ? 0 : previous + 1;
  }
  statement.begin = line_start;
  statement.names = pos + 6;
  auto end = pos + 6;
  while (end < source.size() && (source[end] == ' ' || source[end] == '\t')) ++end;
  if (end < source.size() && source[end] == '(') {
    end = source.find(')', end);
  } else {
    while (end < source.size() && source[end] != ';' &&
           !(source[end] == '\n' && (end == 0 || source[end - 1] != '\\'))) {
      ++end;
    }
  }
  statement.end = end == std::string_view::npos ? source.size() : end;
  return statement;
}

bool has_word(std::string_view text, std::string_view word) {
  for (auto at = find_in(text, word); at != std::string_view::npos; at = find_in(text, word, at + 1)) {
    if (whole_word_at(text, at, word.size())) return true;
  }
  return false;
}

// A source as the prefilter reads it: the import statements found once (every API and name consults them) and
// which module roots occur, remembered (entries share roots).
class ScannedSource {
 public:
  explicit ScannedSource(std::string_view text) : text_(text) {}
  std::string_view text() const { return text_; }

  const std::vector<ImportStatement>& imports() {
    if (!imports_) {
      imports_.emplace();
      for (auto pos = find_in(text_, "import"); pos != std::string_view::npos; pos = find_in(text_, "import", pos + 1)) {
        if (whole_word_at(text_, pos, 6)) imports_->push_back(import_statement_at(text_, pos));
      }
    }
    return *imports_;
  }

  // Whether accept(dot) holds for some `.name` attribute access in the text (`dot` is the dot's position). `name`
  // must be one of api_last_names().
  template <typename Accept>
  bool any_attribute(std::string_view name, Accept accept) {
    assert(std::find(api_last_names().begin(), api_last_names().end(), name) != api_last_names().end());
    if (!attributes_) attributes_ = asked_attributes(text_);
    return std::any_of(attributes_->begin(), attributes_->end(),
                       [&](const auto& attribute) { return attribute.first == name && accept(attribute.second); });
  }

  bool has_attribute(std::string_view name) {
    return any_attribute(name, [](std::size_t) { return true; });
  }

  bool contains(std::string_view root) {
    for (const auto& [known, found] : roots_) {
      if (known == root) return found;
    }
    const bool found = find_in(text_, root) != std::string_view::npos;
    roots_.emplace_back(root, found);
    return found;
  }

 private:
  std::string_view text_;
  std::optional<std::vector<ImportStatement>> imports_;
  std::optional<std::vector<std::pair<std::string_view, std::size_t>>> attributes_;
  std::vector<std::pair<std::string_view, bool>> roots_;
};

// `from <root>[.x.y] import ..., name, ...`, parenthesised over several lines or not.
bool has_from_import(ScannedSource& scanned, std::string_view name, const std::vector<std::string_view>& roots) {
  const auto source = scanned.text();
  for (const auto& statement : scanned.imports()) {
    auto head = source.substr(statement.begin, statement.names - 6 - statement.begin);
    head.remove_prefix(std::min(head.find_first_not_of(" \t"), head.size()));
    if (!head.starts_with("from")) continue;
    head.remove_prefix(4);
    head.remove_prefix(std::min(head.find_first_not_of(" \t"), head.size()));
    const bool from_root = std::any_of(roots.begin(), roots.end(), [&](std::string_view root) {
      return head.starts_with(root) && (head.size() == root.size() || head[root.size()] == '.' ||
                                        head[root.size()] == ' ' || head[root.size()] == '\t' ||
                                        static_cast<unsigned char>(head[root.size()]) >= 0x80);
    });
    if (from_root && has_word(source.substr(statement.names, statement.end - statement.names), name)) return true;
  }
  return false;
}

struct PrefilterEntry {
  std::vector<std::string_view> roots;            // module roots and their conventional aliases
  std::vector<std::string_view> names;            // last components of the API's qualified names
  std::vector<std::string_view> qualified_names;
};

std::vector<PrefilterEntry> prefilter_entries() {
  std::vector<PrefilterEntry> entries;
  for (const auto& api : kApis) {
    PrefilterEntry entry;
    for (const auto name : api.qualified_names) {
      const auto root = name.substr(0, name.find('.'));
      if (std::find(entry.roots.begin(), entry.roots.end(), root) == entry.roots.end()) entry.roots.push_back(root);
      const auto last = name.substr(name.find_last_of('.') + 1);
      if (std::find(entry.names.begin(), entry.names.end(), last) == entry.names.end()) entry.names.push_back(last);
      entry.qualified_names.push_back(name);
    }
    for (const auto alias : conventional_aliases()) {
      const auto module = conventional_module(alias);
      if (module && std::find(entry.roots.begin(), entry.roots.end(), *module) != entry.roots.end() &&
          std::find(entry.roots.begin(), entry.roots.end(), alias) == entry.roots.end()) {
        entry.roots.push_back(alias);
      }
    }
    if (!entry.names.empty()) entries.push_back(std::move(entry));
  }
  return entries;
}

// The identifier chain in front of an attribute, read backwards from its dot: `tf.compat.v2` before
// `.function` gives head "tf" and rest ".compat.v2.function".
struct Chain {
  enum class Kind { Names, NotNames, Unreadable } kind = Kind::Unreadable;
  std::string_view head;
  std::string rest;
};

std::size_t skip_blanks_back(std::string_view source, std::size_t pos) {
  while (pos > 0 && (source[pos - 1] == ' ' || source[pos - 1] == '\t')) --pos;
  return pos;
}

Chain chain_before(std::string_view source, std::size_t dot, std::string_view name) {
  Chain chain;
  chain.rest = "." + std::string(name);
  for (std::size_t pos = dot;;) {
    auto end = skip_blanks_back(source, pos);
    // A chain continued over lines (inside brackets, or with a backslash) is not read: the caller lets it pass.
    if (end > 0 && is_line_break(source[end - 1])) return chain;
    auto begin = end;
    while (begin > 0 && is_identifier_char(source[begin - 1])) --begin;
    // A name with bytes past ASCII may be one name or end in the middle (see whole_word_at): not read.
    if (std::any_of(source.begin() + static_cast<std::ptrdiff_t>(begin), source.begin() + static_cast<std::ptrdiff_t>(end),
                    [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
      return chain;
    }
    if (begin == end || (source[begin] >= '0' && source[begin] <= '9')) {
      chain.kind = Chain::Kind::NotNames;  // a call, subscript, string or number: the detector resolves none
      return chain;
    }
    const auto identifier = source.substr(begin, end - begin);
    const auto before = skip_blanks_back(source, begin);
    if (before > 0 && source[before - 1] == '.') {
      chain.rest = "." + std::string(identifier) + chain.rest;
      pos = before - 1;
      continue;
    }
    // At the start of a line, the previous line may still be part of the expression (brackets, backslash).
    if (before > 0 && is_line_break(source[before - 1])) {
      auto previous = before;
      while (previous > 0 && (is_line_break(source[previous - 1]) || source[previous - 1] == ' ' ||
                              source[previous - 1] == '\t')) {
        --previous;
      }
      if (previous > 0 && (source[previous - 1] == '.' || source[previous - 1] == '\\')) return chain;
    }
    chain.kind = Chain::Kind::Names;
    chain.head = identifier;
    return chain;
  }
}

// Could the detector resolve head + rest to one of the entry's APIs? It resolves the head through the file's
// imports (aliases), or as a conventional alias (tf, torch, jax) or the root module itself, and appends the rest.
bool chain_may_reach(ScannedSource& scanned, const PrefilterEntry& entry, const Chain& chain) {
  const auto ends_with_rest = [&](std::string_view q) { return q.size() > chain.rest.size() && q.ends_with(chain.rest); };
  if (std::none_of(entry.qualified_names.begin(), entry.qualified_names.end(), ends_with_rest)) return false;
  const auto module = conventional_module(chain.head).value_or(chain.head);
  for (const auto q : entry.qualified_names) {
    if (q.size() == module.size() + chain.rest.size() && q.starts_with(module) && q.ends_with(chain.rest)) return true;
  }
  // Bound by an import statement that names one of the API's roots (`import tensorflow.compat.v2 as tf2`,
  // `from torch import jit as J`): its target is not read here, only that it may reach the API.
  for (const auto& statement : scanned.imports()) {
    const auto text = scanned.text().substr(statement.begin, statement.end - statement.begin);
    if (has_word(text, chain.head) &&
        std::any_of(entry.roots.begin(), entry.roots.end(), [&](std::string_view root) { return has_word(text, root); })) {
      return true;
    }
  }
  return false;
}

// `.name` as an attribute access (whitespace allowed around the dot) whose chain may reach one of the entry's
// APIs.
bool has_api_attribute(ScannedSource& scanned, const PrefilterEntry& entry, std::string_view name) {
  return scanned.any_attribute(name, [&](std::size_t dot) {
    const auto chain = chain_before(scanned.text(), dot, name);
    return chain.kind == Chain::Kind::Unreadable ||
           (chain.kind == Chain::Kind::Names && chain_may_reach(scanned, entry, chain));
  });
}

template <typename HasAttribute>
bool may_contain(ScannedSource& scanned, HasAttribute has_attribute_of) {
  static const std::vector<PrefilterEntry> entries = prefilter_entries();
  if (scanned.has_attribute("hybridize")) return true;
  for (const auto& entry : entries) {
    const bool has_root = std::any_of(entry.roots.begin(), entry.roots.end(),
                                      [&](std::string_view root) { return scanned.contains(root); });
    if (!has_root) continue;
    for (const auto name : entry.names) {
      if (has_attribute_of(entry, name) || has_from_import(scanned, name, entry.roots)) return true;
    }
  }
  return false;
}

}  // namespace

namespace {

bool may_contain_in(std::string_view text) {
  ScannedSource scanned(text);
  return may_contain(scanned, [&](const PrefilterEntry& entry, std::string_view name) {
    return has_api_attribute(scanned, entry, name);
  });
}

}  // namespace

bool may_contain_sites(std::string_view source) {
  // The raw bytes first: most sources fail there, without lexing. One that passes is read again without its
  // comments and strings, unless it cannot be lexed the way Python would. A source with NUL bytes or invalid UTF-8
  // is always parsed: the parser's error recovery skips such bytes (see is_clean_utf8).
  if (!is_clean_utf8(source)) return true;
  if (!may_contain_in(source)) return false;
  const auto code = code_text(source);
  return !code || may_contain_in(*code);
}

bool notebook_may_contain_sites(std::string_view notebook_json) {
  ScannedSource scanned(notebook_json);
  return may_contain(scanned,
                     [&](const PrefilterEntry&, std::string_view name) { return scanned.has_attribute(name); });
}

}  // namespace hm::detectors

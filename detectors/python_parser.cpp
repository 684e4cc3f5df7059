#include "detectors/python_parser.hpp"

#include <string>

#include "util/error.hpp"

namespace hm::detectors {
namespace {

// ts_builtin_sym_error; libtree-sitter 0.20 has no ts_node_is_error().
constexpr TSSymbol kErrorSymbol = static_cast<TSSymbol>(-1);
bool is_error(TSNode node) { return ts_node_symbol(node) == kErrorSymbol; }

struct Cursor {
  explicit Cursor(TSNode root) : cursor(ts_tree_cursor_new(root)) {}
  ~Cursor() { ts_tree_cursor_delete(&cursor); }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  TSTreeCursor cursor;
};

}  // namespace

PythonParser::PythonParser() : parser_(ts_parser_new()) {
  if (!ts_parser_set_language(parser_.get(), tree_sitter_python())) {
    throw Error("tree-sitter-python grammar ABI " + std::to_string(ts_language_version(tree_sitter_python())) +
                " is not supported by this tree-sitter runtime (ABI " +
                std::to_string(TREE_SITTER_LANGUAGE_VERSION) + "); pin tree-sitter-python 0.23.x");
  }
}

TreePtr PythonParser::parse(std::string_view source) {
  TSTree* tree = ts_parser_parse_string(parser_.get(), nullptr, source.data(), static_cast<std::uint32_t>(source.size()));
  if (tree == nullptr) throw Error("tree-sitter could not parse the source");
  return TreePtr(tree);
}

std::uint32_t count_syntax_errors(const TSTree& tree) {
  const TSNode root = ts_tree_root_node(&tree);
  if (!ts_node_has_error(root)) return 0;
  // Iterative walk: deeply nested expressions must not overflow the stack.
  std::uint32_t errors = 0;
  Cursor owned(root);
  TSTreeCursor& cursor = owned.cursor;
  bool descend = true;
  while (true) {
    const TSNode node = ts_tree_cursor_current_node(&cursor);
    if (descend) {
      if (is_error(node) || ts_node_is_missing(node)) ++errors;
      if (ts_node_has_error(node) && ts_tree_cursor_goto_first_child(&cursor)) continue;
    }
    if (ts_tree_cursor_goto_next_sibling(&cursor)) {
      descend = true;
      continue;
    }
    if (!ts_tree_cursor_goto_parent(&cursor)) break;
    descend = false;
  }
  return errors;
}

}  // namespace hm::detectors

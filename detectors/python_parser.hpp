#pragma once
// tree-sitter-python behind RAII: a parser (one per thread: TSParser is not thread-safe) and the trees it makes.
// Broken files still parse: tree-sitter recovers and marks the bad parts with ERROR nodes. Python 2 files mostly
// parse cleanly (the grammar keeps print/exec statements, `except E, e`, backticks and `<>`), so an error count
// does not tell Python 2 apart; only its Python-3-invalid constructs outside those rules become errors.
#include <tree_sitter/api.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

extern "C" const TSLanguage* tree_sitter_python();

namespace hm::detectors {

struct ParserDeleter {
  void operator()(TSParser* parser) const noexcept { ts_parser_delete(parser); }
};
struct TreeDeleter {
  void operator()(TSTree* tree) const noexcept { ts_tree_delete(tree); }
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

// A tree cursor (a value type in the C API that still owns memory): created at a node, deleted on scope exit.
class TreeCursor {
 public:
  explicit TreeCursor(TSNode root) : cursor_(ts_tree_cursor_new(root)) {}
  ~TreeCursor() { ts_tree_cursor_delete(&cursor_); }
  TreeCursor(const TreeCursor&) = delete;
  TreeCursor& operator=(const TreeCursor&) = delete;
  TSTreeCursor* get() { return &cursor_; }

 private:
  TSTreeCursor cursor_;
};

// A node type as the grammar's symbols (named and anonymous), looked up once by name: testing a node is then an
// integer compare, where comparing ts_node_type's string costs a strcmp per node and test on every tree walk.
class NodeType {
 public:
  explicit NodeType(std::string_view name);
  bool operator()(TSNode node) const { return !ts_node_is_null(node) && matches(ts_node_symbol(node)); }
  // For a walk that tests one node against many types: ts_node_symbol once, then only integer compares.
  bool matches(TSSymbol symbol) const { return symbol == named_ || symbol == anonymous_; }

 private:
  TSSymbol named_;
  TSSymbol anonymous_;
};

// A field of the grammar (a node's "name", "body", "arguments", ...) as its id, looked up once: the C API's
// ts_node_child_by_field_name looks the name up among every field name on each call.
class FieldName {
 public:
  explicit FieldName(std::string_view name);
  TSNode of(TSNode node) const { return ts_node_child_by_field_id(node, id_); }
  // Whether the cursor's node is this field of its parent: asks the cursor's own stack, where `of` walks the
  // parent's children.
  bool holds(const TSTreeCursor* cursor) const { return ts_tree_cursor_current_field_id(cursor) == id_; }
  TSFieldId id() const { return id_; }

 private:
  TSFieldId id_;
};

// Whether a node is an error-free expression of the grammar's `expression` supertype (a call, name, attribute,
// operator, literal, comprehension, lambda, ...). No statement can be inside one, so walks looking for imports,
// assignments or definitions need not enter it. A subtree with a syntax error can hold anything: false for it.
bool cannot_hold_statements(TSNode node);

// Whether a node is an error-free simple statement of the grammar (an expression statement, return, assert, raise,
// import, del, pass, ...): it holds no definition, so walks looking for definitions need not enter one.
bool is_simple_statement(TSNode node);

class PythonParser {
 public:
  // Throws hm::Error when the grammar's ABI does not match the tree-sitter runtime.
  PythonParser();
  // Parses UTF-8 source. Invalid bytes do not stop the parse; they end up inside ERROR nodes.
  TreePtr parse(std::string_view source);
  // Parses `source` as a new version of `previous_source`, whose tree is `previous_tree`: a copy of that tree is
  // edited with the hunks where the versions differ and reparsed, so tree-sitter reuses every subtree
  // outside the edit instead of building it again. Consecutive versions of a file mostly differ in a few hunks,
  // which is what makes mining a long history affordable. The result equals parse(source).
  TreePtr parse(std::string_view source, std::string_view previous_source, const TSTree& previous_tree);

 private:
  void new_scanner();
  std::unique_ptr<TSParser, ParserDeleter> parser_;
};

// The edits that turn `before` into `after`, one per hunk of their line diff, in the order to apply them to the
// old tree (last hunk first); a single edit when the diff is too large to pay. Each covers the bytes that differ
// and a little of the text around them (from inside the token before to the first token of the next statement's
// line) so that tree-sitter can reuse the statements that follow (python_parser.cpp says why).
std::vector<TSInputEdit> edits_between(std::string_view before, std::string_view after);

// The edit that turns `before` into `after`: from their first differing byte to the end of the differing range
// (common prefix and suffix excluded), with rows and columns as tree-sitter counts them (bytes).
TSInputEdit edit_between(std::string_view before, std::string_view after);

// Number of ERROR and MISSING nodes in a tree: 0 for a file that parses cleanly.
std::uint32_t count_syntax_errors(const TSTree& tree);

}  // namespace hm::detectors

#include "detectors/python_parser.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>

#include "detectors/line_diff.hpp"
#include "detectors/text_search.hpp"
#include "util/error.hpp"

namespace hm::detectors {
namespace {

// ts_builtin_sym_error; libtree-sitter 0.20 has no ts_node_is_error().
constexpr TSSymbol kErrorSymbol = static_cast<TSSymbol>(-1);
bool is_error(TSNode node) { return ts_node_symbol(node) == kErrorSymbol; }

TSPoint point_at(std::string_view text, std::size_t offset) {
  TSPoint point{0, 0};
  std::size_t line_start = 0;
  for (auto at = text.find('\n'); at != std::string_view::npos && at < offset; at = text.find('\n', at + 1)) {
    ++point.row;
    line_start = at + 1;
  }
  point.column = static_cast<std::uint32_t>(offset - line_start);
  return point;
}

// The lengths of the longest common prefix of two texts and of their longest common suffix in what remains.
struct CommonEnds {
  std::size_t prefix;
  std::size_t suffix;
};
CommonEnds common_ends(std::string_view a, std::string_view b) {
  const auto shorter = std::min(a.size(), b.size());
  std::size_t prefix = 0;
  while (prefix < shorter && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < shorter - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) ++suffix;
  return {prefix, suffix};
}

// The point reached from `from` past `text`.
TSPoint advance(TSPoint from, std::string_view text) {
  const auto last_newline = text.rfind('\n');
  if (last_newline == std::string_view::npos) {
    from.column += static_cast<std::uint32_t>(text.size());
    return from;
  }
  from.row += static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n'));
  from.column = static_cast<std::uint32_t>(text.size() - last_newline - 1);
  return from;
}

// The point of offset `to` in `text`, given that offset `from` (>= to) is at `from_point`.
TSPoint point_before(std::string_view text, std::size_t from, TSPoint from_point, std::size_t to) {
  const auto crossed = text.substr(to, from - to);
  const auto rows = static_cast<std::uint32_t>(std::count(crossed.begin(), crossed.end(), '\n'));
  if (rows == 0) return {from_point.row, from_point.column - static_cast<std::uint32_t>(crossed.size())};
  const auto line = to == 0 ? std::string_view::npos : text.rfind('\n', to - 1);
  return {from_point.row - rows, static_cast<std::uint32_t>(line == std::string_view::npos ? to : to - line - 1)};
}

// The point where line i starts (i == lines.size(): the end of the text, after a last line without '\n' too).
TSPoint line_point(const std::vector<std::string_view>& lines, std::size_t i) {
  if (i == lines.size() && !lines.empty() && !lines.back().ends_with('\n')) {
    return {static_cast<std::uint32_t>(i - 1), static_cast<std::uint32_t>(lines.back().size())};
  }
  return {static_cast<std::uint32_t>(i), 0};
}

// Why edits reach past the bytes that differ. The Python scanner emits NEWLINE, INDENT and DEDENT as zero-width
// tokens at the end of a statement's last token, which is also where the next statement's subtree starts.
// tree-sitter reuses an old subtree only when the scanner state before it equals the parser's, and checks that at
// the subtree's start, before it has lexed those zero-width tokens; when they differ it skips the whole subtree
// instead of looking inside (ts_parser__reuse_node; the same in tree-sitter 0.25). So when the new text ends a
// statement at another indentation than the old one did there (a line added at the end of a block, a method
// appended to a class), the statement after fails that check, is parsed again, ends at its own indentation and
// fails it for the next one: the rest of the block, for a test class the rest of the file, is parsed again (one
// of Keras' 470 KB test modules: 30-75 ms a version, where a fresh parse takes 70). An edit that starts inside the
// token before the change and ends after the first token of the next statement's line makes the subtree before
// take the new text (ts_subtree_edit gives inserted text to the first child that overlaps the edit) and moves the
// next statement's start past the zero-width tokens: by the time the parser gets there it has lexed them, the
// states agree and the rest is reused (that module's 187 reparses: 2.38 s -> 0.30 s; a runtime patched to look
// inside such subtrees, with edits of the differing bytes: 0.35 s).
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

// Where an edit starting at `at` starts instead: back over whitespace and into the last byte of the token before,
// not before `floor`.
std::size_t reach_back(std::string_view text, std::size_t at, std::size_t floor) {
  while (at > floor && is_blank(text[at - 1])) --at;
  return at > floor ? at - 1 : at;
}

// Where an edit ending at `at` ends instead: past the end of its line and into the next line that starts a
// statement, through that line's first token (its first byte when it starts with punctuation). Blank and comment
// lines are passed, and so is a line whose first token is all it holds, as a closing bracket or a lone `pass` may
// end the statement before the next one. Not past `ceiling`.
std::size_t reach_on(std::string_view text, std::size_t at, std::size_t ceiling) {
  const auto rest_of_line = [&](std::size_t from) {
    while (from < ceiling && text[from] != '\n') ++from;
    return from;
  };
  // Bounded: a run of one-token lines is rare, and stopping early only costs the reuse described above.
  constexpr int kMaxLines = 16;
  for (int line = 0; line < kMaxLines && at < ceiling; ++line) {
    at = rest_of_line(at);
    while (at < ceiling && (is_blank(text[at]) || text[at] == '#')) at = text[at] == '#' ? rest_of_line(at) : at + 1;
    const std::size_t token = at;
    while (at < ceiling && is_identifier_char(text[at])) ++at;
    if (at == token && at < ceiling) ++at;
    std::size_t after = at;
    while (after < ceiling && (text[after] == ' ' || text[after] == '\t' || text[after] == '\r')) ++after;
    if (after < ceiling && text[after] != '\n' && text[after] != '#') break;
  }
  return at;
}

// Bytes old_length at old_at in the old text became new_length at new_at in the new one; start is old_at's point.
struct Change {
  std::size_t old_at;
  std::size_t new_at;
  std::size_t old_length;
  std::size_t new_length;
  TSPoint start;
};

// The edit for `change`, widened by reach_back and reach_on between `floor` and `ceiling` (old offsets, within
// text the versions share).
TSInputEdit widened_edit(std::string_view before, std::string_view after, const Change& change, std::size_t floor,
                         std::size_t ceiling) {
  const std::size_t old_at = reach_back(before, change.old_at, floor);
  const std::size_t new_at = change.new_at - (change.old_at - old_at);
  const std::size_t old_size = reach_on(before, change.old_at + change.old_length, ceiling) - old_at;
  const std::size_t new_size = old_size - change.old_length + change.new_length;
  TSInputEdit edit{};
  edit.start_byte = static_cast<std::uint32_t>(old_at);
  edit.old_end_byte = static_cast<std::uint32_t>(old_at + old_size);
  edit.new_end_byte = static_cast<std::uint32_t>(old_at + new_size);
  edit.start_point = point_before(before, change.old_at, change.start, old_at);
  edit.old_end_point = advance(edit.start_point, before.substr(old_at, old_size));
  edit.new_end_point = advance(edit.start_point, after.substr(new_at, new_size));
  return edit;
}

std::uint32_t checked_length(std::string_view source) {
  // tree-sitter counts bytes in 32 bits; the miner never hands it more than a few MiB.
  if (source.size() > UINT32_MAX) throw Error("source too large to parse");
  return static_cast<std::uint32_t>(source.size());
}

}  // namespace

NodeType::NodeType(std::string_view name) {
  const auto length = static_cast<std::uint32_t>(name.size());
  // 0 is the end-of-input symbol, which no node has: a name the grammar lacks then matches nothing.
  named_ = ts_language_symbol_for_name(tree_sitter_python(), name.data(), length, true);
  anonymous_ = ts_language_symbol_for_name(tree_sitter_python(), name.data(), length, false);
}

FieldName::FieldName(std::string_view name)
    // 0 is no field: a name the grammar lacks then finds no child.
    : id_(ts_language_field_id_for_name(tree_sitter_python(), name.data(), static_cast<std::uint32_t>(name.size()))) {}

namespace {

// Which grammar symbols are among `names` (named node types), indexed by symbol.
std::vector<bool> symbol_set(std::initializer_list<const char*> names) {
  const TSLanguage* language = tree_sitter_python();
  std::vector<bool> table(ts_language_symbol_count(language), false);
  for (const char* name : names) {
    const auto symbol = ts_language_symbol_for_name(language, name, static_cast<std::uint32_t>(std::strlen(name)), true);
    if (symbol != 0 && symbol < table.size()) table[symbol] = true;
  }
  return table;
}

// Whether an error-free node's symbol is in `set`; a subtree with a syntax error can hold anything: false. The
// symbol first: the walks ask this of most nodes they visit, and few are in the set.
bool error_free_and_in(TSNode node, const std::vector<bool>& set) {
  if (ts_node_is_null(node)) return false;
  const TSSymbol symbol = ts_node_symbol(node);
  return symbol < set.size() && set[symbol] && !ts_node_has_error(node);
}

}  // namespace

bool cannot_hold_statements(TSNode node) {
  // The subtypes of `expression` and `primary_expression` in the grammar's node-types.json.
  static const std::vector<bool> expressions = symbol_set(
      {"as_pattern", "attribute", "await", "binary_operator", "boolean_operator", "call", "comparison_operator",
       "concatenated_string", "conditional_expression", "dictionary", "dictionary_comprehension", "ellipsis",
       "false", "float", "generator_expression", "identifier", "integer", "lambda", "list", "list_comprehension",
       "list_splat", "named_expression", "none", "not_operator", "parenthesized_expression", "set",
       "set_comprehension", "string", "subscript", "true", "tuple", "unary_operator"});
  return error_free_and_in(node, expressions);
}

bool is_simple_statement(TSNode node) {
  // The subtypes of `_simple_statement` in the grammar's node-types.json.
  static const std::vector<bool> simple = symbol_set(
      {"assert_statement", "break_statement", "continue_statement", "delete_statement", "exec_statement",
       "expression_statement", "future_import_statement", "global_statement", "import_from_statement",
       "import_statement", "nonlocal_statement", "pass_statement", "print_statement", "raise_statement",
       "return_statement", "type_alias_statement"});
  return error_free_and_in(node, simple);
}

PythonParser::PythonParser() : parser_(ts_parser_new()) {
  if (!ts_parser_set_language(parser_.get(), tree_sitter_python())) {
    throw Error("tree-sitter-python grammar ABI " + std::to_string(ts_language_version(tree_sitter_python())) +
                " is not supported by this tree-sitter runtime (ABI " +
                std::to_string(TREE_SITTER_LANGUAGE_VERSION) + "); pin tree-sitter-python 0.23.x");
  }
}

// tree-sitter-python 0.23's scanner keeps whether it is inside an f-string from one parse to the next: the empty
// state a parse starts from does not clear it. After a source ending in an unterminated f-string (the fuzzer found
// it), the next parse made no dedents, so the rest of a file fell inside its first block, and a blob's facts
// depended on the blob its parser had read before. Setting the language again gives the parse a new scanner.
void PythonParser::new_scanner() { ts_parser_set_language(parser_.get(), tree_sitter_python()); }

TreePtr PythonParser::parse(std::string_view source) {
  new_scanner();
  TSTree* tree = ts_parser_parse_string(parser_.get(), nullptr, source.data(), checked_length(source));
  if (tree == nullptr) throw Error("tree-sitter could not parse the source");
  return TreePtr(tree);
}

TreePtr PythonParser::parse(std::string_view source, std::string_view previous_source, const TSTree& previous_tree) {
  const auto edits = edits_between(previous_source, source);
  // A version that rewrote most of the file (line endings converted, the file reformatted) reparses slower than
  // it parses: tree-sitter lexes it all anyway and also walks the old tree (a 150 KB module whose line endings
  // changed: 13-22 ms against 9-11 ms).
  std::size_t edited_bytes = 0;
  for (const auto& edit : edits) edited_bytes += std::max(edit.old_end_byte, edit.new_end_byte) - edit.start_byte;
  if (2 * edited_bytes > source.size()) return parse(source);
  TreePtr edited(ts_tree_copy(&previous_tree));  // shares the subtrees; the caller's tree stays as it was
  for (const auto& edit : edits) ts_tree_edit(edited.get(), &edit);
  new_scanner();
  TSTree* tree = ts_parser_parse_string(parser_.get(), edited.get(), source.data(), checked_length(source));
  if (tree == nullptr) throw Error("tree-sitter could not parse the source");
  return TreePtr(tree);
}

std::vector<TSInputEdit> edits_between(std::string_view before, std::string_view after) {
  // Past this many changed lines the file was rewritten: one edit over the differing range costs no more to
  // reparse, and the diff's work and memory (quadratic in changed lines) are not worth spending.
  constexpr std::size_t kMaxChangedLines = 512;
  const auto old_lines = split_lines(before);
  const auto new_lines = split_lines(after);
  const auto hunks = diff_lines(old_lines, new_lines, kMaxChangedLines);
  if (!hunks) {
    const auto [prefix, suffix] = common_ends(before, after);
    const Change change{prefix, prefix, before.size() - suffix - prefix, after.size() - suffix - prefix,
                        point_at(before, prefix)};
    return {widened_edit(before, after, change, 0, before.size())};
  }
  // Byte offset of line i's start (i == size: the end of the text).
  const auto line_start = [](std::string_view text, const std::vector<std::string_view>& lines, std::size_t i) {
    return static_cast<std::uint32_t>(i < lines.size() ? lines[i].data() - text.data() : text.size());
  };
  std::vector<TSInputEdit> edits;
  std::size_t ceiling = before.size();  // where the edit of the hunk after starts
  // Last hunk first: each edit's positions are then still those of the old text, since the hunks before it are
  // not applied yet and the ones after it do not move it.
  for (auto hunk = hunks->rbegin(); hunk != hunks->rend(); ++hunk) {
    const auto old_begin = line_start(before, old_lines, hunk->old_begin);
    const auto new_begin = line_start(after, new_lines, hunk->new_begin);
    const auto old_text = before.substr(old_begin, line_start(before, old_lines, hunk->old_end) - old_begin);
    const auto new_text = after.substr(new_begin, line_start(after, new_lines, hunk->new_end) - new_begin);
    // The bytes that differ, then widened (widened_edit): a hunk's lines hold much that did not change, all of
    // which tree-sitter would lex again.
    const auto [prefix, suffix] = common_ends(old_text, new_text);
    std::size_t old_at = old_begin + prefix;
    std::size_t new_at = new_begin + prefix;
    const std::size_t old_length = old_text.size() - suffix - prefix;
    const std::size_t new_length = new_text.size() - suffix - prefix;
    TSPoint start = advance(line_point(old_lines, hunk->old_begin), old_text.substr(0, prefix));
    // Lines inserted or deleted whole: the same change can start anywhere along a run of repeated text. Slid
    // back as far as the text repeats, to the end of the previous statement, it ends where the statement after
    // it starts, which is what widened_edit needs to let tree-sitter reuse that statement (a method inserted
    // into a 2,000-method class: 25 ms placed at a line start, 1.7 ms slid back). Not past the previous hunk:
    // the texts are equal only between hunks.
    const auto previous = std::next(hunk);
    const std::size_t bound = previous == hunks->rend() ? 0 : line_start(before, old_lines, previous->old_end);
    if (old_length == 0 || new_length == 0) {
      const std::size_t from = old_at;
      if (old_length == 0) {
        while (old_at > bound && after[new_at - 1] == after[new_at + new_length - 1]) --old_at, --new_at;
      } else {
        while (old_at > bound && before[old_at - 1] == before[old_at + old_length - 1]) --old_at, --new_at;
      }
      start = point_before(before, from, start, old_at);
    }
    // Widened within the text both versions share: after the previous hunk, before the next one's edit.
    edits.push_back(widened_edit(before, after, {old_at, new_at, old_length, new_length, start}, bound, ceiling));
    ceiling = edits.back().start_byte;
  }
  return edits;
}

TSInputEdit edit_between(std::string_view before, std::string_view after) {
  const auto [prefix, suffix] = common_ends(before, after);
  TSInputEdit edit{};
  edit.start_byte = static_cast<std::uint32_t>(prefix);
  edit.old_end_byte = static_cast<std::uint32_t>(before.size() - suffix);
  edit.new_end_byte = static_cast<std::uint32_t>(after.size() - suffix);
  edit.start_point = point_at(before, prefix);
  edit.old_end_point = point_at(before, edit.old_end_byte);
  edit.new_end_point = point_at(after, edit.new_end_byte);
  return edit;
}

std::uint32_t count_syntax_errors(const TSTree& tree) {
  const TSNode root = ts_tree_root_node(&tree);
  if (!ts_node_has_error(root)) return 0;
  // Iterative walk: deeply nested expressions must not overflow the stack.
  std::uint32_t errors = 0;
  TreeCursor owned(root);
  TSTreeCursor& cursor = *owned.get();
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

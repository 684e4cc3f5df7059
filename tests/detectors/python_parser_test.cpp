#include <catch2/catch.hpp>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "detectors/python_parser.hpp"

using hm::detectors::count_syntax_errors;
using hm::detectors::PythonParser;
using hm::detectors::TreePtr;

namespace {

std::string root_type(const TSTree& tree) { return ts_node_type(ts_tree_root_node(&tree)); }

}  // namespace

TEST_CASE("PythonParser loads the grammar", "[python_parser]") {
  REQUIRE_NOTHROW(PythonParser());
  CHECK(ts_language_version(tree_sitter_python()) >= TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION);
  CHECK(ts_language_version(tree_sitter_python()) <= TREE_SITTER_LANGUAGE_VERSION);
}

TEST_CASE("PythonParser: valid Python 3 has no syntax errors", "[python_parser]") {
  PythonParser parser;
  const auto tree = parser.parse(
      "import torch\n"
      "from torch import nn\n"
      "\n"
      "class Net(nn.Module):\n"
      "    def __init__(self, width: int = 64) -> None:\n"
      "        super().__init__()\n"
      "        self.layers = [nn.Linear(width, width) for _ in range(3)]\n"
      "\n"
      "    async def forward(self, x, *args, **kwargs):\n"
      "        if (n := len(args)) > 0:\n"
      "            print(f\"{n} extra args\")\n"
      "        return x @ self.layers[0].weight\n");
  REQUIRE(tree);
  CHECK(root_type(*tree) == "module");
  CHECK(count_syntax_errors(*tree) == 0);
}

TEST_CASE("PythonParser: Python 2 files parse without throwing", "[python_parser]") {
  // tree-sitter-python keeps Python 2 rules (print and exec statements, "except E, e"), so these files parse
  // without ERROR nodes: a syntax error count cannot tell Python 2 from Python 3.
  PythonParser parser;
  TreePtr print;
  REQUIRE_NOTHROW(print = parser.parse("print \"hello\"\nx = 1\n"));
  REQUIRE(print);
  const TSNode root = ts_tree_root_node(print.get());
  REQUIRE(ts_node_named_child_count(root) == 2);
  CHECK(std::string(ts_node_type(ts_node_named_child(root, 0))) == "print_statement");
  CHECK(count_syntax_errors(*print) == 0);

  TreePtr except_comma;
  REQUIRE_NOTHROW(except_comma = parser.parse("try:\n    pass\nexcept Exception, e:\n    raise e\n"));
  CHECK(root_type(*except_comma) == "module");
  // Python 2 code that is also broken still counts its errors.
  CHECK(count_syntax_errors(*parser.parse("print \"unterminated\nif x\n    pass\n")) > 0);
}

TEST_CASE("PythonParser: broken code counts errors, a clean tree counts none", "[python_parser]") {
  PythonParser parser;
  CHECK(count_syntax_errors(*parser.parse("def f(:\n    return )\n")) > 0);
  CHECK(count_syntax_errors(*parser.parse("x = (1, 2\n")) > 0);
  CHECK(count_syntax_errors(*parser.parse("x = [1, 2]\n")) == 0);
}

TEST_CASE("PythonParser: empty input and invalid UTF-8 do not crash", "[python_parser]") {
  PythonParser parser;
  const auto empty = parser.parse("");
  REQUIRE(empty);
  CHECK(root_type(*empty) == "module");
  CHECK(count_syntax_errors(*empty) == 0);

  const auto null_view = parser.parse(std::string_view());
  REQUIRE(null_view);
  CHECK(count_syntax_errors(*null_view) == 0);

  const std::string invalid = "x = '\xff\xfe\xc3'\n\x80\x81 = 2\ny = \"\xed\xa0\x80\"\n";
  const auto bad = parser.parse(invalid);
  REQUIRE(bad);
  CHECK(root_type(*bad) == "module");
  REQUIRE_NOTHROW(count_syntax_errors(*bad));

  static constexpr char kWithNul[] = "a = 1\n\0\0b = 2\n";
  const auto nul = parser.parse(std::string_view(kWithNul, sizeof kWithNul - 1));
  REQUIRE(nul);
  CHECK(root_type(*nul) == "module");
  REQUIRE_NOTHROW(count_syntax_errors(*nul));
}

TEST_CASE("PythonParser: deeply nested parentheses do not crash", "[python_parser]") {
  PythonParser parser;
  constexpr std::size_t depth = 5000;
  const std::string balanced = "x = " + std::string(depth, '(') + "1" + std::string(depth, ')') + "\n";
  const auto tree = parser.parse(balanced);
  REQUIRE(tree);
  CHECK(count_syntax_errors(*tree) == 0);

  const std::string unbalanced = "x = " + std::string(depth, '(') + "1\n";
  const auto broken = parser.parse(unbalanced);
  REQUIRE(broken);
  CHECK(count_syntax_errors(*broken) > 0);

  const std::string lists = "y = " + std::string(depth, '[') + std::string(depth, ']') + "\n";
  CHECK(count_syntax_errors(*parser.parse(lists)) == 0);
}

TEST_CASE("PythonParser: one parser parses many files", "[python_parser]") {
  PythonParser parser;
  for (int i = 0; i < 50; ++i) {
    const auto tree = parser.parse("value_" + std::to_string(i) + " = " + std::to_string(i) + "\n");
    CHECK(count_syntax_errors(*tree) == 0);
  }
}

TEST_CASE("PythonParser: a parse does not depend on the source parsed before it", "[python_parser]") {
  // The scanner of tree-sitter-python 0.23 kept "inside an f-string" across parses: after an unterminated f-string,
  // `z` fell inside the `if` block (found by the fuzzer).
  const std::string blocks = "if x:\n    y\nz\n";
  const auto fresh = [&] {
    PythonParser parser;
    return hm::detectors::TreePtr(parser.parse(blocks));
  }();
  PythonParser parser;
  parser.parse("x = f\"{");
  const auto after = parser.parse(blocks);
  CHECK(count_syntax_errors(*after) == 0);
  CHECK(ts_node_named_child_count(ts_tree_root_node(after.get())) == 2);
  char* expected = ts_node_string(ts_tree_root_node(fresh.get()));
  char* actual = ts_node_string(ts_tree_root_node(after.get()));
  CHECK(std::string(actual) == std::string(expected));
  std::free(expected);
  std::free(actual);
  // The same after an incremental reparse that ends inside an f-string.
  const std::string open = "a = 1\nb = f\"{";
  const auto base = parser.parse("a = 1\n");
  parser.parse(open, "a = 1\n", *base);
  CHECK(ts_node_named_child_count(ts_tree_root_node(parser.parse(blocks).get())) == 2);
}

namespace {

// Every node, named or not, with its byte range and points: two trees that print the same have the same shape and ranges.
std::string nodes(const TSTree& tree) {
  std::string result;
  hm::detectors::TreeCursor owner(ts_tree_root_node(&tree));
  TSTreeCursor* cursor = owner.get();
  while (true) {
    const TSNode node = ts_tree_cursor_current_node(cursor);
    const auto start = ts_node_start_point(node);
    const auto end = ts_node_end_point(node);
    result += std::string(ts_node_type(node)) + "[" + std::to_string(ts_node_start_byte(node)) + "," +
              std::to_string(ts_node_end_byte(node)) + " " + std::to_string(start.row) + ":" +
              std::to_string(start.column) + "-" + std::to_string(end.row) + ":" + std::to_string(end.column) + "] ";
    if (ts_tree_cursor_goto_first_child(cursor)) continue;
    while (!ts_tree_cursor_goto_next_sibling(cursor)) {
      if (!ts_tree_cursor_goto_parent(cursor)) return result;
    }
  }
}

}  // namespace

TEST_CASE("edit_between covers exactly the differing bytes, with rows and columns", "[python_parser]") {
  const auto edit = hm::detectors::edit_between("a = 1\nb = 2\nc = 3\n", "a = 1\nb = 22\nc = 3\n");
  CHECK(edit.start_byte == 11);  // common prefix "a = 1\nb = 2"
  CHECK(edit.old_end_byte == 11);
  CHECK(edit.new_end_byte == 12);
  CHECK(edit.start_point.row == 1);
  CHECK(edit.start_point.column == 5);
  CHECK(edit.new_end_point.row == 1);
  CHECK(edit.new_end_point.column == 6);

  const auto deletion = hm::detectors::edit_between("x\ny\nz\n", "x\nz\n");
  CHECK(deletion.start_byte == 2);
  CHECK(deletion.old_end_byte == 4);
  CHECK(deletion.new_end_byte == 2);
  CHECK(deletion.old_end_point.row == 2);
  CHECK(deletion.old_end_point.column == 0);

  const auto same = hm::detectors::edit_between("same\n", "same\n");
  CHECK(same.start_byte == same.old_end_byte);
  CHECK(same.start_byte == same.new_end_byte);
}

TEST_CASE("an incremental reparse gives the tree a fresh parse gives", "[python_parser]") {
  const std::string base =
      "import tensorflow as tf\n"
      "\n"
      "class Model(tf.keras.Model):\n"
      "    @tf.function\n"
      "    def call(self, x):\n"
      "        return x * 2  # \xc3\xa9t\xc3\xa9\n"
      "\n"
      "def train(model, data):\n"
      "    for batch in data:\n"
      "        model(batch)\n";
  const std::string versions[] = {
      base,
      // a line inserted in a method
      "import tensorflow as tf\n\nclass Model(tf.keras.Model):\n    @tf.function\n    def call(self, x):\n"
      "        y = x + 1\n        return y * 2  # \xc3\xa9t\xc3\xa9\n\ndef train(model, data):\n    for batch in data:\n"
      "        model(batch)\n",
      // the decorator removed and the loop body dedented (indentation changes what the scanner emits)
      "import tensorflow as tf\n\nclass Model(tf.keras.Model):\n    def call(self, x):\n"
      "        return x * 2  # \xc3\xa9t\xc3\xa9\n\ndef train(model, data):\n    for batch in data:\n        pass\n"
      "    model(batch)\n",
      // an edit inside a multi-byte character and an unterminated string (error recovery)
      "import tensorflow as tf\n\nclass Model(tf.keras.Model):\n    def call(self, x):\n"
      "        return x * 2  # \xc3t\xc3\xa9\n\ndef train(model, data:\n    s = 'open\n",
      // everything replaced, then emptied
      "print 'python 2'\n",
      "",
      base,
  };
  PythonParser parser;
  std::string previous_source;
  TreePtr previous_tree = parser.parse(previous_source);
  for (const auto& version : versions) {
    const auto incremental = parser.parse(version, previous_source, *previous_tree);
    const auto fresh = parser.parse(version);
    CHECK(nodes(*incremental) == nodes(*fresh));
    CHECK(count_syntax_errors(*incremental) == count_syntax_errors(*fresh));
    previous_source = version;
    previous_tree = parser.parse(version, previous_source, *incremental);  // no edit: a no-op reparse
  }
}

TEST_CASE("edits_between: one edit per hunk, last hunk first, in the old text's positions", "[python_parser]") {
  const std::string before = "import a\nx = 1\ny = 2\nz = 3\n";
  const std::string after = "import a, b\nx = 1\ny = 2\nz = 33\nw = 4";
  const auto edits = hm::detectors::edits_between(before, after);
  REQUIRE(edits.size() == 2);
  // The last hunk (z = 3 -> z = 33 and a new last line without '\n') comes first: the bytes that differ ("\n"
  // becomes "3\nw = 4" after "z = 3"), widened back into the token before ("3") and on to the end of the text.
  CHECK(edits[0].start_byte == 25);
  CHECK(edits[0].old_end_byte == 27);
  CHECK(edits[0].new_end_byte == 25 + 8);
  CHECK(edits[0].start_point.row == 3);
  CHECK(edits[0].start_point.column == 4);
  CHECK(edits[0].old_end_point.row == 4);
  CHECK(edits[0].old_end_point.column == 0);
  CHECK(edits[0].new_end_point.row == 4);
  CHECK(edits[0].new_end_point.column == 5);
  // "import a\n" -> "import a, b\n": ", b" inserted before the newline, widened from "a" through the next
  // line's first token ("x").
  CHECK(edits[1].start_byte == 7);
  CHECK(edits[1].old_end_byte == 10);
  CHECK(edits[1].new_end_byte == 13);
  CHECK(edits[1].start_point.row == 0);
  CHECK(edits[1].start_point.column == 7);
  CHECK(edits[1].old_end_point.row == 1);
  CHECK(edits[1].old_end_point.column == 1);
  CHECK(edits[1].new_end_point.row == 1);
  CHECK(edits[1].new_end_point.column == 1);

  CHECK(hm::detectors::edits_between(before, before).empty());
}

TEST_CASE("edits_between: edits are widened past the end of the statement they change, within the shared text",
          "[python_parser]") {
  // A closing bracket alone on its line may end the statement: the edit goes on to the next line's first token.
  const std::string before = "f(\n    1\n)\n\n# note\ng()\n";
  const std::string after = "f(\n    2\n)\n\n# note\ng()\n";
  auto edits = hm::detectors::edits_between(before, after);
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].start_byte == before.find('('));  // back over the indentation and newline into "("
  CHECK(edits[0].old_end_byte == before.find("g()") + 1);  // past ")", the blank and comment lines, through "g"
  CHECK(edits[0].new_end_byte == edits[0].old_end_byte);
  // Two hunks: the widening of the first stops where the second's edit starts, and no edit reaches into another.
  const std::string two_before = "a = 1\nc = 0\nb = 2\n";
  const std::string two_after = "a = 10\nc = 0\nb = 20\n";
  edits = hm::detectors::edits_between(two_before, two_after);
  REQUIRE(edits.size() == 2);
  CHECK(edits[0].start_byte == 16);  // "2" of "b = 2"
  CHECK(edits[0].old_end_byte == 18);
  CHECK(edits[1].start_byte == 4);  // "1" of "a = 1"
  CHECK(edits[1].old_end_byte == 7);  // through "c"
  // With the lines between gone, the first hunk's widening stops at the second's edit.
  edits = hm::detectors::edits_between("a = 1\n)\nb\n", "a = 10\n)\nbc\n");
  REQUIRE(edits.size() == 2);
  CHECK(edits[1].old_end_byte == edits[0].start_byte);
}

TEST_CASE("edits_between: lines inserted or deleted whole slide back to the end of the previous statement",
          "[python_parser]") {
  const std::string before = "class C:\n    def f(self):\n        return 1\n\n    def g(self):\n        return 2\n";
  const std::string method = "    def h(self):\n        return 3\n\n";
  const auto at = before.find("    def g");
  const std::string after = before.substr(0, at) + method + before.substr(at);
  // Inserted: the same text could start at `at` or anywhere back along the repeated "\n\n    def ...": it is
  // placed right after `return 1`, then widened from the "1" through the `def` of `g`.
  auto edits = hm::detectors::edits_between(before, after);
  REQUIRE(edits.size() == 1);
  const auto insert = before.find("return 1") + 8;
  CHECK(after.substr(insert, method.size()) == "\n\n    def h(self):\n        return 3");
  const auto widened = std::string("\n\n    def").size();
  CHECK(edits[0].start_byte == insert - 1);
  CHECK(edits[0].old_end_byte == insert + widened);
  CHECK(edits[0].new_end_byte == insert + widened + method.size());
  CHECK(edits[0].start_point.row == 2);
  CHECK(edits[0].start_point.column == 15);
  CHECK(edits[0].old_end_point.row == 4);
  CHECK(edits[0].old_end_point.column == 7);
  CHECK(edits[0].new_end_point.row == 7);
  CHECK(edits[0].new_end_point.column == 7);
  // Deleted: the same, backwards.
  edits = hm::detectors::edits_between(after, before);
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].start_byte == insert - 1);
  CHECK(edits[0].old_end_byte == insert + widened + method.size());
  CHECK(edits[0].new_end_byte == insert + widened);
  CHECK(edits[0].old_end_point.row == 7);
  CHECK(edits[0].new_end_point.row == 4);

  PythonParser parser;
  const auto old_tree = parser.parse(before);
  CHECK(nodes(*parser.parse(after, before, *old_tree)) == nodes(*parser.parse(after)));
}

namespace {

// How many tokens tree-sitter lexes to reparse `after` from `before`'s tree edited with `edits`: what the reparse
// could not reuse, counted from the parser's log (a count, not a time).
std::size_t tokens_lexed(const std::string& before, const std::string& after, const std::vector<TSInputEdit>& edits) {
  std::unique_ptr<TSParser, hm::detectors::ParserDeleter> parser(ts_parser_new());
  ts_parser_set_language(parser.get(), tree_sitter_python());
  TreePtr old_tree(ts_parser_parse_string(parser.get(), nullptr, before.data(), static_cast<uint32_t>(before.size())));
  for (const auto& edit : edits) ts_tree_edit(old_tree.get(), &edit);
  ts_parser_set_language(parser.get(), tree_sitter_python());
  std::size_t lexed = 0;
  ts_parser_set_logger(parser.get(), {&lexed, [](void* payload, TSLogType type, const char* message) {
                                        if (type == TSLogTypeParse && std::string_view(message).starts_with("lexed_"))
                                          ++*static_cast<std::size_t*>(payload);
                                      }});
  TreePtr tree(ts_parser_parse_string(parser.get(), old_tree.get(), after.data(), static_cast<uint32_t>(after.size())));
  return lexed;
}

}  // namespace

TEST_CASE("a reparse reuses the statements after an edit that ends a block at another indentation",
          "[python_parser]") {
  // A test class of 300 methods; a nested block appended to the 10th. Edited at exactly the bytes that differ,
  // the reparse lexes every method after it again (tree-sitter skips a subtree whose scanner state differs
  // instead of looking inside, and checks it before lexing the zero-width DEDENTs in front of it); widened by
  // edits_between, only the edit's neighbourhood.
  std::string before = "import unittest\n\nclass T(unittest.TestCase):\n";
  for (int i = 0; i < 300; ++i) {
    before += "    def test_" + std::to_string(i) + "(self):\n        x = " + std::to_string(i) +
              "\n        self.assertEqual(x, " + std::to_string(i) + ")\n\n";
  }
  const std::string anchor = "self.assertEqual(x, 9)\n";
  const auto at = before.find(anchor) + anchor.size();
  const std::string after = before.substr(0, at) + "        with self.subTest():\n            x += 1\n" +
                            before.substr(at);
  const auto widened = tokens_lexed(before, after, hm::detectors::edits_between(before, after));
  const auto exact = tokens_lexed(before, after, {hm::detectors::edit_between(before, after)});
  CHECK(widened < 50);
  CHECK(exact > 3000);  // about 17 tokens a method

  PythonParser parser;
  const auto old_tree = parser.parse(before);
  CHECK(nodes(*parser.parse(after, before, *old_tree)) == nodes(*parser.parse(after)));
}

TEST_CASE("edits_between: past 512 changed lines, one edit over the differing range, widened the same way",
          "[python_parser]") {
  std::string before;
  std::string after;
  for (int i = 0; i < 2000; ++i) {
    const auto line = "x" + std::to_string(i) + " = ";
    before += line + std::to_string(i) + "\n";
    after += line + std::to_string(700 <= i && i < 1300 ? i + 1 : i) + "\n";
  }
  const auto edits = hm::detectors::edits_between(before, after);
  REQUIRE(edits.size() == 1);
  const auto exact = hm::detectors::edit_between(before, after);
  CHECK(edits[0].start_byte == exact.start_byte - 1);  // into the "0" before the first differing digit
  CHECK(edits[0].old_end_byte == before.find("x1300") + 5);  // through the name on the next line
  CHECK(edits[0].new_end_byte == edits[0].old_end_byte + (exact.new_end_byte - exact.old_end_byte));
  CHECK(edits[0].start_point.row == 700);
  CHECK(edits[0].old_end_point.row == 1300);
  CHECK(edits[0].old_end_point.column == 5);

  PythonParser parser;
  const auto old_tree = parser.parse(before);
  CHECK(nodes(*parser.parse(after, before, *old_tree)) == nodes(*parser.parse(after)));
}

TEST_CASE("a version that rewrote most of the file is parsed from scratch, to the same tree", "[python_parser]") {
  std::string unix_text;
  for (int i = 0; i < 50; ++i) unix_text += "def f" + std::to_string(i) + "(x):\n    return x\n";
  std::string crlf_text;
  for (const char c : unix_text) crlf_text += c == '\n' ? std::string("\r\n") : std::string(1, c);
  PythonParser parser;
  const auto old_tree = parser.parse(unix_text);
  CHECK(nodes(*parser.parse(crlf_text, unix_text, *old_tree)) == nodes(*parser.parse(crlf_text)));
}

TEST_CASE("an incremental reparse over several hunks gives the tree a fresh parse gives", "[python_parser]") {
  // Versions that differ in several places at once: the top (imports), the middle and the end, with dedents,
  // a class split in two, lines without a final newline, CRLF lines and a broken string.
  std::vector<std::string> lines;
  for (int i = 0; i < 40; ++i) {
    lines.push_back("def f" + std::to_string(i) + "(x):\n");
    lines.push_back("    return x + " + std::to_string(i) + "\n");
  }
  const auto join = [](const std::vector<std::string>& parts) {
    std::string text;
    for (const auto& part : parts) text += part;
    return text;
  };
  std::vector<std::string> versions;
  versions.push_back(join(lines));
  auto edited = lines;
  edited.insert(edited.begin(), "import tensorflow as tf\n");
  edited[21] = "    return tf.constant(x)\n";
  edited.push_back("@tf.function\ndef g(y):\n    return y");
  versions.push_back(join(edited));
  edited[10] = "class C:\n";
  edited[31] = "  if x:\r\n";
  edited[50] = "s = 'unterminated\n";
  edited.erase(edited.begin() + 60, edited.begin() + 64);
  versions.push_back(join(edited));
  edited.erase(edited.begin());
  edited[5] = "    return (x +\n";
  versions.push_back(join(edited));
  versions.push_back(join(lines));

  PythonParser parser;
  for (std::size_t i = 1; i < versions.size(); ++i) {
    const auto previous = parser.parse(versions[i - 1]);
    const auto incremental = parser.parse(versions[i], versions[i - 1], *previous);
    const auto fresh = parser.parse(versions[i]);
    CHECK(nodes(*incremental) == nodes(*fresh));
    CHECK(hm::detectors::edits_between(versions[i - 1], versions[i]).size() > 1);
  }
}

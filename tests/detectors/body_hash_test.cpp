// The body hash: edits change it, formatting does not.
#include <catch2/catch.hpp>

#include <string>

#include "detectors/body_hash.hpp"
#include "detectors/python_parser.hpp"

using namespace hm::detectors;

TEST_CASE("the body hash ignores comments, docstrings, layout, redundant parentheses, quote style, number spelling and trailing commas", "[body_hash]") {
  const auto hash = [](const std::string& body) {
    PythonParser parser;
    const auto source = "def f(x):\n" + body;
    const auto tree = parser.parse(source);
    const TSNode function = ts_node_named_child(ts_tree_root_node(tree.get()), 0);
    return body_hash(ts_node_child_by_field_name(function, "body", 4), source);
  };
  const auto plain = hash("  y = g(x, 'a')\n  return y\n");
  CHECK(hash("  # a comment\n  y = g(x, 'a')  # why\n  return y\n") == plain);
  CHECK(hash("  \"\"\"Docstring.\"\"\"\n  y = g(x, 'a')\n  return y\n") == plain);
  CHECK(hash("    y = g(\n        x,\n        \"a\",\n    )\n    return y\n") == plain);
  CHECK(hash("  y = (g(x, 'a'))\n  return (\n      y\n  )\n") == plain);
  CHECK(hash("  y = g(x, 'b')\n  return y\n") != plain);
  CHECK(hash("  return (a + b) * c\n") != hash("  return a + b * c\n"));
  CHECK(hash("  return (a,)\n") != hash("  return (a)\n"));
  CHECK(hash("  return 1. - x * 0.50 + 1E3\n") == hash("  return 1.0 - x * 0.5 + 1e3\n"));
  CHECK(hash("  return 1.5\n") != hash("  return 1.05\n"));
  CHECK(hash("  return x\n") != hash("  return 'x'\n"));
  CHECK(hash("  return \"say \\\"hi\\\"\"\n") == hash("  return 'say \"hi\"'\n"));
  CHECK(hash("  return 'a\\\\'\n") != hash("  return 'a'\n"));
  CHECK(hash("  y = g(x, 'a', 1)\n  return y\n") != plain);
  CHECK(hash("  y = h(x, 'a')\n  return y\n") != plain);
  // The text of a string with escape sequences is part of the token, not only its escapes.
  CHECK(hash("  return 'ab\\n'\n") != hash("  return 'cd\\n'\n"));
  CHECK(hash("  return f'{x}a'\n") != hash("  return f'{x}b'\n"));
}


// The body hash: edits change it, formatting does not.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

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


namespace {

// The bodies of every function in `source`, in source order (nested ones too).
std::vector<TSNode> function_bodies(TSNode node) {
  std::vector<TSNode> bodies;
  if (std::string(ts_node_type(node)) == "function_definition") {
    bodies.push_back(ts_node_child_by_field_name(node, "body", 4));
  }
  for (std::uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
    for (const auto body : function_bodies(ts_node_named_child(node, i))) bodies.push_back(body);
  }
  return bodies;
}

}  // namespace

TEST_CASE("the body hash memo gives body_hash's answer, from memory for a body with the same text and column", "[body_hash]") {
  PythonParser parser;
  BodyHashMemo memo;
  const auto hashes = [&](const std::string& source) {
    const auto tree = parser.parse(source);
    std::vector<std::string> fresh;
    std::vector<std::string> memoised;
    for (const auto body : function_bodies(ts_tree_root_node(tree.get()))) {
      fresh.push_back(body_hash(body, source));
      memoised.push_back(memo.hash(body, source));
    }
    CHECK(memoised == fresh);
    return memoised;
  };
  const std::string first = "import os\n\ndef f(x):\n    y = g(x)\n    return y\n\ndef h():\n    return 2\n";
  const auto before = hashes(first);
  REQUIRE(before.size() == 2);
  CHECK(memo.hits() == 0);
  // Another version: f moved down and h edited. f comes from memory, h does not.
  const auto after = hashes("import os\nimport sys\n\ndef f(x):\n    y = g(x)\n    return y\n\ndef h():\n    return 3\n");
  CHECK(memo.hits() == 1);
  CHECK(after[0] == before[0]);
  CHECK(after[1] != before[1]);
  // The same one-line body text at another column is another entry (and hashes the same, as it parses the same).
  const auto in_class = hashes("class A:\n    def h(): return 3\n\ndef k(): return 3\n");
  CHECK(memo.hits() == 1);
  CHECK(in_class[0] == in_class[1]);
  hashes("class A:\n    def h(): return 3\n");
  CHECK(memo.hits() == 2);
  // A body on its def's line is another node type than the same text on a line of its own (found by the fuzzer).
  const auto own_line = hashes("def g(x, n):\n    return x ** n\n");
  const auto same_line = hashes("def g(x,\n ): return x ** n\n");
  CHECK(memo.hits() == 2);
  CHECK(own_line != same_line);
  // A body with a syntax error is never taken from memory: error recovery depends on its surroundings.
  const std::string broken = "def f(x):\n    y = g(x +\n    return y\n";
  hashes(broken);
  hashes(broken);
  CHECK(memo.hits() == 2);
}

TEST_CASE("the body hash memo stays within its capacity and keeps answering right", "[body_hash]") {
  PythonParser parser;
  BodyHashMemo memo(2);
  std::string source;
  for (int i = 0; i < 5; ++i) source += "def f" + std::to_string(i) + "():\n    return " + std::to_string(i) + "\n";
  const auto tree = parser.parse(source);
  const auto bodies = function_bodies(ts_tree_root_node(tree.get()));
  REQUIRE(bodies.size() == 5);
  for (int round = 0; round < 2; ++round) {
    for (const auto body : bodies) CHECK(memo.hash(body, source) == body_hash(body, source));
  }
  // Cleared whenever full, a memo of two holds no body when its turn comes round again; the last one stored is
  // found.
  CHECK(memo.hits() == 0);
  CHECK(memo.hash(bodies[4], source) == body_hash(bodies[4], source));
  CHECK(memo.hits() == 1);
}

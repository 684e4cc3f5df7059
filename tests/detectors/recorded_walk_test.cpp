// The recorded walk: replaying the previous version's record visits exactly what a cursor would.
#include <catch2/catch.hpp>

#include <tree_sitter/api.h>

#include <string>
#include <vector>

#include "detectors/recorded_walk.hpp"

#include "detectors/node_types.hpp"
#include "detectors/python_parser.hpp"

using hm::detectors::PythonParser;
using hm::detectors::TreePtr;
using hm::detectors::WalkRecord;
using hm::detectors::WalkVisit;

namespace {

struct Seen {
  TSNode node;
  TSNode parent;
  TSSymbol symbol;
  std::uint32_t end_byte;
  bool attribute_name;
  TSFieldId field;
  static bool same(const TSNode& a, const TSNode& b) {
    for (int i = 0; i < 4; ++i) {
      if (a.context[i] != b.context[i]) return false;
    }
    return a.id == b.id && a.tree == b.tree;
  }
  bool operator==(const Seen& other) const {
    return same(node, other.node) && same(parent, other.parent) && symbol == other.symbol &&
           end_byte == other.end_byte && attribute_name == other.attribute_name && field == other.field;
  }
};

std::size_t replayed_field_children = 0;

// field_child gives what the tree gives for the fields the analysis asks, replayed or not.
void check_field_children(const WalkVisit& visit) {
  namespace fields = hm::detectors::fields;
  for (const auto* field : {&fields::left, &fields::right, &fields::name, &fields::value, &fields::body}) {
    const auto child = hm::detectors::field_child(visit, *field);
    const TSNode asked = field->of(visit.node);
    CHECK(Seen::same(child.node, asked));
    if (ts_node_is_null(asked)) continue;
    CHECK(child.symbol == ts_node_symbol(asked));
    CHECK(child.end_byte == ts_node_end_byte(asked));
    if (visit.replayed()) ++replayed_field_children;
  }
}

// Enters everything but strings and names, as the analysis walk does (it decides from the node alone).
std::vector<Seen> walk(const TSTree& tree, const WalkRecord* known, WalkRecord* computed,
                       hm::detectors::AnonymousNodes anonymous = hm::detectors::AnonymousNodes::Enter) {
  std::vector<Seen> seen;
  hm::detectors::walk_recorded(ts_tree_root_node(&tree), known, computed, [&](const WalkVisit& visit) {
    const TSNode& n = visit.node;
    seen.push_back({n, visit.parent, visit.symbol, visit.end_byte, visit.attribute_name, visit.field});
    check_field_children(visit);
    // The parent is the nearest named ancestor the walk visited: it encloses the node.
    if (!ts_node_is_null(visit.parent)) {
      CHECK(ts_node_start_byte(visit.parent) <= ts_node_start_byte(n));
      CHECK(ts_node_end_byte(n) <= ts_node_end_byte(visit.parent));
    }
    // What the walk is given is what it would ask the node.
    CHECK(visit.symbol == ts_node_symbol(n));
    CHECK(visit.end_byte == ts_node_end_byte(n));
    return !hm::detectors::node::string.matches(visit.symbol) && !hm::detectors::node::identifier.matches(visit.symbol);
  }, anonymous);
  return seen;
}

std::size_t replayed(const WalkRecord& known, const WalkRecord& computed) {
  std::size_t count = 0;
  for (const auto& definition : computed.definitions) count += known.by_body.count(definition.body);
  return count;
}

}  // namespace

TEST_CASE("a walk replayed from the previous version's record visits what a cursor visits", "[recorded_walk]") {
  const std::string base =
      "import tensorflow as tf\n"
      "\n"
      "class Model(tf.keras.Model):\n"
      "    @tf.function\n"
      "    def call(self, x):\n"
      "        def inner(y):\n"
      "            return y.shape  # \xc3\xa9t\xc3\xa9\n"
      "        return inner(x) * 2\n"
      "\n"
      "    def fit(self, data):\n"
      "        return [d.numpy() for d in data]\n"
      "\n"
      "def train(model, data):\n"
      "    total = 0\n"
      "    total += len(data)\n"
      "    first, rest = data[0], data[1:]\n"
      "    limit: int\n"
      "    scale: float = 2.0\n"
      "    model.steps = total\n"
      "    for batch in data:\n"
      "        model(batch)\n"
      "\n"
      "class Other:\n"
      "    def f(self):\n"
      "        return 'text'\n";
  std::vector<std::string> versions = {base};
  auto with = [&](std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  // Lines inserted at the top: every definition moves down (rows and bytes).
  versions.push_back("import numpy as np\nimport os\n\n" + versions.back());
  // One method edited: the others, the nested function of the edited one and the other class are replayed.
  versions.push_back(with(versions.back(), "return [d.numpy() for d in data]", "return list(data)"));
  // A method inserted before the others, in the same class.
  versions.push_back(with(versions.back(), "    @tf.function\n", "    def first(self):\n        return 1\n\n    @tf.function\n"));
  // A line edited in the middle of the file, a function appended without a final newline.
  versions.push_back(with(versions.back(), "model(batch)", "model(batch, training=True)") + "\ndef last():\n    return 2");
  // The other class indented into a function (its column changes), and a comment on the class line.
  versions.push_back(with(versions.back(), "class Other:\n    def f(self):\n        return 'text'\n",
                          "def wrap():\n    class Other:  # moved\n        def f(self):\n            return 'text'\n"));
  // A syntax error in one function; then the base again.
  versions.push_back(with(versions.back(), "return list(data)", "return list(data"));
  versions.push_back(base);

  PythonParser parser;
  TreePtr previous = parser.parse(versions[0]);
  WalkRecord known;
  walk(*previous, nullptr, &known);
  std::size_t replays = 0;
  std::size_t skipping_replays = 0;
  for (std::size_t i = 1; i < versions.size(); ++i) {
    INFO("version " << i);
    TreePtr tree = parser.parse(versions[i], versions[i - 1], *previous);
    WalkRecord computed;
    const auto replaying = walk(*tree, &known, &computed);
    CHECK(replaying == walk(*tree, nullptr, nullptr));
    // The same with anonymous nodes left unentered (as the facts walk them), from its own records.
    WalkRecord known_skipping;
    walk(*previous, nullptr, &known_skipping, hm::detectors::AnonymousNodes::Skip);
    WalkRecord skipping;
    CHECK(walk(*tree, &known_skipping, &skipping, hm::detectors::AnonymousNodes::Skip) ==
          walk(*tree, nullptr, nullptr, hm::detectors::AnonymousNodes::Skip));
    skipping_replays += replayed(known_skipping, skipping);
    // The record replayed into is the record a full walk makes, definitions included.
    WalkRecord full;
    walk(*tree, nullptr, &full);
    REQUIRE(computed.definitions.size() == full.definitions.size());
    for (std::size_t d = 0; d < full.definitions.size(); ++d) {
      CHECK(computed.definitions[d].body == full.definitions[d].body);
      CHECK(computed.definitions[d].begin == full.definitions[d].begin);
      CHECK(computed.definitions[d].end == full.definitions[d].end);
    }
    replays += replayed(known, computed);
    // The next version is reparsed from this tree, which keeps the identities `computed` holds alive.
    previous = std::move(tree);
    known = std::move(computed);
  }
  // Not vacuous: most definitions came from the records, and field_child read many children from them.
  CHECK(replays >= 20);
  CHECK(replayed_field_children >= 50);
  CHECK(skipping_replays >= 20);
}

TEST_CASE("a walk without records visits every named node in pre-order", "[recorded_walk]") {
  PythonParser parser;
  const auto tree = parser.parse("def f(x):\n    return x.y\n");
  std::vector<std::string> types;
  std::vector<bool> attribute_names;
  hm::detectors::walk_recorded(ts_tree_root_node(tree.get()), nullptr, nullptr, [&](const WalkVisit& visit) {
    types.push_back(ts_node_type(visit.node));
    attribute_names.push_back(visit.attribute_name);
    return true;
  });
  CHECK(types == std::vector<std::string>{"module", "function_definition", "identifier", "parameters", "identifier",
                                          "block", "return_statement", "attribute", "identifier", "identifier"});
  CHECK(attribute_names == std::vector<bool>{false, false, false, false, false, false, false, false, false, true});
}

#pragma once
// A pre-order walk over the named nodes of a tree that records its visits, so that the walk of the file's next
// version can replay the visits of every function or class definition an edit did not touch instead of walking it
// again.
//
// Why: walking a tree (the cursor's moves and, more, touching every node's memory) is the largest cost of the
// findings analysis and of the facts, and on a long history most versions of a file differ from the previous one
// in a few functions. A tree reparsed incrementally shares the subtree of every untouched function with the tree it was parsed from, and a node's
// identity (TSNode::id, the address of its slot in its parent's child array) is the same inside a shared subtree.
// So a definition whose body has the identity of a recorded one (the body's slot lies in the definition's own
// child array) has the same nodes, in the same order, at positions moved by the definition's own shift: the
// recorded visits, moved, are the nodes a cursor would give. The facts' body hashes rest on the same identity
// (python_facts.hpp, BodyHashes).
//
// The visitor must decide whether to enter a node from the node's own subtree (its type and text) and from inputs
// that are the same for the whole walk; a record is replayed only where those inputs are equal (the caller keeps
// them in WalkRecord::context): a replayed definition repeats the recorded decisions.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <tree_sitter/api.h>

#include "detectors/node_types.hpp"

namespace hm::detectors {

struct WalkRecord;
struct Replay;

// What the visitor is given: the node and what a walk usually asks of each node first. They are recorded too,
// because a replay that asked the node would touch its subtree: the tree's memory, not the cursor's moves, is
// most of a walk's cost.
struct WalkVisit {
  TSNode node;
  TSSymbol symbol;          // ts_node_symbol
  std::uint32_t end_byte;   // ts_node_end_byte
  bool attribute_name;      // an identifier in the `attribute` field of its parent (`x.name`)
  TSNode parent;            // the nearest visited named ancestor; null for the root
  TSFieldId field = 0;      // the node's field in its parent (ts_tree_cursor_current_field_id), 0 for none
  // A replayed visit's record (null for a walked one): the record decided which nodes are visited, so the
  // visitor's answer (enter or not) is not asked for, and field_child reads children from it. A visitor can skip
  // working its answer out, and the node's memory that costs.
  const Replay* replay = nullptr;
  std::size_t index = 0;    // of the visit in the replay's record
  bool replayed() const { return replay != nullptr; }
};

constexpr std::uint32_t kNoParent = static_cast<std::uint32_t>(-1);

struct RecordedVisit {
  std::uint32_t context[4];  // TSNode::context: start byte, start row, start column, alias
  const void* id;            // TSNode::id
  std::uint32_t end_byte;
  std::uint32_t parent;      // index of the parent's visit, kNoParent for the root
  TSSymbol symbol;
  TSFieldId field;
  bool attribute_name;
};

// A definition being replayed: the record it comes from, and how its nodes move to the tree walked now.
struct Replay {
  const WalkRecord* known;
  std::size_t end;  // one past the definition's last visit in known
  TSNode anchor;    // the definition in the tree walked now
  std::uint32_t byte_shift;
  std::uint32_t row_shift;
};

// A named child of a visited node, with what a visit gives of it.
struct FieldChild {
  TSNode node{};  // null when the node has no such child
  TSSymbol symbol = 0;
  std::uint32_t end_byte = 0;
};

// Whether the walk enters anonymous nodes (the analysis does: a few grammars alias named rules to strings) or
// treats them as leaves (the facts do).
enum class AnonymousNodes { Enter, Skip };

// A function or class definition's visits: visits[begin, end), the definition itself first.
struct RecordedDefinition {
  const void* body = nullptr;  // the identity of its body: the key
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The visits of one walk of one tree. Valid only while that tree (or a copy of it) is alive: a freed subtree's
// address can be reused by a new one.
struct WalkRecord {
  // The walk-wide inputs of the visitor's decisions (the caller's to set and compare).
  std::vector<std::string> context;
  std::vector<RecordedVisit> visits;
  std::vector<RecordedDefinition> definitions;           // in walk order: nested ones right after their parent's
  std::unordered_map<const void*, std::size_t> by_body;  // body identity → index in definitions
};

namespace recorded_walk_detail {

inline const void* body_id(TSNode definition) {
  const TSNode body = field(definition, fields::body);
  return ts_node_is_null(body) ? nullptr : body.id;
}

inline RecordedVisit record(const WalkVisit& visit, std::uint32_t parent) {
  const TSNode& node = visit.node;
  return {{node.context[0], node.context[1], node.context[2], node.context[3]}, node.id, visit.end_byte, parent,
          visit.symbol, visit.field, visit.attribute_name};
}

// A recorded node moved to the tree of `anchor` by the given shift.
inline TSNode moved_node(const RecordedVisit& old, const TSNode& anchor, std::uint32_t byte_shift,
                         std::uint32_t row_shift) {
  TSNode node = anchor;
  node.context[0] = old.context[0] + byte_shift;
  node.context[1] = old.context[1] + row_shift;
  node.context[2] = old.context[2];
  node.context[3] = old.context[3];
  node.id = old.id;
  return node;
}

// Replays the visits of `known`'s definition `index`, moved to where `definition` starts, and records them (with
// the definitions inside) into `computed`. False when they cannot be reused.
template <typename Visit>
bool replay(const WalkRecord& known, std::size_t index, TSNode definition, TSFieldId definition_field,
            const TSNode& parent, std::uint32_t parent_index, WalkRecord* computed, Visit& visit) {
  const auto& recorded = known.definitions[index];
  const RecordedVisit& was = known.visits[recorded.begin];
  const TSPoint start = ts_node_start_point(definition);
  // Moved by whole lines only, as an edit before it moves it: a column shift would move the nodes of its first
  // line and not the others.
  if (start.column != was.context[2]) return false;
  const std::uint32_t byte_shift = ts_node_start_byte(definition) - was.context[0];  // modulo 2^32, as it adds
  const std::uint32_t row_shift = start.row - was.context[1];
  const Replay replay{&known, recorded.end, definition, byte_shift, row_shift};
  const std::size_t base = computed != nullptr ? computed->visits.size() : 0;
  for (std::size_t i = recorded.begin; i < recorded.end; ++i) {
    const RecordedVisit& old = known.visits[i];
    WalkVisit moved{definition, old.symbol, old.end_byte + byte_shift, old.attribute_name, parent, old.field,
                    &replay, i};
    std::uint32_t moved_parent = parent_index;
    if (i != recorded.begin) {
      moved.node = moved_node(old, definition, byte_shift, row_shift);
      // The parent lies inside the definition (the definition itself, or a node visited since).
      moved.parent = old.parent == recorded.begin
                         ? definition
                         : moved_node(known.visits[old.parent], definition, byte_shift, row_shift);
      moved_parent = static_cast<std::uint32_t>(base + (old.parent - recorded.begin));
    } else {
      // The definition itself as the cursor gave it: its alias and field come from its parent.
      moved.symbol = ts_node_symbol(definition);
      moved.field = definition_field;
    }
    if (computed != nullptr) computed->visits.push_back(record(moved, moved_parent));
    visit(moved);
  }
  if (computed == nullptr) return true;
  // The definitions inside it (their bodies keep their identity), for the version after this one.
  for (std::size_t d = index; d < known.definitions.size() && known.definitions[d].begin < recorded.end; ++d) {
    const auto& inner = known.definitions[d];
    computed->definitions.push_back({inner.body, base + (inner.begin - recorded.begin), base + (inner.end - recorded.begin)});
    computed->by_body[inner.body] = computed->definitions.size() - 1;
  }
  return true;
}

}  // namespace recorded_walk_detail

// Calls visit(WalkVisit) on every named node in pre-order, entering a node's children when visit returns true
// (ignored for a replayed visit: the replay visits what the recorded walk entered). A
// tree cursor, not recursion (generated code nests deeply), and O(1) steps (ts_node_named_child and
// ts_node_parent cost O(siblings) and O(depth) each in tree-sitter 0.20). Without records it is the plain walk.
// With `known` (the record of the tree this one was reparsed from), a function or class definition whose body
// `known` recorded is replayed from it instead of walked; with `computed`, this walk is recorded.
template <typename Visit>
void walk_recorded(TSNode root, const WalkRecord* known, WalkRecord* computed, Visit visit,
                   AnonymousNodes anonymous = AnonymousNodes::Enter) {
  using recorded_walk_detail::body_id;
  TreeCursor owner(root);
  TSTreeCursor* cursor = owner.get();
  struct Open {
    std::size_t definition;  // index in computed->definitions
    std::uint32_t depth;
  };
  std::vector<Open> open;  // definitions being walked, innermost last
  struct Ancestor {
    TSNode node;
    std::uint32_t index;  // of its visit in computed (kNoParent without one)
    std::uint32_t depth;
  };
  std::vector<Ancestor> ancestors;  // the visited named nodes the cursor is inside, innermost last
  std::uint32_t depth = 0;
  if (computed != nullptr && known != nullptr) {
    // About as many as last time: one allocation instead of a doubling series (each a copy, on fresh pages).
    computed->visits.reserve(known->visits.size() + known->visits.size() / 8);
    computed->definitions.reserve(known->definitions.size() + known->definitions.size() / 8);
    computed->by_body.reserve(known->by_body.size() + known->by_body.size() / 8);
  }
  // Reaching a node at `at` ends every definition walked at that depth or deeper.
  const auto close_from = [&](std::uint32_t at) {
    while (!open.empty() && open.back().depth >= at) {
      computed->definitions[open.back().definition].end = computed->visits.size();
      open.pop_back();
    }
  };
  while (true) {
    const TSNode node = ts_tree_cursor_current_node(cursor);
    const bool named = ts_node_is_named(node);
    bool descend = anonymous == AnonymousNodes::Enter;
    std::uint32_t index = kNoParent;
    if (named) {
      const TSNode parent = ancestors.empty() ? TSNode{} : ancestors.back().node;
      const std::uint32_t parent_index = ancestors.empty() ? kNoParent : ancestors.back().index;
      const TSSymbol symbol = ts_node_symbol(node);
      const bool definition = node::function_definition.matches(symbol) || node::class_definition.matches(symbol);
      const void* body = definition && (known != nullptr || computed != nullptr) ? body_id(node) : nullptr;
      std::optional<std::size_t> recorded;
      if (body != nullptr && known != nullptr) {
        if (const auto found = known->by_body.find(body); found != known->by_body.end()) recorded = found->second;
      }
      const TSFieldId field = ts_tree_cursor_current_field_id(cursor);
      if (recorded &&
          recorded_walk_detail::replay(*known, *recorded, node, field, parent, parent_index, computed, visit)) {
        descend = false;
      } else {
        const WalkVisit here{node, symbol, ts_node_end_byte(node),
                             node::identifier.matches(symbol) && field == fields::attribute.id(), parent, field};
        if (computed != nullptr) {
          if (body != nullptr) {
            computed->definitions.push_back({body, computed->visits.size(), computed->visits.size()});
            computed->by_body[body] = computed->definitions.size() - 1;
            open.push_back({computed->definitions.size() - 1, depth});
          }
          index = static_cast<std::uint32_t>(computed->visits.size());
          computed->visits.push_back(recorded_walk_detail::record(here, parent_index));
        }
        descend = visit(here);
      }
    }
    if (descend && ts_tree_cursor_goto_first_child(cursor)) {
      if (named) ancestors.push_back({node, index, depth});
      ++depth;
      continue;
    }
    while (!ts_tree_cursor_goto_next_sibling(cursor)) {
      if (!ts_tree_cursor_goto_parent(cursor)) {
        if (computed != nullptr) close_from(0);
        return;
      }
      --depth;
    }
    while (!ancestors.empty() && ancestors.back().depth >= depth) ancestors.pop_back();
    if (computed != nullptr) close_from(depth);
  }
}

// The named child of a visited node in `field`, as ts_node_child_by_field_id finds it (for a field that holds a
// named node, of a node the visitor enters). A replayed visit's child comes from the record, without touching the
// tree: the visit's children are the visits after it whose parent it is, and each carries its field; a node the
// recorded walk did not enter has none there.
inline FieldChild field_child(const WalkVisit& visit, const FieldName& field) {
  if (!visit.replayed()) {
    const TSNode child = field.of(visit.node);
    if (ts_node_is_null(child)) return {};
    return {child, ts_node_symbol(child), ts_node_end_byte(child)};
  }
  const Replay& replay = *visit.replay;
  const auto& visits = replay.known->visits;
  FieldChild found;
  // The visits inside this one follow it, each with a parent at or after it (kNoParent is the root's alone).
  for (std::size_t i = visit.index + 1; i < replay.end && visits[i].parent >= visit.index; ++i) {
    if (visits[i].parent == visit.index && visits[i].field == field.id()) {
      found = {recorded_walk_detail::moved_node(visits[i], replay.anchor, replay.byte_shift, replay.row_shift),
               visits[i].symbol, visits[i].end_byte + replay.byte_shift};
      break;
    }
  }
#ifndef NDEBUG
  const TSNode asked = field.of(visit.node);
  assert(ts_node_eq(found.node, asked));
  assert(ts_node_is_null(asked) ||
         (ts_node_start_byte(found.node) == ts_node_start_byte(asked) && found.symbol == ts_node_symbol(asked) &&
          found.end_byte == ts_node_end_byte(asked)));
#endif
  return found;
}

}  // namespace hm::detectors

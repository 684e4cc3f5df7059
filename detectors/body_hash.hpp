#pragma once
// The hash that tells a function body's edit from its reformatting. Comments, docstrings and other bare string
// statements (no-ops), layout, redundant parentheses, quote style, number spelling (1. and 1.0) and trailing
// commas do not change it: reformatting with black or editing a docstring is not a change of the compiled
// function. The tree's shape is part of the hash (each named node opens and closes), so dropping parentheses
// never makes `(a + b) * c` equal `a + b * c`.
#include <string>
#include <string_view>

#include <tree_sitter/api.h>

namespace hm::detectors {

// 16 hex digits. `body` is a node of a tree parsed from `source`.
std::string body_hash(TSNode body, std::string_view source);

}  // namespace hm::detectors

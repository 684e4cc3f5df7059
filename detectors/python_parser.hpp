#pragma once
// tree-sitter-python behind RAII: a parser (one per thread: TSParser is not thread-safe) and the trees it makes.
// Python 2 and broken files still parse: tree-sitter recovers and marks the bad parts with ERROR nodes.
#include <tree_sitter/api.h>

#include <cstdint>
#include <memory>
#include <string_view>

extern "C" const TSLanguage* tree_sitter_python();

namespace hm::detectors {

struct ParserDeleter {
  void operator()(TSParser* parser) const noexcept { ts_parser_delete(parser); }
};
struct TreeDeleter {
  void operator()(TSTree* tree) const noexcept { ts_tree_delete(tree); }
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

class PythonParser {
 public:
  // Throws hm::Error when the grammar's ABI does not match the tree-sitter runtime.
  PythonParser();
  // Parses UTF-8 source. Invalid bytes do not stop the parse; they end up inside ERROR nodes.
  TreePtr parse(std::string_view source);

 private:
  std::unique_ptr<TSParser, ParserDeleter> parser_;
};

// Number of ERROR and MISSING nodes in a tree: 0 for a file that parses cleanly.
std::uint32_t count_syntax_errors(const TSTree& tree);

}  // namespace hm::detectors

// Change kinds from two versions of Python files.
#include <catch2/catch.hpp>

#include <string>

#include "detectors/change_classifier.hpp"

using namespace hm::detectors;

namespace {

struct Versions {
  std::vector<FileFacts> facts;  // owned facts; FileSides point into it
  std::vector<FileSides> files;
};

// Each file: {old_path, old_source, new_path, new_source}; an empty path means that side does not exist.
std::vector<std::string> classify(const std::vector<std::array<std::string, 4>>& files) {
  PythonParser parser;
  std::vector<FileFacts> facts;
  facts.reserve(files.size() * 2);
  std::vector<FileSides> sides;
  for (const auto& [old_path, old_source, new_path, new_source] : files) {
    FileSides side;
    if (!old_path.empty()) {
      side.old_path = old_path;
      facts.push_back(analyse_python(old_source, parser));
      side.old_facts = &facts.back();
    }
    if (!new_path.empty()) {
      side.new_path = new_path;
      facts.push_back(analyse_python(new_source, parser));
      side.new_facts = &facts.back();
    }
    sides.push_back(side);
  }
  std::vector<std::string> result;
  for (const auto& c : classify_changes(sides)) {
    std::string text = c.kind + " " + c.api + " " + c.function;
    if (c.old_api) text += " from " + *c.old_api;
    auto list = [&](const char* label, const std::vector<std::string>& names) {
      if (names.empty()) return;
      text += std::string(" ") + label + ":";
      for (const auto& n : names) text += n + (&n == &names.back() ? "" : ",");
    };
    list("+", c.args_added);
    list("-", c.args_removed);
    list("~", c.args_modified);
    text += " " + c.old_path.value_or("-") + "->" + c.path.value_or("-");
    result.push_back(text);
  }
  return result;
}

using Changes = std::vector<std::string>;
const std::string kHeader = "import tensorflow as tf\n";

}  // namespace

TEST_CASE("classify: eager to hybrid and back", "[change_classifier]") {
  const auto eager = kHeader + "def step(x):\n  return x\n";
  const auto hybrid = kHeader + "@tf.function\ndef step(x):\n  return x\n";
  CHECK(classify({{"a.py", eager, "a.py", hybrid}}) == Changes{"added tf.function step a.py->a.py"});
  CHECK(classify({{"a.py", hybrid, "a.py", eager}}) == Changes{"removed tf.function step a.py->a.py"});
  CHECK(classify({{"a.py", hybrid, "a.py", hybrid + "\n# comment\n"}}).empty());
}

TEST_CASE("classify: new and deleted files", "[change_classifier]") {
  const auto hybrid = kHeader + "@tf.function(jit_compile=True)\ndef step(x):\n  return x\n";
  CHECK(classify({{"", "", "new.py", hybrid}}) == Changes{"added tf.function step +:jit_compile -->new.py"});
  CHECK(classify({{"old.py", hybrid, "", ""}}) == Changes{"removed tf.function step -:jit_compile old.py->-"});
}

TEST_CASE("classify: arguments added, removed, changed and renamed", "[change_classifier]") {
  const auto before = kHeader + "@tf.function(experimental_relax_shapes=True, autograph=False)\ndef f(x):\n  return x\n";
  const auto after = kHeader + "@tf.function(reduce_retracing=True, autograph=True)\ndef f(x):\n  return x\n";
  CHECK(classify({{"a.py", before, "a.py", after}}) ==
        Changes{"args_changed tf.function f +:reduce_retracing -:experimental_relax_shapes ~:autograph a.py->a.py"});
  const auto bare = kHeader + "@tf.function\ndef f(x):\n  return x\n";
  const auto signed_ = kHeader + "@tf.function(input_signature=[tf.TensorSpec([None])])\ndef f(x):\n  return x\n";
  CHECK(classify({{"a.py", bare, "a.py", signed_}}) == Changes{"args_changed tf.function f +:input_signature a.py->a.py"});
}

TEST_CASE("classify: API changed and body changed", "[change_classifier]") {
  const auto defun = kHeader + "@tf.contrib.eager.defun\ndef f(x):\n  return x\n";
  const auto function = kHeader + "@tf.function\ndef f(x):\n  return x\n";
  CHECK(classify({{"a.py", defun, "a.py", function}}) == Changes{"api_changed tf.function f from tf.defun a.py->a.py"});
  const auto edited = kHeader + "@tf.function\ndef f(x):\n  return x * 2\n";
  CHECK(classify({{"a.py", function, "a.py", edited}}) == Changes{"body_changed tf.function f a.py->a.py"});
  const std::string traced = "import torch\nm = torch.jit.trace(model, x)\n";
  const std::string compiled = "import torch\nm = torch.compile(model)\n";
  CHECK(classify({{"m.py", traced, "m.py", compiled}}) == Changes{"api_changed torch.compile model from torch.jit.trace m.py->m.py"});
}

TEST_CASE("classify: renamed files and moved functions are matched", "[change_classifier]") {
  const auto hybrid = kHeader + "@tf.function\ndef step(x):\n  return x\n";
  CHECK(classify({{"utils/data.py", hybrid, "utils/dataset.py", hybrid + "\nY = 1\n"}}).empty());
  // Moved to another file in the same commit, with an argument added on the way.
  const auto moved = kHeader + "@tf.function(jit_compile=True)\ndef step(x):\n  return x\n";
  CHECK(classify({{"a.py", hybrid, "a.py", kHeader}, {"", "", "b.py", moved}}) ==
        Changes{"args_changed tf.function step +:jit_compile a.py->b.py"});
  // Renamed in place with the same body.
  const auto renamed = kHeader + "@tf.function\ndef _step(x):\n  return x\n";
  CHECK(classify({{"a.py", hybrid, "a.py", renamed}}).empty());
}

TEST_CASE("classify: a decorator removed while a test wraps the function is not a move", "[change_classifier]") {
  const auto decorated = kHeader + "@tf.function\ndef rotate(x):\n  return x\n";
  const auto plain = kHeader + "def rotate(x):\n  return x\n";
  const auto test = kHeader + "import ops\ndef test():\n  tf.function(ops.rotate)(1)\n";
  CHECK(classify({{"ops.py", decorated, "ops.py", plain}, {"", "", "ops_test.py", test}}) ==
        Changes{"removed tf.function rotate ops.py->ops.py", "added tf.function ops.rotate -->ops_test.py"});
}

TEST_CASE("classify: annotations and non-hybrid edits produce nothing", "[change_classifier]") {
  const std::string before = "import torch\ndef f(x):\n  return x\n";
  const std::string after = "import torch\n@torch.jit.ignore\ndef f(x):\n  return x\n";
  CHECK(classify({{"a.py", before, "a.py", after}}).empty());
  CHECK(classify({{"a.py", "x = 1\n", "a.py", "x = 2\n"}}).empty());
}

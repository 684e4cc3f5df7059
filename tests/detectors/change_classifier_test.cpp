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
      facts.push_back(analyse_python_unfiltered(old_source, parser));
      side.old_facts = &facts.back();
    }
    if (!new_path.empty()) {
      side.new_path = new_path;
      facts.push_back(analyse_python_unfiltered(new_source, parser));
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

TEST_CASE("classify: a function renamed with its body edited, in a renamed file, is one function", "[change_classifier]") {
  const auto before = kHeader + "@tf.function\ndef median_filter_2D(x):\n  return x\n";
  const auto after = kHeader + "@tf.function\ndef median_filter2d(image):\n  return image + 0\n";
  CHECK(classify({{"image/median_filter_2d.py", before, "image/filters.py", after}}) ==
        Changes{"body_changed tf.function median_filter2d image/median_filter_2d.py->image/filters.py"});
  // Nested helpers renamed together with their test.
  const auto nested_before = kHeader + "def test_reset_states():\n  @tf.function\n  def reset_states(m):\n    m.reset()\n";
  const auto nested_after = kHeader + "def test_reset_state():\n  @tf.function\n  def reset_state(m):\n    m.reset()\n";
  CHECK(classify({{"t.py", nested_before, "t.py", nested_after}}).empty());
  // The rename keeps what is said about the decorator itself.
  const auto with_args = kHeader + "@tf.function(jit_compile=True)\ndef median_filter2d(x):\n  return x\n";
  CHECK(classify({{"a.py", before, "a.py", with_args}}) ==
        Changes{"args_changed tf.function median_filter2d +:jit_compile a.py->a.py"});
}

TEST_CASE("classify: a decorator that moves between two functions that both stay is not a rename", "[change_classifier]") {
  const auto before = kHeader + "@tf.function\ndef f(x):\n  return x\ndef g(x):\n  return x\n";
  const auto after = kHeader + "def f(x):\n  return x\n@tf.function\ndef g(x):\n  return x\n";
  CHECK(classify({{"a.py", before, "a.py", after}}) ==
        Changes{"removed tf.function f a.py->a.py", "added tf.function g a.py->a.py"});
  // Two layers' `call` methods in two files: one loses its decorator, the other gains one.
  const auto layer = [](const std::string& name, bool hybrid) {
    return kHeader + "class " + name + ":\n" + (hybrid ? "  @tf.function\n" : "") + "  def call(self, x):\n    return x\n";
  };
  CHECK(classify({{"a.py", layer("A", true), "a.py", layer("A", false)}, {"b.py", layer("B", false), "b.py", layer("B", true)}}) ==
        Changes{"removed tf.function A.call a.py->a.py", "added tf.function B.call b.py->b.py"});
}

TEST_CASE("classify: a side broken by syntax errors is no evidence of removal or addition", "[change_classifier]") {
  const auto clean = kHeader + "@tf.function\ndef run_fn(x):\n  return x\n";
  const auto conflicted = kHeader + "<<<<<<< HEAD\n@tf.function\n=======\n>>>>>>> branch\ndef run_fn(x):\n  return x\n";
  CHECK(classify({{"a.py", clean, "a.py", conflicted}}).empty());
  CHECK(classify({{"a.py", conflicted, "a.py", clean}}).empty());
  // What both sides show still counts: an argument added next to a broken part.
  const auto clean_args = kHeader + "@tf.function(jit_compile=True)\ndef run_fn(x):\n  return x\n";
  const auto broken_args = kHeader + "@tf.function(jit_compile=False)\ndef run_fn(x):\n  return x\ndef g(:\n";
  CHECK(classify({{"a.py", clean_args, "a.py", broken_args}}) == Changes{"args_changed tf.function run_fn ~:jit_compile a.py->a.py"});
  // A deleted file with errors is still a removal.
  CHECK(classify({{"a.py", broken_args, "", ""}}) == Changes{"removed tf.function run_fn -:jit_compile a.py->-"});
}

TEST_CASE("classify: forwarded keyword mappings are arguments", "[change_classifier]") {
  const auto before = kHeader + "def f(x):\n  return x\nstep = tf.function(f)\n";
  const auto after = kHeader + "def f(x):\n  return x\nstep = tf.function(f, **options)\n";
  CHECK(classify({{"a.py", before, "a.py", after}}) == Changes{"args_changed tf.function f +:**options a.py->a.py"});
}

TEST_CASE("classify: when several hybrid functions vanish and appear, none is taken for a rename", "[change_classifier]") {
  const auto before = kHeader + "class T:\n  def fit(self):\n    @tf.function\n    def train_step(x):\n      return x\n"
                                "  def evaluate(self):\n    @tf.function\n    def test_step(x):\n      return x\n";
  const auto after = kHeader + "class T:\n  def make_train(self):\n    @tf.function\n    def compiled_train(x):\n      return x + 1\n"
                               "  def make_test(self):\n    @tf.function\n    def compiled_test(x):\n      return x + 1\n";
  CHECK(classify({{"t.py", before, "t.py", after}}) ==
        Changes{"removed tf.function T.evaluate.test_step t.py->t.py", "removed tf.function T.fit.train_step t.py->t.py",
                "added tf.function T.make_test.compiled_test t.py->t.py", "added tf.function T.make_train.compiled_train t.py->t.py"});
}

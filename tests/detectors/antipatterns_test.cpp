// One positive and one negative program per anti-pattern of the catalogue, and the catalogue's own integrity.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

#include "detectors/antipatterns.hpp"

using hm::detectors::antipattern_catalogue;
using hm::detectors::Finding;
using hm::detectors::ModuleSource;
using hm::detectors::PythonParser;

namespace {

// "id function@line" for every finding of a program (file A.py, or the given path).
std::vector<std::string> findings(const std::string& source, const std::string& path = "A.py") {
  PythonParser parser;
  const auto project = hm::detectors::analyse_project({ModuleSource{path, source}}, parser);
  std::vector<std::string> out;
  const auto add = [&](const std::vector<Finding>& list) {
    for (const auto& f : list) out.push_back(f.antipattern + " " + f.function + "@" + std::to_string(f.line));
  };
  for (const auto& function : project.functions) add(hm::detectors::function_findings(function));
  for (const auto& module : project.module_evidence) add(hm::detectors::module_findings(module));
  return out;
}

using Findings = std::vector<std::string>;
const std::string kTf = "import tensorflow as tf\n";

}  // namespace

TEST_CASE("the catalogue: unique ids, every field filled, valid severities", "[antipatterns]") {
  std::set<std::string_view> ids;
  for (const auto& entry : antipattern_catalogue()) {
    CHECK(ids.insert(entry.id).second);
    CHECK_FALSE(entry.family.empty());
    CHECK_FALSE(entry.description.empty());
    CHECK_FALSE(entry.recommendation.empty());
    CHECK_FALSE(entry.example.empty());
    CHECK((entry.severity == "error" || entry.severity == "warning" || entry.severity == "note"));
  }
  CHECK(ids.size() == 12);
}

TEST_CASE("every catalogue example is detected as its own anti-pattern", "[antipatterns]") {
  for (const auto& entry : antipattern_catalogue()) {
    std::string program = kTf + "import numpy as np\n" + std::string(entry.example);
    // Examples show the definition; a call makes the facts determinable.
    if (entry.id == "python-side-effect-in-hybrid-function" || entry.id == "eager-only-call-in-hybrid-function" ||
        entry.id == "numpy-on-tensor-parameter-in-hybrid-function" || entry.id == "variable-created-in-hybrid-function" ||
        entry.id == "captured-python-global-in-hybrid-function") {
      const auto name = program.substr(program.find("def ") + 4, program.find('(', program.find("def ")) - program.find("def ") - 4);
      program += name + "(tf.ones([2]))\n";
    } else if (entry.id == "recursive-hybrid-function") {
      program += "fact(tf.constant(3))\n";
    } else if (entry.id == "redundant-nested-hybridization") {
      program += "outer(tf.ones([1]))\n";
    } else if (entry.id == "python-iterator-in-hybrid-function") {
      program += "f(iter([1, 2]))\n";
    }
    const auto found = findings(program);
    INFO(entry.id << "\n" << program);
    CHECK(std::any_of(found.begin(), found.end(), [&](const std::string& f) { return f.starts_with(std::string(entry.id) + " "); }));
  }
}

TEST_CASE("Python side effect in a hybrid function", "[antipatterns]") {
  CHECK(findings(kTf + "@tf.function\ndef f(x):\n  print(x)\n  return x\nf(tf.ones([1]))\n") ==
        Findings{"python-side-effect-in-hybrid-function f@4"});
  CHECK(findings(kTf + "@tf.function\ndef f(x):\n  tf.print(x)\n  return x\nf(tf.ones([1]))\n").empty());
  CHECK(findings(kTf + "def f(x):\n  print(x)\nf(tf.ones([1]))\n").empty());  // eager: fine
}

TEST_CASE("tf.Variable created in a hybrid function, unless guarded", "[antipatterns]") {
  CHECK(findings(kTf + "@tf.function\ndef f(x):\n  v = tf.Variable(1.0)\n  return v * x\nf(tf.ones([1]))\n") ==
        Findings{"variable-created-in-hybrid-function f@4"});
  CHECK(findings(kTf + "class M(tf.Module):\n  def __init__(self):\n    self.v = None\n"
                       "  @tf.function\n  def __call__(self, x):\n    if self.v is None:\n      self.v = tf.Variable(1.0)\n"
                       "    return self.v * x\n"
                       "m = M()\nm(tf.ones([1]))\n") == Findings{"python-side-effect-in-hybrid-function M.__call__@8"});
}

TEST_CASE("hybrid function created per call or in a loop", "[antipatterns]") {
  CHECK(findings(kTf + "def train(xs):\n  @tf.function\n  def step(x):\n    return x\n  return step(xs)\n"
                       "train(tf.ones([1]))\n") == Findings{"hybrid-function-created-per-call train@4"});
  CHECK(findings(kTf + "for i in range(3):\n  g = tf.function(lambda x: x)\n") ==
        Findings{"hybrid-function-created-per-call @3"});
  // Nested in a hybrid function: traced once with it.
  CHECK(findings(kTf + "@tf.function\ndef outer(xs):\n  @tf.function\n  def step(x):\n    return x * 2\n  return step(xs)\n"
                       "outer(tf.ones([1]))\n") == Findings{"redundant-nested-hybridization outer.step@5"});
}

TEST_CASE("hybrid function called with varying Python scalars", "[antipatterns]") {
  CHECK(findings(kTf + "@tf.function\ndef f(x, n):\n  return x * n\nf(tf.ones([1]), 1)\nf(tf.ones([1]), 2)\n") ==
        Findings{"retracing-on-python-scalars f@5"});
  CHECK(findings(kTf + "@tf.function\ndef f(x, n):\n  return x * n\nfor i in range(5):\n  f(tf.ones([1]), i)\n") ==
        Findings{"retracing-on-python-scalars f@6"});
  CHECK(findings(kTf + "@tf.function\ndef f(x, n):\n  return x * n\nf(tf.ones([1]), 1)\nf(tf.ones([2]), 1)\n").empty());
}

TEST_CASE("eager-only calls in a hybrid function", "[antipatterns]") {
  CHECK(findings(kTf + "@tf.function\ndef f(x):\n  return x.numpy()\nf(tf.ones([1]))\n") ==
        Findings{"eager-only-call-in-hybrid-function f@4"});
  CHECK(findings(kTf + "@tf.function\ndef f(x):\n  for row in x:\n    pass\n  return x\nf(tf.ones([1]))\n") ==
        Findings{"eager-only-call-in-hybrid-function f@4"});
  CHECK(findings(kTf + "@tf.function\ndef f(x):\n  for i in tf.range(3):\n    x = x + 1\n  return x\nf(tf.ones([1]))\n").empty());
}

TEST_CASE("NumPy on tensor parameters in a hybrid function", "[antipatterns]") {
  CHECK(findings(kTf + "import numpy as np\n@tf.function\ndef f(x):\n  return np.sum(x)\nf(tf.ones([1]))\n") ==
        Findings{"numpy-on-tensor-parameter-in-hybrid-function f@5"});
  CHECK(findings(kTf + "import numpy as np\n@tf.function\ndef f(x):\n  return x * np.pi\nf(tf.ones([1]))\n").empty());
}

TEST_CASE("recursive hybrid function", "[antipatterns]") {
  CHECK(findings(kTf + "@tf.function\ndef f(n):\n  return f(n - 1)\nf(tf.constant(3))\n") ==
        Findings{"recursive-hybrid-function f@3"});
  CHECK(findings(kTf + "def f(n):\n  return f(n - 1)\nf(tf.constant(3))\n").empty());
}

TEST_CASE("redundant nested decorator: hybrid function only called from hybrid functions", "[antipatterns]") {
  CHECK(findings(kTf + "@tf.function\ndef inner(x):\n  return x\n@tf.function\ndef outer(x):\n  return inner(x)\n"
                       "outer(tf.ones([1]))\n") == Findings{"redundant-nested-hybridization inner@3"});
  CHECK(findings(kTf + "@tf.function\ndef inner(x):\n  return x\n@tf.function\ndef outer(x):\n  return inner(x)\n"
                       "outer(tf.ones([1]))\ninner(tf.ones([1]))\n").empty());
}

TEST_CASE("deprecated tf.function arguments", "[antipatterns]") {
  CHECK(findings(kTf + "@tf.function(experimental_relax_shapes=True, experimental_compile=True)\ndef f(x):\n  return x\n"
                       "f(tf.ones([1]))\n") == Findings{"deprecated-hybridization-argument f@3",
                                                        "deprecated-hybridization-argument f@3"});
  CHECK(findings(kTf + "@tf.function(reduce_retracing=True, jit_compile=True)\ndef f(x):\n  return x\nf(tf.ones([1]))\n").empty());
}

TEST_CASE("run_functions_eagerly(True) outside tests", "[antipatterns]") {
  CHECK(findings(kTf + "tf.config.run_functions_eagerly(True)\n") == Findings{"run-functions-eagerly-left-on @2"});
  CHECK(findings(kTf + "def debug():\n  tf.config.run_functions_eagerly(True)\n") ==
        Findings{"run-functions-eagerly-left-on @3"});
  CHECK(findings(kTf + "tf.config.run_functions_eagerly(False)\n").empty());
  CHECK(findings(kTf + "tf.config.run_functions_eagerly(True)\n", "tests/test_model.py").empty());
}

TEST_CASE("Python iterators consumed in a hybrid function", "[antipatterns]") {
  CHECK(findings(kTf + "@tf.function\ndef f(it):\n  return next(it)\nf(iter([1, 2]))\n") ==
        Findings{"python-iterator-in-hybrid-function f@4"});
  CHECK(findings(kTf + "def gen():\n  yield 1\n@tf.function\ndef f(x):\n  for v in gen():\n    x = x + v\n  return x\n"
                       "f(tf.ones([1]))\n") == Findings{"python-iterator-in-hybrid-function f@6"});
  CHECK(findings(kTf + "@tf.function\ndef f(ds):\n  for batch in ds:\n    pass\n  return 0\n"
                       "f(tf.data.Dataset.range(3))\n").empty());
}

TEST_CASE("global Python variables read in a hybrid function", "[antipatterns]") {
  CHECK(findings(kTf + "scale = 2.0\n@tf.function\ndef f(x):\n  return x * scale\nf(tf.ones([1]))\n") ==
        Findings{"captured-python-global-in-hybrid-function f@5"});
  // Constants, functions, modules and parameters are not captured state.
  CHECK(findings(kTf + "SCALE = 2.0\ndef helper(x):\n  return x\n@tf.function\ndef f(x):\n  return helper(x) * SCALE + tf.ones([1])\n"
                       "f(tf.ones([1]))\n").empty());
}

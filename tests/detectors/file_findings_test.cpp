// Findings of one file version (what mining stores in blob_findings; function findings sit on the `def` line):
// Python sources, notebooks mapped back to their cells, and the same bytes giving the same findings.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "detectors/file_findings.hpp"
#include "util/error.hpp"

using hm::detectors::file_findings;
using hm::detectors::PythonParser;

namespace {

// "id function cell:line detail" per finding; cell "-" for .py files.
std::vector<std::string> described(const std::string& bytes, const std::string& language) {
  PythonParser parser;
  std::vector<std::string> out;
  for (const auto& f : file_findings(bytes, language, parser)) {
    out.push_back(f.antipattern + " " + f.function + " " + (f.cell ? std::to_string(*f.cell) : "-") + ":" +
                  std::to_string(f.line) + " " + f.detail);
  }
  return out;
}

const std::string kModule =
    "import tensorflow as tf\n"
    "\n"
    "@tf.function(experimental_relax_shapes=True)\n"
    "def step(x):\n"
    "    return x * 2\n"
    "\n"
    "tf.config.run_functions_eagerly(True)\n";

}  // namespace

TEST_CASE("file findings of a Python module: function findings, then module-level ones", "[detectors][findings]") {
  CHECK(described(kModule, "python") ==
        std::vector<std::string>{"deprecated-hybridization-argument step -:4 experimental_relax_shapes=True",
                                 "run-functions-eagerly-left-on  -:7 tf.config.run_functions_eagerly(True)"});
  CHECK(described("import tensorflow as tf\n\n@tf.function\ndef step(x):\n    return x * 2\n", "python").empty());
}

TEST_CASE("file findings: the same bytes give the same findings with a reused parser", "[detectors][findings]") {
  PythonParser parser;
  const auto once = file_findings(kModule, "python", parser);
  const auto twice = file_findings(kModule, "python", parser);
  REQUIRE(once.size() == twice.size());
  for (std::size_t i = 0; i < once.size(); ++i) {
    CHECK(once[i].antipattern == twice[i].antipattern);
    CHECK(once[i].line == twice[i].line);
  }
}

TEST_CASE("file findings of a notebook are placed in their cell", "[detectors][findings]") {
  const std::string notebook =
      R"({"nbformat": 4, "metadata": {}, "cells": [)"
      R"({"cell_type": "markdown", "source": ["# Training"]},)"
      R"({"cell_type": "code", "source": ["import tensorflow as tf\n"]},)"
      R"({"cell_type": "code", "source": ["%time\n", "@tf.function(experimental_compile=True)\n", )"
      R"("def step(x):\n", "    return x\n"]}]})";
  CHECK(described(notebook, "jupyter") ==
        std::vector<std::string>{"deprecated-hybridization-argument step 2:3 experimental_compile=True"});
  PythonParser parser;
  CHECK_THROWS_AS(file_findings("not a notebook", "jupyter", parser), hm::Error);
}

TEST_CASE("file findings of broken sources are partial, never a crash", "[detectors][findings]") {
  CHECK(described("import tensorflow as tf\n\n@tf.function(experimental_compile=True)\ndef step(x:\n", "python")
            .size() <= 1);
  CHECK(described(std::string("\x00\x01\x02", 3), "python").empty());
}

namespace {

// "function line hybrid api refactoring transformation precondition failures" per function; '-' for none.
std::vector<std::string> advised(const std::string& bytes, const std::string& language) {
  PythonParser parser;
  std::vector<std::string> out;
  for (const auto& a : hm::detectors::file_report(bytes, language, parser).advice) {
    std::string failures;
    for (const auto& code : a.failures) failures += (failures.empty() ? "" : ",") + code;
    out.push_back(a.function + " " + (a.cell ? std::to_string(*a.cell) + ":" : "") + std::to_string(a.line) + " " +
                  (a.is_hybrid ? "hybrid " : "eager ") + (a.api.empty() ? "-" : a.api) + " " +
                  a.refactoring.value_or("-") + " " + a.transformation.value_or("-") + " " +
                  a.passing_precondition.value_or("-") + " " + (failures.empty() ? "-" : failures));
  }
  return out;
}

const std::string kAdvised =
    "import tensorflow as tf\n"
    "\n"
    "\n"
    "def scale(x):\n"
    "    return tf.reduce_sum(x) * 2\n"
    "\n"
    "\n"
    "def report(x):\n"
    "    print(x)\n"
    "    return tf.reduce_sum(x)\n"
    "\n"
    "\n"
    "@tf.function\n"
    "def step(n):\n"
    "    return n + 1\n"
    "\n"
    "\n"
    "scale(tf.constant([1.0]))\n"
    "report(tf.constant([2.0]))\n"
    "step(3)\n";

}  // namespace

TEST_CASE("file report: the advisor's answer for every function, eager and hybrid", "[detectors][advice]") {
  CHECK(advised(kAdvised, "python") ==
        std::vector<std::string>{
            "scale 4 eager - CONVERT_EAGER_FUNCTION_TO_HYBRID CONVERT_TO_HYBRID P1 -",
            "report 8 eager - CONVERT_EAGER_FUNCTION_TO_HYBRID - - HAS_PYTHON_SIDE_EFFECTS",
            "step 14 hybrid tf.function OPTIMIZE_HYBRID_FUNCTION CONVERT_TO_EAGER P2 -"});
  // The findings of the same analysis are file_findings' ones.
  PythonParser parser;
  CHECK(hm::detectors::file_report(kAdvised, "python", parser).findings.size() ==
        file_findings(kAdvised, "python", parser).size());
}

TEST_CASE("file report: notebook advice is placed in its cell", "[detectors][advice]") {
  const std::string notebook =
      R"({"nbformat": 4, "metadata": {}, "cells": [)"
      R"({"cell_type": "code", "source": ["import tensorflow as tf\n"]},)"
      R"({"cell_type": "code", "source": ["def scale(x):\n", "    return tf.reduce_sum(x)\n"]},)"
      R"({"cell_type": "code", "source": ["scale(tf.constant([1.0]))\n"]}]})";
  CHECK(advised(notebook, "jupyter") ==
        std::vector<std::string>{"scale 1:1 eager - CONVERT_EAGER_FUNCTION_TO_HYBRID CONVERT_TO_HYBRID P1 -"});
}

TEST_CASE("imports_dl_framework: import and from statements of the four frameworks only", "[detectors][advice]") {
  using hm::detectors::imports_dl_framework;
  CHECK(imports_dl_framework("import tensorflow as tf\n"));
  CHECK(imports_dl_framework("import os\nfrom torch import nn\n"));
  CHECK(imports_dl_framework("import jax.numpy as jnp\n"));
  CHECK(imports_dl_framework("from mxnet.gluon import HybridBlock\n"));
  CHECK(imports_dl_framework("if True:\n    import\ttensorflow\n"));
  CHECK(imports_dl_framework(R"({"source": ["import tensorflow as tf\n"]})"));  // notebook JSON, unparsed
  CHECK_FALSE(imports_dl_framework("import torchvision\n"));
  CHECK_FALSE(imports_dl_framework("import jaxlib\n"));
  CHECK_FALSE(imports_dl_framework("# tensorflow is not needed here\nimport numpy\n"));
  CHECK_FALSE(imports_dl_framework("reimport tensorflow\n"));
  CHECK_FALSE(imports_dl_framework("x = 'tensorflow'\n"));
  CHECK_FALSE(imports_dl_framework(""));
}

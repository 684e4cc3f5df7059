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

// `hybridminer analyze` end to end: the exact JSON Lines records of a small project, the table and SARIF
// formats, a repository at a revision, and malformed input reported without stopping the analysis.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using hm::test::GitRepo;
using hm::test::hybridminer;
using hm::test::TempDir;

namespace {

void write(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

const char* kModel =
    "import tensorflow as tf\n"
    "from helpers import scale\n"
    "\n"
    "@tf.function(experimental_relax_shapes=True)\n"
    "def step(x):\n"
    "    print('tracing')\n"
    "    return scale(x)\n"
    "\n"
    "def loss(y):\n"
    "    return tf.reduce_mean(y)\n"
    "\n"
    "step(tf.ones([2]))\n"
    "loss(tf.constant([1.0, 2.0]))\n";

const char* kHelpers =
    "def scale(x):\n"
    "    return x * 2\n"
    "\n"
    "def unused(n):\n"
    "    return n\n";

}  // namespace

TEST_CASE("analyze writes one JSON object per function with the documented keys", "[e2e][analyze]") {
  TempDir tmp;
  write(tmp / "proj" / "model.py", kModel);
  write(tmp / "proj" / "helpers.py", kHelpers);
  const auto result = hybridminer({"analyze", "--format", "jsonl", (tmp / "proj").string()});
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK(result.out ==
        "{\"file\":\"helpers.py\",\"function\":\"scale\",\"line\":1,\"is_hybrid\":false,\"api\":null,"
        "\"hybridization_args\":{},\"has_tensor_parameter\":true,\"has_primitive_parameter\":false,"
        "\"has_python_side_effects\":false,\"is_recursive\":false,\"refactoring\":\"CONVERT_EAGER_FUNCTION_TO_HYBRID\","
        "\"transformation\":null,\"passing_precondition\":null,\"failures\":[\"HAS_COVERED_CALLERS\"],\"findings\":[]}\n"
        "{\"file\":\"helpers.py\",\"function\":\"unused\",\"line\":4,\"is_hybrid\":false,\"api\":null,"
        "\"hybridization_args\":{},\"has_tensor_parameter\":null,\"has_primitive_parameter\":null,"
        "\"has_python_side_effects\":null,\"is_recursive\":null,\"refactoring\":\"CONVERT_EAGER_FUNCTION_TO_HYBRID\","
        "\"transformation\":null,\"passing_precondition\":null,\"failures\":[\"UNDETERMINABLE_TENSOR_PARAMETER\","
        "\"UNDETERMINABLE_PRIMITIVE_PARAMETER\",\"UNDETERMINABLE_SIDE_EFFECTS\",\"CANT_APPROXIMATE_RECURSION\"],"
        "\"findings\":[]}\n"
        "{\"file\":\"model.py\",\"function\":\"step\",\"line\":5,\"is_hybrid\":true,\"api\":\"tf.function\","
        "\"hybridization_args\":{\"experimental_relax_shapes\":\"True\"},\"has_tensor_parameter\":true,"
        "\"has_primitive_parameter\":false,\"has_python_side_effects\":true,\"is_recursive\":false,"
        "\"refactoring\":\"OPTIMIZE_HYBRID_FUNCTION\",\"transformation\":null,\"passing_precondition\":null,"
        "\"failures\":[\"HAS_NO_PRIMITIVE_PARAMETERS\",\"HAS_PYTHON_SIDE_EFFECTS\"],"
        "\"findings\":[\"python-side-effect-in-hybrid-function\",\"deprecated-hybridization-argument\"]}\n"
        "{\"file\":\"model.py\",\"function\":\"loss\",\"line\":9,\"is_hybrid\":false,\"api\":null,"
        "\"hybridization_args\":{},\"has_tensor_parameter\":true,\"has_primitive_parameter\":false,"
        "\"has_python_side_effects\":false,\"is_recursive\":false,\"refactoring\":\"CONVERT_EAGER_FUNCTION_TO_HYBRID\","
        "\"transformation\":\"CONVERT_TO_HYBRID\",\"passing_precondition\":\"P1\",\"failures\":[],\"findings\":[]}\n");
}

TEST_CASE("analyze prints a table for people and SARIF 2.1.0 for tools", "[e2e][analyze]") {
  TempDir tmp;
  write(tmp / "proj" / "model.py", kModel);
  write(tmp / "proj" / "helpers.py", kHelpers);
  const auto table = hybridminer({"analyze", (tmp / "proj").string()});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("model.py:9    loss") != std::string::npos);
  CHECK(table.out.find("CONVERT_TO_HYBRID (P1)") != std::string::npos);
  CHECK(table.out.find("CONVERT_EAGER_FUNCTION_TO_HYBRID P1: 1\n") != std::string::npos);
  CHECK(table.out.find("python-side-effect-in-hybrid-function: 1\n") != std::string::npos);

  const auto sarif_run = hybridminer({"analyze", "--format", "sarif", (tmp / "proj").string()});
  REQUIRE(sarif_run.exit_code == 0);
  const auto sarif = nlohmann::json::parse(sarif_run.out);
  CHECK(sarif["version"] == "2.1.0");
  const auto& run = sarif["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "hybridminer");
  CHECK(run["tool"]["driver"]["rules"].size() == 14);  // 12 anti-patterns, 2 refactorings
  std::vector<std::string> results;
  for (const auto& r : run["results"]) {
    results.push_back(r["ruleId"].get<std::string>() + " " + r["level"].get<std::string>() + " " +
                      r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>() + ":" +
                      std::to_string(r["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>()));
    CHECK(run["tool"]["driver"]["rules"][r["ruleIndex"].get<std::size_t>()]["id"] == r["ruleId"]);
  }
  CHECK(results == std::vector<std::string>{"python-side-effect-in-hybrid-function error model.py:6",
                                            "deprecated-hybridization-argument note model.py:5",
                                            "CONVERT_EAGER_FUNCTION_TO_HYBRID note model.py:9"});
}

TEST_CASE("analyze reads a repository at a revision without a checkout", "[e2e][analyze]") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("src/model.py", kModel);
  repo.write("src/helpers.py", kHelpers);
  const auto first = repo.commit("add model", 0);
  repo.write("src/model.py", "def nothing():\n    pass\n");
  repo.commit("strip model", 1);
  const auto old = hybridminer({"analyze", "--format", "jsonl", "--at", first, "--repo", repo.path().string(), "src"});
  REQUIRE(old.exit_code == 0);
  CHECK(old.out.find("\"file\":\"model.py\",\"function\":\"loss\"") != std::string::npos);
  const auto now = hybridminer({"analyze", "--format", "jsonl", "--at", "HEAD", "--repo", repo.path().string()});
  REQUIRE(now.exit_code == 0);
  CHECK(now.out.find("\"file\":\"src/model.py\",\"function\":\"nothing\"") != std::string::npos);
  CHECK(now.out.find("\"function\":\"loss\"") == std::string::npos);

  const auto bad_rev = hybridminer({"analyze", "--at", "no-such-rev", "--repo", repo.path().string()});
  CHECK(bad_rev.exit_code == 1);
  CHECK(bad_rev.err.starts_with("hybridminer: unknown revision no-such-rev"));
  const auto half = hybridminer({"analyze", "--at", "HEAD", (tmp / "repo").string()});
  CHECK(half.exit_code == 2);
  CHECK(half.err == "hybridminer: analyze: --at and --repo go together\n");
}

TEST_CASE("analyze reports malformed files and analyses the rest", "[e2e][analyze][errors]") {
  TempDir tmp;
  write(tmp / "proj" / "good.py", "import tensorflow as tf\ndef f(x):\n    return x + 1\nf(tf.ones([1]))\n");
  write(tmp / "proj" / "binary.py", std::string("\0\x01\x02\x03garbage", 11));
  write(tmp / "proj" / "broken.py", "def g(:\n    pass\ndef h(y):\n    return y\nh(1)\n");
  write(tmp / "proj" / "legacy.py", "def old(x):\n    print x\nold(2)\n");
  // A generated data module (embedded weights): 10 MB of literals, then a function.
  std::string generated = "import tensorflow as tf\n";
  while (generated.size() < 10 * 1024 * 1024) {
    generated += "BLOB_" + std::to_string(generated.size()) + " = \"" + std::string(4000, 'A') + "\"\n";
  }
  const auto def_line = std::count(generated.begin(), generated.end(), '\n') + 1;
  generated += "def gen_last(a):\n    return a\ngen_last(tf.ones([1]))\n";
  write(tmp / "proj" / "generated.py", generated);
  std::string deep = "x = " + std::string(20000, '[') + std::string(20000, ']') + "\n";
  write(tmp / "proj" / "deep.py", deep);
  const auto result = hybridminer({"analyze", "--format", "jsonl", (tmp / "proj").string()});
  REQUIRE(result.exit_code == 0);
  const auto folder = (tmp / "proj").generic_string() + "/";
  CHECK(result.err.find("warning: " + folder + "binary.py: binary file, skipped\n") != std::string::npos);
  CHECK(result.err.find("warning: " + folder + "broken.py: ") != std::string::npos);
  CHECK(result.err.find("warning: " + folder + "legacy.py: Python 2 source, partially analysed\n") != std::string::npos);
  CHECK(result.out.find("\"file\":\"good.py\",\"function\":\"f\"") != std::string::npos);
  CHECK(result.out.find("\"file\":\"broken.py\",\"function\":\"h\"") != std::string::npos);
  CHECK(result.out.find("\"file\":\"generated.py\",\"function\":\"gen_last\",\"line\":" + std::to_string(def_line) + ",") !=
        std::string::npos);

  const auto missing = hybridminer({"analyze", (tmp / "missing").string()});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "hybridminer: no such file or folder: " + (tmp / "missing").string() + "\n");
}

// The blob facts cache: findings and function advice round-trip with their blob, in order, and go when the blob is
// re-saved.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/facts_store.hpp"
#include "store/migrations.hpp"
#include "store/sqlite.hpp"
#include "support/db_rows.hpp"
#include "support/temp_dir.hpp"

using hm::store::BlobAnalysis;
using hm::store::FactsStore;
using hm::test::TempDir;

TEST_CASE("FactsStore saves and loads a blob's findings, and replaces them on re-save", "[store][findings]") {
  TempDir dir;
  auto db = hm::store::open_database(dir / "hm.sqlite");
  FactsStore store(db);
  const std::string blob(40, 'a');

  BlobAnalysis analysis;
  analysis.status = "parsed";
  analysis.facts.parsed = true;
  analysis.findings.push_back({"deprecated-hybridization-argument", "step", std::nullopt, 5, "experimental_compile=True"});
  analysis.findings.push_back({"run-functions-eagerly-left-on", "", 2, 7, "tf.config.run_functions_eagerly(True)"});
  store.save(blob, "jupyter", 120, analysis);

  const auto loaded = store.load(blob);
  REQUIRE(loaded);
  REQUIRE(loaded->findings.size() == 2);
  CHECK(loaded->findings[0].antipattern == "deprecated-hybridization-argument");
  CHECK(loaded->findings[0].function == "step");
  CHECK_FALSE(loaded->findings[0].cell);
  CHECK(loaded->findings[0].line == 5);
  CHECK(loaded->findings[0].detail == "experimental_compile=True");
  CHECK(loaded->findings[1].function.empty());
  CHECK(loaded->findings[1].cell == std::optional<std::uint32_t>(2));
  CHECK(loaded->findings[1].line == 7);

  analysis.findings.pop_back();
  store.save(blob, "jupyter", 120, analysis);
  auto count = db.prepare("SELECT count(*) FROM blob_findings WHERE blob = ?");
  count.bind_all(blob);
  REQUIRE(count.step());
  CHECK(count.get_int(0) == 1);
}

TEST_CASE("FactsStore saves and loads a blob's function advice with its failure codes", "[store][advice]") {
  TempDir dir;
  auto db = hm::store::open_database(dir / "hm.sqlite");
  FactsStore store(db);
  const std::string blob(40, 'b');

  BlobAnalysis analysis;
  analysis.status = "skipped";  // advice does not need the hybridization facts
  hm::detectors::FileFunctionAdvice eager;
  eager.function = "Model.scale";
  eager.line = 4;
  eager.has_tensor_parameter = true;
  eager.has_primitive_parameter = false;
  eager.has_python_side_effects = true;
  eager.refactoring = "CONVERT_EAGER_FUNCTION_TO_HYBRID";
  eager.failures = {"HAS_PYTHON_SIDE_EFFECTS", "IS_RECURSIVE"};
  hm::detectors::FileFunctionAdvice hybrid;
  hybrid.function = "step";
  hybrid.cell = 3;
  hybrid.line = 2;
  hybrid.is_hybrid = true;
  hybrid.api = "tf.function";
  hybrid.refactoring = "OPTIMIZE_HYBRID_FUNCTION";
  hybrid.transformation = "CONVERT_TO_EAGER";
  hybrid.passing_precondition = "P2";
  analysis.advice = {eager, hybrid};
  store.save(blob, "jupyter", 300, analysis);

  CHECK(hm::test::rows(dir / "hm.sqlite",
                       "SELECT function, coalesce(cell, 'NULL'), line, is_hybrid, coalesce(api, 'NULL'), "
                       "coalesce(has_tensor_parameter, 'NULL'), coalesce(has_primitive_parameter, 'NULL'), "
                       "coalesce(has_python_side_effects, 'NULL'), coalesce(is_recursive, 'NULL'), refactoring, "
                       "coalesce(transformation, 'NULL'), coalesce(passing_precondition, 'NULL'), failures "
                       "FROM blob_function_advice ORDER BY rowid") ==
        std::vector<std::string>{
            "Model.scale|NULL|4|0|NULL|1|0|1|NULL|CONVERT_EAGER_FUNCTION_TO_HYBRID|NULL|NULL|"
            "[\"HAS_PYTHON_SIDE_EFFECTS\",\"IS_RECURSIVE\"]",
            "step|3|2|1|tf.function|NULL|NULL|NULL|NULL|OPTIMIZE_HYBRID_FUNCTION|CONVERT_TO_EAGER|P2|[]"});

  const auto loaded = store.load(blob);
  REQUIRE(loaded);
  REQUIRE(loaded->advice.size() == 2);
  const auto& a = loaded->advice[0];
  CHECK(a.function == "Model.scale");
  CHECK_FALSE(a.cell);
  CHECK(a.line == 4);
  CHECK_FALSE(a.is_hybrid);
  CHECK(a.api.empty());
  CHECK(a.has_tensor_parameter == std::optional<bool>(true));
  CHECK(a.has_primitive_parameter == std::optional<bool>(false));
  CHECK(a.has_python_side_effects == std::optional<bool>(true));
  CHECK_FALSE(a.is_recursive);
  CHECK(a.refactoring == std::optional<std::string>("CONVERT_EAGER_FUNCTION_TO_HYBRID"));
  CHECK_FALSE(a.transformation);
  CHECK(a.failures == std::vector<std::string>{"HAS_PYTHON_SIDE_EFFECTS", "IS_RECURSIVE"});
  const auto& h = loaded->advice[1];
  CHECK(h.cell == std::optional<std::uint32_t>(3));
  CHECK(h.is_hybrid);
  CHECK(h.api == "tf.function");
  CHECK(h.passing_precondition == std::optional<std::string>("P2"));
  CHECK(h.failures.empty());

  // Re-saving replaces the advice with the blob's analysis.
  analysis.advice.pop_back();
  store.save(blob, "jupyter", 300, analysis);
  CHECK(hm::test::rows(dir / "hm.sqlite", "SELECT count(*) FROM blob_function_advice") ==
        std::vector<std::string>{"1"});
}

TEST_CASE("FactsStore adds findings and advice to a blob saved without them, and records it advised",
          "[store][findings][advice]") {
  TempDir dir;
  auto db = hm::store::open_database(dir / "hm.sqlite");
  FactsStore store(db);
  const std::string blob(40, 'c');

  // A version with sites analysed by `mine --findings tip` away from the tip: facts only, not advised.
  BlobAnalysis analysis;
  analysis.status = "parsed";
  analysis.facts.parsed = true;
  store.save(blob, "python", 80, analysis);
  CHECK_FALSE(store.advised(blob));

  hm::detectors::FileFunctionAdvice step;
  step.function = "step";
  step.line = 5;
  step.is_hybrid = true;
  step.api = "tf.function";
  const std::vector<hm::detectors::FileFinding> findings{
      {"deprecated-hybridization-argument", "step", std::nullopt, 4, "experimental_compile=True"}};
  store.save_advice(blob, {step}, findings);
  CHECK(store.advised(blob));
  auto loaded = store.load(blob);
  REQUIRE(loaded);
  CHECK(loaded->advised);
  REQUIRE(loaded->findings.size() == 1);
  CHECK(loaded->findings[0].detail == "experimental_compile=True");
  REQUIRE(loaded->advice.size() == 1);
  CHECK(loaded->advice[0].api == "tf.function");

  // Saving them again replaces them (no second copy).
  store.save_advice(blob, {step}, findings);
  CHECK(hm::test::rows(dir / "hm.sqlite", "SELECT count(*) FROM blob_findings UNION ALL "
                                          "SELECT count(*) FROM blob_function_verdicts") ==
        std::vector<std::string>{"1", "1"});
}

TEST_CASE("FactsStore writes a function's parameters, decorators and bases as JSON text, escaped", "[store][json]") {
  TempDir dir;
  auto db = hm::store::open_database(dir / "hm.sqlite");
  FactsStore store(db);
  const std::string blob(40, 'c');

  BlobAnalysis analysis;
  analysis.status = "parsed";
  analysis.facts.parsed = true;
  hm::detectors::FunctionFact f;
  f.qualified_name = "Model.call";
  f.name = "call";
  f.class_name = "Model";
  f.class_bases = {"keras.Model", "Generic[\"T\"]"};
  f.start_line = 3;
  f.end_line = 9;
  f.parameters = {{"self", "positional", std::nullopt, std::nullopt},
                  {"x", "positional", "Dict[str, \"T\"]", "'a\\b'"},
                  {"mode", "positional", std::nullopt, "\"tab\there\nnewline\x01\""},
                  {"name", "positional", "str", "'caf\xc3\xa9' + '\xff'"},
                  {"kwargs", "var_keyword", std::nullopt, std::nullopt}};
  f.decorators = {"tf.function(jit_compile=True)", "doc(\"a \\\"b\\\"\")"};
  f.body_hash = "0123456789abcdef";
  hm::detectors::FunctionFact plain;
  plain.qualified_name = "helper";
  plain.name = "helper";
  plain.start_line = 11;
  plain.end_line = 12;
  plain.body_hash = "fedcba9876543210";
  analysis.facts.functions = {f, plain};
  store.save(blob, "python", 200, analysis);

  // What json's dump gives: sorted keys, no spaces, \" \\ \t \n \u0001 escaped, UTF-8 kept, an invalid byte
  // replaced by U+FFFD.
  CHECK(hm::test::rows(dir / "hm.sqlite",
                       "SELECT qualified_name, coalesce(class_bases, 'NULL'), parameters, decorators "
                       "FROM blob_functions ORDER BY start_line") ==
        std::vector<std::string>{
            "Model.call|[\"keras.Model\",\"Generic[\\\"T\\\"]\"]|"
            "[{\"annotation\":null,\"default\":null,\"kind\":\"positional\",\"name\":\"self\"},"
            "{\"annotation\":\"Dict[str, \\\"T\\\"]\",\"default\":\"'a\\\\b'\",\"kind\":\"positional\",\"name\":\"x\"},"
            "{\"annotation\":null,\"default\":\"\\\"tab\\there\\nnewline\\u0001\\\"\",\"kind\":\"positional\","
            "\"name\":\"mode\"},"
            "{\"annotation\":\"str\",\"default\":\"'caf\xc3\xa9' + '\xef\xbf\xbd'\",\"kind\":\"positional\","
            "\"name\":\"name\"},"
            "{\"annotation\":null,\"default\":null,\"kind\":\"var_keyword\",\"name\":\"kwargs\"}]|"
            "[\"tf.function(jit_compile=True)\",\"doc(\\\"a \\\\\\\"b\\\\\\\"\\\")\"]",
            "helper|NULL|[]|[]"});
}

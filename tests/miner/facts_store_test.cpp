// The blob facts cache: findings round-trip with their blob, in order, and go when the blob is re-saved.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "store/facts_store.hpp"
#include "store/migrations.hpp"
#include "store/sqlite.hpp"
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

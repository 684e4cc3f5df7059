#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "labels/catalogue.hpp"
#include "util/error.hpp"

using hm::labels::load_catalogues;
using hm::labels::parse_catalogue;

TEST_CASE("catalogue: entries with descriptions, comments and blank lines skipped", "[labels][catalogue]") {
  const auto c = parse_catalogue("fix", "# comment\n\nRemove decorator\tDe-hybridize\nOther\n");
  REQUIRE(c.entries.size() == 2);
  CHECK(c.entries[0].name == "Remove decorator");
  CHECK(c.entries[0].description == "De-hybridize");
  CHECK(c.contains("Other"));
  CHECK_FALSE(c.contains("other"));
}

TEST_CASE("catalogue: duplicates and empty catalogues are errors naming the line", "[labels][catalogue]") {
  CHECK_THROWS_WITH(parse_catalogue("cause", "A\tx\n# c\nA\ty\n"), "cause catalogue, line 3: 'A' is listed twice");
  CHECK_THROWS_WITH(parse_catalogue("cause", "# only comments\n"), "cause catalogue has no entries");
}

TEST_CASE("catalogue: the built-in catalogues are the files of data/labels, with the study's names",
          "[labels][catalogue]") {
  const auto built_in = load_catalogues();
  const auto from_files = load_catalogues(std::filesystem::path(HM_SOURCE_DIR) / "data" / "labels");
  REQUIRE(built_in.size() == 4);
  for (std::size_t i = 0; i < built_in.size(); ++i) {
    CHECK(built_in[i].dimension == from_files[i].dimension);
    REQUIRE(built_in[i].entries.size() == from_files[i].entries.size());
  }
  CHECK(built_in[0].dimension == "problem_category");
  for (const auto* name : {"Performance", "API Misuse", "Incompatibility", "Debuggability", "Test"}) {
    CHECK(built_in[0].contains(name));
  }
  CHECK(built_in[1].contains("Graph overly specialized on input shapes"));
  CHECK(built_in[1].contains("Redundant decorator"));
  CHECK(built_in[1].contains("Unspecified input signature"));
  for (const auto* name : {"Use tf.function", "Remove decorator", "Change tf.function parameter", "Add input_signature"}) {
    CHECK(built_in[3].contains(name));
  }
}

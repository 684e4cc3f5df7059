#include <catch2/catch.hpp>

#include "labels/csv_reader.hpp"
#include "reports/format.hpp"
#include "util/error.hpp"

using hm::labels::parse_csv;

TEST_CASE("csv: reads what the CSV formatter writes, quotes, commas and newlines included", "[labels][csv]") {
  hm::reports::ResultSet result;
  result.columns = {"a", "b", "c"};
  result.rows = {{std::string("plain"), std::int64_t{3}, std::monostate{}},
                 {std::string("with, comma"), std::string("say \"hi\""), std::string("two\nlines")}};
  const auto records = parse_csv(hm::reports::to_csv(result));
  REQUIRE(records.size() == 3);
  CHECK(records[0].fields == std::vector<std::string>{"a", "b", "c"});
  CHECK(records[1].fields == std::vector<std::string>{"plain", "3", ""});
  CHECK(records[2].fields == std::vector<std::string>{"with, comma", "say \"hi\"", "two\nlines"});
  CHECK(records[2].line == 3);
}

TEST_CASE("csv: LF line ends, a byte order mark and blank lines; line numbers count newlines in fields",
          "[labels][csv]") {
  const auto records = parse_csv("\xEF\xBB\xBFx,y\n\n\"1\n2\",b\nlast,\n");
  REQUIRE(records.size() == 3);
  CHECK(records[0].fields == std::vector<std::string>{"x", "y"});
  CHECK(records[1].line == 3);
  CHECK(records[1].fields == std::vector<std::string>{"1\n2", "b"});
  CHECK(records[2].line == 5);
  CHECK(records[2].fields == std::vector<std::string>{"last", ""});
}

TEST_CASE("csv: an unclosed quote or text after a closing quote is an error with its line", "[labels][csv]") {
  CHECK_THROWS_WITH(parse_csv("a,b\n\"open,x\n"), "line 2: a quoted field is not closed");
  CHECK_THROWS_WITH(parse_csv("a\n\"x\"y\n"), "line 2: unexpected text after a closing quote");
}

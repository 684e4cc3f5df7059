#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "reports/format.hpp"
#include "util/error.hpp"

using hm::reports::Format;
using hm::reports::format_value;
using hm::reports::ResultSet;
using hm::reports::Value;

namespace {

ResultSet sample() {
  ResultSet result;
  result.columns = {"name", "n"};
  result.rows.push_back({Value(std::string("a")), Value(std::int64_t{1})});
  result.rows.push_back({Value(std::string("bbb")), Value(std::int64_t{22})});
  return result;
}

}  // namespace

TEST_CASE("parse_format", "[format]") {
  CHECK(hm::reports::parse_format("table") == Format::Table);
  CHECK(hm::reports::parse_format("csv") == Format::Csv);
  CHECK(hm::reports::parse_format("json") == Format::Json);
  CHECK_THROWS_AS(hm::reports::parse_format("xml"), hm::UsageError);
  CHECK_THROWS_AS(hm::reports::parse_format(""), hm::UsageError);
  CHECK_THROWS_AS(hm::reports::parse_format("CSV"), hm::UsageError);
}

TEST_CASE("format_value", "[format]") {
  CHECK(format_value(Value()) == "");
  CHECK(format_value(Value(std::int64_t{-12})) == "-12");
  CHECK(format_value(Value(2.5)) == "2.5");
  CHECK(format_value(Value(1.0 / 3.0)) == "0.333333");
  CHECK(format_value(Value(100.0)) == "100");
  CHECK(format_value(Value(std::string("text, as is"))) == "text, as is");
}

TEST_CASE("to_csv: header, CRLF line ends and RFC 4180 quoting", "[format]") {
  ResultSet result;
  result.columns = {"id", "message", "score", "missing"};
  result.rows.push_back({Value(std::int64_t{1}), Value(std::string("plain")), Value(0.5), Value()});
  result.rows.push_back(
      {Value(std::int64_t{2}), Value(std::string("a, b")), Value(std::int64_t{3}), Value(std::string(""))});
  result.rows.push_back({Value(std::int64_t{3}), Value(std::string("say \"hi\"")), Value(), Value()});
  result.rows.push_back({Value(std::int64_t{4}), Value(std::string("two\nlines")), Value(), Value(std::string("cr\r"))});
  CHECK(hm::reports::to_csv(result) ==
        "id,message,score,missing\r\n"
        "1,plain,0.5,\r\n"
        "2,\"a, b\",3,\r\n"
        "3,\"say \"\"hi\"\"\",,\r\n"
        "4,\"two\nlines\",,\"cr\r\"\r\n");
}

TEST_CASE("to_csv: column names are quoted too and no rows gives just the header", "[format]") {
  ResultSet result;
  result.columns = {"a,b", "c"};
  CHECK(hm::reports::to_csv(result) == "\"a,b\",c\r\n");
}

TEST_CASE("to_json: an array of objects with typed values and nulls", "[format]") {
  ResultSet result;
  result.columns = {"i", "r", "s", "n"};
  result.rows.push_back({Value(std::int64_t{7}), Value(1.25), Value(std::string("x \"y\"\n")), Value()});
  result.rows.push_back({Value(std::int64_t{-1}), Value(0.0), Value(std::string("")), Value(std::int64_t{0})});
  const auto text = hm::reports::to_json(result);
  CHECK(text.back() == '\n');
  const auto json = nlohmann::json::parse(text);
  REQUIRE(json.is_array());
  REQUIRE(json.size() == 2);
  CHECK(json[0]["i"].is_number_integer());
  CHECK(json[0]["i"].get<std::int64_t>() == 7);
  CHECK(json[0]["r"].is_number_float());
  CHECK(json[0]["r"].get<double>() == 1.25);
  CHECK(json[0]["s"].is_string());
  CHECK(json[0]["s"].get<std::string>() == "x \"y\"\n");
  CHECK(json[0]["n"].is_null());
  CHECK(json[1]["i"].get<std::int64_t>() == -1);
  CHECK(json[1]["n"].get<std::int64_t>() == 0);
  // Keys keep the column order.
  CHECK(text.find("\"i\"") < text.find("\"r\""));
  CHECK(text.find("\"r\"") < text.find("\"s\""));
}

TEST_CASE("to_json: no rows is an empty array", "[format]") {
  ResultSet result;
  result.columns = {"a"};
  const auto json = nlohmann::json::parse(hm::reports::to_json(result));
  CHECK(json.is_array());
  CHECK(json.empty());
}

TEST_CASE("to_json: invalid UTF-8 is replaced, not fatal", "[format]") {
  ResultSet result;
  result.columns = {"message"};
  result.rows.push_back({Value(std::string("caf\xe9 \xff end"))});
  std::string text;
  REQUIRE_NOTHROW(text = hm::reports::to_json(result));
  const auto json = nlohmann::json::parse(text);
  const auto message = json[0]["message"].get<std::string>();
  CHECK(message.starts_with("caf"));
  CHECK(message.ends_with(" end"));
  CHECK(message.find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD
  CHECK(hm::reports::to_json(result) == text);
}

TEST_CASE("to_table: aligned columns, numbers to the right, row count at the end", "[format]") {
  CHECK(hm::reports::to_table(sample()) ==
        "name   n\n"
        "----  --\n"
        "a      1\n"
        "bbb   22\n"
        "(2 rows)\n");
}

TEST_CASE("to_table: one row, no rows, NULLs and multi-line text", "[format]") {
  ResultSet one;
  one.columns = {"message", "x"};
  one.rows.push_back({Value(std::string("first\nsecond\tthird")), Value()});
  CHECK(hm::reports::to_table(one) ==
        "message              x\n"
        "-------------------  -\n"
        "first\\nsecond third\n"
        "(1 row)\n");

  ResultSet none;
  none.columns = {"a", "bb"};
  CHECK(hm::reports::to_table(none) ==
        "a  bb\n"
        "-  --\n"
        "(0 rows)\n");
}

TEST_CASE("to_table: non-ASCII text is aligned by characters", "[format]") {
  ResultSet result;
  result.columns = {"who", "n"};
  result.rows.push_back({Value(std::string("Jos\xc3\xa9")), Value(std::int64_t{1})});
  result.rows.push_back({Value(std::string("Ann")), Value(std::int64_t{10})});
  CHECK(hm::reports::to_table(result) ==
        "who    n\n"
        "----  --\n"
        "Jos\xc3\xa9   1\n"
        "Ann   10\n"
        "(2 rows)\n");
}

TEST_CASE("render dispatches on the format", "[format]") {
  const auto result = sample();
  CHECK(hm::reports::render(result, Format::Table) == hm::reports::to_table(result));
  CHECK(hm::reports::render(result, Format::Csv) == hm::reports::to_csv(result));
  CHECK(hm::reports::render(result, Format::Json) == hm::reports::to_json(result));
}

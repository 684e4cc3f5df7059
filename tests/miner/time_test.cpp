#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "util/error.hpp"
#include "util/time.hpp"

using hm::util::iso_utc;
using hm::util::parse_date;

TEST_CASE("parse_date: a date alone is midnight UTC", "[time]") {
  CHECK(parse_date("1970-01-01") == 0);
  CHECK(parse_date("2021-01-01") == 1609459200);
  CHECK(parse_date("2024-05-01") == 1714521600);
}

TEST_CASE("parse_date: date with time, seconds optional, UTC when no zone", "[time]") {
  CHECK(parse_date("2024-05-01T12:00") == 1714521600 + 12 * 3600);
  CHECK(parse_date("2024-05-01T12:34:56") == 1714521600 + 12 * 3600 + 34 * 60 + 56);
  CHECK(parse_date("2024-05-01 12:34:56") == 1714521600 + 12 * 3600 + 34 * 60 + 56);
  CHECK(parse_date("2024-05-01T12:34:56Z") == 1714521600 + 12 * 3600 + 34 * 60 + 56);
  CHECK(parse_date("2024-05-01T23:59:59Z") == 1714521600 + 86399);
}

TEST_CASE("parse_date: zone offsets convert to UTC", "[time]") {
  const std::int64_t noon_utc = 1714521600 + 12 * 3600;
  CHECK(parse_date("2024-05-01T14:00+02:00") == noon_utc);
  CHECK(parse_date("2024-05-01T14:00:00+02:00") == noon_utc);
  CHECK(parse_date("2024-05-01T14:00:00+0200") == noon_utc);
  CHECK(parse_date("2024-05-01T06:30:00-0530") == noon_utc);
  CHECK(parse_date("2024-05-01T06:30:00-05:30") == noon_utc);
  CHECK(parse_date("2024-05-01T12:00:00+00:00") == noon_utc);
  // Crossing midnight backwards.
  CHECK(parse_date("2024-05-01T01:00:00+02:00") == 1714521600 - 3600);
}

TEST_CASE("parse_date: leap days", "[time]") {
  CHECK(parse_date("2024-02-29") == 1709164800);
  CHECK(parse_date("2024-03-01") - parse_date("2024-02-28") == 2 * 86400);
  CHECK(parse_date("2023-03-01") - parse_date("2023-02-28") == 86400);
  CHECK(parse_date("2000-02-29") == 951782400);
  CHECK(iso_utc(parse_date("2024-02-29T23:59:59Z")) == "2024-02-29T23:59:59Z");
}

TEST_CASE("parse_date: invalid forms are usage errors", "[time]") {
  for (const char* text : {"", "2024", "2024-05", "24-05-01", "2024-5-1", "2024/05/01", "2024-05-01T",
                           "2024-05-01T12", "2024-05-01T12:3", "2024-05-01T12:00:00+2", "2024-05-01T12:00:00UTC",
                           "2024-05-01x", " 2024-05-01", "2024-05-01 ", "yesterday", "2024-05-01T12:00:00.5Z",
                           "2024-05-01Z"}) {
    INFO('"' << text << '"');
    CHECK_THROWS_AS(parse_date(text), hm::UsageError);
  }
}

TEST_CASE("parse_date: error message names the accepted forms", "[time]") {
  CHECK_THROWS_WITH(parse_date("soon"), Catch::Contains("YYYY-MM-DD"));
}

TEST_CASE("parse_date: out-of-range fields are usage errors", "[time]") {
  for (const char* text : {"2024-00-10", "2024-13-01", "2024-01-00", "2024-01-32", "2024-05-01T24:00",
                           "2024-05-01T12:60", "2024-05-01T12:00:61"}) {
    INFO(text);
    CHECK_THROWS_AS(parse_date(text), hm::UsageError);
  }
}

TEST_CASE("parse_date: days past the end of their month are usage errors", "[time]") {
  // Regression: days were only checked against 1..31 and rolled over into the next month.
  for (const char* text : {"2023-02-29", "2024-02-30", "2024-04-31", "1900-02-29"}) {
    INFO(text);
    CHECK_THROWS_AS(parse_date(text), hm::UsageError);
  }
}

TEST_CASE("iso_utc formats Unix seconds", "[time]") {
  CHECK(iso_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(iso_utc(1714564800) == "2024-05-01T12:00:00Z");
  CHECK(iso_utc(-1) == "1969-12-31T23:59:59Z");
  CHECK(iso_utc(951782400) == "2000-02-29T00:00:00Z");
}

TEST_CASE("iso_utc and parse_date round trip", "[time]") {
  for (const char* text : {"1970-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "2000-02-29T12:00:00Z",
                           "2021-01-01T00:00:00Z", "2024-05-01T12:34:56Z", "2038-01-19T03:14:08Z"}) {
    INFO(text);
    CHECK(iso_utc(parse_date(text)) == text);
  }
  for (const std::int64_t seconds : {std::int64_t{0}, std::int64_t{1}, std::int64_t{86399}, std::int64_t{1609459200},
                                     std::int64_t{4102444800}}) {
    CHECK(parse_date(iso_utc(seconds)) == seconds);
  }
}

TEST_CASE("now_iso_utc is a current ISO timestamp", "[time]") {
  const auto now = hm::util::now_iso_utc();
  REQUIRE(now.size() == 20);
  CHECK(now.back() == 'Z');
  CHECK(parse_date(now) > parse_date("2024-01-01"));
}

#pragma once
// Dates on the command line and timestamps in the database (ISO 8601, UTC).
#include <cstdint>
#include <string>
#include <string_view>

namespace hm::util {

// Parses YYYY-MM-DD (midnight UTC), YYYY-MM-DDTHH:MM[:SS] with an optional Z or ±HH:MM offset (UTC if absent),
// into Unix seconds. Throws hm::UsageError naming the accepted forms.
std::int64_t parse_date(std::string_view text);

// 2024-05-01T12:00:00Z
std::string iso_utc(std::int64_t unix_seconds);
std::string now_iso_utc();

}  // namespace hm::util

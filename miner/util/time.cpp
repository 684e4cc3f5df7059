#include "util/time.hpp"

#include <chrono>
#include <cstdio>
#include <regex>

#include "util/error.hpp"

namespace hm::util {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::int64_t parse_date(std::string_view text) {
  static const std::regex format(
      R"(^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$)");
  std::cmatch m;
  if (!std::regex_match(text.begin(), text.end(), m, format)) {
    throw UsageError("invalid date '" + std::string(text) +
                     "': use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]");
  }
  auto number = [&](int i) { return m[i].matched ? std::stoi(m[i].str()) : 0; };
  const int month = number(2), day = number(3), hour = number(4), minute = number(5), second = number(6);
  const int year = number(1);
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int month_days = month >= 1 && month <= 12 ? kDaysInMonth[month - 1] + (month == 2 && leap ? 1 : 0) : 0;
  if (month < 1 || month > 12 || day < 1 || day > month_days || hour > 23 || minute > 59 || second > 60) {
    throw UsageError("invalid date '" + std::string(text) + "': field out of range");
  }
  std::int64_t seconds = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
                         hour * 3600 + minute * 60 + second;
  if (m[7].matched && m[7].str() != "Z") {
    const auto zone = m[7].str();
    const int sign = zone[0] == '-' ? -1 : 1;
    const int zone_hours = std::stoi(zone.substr(1, 2));
    const int zone_minutes = std::stoi(zone.substr(zone.size() - 2));
    seconds -= sign * (zone_hours * 3600 + zone_minutes * 60);
  }
  return seconds;
}

std::string iso_utc(std::int64_t unix_seconds) {
  const std::chrono::sys_seconds point{std::chrono::seconds{unix_seconds}};
  const auto day = std::chrono::floor<std::chrono::days>(point);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss time{point - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return buffer;
}

std::string now_iso_utc() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return iso_utc(now.time_since_epoch().count());
}

}  // namespace hm::util

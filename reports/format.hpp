#pragma once
// Result sets as text: aligned tables for people, CSV (RFC 4180) and JSON (an array of objects) for programs.
#include <string>
#include <string_view>

#include "reports/result_set.hpp"

namespace hm::reports {

enum class Format { Table, Csv, Json };

// Throws hm::UsageError for anything but table, csv and json.
Format parse_format(std::string_view name);

std::string format_value(const Value& value);  // NULL as "", reals with up to 6 significant decimals
std::string to_table(const ResultSet& result);
std::string to_csv(const ResultSet& result);
std::string to_json(const ResultSet& result);
std::string render(const ResultSet& result, Format format);

}  // namespace hm::reports

#pragma once
// Reads CSV (RFC 4180: comma separated, fields optionally in double quotes with "" for a quote, CRLF or LF line
// ends) as written by `label export` and by spreadsheet programs, keeping each record's line number for errors.
// Small enough to own: it must accept exactly what reports::to_csv writes.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hm::labels {

struct CsvRecord {
  std::size_t line = 0;  // 1-based line where the record starts
  std::vector<std::string> fields;
};

// Skips blank lines and a leading UTF-8 byte order mark. Throws hm::Error for an unterminated quoted field or
// text after a closing quote.
std::vector<CsvRecord> parse_csv(std::string_view text);

}  // namespace hm::labels

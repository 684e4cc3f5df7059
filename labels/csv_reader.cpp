#include "labels/csv_reader.hpp"

#include "util/error.hpp"

namespace hm::labels {

std::vector<CsvRecord> parse_csv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRecord> records;
  std::size_t i = 0;
  std::size_t line = 1;
  while (i < text.size()) {
    if (text[i] == '\n' || text[i] == '\r') {  // blank line
      if (text[i] == '\n') ++line;
      ++i;
      continue;
    }
    CsvRecord record{line, {}};
    std::string field;
    bool record_done = false;
    while (!record_done) {
      field.clear();
      if (i < text.size() && text[i] == '"') {
        const auto opened_at = line;
        ++i;
        while (true) {
          if (i >= text.size()) {
            throw Error("line " + std::to_string(opened_at) + ": a quoted field is not closed");
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i++];
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          throw Error("line " + std::to_string(line) + ": unexpected text after a closing quote");
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') field += text[i++];
      }
      record.fields.push_back(field);
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == '\r') ++i;
      if (i < text.size() && text[i] == '\n') {
        ++i;
        ++line;
      }
      record_done = true;
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace hm::labels

#include "reports/format.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "util/error.hpp"

namespace hm::reports {
namespace {

// Display width, counting UTF-8 code points rather than bytes so non-ASCII names line up.
std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Table cells are one line: newlines and tabs (commit messages) become visible escapes.
std::string one_line(std::string text) {
  std::string result;
  for (const char c : text) {
    if (c == '\n') {
      result += "\\n";
    } else if (c == '\t') {
      result += ' ';
    } else if (c != '\r') {
      result += c;
    }
  }
  return result;
}

bool is_numeric(const Value& value) {
  return std::holds_alternative<std::int64_t>(value) || std::holds_alternative<double>(value);
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

Format parse_format(std::string_view name) {
  if (name == "table") return Format::Table;
  if (name == "csv") return Format::Csv;
  if (name == "json") return Format::Json;
  throw UsageError("unknown format '" + std::string(name) + "': use table, csv or json");
}

std::string format_value(const Value& value) {
  if (std::holds_alternative<std::monostate>(value)) return "";
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&value)) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.6g", *d);
    return buffer;
  }
  return std::get<std::string>(value);
}

std::string to_table(const ResultSet& result) {
  const auto n = result.columns.size();
  std::vector<std::size_t> widths(n);
  std::vector<bool> numeric(n, true);
  std::vector<std::vector<std::string>> cells;
  for (std::size_t c = 0; c < n; ++c) widths[c] = display_width(result.columns[c]);
  for (const auto& row : result.rows) {
    auto& line = cells.emplace_back();
    for (std::size_t c = 0; c < n; ++c) {
      line.push_back(one_line(format_value(row[c])));
      widths[c] = std::max(widths[c], display_width(line.back()));
      if (!is_numeric(row[c]) && !std::holds_alternative<std::monostate>(row[c])) numeric[c] = false;
    }
  }
  auto pad = [&](const std::string& text, std::size_t c) {
    const std::string fill(widths[c] - display_width(text), ' ');
    return numeric[c] ? fill + text : text + fill;
  };
  std::string out;
  auto emit = [&](const std::vector<std::string>& line) {
    std::string text;
    for (std::size_t c = 0; c < n; ++c) text += (c ? "  " : "") + pad(line[c], c);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  };
  emit(result.columns);
  std::vector<std::string> rule;
  for (std::size_t c = 0; c < n; ++c) rule.emplace_back(widths[c], '-');
  emit(rule);
  for (const auto& line : cells) emit(line);
  out += "(" + std::to_string(result.rows.size()) + (result.rows.size() == 1 ? " row)\n" : " rows)\n");
  return out;
}

std::string to_csv(const ResultSet& result) {
  std::string out;
  auto emit = [&](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
    out += "\r\n";
  };
  emit(result.columns);
  for (const auto& row : result.rows) {
    std::vector<std::string> fields;
    for (const auto& value : row) fields.push_back(format_value(value));
    emit(fields);
  }
  return out;
}

std::string to_json(const ResultSet& result) {
  auto array = nlohmann::ordered_json::array();
  for (const auto& row : result.rows) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < result.columns.size(); ++c) {
      const auto& value = row[c];
      if (std::holds_alternative<std::monostate>(value)) {
        object[result.columns[c]] = nullptr;
      } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
        object[result.columns[c]] = *i;
      } else if (const auto* d = std::get_if<double>(&value)) {
        object[result.columns[c]] = *d;
      } else {
        object[result.columns[c]] = std::get<std::string>(value);
      }
    }
    array.push_back(std::move(object));
  }
  // Git data is not always valid UTF-8 (old commit messages, file names): replace bad bytes instead of failing.
  return array.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string render(const ResultSet& result, Format format) {
  switch (format) {
    case Format::Table: return to_table(result);
    case Format::Csv: return to_csv(result);
    case Format::Json: return to_json(result);
  }
  return to_table(result);
}

}  // namespace hm::reports

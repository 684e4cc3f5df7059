#include "reports/document_formats.hpp"

#include "reports/format.hpp"

namespace hm::reports {
namespace {

bool numeric_column(const ResultSet& result, std::size_t column) {
  bool any = false;
  for (const auto& row : result.rows) {
    const auto& v = row[column];
    if (std::holds_alternative<std::monostate>(v)) continue;
    if (std::holds_alternative<std::string>(v)) return false;
    any = true;
  }
  return any;
}

std::string cell(const Value& value) {
  std::string text = format_value(value);
  // One line per cell in every format: commit summaries never hold newlines, but free-text labels might.
  for (auto& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

}  // namespace

std::string markdown_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '<' || c == '[' || c == ']') out += '\\';
    out += c;
  }
  return out;
}

std::string latex_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '\\': out += "\\textbackslash{}"; break;
      case '&': case '%': case '$': case '#': case '_': case '{': case '}': out += '\\'; out += c; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '<': out += "\\textless{}"; break;
      case '>': out += "\\textgreater{}"; break;
      default: out += c;
    }
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string to_markdown(const ResultSet& result) {
  if (result.rows.empty()) return "*(no rows)*\n";
  std::string out = "|";
  for (const auto& column : result.columns) out += " " + markdown_escape(column) + " |";
  out += "\n|";
  for (std::size_t c = 0; c < result.columns.size(); ++c) out += numeric_column(result, c) ? " ---: |" : " --- |";
  out += "\n";
  for (const auto& row : result.rows) {
    out += "|";
    for (const auto& value : row) out += " " + markdown_escape(cell(value)) + " |";
    out += "\n";
  }
  return out;
}

std::string to_latex(const ResultSet& result, std::string_view caption, std::string_view label) {
  std::string spec;
  for (std::size_t c = 0; c < result.columns.size(); ++c) spec += numeric_column(result, c) ? 'r' : 'l';
  std::string out = "\\begin{table}[htbp]\n  \\centering\n  \\caption{" + latex_escape(caption) + "}\n  \\label{tab:" +
                    std::string(label) + "}\n  \\begin{tabular}{" + spec + "}\n    \\toprule\n    ";
  for (std::size_t c = 0; c < result.columns.size(); ++c) {
    out += (c ? " & " : "") + latex_escape(result.columns[c]);
  }
  out += " \\\\\n    \\midrule\n";
  for (const auto& row : result.rows) {
    out += "    ";
    for (std::size_t c = 0; c < row.size(); ++c) out += (c ? " & " : "") + latex_escape(cell(row[c]));
    out += " \\\\\n";
  }
  out += "    \\bottomrule\n  \\end{tabular}\n\\end{table}\n";
  return out;
}

std::string to_html_table(const ResultSet& result) {
  std::vector<bool> numeric;
  for (std::size_t c = 0; c < result.columns.size(); ++c) numeric.push_back(numeric_column(result, c));
  std::string out = "<div class=\"table\"><table>\n<thead><tr>";
  for (std::size_t c = 0; c < result.columns.size(); ++c) {
    out += numeric[c] ? "<th class=\"num\">" : "<th>";
    out += html_escape(result.columns[c]) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : result.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c) {
      out += numeric[c] ? "<td class=\"num\">" : "<td>";
      out += html_escape(cell(row[c])) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table></div>\n";
  if (result.rows.empty()) out += "<p class=\"empty\">(no rows)</p>\n";
  return out;
}

}  // namespace hm::reports

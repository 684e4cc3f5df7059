#include "reports/document_formats.hpp"

#include <utility>

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

// The length of the UTF-8 sequence starting at text[i] and its code point; 0 when the bytes there are not valid
// UTF-8 (git data is not always).
std::pair<std::size_t, char32_t> utf8_at(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  const std::size_t length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0;
  if (length == 0 || i + length > text.size()) return {0, 0};
  char32_t code = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {0, 0};
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
  if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {0, 0};
  return {length, code};
}

// Non-ASCII characters pdflatex typesets with T1 fonts and its default UTF-8 input (checked against TeX Live 2022):
// Latin-1 and Latin Extended-A letters but a few, and common punctuation. Anything else (emoji, CJK, ...) stops
// pdflatex with "not set up for use with LaTeX", so it becomes '?' in the LaTeX output; CSV keeps the data as is.
bool pdflatex_can_typeset(char32_t code) {
  if (code >= 0xA0 && code <= 0x17F) {
    for (const char32_t missing : {0x126, 0x127, 0x138, 0x13F, 0x140, 0x149, 0x166, 0x167, 0x17F}) {
      if (code == missing) return false;
    }
    return true;
  }
  for (const char32_t known : {0x2013, 0x2014, 0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x2020, 0x2021, 0x2022,
                               0x2026, 0x2030, 0x20AC, 0x2122, 0x2190, 0x2192}) {
    if (code == known) return true;
  }
  return false;
}

std::string latex_column_spec(const ResultSet& result) {
  std::string spec;
  for (std::size_t c = 0; c < result.columns.size(); ++c) spec += numeric_column(result, c) ? 'r' : 'l';
  return spec;
}

std::string latex_header(const ResultSet& result) {
  std::string out = "    \\toprule\n    ";
  for (std::size_t c = 0; c < result.columns.size(); ++c) out += (c ? " & " : "") + latex_escape(result.columns[c]);
  return out + " \\\\\n    \\midrule\n";
}

std::string latex_rows(const ResultSet& result) {
  std::string out;
  for (const auto& row : result.rows) {
    out += "    ";
    for (std::size_t c = 0; c < row.size(); ++c) out += (c ? " & " : "") + latex_escape(cell(row[c]));
    out += " \\\\\n";
  }
  return out;
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
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      const auto [length, code] = utf8_at(text, i);
      if (length > 0 && pdflatex_can_typeset(code)) {
        out.append(text.substr(i, length));
      } else {
        out += '?';
      }
      if (length > 0) i += length - 1;
      continue;
    }
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
  return "\\begin{table}[htbp]\n  \\centering\n  \\caption{" + latex_escape(caption) + "}\n  \\label{tab:" +
         std::string(label) + "}\n  \\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{%\n" +
         "  \\begin{tabular}{" + latex_column_spec(result) + "}\n" + latex_header(result) + latex_rows(result) +
         "    \\bottomrule\n  \\end{tabular}}\n\\end{table}\n";
}

std::string to_latex_longtable(const ResultSet& result, std::string_view caption, std::string_view label) {
  const auto header = latex_header(result);
  return "{\\scriptsize\n\\begin{longtable}{" + latex_column_spec(result) + "}\n  \\caption{" + latex_escape(caption) +
         "}\n  \\label{tab:" + std::string(label) + "} \\\\\n" + header + "  \\endfirsthead\n" + header +
         "  \\endhead\n    \\bottomrule\n  \\endlastfoot\n" + latex_rows(result) + "\\end{longtable}\n}\n";
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

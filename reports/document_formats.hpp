#pragma once
// Result sets as parts of a published report: Markdown (pipe tables), LaTeX (booktabs tables) and HTML tables.
#include <string>
#include <string_view>

#include "reports/result_set.hpp"

namespace hm::reports {

std::string markdown_escape(std::string_view text);
std::string latex_escape(std::string_view text);
std::string html_escape(std::string_view text);

// A pipe table; numeric columns right-aligned. An empty result is one line saying so.
std::string to_markdown(const ResultSet& result);
// A `table` float with a booktabs `tabular` (needs \usepackage{booktabs} and {graphicx}), captioned and labelled
// tab:LABEL. A table wider than the line is scaled down to it (\resizebox), since query tables can be wide.
std::string to_latex(const ResultSet& result, std::string_view caption, std::string_view label);
// The same table as a `longtable` (needs \usepackage{longtable}) in \scriptsize, which breaks across pages: for
// tables too long for one page, where a float would be cut off.
std::string to_latex_longtable(const ResultSet& result, std::string_view caption, std::string_view label);
// A <table> with a header row; numeric cells get class="num".
std::string to_html_table(const ResultSet& result);

}  // namespace hm::reports

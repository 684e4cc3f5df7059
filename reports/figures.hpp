#pragma once
// The report's figures, drawn by gnuplot (Debian gnuplot-nox): a tab-separated data file and a gnuplot script are
// written beside the PNG and SVG they produce, so every figure can be re-drawn or restyled by hand.
#include <filesystem>
#include <string>
#include <vector>

#include "reports/result_set.hpp"

namespace hm::reports {

struct Figure {
  enum class Style { Lines, StackedBars };
  // Below suits long legend entries (anti-pattern ids), which would squeeze the plot when set at its right.
  enum class Legend { Right, Below };
  std::string name;  // file stem
  std::string title;
  std::string x_label;
  std::string y_label;
  Style style = Style::Lines;
  Legend legend = Legend::Right;
  std::vector<std::string> series;  // legend entries, one per value column
  std::vector<std::string> x;       // category on the x axis (e.g. the year), one per row
  std::vector<std::vector<double>> values;  // values[row][series]; 0 where the result had no row
};

// One series per distinct `series_column` value (sorted), one row per distinct `x_column` value (in first
// appearance order), valued by `value_column`.
Figure pivot_figure(const ResultSet& result, const std::string& x_column, const std::string& series_column,
                    const std::string& value_column);
// One series per listed column, one row per result row.
Figure columns_figure(const ResultSet& result, const std::string& x_column, const std::vector<std::string>& columns);

// The size of the drawn figure in pixels: 960x540, taller by a legend row for each series past two when the
// legend is below the plot (one entry a row, so long names never collide).
int figure_width(const Figure& figure);
int figure_height(const Figure& figure);

// The gnuplot script drawing `figure` from NAME.dat into NAME.png and NAME.svg (paths relative to the folder).
std::string gnuplot_script(const Figure& figure);
std::string gnuplot_data(const Figure& figure);

// Writes NAME.dat and NAME.gp into `dir` and runs gnuplot there. Throws hm::Error when gnuplot is missing or
// fails.
void draw_figure(const Figure& figure, const std::filesystem::path& dir);

}  // namespace hm::reports

#include "reports/figures.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "reports/format.hpp"
#include "util/error.hpp"

extern char** environ;

namespace hm::reports {
namespace {

std::size_t column_index(const ResultSet& result, const std::string& name) {
  const auto found = std::find(result.columns.begin(), result.columns.end(), name);
  if (found == result.columns.end()) throw Error("figure: the query has no column '" + name + "'");
  return static_cast<std::size_t>(found - result.columns.begin());
}

double number(const Value& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&value)) return *d;
  return 0;
}

// A double-quoted gnuplot string.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string plain(std::string text) {  // data file cells: no tabs or newlines
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
  return text;
}

void write_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw Error("cannot write " + file.string());
}

}  // namespace

Figure pivot_figure(const ResultSet& result, const std::string& x_column, const std::string& series_column,
                    const std::string& value_column) {
  const auto xi = column_index(result, x_column);
  const auto si = column_index(result, series_column);
  const auto vi = column_index(result, value_column);
  Figure figure;
  std::set<std::string> series;
  for (const auto& row : result.rows) {
    series.insert(format_value(row[si]));
    const auto x = format_value(row[xi]);
    if (std::find(figure.x.begin(), figure.x.end(), x) == figure.x.end()) figure.x.push_back(x);
  }
  figure.series.assign(series.begin(), series.end());
  figure.values.assign(figure.x.size(), std::vector<double>(figure.series.size(), 0.0));
  for (const auto& row : result.rows) {
    const auto r = std::find(figure.x.begin(), figure.x.end(), format_value(row[xi])) - figure.x.begin();
    const auto s = std::find(figure.series.begin(), figure.series.end(), format_value(row[si])) - figure.series.begin();
    figure.values[static_cast<std::size_t>(r)][static_cast<std::size_t>(s)] += number(row[vi]);
  }
  return figure;
}

Figure columns_figure(const ResultSet& result, const std::string& x_column, const std::vector<std::string>& columns) {
  const auto xi = column_index(result, x_column);
  std::vector<std::size_t> indices;
  for (const auto& column : columns) indices.push_back(column_index(result, column));
  Figure figure;
  figure.series = columns;
  for (const auto& row : result.rows) {
    figure.x.push_back(format_value(row[xi]));
    auto& values = figure.values.emplace_back();
    for (const auto i : indices) values.push_back(number(row[i]));
  }
  return figure;
}

int figure_width(const Figure&) { return 960; }

int figure_height(const Figure& figure) {
  const auto rows = static_cast<int>(figure.series.size());
  return figure.legend == Figure::Legend::Below && rows > 2 ? 540 + 24 * (rows - 2) : 540;
}

std::string gnuplot_data(const Figure& figure) {
  std::string out = plain(figure.x_label);
  for (const auto& s : figure.series) out += "\t" + plain(s);
  out += "\n";
  for (std::size_t r = 0; r < figure.x.size(); ++r) {
    out += plain(figure.x[r]);
    for (const auto v : figure.values[r]) out += "\t" + format_value(Value(v));
    out += "\n";
  }
  return out;
}

std::string gnuplot_script(const Figure& figure) {
  double top = 0;  // for integer tics on small counts
  for (const auto& row : figure.values) {
    double sum = 0;
    for (const auto v : row) {
      top = std::max(top, v);
      sum += v;
    }
    if (figure.style == Figure::Style::StackedBars) top = std::max(top, sum);
  }
  const auto data = quoted(figure.name + ".dat");
  std::string s = "# Drawn by hybridminer report: gnuplot " + figure.name + ".gp (in this folder) redraws " + figure.name +
                  ".png and " + figure.name + ".svg from " + figure.name + ".dat.\n";
  s += "set datafile separator \"\\t\"\n";
  s += "set title " + quoted(figure.title) + "\n";
  s += "set xlabel " + quoted(figure.x_label) + "\n";
  s += "set ylabel " + quoted(figure.y_label) + "\n";
  if (figure.legend == Figure::Legend::Right) {
    s += "set key outside right top box\n";
  } else {
    // gnuplot's own "set key below" lets the x label and the legend overlap: the legend is pinned to the bottom
    // edge instead, one entry a row, with a bottom margin for the tic labels, the x label and its rows.
    s += "set key at screen 0.5, screen 0.01 center bottom box maxrows " +
         std::to_string(std::max<std::size_t>(figure.series.size(), 1)) + "\n";
    s += "set bmargin " + std::to_string(4 + figure.series.size()) + "\n";
  }
  // A colour-blind-safe palette (Okabe-Ito) instead of gnuplot's default, whose yellow is hard to read on white.
  const char* colours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999"};
  for (std::size_t i = 0; i < std::size(colours); ++i) {
    s += "set linetype " + std::to_string(i + 1) + " lc rgb \"" + colours[i] + "\" lw 2 pt 7\n";
  }
  s += "set linetype cycle " + std::to_string(std::size(colours)) + "\n";
  s += "set grid ytics\n";
  s += "set border 3\nset tics nomirror\n";
  s += top <= 10 ? "set ytics 1\n" : "";
  s += "set yrange [0:" + std::string(top <= 0 ? "1" : "*") + "]\n";
  std::string plot;
  const auto n = std::to_string(figure.series.size() + 1);
  if (figure.x.empty() || figure.series.empty()) {
    // gnuplot refuses to plot a data file without points ("x range is invalid"); a corpus without findings (or
    // without hybridization) still gets its figure, saying so, instead of failing the whole report.
    s += "unset key\nunset xtics\nunset ytics\nset xrange [0:1]\n";
    s += "set label 1 \"No data in this database\" at graph 0.5, 0.5 center\n";
    plot = "plot NaN notitle";
  } else if (figure.style == Figure::Style::Lines) {
    s += "set offsets 0.3, 0.3, 0.5, 0\n";
    plot = "plot for [i=2:" + n + "] " + data + " using 0:i:xtic(1) title columnheader(i) with linespoints lw 2.5 pt 7 ps 1.4";
  } else {
    s += "set offsets 0, 0, 0.5, 0\n";
    s += "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.85 border -1\n";
    s += "set boxwidth 0.7\n";
    plot = "plot for [i=2:" + n + "] " + data + " using i:xtic(1) title columnheader(i)";
  }
  const auto size = std::to_string(figure_width(figure)) + "," + std::to_string(figure_height(figure));
  s += "set terminal pngcairo size " + size + " font \"DejaVu Sans,14\" noenhanced background rgb \"white\"\n";
  s += "set output " + quoted(figure.name + ".png") + "\n" + plot + "\n";
  s += "set terminal svg size " + size + " font \"DejaVu Sans,14\" noenhanced background rgb \"white\"\n";
  s += "set output " + quoted(figure.name + ".svg") + "\nreplot\nunset output\n";
  return s;
}

void draw_figure(const Figure& figure, const std::filesystem::path& dir) {
  write_file(dir / (figure.name + ".dat"), gnuplot_data(figure));
  write_file(dir / (figure.name + ".gp"), gnuplot_script(figure));
  const auto folder = std::filesystem::absolute(dir).string();
  if (folder.find('\'') != std::string::npos) throw Error("figures: the report folder's path must not contain '");
  // gnuplot changes into the folder first, so the script and its outputs are named relative to it.
  std::string cd = "cd '" + folder + "'";
  std::string program = "gnuplot";
  std::string flag = "-e";
  std::string script = figure.name + ".gp";
  std::vector<char*> argv{program.data(), flag.data(), cd.data(), script.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawnp(&pid, "gnuplot", nullptr, nullptr, argv.data(), environ) != 0) {
    throw Error("cannot run gnuplot to draw the figures: install gnuplot-nox (scripts/setup does)");
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
      throw Error("cannot run gnuplot to draw the figures: install gnuplot-nox (scripts/setup does)");
    }
    throw Error("gnuplot failed to draw " + figure.name + " (see its message above)");
  }
}

}  // namespace hm::reports

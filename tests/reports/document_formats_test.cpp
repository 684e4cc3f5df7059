#include <catch2/catch.hpp>

#include <filesystem>

#include "reports/document_formats.hpp"
#include "reports/figures.hpp"
#include "support/temp_dir.hpp"

using namespace hm::reports;

namespace {
ResultSet sample() {
  ResultSet r;
  r.columns = {"api", "n", "note"};
  r.rows = {{std::string("tf.function"), std::int64_t{3}, std::string("a|b <c> & 50%")},
            {std::string("jax_jit"), std::monostate{}, std::string("x_y")}};
  return r;
}
}  // namespace

TEST_CASE("markdown: pipe table, numeric columns right-aligned, special characters escaped", "[reports][document]") {
  CHECK(to_markdown(sample()) ==
        "| api | n | note |\n| --- | ---: | --- |\n| tf.function | 3 | a\\|b \\<c> & 50% |\n| jax\\_jit |  | x\\_y |\n");
  CHECK(to_markdown(ResultSet{{"a"}, {}}) == "*(no rows)*\n");
}

TEST_CASE("latex: booktabs table with caption, label and escaped cells", "[reports][document]") {
  CHECK(to_latex(sample(), "Counts & notes", "counts") ==
        "\\begin{table}[htbp]\n  \\centering\n  \\caption{Counts \\& notes}\n  \\label{tab:counts}\n"
        "  \\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{%\n"
        "  \\begin{tabular}{lrl}\n    \\toprule\n    api & n & note \\\\\n    \\midrule\n"
        "    tf.function & 3 & a|b \\textless{}c\\textgreater{} \\& 50\\% \\\\\n    jax\\_jit &  & x\\_y \\\\\n"
        "    \\bottomrule\n  \\end{tabular}}\n\\end{table}\n");
}

TEST_CASE("latex: a longtable repeats its header on every page", "[reports][document]") {
  CHECK(to_latex_longtable(sample(), "Counts", "counts") ==
        "{\\scriptsize\n\\begin{longtable}{lrl}\n  \\caption{Counts}\n  \\label{tab:counts} \\\\\n"
        "    \\toprule\n    api & n & note \\\\\n    \\midrule\n  \\endfirsthead\n"
        "    \\toprule\n    api & n & note \\\\\n    \\midrule\n  \\endhead\n    \\bottomrule\n  \\endlastfoot\n"
        "    tf.function & 3 & a|b \\textless{}c\\textgreater{} \\& 50\\% \\\\\n    jax\\_jit &  & x\\_y \\\\\n"
        "\\end{longtable}\n}\n");
}

TEST_CASE("latex: characters pdflatex cannot typeset become '?', the rest of UTF-8 stays", "[reports][document]") {
  const std::string latin = "Caf\xc3\xa9 \xc5\x82\xc3\xb3" "d\xc5\xba \xe2\x80\x94 ok";  // Café łódź — ok
  CHECK(latex_escape(latin) == latin);
  CHECK(latex_escape("\xf0\x9f\x90\x9b fix") == "? fix");               // emoji (4 bytes): one '?'
  CHECK(latex_escape("\xe4\xb8\xad\xe6\x96\x87") == "??");            // CJK
  CHECK(latex_escape("bad \xff\xc3 bytes") == "bad ?? bytes");         // not UTF-8: one '?' a byte
  CHECK(latex_escape("\xe2\x88\x92 and 100%") == "? and 100\\%");     // U+2212 minus: no T1 glyph
  CHECK(latex_escape("\xc0\xaf") == "??");                            // overlong encoding of '/'
}

TEST_CASE("html: escaped cells, numeric cells marked", "[reports][document]") {
  const auto html = to_html_table(sample());
  CHECK(html.find("<tr><td>tf.function</td><td class=\"num\">3</td><td>a|b &lt;c&gt; &amp; 50%</td></tr>") !=
        std::string::npos);
  CHECK(html.find("<th class=\"num\">n</th>") != std::string::npos);
}

TEST_CASE("figures: pivoted series sorted, missing cells zero, data file tab separated", "[reports][figures]") {
  ResultSet r;
  r.columns = {"year", "api", "functions"};
  r.rows = {{std::string("2020"), std::string("tf.function"), std::int64_t{2}},
            {std::string("2021"), std::string("jax.jit"), std::int64_t{1}},
            {std::string("2021"), std::string("tf.function"), std::int64_t{3}}};
  auto figure = pivot_figure(r, "year", "api", "functions");
  figure.name = "adoption";
  figure.x_label = "Year";
  CHECK(figure.series == std::vector<std::string>{"jax.jit", "tf.function"});
  CHECK(gnuplot_data(figure) == "Year\tjax.jit\ttf.function\n2020\t0\t2\n2021\t1\t3\n");
  const auto script = gnuplot_script(figure);
  CHECK(script.find("plot for [i=2:3] \"adoption.dat\" using 0:i:xtic(1) title columnheader(i)") != std::string::npos);
  CHECK(script.find("set output \"adoption.svg\"") != std::string::npos);
  CHECK(script.find("set xlabel \"Year\"") != std::string::npos);
  CHECK_THROWS(pivot_figure(r, "year", "nope", "functions"));
}

TEST_CASE("figures: an empty result still draws, saying there is no data", "[reports][figures]") {
  ResultSet r;
  r.columns = {"year", "antipattern", "open"};
  auto figure = pivot_figure(r, "year", "antipattern", "open");
  figure.name = "empty";
  figure.x_label = "Year";
  figure.legend = hm::reports::Figure::Legend::Below;
  CHECK(gnuplot_data(figure) == "Year\n");
  const auto script = gnuplot_script(figure);
  CHECK(script.find("plot NaN notitle") != std::string::npos);
  CHECK(script.find("No data in this database") != std::string::npos);
  CHECK(script.find("plot for") == std::string::npos);

  hm::test::TempDir dir;
  REQUIRE_NOTHROW(hm::reports::draw_figure(figure, dir.path()));
  CHECK(std::filesystem::file_size(dir / "empty.png") > 0);
  CHECK(std::filesystem::file_size(dir / "empty.svg") > 0);
}

TEST_CASE("figures: the legend goes below the plot when asked", "[reports][figures]") {
  ResultSet r;
  r.columns = {"year", "antipattern", "open"};
  r.rows = {{std::string("2020"), std::string("captured-python-global-in-hybrid-function"), std::int64_t{1}}};
  auto figure = pivot_figure(r, "year", "antipattern", "open");
  figure.name = "lifetimes";
  CHECK(gnuplot_script(figure).find("set key outside right top box\n") != std::string::npos);
  figure.legend = hm::reports::Figure::Legend::Below;
  const auto script = gnuplot_script(figure);
  CHECK(script.find("set key at screen 0.5, screen 0.01 center bottom box maxrows 1\nset bmargin 5\n") !=
        std::string::npos);
  CHECK(script.find("set key outside") == std::string::npos);
  CHECK(script.find("set terminal pngcairo size 960,540 ") != std::string::npos);
  // Taller by a row per series past two, so the plot keeps its height.
  figure.series = {"a", "b", "c", "d", "e"};
  CHECK(hm::reports::figure_height(figure) == 540 + 3 * 24);
  CHECK(gnuplot_script(figure).find("set terminal svg size 960,612 ") != std::string::npos);
}

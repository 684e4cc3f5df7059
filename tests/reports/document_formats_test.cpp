#include <catch2/catch.hpp>

#include "reports/document_formats.hpp"
#include "reports/figures.hpp"

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
        "  \\begin{tabular}{lrl}\n    \\toprule\n    api & n & note \\\\\n    \\midrule\n"
        "    tf.function & 3 & a|b \\textless{}c\\textgreater{} \\& 50\\% \\\\\n    jax\\_jit &  & x\\_y \\\\\n"
        "    \\bottomrule\n  \\end{tabular}\n\\end{table}\n");
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

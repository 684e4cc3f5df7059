#include "reports/study_report.hpp"

#include <algorithm>
#include <fstream>

#include "reports/document_formats.hpp"
#include "reports/figures.hpp"
#include "reports/format.hpp"
#include "reports/named_queries.hpp"
#include "reports/result_set.hpp"
#include "util/error.hpp"

namespace hm::reports {
namespace {

struct Table {
  NamedQuery query;
  ResultSet result;
};

struct FigureFile {
  Figure figure;
  std::string caption;
};

bool wants(const StudyReportOptions& options, std::string_view format) {
  return std::find(options.formats.begin(), options.formats.end(), format) != options.formats.end();
}

class ReportWriter {
 public:
  explicit ReportWriter(std::filesystem::path out) : out_(std::move(out)) {}

  void write(const std::filesystem::path& relative, const std::string& text) {
    const auto file = out_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream stream(file, std::ios::binary | std::ios::trunc);
    stream << text;
    if (!stream) throw Error("cannot write " + file.string());
    files_.push_back(relative);
  }
  void add(const std::filesystem::path& relative) { files_.push_back(relative); }
  std::vector<std::filesystem::path> files() const {
    auto sorted = files_;
    std::sort(sorted.begin(), sorted.end());
    return sorted;
  }

 private:
  std::filesystem::path out_;
  std::vector<std::filesystem::path> files_;
};

std::vector<FigureFile> study_figures(store::Database& db) {
  auto adoption = pivot_figure(run_query(db, find_named_query("adoption_per_year")->sql), "year", "api", "functions");
  adoption.name = "adoption_over_time";
  adoption.title = "Hybrid functions per API at the end of each year";
  adoption.x_label = "Year";
  adoption.y_label = "Hybrid functions";
  adoption.style = Figure::Style::Lines;

  auto kinds = columns_figure(run_query(db, find_named_query("changes_per_year")->sql), "year",
                              {"added", "removed", "args_changed", "api_changed", "body_changed"});
  kinds.name = "change_kinds_per_year";
  kinds.title = "Hybridization changes per year, by kind (merges excluded)";
  kinds.x_label = "Year";
  kinds.y_label = "Hybridization changes";
  kinds.style = Figure::Style::StackedBars;
  auto antipatterns =
      pivot_figure(run_query(db, find_named_query("antipatterns_per_year")->sql), "year", "antipattern", "open");
  antipatterns.name = "antipattern_lifetimes";
  antipatterns.title = "Anti-pattern findings open at the end of each year";
  antipatterns.x_label = "Year";
  antipatterns.y_label = "Open findings";
  antipatterns.style = Figure::Style::Lines;
  antipatterns.legend = Figure::Legend::Below;
  return {{adoption, "Adoption over time: hybrid functions per API at each year's end (query adoption_per_year)."},
          {kinds, "Hybridization changes per year by kind (query changes_per_year)."},
          {antipatterns, "Anti-pattern lifetimes: findings open at each year's end, per anti-pattern, on the "
                         "repositories' first-parent chains (query antipatterns_per_year; lengths and removals in "
                         "antipattern_lifetimes)."}};
}

// Key/value rows, then the corpus and the runs: where the numbers come from.
std::vector<std::pair<std::string, ResultSet>> provenance(store::Database& db, const StudyReportOptions& options) {
  ResultSet about;
  about.columns = {"item", "value"};
  std::string formats;
  for (const auto& f : options.formats) formats += (formats.empty() ? "" : ",") + f;
  about.rows = {{std::string("tool"), "hybridminer " + options.tool_version},
                {std::string("schema version"), db.user_version()},
                {std::string("database"), options.database},
                {std::string("report formats"), formats},
                {std::string("report generated"), options.generated_at}};
  // Anti-pattern lifetimes need every version's findings: a `mine --findings tip` leaves the versions off its tips
  // without them (the next mine with `--findings history` completes them). Said here, as the tables cannot say it.
  auto lacking = db.prepare("SELECT count(DISTINCT blob) FROM blob_sites s "
                            "WHERE NOT EXISTS (SELECT 1 FROM advised_blobs a WHERE a.blob = s.blob)");
  if (lacking.step() && lacking.get_int(0) > 0) {
    about.rows.push_back({std::string("file versions with sites but no findings (mine --findings tip: lifetimes "
                                      "and findings per year leave them out)"),
                          lacking.get_int(0)});
  }
  auto corpus = run_query(db,
                          "SELECT name AS repository, url, default_branch, head_sha, mined_at, "
                          "coalesce(error, '') AS error FROM repositories ORDER BY name");
  auto runs = run_query(db,
                        "SELECT id AS run, command, tool_version, schema_version, options, started_at, finished_at, "
                        "status FROM runs ORDER BY id");
  auto dates = run_query(db,
                         "SELECT count(*) AS commits, datetime(min(committer_time), 'unixepoch') AS first_commit, "
                         "datetime(max(committer_time), 'unixepoch') AS last_commit FROM commits");
  return {{"Tool and options", about}, {"Corpus", corpus}, {"History covered", dates}, {"Mining runs", runs}};
}

std::string markdown_report(const std::vector<Table>& tables, const std::vector<FigureFile>& figures,
                            const std::vector<std::pair<std::string, ResultSet>>& provenance_tables) {
  std::string md = "# Hybridization study report\n\nGenerated by `hybridminer report` from the mined database: one "
                   "table per research question (`queries/NAME.sql`), the figures, and the provenance.\n\n## Contents\n\n";
  for (std::size_t i = 0; i < tables.size(); ++i) {
    md += std::to_string(i + 1) + ". [" + tables[i].query.name + "](#" + tables[i].query.name + "): " +
          markdown_escape(tables[i].query.question) + "\n";
  }
  md += "\n## Figures\n\n";
  for (const auto& f : figures) {
    md += "![" + markdown_escape(f.figure.title) + "](figures/" + f.figure.name + ".svg)\n\n*" +
          markdown_escape(f.caption) + "* ([PNG](figures/" + f.figure.name + ".png), [data](figures/" + f.figure.name +
          ".dat), [gnuplot](figures/" + f.figure.name + ".gp))\n\n";
  }
  for (const auto& t : tables) {
    md += "<a id=\"" + t.query.name + "\"></a>\n\n## " + t.query.name + "\n\n**" + markdown_escape(t.query.question) +
          "**\n\n" + to_markdown(t.result) + "\n";
  }
  md += "## Provenance\n\n";
  for (const auto& [title, table] : provenance_tables) md += "### " + title + "\n\n" + to_markdown(table) + "\n";
  return md;
}

constexpr const char* kStyle = R"css(
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
h1 { border-bottom: 2px solid #444; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
div.table { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #444; background: #f4f4f4; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0 2em; } figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-style: italic; color: #555; }
.question { font-weight: bold; } .files { font-size: 0.85em; color: #555; }
)css";

std::string html_report(const std::vector<Table>& tables, const std::vector<FigureFile>& figures,
                        const std::vector<std::pair<std::string, ResultSet>>& provenance_tables, bool csv, bool tex) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<title>Hybridization study report</title>\n<style>" + std::string(kStyle) +
                  "</style>\n</head>\n<body>\n<h1>Hybridization study report</h1>\n"
                  "<p>Generated by <code>hybridminer report</code> from the mined database: one table per research "
                  "question (<code>queries/NAME.sql</code>), the figures, and the provenance.</p>\n<h2>Contents</h2>\n<ol>\n";
  for (const auto& t : tables) {
    h += "<li><a href=\"#" + t.query.name + "\">" + t.query.name + "</a>: " + html_escape(t.query.question) + "</li>\n";
  }
  h += "<li><a href=\"#provenance\">Provenance</a></li>\n</ol>\n<h2>Figures</h2>\n";
  for (const auto& f : figures) {
    h += "<figure>\n<img src=\"figures/" + f.figure.name + ".svg\" alt=\"" + html_escape(f.figure.title) +
         "\" width=\"" + std::to_string(figure_width(f.figure)) + "\" height=\"" + std::to_string(figure_height(f.figure)) +
         "\">\n<figcaption>" + html_escape(f.caption) + " <a href=\"figures/" +
         f.figure.name + ".png\">PNG</a> · <a href=\"figures/" + f.figure.name + ".dat\">data</a> · <a href=\"figures/" +
         f.figure.name + ".gp\">gnuplot</a></figcaption>\n</figure>\n";
  }
  for (const auto& t : tables) {
    h += "<h2 id=\"" + t.query.name + "\">" + t.query.name + "</h2>\n<p class=\"question\">" +
         html_escape(t.query.question) + "</p>\n" + to_html_table(t.result);
    std::string links;
    if (csv) links += "<a href=\"tables/" + t.query.name + ".csv\">CSV</a>";
    if (tex) links += std::string(links.empty() ? "" : " · ") + "<a href=\"tables/" + t.query.name + ".tex\">LaTeX</a>";
    if (!links.empty()) h += "<p class=\"files\">" + links + "</p>\n";
  }
  h += "<h2 id=\"provenance\">Provenance</h2>\n";
  for (const auto& [title, table] : provenance_tables) h += "<h3>" + html_escape(title) + "</h3>\n" + to_html_table(table);
  h += "</body>\n</html>\n";
  return h;
}

constexpr std::size_t kRowsOnAPage = 30;  // of a booktabs table float on a landscape page, caption included

std::string latex_report(const std::vector<Table>& tables, const std::vector<FigureFile>& figures,
                         const std::vector<std::pair<std::string, ResultSet>>& provenance_tables) {
  std::string t = "% Generated by hybridminer report. Compile with pdflatex; the tables are in tables/NAME.tex (those\n"
                  "% longer than a page are written below as longtables).\n"
                  "\\documentclass{article}\n\\usepackage[margin=1.5cm,landscape]{geometry}\n\\usepackage{booktabs}\n"
                  "\\usepackage{graphicx}\n\\usepackage{longtable}\n\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n\\begin{document}\n"
                  "\\section*{Hybridization study report}\n";
  for (const auto& f : figures) {
    t += "\\begin{figure}[htbp]\n  \\centering\n  \\includegraphics[width=0.8\\linewidth]{figures/" + f.figure.name +
         ".png}\n  \\caption{" + latex_escape(f.caption) + "}\n  \\label{fig:" + f.figure.name + "}\n\\end{figure}\n";
  }
  // LaTeX holds at most 18 floats waiting for a place ("Too many unprocessed floats"): a page break after the
  // figures and after every eighth table flushes them, however many questions queries/ holds.
  t += "\\clearpage\n";
  // Tables longer than a page are written here as longtables, which break across pages; a float would be cut off.
  for (std::size_t i = 0; i < tables.size(); ++i) {
    const auto& table = tables[i];
    t += table.result.rows.size() <= kRowsOnAPage
             ? "\\input{tables/" + table.query.name + "}\n"
             : to_latex_longtable(table.result, table.query.name + ": " + table.query.question, table.query.name);
    if (i % 8 == 7) t += "\\clearpage\n";
  }
  t += "\\clearpage\n\\section*{Provenance}\n";
  for (const auto& [title, table] : provenance_tables) {
    auto label = title;
    std::replace(label.begin(), label.end(), ' ', '_');
    t += table.rows.size() <= kRowsOnAPage ? to_latex(table, title, "provenance_" + label)
                                           : to_latex_longtable(table, title, "provenance_" + label);
  }
  t += "\\end{document}\n";
  return t;
}

}  // namespace

std::vector<std::filesystem::path> write_study_report(store::Database& db, const StudyReportOptions& options) {
  for (const auto& format : options.formats) {
    if (std::find_if(std::begin(kReportFormats), std::end(kReportFormats),
                     [&](const char* f) { return format == f; }) == std::end(kReportFormats)) {
      throw UsageError("unknown report format '" + format + "': use md, csv, tex and/or html");
    }
  }
  std::vector<Table> tables;
  for (const auto& query : named_queries_in_report_order()) tables.push_back({query, run_query(db, query.sql)});
  const auto provenance_tables = provenance(db, options);

  std::filesystem::create_directories(options.out);
  ReportWriter writer(options.out);
  std::vector<FigureFile> figures;
  if (wants(options, "md") || wants(options, "html") || wants(options, "tex")) {
    figures = study_figures(db);
    std::filesystem::create_directories(options.out / "figures");
    for (const auto& f : figures) {
      draw_figure(f.figure, options.out / "figures");
      for (const auto* ext : {".dat", ".gp", ".png", ".svg"}) writer.add(std::filesystem::path("figures") / (f.figure.name + ext));
    }
  }
  for (const auto& t : tables) {
    if (wants(options, "csv")) writer.write(std::filesystem::path("tables") / (t.query.name + ".csv"), to_csv(t.result));
    if (wants(options, "tex")) {
      writer.write(std::filesystem::path("tables") / (t.query.name + ".tex"),
                   to_latex(t.result, t.query.name + ": " + t.query.question, t.query.name));
    }
  }
  if (wants(options, "md")) writer.write("report.md", markdown_report(tables, figures, provenance_tables));
  if (wants(options, "tex")) writer.write("report.tex", latex_report(tables, figures, provenance_tables));
  if (wants(options, "html")) {
    writer.write("index.html", html_report(tables, figures, provenance_tables, wants(options, "csv"), wants(options, "tex")));
  }
  return writer.files();
}

}  // namespace hm::reports

#pragma once
// The study report written to a folder: every named query as a table (Markdown, CSV, LaTeX booktabs, HTML), the
// figures (PNG and SVG, drawn by gnuplot), and a provenance section. The same database gives the same files, byte
// for byte, except the one provenance line that says when the report was generated.
#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite.hpp"

namespace hm::reports {

inline constexpr const char* kReportFormats[] = {"md", "csv", "tex", "html"};

struct StudyReportOptions {
  std::filesystem::path out;
  std::vector<std::string> formats{"md", "csv", "tex", "html"};
  std::string tool_version;
  std::string database;      // as given on the command line
  std::string generated_at;  // ISO 8601 UTC; the only time-dependent text
};

// Writes report.md, index.html, report.tex, tables/NAME.{csv,tex} and figures/NAME.{dat,gp,png,svg} (what the
// formats ask for) into options.out, creating it. Returns the files written, relative to options.out, sorted.
std::vector<std::filesystem::path> write_study_report(store::Database& db, const StudyReportOptions& options);

}  // namespace hm::reports

#pragma once
// The study report. For now: every named query, in order, as a titled table. (The full report with figures and
// LaTeX/HTML output builds on this.)
#include <string>

#include "reports/format.hpp"
#include "store/sqlite.hpp"

namespace hm::reports {

std::string text_report(store::Database& db);

}  // namespace hm::reports

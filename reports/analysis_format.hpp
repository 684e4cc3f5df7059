#pragma once
// The output of `hybridminer analyze`: one record per function (facts, advice, findings) rendered as JSON Lines
// for programs, an aligned table for people, or SARIF 2.1.0 for code-scanning tools and editors.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "detectors/advisor.hpp"
#include "detectors/antipatterns.hpp"
#include "detectors/function_analysis.hpp"

namespace hm::reports {

// One analysed folder (or repository revision): its analysis, the advice per function and all findings.
struct AnalysedProject {
  detectors::ProjectAnalysis analysis;
  std::vector<detectors::Advice> advice;      // parallel to analysis.functions
  std::vector<detectors::Finding> findings;   // function findings in function order, then module-level ones
};

AnalysedProject analyse(const std::vector<detectors::ModuleSource>& modules);

// The JSON object of one function, with exactly the keys of the `analyze` JSON Lines format.
nlohmann::ordered_json function_record(const AnalysedProject& project, std::size_t function);

std::string to_jsonl(const std::vector<AnalysedProject>& projects);
std::string to_analysis_table(const std::vector<AnalysedProject>& projects);
std::string to_sarif(const std::vector<AnalysedProject>& projects, const std::string& version);

}  // namespace hm::reports

#include "reports/analysis_format.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "reports/format.hpp"

namespace hm::reports {
namespace {

nlohmann::ordered_json optional_bool(const std::optional<bool>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json optional_string(const std::optional<std::string>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

std::string cell(const std::optional<bool>& value) { return value ? (*value ? "yes" : "no") : "?"; }

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::vector<std::string> findings_of(const AnalysedProject& project, std::size_t function) {
  const auto& f = project.analysis.functions[function];
  std::vector<std::string> ids;
  for (const auto& finding : project.findings) {
    if (finding.module == f.module && finding.function == f.qualified_name &&
        std::find(ids.begin(), ids.end(), finding.antipattern) == ids.end()) {
      ids.push_back(finding.antipattern);
    }
  }
  return ids;
}

}  // namespace

AnalysedProject analyse(const std::vector<detectors::ModuleSource>& modules) {
  detectors::PythonParser parser;
  AnalysedProject project;
  project.analysis = detectors::analyse_project(modules, parser);
  for (const auto& function : project.analysis.functions) {
    project.advice.push_back(detectors::advise(function));
    auto findings = detectors::function_findings(function);
    project.findings.insert(project.findings.end(), findings.begin(), findings.end());
  }
  for (const auto& evidence : project.analysis.module_evidence) {
    auto findings = detectors::module_findings(evidence);
    project.findings.insert(project.findings.end(), findings.begin(), findings.end());
  }
  return project;
}

nlohmann::ordered_json function_record(const AnalysedProject& project, std::size_t index) {
  const auto& f = project.analysis.functions[index];
  const auto& advice = project.advice[index];
  nlohmann::ordered_json arguments = nlohmann::ordered_json::object();
  for (const auto& [name, value] : f.hybridization_args) arguments[name] = value;
  nlohmann::ordered_json record = nlohmann::ordered_json::object();
  record["file"] = project.analysis.modules[f.module].path;
  record["function"] = f.qualified_name;
  record["line"] = f.line;
  record["is_hybrid"] = f.is_hybrid;
  record["api"] = f.is_hybrid ? nlohmann::ordered_json(f.api) : nlohmann::ordered_json(nullptr);
  record["hybridization_args"] = arguments;
  record["has_tensor_parameter"] = optional_bool(f.has_tensor_parameter);
  record["has_primitive_parameter"] = optional_bool(f.has_primitive_parameter);
  record["has_python_side_effects"] = optional_bool(f.has_python_side_effects);
  record["is_recursive"] = optional_bool(f.is_recursive);
  record["refactoring"] = optional_string(advice.refactoring);
  record["transformation"] = optional_string(advice.transformation);
  record["passing_precondition"] = optional_string(advice.passing_precondition);
  record["failures"] = advice.failures;
  record["findings"] = findings_of(project, index);
  return record;
}

std::string to_jsonl(const std::vector<AnalysedProject>& projects) {
  std::string out;
  for (const auto& project : projects) {
    for (std::size_t i = 0; i < project.analysis.functions.size(); ++i) {
      out += function_record(project, i).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    }
  }
  return out;
}

std::string to_analysis_table(const std::vector<AnalysedProject>& projects) {
  ResultSet table;
  table.columns = {"location", "function", "hybrid", "tensor", "primitive", "side effects", "recursive", "advice",
                   "failures", "findings"};
  std::map<std::string, int> per_refactoring;
  std::map<std::string, int> per_finding;
  for (const auto& project : projects) {
    for (std::size_t i = 0; i < project.analysis.functions.size(); ++i) {
      const auto& f = project.analysis.functions[i];
      const auto& advice = project.advice[i];
      std::string verdict = advice.transformation ? *advice.transformation + " (" + *advice.passing_precondition + ")" : "-";
      if (advice.transformation) ++per_refactoring[*advice.refactoring + " " + *advice.passing_precondition];
      table.rows.push_back({project.analysis.modules[f.module].path + ":" + std::to_string(f.line), f.qualified_name,
                            f.is_hybrid ? f.api : std::string("-"), cell(f.has_tensor_parameter),
                            cell(f.has_primitive_parameter), cell(f.has_python_side_effects), cell(f.is_recursive),
                            verdict, joined(advice.failures), joined(findings_of(project, i))});
    }
    for (const auto& finding : project.findings) ++per_finding[finding.antipattern];
  }
  std::string out = to_table(table);
  out += "\n";
  for (const auto& [name, count] : per_refactoring) out += name + ": " + std::to_string(count) + "\n";
  for (const auto& [name, count] : per_finding) out += name + ": " + std::to_string(count) + "\n";
  return out;
}

std::string to_sarif(const std::vector<AnalysedProject>& projects, const std::string& version) {
  nlohmann::json rules = nlohmann::json::array();
  std::map<std::string, std::size_t> rule_index;
  for (const auto& entry : detectors::antipattern_catalogue()) {
    rule_index[std::string(entry.id)] = rules.size();
    rules.push_back({{"id", entry.id},
                     {"shortDescription", {{"text", entry.description}}},
                     {"help", {{"text", std::string(entry.recommendation) + "\n\nExample:\n" + std::string(entry.example)}}},
                     {"defaultConfiguration", {{"level", entry.severity}}},
                     {"properties", {{"family", entry.family}}}});
  }
  for (const char* refactoring : {"CONVERT_EAGER_FUNCTION_TO_HYBRID", "OPTIMIZE_HYBRID_FUNCTION"}) {
    rule_index[refactoring] = rules.size();
    rules.push_back({{"id", refactoring},
                     {"shortDescription",
                      {{"text", std::string(refactoring) == "OPTIMIZE_HYBRID_FUNCTION"
                                    ? "This hybrid function gains nothing from graph execution: make it eager."
                                    : "This eager function can safely be hybridized (tf.function)."}}},
                     {"defaultConfiguration", {{"level", "note"}}}});
  }
  nlohmann::json results = nlohmann::json::array();
  const auto location = [](const std::string& path, std::uint32_t line) {
    return nlohmann::json::array({{{"physicalLocation",
                                    {{"artifactLocation", {{"uri", path}, {"uriBaseId", "SRCROOT"}}},
                                     {"region", {{"startLine", std::max<std::uint32_t>(line, 1)}}}}}}});
  };
  for (const auto& project : projects) {
    for (const auto& finding : project.findings) {
      const auto* entry = detectors::find_antipattern(finding.antipattern);
      std::string message = std::string(entry ? entry->description : "") +
                            (finding.detail.empty() ? "" : " (" + finding.detail + ")");
      results.push_back({{"ruleId", finding.antipattern},
                         {"ruleIndex", rule_index[finding.antipattern]},
                         {"level", entry ? std::string(entry->severity) : std::string("warning")},
                         {"message", {{"text", message}}},
                         {"locations", location(project.analysis.modules[finding.module].path, finding.line)}});
    }
    for (std::size_t i = 0; i < project.analysis.functions.size(); ++i) {
      const auto& f = project.analysis.functions[i];
      const auto& advice = project.advice[i];
      if (!advice.transformation) continue;
      results.push_back({{"ruleId", *advice.refactoring},
                         {"ruleIndex", rule_index[*advice.refactoring]},
                         {"level", "note"},
                         {"message",
                          {{"text", f.qualified_name + ": " + *advice.transformation + " (precondition " +
                                        *advice.passing_precondition + " holds)"}}},
                         {"locations", location(project.analysis.modules[f.module].path, f.line)}});
    }
  }
  nlohmann::json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", nlohmann::json::array({{{"tool",
                                        {{"driver",
                                          {{"name", "hybridminer"},
                                           {"version", version},
                                           {"informationUri", "https://github.com/ponder-lab/Hybridize-Functions-Refactoring"},
                                           {"rules", rules}}}}},
                                       {"results", results}}})}};
  return sarif.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace hm::reports

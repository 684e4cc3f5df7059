#pragma once
// The anti-pattern catalogue: hybridization mistakes that make hybrid code slow (retracing, redundant graphs) or
// wrong (Python side effects that run only while tracing, eager-only calls), after TensorFlow's tf.function
// guide and the study "Challenges in Migrating Imperative Deep Learning Programs to Graph Execution" (MSR 2022).
// To add one: an entry in kCatalogue (antipatterns.cpp), its rule in detect_findings, and a snippet test.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detectors/function_analysis.hpp"

namespace hm::detectors {

struct AntiPattern {
  std::string_view id;        // stable, stored in the database: "python-side-effect-in-hybrid-function"
  std::string_view family;    // the API family it concerns: "tensorflow"
  std::string_view severity;  // "error" (wrong results), "warning" (slow), "note" (style, debuggability)
  std::string_view description;
  std::string_view recommendation;
  std::string_view example;  // a minimal Python snippet that has it
};

const std::vector<AntiPattern>& antipattern_catalogue();
const AntiPattern* find_antipattern(std::string_view id);

struct Finding {
  std::string antipattern;  // catalogue id
  std::size_t module = 0;   // index into ProjectAnalysis::modules
  std::string function;     // qualified name, "" for module-level code
  std::uint32_t line = 0;
  std::string detail;       // the evidence, as written
};

// Findings of one function (in catalogue order) and of module-level code.
std::vector<Finding> function_findings(const FunctionAnalysis& function);
std::vector<Finding> module_findings(const ModuleEvidence& evidence);

}  // namespace hm::detectors

#pragma once
// Which issues and pull requests are candidate hybridization bug reports, by the rules of an editable catalogue
// (data/hybridization_bug_reports.txt, whose header documents the matching). The candidates are what a
// researcher reads by hand, as the MSR 2022 study did with 446 reports; the rule that matched is kept with each.
#include <string>
#include <string_view>
#include <vector>

namespace hm::github {

struct ReportRules {
  std::vector<std::string> symptom_alone;
  std::vector<std::string> apis;
  std::vector<std::string> symptoms;

  // Throws hm::Error naming the line for an entry outside a section, an unknown section, a term with upper-case
  // letters or a tab, a term listed twice, or a catalogue without [symptom-alone] or [api] terms.
  static ReportRules parse(std::string_view catalogue_text);
};

std::string_view default_report_catalogue();
const ReportRules& default_report_rules();

struct ReportMatch {
  bool is_candidate = false;
  std::string rule;  // "symptom-alone:retracing", "api:tf.function+symptom:graph mode"; empty when none
};

// Applies the rules to an issue's title and body (any bytes; non-ASCII is left as it is).
ReportMatch classify_report(std::string_view title, std::string_view body,
                            const ReportRules& rules = default_report_rules());

}  // namespace hm::github

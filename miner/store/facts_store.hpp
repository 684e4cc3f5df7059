#pragma once
// The detector's cache: facts per blob id (blob_analyses, blob_imports, blob_sites, blob_findings; the functions
// and their advice as shared rows with each blob's spans: function_definitions and blob_function_spans,
// function_verdicts and blob_function_verdicts). A blob is analysed once per detector version, whichever commit,
// branch or repository holds it.
#include <optional>
#include <string>

#include "detectors/file_findings.hpp"
#include "detectors/python_facts.hpp"
#include "store/shared_rows.hpp"
#include "store/sqlite.hpp"

namespace hm::store {

struct BlobAnalysis {
  std::string status;  // parsed, skipped, unreadable
  std::optional<std::string> error;
  detectors::FileFacts facts;  // functions and sites only (what change classification needs)
  std::vector<detectors::FileFinding> findings;  // blob_findings: only for parsed blobs with sites
  // blob_function_advice: for parsed blobs with sites (the same analysis as their findings)
  std::vector<detectors::FileFunctionAdvice> advice;
  bool advised = false;  // `advice` is complete: recorded in advised_blobs
  bool reparsed = false;  // parsed from an earlier version's tree, not from scratch (counted for `mine -v`; not stored)
};

// Keyword arguments as the JSON object stored in blob_sites.arguments and hybridization_changes.args_*.
std::string arguments_json(const detectors::Arguments& arguments);

class FactsStore {
 public:
  explicit FactsStore(Database& db);

  // The cached analysis of `blob` by the current detector version, if any, with its findings and advice.
  std::optional<BlobAnalysis> load(const std::string& blob);
  // The same without findings and advice: status, error and the facts change classification compares. The
  // analysis reads it for every cached blob, so it reads nothing more.
  std::optional<BlobAnalysis> load_facts(const std::string& blob);
  // The status of the cached analysis of `blob` by the current detector version (parsed, skipped, unreadable).
  std::optional<std::string> status(const std::string& blob);
  // Replaces whatever was stored for `blob`.
  void save(const std::string& blob, const std::string& language, std::int64_t bytes, const BlobAnalysis& analysis);

  // Whether the blob's advice is complete (advised_blobs).
  bool advised(const std::string& blob);
  // Records the advice of a blob already saved, with its findings (a blob with sites analysed without them, see
  // mining::FindingsScope; none for other blobs), and that both are complete.
  void save_advice(const std::string& blob, const std::vector<detectors::FileFunctionAdvice>& advice,
                   const std::vector<detectors::FileFinding>& findings = {});

 private:
  void insert_findings(const std::string& blob, const std::vector<detectors::FileFinding>& findings);
  void insert_advice(const std::string& blob, const std::vector<detectors::FileFunctionAdvice>& advice);

  Database& db_;
  Statement select_analysis_;
  Statement select_status_;
  Statement select_functions_;
  Statement select_sites_;
  Statement select_findings_;
  Statement select_advice_;
  Statement delete_analysis_;
  Statement insert_analysis_;
  SharedRows definitions_;
  Statement insert_span_;
  Statement insert_import_;
  Statement insert_site_;
  Statement insert_finding_;
  Statement delete_findings_;
  SharedRows verdicts_;
  Statement insert_verdict_;
  Statement delete_verdicts_;
  Statement select_advised_;
  Statement insert_advised_;
};

}  // namespace hm::store

#pragma once
// The manual part of the study, on the database: export a deterministic sample of hybridization changes as a CSV
// to label, import a rater's labelled CSV (validated against the catalogues, all or nothing), measure the
// agreement of two raters, and evaluate the automatic classification against the agreed labels.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "labels/catalogue.hpp"
#include "labels/kappa.hpp"
#include "reports/result_set.hpp"
#include "store/sqlite.hpp"

namespace hm::labels {

// The dimensions a rater labels, in CSV column order. bug_fix and change_kind judge the automatic
// classification; the catalogue dimensions follow.
inline constexpr std::array<std::string_view, 6> kLabelDimensions{"bug_fix", "change_kind", "problem_category",
                                                                  "cause", "symptom", "fix"};

struct ExportOptions {
  std::size_t sample = 0;
  std::uint64_t seed = 0;
  bool stratify_by_kind = false;
};

// The sampled changes (merges excluded), one row each: the change's key and what the detector says about it, then
// empty columns for the rater (the kLabelDimensions and notes).
reports::ResultSet export_sample(store::Database& db, const ExportOptions& options);

// Stores `rater`'s labels from a CSV in the export's layout (extra columns are ignored; rows with no label are
// skipped). Replaces the rater's earlier labels of the same changes. Throws hm::Error naming the file and line
// for an unknown change, a name outside its catalogue or a bad value; then nothing is stored. Returns the
// number of labelled changes stored.
std::size_t import_labels(store::Database& db, const std::string& rater, const std::filesystem::path& file,
                          const std::vector<Catalogue>& catalogues);

struct DimensionAgreement {
  std::string dimension;
  Agreement agreement;
};

struct AgreementReport {
  std::string rater_a;
  std::string rater_b;
  std::vector<DimensionAgreement> dimensions;  // in kLabelDimensions order
  reports::ResultSet disagreements;            // one row per change and dimension the two label differently
};

// The two raters: as given, or the only two in the database (throws hm::UsageError otherwise).
AgreementReport agreement(store::Database& db, std::optional<std::string> rater_a, std::optional<std::string> rater_b);
reports::ResultSet agreement_table(const AgreementReport& report);

// Precision and recall of the detector's bug-fix flag and change kinds against the agreed labels: a change's
// label in a dimension is agreed when every rater who gave one gave the same (or, with `reference`, is that
// rater's label, e.g. an imported `consensus`).
reports::ResultSet evaluate(store::Database& db, const std::optional<std::string>& reference);

}  // namespace hm::labels

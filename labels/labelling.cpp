#include "labels/labelling.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "labels/csv_reader.hpp"
#include "labels/sampling.hpp"
#include "reports/format.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace hm::labels {
namespace {

constexpr std::array<std::string_view, 5> kKeyColumns{"repository", "sha", "path", "function", "api"};
constexpr std::array<std::string_view, 6> kChangeKinds{"added",       "removed",      "args_changed",
                                                       "api_changed", "body_changed", "none"};

// The population of `label export`: every hybridization change outside merges (which repeat their branch's
// changes), in an order that does not depend on row ids, so a re-analysed database samples the same changes.
constexpr const char* kPopulationSql = R"sql(
SELECT r.name AS repository, c.sha, datetime(c.committer_time, 'unixepoch') AS committed_at,
       coalesce(h.path, h.old_path) AS path, h.function, h.api, h.kind AS auto_kind, c.is_bug_fix AS auto_bug_fix,
       substr(c.message, 1, instr(c.message || char(10), char(10)) - 1) AS summary
FROM hybridization_changes h
JOIN commits c ON c.id = h.commit_id
JOIN repositories r ON r.id = c.repository_id
WHERE c.is_merge = 0
ORDER BY r.name, c.committer_time, c.sha, coalesce(h.path, h.old_path), h.function, h.api, h.kind, h.id
)sql";

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::optional<std::int64_t> parse_bug_fix(const std::string& value) {
  const auto v = lower(value);
  if (v == "yes" || v == "y" || v == "true" || v == "1") return 1;
  if (v == "no" || v == "n" || v == "false" || v == "0") return 0;
  return std::nullopt;
}

double rounded(double value) { return std::round(value * 1000.0) / 1000.0; }

std::string label_text(const store::Statement& row, int column, bool is_bug_fix) {
  if (is_bug_fix) return row.get_int(column) == 1 ? "yes" : "no";
  return row.get_text(column);
}

}  // namespace

reports::ResultSet export_sample(store::Database& db, const ExportOptions& options) {
  const auto population = reports::run_query(db, kPopulationSql);
  std::vector<std::size_t> chosen;
  if (options.stratify_by_kind) {
    const auto kind_column = static_cast<std::size_t>(
        std::find(population.columns.begin(), population.columns.end(), "auto_kind") - population.columns.begin());
    std::vector<std::string> strata;
    for (const auto& row : population.rows) strata.push_back(reports::format_value(row[kind_column]));
    chosen = stratified_sample(strata, options.sample, options.seed);
  } else {
    chosen = sample_indices(population.rows.size(), options.sample, options.seed);
  }

  reports::ResultSet result;
  result.columns = population.columns;
  for (const auto dimension : kLabelDimensions) result.columns.emplace_back(dimension);
  result.columns.emplace_back("notes");
  for (const auto index : chosen) {
    auto row = population.rows[index];
    row.resize(result.columns.size());  // empty (NULL) label columns for the rater
    result.rows.push_back(std::move(row));
  }
  return result;
}

std::size_t import_labels(store::Database& db, const std::string& rater, const std::filesystem::path& file,
                          const std::vector<Catalogue>& catalogues) {
  if (trim(rater).empty()) throw UsageError("label import: --rater must name the rater");
  const auto name = file.string();
  std::vector<CsvRecord> records;
  try {
    records = parse_csv(read_file(file));
  } catch (const Error& e) {
    throw Error(name + ": " + e.what());
  }
  if (records.empty()) throw Error(name + ": empty file; expected the CSV written by `hybridminer label export`");

  std::map<std::string, std::size_t> columns;
  for (std::size_t i = 0; i < records.front().fields.size(); ++i) columns[trim(records.front().fields[i])] = i;
  for (const auto key : kKeyColumns) {
    if (!columns.contains(std::string(key))) {
      throw Error(name + ": no '" + std::string(key) + "' column; keep the header of `hybridminer label export`");
    }
  }

  auto find_change = db.prepare(R"sql(
    SELECT 1 FROM hybridization_changes h
    JOIN commits c ON c.id = h.commit_id JOIN repositories r ON r.id = c.repository_id
    WHERE r.name = ?1 AND c.sha = ?2 AND coalesce(h.path, h.old_path) = ?3 AND h.function = ?4 AND h.api = ?5
    LIMIT 1)sql");
  auto insert = db.prepare(R"sql(
    INSERT OR REPLACE INTO labels (rater, repository, sha, path, function, api, bug_fix, change_kind,
                                   problem_category, cause, symptom, fix, notes, imported_at, source_file)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  const auto imported_at = util::now_iso_utc();
  const auto source = std::filesystem::absolute(file).lexically_normal().string();

  store::Transaction transaction(db);
  std::map<std::vector<std::string>, std::size_t> seen;  // key -> line, to refuse a change labelled twice
  std::size_t stored = 0;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& record = records[r];
    const auto where = name + ":" + std::to_string(record.line) + ": ";
    if (record.fields.size() != records.front().fields.size()) {
      throw Error(where + std::to_string(record.fields.size()) + " fields, but the header has " +
                  std::to_string(records.front().fields.size()));
    }
    const auto field = [&](std::string_view column) -> std::optional<std::string> {
      const auto found = columns.find(std::string(column));
      if (found == columns.end()) return std::nullopt;
      auto value = trim(record.fields[found->second]);
      if (value.empty()) return std::nullopt;
      return value;
    };

    std::map<std::string_view, std::optional<std::string>> values;
    bool labelled = false;
    for (const auto dimension : kLabelDimensions) {
      values[dimension] = field(dimension);
      labelled = labelled || values[dimension].has_value();
    }
    const auto notes = field("notes");
    if (!labelled && !notes) continue;  // not labelled (yet)

    std::vector<std::string> key;
    for (const auto column : kKeyColumns) {
      const auto value = field(column);
      if (!value) throw Error(where + "the '" + std::string(column) + "' column is empty");
      key.push_back(*value);
    }
    if (const auto [it, inserted] = seen.emplace(key, record.line); !inserted) {
      throw Error(where + "this change is already labelled on line " + std::to_string(it->second));
    }
    find_change.reset();
    find_change.bind_all(key[0], key[1], key[2], key[3], key[4]);
    if (!find_change.step()) {
      throw Error(where + "no hybridization change " + key[4] + " of " + key[3] + " in " + key[2] + " at " +
                  key[0] + " " + key[1].substr(0, 10) + " in this database");
    }

    std::optional<std::int64_t> bug_fix;
    if (values["bug_fix"]) {
      bug_fix = parse_bug_fix(*values["bug_fix"]);
      if (!bug_fix) throw Error(where + "bug_fix must be yes or no, not '" + *values["bug_fix"] + "'");
    }
    if (const auto& kind = values["change_kind"];
        kind && std::find(kChangeKinds.begin(), kChangeKinds.end(), *kind) == kChangeKinds.end()) {
      throw Error(where + "change_kind must be added, removed, args_changed, api_changed, body_changed or none, not '" +
                  *kind + "'");
    }
    for (const auto& catalogue : catalogues) {
      const auto& value = values[catalogue.dimension];
      if (value && !catalogue.contains(*value)) {
        throw Error(where + "'" + *value + "' is not in the " + catalogue.dimension + " catalogue (data/labels/" +
                    catalogue.dimension + ".txt)");
      }
    }

    insert.bind_all(rater, key[0], key[1], key[2], key[3], key[4], bug_fix, values["change_kind"],
                    values["problem_category"], values["cause"], values["symptom"], values["fix"], notes, imported_at,
                    source);
    insert.run();
    ++stored;
  }
  transaction.commit();
  return stored;
}

AgreementReport agreement(store::Database& db, std::optional<std::string> rater_a, std::optional<std::string> rater_b) {
  if (!rater_a || !rater_b) {
    std::vector<std::string> raters;
    auto list = db.prepare("SELECT DISTINCT rater FROM labels ORDER BY rater");
    while (list.step()) raters.push_back(list.get_text(0));
    if (raters.size() != 2) {
      std::string names;
      for (const auto& r : raters) names += (names.empty() ? "" : ", ") + r;
      if (raters.empty()) throw Error("no labels yet: import them with `hybridminer label import --rater NAME FILE`");
      throw UsageError("label agreement: the database has labels of " + names + "; name two with --raters A,B");
    }
    rater_a = raters[0];
    rater_b = raters[1];
  }

  AgreementReport report{*rater_a, *rater_b, {}, {}};
  report.disagreements.columns = {"repository", "sha", "path", "function", "api", "dimension", *rater_a, *rater_b};
  std::map<std::string_view, std::vector<std::pair<std::string, std::string>>> pairs;
  auto both = db.prepare(R"sql(
    SELECT a.repository, a.sha, a.path, a.function, a.api,
           a.bug_fix, a.change_kind, a.problem_category, a.cause, a.symptom, a.fix,
           b.bug_fix, b.change_kind, b.problem_category, b.cause, b.symptom, b.fix
    FROM labels a JOIN labels b
      ON b.repository = a.repository AND b.sha = a.sha AND b.path = a.path AND b.function = a.function
     AND b.api = a.api
    WHERE a.rater = ?1 AND b.rater = ?2
    ORDER BY a.repository, a.sha, a.path, a.function, a.api)sql");
  both.bind_all(*rater_a, *rater_b);
  const int dimensions = static_cast<int>(kLabelDimensions.size());
  while (both.step()) {
    for (int d = 0; d < dimensions; ++d) {
      const int a = 5 + d;
      const int b = 5 + dimensions + d;
      if (both.is_null(a) || both.is_null(b)) continue;
      const bool is_bug_fix = d == 0;
      auto label_a = label_text(both, a, is_bug_fix);
      auto label_b = label_text(both, b, is_bug_fix);
      if (label_a != label_b) {
        report.disagreements.rows.push_back({both.get_text(0), both.get_text(1).substr(0, 10), both.get_text(2),
                                             both.get_text(3), both.get_text(4),
                                             std::string(kLabelDimensions[static_cast<std::size_t>(d)]), label_a,
                                             label_b});
      }
      pairs[kLabelDimensions[static_cast<std::size_t>(d)]].emplace_back(std::move(label_a), std::move(label_b));
    }
  }
  for (const auto dimension : kLabelDimensions) {
    report.dimensions.push_back({std::string(dimension), cohen_kappa(pairs[dimension])});
  }
  // Disagreements grouped by dimension, in the dimensions' order, for discussion one dimension at a time.
  std::stable_sort(report.disagreements.rows.begin(), report.disagreements.rows.end(), [](const auto& x, const auto& y) {
    const auto rank = [](const reports::Value& v) {
      return std::find(kLabelDimensions.begin(), kLabelDimensions.end(), std::get<std::string>(v)) -
             kLabelDimensions.begin();
    };
    return rank(x[5]) < rank(y[5]);
  });
  return report;
}

reports::ResultSet agreement_table(const AgreementReport& report) {
  reports::ResultSet table;
  table.columns = {"dimension", "items", "agreed", "observed_agreement", "expected_agreement", "kappa"};
  for (const auto& [dimension, a] : report.dimensions) {
    reports::Value kappa = std::monostate{};
    if (a.kappa) kappa = rounded(*a.kappa);
    reports::Value observed = std::monostate{};
    reports::Value expected = std::monostate{};
    if (a.items > 0) {
      observed = rounded(a.observed);
      expected = rounded(a.expected);
    }
    table.rows.push_back({dimension, static_cast<std::int64_t>(a.items), static_cast<std::int64_t>(a.agreed),
                          observed, expected, kappa});
  }
  return table;
}

reports::ResultSet evaluate(store::Database& db, const std::optional<std::string>& reference) {
  auto statement = db.prepare(R"sql(
    WITH agreed AS (
      SELECT CASE WHEN count(DISTINCT bug_fix) = 1 THEN max(bug_fix) END AS bug_fix,
             CASE WHEN count(DISTINCT change_kind) = 1 THEN max(change_kind) END AS change_kind,
             max(auto_kind) AS auto_kind, max(auto_is_bug_fix) AS auto_bug_fix
      FROM labels_detail
      WHERE change_id IS NOT NULL AND (?1 IS NULL OR rater = ?1)
      GROUP BY repository, sha, path, function, api
    ),
    kinds(kind) AS (
      SELECT auto_kind FROM agreed WHERE change_kind IS NOT NULL
      UNION SELECT change_kind FROM agreed WHERE change_kind IS NOT NULL AND change_kind <> 'none'
    ),
    counts AS (
      SELECT 1 AS ord, 'bug_fix' AS classification, 'bug fix' AS class, count(*) AS items,
             sum(auto_bug_fix = 1 AND bug_fix = 1) AS tp, sum(auto_bug_fix = 1 AND bug_fix = 0) AS fp,
             sum(auto_bug_fix = 0 AND bug_fix = 1) AS fn, sum(auto_bug_fix = 0 AND bug_fix = 0) AS tn
      FROM agreed WHERE bug_fix IS NOT NULL AND auto_bug_fix IS NOT NULL
      UNION ALL
      SELECT 2, 'change_kind', k.kind, count(*),
             sum(a.auto_kind = k.kind AND a.change_kind = k.kind), sum(a.auto_kind = k.kind AND a.change_kind <> k.kind),
             sum(a.auto_kind <> k.kind AND a.change_kind = k.kind), sum(a.auto_kind <> k.kind AND a.change_kind <> k.kind)
      FROM kinds k, agreed a WHERE a.change_kind IS NOT NULL
      GROUP BY k.kind
    )
    SELECT classification, class, items, tp AS true_positives, fp AS false_positives, fn AS false_negatives,
           tn AS true_negatives,
           round(CAST(tp AS REAL) / nullif(tp + fp, 0), 3) AS precision,
           round(CAST(tp AS REAL) / nullif(tp + fn, 0), 3) AS recall
    FROM counts WHERE items > 0
    ORDER BY ord, class)sql");
  statement.bind(1, reference);
  return reports::read_rows(statement);
}

}  // namespace hm::labels

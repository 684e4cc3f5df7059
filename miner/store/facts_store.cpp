#include "store/facts_store.hpp"

#include <algorithm>
#include <string_view>

#include <nlohmann/json.hpp>

#include "detectors/version.hpp"

namespace hm::store {
namespace {

using nlohmann::json;

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// JSON objects do not keep order: arguments come back sorted by name, which is all comparisons need.
detectors::Arguments arguments_from(const std::string& text) {
  detectors::Arguments result;
  const auto object = json::parse(text, nullptr, false);
  if (!object.is_object()) return result;
  for (const auto& [name, value] : object.items()) result.emplace_back(name, value.is_string() ? value.get<std::string>() : value.dump());
  return result;
}

// The JSON text columns of blob_functions and blob_function_advice, written for every function of every parsed
// blob (hundreds of thousands of rows on one large history): built as text rather than as json values, whose
// objects cost an allocation per member (2.9 % of a Keras mine's CPU). The text is what json's dump gives: keys
// in its (sorted) order, no spaces; strings that need escaping go through json itself.
void append_string(std::string& out, std::string_view text) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);  // bytes past ASCII: json checks their UTF-8
    return byte >= 0x20 && byte < 0x7f && c != '"' && c != '\\';
  });
  if (!plain) {
    out += dump(json(std::string(text)));
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

void append_optional_string(std::string& out, const std::optional<std::string>& text) {
  if (text) {
    append_string(out, *text);
  } else {
    out += "null";
  }
}

std::string strings_json(const std::vector<std::string>& strings) {
  std::string out = "[";
  for (std::size_t i = 0; i < strings.size(); ++i) {
    if (i > 0) out += ',';
    append_string(out, strings[i]);
  }
  out += ']';
  return out;
}

std::string parameters_json(const std::vector<detectors::Parameter>& parameters) {
  std::string out = "[";
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const auto& p = parameters[i];
    out += i > 0 ? ",{\"annotation\":" : "{\"annotation\":";
    append_optional_string(out, p.annotation);
    out += ",\"default\":";
    append_optional_string(out, p.default_value);
    out += ",\"kind\":";
    append_string(out, p.kind);
    out += ",\"name\":";
    append_string(out, p.name);
    out += '}';
  }
  out += ']';
  return out;
}

std::optional<std::int64_t> optional_flag(const std::optional<bool>& flag) {
  return flag ? std::optional<std::int64_t>(*flag ? 1 : 0) : std::nullopt;
}

std::optional<bool> flag_of(Statement& statement, int column) {
  return statement.is_null(column) ? std::nullopt : std::optional<bool>(statement.get_int(column) == 1);
}

std::optional<std::int64_t> optional_cell(const std::optional<std::uint32_t>& cell) {
  return cell ? std::optional<std::int64_t>(*cell) : std::nullopt;
}

}  // namespace

std::string arguments_json(const detectors::Arguments& arguments) {
  json object = json::object();
  for (const auto& [name, value] : arguments) object[name] = value;
  return dump(object);
}

FactsStore::FactsStore(Database& db)
    : db_(db),
      select_analysis_(db.prepare(
          "SELECT status, error, syntax_errors, is_python2 FROM blob_analyses WHERE blob = ? AND detector_version = ?")),
      select_status_(db.prepare("SELECT status FROM blob_analyses WHERE blob = ? AND detector_version = ?")),
      select_functions_(db.prepare(
          "SELECT d.qualified_name, d.name, s.start_line, s.end_line, d.body_hash, s.cell FROM blob_function_spans s "
          "JOIN function_definitions d ON d.id = s.definition WHERE s.blob = ? ORDER BY s.ordinal")),
      select_sites_(db.prepare("SELECT api, family, role, form, level, function, scope, assigned_to, line, cell, "
                               "arguments FROM blob_sites WHERE blob = ? ORDER BY rowid")),
      select_findings_(db.prepare(
          "SELECT antipattern, function, cell, line, detail FROM blob_findings WHERE blob = ? ORDER BY rowid")),
      select_advice_(db.prepare(
          "SELECT v.function, s.cell, s.line, v.is_hybrid, v.api, v.has_tensor_parameter, v.has_primitive_parameter, "
          "v.has_python_side_effects, v.is_recursive, v.refactoring, v.transformation, v.passing_precondition, "
          "v.failures FROM blob_function_verdicts s JOIN function_verdicts v ON v.id = s.verdict WHERE s.blob = ? "
          "ORDER BY s.ordinal")),
      delete_analysis_(db.prepare("DELETE FROM blob_analyses WHERE blob = ?")),
      insert_analysis_(db.prepare("INSERT INTO blob_analyses (blob, detector_version, language, status, bytes, "
                                  "syntax_errors, is_python2, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")),
      definitions_(db, "function_definitions",
                   {"qualified_name", "name", "class_name", "class_bases", "parameters", "decorators", "body_hash"}),
      insert_span_(db.prepare("INSERT INTO blob_function_spans (blob, ordinal, definition, cell, start_line, end_line) "
                              "VALUES (?, ?, ?, ?, ?, ?)")),
      insert_import_(db.prepare("INSERT INTO blob_imports (blob, alias, target, line) VALUES (?, ?, ?, ?)")),
      insert_site_(db.prepare(
          "INSERT INTO blob_sites (blob, api, family, role, form, level, function, scope, assigned_to, cell, line, "
          "arguments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")),
      insert_finding_(db.prepare(
          "INSERT INTO blob_findings (blob, antipattern, function, cell, line, detail) VALUES (?, ?, ?, ?, ?, ?)")),
      delete_findings_(db.prepare("DELETE FROM blob_findings WHERE blob = ?")),
      verdicts_(db, "function_verdicts",
                {"function", "is_hybrid", "api", "has_tensor_parameter", "has_primitive_parameter",
                 "has_python_side_effects", "is_recursive", "refactoring", "transformation", "passing_precondition",
                 "failures"}),
      insert_verdict_(db.prepare("INSERT INTO blob_function_verdicts (blob, ordinal, verdict, cell, line) "
                                 "VALUES (?, ?, ?, ?, ?)")),
      delete_verdicts_(db.prepare("DELETE FROM blob_function_verdicts WHERE blob = ?")),
      select_advised_(db.prepare("SELECT 1 FROM advised_blobs WHERE blob = ?")),
      insert_advised_(db.prepare("INSERT OR IGNORE INTO advised_blobs (blob) VALUES (?)")) {}

std::optional<std::string> FactsStore::status(const std::string& blob) {
  select_status_.bind_all(blob, detectors::kDetectorVersion);
  std::optional<std::string> status;
  if (select_status_.step()) status = select_status_.get_text(0);
  select_status_.reset();
  return status;
}

std::optional<BlobAnalysis> FactsStore::load_facts(const std::string& blob) {
  select_analysis_.bind_all(blob, detectors::kDetectorVersion);
  if (!select_analysis_.step()) {
    select_analysis_.reset();
    return std::nullopt;
  }
  BlobAnalysis analysis;
  analysis.status = select_analysis_.get_text(0);
  analysis.error = select_analysis_.get_optional_text(1);
  analysis.facts.syntax_errors = static_cast<std::uint32_t>(select_analysis_.get_int(2));
  analysis.facts.python2 = select_analysis_.get_int(3) == 1;
  select_analysis_.reset();
  analysis.facts.parsed = analysis.status == "parsed";

  select_functions_.bind_all(blob);
  while (select_functions_.step()) {
    detectors::FunctionFact f;
    f.qualified_name = select_functions_.get_text(0);
    f.name = select_functions_.get_text(1);
    f.start_line = static_cast<std::uint32_t>(select_functions_.get_int(2));
    f.end_line = static_cast<std::uint32_t>(select_functions_.get_int(3));
    f.body_hash = select_functions_.get_text(4);
    if (!select_functions_.is_null(5)) f.cell = static_cast<std::uint32_t>(select_functions_.get_int(5));
    analysis.facts.functions.push_back(std::move(f));
  }
  select_functions_.reset();

  select_sites_.bind_all(blob);
  while (select_sites_.step()) {
    detectors::HybridSite s;
    s.api = select_sites_.get_text(0);
    s.family = select_sites_.get_text(1);
    s.role = select_sites_.get_text(2);
    s.form = select_sites_.get_text(3);
    s.level = select_sites_.get_text(4);
    s.function = select_sites_.get_text(5);
    s.scope = select_sites_.get_text(6);
    s.assigned_to = select_sites_.get_optional_text(7);
    s.line = static_cast<std::uint32_t>(select_sites_.get_int(8));
    if (!select_sites_.is_null(9)) s.cell = static_cast<std::uint32_t>(select_sites_.get_int(9));
    s.arguments = arguments_from(select_sites_.get_text(10));
    analysis.facts.sites.push_back(std::move(s));
  }
  select_sites_.reset();
  return analysis;
}

std::optional<BlobAnalysis> FactsStore::load(const std::string& blob) {
  auto loaded = load_facts(blob);
  if (!loaded) return std::nullopt;
  auto& analysis = *loaded;
  select_findings_.bind_all(blob);
  while (select_findings_.step()) {
    detectors::FileFinding f;
    f.antipattern = select_findings_.get_text(0);
    f.function = select_findings_.get_text(1);
    if (!select_findings_.is_null(2)) f.cell = static_cast<std::uint32_t>(select_findings_.get_int(2));
    f.line = static_cast<std::uint32_t>(select_findings_.get_int(3));
    f.detail = select_findings_.get_text(4);
    analysis.findings.push_back(std::move(f));
  }
  select_findings_.reset();

  select_advice_.bind_all(blob);
  while (select_advice_.step()) {
    detectors::FileFunctionAdvice a;
    a.function = select_advice_.get_text(0);
    if (!select_advice_.is_null(1)) a.cell = static_cast<std::uint32_t>(select_advice_.get_int(1));
    a.line = static_cast<std::uint32_t>(select_advice_.get_int(2));
    a.is_hybrid = select_advice_.get_int(3) == 1;
    a.api = select_advice_.get_optional_text(4).value_or("");
    a.has_tensor_parameter = flag_of(select_advice_, 5);
    a.has_primitive_parameter = flag_of(select_advice_, 6);
    a.has_python_side_effects = flag_of(select_advice_, 7);
    a.is_recursive = flag_of(select_advice_, 8);
    a.refactoring = select_advice_.get_optional_text(9);
    a.transformation = select_advice_.get_optional_text(10);
    a.passing_precondition = select_advice_.get_optional_text(11);
    const auto failures = json::parse(select_advice_.get_text(12), nullptr, false);
    if (failures.is_array()) {
      for (const auto& code : failures) {
        if (code.is_string()) a.failures.push_back(code.get<std::string>());
      }
    }
    analysis.advice.push_back(std::move(a));
  }
  select_advice_.reset();
  analysis.advised = advised(blob);
  return loaded;
}

void FactsStore::save(const std::string& blob, const std::string& language, std::int64_t bytes,
                      const BlobAnalysis& analysis) {
  delete_analysis_.bind_all(blob).run();
  const auto& facts = analysis.facts;
  insert_analysis_
      .bind_all(blob, detectors::kDetectorVersion, language, analysis.status, bytes,
                facts.parsed ? std::optional<std::int64_t>(facts.syntax_errors) : std::nullopt,
                facts.parsed ? std::optional<std::int64_t>(facts.python2 ? 1 : 0) : std::nullopt, analysis.error)
      .run();
  std::int64_t ordinal = 0;
  for (const auto& f : facts.functions) {
    const auto class_bases = f.class_name ? std::optional<std::string>(strings_json(f.class_bases)) : std::nullopt;
    const auto parameters = parameters_json(f.parameters);
    const auto decorators = strings_json(f.decorators);
    const auto definition =
        definitions_.put({sql_value(f.qualified_name), sql_value(f.name), sql_value(f.class_name),
                          sql_value(class_bases), sql_value(parameters), sql_value(decorators), sql_value(f.body_hash)});
    insert_span_
        .bind_all(blob, ordinal++, definition, optional_cell(f.cell), static_cast<std::int64_t>(f.start_line),
                  static_cast<std::int64_t>(f.end_line))
        .run();
  }
  for (const auto& i : facts.imports) {
    insert_import_.bind_all(blob, i.alias, i.target, static_cast<std::int64_t>(i.line)).run();
  }
  for (const auto& s : facts.sites) {
    insert_site_
        .bind_all(blob, s.api, s.family, s.role, s.form, s.level, s.function, s.scope, s.assigned_to,
                  optional_cell(s.cell), static_cast<std::int64_t>(s.line), arguments_json(s.arguments))
        .run();
  }
  insert_findings(blob, analysis.findings);
  insert_advice(blob, analysis.advice);
  if (analysis.advised) insert_advised_.bind_all(blob).run();
}

bool FactsStore::advised(const std::string& blob) {
  select_advised_.bind_all(blob);
  const bool found = select_advised_.step();
  select_advised_.reset();
  return found;
}

void FactsStore::save_advice(const std::string& blob, const std::vector<detectors::FileFunctionAdvice>& advice,
                             const std::vector<detectors::FileFinding>& findings) {
  delete_findings_.bind_all(blob).run();
  delete_verdicts_.bind_all(blob).run();
  insert_findings(blob, findings);
  insert_advice(blob, advice);
  insert_advised_.bind_all(blob).run();
}

void FactsStore::insert_findings(const std::string& blob, const std::vector<detectors::FileFinding>& findings) {
  for (const auto& f : findings) {
    insert_finding_
        .bind_all(blob, f.antipattern, f.function, optional_cell(f.cell), static_cast<std::int64_t>(f.line), f.detail)
        .run();
  }
}

void FactsStore::insert_advice(const std::string& blob, const std::vector<detectors::FileFunctionAdvice>& advice) {
  std::int64_t ordinal = 0;
  for (const auto& a : advice) {
    const auto api = a.api.empty() ? std::nullopt : std::optional<std::string>(a.api);
    const auto failures = strings_json(a.failures);
    const auto verdict = verdicts_.put(
        {sql_value(a.function), sql_value(std::int64_t{a.is_hybrid ? 1 : 0}), sql_value(api),
         sql_value(optional_flag(a.has_tensor_parameter)), sql_value(optional_flag(a.has_primitive_parameter)),
         sql_value(optional_flag(a.has_python_side_effects)), sql_value(optional_flag(a.is_recursive)),
         sql_value(a.refactoring), sql_value(a.transformation), sql_value(a.passing_precondition), sql_value(failures)});
    insert_verdict_.bind_all(blob, ordinal++, verdict, optional_cell(a.cell), static_cast<std::int64_t>(a.line)).run();
  }
}

}  // namespace hm::store

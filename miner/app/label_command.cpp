#include <fstream>
#include <iostream>

#include "app/commands.hpp"
#include "labels/labelling.hpp"
#include "reports/format.hpp"
#include "store/migrations.hpp"
#include "util/error.hpp"

namespace hm::app {
namespace {

// Writes `text` to `file` through a temporary file and a rename, so a failed write never leaves half a file.
void write_file_atomically(const std::filesystem::path& file, const std::string& text) {
  const auto temporary = std::filesystem::path(file.string() + ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cannot write " + file.string());
    out << text;
    out.flush();
    if (!out) throw Error("cannot write " + file.string());
  }
  std::filesystem::rename(temporary, file);
}

}  // namespace

int run_label_export(const LabelArgs& args) {
  auto db = store::open_database_readonly(args.db);
  const auto sample = labels::export_sample(db, {args.sample, args.seed, args.stratify.has_value()});
  const auto csv = reports::to_csv(sample);
  if (args.out) {
    write_file_atomically(*args.out, csv);
    std::cerr << "label export: " << sample.rows.size() << " changes to label in " << args.out->string() << "\n";
  } else {
    std::cout << csv;
  }
  return 0;
}

int run_label_import(const LabelArgs& args) {
  const auto catalogues = labels::load_catalogues(args.catalogues);
  std::error_code ec;
  if (!std::filesystem::exists(args.db, ec)) {
    throw Error("database " + args.db.string() + " does not exist; run `hybridminer mine --db " + args.db.string() +
                " ...` first");
  }
  auto db = store::open_database(args.db);
  const auto stored = labels::import_labels(db, args.rater, args.file, catalogues);
  std::cerr << "label import: " << stored << " labelled changes of " << args.rater << " stored\n";
  return 0;
}

int run_label_agreement(const LabelArgs& args) {
  std::optional<std::string> a;
  std::optional<std::string> b;
  if (args.raters) {
    const auto comma = args.raters->find(',');
    if (comma == std::string::npos || comma == 0 || comma + 1 == args.raters->size()) {
      throw UsageError("label agreement: --raters takes two names separated by a comma (A,B)");
    }
    a = args.raters->substr(0, comma);
    b = args.raters->substr(comma + 1);
  }
  auto db = store::open_database_readonly(args.db);
  const auto report = labels::agreement(db, a, b);
  const auto format = reports::parse_format(args.format);
  if (format == reports::Format::Table) {
    std::cout << "Cohen's kappa, " << report.rater_a << " vs " << report.rater_b << "\n\n"
              << reports::to_table(labels::agreement_table(report)) << "\nDisagreements to discuss\n\n"
              << reports::to_table(report.disagreements);
  } else {
    std::cout << reports::render(labels::agreement_table(report), format);
  }
  return 0;
}

int run_label_eval(const LabelArgs& args) {
  auto db = store::open_database_readonly(args.db);
  std::cout << reports::render(labels::evaluate(db, args.reference), reports::parse_format(args.format));
  return 0;
}

}  // namespace hm::app

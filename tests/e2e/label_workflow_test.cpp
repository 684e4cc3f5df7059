// The labelling workflow on the demo corpus: export a deterministic sample, import two raters' labels, their
// agreement (kappa computed by hand below) and the evaluation of the detector against the agreed labels.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "support/db_rows.hpp"
#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using hm::test::hybridminer;
using hm::test::rows;
using hm::test::single;
using hm::test::TempDir;

namespace {

std::string mined_demo(const TempDir& tmp) {
  hm::test::make_demo_corpus(tmp / "demo");
  const auto db = (tmp / "hybridminer.db").string();
  REQUIRE(hybridminer({"mine", "--db", db, "@" + (tmp / "demo" / "corpus.txt").string()}).exit_code == 0);
  return db;
}

void write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// One labelled row in the import layout: the change's key, then the rater's judgements.
std::string row(const std::string& db, const std::string& repository, const std::string& sha7, const std::string& path,
                const std::string& function, const std::string& api, const std::string& labels) {
  const auto sha = single(db, "SELECT sha FROM commits WHERE sha LIKE '" + sha7 + "%'");
  return repository + "," + sha + "," + path + "," + function + "," + api + "," + labels + "\n";
}

}  // namespace

TEST_CASE("label export: a deterministic sample of changes, stratified on request", "[e2e][demo][labels]") {
  TempDir tmp;
  const auto db = mined_demo(tmp);

  const auto first = hybridminer({"label", "export", "--db", db, "--sample", "5", "--seed", "7"});
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.rfind("repository,sha,committed_at,path,function,api,auto_kind,auto_bug_fix,summary,bug_fix,"
                        "change_kind,problem_category,cause,symptom,fix,notes\r\n", 0) == 0);
  CHECK(count(first.out, "\r\n") == 6);
  CHECK(hybridminer({"label", "export", "--db", db, "--sample", "5", "--seed", "7"}).out == first.out);
  CHECK(hybridminer({"label", "export", "--db", db, "--sample", "5", "--seed", "8"}).out != first.out);

  // 16 changes outside merges: 11 added, 2 removed, 3 args_changed; 8 of them stratified: 6, 1, 1.
  const auto out = tmp / "sample.csv";
  const auto stratified = hybridminer({"label", "export", "--db", db, "--sample", "8", "--seed", "3", "--stratify",
                                       "kind", "--out", out.string()});
  REQUIRE(stratified.exit_code == 0);
  std::ifstream in(out, std::ios::binary);
  const std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(count(csv, ",added,") == 6);
  CHECK(count(csv, ",removed,") == 1);
  CHECK(count(csv, ",args_changed,") == 1);

  // The whole population when the sample is larger; importing the untouched export stores nothing.
  const auto all = tmp / "all.csv";
  REQUIRE(hybridminer({"label", "export", "--db", db, "--sample", "100", "--out", all.string()}).exit_code == 0);
  const auto untouched = hybridminer({"label", "import", "--db", db, "--rater", "ann", all.string()});
  CHECK(untouched.exit_code == 0);
  CHECK(untouched.err.find("0 labelled changes of ann stored") != std::string::npos);
}

TEST_CASE("label import, agreement and eval on two raters' labels", "[e2e][demo][labels]") {
  TempDir tmp;
  const auto db = mined_demo(tmp);
  const std::string header = "repository,sha,path,function,api,bug_fix,change_kind,problem_category,fix\n";
  // Four changes, labelled by two raters. They disagree on one bug_fix (train_step) and one category (torch.compile).
  write(tmp / "alice.csv",
        header +
            row(db, "tf-demo", "624bc44", "utils/data.py", "augment", "tf.function", "yes,removed,Performance,Remove decorator") +
            row(db, "torch-demo", "11bdfcd", "train.py", "model", "torch.compile", "yes,removed,Incompatibility,Remove decorator") +
            row(db, "tf-demo", "697690c", "model.py", "Classifier.predict", "tf.function", "no,added,Performance,Add input_signature") +
            row(db, "tf-demo", "c65c67b", "model.py", "train_step", "tf.function", "no,added,Performance,Use tf.function"));
  write(tmp / "bob.csv",
        header +
            row(db, "tf-demo", "624bc44", "utils/data.py", "augment", "tf.function", "Yes,removed,Performance,Remove decorator") +
            row(db, "torch-demo", "11bdfcd", "train.py", "model", "torch.compile", "yes,removed,Performance,Remove decorator") +
            row(db, "tf-demo", "697690c", "model.py", "Classifier.predict", "tf.function", "no,added,Performance,Add input_signature") +
            row(db, "tf-demo", "c65c67b", "model.py", "train_step", "tf.function", "yes,added,Performance,Use tf.function"));
  for (const auto* rater : {"alice", "bob"}) {
    const auto imported = hybridminer({"label", "import", "--db", db, "--rater", rater, (tmp / (std::string(rater) + ".csv")).string()});
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);
  }
  CHECK(single(db, "SELECT count(*) FROM labels") == "8");
  CHECK(single(db, "SELECT count(*) FROM labels_detail WHERE change_id IS NULL") == "0");

  // bug_fix: p_o = 3/4; alice yes 1/2, bob yes 3/4: p_e = 1/2*3/4 + 1/2*1/4 = 1/2; kappa = (3/4-1/2)/(1/2) = 0.5.
  // change_kind: all agree, p_e = 1/2: kappa 1. problem_category: p_o = 3/4, bob always Performance: p_e = 3/4,
  // kappa 0. fix: all agree, p_e = 1/4 + 1/16 + 1/16 = 0.375: kappa 1. cause, symptom: no items.
  const auto kappa = hybridminer({"label", "agreement", "--db", db, "--format", "csv"});
  INFO(kappa.err);
  REQUIRE(kappa.exit_code == 0);
  CHECK(kappa.out ==
        "dimension,items,agreed,observed_agreement,expected_agreement,kappa\r\n"
        "bug_fix,4,3,0.75,0.5,0.5\r\n"
        "change_kind,4,4,1,0.5,1\r\n"
        "problem_category,4,3,0.75,0.75,0\r\n"
        "cause,0,0,,,\r\n"
        "symptom,0,0,,,\r\n"
        "fix,4,4,1,0.375,1\r\n");
  const auto table = hybridminer({"label", "agreement", "--db", db, "--raters", "alice,bob"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("Disagreements to discuss") != std::string::npos);
  const auto disagreements = table.out.substr(table.out.find("Disagreements to discuss"));
  CHECK(disagreements.find("train_step") != std::string::npos);
  CHECK(disagreements.find("Incompatibility") != std::string::npos);
  CHECK(disagreements.find("augment") == std::string::npos);

  // Agreed bug fixes: augment yes, torch.compile yes, predict no (train_step is disputed). The detector flags all
  // three ("fixed input signature"): precision 2/3, recall 1. Agreed kinds match the detector's.
  const auto eval = hybridminer({"label", "eval", "--db", db, "--format", "csv"});
  INFO(eval.err);
  REQUIRE(eval.exit_code == 0);
  CHECK(eval.out ==
        "classification,class,items,true_positives,false_positives,false_negatives,true_negatives,precision,recall\r\n"
        "bug_fix,bug fix,3,2,1,0,0,0.667,1\r\n"
        "change_kind,added,4,2,0,0,2,1,1\r\n"
        "change_kind,removed,4,2,0,0,2,1,1\r\n");
  // Against bob alone, train_step is a bug fix the detector missed: recall 2/3.
  const auto against_bob = hybridminer({"label", "eval", "--db", db, "--reference", "bob", "--format", "csv"});
  CHECK(against_bob.out.find("bug_fix,bug fix,4,2,1,1,0,0.667,0.667\r\n") != std::string::npos);
}

TEST_CASE("label import refuses bad files whole, with the file and line", "[e2e][demo][labels]") {
  TempDir tmp;
  const auto db = mined_demo(tmp);
  const std::string header = "repository,sha,path,function,api,bug_fix,problem_category\n";
  const auto good = row(db, "tf-demo", "624bc44", "utils/data.py", "augment", "tf.function", "yes,Performance");
  const auto file = (tmp / "bad.csv").string();

  write(file, header + good + row(db, "tf-demo", "697690c", "model.py", "Classifier.predict", "tf.function", "no,Perf"));
  auto result = hybridminer({"label", "import", "--db", db, "--rater", "ann", file});
  CHECK(result.exit_code == 1);
  CHECK(result.err == "hybridminer: " + file +
                          ":3: 'Perf' is not in the problem_category catalogue (data/labels/problem_category.txt)\n");
  CHECK(single(db, "SELECT count(*) FROM labels") == "0");  // the good line 2 was rolled back too

  write(file, header + good + row(db, "tf-demo", "697690c", "model.py", "nope", "tf.function", "no,Performance"));
  result = hybridminer({"label", "import", "--db", db, "--rater", "ann", file});
  CHECK(result.exit_code == 1);
  CHECK(result.err.find(file + ":3: no hybridization change tf.function of nope in model.py") != std::string::npos);

  write(file, header + row(db, "tf-demo", "624bc44", "utils/data.py", "augment", "tf.function", "maybe,Performance"));
  result = hybridminer({"label", "import", "--db", db, "--rater", "ann", file});
  CHECK(result.err.find(":2: bug_fix must be yes or no, not 'maybe'") != std::string::npos);

  write(file, header + good + good);
  result = hybridminer({"label", "import", "--db", db, "--rater", "ann", file});
  CHECK(result.err.find(":3: this change is already labelled on line 2") != std::string::npos);

  write(file, "repository,path\n");
  result = hybridminer({"label", "import", "--db", db, "--rater", "ann", file});
  CHECK(result.err.find("no 'sha' column") != std::string::npos);

  CHECK(single(db, "SELECT count(*) FROM labels") == "0");
  // With only one rater there is no agreement to compute.
  write(file, header + good);
  REQUIRE(hybridminer({"label", "import", "--db", db, "--rater", "ann", file}).exit_code == 0);
  CHECK(hybridminer({"label", "agreement", "--db", db}).exit_code == 2);
  CHECK(rows(db, "SELECT rater, bug_fix, problem_category FROM labels") == std::vector<std::string>{"ann|1|Performance"});
}

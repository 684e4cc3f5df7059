// The study's questions (queries/*.sql) on the demo corpus: exact rows, checked against the scripted histories of
// data/demo/make_demo_corpus.sh (dates and days computed by hand from its commit dates).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using hm::test::hybridminer;
using hm::test::TempDir;

namespace {

// The query's CSV output, one string per record (CRLF separated).
std::vector<std::string> csv_rows(const std::string& db, const std::string& query) {
  const auto result = hybridminer({"query", "--db", db, "--format", "csv", query});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < result.out.size()) {
    const auto end = result.out.find("\r\n", start);
    lines.push_back(result.out.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

std::string mined_demo(const TempDir& tmp) {
  hm::test::make_demo_corpus(tmp / "demo");
  const auto db = (tmp / "hybridminer.db").string();
  const auto mined = hybridminer({"mine", "--db", db, "@" + (tmp / "demo" / "corpus.txt").string()});
  INFO(mined.err);
  REQUIRE(mined.exit_code == 0);
  return db;
}

}  // namespace

TEST_CASE("study queries: corpus overview and adoption at head", "[e2e][demo][study]") {
  TempDir tmp;
  const auto db = mined_demo(tmp);

  // At head: tf-demo keeps model.py, train.py, utils/__init__.py, utils/dataset.py (renamed) and custom_loop.py
  // (renamed), legacy_io.py is deleted; hybrid are train_step, test_step, Classifier.predict and the custom loop's
  // train_step. torch-demo dropped torch.compile; jax-demo has update and polynomial_features.
  CHECK(csv_rows(db, "corpus_overview") ==
        std::vector<std::string>{
            "repository,commits,merge_commits,authors,file_changes,python_file_changes,python_files_at_head,"
            "hybrid_functions_at_head,first_commit,last_commit,status",
            "jax-demo,4,0,3,5,4,2,2,2020-08-19,2024-01-08,ok",
            "tf-demo,15,1,3,22,19,5,4,2020-01-15,2024-02-14,ok",
            "torch-demo,7,0,3,9,8,4,3,2020-05-11,2024-04-11,ok",
            "(total),26,1,3,36,31,11,9,2020-01-15,2024-04-11,\"3 repositories, 0 failed\""});

  CHECK(csv_rows(db, "adoption_at_head") ==
        std::vector<std::string>{
            "family,api,repositories,files,functions,sites,decorator,decorator_with_arguments,call",
            "jax,jax.jit,1,1,2,2,1,1,0", "pytorch,torch.jit.script,1,2,2,2,1,0,1", "pytorch,torch.jit.trace,1,1,1,1,0,0,1",
            "tensorflow,tf.function,1,2,4,4,0,3,1"});

  CHECK(csv_rows(db, "adoption_arguments_at_head") ==
        std::vector<std::string>{"api,argument,repositories,functions,most_frequent_value",
                                 "jax.jit,static_argnums,1,1,\"(1,)\"",
                                 "jax.jit,(none),1,1,",
                                 "tf.function,input_signature,1,1,\"[tf.TensorSpec(shape=[None, 28, 28], dtype=tf.float32)]\"",
                                 "tf.function,jit_compile,1,1,True",
                                 "tf.function,reduce_retracing,1,1,True",
                                 "tf.function,(none),1,1,",
                                 "torch.jit.script,(none),1,2,",
                                 "torch.jit.trace,(none),1,1,"});

  // Along the first-parent chains: the feature branch's train_step arrives in main with the 2023 merge; the last
  // year's counts are those at head.
  CHECK(csv_rows(db, "adoption_per_year") ==
        std::vector<std::string>{"year,family,api,repositories,functions,added,removed",
                                 "2020,pytorch,torch.jit.script,1,1,1,0",
                                 "2020,tensorflow,tf.function,1,2,2,0",
                                 "2021,pytorch,torch.jit.script,1,1,0,0",
                                 "2021,pytorch,torch.jit.trace,1,1,1,0",
                                 "2021,tensorflow,tf.function,1,3,2,1",
                                 "2022,jax,jax.jit,1,1,1,0",
                                 "2022,pytorch,torch.jit.script,1,2,1,0",
                                 "2022,pytorch,torch.jit.trace,1,1,0,0",
                                 "2022,tensorflow,tf.function,1,3,0,0",
                                 "2023,jax,jax.jit,1,1,0,0",
                                 "2023,pytorch,torch.compile,1,1,1,0",
                                 "2023,pytorch,torch.jit.script,1,2,0,0",
                                 "2023,pytorch,torch.jit.trace,1,1,0,0",
                                 "2023,tensorflow,tf.function,1,4,1,0",
                                 "2024,jax,jax.jit,1,2,1,0",
                                 "2024,pytorch,torch.compile,0,0,0,1",
                                 "2024,pytorch,torch.jit.script,1,2,0,0",
                                 "2024,pytorch,torch.jit.trace,1,1,0,0",
                                 "2024,tensorflow,tf.function,1,4,0,0"});

  // experimental_relax_shapes (2021) becomes reduce_retracing (2023); torch.compile's mode lives 2023-2024.
  CHECK(csv_rows(db, "adoption_arguments_per_year") ==
        std::vector<std::string>{"year,api,argument,repositories,functions",
                                 "2020,tf.function,input_signature,1,1",
                                 "2021,tf.function,experimental_relax_shapes,1,1",
                                 "2021,tf.function,input_signature,1,1",
                                 "2022,tf.function,experimental_relax_shapes,1,1",
                                 "2022,tf.function,input_signature,1,1",
                                 "2022,tf.function,jit_compile,1,1",
                                 "2023,tf.function,experimental_relax_shapes,0,0",
                                 "2023,tf.function,input_signature,1,1",
                                 "2023,tf.function,jit_compile,1,1",
                                 "2023,tf.function,reduce_retracing,1,1",
                                 "2023,torch.compile,mode,1,1",
                                 "2024,jax.jit,static_argnums,1,1",
                                 "2024,tf.function,experimental_relax_shapes,0,0",
                                 "2024,tf.function,input_signature,1,1",
                                 "2024,tf.function,jit_compile,1,1",
                                 "2024,tf.function,reduce_retracing,1,1",
                                 "2024,torch.compile,mode,0,0"});
}

TEST_CASE("study queries: evolution, lifetimes, arguments and bug fixes", "[e2e][demo][study]") {
  TempDir tmp;
  const auto db = mined_demo(tmp);

  CHECK(csv_rows(db, "changes_per_year") ==
        std::vector<std::string>{"year,added,removed,args_changed,api_changed,body_changed,changes,commits,repositories",
                                 "2020,3,0,0,0,0,3,3,2", "2021,3,1,0,0,0,4,3,2", "2022,3,0,1,0,0,4,4,3",
                                 "2023,1,0,2,0,0,3,3,2", "2024,1,1,0,0,0,2,2,2"});

  CHECK(csv_rows(db, "changes_per_repository") ==
        std::vector<std::string>{
            "repository,added,removed,args_changed,api_changed,body_changed,changes,commits,functions,bug_fix_percent",
            "jax-demo,2,0,0,0,0,2,2,2,0", "tf-demo,5,1,2,0,0,8,7,5,25", "torch-demo,4,1,1,0,0,6,6,4,16.7"});

  // Days: augment 2021-06-21 10:00 -> 2021-11-30 08:15 = 161.93; torch.compile 2023-03-20 16:00 -> 2024-04-11
  // 14:50 = 387.95; open episodes run to the tip (tf-demo 2024-02-14 09:45: train_step from 2020-04-02 14:05 =
  // 1412.82).
  CHECK(csv_rows(db, "hybrid_lifetimes") ==
        std::vector<std::string>{"repository,api,path,function,added,removed,status,days",
                                 "jax-demo,jax.jit,model.py,update,2022-06-27,,open,559.7",
                                 "jax-demo,jax.jit,model.py,polynomial_features,2024-01-08,,open,0",
                                 "tf-demo,tf.function,model.py,train_step,2020-04-02,,open,1412.8",
                                 "tf-demo,tf.function,model.py,Classifier.predict,2020-09-18,,open,1243.9",
                                 "tf-demo,tf.function,model.py,test_step,2021-06-21,,open,968",
                                 "tf-demo,tf.function,utils/data.py,augment,2021-06-21,2021-11-30,removed,161.9",
                                 "tf-demo,tf.function,loops.py,train_step,2023-01-09,,open,401",
                                 "torch-demo,torch.jit.script,net.py,fused_gelu,2020-12-01,,open,1226.8",
                                 "torch-demo,torch.jit.trace,export.py,model,2021-08-17,,open,968.1",
                                 "torch-demo,torch.jit.script,explore.ipynb,model,2022-02-23,,open,778.2",
                                 "torch-demo,torch.compile,train.py,model,2023-03-20,2024-04-11,removed,388"});

  CHECK(csv_rows(db, "added_then_removed") ==
        std::vector<std::string>{"api,episodes,removed,percent_removed,mean_days_until_removed,min_days_until_removed,"
                                 "max_days_until_removed,mean_days_open",
                                 "jax.jit,2,0,0,,,,279.9", "tf.function,5,1,20,161.9,161.9,161.9,1006.4",
                                 "torch.compile,1,1,100,388,388,388,", "torch.jit.script,2,0,0,,,,1002.5",
                                 "torch.jit.trace,1,0,0,,,,968.1", "(all),11,2,18.2,275,161.9,388,839.8"});

  CHECK(csv_rows(db, "argument_transitions") ==
        std::vector<std::string>{
            "api,transition,from_argument,to_argument,from_value,to_value,changes,repositories",
            "tf.function,renamed,experimental_relax_shapes,reduce_retracing,True,True,1,1",
            "torch.compile,value,mode,mode,\"\"\"reduce-overhead\"\"\",\"\"\"max-autotune\"\"\",1,1"});

  // Bug fixes: "Export ... with a fixed input signature" (an added predict), "Fix retracing bug ... (#12)" and
  // "Fix crash with dynamic shapes" (the two removals).
  CHECK(csv_rows(db, "bug_fix_share") ==
        std::vector<std::string>{"api,kind,changes,bug_fix_changes,bug_fix_percent,bug_fix_commits_with_issue,"
                                 "bug_report_changes,bug_fix_or_report_changes,bug_fix_or_report_percent",
                                 "jax.jit,added,2,0,0,0,0,0,0",
                                 "tf.function,added,5,1,20,0,0,1,20",
                                 "tf.function,removed,1,1,100,1,0,1,100",
                                 "tf.function,args_changed,2,0,0,0,0,0,0",
                                 "torch.compile,added,1,0,0,0,0,0,0",
                                 "torch.compile,removed,1,1,100,0,0,1,100",
                                 "torch.compile,args_changed,1,0,0,0,0,0,0",
                                 "torch.jit.script,added,2,0,0,0,0,0,0",
                                 "torch.jit.trace,added,1,0,0,0,0,0,0",
                                 "(all),added,11,1,9.1,0,0,1,9.1",
                                 "(all),removed,2,2,100,1,0,2,100",
                                 "(all),args_changed,3,0,0,0,0,0,0"});
}

TEST_CASE("study queries run with plain sqlite3 too", "[e2e][demo][study]") {
  TempDir tmp;
  const auto db = mined_demo(tmp);
  const auto sqlite = hm::test::run_process(
      {"sqlite3", "-csv", db, ".read " + std::string(HM_SOURCE_DIR) + "/queries/adoption_at_head.sql"});
  INFO(sqlite.err);
  REQUIRE(sqlite.exit_code == 0);
  CHECK(sqlite.out.find("tensorflow,tf.function,1,2,4,4,0,3,1") != std::string::npos);
}

TEST_CASE("hybrid episodes follow a renamed file to the removal, and head files see the rename", "[e2e][study]") {
  TempDir tmp;
  hm::test::GitRepo repo(tmp / "renames");
  const std::string hybrid = "import tensorflow as tf\n\n\n@tf.function\ndef step(x):\n    return x * 2\n";
  const std::string eager = "import tensorflow as tf\n\n\ndef step(x):\n    return x * 2\n";
  repo.write("a.py", hybrid);
  repo.commit("Add a hybrid step", 0);
  repo.git({"mv", "a.py", "b.py"});
  repo.commit("Rename a.py to b.py", 10);
  repo.write("b.py", eager);
  repo.commit("Run step eagerly", 30);
  const auto db = (tmp / "hybridminer.db").string();
  REQUIRE(hybridminer({"mine", "--db", db, repo.path().string()}).exit_code == 0);

  CHECK(csv_rows(db, "hybrid_lifetimes") ==
        std::vector<std::string>{"repository,api,path,function,added,removed,status,days",
                                 "renames,tf.function,a.py,step,2021-01-01,2021-01-31,removed,30"});
  const auto sqlite = hm::test::run_process({"sqlite3", db, "SELECT path FROM head_files ORDER BY path"});
  CHECK(sqlite.out == "b.py\n");
}

TEST_CASE("head_files is exactly the tree of each repository's mined tip (git ls-tree)", "[e2e][demo][study]") {
  TempDir tmp;
  const auto db = mined_demo(tmp);
  for (const std::string repository : {"tf-demo", "torch-demo", "jax-demo"}) {
    INFO(repository);
    const auto tree = hm::test::run_process(
        {"git", "-C", (tmp / "demo" / repository).string(), "ls-tree", "-r", "--format=%(objectname) %(path)", "HEAD"});
    REQUIRE(tree.exit_code == 0);
    const auto files = hm::test::run_process(
        {"sqlite3", db, "SELECT blob || ' ' || path FROM head_files WHERE repository = '" + repository + "' ORDER BY path"});
    REQUIRE(files.exit_code == 0);
    CHECK(files.out == tree.out);
  }
}

TEST_CASE("study queries: anti-patterns at head and their lifetimes", "[e2e][demo][study][findings]") {
  TempDir tmp;
  const auto db = mined_demo(tmp);

  // tf-demo's model.py reads the module-level loss_fn in both hybrid steps (train_step since 2020-04-02,
  // test_step since 2021-06-21); only files with sites are analysed, and no other demo file has a finding.
  CHECK(csv_rows(db, "antipatterns_at_head") ==
        std::vector<std::string>{"antipattern,repositories,files,functions,findings",
                                 "captured-python-global-in-hybrid-function,1,1,2,2"});

  // test_step's experimental_relax_shapes lived from 2021-06-21 10:00 to its replacement on 2023-05-22 14:00
  // (700.2 days, not a bug-fix message); the loss_fn captures are open at the tip, 2024-02-14 09:45: 1412.8
  // and 968.0 days, mean 1190.4.
  CHECK(csv_rows(db, "antipattern_lifetimes") ==
        std::vector<std::string>{
            "antipattern,lifetimes,removed,percent_removed,removed_in_bug_fix,percent_removals_in_bug_fix,"
            "median_days_until_removed,mean_days_until_removed,mean_days_open",
            "captured-python-global-in-hybrid-function,2,0,0,,,,,1190.4",
            "deprecated-hybridization-argument,1,1,100,0,0,700.2,700.2,"});

  // Open at each year's end: train_step's capture since 2020, test_step's since 2021; the deprecated argument
  // from 2021 until its removal in 2023. Years run to the corpus's last commit (2024).
  CHECK(csv_rows(db, "antipatterns_per_year") ==
        std::vector<std::string>{"year,antipattern,open,introduced,removed",
                                 "2020,captured-python-global-in-hybrid-function,1,1,0",
                                 "2021,captured-python-global-in-hybrid-function,2,1,0",
                                 "2021,deprecated-hybridization-argument,1,1,0",
                                 "2022,captured-python-global-in-hybrid-function,2,0,0",
                                 "2022,deprecated-hybridization-argument,1,0,0",
                                 "2023,captured-python-global-in-hybrid-function,2,0,0",
                                 "2023,deprecated-hybridization-argument,0,0,1",
                                 "2024,captured-python-global-in-hybrid-function,2,0,0",
                                 "2024,deprecated-hybridization-argument,0,0,0"});
}

TEST_CASE("study queries: hybridization changes linked to bug reports, and bug fixes by label", "[e2e][demo][study][github]") {
  TempDir tmp;
  const auto db = mined_demo(tmp);
  // GitHub rows as `hybridminer issues` would store them (no network in tests): tf-demo issue #12, named by the
  // removal "Fix retracing bug ... (#12)", a candidate report labelled bug and performance; tf-demo pull request
  // #20 (labelled "type: Bug") merged as the commit enabling XLA for train_step (args_changed, no bug-fix words);
  // torch-demo pull request #6 ("not a bug") merged as the commit adding torch.compile and closing issue #5
  // (enhancement, debugging): neither is a bug label.
  const std::string insert_issue =
      "INSERT INTO issues (repository_id, github_id, number, is_pull_request, title, state, comments, html_url, "
      "created_at, updated_at, merged_at, merge_commit_sha, is_candidate, candidate_rule, fetched_at) "
      "SELECT id, ";
  const std::string rest = ", 'closed', 0, 'https://github.com/x', '2022-01-01T00:00:00Z', '2022-01-01T00:00:00Z', ";
  const auto label = [](const std::string& github_id, const std::string& name) {
    return "INSERT INTO issue_labels SELECT id, '" + name + "' FROM issues WHERE github_id = " + github_id + ";";
  };
  const std::string sql =
      "PRAGMA foreign_keys = ON;" + insert_issue + "1012, 12, 0, 'Retracing in the data loader'" + rest +
      "NULL, NULL, 1, 'symptom-alone:retracing', '2024-06-01T00:00:00Z' FROM repositories WHERE name = 'tf-demo';" +
      insert_issue + "1020, 20, 1, 'Enable XLA'" + rest +
      "'2022-02-01T00:00:00Z', '6768b1cf522eed473242396a582c85634e7a198c', 0, NULL, '2024-06-01T00:00:00Z' "
      "FROM repositories WHERE name = 'tf-demo';" +
      insert_issue + "2005, 5, 0, 'Faster training'" + rest +
      "NULL, NULL, 0, NULL, '2024-06-01T00:00:00Z' FROM repositories WHERE name = 'torch-demo';" +
      insert_issue + "2006, 6, 1, 'Use torch.compile'" + rest +
      "'2022-02-01T00:00:00Z', 'cf508d2c2910df8b5f35616eddd85b4ee630a517', 0, NULL, '2024-06-01T00:00:00Z' "
      "FROM repositories WHERE name = 'torch-demo';"
      "INSERT INTO issue_references (issue_id, number, kind, text) SELECT id, 5, 'closes', 'closes #5' "
      "FROM issues WHERE github_id = 2006;" +
      label("1012", "bug") + label("1012", "performance") + label("1020", "type: Bug") + label("1020", "performance") +
      label("2005", "enhancement") + label("2005", "debugging") + label("2006", "not a bug");
  const auto inserted = hm::test::run_process({"sqlite3", db, sql});
  INFO(inserted.err);
  REQUIRE(inserted.exit_code == 0);

  CHECK(csv_rows(db, "hybridization_bug_reports_linked") ==
        std::vector<std::string>{
            "api,kind,changes,linked_changes,linked_issues,linked_pull_requests,candidate_reports,bug_labelled,labels",
            "jax.jit,added,2,0,0,0,0,0,",
            "tf.function,added,5,0,0,0,0,0,",
            "tf.function,removed,1,1,1,0,1,1,\"bug (1), performance (1)\"",
            "tf.function,args_changed,2,1,0,1,0,1,\"performance (1), type: Bug (1)\"",
            "torch.compile,added,1,1,1,1,0,0,\"debugging (1), enhancement (1), not a bug (1)\"",
            "torch.compile,removed,1,0,0,0,0,0,",
            "torch.compile,args_changed,1,0,0,0,0,0,",
            "torch.jit.script,added,2,0,0,0,0,0,",
            "torch.jit.trace,added,1,0,0,0,0,0,",
            "(all),added,11,1,1,1,0,0,\"debugging (1), enhancement (1), not a bug (1)\"",
            "(all),removed,2,1,1,0,1,1,\"bug (1), performance (1)\"",
            "(all),args_changed,3,1,0,1,0,1,\"performance (1), type: Bug (1)\""});

  // The XLA change is a bug fix by its pull request's label only; the retracing removal by both signs.
  CHECK(csv_rows(db, "bug_fix_share") ==
        std::vector<std::string>{"api,kind,changes,bug_fix_changes,bug_fix_percent,bug_fix_commits_with_issue,"
                                 "bug_report_changes,bug_fix_or_report_changes,bug_fix_or_report_percent",
                                 "jax.jit,added,2,0,0,0,0,0,0",
                                 "tf.function,added,5,1,20,0,0,1,20",
                                 "tf.function,removed,1,1,100,1,1,1,100",
                                 "tf.function,args_changed,2,0,0,0,1,1,50",
                                 "torch.compile,added,1,0,0,0,0,0,0",
                                 "torch.compile,removed,1,1,100,0,0,1,100",
                                 "torch.compile,args_changed,1,0,0,0,0,0,0",
                                 "torch.jit.script,added,2,0,0,0,0,0,0",
                                 "torch.jit.trace,added,1,0,0,0,0,0,0",
                                 "(all),added,11,1,9.1,0,0,1,9.1",
                                 "(all),removed,2,2,100,1,1,2,100",
                                 "(all),args_changed,3,0,0,0,1,1,33.3"});

  const auto reports = hm::test::run_process(
      {"sqlite3", db, "SELECT repository, number, is_pull_request, link, bug_labels FROM commit_bug_reports ORDER BY 1, 2"});
  CHECK(reports.out == "tf-demo|12|0|message_mention|bug\ntf-demo|20|1|pr_merge_commit|type: Bug\n");
}

TEST_CASE("study queries: refactoring opportunities at head", "[e2e][demo][study][advice]") {
  TempDir tmp;
  const auto db = mined_demo(tmp);

  // The 17 eager functions at head (jax-demo 3, tf-demo 9, torch-demo 5), each file analysed on its own: only
  // tf-demo's custom_loop train_step is called with a tensor in its file (P1); the 10 called from no other code of
  // their file are undeterminable (model.py's build_model and Classifier.__init__, utils/dataset.py's three,
  // jax-demo's three, torch-demo's Net.__init__ and Net.forward); run, evaluate, main, export, make_batches and
  // train take no tensor, and run, main and train print. The 3 tf.function functions of tf-demo's model.py are
  // never called in the file (train_step and test_step have a tensor by the Keras *_step convention, predict is
  // undeterminable); jax.jit update and polynomial_features and torch.jit.script fused_gelu are not handled.
  CHECK(csv_rows(db, "refactoring_opportunities") ==
        std::vector<std::string>{"refactoring,outcome,reason,repositories,functions,percent_of_candidates",
                                 "CONVERT_EAGER_FUNCTION_TO_HYBRID,passes,P1,1,1,5.9",
                                 "CONVERT_EAGER_FUNCTION_TO_HYBRID,fails,CANT_APPROXIMATE_RECURSION,3,10,58.8",
                                 "CONVERT_EAGER_FUNCTION_TO_HYBRID,fails,UNDETERMINABLE_PRIMITIVE_PARAMETER,3,10,58.8",
                                 "CONVERT_EAGER_FUNCTION_TO_HYBRID,fails,UNDETERMINABLE_SIDE_EFFECTS,3,10,58.8",
                                 "CONVERT_EAGER_FUNCTION_TO_HYBRID,fails,UNDETERMINABLE_TENSOR_PARAMETER,3,10,58.8",
                                 "CONVERT_EAGER_FUNCTION_TO_HYBRID,fails,HAS_NO_TENSOR_PARAMETERS,2,6,35.3",
                                 "CONVERT_EAGER_FUNCTION_TO_HYBRID,fails,HAS_PYTHON_SIDE_EFFECTS,2,3,17.6",
                                 "OPTIMIZE_HYBRID_FUNCTION,fails,CANT_APPROXIMATE_RECURSION,1,3,100",
                                 "OPTIMIZE_HYBRID_FUNCTION,fails,UNDETERMINABLE_PRIMITIVE_PARAMETER,1,3,100",
                                 "OPTIMIZE_HYBRID_FUNCTION,fails,UNDETERMINABLE_SIDE_EFFECTS,1,3,100",
                                 "OPTIMIZE_HYBRID_FUNCTION,fails,UNDETERMINABLE_TENSOR_PARAMETER,1,1,33.3",
                                 "(none),fails,CURRENTLY_NOT_HANDLED,2,3,100"});
  CHECK(hm::test::run_process({"sqlite3", db,
                               "SELECT path || ' ' || function FROM function_advice_at_head "
                               "WHERE passing_precondition = 'P1'"})
            .out == "custom_loop.py train_step\n");
}

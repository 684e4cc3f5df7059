// Anti-pattern findings over history: blob_findings rows of a scripted history, and their lifetimes along the
// first-parent chain (finding_lifetimes), including a removal in a bug-fix commit and a finding still open at head.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/db_rows.hpp"
#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using hm::test::GitRepo;
using hm::test::hybridminer;
using hm::test::rows;
using hm::test::TempDir;

namespace {

std::string step_module(const std::string& header, const std::string& argument) {
  return header + "import tensorflow as tf\n\n\n@tf.function(" + argument + ")\ndef step(x):\n    return x * 2\n";
}

}  // namespace

TEST_CASE("findings are stored per blob and their lifetimes follow the first-parent chain", "[e2e][findings]") {
  TempDir tmp;
  GitRepo repo(tmp / "findings");
  repo.write("model.py", step_module("", "experimental_relax_shapes=True"));
  repo.write("plain.py", "def helper(x):\n    return x + 1\n");  // no sites: never analysed for findings
  const auto introduced = repo.commit("add model", 0);
  repo.write("model.py", step_module("\"\"\"The model.\"\"\"\n", "experimental_relax_shapes=True"));
  repo.write("legacy.py", step_module("", "experimental_compile=True"));
  const auto moved = repo.commit("document the model, add legacy step", 2);
  repo.write("model.py", step_module("\"\"\"The model.\"\"\"\n", "reduce_retracing=True"));
  const auto fixed = repo.commit("fix retracing warning in step", 5);

  const auto db = (tmp / "out.db").string();
  const auto mined = hybridminer({"mine", "--db", db, repo.path().string()});
  INFO(mined.err);
  REQUIRE(mined.exit_code == 0);

  // One row per finding of each distinct blob with sites: model.py in its three versions (the line moves with
  // the docstring; the fixed version has none), legacy.py once; plain.py has no sites and no findings.
  CHECK(rows(db,
             "SELECT fc.new_path, c.sha, f.antipattern, f.function, coalesce(f.cell, 'NULL'), f.line, f.detail "
             "FROM blob_findings f JOIN file_changes fc ON fc.new_blob = f.blob JOIN commits c ON c.id = fc.commit_id "
             "ORDER BY c.committer_time, fc.new_path") ==
        std::vector<std::string>{
            "model.py|" + introduced + "|deprecated-hybridization-argument|step|NULL|5|experimental_relax_shapes=True",
            "legacy.py|" + moved + "|deprecated-hybridization-argument|step|NULL|5|experimental_compile=True",
            "model.py|" + moved + "|deprecated-hybridization-argument|step|NULL|6|experimental_relax_shapes=True"});
  CHECK(rows(db, "SELECT count(*) FROM blob_analyses a WHERE a.status = 'parsed' AND NOT EXISTS "
                 "(SELECT 1 FROM blob_findings f WHERE f.blob = a.blob)") == std::vector<std::string>{"1"});

  // model.py's finding lives from the first commit through the docstring edit (same function, another line) to
  // the bug fix, 5 days later; legacy.py's is still open at head (3 days to the tip).
  CHECK(rows(db,
             "SELECT repository, antipattern, path, function, introduced_sha, introduced_at, "
             "coalesce(removed_sha, 'NULL'), coalesce(removed_at, 'NULL'), status, "
             "coalesce(removed_in_bug_fix, 'NULL'), days FROM finding_lifetimes ORDER BY path") ==
        std::vector<std::string>{
            "findings|deprecated-hybridization-argument|legacy.py|step|" + moved +
                "|2021-01-03 00:00:00|NULL|NULL|open|NULL|3.0",
            "findings|deprecated-hybridization-argument|model.py|step|" + introduced + "|2021-01-01 00:00:00|" + fixed +
                "|2021-01-06 00:00:00|removed|1|5.0"});

  CHECK(rows(db, "SELECT repository, path, antipattern, function, line FROM findings_at_head") ==
        std::vector<std::string>{"findings|legacy.py|deprecated-hybridization-argument|step|5"});
}

TEST_CASE("a finding that comes back after its removal starts a second lifetime", "[e2e][findings]") {
  TempDir tmp;
  GitRepo repo(tmp / "again");
  repo.write("model.py", step_module("", "experimental_compile=True"));
  const auto first = repo.commit("add model", 0);
  repo.write("model.py", step_module("", "jit_compile=True"));
  const auto second = repo.commit("use jit_compile", 1);
  repo.write("model.py", step_module("", "experimental_compile=True"));
  const auto third = repo.commit("revert to the old argument", 4);
  repo.remove("model.py");
  const auto fourth = repo.commit("remove the model", 6);

  const auto db = (tmp / "out.db").string();
  REQUIRE(hybridminer({"mine", "--db", db, repo.path().string()}).exit_code == 0);
  CHECK(rows(db, "SELECT introduced_sha, coalesce(removed_sha, 'NULL'), status, removed_in_bug_fix, days "
                 "FROM finding_lifetimes ORDER BY introduced_at") ==
        std::vector<std::string>{first + "|" + second + "|removed|0|1.0", third + "|" + fourth + "|removed|0|2.0"});
  CHECK(rows(db, "SELECT count(*) FROM findings_at_head") == std::vector<std::string>{"0"});
}

TEST_CASE("a finding whose file is renamed keeps one lifetime across the rename", "[e2e][findings][renames]") {
  TempDir tmp;
  GitRepo repo(tmp / "renamed");
  repo.write("legacy.py", step_module("", "experimental_compile=True"));
  const auto introduced = repo.commit("add legacy step", 0);
  repo.git({"mv", "legacy.py", "steps.py"});
  const auto renamed = repo.commit("rename legacy.py to steps.py", 2);
  repo.write("steps.py", step_module("", "jit_compile=True"));
  const auto fixed = repo.commit("fix deprecated argument", 5);
  repo.write("other.py", step_module("", "experimental_compile=True"));
  const auto added = repo.commit("add other step", 6);
  repo.git({"mv", "other.py", "kept.py"});
  repo.commit("rename other.py to kept.py", 8);

  const auto db = (tmp / "out.db").string();
  const auto mined = hybridminer({"mine", "--db", db, repo.path().string()});
  INFO(mined.err);
  REQUIRE(mined.exit_code == 0);
  REQUIRE(rows(db, "SELECT old_path || '>' || new_path FROM file_changes WHERE status = 'renamed' ORDER BY id") ==
          std::vector<std::string>{"legacy.py>steps.py", "other.py>kept.py"});

  // steps.py's finding began as legacy.py's: one lifetime of 5 days, ended by the bug fix, not one ended by the
  // rename and another started by it; kept.py's is open at the tip under its new name, since its first commit.
  CHECK(rows(db,
             "SELECT antipattern, introduced_path, path, function, introduced_sha, coalesce(removed_sha, 'NULL'), "
             "status, coalesce(removed_in_bug_fix, 'NULL'), days FROM finding_lifetimes ORDER BY introduced_at") ==
        std::vector<std::string>{
            "deprecated-hybridization-argument|legacy.py|steps.py|step|" + introduced + "|" + fixed + "|removed|1|5.0",
            "deprecated-hybridization-argument|other.py|kept.py|step|" + added + "|NULL|open|NULL|2.0"});
  CHECK(rows(db, "SELECT path, antipattern FROM findings_at_head") ==
        std::vector<std::string>{"kept.py|deprecated-hybridization-argument"});
  CHECK_FALSE(renamed.empty());
}

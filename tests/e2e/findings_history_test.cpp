// Anti-pattern findings over history: blob_findings rows of a scripted history, and their lifetimes along the
// first-parent chain (finding_lifetimes), including a removal in a bug-fix commit and a finding still open at head.
// `mine --findings tip`: findings and advice for the versions at the tip only, the same answers there as a mine
// of every version; a later `--findings history` mine (or a merge with such a database) completes the others.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "support/db_rows.hpp"
#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using hm::test::GitRepo;
using hm::test::hybridminer;
using hm::test::read_file;
using hm::test::rows;
using hm::test::single;
using hm::test::TempDir;

namespace {

std::string step_module(const std::string& header, const std::string& argument) {
  return header + "import tensorflow as tf\n\n\n@tf.function(" + argument + ")\ndef step(x):\n    return x * 2\n";
}

// model.py in three versions (the line of its finding moves with a docstring, then a bug fix removes it), legacy.py
// with a finding added in the second commit, and plain.py without sites (never analysed for findings; no framework
// import either, so advised without advice): the commits' shas, in order.
struct ThreeVersions {
  std::string introduced, moved, fixed;
};
ThreeVersions commit_three_versions(GitRepo& repo) {
  repo.write("model.py", step_module("", "experimental_relax_shapes=True"));
  repo.write("plain.py", "def helper(x):\n    return x + 1\n");
  auto introduced = repo.commit("add model", 0);
  repo.write("model.py", step_module("\"\"\"The model.\"\"\"\n", "experimental_relax_shapes=True"));
  repo.write("legacy.py", step_module("", "experimental_compile=True"));
  auto moved = repo.commit("document the model, add legacy step", 2);
  repo.write("model.py", step_module("\"\"\"The model.\"\"\"\n", "reduce_retracing=True"));
  auto fixed = repo.commit("fix retracing warning in step", 5);
  return {std::move(introduced), std::move(moved), std::move(fixed)};
}

const std::string kProvenanceLine = "| file versions with sites but no findings (mine --findings tip: lifetimes and "
                                    "findings per year leave them out) | 2 |";

const std::string kFindings =
    "SELECT fc.new_path, c.sha, f.antipattern, f.function, f.line, f.detail FROM blob_findings f "
    "JOIN file_changes fc ON fc.new_blob = f.blob JOIN commits c ON c.id = fc.commit_id "
    "ORDER BY c.committer_time, fc.new_path";
const std::string kAdvised =
    "SELECT fc.new_path, c.sha FROM advised_blobs a JOIN file_changes fc ON fc.new_blob = a.blob "
    "JOIN commits c ON c.id = fc.commit_id ORDER BY c.committer_time, fc.new_path";
// Every blob table a scope could change, in a fixed order (content ids are the same in every database).
const std::vector<std::string> kBlobTables = {
    "SELECT blob, antipattern, function, cell, line, detail FROM blob_findings ORDER BY 1, 2, 3, 4, 5, 6",
    "SELECT blob FROM advised_blobs ORDER BY 1",
    "SELECT * FROM blob_function_advice ORDER BY blob, line, function",
    "SELECT * FROM function_verdicts ORDER BY id",
    "SELECT * FROM blob_analyses ORDER BY blob",
    "SELECT * FROM finding_lifetimes ORDER BY path, introduced_sha"};

}  // namespace

TEST_CASE("findings are stored per blob and their lifetimes follow the first-parent chain", "[e2e][findings]") {
  TempDir tmp;
  GitRepo repo(tmp / "findings");
  const auto [introduced, moved, fixed] = commit_three_versions(repo);

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

TEST_CASE("mine --findings tip analyses only the tip's versions for findings; a history mine completes the rest",
          "[e2e][findings]") {
  TempDir tmp;
  GitRepo repo(tmp / "findings");
  const auto [introduced, moved, fixed] = commit_three_versions(repo);

  const auto history = tmp / "history.db";
  const auto mined_history = hybridminer({"mine", "--db", history.string(), repo.path().string()});
  INFO(mined_history.err);
  REQUIRE(mined_history.exit_code == 0);

  const auto tip = tmp / "tip.db";
  const auto mined = hybridminer({"mine", "--db", tip.string(), "--findings", "tip", repo.path().string()});
  INFO(mined.err);
  REQUIRE(mined.exit_code == 0);
  CHECK(single(tip, "SELECT json_extract(options, '$.findings') FROM runs") == "tip");
  CHECK(single(history, "SELECT json_extract(options, '$.findings') FROM runs") == "history");

  // The same changes, the same facts; findings and advice only for the tip's three versions (model.py's has none).
  CHECK(rows(tip, "SELECT * FROM hybridization_changes ORDER BY id") ==
        rows(history, "SELECT * FROM hybridization_changes ORDER BY id"));
  CHECK(rows(tip, "SELECT * FROM blob_analyses ORDER BY blob") ==
        rows(history, "SELECT * FROM blob_analyses ORDER BY blob"));
  CHECK(rows(tip, kFindings) ==
        std::vector<std::string>{"legacy.py|" + moved + "|deprecated-hybridization-argument|step|5|"
                                 "experimental_compile=True"});
  CHECK(rows(tip, kAdvised) ==
        std::vector<std::string>{"plain.py|" + introduced, "legacy.py|" + moved, "model.py|" + fixed});
  // What the tip's files say is what a mine of every version says of them.
  for (const auto* view : {"findings_at_head", "function_advice_at_head"}) {
    const std::string query = std::string("SELECT * FROM ") + view + " ORDER BY path, line";
    INFO(query);
    CHECK(rows(tip, query) == rows(history, query));
  }
  CHECK(rows(tip, "SELECT path, function, is_hybrid FROM function_advice_at_head ORDER BY path") ==
        std::vector<std::string>{"legacy.py|step|1", "model.py|step|1"});
  // Only the lifetime still open at the tip is seen: model.py's earlier versions have no findings.
  CHECK(rows(tip, "SELECT path, status FROM finding_lifetimes") == std::vector<std::string>{"legacy.py|open"});
  // The report says so where its provenance is (the default mine's report has no such line).
  for (const auto& [db, expected] : {std::pair{tip, true}, std::pair{history, false}}) {
    const auto out = tmp / ("report-" + db.stem().string());
    const auto report = hybridminer({"report", "--db", db.string(), "--out", out.string(), "--format", "md"});
    INFO(report.err);
    REQUIRE(report.exit_code == 0);
    CHECK((read_file(out / "report.md").find(kProvenanceLine) != std::string::npos) == expected);
  }

  SECTION("a merge with a database of every version's findings brings theirs") {
    const auto merged = tmp / "merged.db";
    std::filesystem::copy_file(tip, merged);
    const auto merge = hybridminer({"merge", merged.string(), history.string()});
    INFO(merge.err);
    REQUIRE(merge.exit_code == 0);
    for (const auto& query : kBlobTables) {
      INFO(query);
      CHECK(rows(merged, query) == rows(history, query));
    }
  }

  SECTION("a later mine with --findings history completes model.py's two earlier versions, once") {
    const auto again = hybridminer({"mine", "--db", tip.string(), repo.path().string()});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(again.err.find("completed the findings and advice of 2 file versions") != std::string::npos);
    CHECK(rows(tip, kFindings) == rows(history, kFindings));
    CHECK(rows(tip, kAdvised) == rows(history, kAdvised));
    for (const auto& query : kBlobTables) {
      INFO(query);
      CHECK(rows(tip, query) == rows(history, query));
    }
    const auto third = hybridminer({"mine", "--db", tip.string(), repo.path().string()});
    REQUIRE(third.exit_code == 0);
    CHECK(third.err.find("completed") == std::string::npos);
  }

  SECTION("another mine with --findings tip leaves them as they are") {
    const auto again = hybridminer({"mine", "--db", tip.string(), "--findings", "tip", repo.path().string()});
    REQUIRE(again.exit_code == 0);
    CHECK(again.err.find("completed") == std::string::npos);
    CHECK(rows(tip, kFindings).size() == 1);
  }
}

TEST_CASE("mine --findings takes history or tip only", "[e2e][findings]") {
  TempDir tmp;
  GitRepo repo(tmp / "r");
  repo.write("a.py", "x = 1\n");
  repo.commit("a", 0);
  const auto mined = hybridminer({"mine", "--db", (tmp / "o.db").string(), "--findings", "all", repo.path().string()});
  CHECK(mined.exit_code == 2);
  CHECK(mined.err.find("--findings") != std::string::npos);
}

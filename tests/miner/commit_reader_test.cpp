#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "git/commit_reader.hpp"
#include "git/handles.hpp"
#include "git/repository.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

using hm::git::ChangeStatus;
using hm::git::CommitReader;
using hm::git::FileChange;
using hm::git::Library;
using hm::git::Repository;
using hm::test::GitRepo;
using hm::test::TempDir;
using hm::test::trimmed;

namespace {

git_oid oid(const std::string& hex) {
  git_oid result;
  REQUIRE(git_oid_fromstr(&result, hex.c_str()) == 0);
  return result;
}

std::string numbered_lines(int count, const std::string& prefix = "line") {
  std::string text;
  for (int i = 0; i < count; ++i) text += prefix + " " + std::to_string(i) + " of a reasonably long text file\n";
  return text;
}

// The change touching `path` (as old or new path); fails the test when there is none.
const FileChange& change_of(const std::vector<FileChange>& changes, const std::string& path) {
  const auto found = std::find_if(changes.begin(), changes.end(), [&](const FileChange& c) {
    return c.new_path == std::optional<std::string>(path) || c.old_path == std::optional<std::string>(path);
  });
  REQUIRE(found != changes.end());
  return *found;
}

}  // namespace

TEST_CASE("CommitReader::info reads metadata and parents", "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("a.py", "a = 1\n");
  const auto first = git.commit("First commit\n\nWith a body.", 0, "Ada");
  git.write("a.py", "a = 2\n");
  const auto second = git.commit("Second", 3, "Grace");

  const auto repo = Repository::open(git.path());
  const CommitReader reader(repo);
  const auto root = reader.info(oid(first));
  CHECK(root.sha == first);
  CHECK(root.parents.empty());
  CHECK(root.author.name == "Ada");
  CHECK(root.author.email == "Ada@example.org");
  CHECK(root.author.time == 1609459200);
  CHECK(root.author.tz_offset_minutes == 0);
  CHECK(root.committer.name == "Ada");
  CHECK(root.message == "First commit\n\nWith a body.\n");

  const auto child = reader.info(oid(second));
  CHECK(child.parents == std::vector<std::string>{first});
  CHECK(child.author.name == "Grace");
  CHECK(child.committer.time == 1609459200 + 3 * 86400);
  CHECK(child.message == "Second\n");
}

TEST_CASE("CommitReader::info keeps the author's time zone", "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("a.py", "a = 1\n");
  git.commit("first", 0);
  git.git({"-c", "user.name=Zed", "-c", "user.email=zed@example.org", "commit", "-q", "--allow-empty", "-m", "tz",
           "--date", "2021-06-01T10:00:00-05:30"});
  const auto sha = git.head();
  const auto repo = Repository::open(git.path());
  const auto info = CommitReader(repo).info(oid(sha));
  CHECK(info.author.tz_offset_minutes == -330);
  CHECK(info.author.time == 1622505600 + 15 * 3600 + 30 * 60);  // 10:00 at -05:30 is 15:30 UTC
}

TEST_CASE("CommitReader::changes: a root commit adds every file", "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("src/model.py", "import torch\n\nmodel = None\n");
  git.write("README.md", "# Demo\n");
  const auto sha = git.commit("first", 0);
  const auto repo = Repository::open(git.path());
  const auto changes = CommitReader(repo).changes(oid(sha));
  REQUIRE(changes.size() == 2);
  const auto& model = change_of(changes, "src/model.py");
  CHECK(model.status == ChangeStatus::Added);
  CHECK_FALSE(model.old_path.has_value());
  CHECK_FALSE(model.old_blob.has_value());
  CHECK_FALSE(model.old_mode.has_value());
  CHECK(model.new_path == std::optional<std::string>("src/model.py"));
  CHECK(model.new_blob == std::optional<std::string>(trimmed(git.git({"rev-parse", sha + ":src/model.py"}))));
  CHECK(model.new_mode == std::optional<std::int64_t>(0100644));
  CHECK_FALSE(model.is_binary);
  CHECK(model.lines_added == std::optional<std::int64_t>(3));
  CHECK(model.lines_removed == std::optional<std::int64_t>(0));
  CHECK_FALSE(model.similarity.has_value());
  CHECK(change_of(changes, "README.md").lines_added == std::optional<std::int64_t>(1));
}

TEST_CASE("CommitReader::changes: added, modified and deleted with exact line counts", "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("a.py", "one\ntwo\nthree\nfour\n");
  git.write("old.txt", "completely unrelated words\nabout nothing\n");
  git.commit("first", 0);
  git.write("a.py", "one\nTWO\nthree\nfour\nfive\nsix\n");
  git.remove("old.txt");
  git.write("new.cfg", "[section]\nkey = value\nother = 1\n");
  const auto sha = git.commit("second", 1);

  const auto repo = Repository::open(git.path());
  const auto changes = CommitReader(repo).changes(oid(sha));
  REQUIRE(changes.size() == 3);

  const auto& modified = change_of(changes, "a.py");
  CHECK(modified.status == ChangeStatus::Modified);
  CHECK(modified.old_path == std::optional<std::string>("a.py"));
  CHECK(modified.new_path == std::optional<std::string>("a.py"));
  CHECK(modified.old_blob.has_value());
  CHECK(modified.new_blob.has_value());
  CHECK(modified.old_blob != modified.new_blob);
  CHECK(modified.lines_added == std::optional<std::int64_t>(3));
  CHECK(modified.lines_removed == std::optional<std::int64_t>(1));

  const auto& deleted = change_of(changes, "old.txt");
  CHECK(deleted.status == ChangeStatus::Deleted);
  CHECK_FALSE(deleted.new_path.has_value());
  CHECK_FALSE(deleted.new_blob.has_value());
  CHECK(deleted.old_mode == std::optional<std::int64_t>(0100644));
  CHECK(deleted.lines_added == std::optional<std::int64_t>(0));
  CHECK(deleted.lines_removed == std::optional<std::int64_t>(2));

  const auto& added = change_of(changes, "new.cfg");
  CHECK(added.status == ChangeStatus::Added);
  CHECK(added.lines_added == std::optional<std::int64_t>(3));
  CHECK(added.lines_removed == std::optional<std::int64_t>(0));
}

TEST_CASE("CommitReader::changes: a renamed file with small edits is a rename", "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  const auto original = numbered_lines(20);
  git.write("models/old_name.py", original);
  git.commit("first", 0);
  git.remove("models/old_name.py");
  auto edited = original;
  edited.replace(edited.find("line 7"), 6, "LINE 7");
  git.write("models/new_name.py", edited);
  const auto sha = git.commit("rename", 1);

  const auto repo = Repository::open(git.path());
  const auto changes = CommitReader(repo).changes(oid(sha));
  REQUIRE(changes.size() == 1);
  const auto& renamed = changes.front();
  CHECK(renamed.status == ChangeStatus::Renamed);
  CHECK(std::string(hm::git::to_string(renamed.status)) == "renamed");
  CHECK(renamed.old_path == std::optional<std::string>("models/old_name.py"));
  CHECK(renamed.new_path == std::optional<std::string>("models/new_name.py"));
  REQUIRE(renamed.similarity.has_value());
  CHECK(*renamed.similarity >= 50);
  CHECK(*renamed.similarity < 100);
  CHECK(renamed.lines_added == std::optional<std::int64_t>(1));
  CHECK(renamed.lines_removed == std::optional<std::int64_t>(1));
}

TEST_CASE("CommitReader::changes: renames do not depend on the repository's or user's diff.renameLimit",
          "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  // libgit2 reads diff.renameLimit from the git configuration (the repository's, the user's, the system's) when
  // the caller sets no limit: the same history would be mined differently on another machine.
  git.git({"config", "diff.renameLimit", "1"});
  for (int f = 0; f < 4; ++f) {
    git.write("old_" + std::to_string(f) + ".py", numbered_lines(30, "file " + std::to_string(f)));
  }
  git.commit("first", 0);
  for (int f = 0; f < 4; ++f) {
    git.remove("old_" + std::to_string(f) + ".py");
    auto edited = numbered_lines(30, "file " + std::to_string(f));
    edited += "one more line\n";
    git.write("new_" + std::to_string(f) + ".py", edited);
  }
  const auto sha = git.commit("rename all", 1);

  const auto repo = Repository::open(git.path());
  const auto changes = CommitReader(repo).changes(oid(sha));
  REQUIRE(changes.size() == 4);
  for (const auto& change : changes) {
    INFO(change.new_path.value_or("(deleted)"));
    CHECK(change.status == ChangeStatus::Renamed);
  }
}

TEST_CASE("CommitReader::changes: an exact rename has similarity 100 and no lines", "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("a.py", numbered_lines(10));
  git.commit("first", 0);
  git.git({"mv", "a.py", "b.py"});
  const auto sha = git.commit("move", 1);
  const auto repo = Repository::open(git.path());
  const auto changes = CommitReader(repo).changes(oid(sha));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].status == ChangeStatus::Renamed);
  CHECK(changes[0].similarity == std::optional<int>(100));
  CHECK(changes[0].old_blob == changes[0].new_blob);
  CHECK(changes[0].lines_added == std::optional<std::int64_t>(0));
  CHECK(changes[0].lines_removed == std::optional<std::int64_t>(0));
}

TEST_CASE("CommitReader::changes: binary files have no line counts", "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("weights.bin", std::string("\x00\x01\x02\x00\xff\x00", 6));
  const auto first = git.commit("first", 0);
  git.write("weights.bin", std::string("\x00\x01\x03\x00\xfe\x00\n\x00", 8));
  const auto second = git.commit("second", 1);

  const auto repo = Repository::open(git.path());
  const CommitReader reader(repo);
  for (const auto& sha : {first, second}) {
    const auto changes = reader.changes(oid(sha));
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].is_binary);
    CHECK_FALSE(changes[0].lines_added.has_value());
    CHECK_FALSE(changes[0].lines_removed.has_value());
  }
  CHECK(reader.changes(oid(first))[0].status == ChangeStatus::Added);
  CHECK(reader.changes(oid(second))[0].status == ChangeStatus::Modified);
}

TEST_CASE("CommitReader::changes: line counts equal git's numstat, with a diff or without, under diff attributes",
          "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  // "diff" forces a file with NUL bytes to count as text; "-diff" makes a text file binary.
  git.write(".gitattributes", "*.dat diff\n*.nodiff -diff\n");
  const std::string nul("\0", 1);
  const auto spread = [](const std::string& first, const std::string& second) {
    return "import os\n\n" + first + "\n\ndef f():\n    pass\n\n" + second + "\n\nx = 1\n";
  };
  git.write("append.py", "a = 1\nb = 2\n");
  git.write("spread.py", spread("one = 1", "two = 2"));  // two edits around shared lines: only a diff can count
  git.write("final.txt", "no newline at the end");
  git.write("data.bin", "bytes" + nul + "more\n");
  git.write("table.dat", "row 1" + nul + "\nrow 2\n");
  git.write("notes.nodiff", "plain\ntext\n");
  const auto first = git.commit("first", 0);
  git.write("append.py", "a = 1\nb = 2\nc = 3\nd = 4\n");
  git.write("spread.py", spread("one = 10", "two = 20"));
  git.write("final.txt", "no newline at the end\nnow there is\n");
  git.write("data.bin", "bytes" + nul + "changed\n");
  git.write("table.dat", "row 1" + nul + "\nrow two\nrow 3\n");
  git.write("notes.nodiff", "plain\nwords\n");
  const auto second = git.commit("second", 1);

  // `git diff --numstat` prints "added<TAB>removed<TAB>path", and "-" for both counts of a binary file.
  std::map<std::string, std::string> numstat;
  std::istringstream lines(git.git({"diff", "--numstat", first, second}));
  for (std::string line; std::getline(lines, line);) {
    const auto path_start = line.rfind('\t');
    numstat[line.substr(path_start + 1)] = line.substr(0, path_start);
  }
  REQUIRE(numstat.size() == 6);

  const auto repo = Repository::open(git.path());
  const auto changes = CommitReader(repo).changes(oid(second));
  REQUIRE(changes.size() == 6);
  for (const auto& change : changes) {
    INFO(*change.new_path);
    const auto counted = change.is_binary ? std::string("-\t-")
                                          : std::to_string(*change.lines_added) + "\t" +
                                                std::to_string(*change.lines_removed);
    CHECK(counted == numstat.at(*change.new_path));
  }
  // The cases the comparison is meant to cover, spelled out.
  CHECK(change_of(changes, "spread.py").lines_added == std::optional<std::int64_t>(2));
  CHECK(change_of(changes, "data.bin").is_binary);
  CHECK(change_of(changes, "table.dat").lines_added == std::optional<std::int64_t>(2));
  CHECK(change_of(changes, "notes.nodiff").is_binary);
}

TEST_CASE("CommitReader::ask_of_new_content: the new blobs read for line counts are asked, with their sizes",
          "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("kept.py", "a = 1\n");
  git.write("gone.py", "b = 2\n");
  git.commit("first", 0);
  git.write("kept.py", "a = 1\nc = 3\n");
  git.remove("gone.py");
  git.write("new.txt", "words\n");
  const auto sha = git.commit("second", 1);

  const auto repo = Repository::open(git.path());
  CommitReader reader(repo);
  std::vector<std::string> asked;
  reader.ask_of_new_content([&](std::string_view path, std::string_view content) {
    asked.push_back(std::string(path) + "=" + std::string(content));
    return path == "kept.py";
  });
  const auto changes = reader.changes(oid(sha));
  std::sort(asked.begin(), asked.end());
  CHECK(asked == std::vector<std::string>{"kept.py=a = 1\nc = 3\n", "new.txt=words\n"});
  CHECK(change_of(changes, "kept.py").new_content_answer == std::optional<bool>(true));
  CHECK(change_of(changes, "kept.py").new_size == std::optional<std::int64_t>(12));
  CHECK(change_of(changes, "new.txt").new_content_answer == std::optional<bool>(false));
  CHECK(change_of(changes, "new.txt").new_size == std::optional<std::int64_t>(6));
  // A deleted file has no new blob to ask about.
  CHECK_FALSE(change_of(changes, "gone.py").new_content_answer.has_value());
  CHECK_FALSE(change_of(changes, "gone.py").new_size.has_value());
}

TEST_CASE("CommitReader::changes: a mode change is a modification with no lines", "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("run.sh", "echo hi\n");
  git.commit("first", 0);
  git.git({"update-index", "--chmod=+x", "run.sh"});
  git.git({"commit", "-q", "-m", "executable"});
  const auto sha = git.head();
  const auto repo = Repository::open(git.path());
  const auto changes = CommitReader(repo).changes(oid(sha));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].status == ChangeStatus::Modified);
  CHECK(changes[0].old_mode == std::optional<std::int64_t>(0100644));
  CHECK(changes[0].new_mode == std::optional<std::int64_t>(0100755));
  CHECK(changes[0].lines_added == std::optional<std::int64_t>(0));
  CHECK(changes[0].lines_removed == std::optional<std::int64_t>(0));
}

TEST_CASE("CommitReader::changes: a merge is diffed against its first parent only", "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("base.py", "base = 1\n");
  git.commit("root", 0);
  git.git({"checkout", "-q", "-b", "feature"});
  git.write("feature.py", "feature = 1\nfeature = 2\n");
  git.commit("feature", 1);
  git.git({"checkout", "-q", "main"});
  git.write("main.py", "main = 1\n");
  git.commit("main", 2);
  git.git({"merge", "-q", "--no-ff", "-m", "merge feature", "feature"});
  const auto merge = git.head();

  const auto repo = Repository::open(git.path());
  const CommitReader reader(repo);
  REQUIRE(reader.info(oid(merge)).parents.size() == 2);
  const auto changes = reader.changes(oid(merge));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].status == ChangeStatus::Added);
  CHECK(changes[0].new_path == std::optional<std::string>("feature.py"));
  CHECK(changes[0].lines_added == std::optional<std::int64_t>(2));
}

TEST_CASE("CommitReader::changes: an empty commit has no changes", "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("a.py", "a = 1\n");
  git.commit("first", 0);
  const auto empty = git.commit("nothing", 1);
  const auto repo = Repository::open(git.path());
  CHECK(CommitReader(repo).changes(oid(empty)).empty());
}

TEST_CASE("CommitReader: an unknown commit is an error", "[git][commit_reader]") {
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("a.py", "a = 1\n");
  git.commit("first", 0);
  const auto repo = Repository::open(git.path());
  const CommitReader reader(repo);
  CHECK_THROWS_AS(reader.info(oid(std::string(40, 'b'))), hm::Error);
  CHECK_THROWS_AS(reader.changes(oid(std::string(40, 'b'))), hm::Error);
}

TEST_CASE("CommitReader::changes: a deletion after an addition of the same content counts removed lines",
          "[git][commit_reader]") {
  // Regression: the line-count cache once keyed "added blob X" and "deleted blob X" alike, so one reader
  // reported a deletion with the addition's counts.
  Library library;
  TempDir dir;
  GitRepo git(dir / "repo");
  git.write("keep.txt", "keep\n");
  git.write("tmp.py", "a = 1\nb = 2\nc = 3\n");
  const auto add = git.commit("add", 0);
  git.remove("tmp.py");
  const auto remove = git.commit("remove", 1);

  const auto repo = Repository::open(git.path());
  const CommitReader reader(repo);
  const auto added = reader.changes(oid(add));
  CHECK(change_of(added, "tmp.py").lines_added == std::optional<std::int64_t>(3));
  const auto removed = reader.changes(oid(remove));
  REQUIRE(removed.size() == 1);
  CHECK(removed[0].status == ChangeStatus::Deleted);
  CHECK(removed[0].lines_added.value_or(-1) == 0);
  CHECK(removed[0].lines_removed.value_or(-1) == 3);
  // A fresh reader gets it right, which shows the cache is at fault.
  const auto fresh = CommitReader(repo).changes(oid(remove));
  REQUIRE(fresh.size() == 1);
  CHECK(fresh[0].lines_added.value_or(-1) == 0);
  CHECK(fresh[0].lines_removed.value_or(-1) == 3);
}

TEST_CASE("to_string(ChangeStatus) gives the names stored in file_changes.status", "[git][commit_reader]") {
  CHECK(std::string(hm::git::to_string(ChangeStatus::Added)) == "added");
  CHECK(std::string(hm::git::to_string(ChangeStatus::Modified)) == "modified");
  CHECK(std::string(hm::git::to_string(ChangeStatus::Deleted)) == "deleted");
  CHECK(std::string(hm::git::to_string(ChangeStatus::Renamed)) == "renamed");
  CHECK(std::string(hm::git::to_string(ChangeStatus::Copied)) == "copied");
  CHECK(std::string(hm::git::to_string(ChangeStatus::TypeChanged)) == "type_changed");
}

// The walk's windows: their length in commits (window_commits), and split_by_parse_bytes, which ends them where the
// Python bytes they give the analysis to parse would pass the limit (the analyses of a window are held until the
// writer stores them).
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mining/commit_analyzer.hpp"
#include "mining/history_walker.hpp"

using hm::git::FileChange;
using hm::mining::split_by_parse_bytes;
using hm::mining::WalkedCommit;

namespace {

FileChange change(std::string path, std::optional<std::int64_t> size, std::optional<bool> ruled_out) {
  FileChange c;
  c.new_path = std::move(path);
  c.new_blob = "b";
  c.new_size = size;
  c.new_content_answer = ruled_out;
  return c;
}

WalkedCommit commit(std::size_t index, std::vector<FileChange> changes) {
  WalkedCommit c;
  c.index = index;
  c.changes = std::move(changes);
  return c;
}

std::vector<std::vector<std::size_t>> indexes(const std::vector<std::vector<WalkedCommit>>& windows) {
  std::vector<std::vector<std::size_t>> out;
  for (const auto& window : windows) {
    out.emplace_back();
    for (const auto& c : window) out.back().push_back(c.index);
  }
  return out;
}

}  // namespace

TEST_CASE("split_by_parse_bytes counts Python and notebooks the prefilter let through, in order", "[mining][window]") {
  std::vector<WalkedCommit> commits;
  commits.push_back(commit(0, {change("a.py", 60, false)}));
  commits.push_back(commit(1, {change("b.py", 30, false), change("README.md", 1000, std::nullopt)}));
  commits.push_back(commit(2, {change("c.py", 500, true)}));       // ruled out: nothing to parse
  commits.push_back(commit(3, {change("d.ipynb", 20, std::nullopt)}));  // 60 + 30 + 20 > 100: a new window
  commits.push_back(commit(4, {change("e.py", 250, false)}));      // over the limit alone: a window of its own
  commits.push_back(commit(5, {}));
  commits.push_back(commit(6, {change("f.py", std::nullopt, std::nullopt)}));  // not read: not counted
  const auto windows = split_by_parse_bytes(std::move(commits), 100);
  CHECK(indexes(windows) == std::vector<std::vector<std::size_t>>{{0, 1, 2}, {3}, {4}, {5, 6}});
}

TEST_CASE("split_by_parse_bytes keeps everything in one window under the limit, and nothing gives none",
          "[mining][window]") {
  std::vector<WalkedCommit> commits;
  for (std::size_t i = 0; i < 5; ++i) commits.push_back(commit(i, {change("m.py", 10, false)}));
  CHECK(indexes(split_by_parse_bytes(std::move(commits), 50)) ==
        std::vector<std::vector<std::size_t>>{{0, 1, 2, 3, 4}});
  CHECK(split_by_parse_bytes({}, 50).empty());
}

TEST_CASE("a walk's first windows are an eighth of a window long, doubling up to a window", "[mining][window]") {
  using hm::mining::CommitAnalyzer;
  REQUIRE(CommitAnalyzer::window_commits() == CommitAnalyzer::kWindow);  // HYBRIDMINER_WINDOW_COMMITS unset
  std::vector<std::size_t> lengths;
  for (std::size_t i = 0; i < 6; ++i) lengths.push_back(CommitAnalyzer::window_commits(i));
  CHECK(lengths == std::vector<std::size_t>{128, 256, 512, 1024, 1024, 1024});
  CHECK(CommitAnalyzer::window_commits(std::size_t{1} << 40) == 1024);
}

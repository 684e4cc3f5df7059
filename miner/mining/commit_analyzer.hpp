#pragma once
// The analysis phase of a mine: for every stored commit of a repository not yet analysed by the current detector
// version, classify its message (bug fix, issue references) and its Python file changes (hybridization changes),
// reading each distinct blob once (cache: blob_analyses). It works from the rows the walk stored, so commits
// stored by a killed run, or by an older hybridminer, are analysed by the next run just the same.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "detectors/python_facts.hpp"
#include "git/repository.hpp"
#include "store/facts_store.hpp"
#include "store/sqlite.hpp"
#include "util/progress.hpp"

namespace hm::mining {

struct AnalysisCounts {
  std::int64_t commits = 0;
  std::int64_t hybridization_changes = 0;
  std::int64_t blobs_parsed = 0;
  std::int64_t blobs_skipped = 0;   // ruled out by the prefilter
  std::int64_t blobs_cached = 0;    // found in blob_analyses
  std::int64_t blobs_unreadable = 0;
};

class CommitAnalyzer {
 public:
  CommitAnalyzer(store::Database& db, const git::Repository& repo, util::Progress& progress);

  AnalysisCounts analyse_pending(std::int64_t repository_id, std::size_t commits_per_transaction);

 private:
  struct Pending {
    std::int64_t id;
    std::string message;
  };
  void analyse_commit(const Pending& commit);
  std::shared_ptr<const detectors::FileFacts> facts_for(const std::string& blob, const std::string& language);

  store::Database& db_;
  const git::Repository& repo_;
  util::Progress& progress_;
  store::FactsStore facts_store_;
  detectors::PythonParser parser_;
  // Facts of recently seen blobs: a commit's new blob is usually the next commit's old one.
  std::unordered_map<std::string, std::shared_ptr<const detectors::FileFacts>> recent_;
  AnalysisCounts counts_;
};

}  // namespace hm::mining

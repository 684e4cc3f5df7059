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
#include <unordered_set>
#include <vector>

#include "detectors/blob_analysis.hpp"
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

  // Per-function advice for the files at `tip` that have none yet: eager files get advice only here, at a mined
  // tip, because advising every version of every framework file costs several times the rest of the mine.
  // Returns how many blobs were advised.
  std::int64_t advise_tip(const git_oid& tip);

 private:
  struct Pending {
    std::int64_t id;
    std::string message;
  };
  struct FileRow {
    std::int64_t id;
    std::optional<std::string> old_path, new_path, old_blob, new_blob;
    std::string language;
  };
  // A blob to analyse in the current window.
  struct Job {
    std::string blob;
    std::string language;
    std::string bytes;
    std::optional<std::string> read_error;
    store::BlobAnalysis analysis;
    std::optional<std::size_t> previous;  // the job holding the file's previous version, to reparse from
  };
  void analyse_commit(const Pending& commit);
  void prefetch(const std::vector<Pending>& pending, std::size_t begin, std::size_t end);
  static void link_versions(std::vector<Job>& jobs, const std::unordered_map<std::string, std::size_t>& queued,
                            const std::vector<std::pair<std::string, std::string>>& versions);
  void analyse_slice(std::vector<Job>& jobs, std::size_t first, std::size_t last);
  std::vector<FileRow> load_rows(std::int64_t commit_id);
  std::string read_blob(const std::string& blob) const;
  static store::BlobAnalysis analyse_bytes(const std::string& bytes, const std::string& language,
                                           detectors::PythonParser& parser, bool prefilter = true,
                                           const detectors::ParsedSource* previous = nullptr,
                                           std::optional<detectors::ParsedSource>* keep = nullptr);
  void remember(const std::string& blob, const std::string& language, std::int64_t bytes,
                store::BlobAnalysis analysis);
  // The facts of a blob remembered from this window, or cached in the database (then remembered); else null.
  std::shared_ptr<const detectors::FileFacts> known_facts(const std::string& blob);
  std::shared_ptr<const detectors::FileFacts> facts_for(const std::string& blob, const std::string& language);
  std::shared_ptr<const detectors::FileFacts> parsed_facts_for(const std::string& blob, const std::string& language);

  store::Database& db_;
  const git::Repository& repo_;
  util::Progress& progress_;
  store::FactsStore facts_store_;
  store::Statement load_rows_;
  detectors::PythonParser parser_;
  std::unordered_map<std::int64_t, std::vector<FileRow>> rows_;  // file changes of the current window
  // Facts of recently seen blobs: a commit's new blob is usually the next commit's old one.
  std::unordered_map<std::string, std::shared_ptr<const detectors::FileFacts>> recent_;
  AnalysisCounts counts_;
};

}  // namespace hm::mining

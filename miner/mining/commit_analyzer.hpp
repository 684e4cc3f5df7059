#pragma once
// What commits mean for hybridization: for each commit, classify its message (bug fix, issue references) and its
// Python file changes (hybridization changes), reading each distinct blob once (cache: blob_analyses plus the
// facts of recently seen blobs), in windows of commits whose blobs are parsed together, a file's versions reparsed
// incrementally from one another.
//
// Two ways to run it (see miner.hpp):
// - On a worker thread, pipelined with the walk (analyse_window): the worker's own repository handle and read-only
//   connection; nothing is written. Each walked commit gets its CommitAnalysis and the window the blobs it
//   analysed (BlobSave), which the writer stores with the commits, in the same transaction (AnalysisWriter).
// - On the writer (analyse_pending): commits stored but not analysed by the current detector version (an older
//   database, a detector version bump) are analysed from the stored rows and written directly.
// Parser threads beyond the caller's are borrowed from the run's CPU budget, only when a slot is idle.
#include <cstddef>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "detectors/blob_analysis.hpp"
#include "detectors/change_classifier.hpp"
#include "detectors/commit_message.hpp"
#include "detectors/python_facts.hpp"
#include "git/repository.hpp"
#include "store/facts_store.hpp"
#include "store/sqlite.hpp"
#include "util/cpu_budget.hpp"
#include "util/progress.hpp"

namespace hm::mining {

struct WalkedCommit;

// Which versions of a file with hybridization sites get their anti-pattern findings and the advice of their
// functions (`mine --findings`). History: every version, as it is analysed (what finding_lifetimes follows; about
// 30 % of a mine's time). Tip: only the versions at a mined tip, at the end of the mine (findings_at_head and the
// advice at head stay complete; versions analysed without them are not in advised_blobs). A mine with History
// completes the findings of the versions an earlier Tip mine left without them (complete_findings).
enum class FindingsScope { History, Tip };

struct AnalysisCounts {
  std::int64_t commits = 0;
  std::int64_t hybridization_changes = 0;
  std::int64_t blobs_parsed = 0;
  std::int64_t blobs_reparsed = 0;  // of blobs_parsed, those reparsed from an earlier version's tree
  std::int64_t blobs_skipped = 0;   // ruled out by the prefilter
  std::int64_t blobs_cached = 0;    // found in blob_analyses
  std::int64_t blobs_unreadable = 0;

  AnalysisCounts& operator+=(const AnalysisCounts& other);
  void count(const store::BlobAnalysis& analysis);  // a blob analysed here and saved, by its status
};

// The analysis of one commit, as a worker computes it for the writer to store.
struct CommitAnalysis {
  std::vector<detectors::HybridizationChange> changes;  // `file`: index into the commit's file changes
  detectors::BugFixMatch bug_fix;
  std::vector<detectors::IssueReference> references;
};

// A blob analysed by a worker, for the writer to save unless the database has it already (another repository,
// or an earlier window whose rows the worker's connection did not see yet).
struct BlobSave {
  std::string blob;
  std::string language;
  std::int64_t bytes = 0;
  store::BlobAnalysis analysis;
  // Replaces a stored analysis that is not 'parsed': parsed facts of a blob the prefilter skipped, or the analysis
  // of a blob a partial clone lacked (stored 'unreadable') in a repository that has it (CommitAnalyzer::stale_).
  bool reparse = false;
};

// Blobs analysed by the workers of one run, shared between them, so that sources with blobs in common (forks,
// copies of one history, vendored files) parse each blob once even when mined side by side: a worker claims the
// blobs it is about to analyse and publishes them; another that needs a claimed blob waits for it instead of
// parsing it again, and takes a copy into its own window (the writer still saves each blob once, first come in
// corpus order). A claim whose analysis failed is abandoned: the waiter analyses the blob itself. Holds a bounded
// number of analyses.
class SharedBlobs {
 public:
  enum class Claim { Mine, Published, Taken };
  // Mine: analyse and publish it; Published: `published` is set; Taken: another worker analyses it (wait()).
  Claim claim(const std::string& blob, const void* owner, std::shared_ptr<const BlobSave>& published);
  void publish(const std::string& blob, std::shared_ptr<const BlobSave> save);
  // Ends `owner`'s claim on `blob` if it is still unpublished.
  void abandon(const std::string& blob, const void* owner);
  // The blob's analysis once published; null if the claim was abandoned.
  std::shared_ptr<const BlobSave> wait(const std::string& blob);

 private:
  struct Entry {
    std::shared_ptr<const BlobSave> save;  // null while claimed
    const void* owner = nullptr;
  };
  std::mutex mutex_;
  std::condition_variable published_;
  std::unordered_map<std::string, Entry> entries_;
  std::size_t done_ = 0;            // published analyses held
  std::size_t published_bytes_ = 0;  // what they hold, estimated as for remembered facts
};

// Per-function advice for blobs at a tip (empty for a blob that imports no framework), with the findings of a
// blob with sites that FindingsScope::Tip analysed without them, by blob.
struct TipAdvice {
  struct Answer {
    std::vector<detectors::FileFunctionAdvice> advice;
    std::vector<detectors::FileFinding> findings;
  };
  std::unordered_map<std::string, Answer> by_blob;
};

// The writer's side of a worker's analysis.
class AnalysisWriter {
 public:
  explicit AnalysisWriter(store::Database& db);

  // Saves the blobs a worker analysed, in its order, and counts them (a blob found stored counts as cached).
  void save_blobs(const std::vector<std::shared_ptr<const BlobSave>>& saves, AnalysisCounts& counts);
  // Replaces the commit's analysis; `file_change_ids[i]` is the id of the commit's i-th file change.
  void store(std::int64_t commit_id, const CommitAnalysis& analysis,
             const std::vector<std::int64_t>& file_change_ids, AnalysisCounts& counts);

 private:
  store::FactsStore facts_store_;
  store::Statement delete_changes_;
  store::Statement delete_references_;
  store::Statement insert_change_;
  store::Statement insert_reference_;
  store::Statement update_commit_;
};

class CommitAnalyzer {
 public:
  // `db` serves cache lookups (and, on the writer, the writes); `budget` lends parser threads (none: one thread).
  CommitAnalyzer(store::Database& db, const git::Repository& repo, util::Progress& progress,
                 util::CpuBudget* budget = nullptr, SharedBlobs* shared = nullptr,
                 FindingsScope findings = FindingsScope::History);

  // Worker side: analyses `commits` (one window, walk order) without writing anything: each commit gets its
  // analysis, and `saves` the blobs analysed, in the order the writer must save them. Returns the counts the
  // writer cannot know (blobs found cached through this connection). The caller holds a slot of the budget (given
  // back while waiting for a blob another worker analyses).
  AnalysisCounts analyse_window(std::vector<WalkedCommit>& commits,
                                std::vector<std::shared_ptr<const BlobSave>>& saves);

  // Writer side: analyses and stores the repository's stored commits not yet analysed by the current detector.
  // `analysed` is called after each commit is written (fault injection).
  AnalysisCounts analyse_pending(std::int64_t repository_id, std::size_t commits_per_transaction,
                                 const std::function<void()>& analysed = {});

  // Per-function advice for the files at `tip` that have none yet: eager files get advice only here, at a mined
  // tip, because advising every version of every framework file costs several times the rest of the mine.
  // Returns how many blobs were advised. Writer side. The advice of a blob in `worked_out` (tip_advice's) is
  // stored as it is, not worked out again.
  struct TipCounts {
    std::int64_t advised = 0;     // blobs
    std::int64_t worked_out = 0;  // of them, those whose advice came in `worked_out`
  };
  TipCounts advise_tip(const git_oid& tip, const TipAdvice* worked_out = nullptr);
  // Worker side, once its last window is analysed: the advice advise_tip will store for the tip's files, worked
  // out while the writer still stores the last windows (it was the last second of a Keras mine, on one core
  // while the other idled). Only blobs whose facts this worker knows without a parse, and had no site (a blob
  // with sites was advised with them) or, with FindingsScope::Tip, any (then with their findings): the writer
  // works out any other itself. Nothing is written. The analyzer's last use: it lets go of what its windows
  // remembered first.
  TipAdvice tip_advice(const git_oid& tip);

  // Writer side, with FindingsScope::History: the findings and advice of the repository's Python versions (of its
  // stored file changes) that have sites but were analysed without them by a FindingsScope::Tip mine. Returns how
  // many blobs were completed.
  std::int64_t complete_findings(std::int64_t repository_id);

  // Commits whose blobs are analysed together. A file's versions within a window are reparsed from one another;
  // its first version in a window is parsed from scratch, so larger windows parse less, at the cost of memory
  // (the analyses of a window wait for the writer, and stay remembered until the next window's). On the Keras
  // history, against 512: 1,024 took 5 % less CPU for the same peak RSS; 2,048 took 6 % less but 180 MB more
  // (1 GB under --jobs 1).
  static constexpr std::size_t kWindow = 1024;
  // kWindow, or HYBRIDMINER_WINDOW_COMMITS for tests that need several windows of a short history.
  static std::size_t window_commits();
  // The commits of a walk's window `index` (0, 1, ...): the first ones are shorter, an eighth of window_commits()
  // doubling up to it, because the analysis has nothing to do until the first window is walked. A Keras mine's
  // first 1,024 commits took the walk about 2 s, with the analysis idle and the other core half used.
  static std::size_t window_commits(std::size_t index);
  // Blob bytes held at once by a window's analysis or the tip's advice.
  static constexpr std::size_t kSliceBytes = 64u << 20;
  // kSliceBytes, or HYBRIDMINER_SLICE_BYTES for tests that need several slices of a short history.
  static std::size_t slice_bytes();
  // How many blobs' facts are remembered (beyond those a window refers to), or HYBRIDMINER_RECENT_BLOBS for tests.
  static constexpr std::size_t kRecentBlobs = 4096;
  static std::size_t recent_blobs();
  // And how much they may hold, estimated (remembered_bytes in the .cpp), or HYBRIDMINER_RECENT_BYTES: 4,096 blobs
  // of JAX's history, hundreds of functions a file, held about 430 MB (its first 8,000 commits: peak RSS 856 MB
  // with 4,096 remembered, 421 MB with 256, in windows of 256 commits).
  static constexpr std::size_t kRecentBytes = 128u << 20;
  static std::size_t recent_bytes();
  // Python bytes a window gives the analysis to parse at most (the walk ends a window at kWindow commits or there,
  // whichever comes first), or HYBRIDMINER_WINDOW_BYTES for tests. A window's analyses are held until the writer
  // stores them: on JAX's history, with no such bound, windows of 1,024 commits had the mine peak at 1.5 GB. Smaller
  // windows parse more versions from scratch (a file's first in a window): JAX with 16 MiB took 17 % more wall time
  // for 695 MB, with 32 MiB the same time as with no bound for 741 MB (session 16). Counted in session 20 (every
  // parse timed): Keras' versions parsed from scratch were 1,202 (6.5 s of CPU) with 32 MiB, 1,026 (6.0 s) with
  // 48, 984 (4.5 s) with 64 and 891 (4.3 s) with 128, for peak RSS 549, -, 557 and 580 MB; JAX took 237 s for
  // 738 MB with 32 MiB, 232 s for 758 MB with 48 and 198 s for 835 MB with 64.
  static constexpr std::size_t kWindowBytes = 64u << 20;
  static std::size_t window_bytes();

 private:
  struct FileRow {
    std::int64_t id;  // file_changes.id on the writer, the index into WalkedCommit::changes on a worker
    std::optional<std::string> old_path, new_path, old_blob, new_blob;
    std::string language;
  };
  // A blob to analyse in the current window.
  struct Job {
    std::string blob;
    std::string language;
    std::string bytes;
    std::optional<std::string> read_error;
    // Set when the walk's prefilter ruled the blob out (it is then not read): its size.
    std::optional<std::int64_t> ruled_out_size;
    store::BlobAnalysis analysis;
    std::optional<std::size_t> previous;  // the job holding the file's previous version, to reparse from
    // What a byte of it is expected to cost, from the file's previous version when that was analysed before this
    // window: little if the prefilter skipped it, most if it had sites (findings and advice too). Scheduling only.
    std::optional<double> cost_per_byte;
    bool passed_prefilter = false;  // the walk's prefilter let it through: the analysis need not ask again
    // The file's previous version's parse, kept from the window before (LastParses), when that version is not a job:
    // the blob of that version, and its parse.
    std::string carried_blob{};
    const detectors::ParsedSource* carried_base = nullptr;
    // How often the file was edited in this window up to this version (0 for an added file's first version).
    std::uint32_t edits = 0;
  };
  CommitAnalysis analyse_commit(const std::string& message, const std::vector<FileRow>& rows);
  void prefetch(const std::vector<const std::vector<FileRow>*>& window);
  static void link_versions(std::vector<Job>& jobs, const std::unordered_map<std::string, std::size_t>& queued,
                            const std::vector<std::pair<std::string, std::string>>& versions);
  void take_last_parses(std::vector<Job>& jobs, const std::unordered_map<std::string, std::size_t>& queued,
                        const std::vector<std::pair<std::string, std::string>>& versions);
  // Parses that a window's later slices reparse from, by job, and the last job reparsed from each job.
  struct Carried {
    std::mutex mutex;
    std::unordered_map<std::size_t, detectors::ParsedSource> by_job;
    std::size_t code_bytes = 0;  // of the parses in by_job
    std::vector<std::size_t> last_use;
  };
  static constexpr std::size_t kCarriedCodeBytes = 4u << 20;
  // The last parse of files edited in a window, for their next version in a later window (a window's first version
  // of a file was otherwise parsed from scratch: on the Keras history, 364 versions and 12.8 MB, half of all the
  // bytes parsed from scratch). Bounded in code bytes; when full, the files edited most often in the window stay.
  struct LastParse {
    detectors::ParsedSource parse;
    std::string language;
    std::uint32_t edits = 0;
    std::uint32_t uses = 0;  // by jobs of the window being analysed
  };
  struct LastParses {
    std::mutex mutex;
    std::unordered_map<std::string, LastParse> by_blob;
    std::size_t code_bytes = 0;
    // Keeps `parse` of `blob` unless it would hold more than the bound, dropping fewer-edited files for it.
    void offer(const std::string& blob, const std::string& language, std::uint32_t edits,
               detectors::ParsedSource&& parse);
    // A job is done with the parse of `blob`: the last one lets it go (it is the largest thing a window holds).
    void release(const std::string& blob);
  };
  static constexpr std::size_t kLastParsesCodeBytes = 3u << 20;
  // kLastParsesCodeBytes, or HYBRIDMINER_LAST_PARSES_BYTES for tests (1: none kept).
  static std::size_t last_parses_bytes();
  LastParses last_parses_;  // of the window before, each let go when the jobs that follow it are done
  void analyse_slice(std::vector<Job>& jobs, std::size_t first, std::size_t last, Carried& carried,
                     LastParses& next);
  // Runs task(i, parser) for every i below `count`, on this thread and on slots of the budget other stages leave
  // idle, each thread with its own parser.
  void run_tasks(std::size_t count, const std::function<void(std::size_t, detectors::PythonParser&)>& task);
  // A blob at the tip to advise: its bytes while its advice is to be worked out.
  struct TipFile {
    std::string blob;
    std::string language;
    std::string bytes;
    std::vector<detectors::FileFunctionAdvice> advice;
    bool worked_out = false;  // advice is its answer
    // A version with sites analysed without its findings (FindingsScope::Tip): they are worked out with the advice.
    bool with_findings = false;
    std::vector<detectors::FileFinding> findings{};
  };
  void work_out_advice(std::vector<TipFile>& files);
  struct TipBlob {
    std::string blob;
    std::string language;
  };
  // The findings and advice of versions with sites, a file's versions in order (each reparsed from the one before),
  // the files in parallel.
  void work_out_findings(std::vector<std::vector<TipFile>>& files);
  // The Python and notebook blobs at `tip`, each once (the first of its paths), in tree order.
  std::vector<TipBlob> python_blobs_at(const git_oid& tip) const;
  std::vector<FileRow> load_rows(std::int64_t commit_id);
  std::string read_blob(const std::string& blob) const;
  store::BlobAnalysis analyse_bytes(const std::string& bytes, const std::string& language,
                                    detectors::PythonParser& parser, bool prefilter = true,
                                    const detectors::ParsedSource* previous = nullptr,
                                    std::optional<detectors::ParsedSource>* keep = nullptr);
  void remember(const std::string& blob, const std::string& language, std::int64_t bytes,
                store::BlobAnalysis analysis, bool reparse = false);
  // The facts of a blob remembered from this window, or cached in the database (then remembered); else null.
  std::shared_ptr<const detectors::FileFacts> known_facts(const std::string& blob);
  std::shared_ptr<const detectors::FileFacts> facts_for(const std::string& blob, const std::string& language);
  std::shared_ptr<const detectors::FileFacts> parsed_facts_for(const std::string& blob, const std::string& language);

  store::Database& db_;
  const git::Repository& repo_;
  util::Progress& progress_;
  util::CpuBudget* budget_;
  SharedBlobs* shared_;  // workers only
  FindingsScope findings_;
  store::FactsStore facts_store_;
  store::Statement load_rows_;
  detectors::PythonParser parser_;
  // Shared by this analyzer's helper threads: the functions of a history are mostly the same from one version to
  // the next, and versions parsed from scratch (each window's first, a cut chain's) hash them all again.
  detectors::BodyHashMemo body_hashes_;
  // Worker side: the window's Python blobs the walk's prefilter answered for, with its answer and their sizes.
  struct Prefiltered {
    std::int64_t size = 0;
    bool ruled_out = false;
  };
  std::unordered_map<std::string, Prefiltered> prefiltered_;
  // Worker side: where analysed blobs go instead of the database (null on the writer).
  std::vector<std::shared_ptr<const BlobSave>>* saves_ = nullptr;
  // Facts of recently seen blobs: a commit's new blob is usually the next commit's old one.
  using RecentFacts = std::unordered_map<std::string, std::shared_ptr<const detectors::FileFacts>>;
  RecentFacts recent_;
  // Blobs stored 'unreadable' because a partial clone lacked them, which this repository has: analysed here, each
  // replaces its stored analysis (once the partial clone fetched them, or in another clone of the project).
  std::unordered_set<std::string> stale_;
  std::size_t recent_bytes_ = 0;  // remembered_bytes of what recent_ holds (an estimate: replaced entries count twice)
  // The last version of each file the window before the one being analysed edited: the next window's old versions
  // are mostly these, also when the window in between is short (a walked batch's last commits) and edits other
  // files.
  std::vector<std::string> window_before_last_versions_;
  // recent_[blob] = facts, counted.
  const std::shared_ptr<const detectors::FileFacts>& keep_recent(const std::string& blob,
                                                                 std::shared_ptr<const detectors::FileFacts> facts);
  AnalysisCounts counts_;
};

}  // namespace hm::mining

#include "mining/commit_analyzer.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <unordered_set>
#include <thread>
#include <nlohmann/json.hpp>

#include "detectors/change_classifier.hpp"
#include "detectors/commit_message.hpp"
#include "detectors/blob_analysis.hpp"
#include "detectors/language.hpp"
#include "detectors/version.hpp"
#include "git/handles.hpp"
#include "git/tree_files.hpp"
#include "mining/history_walker.hpp"

namespace hm::mining {
namespace {

using nlohmann::json;

// Larger blobs are generated or vendored code; parsing them costs seconds and says nothing about hybridization
// practice. They are recorded as unreadable with the reason.
constexpr std::size_t kMaxBlobBytes = 32u << 20;

// How the error of a blob the repository could not give begins (a blob a partial clone left out; in any other
// repository the walk fails such a commit first).
const std::string kUnreadBlob = "cannot read blob ";

// Whether a stored analysis was made without the blob's content: stored for a partial clone that lacked it, it
// is stale in a repository that has the blob.
bool lacked_content(const store::BlobAnalysis& analysis) {
  return analysis.status == "unreadable" && analysis.error && analysis.error->starts_with(kUnreadBlob);
}

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::optional<std::string> arguments_json(const std::optional<detectors::Arguments>& arguments) {
  return arguments ? std::optional<std::string>(store::arguments_json(*arguments)) : std::nullopt;
}

// Sorted, so a change reads the same whether its facts came fresh from the parser or from the cache.
std::string names_json(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return dump(json(names));
}

std::optional<std::int64_t> optional_line(const std::optional<std::uint32_t>& line) {
  return line ? std::optional<std::int64_t>(*line) : std::nullopt;
}

// HYBRIDMINER_FULL_REPARSE=1 parses every blob from scratch: the reference that incremental reparsing must equal
// (tests and benchmarks compare the two databases).
bool incremental_parsing() {
  static const bool enabled = [] {
    const char* value = std::getenv("HYBRIDMINER_FULL_REPARSE");
    return value == nullptr || std::string_view(value) != "1";
  }();
  return enabled;
}

// A size from the environment (tests shrink windows, slices and caches to reach their edges on short histories),
// else `fallback`; 0 or garbage also give the fallback.
std::size_t size_from_environment(const char* name, std::size_t fallback) {
  const char* value = std::getenv(name);
  const auto parsed = value == nullptr ? 0 : std::strtoull(value, nullptr, 10);
  return parsed == 0 ? fallback : static_cast<std::size_t>(std::min<unsigned long long>(parsed, 1ull << 40));
}

// Roughly what a remembered analysis holds: a function's facts take about a kilobyte (names, parameters,
// decorators, body hash), its advice as much again when the file has sites (a worker's facts share their save with
// the findings and advice); imports and sites a few strings each.
std::size_t remembered_bytes(const detectors::FileFacts& facts) {
  constexpr std::size_t kFunctionBytes = 1024;
  constexpr std::size_t kRowBytes = 256;
  const std::size_t per_function = facts.sites.empty() ? kFunctionBytes : 2 * kFunctionBytes;
  return kRowBytes * (1 + facts.imports.size() + facts.sites.size()) + per_function * facts.functions.size();
}

}  // namespace

const std::shared_ptr<const detectors::FileFacts>& CommitAnalyzer::keep_recent(
    const std::string& blob, std::shared_ptr<const detectors::FileFacts> facts) {
  recent_bytes_ += remembered_bytes(*facts);
  return recent_[blob] = std::move(facts);
}

std::size_t CommitAnalyzer::slice_bytes() {
  static const std::size_t bytes = size_from_environment("HYBRIDMINER_SLICE_BYTES", kSliceBytes);
  return bytes;
}

std::size_t CommitAnalyzer::window_commits() {
  static const std::size_t commits =
      std::min<std::size_t>(size_from_environment("HYBRIDMINER_WINDOW_COMMITS", kWindow), 1u << 20);
  return commits;
}

std::size_t CommitAnalyzer::window_commits(std::size_t index) {
  std::size_t commits = std::max<std::size_t>(window_commits() / 8, 1);
  for (std::size_t i = 0; i < index && commits < window_commits(); ++i) commits *= 2;
  return std::min(commits, window_commits());
}

std::size_t CommitAnalyzer::window_bytes() {
  static const std::size_t bytes = size_from_environment("HYBRIDMINER_WINDOW_BYTES", kWindowBytes);
  return bytes;
}

std::size_t CommitAnalyzer::last_parses_bytes() {
  static const std::size_t bytes = size_from_environment("HYBRIDMINER_LAST_PARSES_BYTES", kLastParsesCodeBytes);
  return bytes;
}

std::size_t CommitAnalyzer::recent_bytes() {
  static const std::size_t bytes = size_from_environment("HYBRIDMINER_RECENT_BYTES", kRecentBytes);
  return bytes;
}

std::size_t CommitAnalyzer::recent_blobs() {
  static const std::size_t blobs = size_from_environment("HYBRIDMINER_RECENT_BLOBS", kRecentBlobs);
  return blobs;
}

AnalysisCounts& AnalysisCounts::operator+=(const AnalysisCounts& other) {
  commits += other.commits;
  hybridization_changes += other.hybridization_changes;
  blobs_parsed += other.blobs_parsed;
  blobs_reparsed += other.blobs_reparsed;
  blobs_skipped += other.blobs_skipped;
  blobs_cached += other.blobs_cached;
  blobs_unreadable += other.blobs_unreadable;
  return *this;
}

void AnalysisCounts::count(const store::BlobAnalysis& analysis) {
  if (analysis.status == "parsed") ++blobs_parsed;
  if (analysis.status == "parsed" && analysis.reparsed) ++blobs_reparsed;
  if (analysis.status == "skipped") ++blobs_skipped;
  if (analysis.status == "unreadable") ++blobs_unreadable;
}

namespace {
// Published analyses held for other workers, in blobs and in estimated bytes: the same bounds as remembered facts
// (they are the same objects: what one holds, the other cannot free).
constexpr std::size_t kSharedBlobs = CommitAnalyzer::kRecentBlobs;
constexpr std::size_t kSharedBytes = CommitAnalyzer::kRecentBytes;
}  // namespace

SharedBlobs::Claim SharedBlobs::claim(const std::string& blob, const void* owner,
                                      std::shared_ptr<const BlobSave>& published) {
  std::lock_guard lock(mutex_);
  const auto found = entries_.find(blob);
  if (found == entries_.end()) {
    if (done_ >= kSharedBlobs || published_bytes_ >= kSharedBytes) {
      // Forget the published analyses (claims stay): memory stays bounded.
      std::erase_if(entries_, [](const auto& entry) { return entry.second.save != nullptr; });
      done_ = 0;
      published_bytes_ = 0;
    }
    entries_.emplace(blob, Entry{nullptr, owner});
    return Claim::Mine;
  }
  if (!found->second.save) return Claim::Taken;
  published = found->second.save;
  return Claim::Published;
}

void SharedBlobs::publish(const std::string& blob, std::shared_ptr<const BlobSave> save) {
  {
    std::lock_guard lock(mutex_);
    auto& entry = entries_[blob];
    if (!entry.save) {
      ++done_;
      published_bytes_ += remembered_bytes(save->analysis.facts);
    }
    entry.save = std::move(save);
    entry.owner = nullptr;
  }
  published_.notify_all();
}

void SharedBlobs::abandon(const std::string& blob, const void* owner) {
  {
    std::lock_guard lock(mutex_);
    const auto found = entries_.find(blob);
    if (found == entries_.end() || found->second.save || found->second.owner != owner) return;
    entries_.erase(found);
  }
  published_.notify_all();
}

std::shared_ptr<const BlobSave> SharedBlobs::wait(const std::string& blob) {
  std::unique_lock lock(mutex_);
  std::shared_ptr<const BlobSave> result;
  published_.wait(lock, [&] {
    const auto found = entries_.find(blob);
    if (found == entries_.end()) return true;  // abandoned (or forgotten)
    result = found->second.save;
    return result != nullptr;
  });
  return result;
}

AnalysisWriter::AnalysisWriter(store::Database& db)
    : facts_store_(db),
      delete_changes_(db.prepare("DELETE FROM hybridization_changes WHERE commit_id = ?")),
      delete_references_(db.prepare("DELETE FROM commit_issue_references WHERE commit_id = ?")),
      insert_change_(db.prepare(
          "INSERT INTO hybridization_changes (commit_id, file_change_id, path, old_path, function, api, family, "
          "kind, old_api, form_before, form_after, args_before, args_after, args_added, args_removed, "
          "args_modified, old_line, new_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")),
      insert_reference_(db.prepare(
          "INSERT INTO commit_issue_references (commit_id, repository, number, kind, text) VALUES (?, ?, ?, ?, ?)")),
      update_commit_(
          db.prepare("UPDATE commits SET detector_version = ?, is_bug_fix = ?, bug_fix_rule = ? WHERE id = ?")) {}

// What the analysis on the writer would have done with the same database: a blob it finds stored is a cache hit
// (its stored facts are what the worker computed: same bytes, same detector), and a reparse replaces only what is
// not parsed (a skip, or an analysis made without the blob's content).
void AnalysisWriter::save_blobs(const std::vector<std::shared_ptr<const BlobSave>>& saves, AnalysisCounts& counts) {
  for (const auto& shared_save : saves) {
    const auto& save = *shared_save;
    const auto stored = facts_store_.status(save.blob);
    if (save.reparse ? stored == "parsed" : stored.has_value()) {
      if (!save.reparse) ++counts.blobs_cached;
      continue;
    }
    counts.count(save.analysis);
    facts_store_.save(save.blob, save.language, save.bytes, save.analysis);
  }
}

void AnalysisWriter::store(std::int64_t commit_id, const CommitAnalysis& analysis,
                           const std::vector<std::int64_t>& file_change_ids, AnalysisCounts& counts) {
  // Re-analysis by a newer detector replaces the older answers.
  delete_changes_.bind_all(commit_id).run();
  delete_references_.bind_all(commit_id).run();
  for (const auto& change : analysis.changes) {
    insert_change_
        .bind_all(commit_id, file_change_ids.at(change.file), change.path, change.old_path, change.function,
                  change.api, change.family, change.kind, change.old_api, change.form_before, change.form_after,
                  arguments_json(change.args_before), arguments_json(change.args_after), names_json(change.args_added),
                  names_json(change.args_removed), names_json(change.args_modified), optional_line(change.old_line),
                  optional_line(change.new_line))
        .run();
    ++counts.hybridization_changes;
  }
  for (const auto& reference : analysis.references) {
    insert_reference_.bind_all(commit_id, reference.repository, reference.number, reference.kind, reference.text)
        .run();
  }
  const auto& bug_fix = analysis.bug_fix;
  update_commit_
      .bind_all(detectors::kDetectorVersion, bug_fix.is_bug_fix ? 1 : 0,
                bug_fix.is_bug_fix ? std::optional<std::string>(bug_fix.rule) : std::nullopt, commit_id)
      .run();
  ++counts.commits;
}

CommitAnalyzer::CommitAnalyzer(store::Database& db, const git::Repository& repo, util::Progress& progress,
                               util::CpuBudget* budget, SharedBlobs* shared, FindingsScope findings)
    : db_(db),
      repo_(repo),
      progress_(progress),
      budget_(budget),
      shared_(shared),
      findings_(findings),
      facts_store_(db),
      load_rows_(db.prepare("SELECT id, old_path, new_path, old_blob, new_blob, language FROM file_changes "
                            "WHERE commit_id = ? AND language IN ('python', 'jupyter') ORDER BY id")) {}

std::string CommitAnalyzer::read_blob(const std::string& blob) const {
  const auto oid = git::oid_from_hex(blob);
  git_blob* raw = nullptr;
  git::check(git_blob_lookup(&raw, repo_.handle(), &oid), kUnreadBlob + blob);
  git::BlobPtr content(raw);
  const auto size = static_cast<std::size_t>(git_blob_rawsize(content.get()));
  if (size > kMaxBlobBytes) throw Error("larger than " + std::to_string(kMaxBlobBytes >> 20) + " MiB");
  return std::string(static_cast<const char*>(git_blob_rawcontent(content.get())), size);
}

store::BlobAnalysis CommitAnalyzer::analyse_bytes(const std::string& bytes, const std::string& language,
                                                 detectors::PythonParser& parser, bool prefilter,
                                                 const detectors::ParsedSource* previous,
                                                 std::optional<detectors::ParsedSource>* keep) {
  store::BlobAnalysis analysis;
  try {
    detectors::BlobOptions options;
    options.prefilter = prefilter;
    options.previous = incremental_parsing() ? previous : nullptr;
    options.keep_parse = keep != nullptr && incremental_parsing();
    options.body_hashes = &body_hashes_;
    options.findings = findings_ == FindingsScope::History;
    auto result = detectors::analyse_blob(bytes, language, parser, options);
    analysis.facts = std::move(result.facts);
    analysis.findings = std::move(result.findings);
    analysis.advice = std::move(result.advice);
    // The findings' analysis of a blob with sites advised every function; other blobs wait for advise_tip.
    analysis.advised = options.findings && analysis.facts.parsed && !analysis.facts.sites.empty();
    analysis.status = analysis.facts.parsed ? "parsed" : "skipped";
    analysis.reparsed = analysis.facts.parsed && options.previous != nullptr;
    if (keep != nullptr) *keep = std::move(result.parsed);
  } catch (const Error& e) {
    analysis = {};
    analysis.status = "unreadable";
    analysis.error = e.what();
  }
  return analysis;
}

void CommitAnalyzer::remember(const std::string& blob, const std::string& language, std::int64_t bytes,
                              store::BlobAnalysis analysis, bool reparse) {
  if (saves_ != nullptr) {
    // A worker: the writer saves it, and counts it then (it may find the blob stored by then).
    // One copy serves the writer, the other workers and this window's look-ups (the facts alias into it).
    auto save = std::make_shared<const BlobSave>(BlobSave{blob, language, bytes, std::move(analysis), reparse});
    if (shared_ != nullptr) shared_->publish(blob, save);
    keep_recent(blob, std::shared_ptr<const detectors::FileFacts>(save, &save->analysis.facts));
    saves_->push_back(std::move(save));
    return;
  }
  counts_.count(analysis);
  facts_store_.save(blob, language, bytes, analysis);
  keep_recent(blob, std::make_shared<const detectors::FileFacts>(std::move(analysis.facts)));
}

std::shared_ptr<const detectors::FileFacts> CommitAnalyzer::known_facts(const std::string& blob) {
  if (const auto found = recent_.find(blob); found != recent_.end()) return found->second;
  auto cached = facts_store_.load_facts(blob);
  if (!cached) return nullptr;
  if (lacked_content(*cached) && repo_.holds_object(git::oid_from_hex(blob))) {
    stale_.insert(blob);
    return nullptr;
  }
  ++counts_.blobs_cached;
  return keep_recent(blob, std::make_shared<const detectors::FileFacts>(std::move(cached->facts)));
}

std::shared_ptr<const detectors::FileFacts> CommitAnalyzer::facts_for(const std::string& blob,
                                                                      const std::string& language) {
  if (auto known = known_facts(blob)) return known;
  std::string bytes;
  store::BlobAnalysis analysis;
  try {
    bytes = read_blob(blob);
    analysis = analyse_bytes(bytes, language, parser_);
  } catch (const Error& e) {
    analysis.status = "unreadable";
    analysis.error = e.what();
  }
  remember(blob, language, static_cast<std::int64_t>(bytes.size()), std::move(analysis), stale_.count(blob) > 0);
  return recent_.at(blob);
}

// The facts of a blob with its functions even if the prefilter skipped it: the other side of a file change that
// removed a site needs them. Rare (a site was removed along with every API token of the file), so done here on
// demand; the parsed facts replace the skipped entry in the cache.
std::shared_ptr<const detectors::FileFacts> CommitAnalyzer::parsed_facts_for(const std::string& blob,
                                                                             const std::string& language) {
  auto facts = facts_for(blob, language);
  if (facts->parsed) return facts;
  std::string bytes;
  try {
    bytes = read_blob(blob);
  } catch (const Error&) {
    return facts;  // unreadable stays unreadable
  }
  auto analysis = analyse_bytes(bytes, language, parser_, false);
  if (analysis.status != "parsed") return facts;
  remember(blob, language, static_cast<std::int64_t>(bytes.size()), std::move(analysis), true);
  return recent_.at(blob);
}

// Analyses every blob the file changes of a window of commits need that is neither remembered nor cached, on this
// thread and the budget's idle slots: blobs are read here (libgit2 objects stay on this thread), parsed by helpers
// with a parser each, and remembered here in job order, so the database is the same whatever the thread timing.
//
// A blob whose file's previous version is parsed in the same slice is reparsed incrementally from that version's
// tree: the versions of a file form chains (trees where history branches), and a worker takes a whole chain.
void CommitAnalyzer::prefetch(const std::vector<const std::vector<FileRow>*>& window) {
  // Bounded, but never forgetting the blobs this window refers to, nor the window before's last version of each
  // file it edited: old versions are mostly the last windows' new ones, which a worker's connection may not see
  // stored yet (the writer lags behind). Forgotten, they were read and analysed again, each from scratch (Keras:
  // 229 parsed versions, 8.5 MB, and 1,723 skipped ones). Bounded in blobs and in what their analyses hold (one JAX
  // file version has hundreds of functions).
  std::unordered_map<std::string, std::string> last_version;  // path → its last new blob in this window
  for (const auto* commit_rows : window) {
    for (const auto& row : *commit_rows) {
      if (row.new_path && row.new_blob) last_version[*row.new_path] = *row.new_blob;
    }
  }
  if (recent_.size() >= recent_blobs() || recent_bytes_ >= recent_bytes()) {
    RecentFacts kept;
    recent_bytes_ = 0;
    const auto keep = [&](const std::string& blob) {
      const auto found = recent_.find(blob);
      if (found != recent_.end() && kept.insert(*found).second) recent_bytes_ += remembered_bytes(*found->second);
    };
    for (const auto* commit_rows : window) {
      for (const auto& row : *commit_rows) {
        if (row.old_blob) keep(*row.old_blob);
        if (row.new_blob) keep(*row.new_blob);
      }
    }
    for (const auto& blob : window_before_last_versions_) keep(blob);
    recent_ = std::move(kept);
  }
  window_before_last_versions_.clear();
  for (auto& [path, blob] : last_version) window_before_last_versions_.push_back(std::move(blob));
  std::vector<Job> jobs;
  std::unordered_map<std::string, std::size_t> queued;  // blob → job
  std::vector<std::pair<std::string, std::string>> versions;  // (old blob, new blob) of modified files
  // Workers: blobs another worker is analysing are waited for once this window's own are done; whatever happens,
  // this window's claims end with it.
  std::vector<std::string> waiting;
  std::unordered_set<std::string> awaited;
  struct Claims {
    SharedBlobs* shared;
    const void* owner;
    std::vector<std::string> blobs;
    ~Claims() {
      for (const auto& blob : blobs) shared->abandon(blob, owner);
    }
  } claims{shared_, this, {}};
  const auto adopt = [&](const std::shared_ptr<const BlobSave>& save) {
    saves_->push_back(save);
    keep_recent(save->blob, std::shared_ptr<const detectors::FileFacts>(save, &save->analysis.facts));
  };
  // What another worker analysed without the blob's content (its partial clone lacked it) is not taken where this
  // repository has the blob: analysed here, it replaces that analysis (stale_).
  const auto usable = [&](const std::shared_ptr<const BlobSave>& save) {
    if (!lacked_content(save->analysis) || !repo_.holds_object(git::oid_from_hex(save->blob))) return true;
    stale_.insert(save->blob);
    return false;
  };
  for (const auto* commit_rows : window) {
    for (const auto& row : *commit_rows) {
      for (const auto* blob : {&row.old_blob, &row.new_blob}) {
        if (!*blob || queued.count(**blob) || awaited.count(**blob) || known_facts(**blob)) continue;
        if (shared_ != nullptr && saves_ != nullptr) {
          std::shared_ptr<const BlobSave> published;
          const auto claim = shared_->claim(**blob, this, published);
          if (claim == SharedBlobs::Claim::Published && usable(published)) {
            adopt(published);
            continue;
          }
          if (claim == SharedBlobs::Claim::Taken) {
            awaited.insert(**blob);
            waiting.push_back(**blob);
            continue;
          }
          if (claim == SharedBlobs::Claim::Mine) claims.blobs.push_back(**blob);
        }
        queued.emplace(**blob, jobs.size());
        jobs.push_back({**blob, row.language, {}, std::nullopt, std::nullopt, {}, std::nullopt, std::nullopt});
      }
      if (row.old_blob && row.new_blob) versions.emplace_back(*row.old_blob, *row.new_blob);
    }
  }
  link_versions(jobs, queued, versions);
  take_last_parses(jobs, queued, versions);
  for (const auto& [old_blob, new_blob] : versions) {
    const auto job = queued.find(new_blob);
    const auto known = recent_.find(old_blob);
    if (job == queued.end() || known == recent_.end() || jobs[job->second].previous) continue;
    const auto& facts = *known->second;
    jobs[job->second].cost_per_byte = !facts.parsed ? 0.05 : facts.sites.empty() ? 1.0 : 3.0;
  }
  // In slices of bounded size: a commit that rewrites hundreds of large files must not hold them all in memory.
  // A file edited on both sides of a slice's end is reparsed from its last parse in the slice before.
  Carried carried;
  LastParses next;
  carried.last_use.assign(jobs.size(), 0);
  for (std::size_t k = 0; k < jobs.size(); ++k) {
    if (jobs[k].previous) carried.last_use[*jobs[k].previous] = k;
  }
  for (std::size_t first = 0; first < jobs.size();) {
    std::size_t last = first;
    std::size_t bytes = 0;
    for (; last < jobs.size() && (last == first || bytes < slice_bytes()); ++last) {
      auto& job = jobs[last];
      if (const auto known = prefiltered_.find(job.blob); known != prefiltered_.end() && job.language == "python") {
        if (known->second.ruled_out) {
          job.ruled_out_size = known->second.size;
          continue;
        }
        job.passed_prefilter = true;
      }
      try {
        job.bytes = read_blob(job.blob);
      } catch (const Error& e) {
        job.read_error = e.what();
      }
      bytes += job.bytes.size();
    }
    analyse_slice(jobs, first, last, carried, next);
    std::erase_if(carried.by_job, [&](const auto& entry) {
      if (carried.last_use[entry.first] >= last) return false;
      carried.code_bytes -= entry.second.code.size();
      return true;
    });
    for (std::size_t j = first; j < last; ++j) {
      auto& job = jobs[j];
      if (job.read_error) {
        job.analysis = {};
        job.analysis.status = "unreadable";
        job.analysis.error = *job.read_error;
      }
      const auto size = job.ruled_out_size.value_or(static_cast<std::int64_t>(job.bytes.size()));
      remember(job.blob, job.language, size, std::move(job.analysis), stale_.count(job.blob) > 0);
      std::string().swap(job.bytes);
    }
    first = last;
  }
  // The window before's parses are done with; this window's are for the next.
  last_parses_.by_blob = std::move(next.by_blob);
  last_parses_.code_bytes = next.code_bytes;
  // Every claim of this window is published: waiting now cannot close a cycle. Waiting is not work, so the
  // caller's budget slot goes back meanwhile. A blob abandoned by its worker is analysed on demand (facts_for).
  const auto wait_for_others = [&] {
    for (const auto& blob : waiting) {
      if (auto published = shared_->wait(blob); published && usable(published)) adopt(published);
    }
  };
  if (waiting.empty()) return;
  if (budget_ != nullptr) {
    budget_->idle(wait_for_others);
  } else {
    wait_for_others();
  }
}

// A file's first version in this window whose previous version was parsed in the window before, and kept, is
// reparsed from that parse; the kept parses no job of this window follows are let go at once. Every job is given
// how often its file was edited up to it (LastParses keeps the files edited most).
void CommitAnalyzer::take_last_parses(std::vector<Job>& jobs,
                                      const std::unordered_map<std::string, std::size_t>& queued,
                                      const std::vector<std::pair<std::string, std::string>>& versions) {
  std::unordered_set<std::string> used;
  for (const auto& [old_blob, new_blob] : versions) {
    const auto newer = queued.find(new_blob);
    if (newer == queued.end()) continue;
    auto& job = jobs[newer->second];
    job.edits = 1;  // a new version of a file
    if (job.previous || job.carried_base || queued.count(old_blob)) continue;
    const auto kept = last_parses_.by_blob.find(old_blob);
    if (kept == last_parses_.by_blob.end() || kept->second.language != job.language) continue;
    job.carried_blob = old_blob;
    job.carried_base = &kept->second.parse;
    ++kept->second.uses;
    used.insert(old_blob);
  }
  std::erase_if(last_parses_.by_blob, [&](const auto& entry) {
    if (used.count(entry.first)) return false;
    last_parses_.code_bytes -= entry.second.parse.code.size();
    return true;
  });
  // Jobs come in walk order: a previous version first.
  for (auto& job : jobs) {
    if (job.previous) job.edits = jobs[*job.previous].edits + 1;
  }
}

void CommitAnalyzer::LastParses::offer(const std::string& blob, const std::string& language, std::uint32_t edits,
                                       detectors::ParsedSource&& parse) {
  const std::size_t size = parse.code.size();
  const std::lock_guard lock(mutex);
  if (by_blob.count(blob)) return;
  // Room is made from the files edited less often than this one, fewest edits first; if that is not enough, this
  // one is not kept.
  std::vector<std::unordered_map<std::string, LastParse>::iterator> fewer;
  std::size_t freeable = last_parses_bytes() - std::min(code_bytes, last_parses_bytes());
  for (auto it = by_blob.begin(); it != by_blob.end(); ++it) {
    if (it->second.edits < edits) fewer.push_back(it);
  }
  std::sort(fewer.begin(), fewer.end(), [](const auto& a, const auto& b) { return a->second.edits < b->second.edits; });
  std::size_t needed = 0;
  for (; needed < fewer.size() && freeable < size; ++needed) freeable += fewer[needed]->second.parse.code.size();
  if (freeable < size) return;
  for (std::size_t i = 0; i < needed; ++i) {
    code_bytes -= fewer[i]->second.parse.code.size();
    by_blob.erase(fewer[i]);
  }
  code_bytes += size;
  by_blob.emplace(blob, LastParse{std::move(parse), language, edits});
}

void CommitAnalyzer::LastParses::release(const std::string& blob) {
  const std::lock_guard lock(mutex);
  const auto kept = by_blob.find(blob);
  if (kept == by_blob.end() || --kept->second.uses > 0) return;
  code_bytes -= kept->second.parse.code.size();
  by_blob.erase(kept);
}

// A job's previous version is an earlier job (lower index), so the links form a forest: a revert (B back to A)
// would otherwise close a cycle. Only versions of the same language are linked.
void CommitAnalyzer::link_versions(std::vector<Job>& jobs, const std::unordered_map<std::string, std::size_t>& queued,
                                   const std::vector<std::pair<std::string, std::string>>& versions) {
  for (const auto& [old_blob, new_blob] : versions) {
    const auto older = queued.find(old_blob);
    const auto newer = queued.find(new_blob);
    if (older == queued.end() || newer == queued.end() || older->second >= newer->second) continue;
    auto& job = jobs[newer->second];
    if (job.previous || job.language != jobs[older->second].language) continue;
    job.previous = older->second;
  }
}

// Analyses jobs [first, last) on this thread and on idle slots of the budget, a chain of versions per task.
//
// A version is reparsed from its predecessor's tree, so a chain is one task. A chain expected to cost more than a
// quarter of a slot's share of the slice is cut (the version after the cut is parsed from scratch: same result,
// one full parse), so that one long-lived file does not keep one thread busy while the other slots idle. Costs
// are bytes weighted by what the file's previous version cost (see Job::cost_per_byte): by bytes alone, most of a
// slice is blobs the prefilter skips for nothing, and a 470 KB test module with sites in each of its versions was
// a quarter of a slice's bytes and all of its time; a reparsed version costs a quarter of one analysed from
// scratch (kReparseShare). Chains go longest first.
void CommitAnalyzer::analyse_slice(std::vector<Job>& jobs, std::size_t first, std::size_t last, Carried& carried,
                                   LastParses& next) {
  // Measured on the Keras history (every analysis timed, versions with sites): 62 ns a byte reparsed, 235 from
  // scratch (parse, facts and findings each).
  constexpr double kReparseShare = 0.25;
  const std::size_t count = last - first;
  const std::size_t slots = budget_ != nullptr ? budget_->slots() : 1;
  std::vector<double> cost(count);  // expected cost of each version
  std::vector<double> per_byte(count, 1.0);
  std::vector<std::optional<std::size_t>> parent(count);
  double slice_cost = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& job = jobs[first + i];
    if (job.previous && *job.previous >= first) parent[i] = *job.previous - first;
    // A file keeps its kind from version to version: a chain costs what its first known version did.
    per_byte[i] = job.cost_per_byte.value_or(parent[i] ? per_byte[*parent[i]] : 1.0);
    const bool reparsed = parent[i] || job.carried_base != nullptr;
    cost[i] = per_byte[i] * static_cast<double>(job.bytes.size()) * (reparsed ? kReparseShare : 1.0);
    slice_cost += cost[i];
  }
  // A cut costs a full parse, and what it buys, the chain's rest on another thread, is worth that only for a long
  // chain (cost units: bytes times Job::cost_per_byte). A megabyte, a third of one of a file with sites analysed
  // from scratch, cut Keras' chains 35 times: 8.7 MB parsed from scratch, a third of all such bytes of the mine;
  // eight cut them 5 times (1.8 MB), for the same wall time.
  constexpr double kMinChainCost = 8 << 20;
  const double chain_limit = slots > 1 ? std::max(kMinChainCost, slice_cost / static_cast<double>(4 * slots))
                                        : std::numeric_limits<double>::max();

  std::vector<std::vector<std::size_t>> successors(count);
  std::vector<std::size_t> roots;
  std::vector<double> chain_cost(count);  // from the chain's root (or last cut) to this version
  for (std::size_t i = 0; i < count; ++i) {
    if (parent[i] && chain_cost[*parent[i]] + cost[i] <= chain_limit) {
      successors[*parent[i]].push_back(first + i);
      chain_cost[i] = chain_cost[*parent[i]] + cost[i];
      continue;
    }
    if (parent[i]) cost[i] /= kReparseShare;  // cut here: parsed from scratch (a carried base has no parent)
    parent[i].reset();
    roots.push_back(first + i);
    chain_cost[i] = cost[i];
  }
  // Longest first: a long chain started last would finish alone.
  std::vector<double> tree_cost(count);
  for (std::size_t i = count; i-- > 0;) {
    tree_cost[i] += cost[i];
    if (parent[i]) tree_cost[*parent[i]] += tree_cost[i];
  }
  std::stable_sort(roots.begin(), roots.end(),
                   [&](std::size_t a, std::size_t b) { return tree_cost[a - first] > tree_cost[b - first]; });

  // A chain whose first version follows one parsed in an earlier slice starts from that parse.
  std::vector<const detectors::ParsedSource*> root_base(roots.size(), nullptr);
  for (std::size_t r = 0; r < roots.size(); ++r) {
    const auto& previous = jobs[roots[r]].previous;
    root_base[r] = jobs[roots[r]].carried_base;  // from the window before
    if (!previous || *previous >= first) continue;
    if (const auto kept = carried.by_job.find(*previous); kept != carried.by_job.end()) root_base[r] = &kept->second;
  }
  // A version that a later slice reparses from is carried over once this slice is done with it.
  const auto carry = [&](std::size_t j, std::optional<detectors::ParsedSource>& parsed) {
    if (!parsed || carried.last_use[j] < last) return;
    const std::lock_guard lock(carried.mutex);
    // A parse holds about thirty times its code in trees and walk records: past the limit, the next version is
    // parsed from scratch instead (the same facts, more time).
    if (carried.code_bytes + parsed->code.size() > kCarriedCodeBytes) return;
    carried.code_bytes += parsed->code.size();
    carried.by_job.emplace(j, std::move(*parsed));
    parsed.reset();
  };

  // Walks one chain: each version is parsed from its predecessor's tree, which is dropped as soon as the chain
  // moves on (a branch point keeps its tree only while its side branches are analysed).
  const auto run_chain = [&](std::size_t job, const detectors::ParsedSource* root, detectors::PythonParser& parser) {
    const auto visit = [&](auto& self, std::size_t j, const detectors::ParsedSource* base) -> void {
      std::optional<detectors::ParsedSource> held;
      std::size_t held_job = 0;
      while (true) {
        auto& next_versions = successors[j - first];
        // An edited file's last version in the window is kept for its next (LastParses); last_use is 0 for a version
        // no job of the window follows (a chain cut for balance goes on in the same window).
        const bool last_in_window = carried.last_use[j] == 0;
        const bool wanted =
            !next_versions.empty() || carried.last_use[j] >= last || (jobs[j].edits > 0 && last_in_window);
        std::optional<detectors::ParsedSource> parsed;
        if (jobs[j].ruled_out_size) {
          jobs[j].analysis = {};
          jobs[j].analysis.status = "skipped";  // what analyse_bytes gives a blob the prefilter rules out
        } else if (!jobs[j].read_error) {
          jobs[j].analysis = analyse_bytes(jobs[j].bytes, jobs[j].language, parser, !jobs[j].passed_prefilter, base,
                                           wanted ? &parsed : nullptr);
        }
        carry(held_job, held);  // the base is done with
        if (jobs[j].carried_base != nullptr) last_parses_.release(jobs[j].carried_blob);
        if (next_versions.empty()) {
          carry(j, parsed);
          if (parsed && last_in_window && jobs[j].edits > 0) {
            next.offer(jobs[j].blob, jobs[j].language, jobs[j].edits, std::move(*parsed));
          }
          return;
        }
        for (std::size_t k = 0; k + 1 < next_versions.size(); ++k) {
          self(self, next_versions[k], parsed ? &*parsed : nullptr);
        }
        held = std::move(parsed);
        held_job = j;
        base = held ? &*held : nullptr;
        j = next_versions.back();
      }
    };
    visit(visit, job, root);
  };
  run_tasks(roots.size(),
            [&](std::size_t r, detectors::PythonParser& parser) { run_chain(roots[r], root_base[r], parser); });
}

void CommitAnalyzer::run_tasks(std::size_t count,
                               const std::function<void(std::size_t, detectors::PythonParser&)>& task) {
  util::share_tasks(budget_, count, parser_, [] { return std::make_unique<detectors::PythonParser>(); }, task);
}

// The advice of the files read so far: worked out in parallel (a parse and an analysis each, the tip's whole
// Python code), each file's bytes let go once it is advised.
void CommitAnalyzer::work_out_advice(std::vector<TipFile>& files) {
  run_tasks(files.size(), [&](std::size_t i, detectors::PythonParser& parser) {
    auto& file = files[i];
    if (file.worked_out) return;
    file.worked_out = true;
    // Only where tensors can flow: a file that imports no framework has no function worth hybridizing. A version
    // with sites is analysed whatever it imports, as its findings are.
    if (file.with_findings || detectors::imports_dl_framework(file.bytes)) {
      try {
        auto report = detectors::file_report(file.bytes, file.language, parser);
        file.advice = std::move(report.advice);
        if (file.with_findings) file.findings = std::move(report.findings);
      } catch (const std::exception&) {
        // an invalid notebook, or a failure of the analysis: the blob is left without advice, not the mine
      }
    }
    file.bytes = {};
  });
}

CommitAnalyzer::TipCounts CommitAnalyzer::advise_tip(const git_oid& tip, const TipAdvice* worked_out) {
  progress_.set_phase("advising");
  std::vector<TipFile> files;
  std::size_t bytes_held = 0;
  TipCounts counts;
  // A transaction a slice: a killed run keeps the slices stored, and the next mine skips them (advised).
  std::optional<store::Transaction> transaction;
  const auto advise = [&] {
    work_out_advice(files);
    for (const auto& file : files) facts_store_.save_advice(file.blob, file.advice, file.findings);
    counts.advised += static_cast<std::int64_t>(files.size());
    files.clear();
    bytes_held = 0;
    if (transaction) transaction->commit();
    transaction.reset();
  };
  for (auto& [blob, language] : python_blobs_at(tip)) {
    if (!transaction) transaction.emplace(db_);
    if (facts_store_.advised(blob)) continue;
    const auto facts = facts_for(blob, language);  // its blob_analyses row, which the advice refers to
    // A version with sites gets its findings with its advice, as its analysis would have given them (History).
    const bool with_findings = facts->parsed && !facts->sites.empty();
    if (worked_out != nullptr) {
      if (const auto found = worked_out->by_blob.find(blob); found != worked_out->by_blob.end()) {
        files.push_back(
            {std::move(blob), std::move(language), {}, found->second.advice, true, false, found->second.findings});
        ++counts.worked_out;
        continue;
      }
    }
    std::string bytes;
    try {
      bytes = read_blob(blob);
    } catch (const Error&) {
      continue;  // unreadable: recorded as such by facts_for
    }
    bytes_held += bytes.size();
    files.push_back({std::move(blob), std::move(language), std::move(bytes), {}, false, with_findings});
    // Bounded like a window's slices: a tip of thousands of large files is not held in memory at once.
    if (bytes_held >= slice_bytes()) advise();
  }
  advise();
  return counts;
}

std::int64_t CommitAnalyzer::complete_findings(std::int64_t repository_id) {
  progress_.set_phase("completing findings");
  // Each side of the repository's file changes, in the order they were stored (the walk's), with sites but not
  // advised: grouped by path below, each file's versions are reparsed from one another, as the windows do.
  auto lacking = db_.prepare(
      "WITH sides AS ("
      "  SELECT fc.id, 0 AS side, fc.old_path AS path, fc.old_blob AS blob, fc.language FROM file_changes fc"
      "  JOIN commits c ON c.id = fc.commit_id"
      "  WHERE c.repository_id = ?1 AND fc.old_blob IS NOT NULL AND fc.language IN ('python', 'jupyter')"
      "  UNION ALL"
      "  SELECT fc.id, 1, fc.new_path, fc.new_blob, fc.language FROM file_changes fc"
      "  JOIN commits c ON c.id = fc.commit_id"
      "  WHERE c.repository_id = ?1 AND fc.new_blob IS NOT NULL AND fc.language IN ('python', 'jupyter')"
      ") SELECT path, blob, language FROM sides s WHERE EXISTS (SELECT 1 FROM blob_sites t WHERE t.blob = s.blob)"
      "  AND NOT EXISTS (SELECT 1 FROM advised_blobs a WHERE a.blob = s.blob) ORDER BY id, side");
  lacking.bind_all(repository_id);
  std::vector<std::vector<TipBlob>> files;  // versions of one path, each blob once (the first path it is met at)
  std::unordered_map<std::string, std::size_t> file_of_path;
  std::unordered_set<std::string> listed;
  while (lacking.step()) {
    auto blob = lacking.get_text(1);
    if (!listed.insert(blob).second) continue;
    const auto [file, added] = file_of_path.try_emplace(lacking.get_text(0), files.size());
    if (added) files.emplace_back();
    files[file->second].push_back({std::move(blob), lacking.get_text(2)});
  }

  std::int64_t completed = 0;
  std::vector<std::vector<TipFile>> slice;
  std::size_t bytes_held = 0;
  // A slice's versions are worked out, then stored in a transaction of their own: a killed run keeps what it
  // stored, and the next mine does the rest (advised_blobs).
  const auto complete = [&] {
    work_out_findings(slice);
    store::Transaction transaction(db_);
    for (const auto& versions : slice) {
      for (const auto& version : versions) {
        if (!version.worked_out) continue;
        facts_store_.save_advice(version.blob, version.advice, version.findings);
        ++completed;
      }
    }
    transaction.commit();
    slice.clear();
    bytes_held = 0;
  };
  for (auto& versions : files) {
    slice.emplace_back();
    for (auto& [blob, language] : versions) {
      std::string bytes;
      try {
        bytes = read_blob(blob);
      } catch (const Error&) {
        continue;  // stored parsed, so read before: left unadvised if it cannot be read now
      }
      bytes_held += bytes.size();
      slice.back().push_back({std::move(blob), std::move(language), std::move(bytes), {}, false, true});
      // Bounded like a window's slices; the file's next versions start the next slice (from scratch).
      if (bytes_held >= slice_bytes()) {
        complete();
        slice.emplace_back();
      }
    }
  }
  complete();
  return completed;
}

void CommitAnalyzer::work_out_findings(std::vector<std::vector<TipFile>>& files) {
  run_tasks(files.size(), [&](std::size_t f, detectors::PythonParser& parser) {
    std::optional<detectors::ParsedSource> previous;
    for (auto& version : files[f]) {
      // The windows' analysis, with findings (complete_findings runs with FindingsScope::History only); no
      // prefilter: the version has sites. An invalid notebook (it had sites once) keeps no parse and is advised
      // without advice, as in a window.
      std::optional<detectors::ParsedSource> kept;
      auto analysis = analyse_bytes(version.bytes, version.language, parser, false, previous ? &*previous : nullptr,
                                    &kept);
      version.advice = std::move(analysis.advice);
      version.findings = std::move(analysis.findings);
      previous = std::move(kept);
      version.worked_out = true;
      version.bytes = {};
    }
  });
}

std::vector<CommitAnalyzer::TipBlob> CommitAnalyzer::python_blobs_at(const git_oid& tip) const {
  std::vector<TipBlob> blobs;
  std::unordered_set<std::string> listed;  // a blob at two paths is advised once
  for (const auto& file : git::blobs_at(repo_, tip)) {
    const auto language = detectors::language_of(file.path);
    if (!language || !detectors::is_python_like(*language) || !listed.insert(file.blob).second) continue;
    blobs.push_back({file.blob, std::string(*language)});
  }
  return blobs;
}

TipAdvice CommitAnalyzer::tip_advice(const git_oid& tip) {
  // The files not advised by an earlier mine whose facts are known without a parse (remembered, or stored where
  // this connection sees them): a blob of the tip is usually a version this worker analysed, and any other is left
  // to the writer. A version with sites was advised with its findings, unless FindingsScope::Tip left them out:
  // then they are worked out here with its advice. (After the last window, known_facts' count of cached blobs is
  // read by no one.)
  auto wanted = python_blobs_at(tip);
  std::unordered_set<std::string> with_findings;
  std::erase_if(wanted, [&](const TipBlob& file) {
    if (facts_store_.advised(file.blob)) return true;  // first: after a mine, the whole tip (a re-mine's look-ups)
    const auto facts = known_facts(file.blob);
    if (!facts) return true;
    if (facts->sites.empty()) return false;
    if (findings_ == FindingsScope::History) return true;
    with_findings.insert(file.blob);
    return false;
  });
  // The windows are done: what they remembered goes before the tip's files are parsed, while the writer still
  // holds the last windows' analyses (the peak of a mine's memory).
  recent_.clear();
  recent_bytes_ = 0;
  last_parses_.by_blob.clear();
  last_parses_.code_bytes = 0;

  TipAdvice result;
  std::vector<TipFile> files;
  std::size_t bytes_held = 0;
  // The answers wait for the writer: bounded, past which the writer works out the rest (a Keras tip's: ~4 MB).
  constexpr std::size_t kAdviceBytes = 64u << 20;
  std::size_t advice_bytes = 0;
  const auto advise = [&] {
    work_out_advice(files);
    for (auto& file : files) {
      for (const auto& advice : file.advice) advice_bytes += sizeof advice + advice.function.size();
      for (const auto& finding : file.findings) advice_bytes += sizeof finding + finding.detail.size();
      result.by_blob.emplace(std::move(file.blob), TipAdvice::Answer{std::move(file.advice), std::move(file.findings)});
    }
    files.clear();
    bytes_held = 0;
  };
  for (auto& [blob, language] : wanted) {
    if (advice_bytes >= kAdviceBytes) break;
    std::string bytes;
    try {
      bytes = read_blob(blob);
    } catch (const Error&) {
      continue;  // the writer records it unreadable
    }
    bytes_held += bytes.size();
    const bool findings = with_findings.count(blob) > 0;
    files.push_back({std::move(blob), std::move(language), std::move(bytes), {}, false, findings});
    if (bytes_held >= slice_bytes()) advise();
  }
  advise();
  return result;
}

std::vector<CommitAnalyzer::FileRow> CommitAnalyzer::load_rows(std::int64_t commit_id) {
  std::vector<FileRow> rows;
  load_rows_.bind_all(commit_id);
  while (load_rows_.step()) {
    rows.push_back({load_rows_.get_int(0), load_rows_.get_optional_text(1), load_rows_.get_optional_text(2),
                    load_rows_.get_optional_text(3), load_rows_.get_optional_text(4), load_rows_.get_text(5)});
  }
  load_rows_.reset();
  return rows;
}

AnalysisCounts CommitAnalyzer::analyse_window(std::vector<WalkedCommit>& commits,
                                              std::vector<std::shared_ptr<const BlobSave>>& saves) {
  counts_ = {};
  saves_ = &saves;
  // The rows the writer will store and load_rows would read back: Python and notebook changes, in order.
  std::vector<std::vector<FileRow>> rows(commits.size());
  std::vector<const std::vector<FileRow>*> window;
  for (std::size_t c = 0; c < commits.size(); ++c) {
    const auto& changes = commits[c].changes;
    for (std::size_t i = 0; i < changes.size(); ++i) {
      const auto& change = changes[i];
      const auto language = detectors::language_of(change.new_path ? *change.new_path : change.old_path.value_or(""));
      if (!language || !detectors::is_python_like(*language)) continue;
      rows[c].push_back({static_cast<std::int64_t>(i), change.old_path, change.new_path, change.old_blob,
                         change.new_blob, std::string(*language)});
      // The walk asked the prefilter (a blob larger than read_blob allows is read, and reported unreadable).
      if (change.new_content_answer && change.new_blob && *language == "python" &&
          static_cast<std::size_t>(change.new_size.value_or(0)) <= kMaxBlobBytes) {
        prefiltered_.emplace(*change.new_blob, Prefiltered{*change.new_size, *change.new_content_answer});
      }
    }
    window.push_back(&rows[c]);
  }
  prefetch(window);
  for (std::size_t c = 0; c < commits.size(); ++c) {
    auto analysis = analyse_commit(commits[c].info.message, rows[c]);
    for (auto& change : analysis.changes) change.file = static_cast<std::size_t>(rows[c][change.file].id);
    commits[c].analysis = std::move(analysis);
  }
  saves_ = nullptr;
  prefiltered_.clear();
  return counts_;
}

AnalysisCounts CommitAnalyzer::analyse_pending(std::int64_t repository_id, std::size_t commits_per_transaction,
                                               const std::function<void()>& analysed) {
  counts_ = {};
  struct Pending {
    std::int64_t id;
    std::string message;
  };
  std::vector<Pending> pending;
  {
    auto select = db_.prepare(
        "SELECT id, message FROM commits WHERE repository_id = ? AND "
        "(detector_version IS NULL OR detector_version < ?) ORDER BY id");
    select.bind_all(repository_id, detectors::kDetectorVersion);
    while (select.step()) pending.push_back({select.get_int(0), select.get_text(1)});
  }
  if (pending.empty()) return counts_;
  progress_.set_phase("analysing");
  AnalysisWriter writer(db_);
  AnalysisCounts written;
  std::optional<store::Transaction> transaction;
  std::size_t in_transaction = 0;
  std::vector<std::vector<FileRow>> rows;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    progress_.commits(i, pending.size());
    if (!transaction) transaction.emplace(db_);
    if (i % window_commits() == 0) {
      rows.clear();
      std::vector<const std::vector<FileRow>*> window;
      const auto end = std::min(pending.size(), i + window_commits());
      rows.reserve(end - i);
      for (std::size_t k = i; k < end; ++k) {
        rows.push_back(load_rows(pending[k].id));
        window.push_back(&rows.back());
      }
      prefetch(window);
    }
    const auto& commit_rows = rows[i % window_commits()];
    const auto analysis = analyse_commit(pending[i].message, commit_rows);
    std::vector<std::int64_t> ids;
    for (const auto& row : commit_rows) ids.push_back(row.id);
    writer.store(pending[i].id, analysis, ids, written);
    if (analysed) analysed();
    if (++in_transaction >= commits_per_transaction) {
      transaction->commit();
      transaction.reset();
      in_transaction = 0;
    }
  }
  if (transaction) transaction->commit();
  progress_.commits(pending.size(), pending.size());
  counts_.commits = written.commits;
  counts_.hybridization_changes = written.hybridization_changes;
  return counts_;
}

// The facts of both sides of every Python change (parsed where the other side has sites), then the changes.
CommitAnalysis CommitAnalyzer::analyse_commit(const std::string& message, const std::vector<FileRow>& rows) {
  std::vector<std::shared_ptr<const detectors::FileFacts>> keep_alive;
  std::vector<detectors::FileSides> sides;
  for (const auto& row : rows) {
    detectors::FileSides side;
    side.old_path = row.old_path;
    side.new_path = row.new_path;
    if (row.old_blob) {
      keep_alive.push_back(facts_for(*row.old_blob, row.language));
      side.old_facts = keep_alive.back().get();
    }
    if (row.new_blob) {
      keep_alive.push_back(facts_for(*row.new_blob, row.language));
      side.new_facts = keep_alive.back().get();
    }
    sides.push_back(side);
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto has_sites = [](const detectors::FileFacts* facts) { return facts && !facts->sites.empty(); };
    auto& side = sides[i];
    if (has_sites(side.old_facts) && side.new_facts && !side.new_facts->parsed) {
      keep_alive.push_back(parsed_facts_for(*rows[i].new_blob, rows[i].language));
      side.new_facts = keep_alive.back().get();
    }
    if (has_sites(side.new_facts) && side.old_facts && !side.old_facts->parsed) {
      keep_alive.push_back(parsed_facts_for(*rows[i].old_blob, rows[i].language));
      side.old_facts = keep_alive.back().get();
    }
  }
  CommitAnalysis analysis;
  analysis.changes = detectors::classify_changes(sides);
  analysis.bug_fix = detectors::classify_bug_fix(message);
  analysis.references = detectors::find_issue_references(message);
  return analysis;
}

}  // namespace hm::mining

#include "mining/commit_analyzer.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "detectors/change_classifier.hpp"
#include "detectors/commit_message.hpp"
#include "detectors/file_analysis.hpp"
#include "detectors/version.hpp"
#include "git/handles.hpp"

namespace hm::mining {
namespace {

using nlohmann::json;

constexpr std::size_t kRecentBlobs = 4096;

// HYBRIDMINER_FAULT_KILL_AFTER_ANALYSED=N: SIGKILL right after analysing the N-th commit, inside the open
// transaction, for the crash-safety tests of the analysis phase.
std::optional<std::int64_t> analysis_kill_point() {
  const char* value = std::getenv("HYBRIDMINER_FAULT_KILL_AFTER_ANALYSED");
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::strtoll(value, nullptr, 10);
}
// Larger blobs are generated or vendored code; parsing them costs seconds and says nothing about hybridization
// practice. They are recorded as unreadable with the reason.
constexpr std::size_t kMaxBlobBytes = 32u << 20;

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::optional<std::string> arguments_json(const std::optional<detectors::Arguments>& arguments) {
  if (!arguments) return std::nullopt;
  json object = json::object();
  for (const auto& [name, value] : *arguments) object[name] = value;
  return dump(object);
}

// Sorted, so a change reads the same whether its facts came fresh from the parser or from the cache.
std::string names_json(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return dump(json(names));
}

std::optional<std::int64_t> optional_line(const std::optional<std::uint32_t>& line) {
  return line ? std::optional<std::int64_t>(*line) : std::nullopt;
}

struct FileRow {
  std::int64_t id;
  std::optional<std::string> old_path, new_path, old_blob, new_blob;
  std::string language;
};

}  // namespace

CommitAnalyzer::CommitAnalyzer(store::Database& db, const git::Repository& repo, util::Progress& progress)
    : db_(db), repo_(repo), progress_(progress), facts_store_(db) {}

std::shared_ptr<const detectors::FileFacts> CommitAnalyzer::facts_for(const std::string& blob,
                                                                      const std::string& language) {
  if (const auto found = recent_.find(blob); found != recent_.end()) return found->second;
  if (recent_.size() >= kRecentBlobs) recent_.clear();
  if (auto cached = facts_store_.load(blob)) {
    ++counts_.blobs_cached;
    return recent_[blob] = std::make_shared<const detectors::FileFacts>(std::move(cached->facts));
  }

  store::BlobAnalysis analysis;
  std::int64_t bytes = 0;
  try {
    git_oid oid;
    git::check(git_oid_fromstr(&oid, blob.c_str()), "invalid blob id " + blob);
    git_blob* raw = nullptr;
    git::check(git_blob_lookup(&raw, repo_.handle(), &oid), "cannot read blob " + blob);
    std::unique_ptr<git_blob, git::Deleter<git_blob, git_blob_free>> content(raw);
    const auto size = static_cast<std::size_t>(git_blob_rawsize(content.get()));
    bytes = static_cast<std::int64_t>(size);
    if (size > kMaxBlobBytes) throw Error("larger than " + std::to_string(kMaxBlobBytes >> 20) + " MiB");
    const std::string_view source(static_cast<const char*>(git_blob_rawcontent(content.get())), size);
    analysis.facts = detectors::analyse_file(source, language, parser_);
    analysis.status = analysis.facts.parsed ? "parsed" : "skipped";
  } catch (const Error& e) {
    analysis = {};
    analysis.status = "unreadable";
    analysis.error = e.what();
  }
  if (analysis.status == "parsed") ++counts_.blobs_parsed;
  if (analysis.status == "skipped") ++counts_.blobs_skipped;
  if (analysis.status == "unreadable") ++counts_.blobs_unreadable;
  facts_store_.save(blob, language, bytes, analysis);
  return recent_[blob] = std::make_shared<const detectors::FileFacts>(std::move(analysis.facts));
}

AnalysisCounts CommitAnalyzer::analyse_pending(std::int64_t repository_id, std::size_t commits_per_transaction) {
  counts_ = {};
  std::vector<Pending> pending;
  {
    auto select = db_.prepare(
        "SELECT id, message FROM commits WHERE repository_id = ? AND "
        "(detector_version IS NULL OR detector_version < ?) ORDER BY id");
    select.bind_all(repository_id, detectors::kDetectorVersion);
    while (select.step()) pending.push_back({select.get_int(0), select.get_text(1)});
  }
  progress_.set_phase("analysing");
  static const auto kill_point = analysis_kill_point();
  std::optional<store::Transaction> transaction;
  std::size_t in_transaction = 0;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    progress_.commits(i, pending.size());
    if (!transaction) transaction.emplace(db_);
    analyse_commit(pending[i]);
    if (kill_point && counts_.commits == *kill_point) std::raise(SIGKILL);
    if (++in_transaction >= commits_per_transaction) {
      transaction->commit();
      transaction.reset();
      in_transaction = 0;
    }
  }
  if (transaction) transaction->commit();
  progress_.commits(pending.size(), pending.size());
  return counts_;
}

void CommitAnalyzer::analyse_commit(const Pending& commit) {
  // Re-analysis by a newer detector replaces the older answers.
  db_.prepare("DELETE FROM hybridization_changes WHERE commit_id = ?").bind_all(commit.id).run();
  db_.prepare("DELETE FROM commit_issue_references WHERE commit_id = ?").bind_all(commit.id).run();

  std::vector<FileRow> rows;
  {
    auto select = db_.prepare(
        "SELECT id, old_path, new_path, old_blob, new_blob, language FROM file_changes "
        "WHERE commit_id = ? AND language IN ('python', 'jupyter') ORDER BY id");
    select.bind_all(commit.id);
    while (select.step()) {
      rows.push_back({select.get_int(0), select.get_optional_text(1), select.get_optional_text(2),
                      select.get_optional_text(3), select.get_optional_text(4), select.get_text(5)});
    }
  }
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

  auto insert = db_.prepare(
      "INSERT INTO hybridization_changes (commit_id, file_change_id, path, old_path, function, api, family, kind, "
      "old_api, form_before, form_after, args_before, args_after, args_added, args_removed, args_modified, "
      "old_line, new_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& change : detectors::classify_changes(sides)) {
    insert
        .bind_all(commit.id, rows[change.file].id, change.path, change.old_path, change.function, change.api,
                  change.family, change.kind, change.old_api, change.form_before, change.form_after,
                  arguments_json(change.args_before), arguments_json(change.args_after), names_json(change.args_added),
                  names_json(change.args_removed), names_json(change.args_modified), optional_line(change.old_line),
                  optional_line(change.new_line))
        .run();
    ++counts_.hybridization_changes;
  }

  const auto bug_fix = detectors::classify_bug_fix(commit.message);
  auto references = db_.prepare(
      "INSERT INTO commit_issue_references (commit_id, repository, number, kind, text) VALUES (?, ?, ?, ?, ?)");
  for (const auto& reference : detectors::find_issue_references(commit.message)) {
    references.bind_all(commit.id, reference.repository, reference.number, reference.kind, reference.text).run();
  }
  db_.prepare("UPDATE commits SET detector_version = ?, is_bug_fix = ?, bug_fix_rule = ? WHERE id = ?")
      .bind_all(detectors::kDetectorVersion, bug_fix.is_bug_fix ? 1 : 0,
                bug_fix.is_bug_fix ? std::optional<std::string>(bug_fix.rule) : std::nullopt, commit.id)
      .run();
  ++counts_.commits;
}

}  // namespace hm::mining

#include "git/commit_reader.hpp"

#include "git/line_counts.hpp"

namespace hm::git {
namespace {

CommitPtr lookup_commit(const Repository& repo, const git_oid& oid) {
  git_commit* raw = nullptr;
  check(git_commit_lookup(&raw, repo.handle(), &oid), "cannot read commit " + to_hex(oid));
  return CommitPtr(raw);
}

Signature to_signature(const git_signature* sig) {
  if (sig == nullptr) return {};
  return {sig->name ? sig->name : "", sig->email ? sig->email : "", static_cast<std::int64_t>(sig->when.time),
          sig->when.offset};
}

ChangeStatus status_of(git_delta_t status) {
  switch (status) {
    case GIT_DELTA_ADDED: return ChangeStatus::Added;
    case GIT_DELTA_DELETED: return ChangeStatus::Deleted;
    case GIT_DELTA_RENAMED: return ChangeStatus::Renamed;
    case GIT_DELTA_COPIED: return ChangeStatus::Copied;
    case GIT_DELTA_TYPECHANGE: return ChangeStatus::TypeChanged;
    default: return ChangeStatus::Modified;
  }
}

bool exists(const git_diff_file& file) { return (file.flags & GIT_DIFF_FLAG_EXISTS) != 0; }

// Whether a side of the change names a blob the object database does not have (not one it cannot read).
bool blob_missing_from(git_odb* odb, const git_diff_delta& delta) {
  const auto lacks = [&](const git_diff_file& file) {
    return exists(file) && file.mode != GIT_FILEMODE_COMMIT && git_odb_exists(odb, &file.id) == 0;
  };
  return lacks(delta.old_file) || lacks(delta.new_file);
}

// Rename and copy detection is the expensive part of a diff, and it can only find something when a commit both
// adds files and deletes or modifies others.
bool worth_finding_similar(const git_diff* diff) {
  bool added = false;
  bool removed_or_modified = false;
  for (std::size_t i = 0, n = git_diff_num_deltas(diff); i < n; ++i) {
    const auto status = git_diff_get_delta(diff, i)->status;
    added |= status == GIT_DELTA_ADDED;
    removed_or_modified |= status == GIT_DELTA_DELETED || status == GIT_DELTA_MODIFIED;
  }
  return added && removed_or_modified;
}

FileChange describe(const git_diff_delta& delta) {
  FileChange change;
  change.status = status_of(delta.status);
  if (exists(delta.old_file)) {
    change.old_path = delta.old_file.path;
    change.old_blob = to_hex(delta.old_file.id);
    change.old_mode = delta.old_file.mode;
  }
  if (exists(delta.new_file)) {
    change.new_path = delta.new_file.path;
    change.new_blob = to_hex(delta.new_file.id);
    change.new_mode = delta.new_file.mode;
  }
  if (change.status == ChangeStatus::Renamed || change.status == ChangeStatus::Copied) {
    change.similarity = static_cast<int>(delta.similarity);
  }
  return change;
}

// The options of every diff the reader runs: only counts are kept, so context lines are wasted work. The
// equivalent texts of line_counts.hpp count the same only under the same options.
git_diff_options counting_options() {
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.context_lines = 0;
  options.interhunk_lines = 0;
  return options;
}

LineCount line_stats(const git_patch* patch) {
  std::size_t added = 0;
  std::size_t removed = 0;
  if (patch != nullptr) check(git_patch_line_stats(nullptr, &added, &removed, patch), "cannot count lines");
  return {static_cast<std::int64_t>(added), static_cast<std::int64_t>(removed)};
}

void count_lines_uncached(git_diff* diff, std::size_t index, FileChange& change) {
  const git_diff_delta* delta = git_diff_get_delta(diff, index);
  git_patch* raw = nullptr;
  check(git_patch_from_diff(&raw, diff, index),
        "cannot read " + std::string(delta->new_file.path ? delta->new_file.path : "file"));
  PatchPtr patch(raw);
  const git_diff_delta* loaded = patch ? git_patch_get_delta(patch.get()) : delta;
  if ((loaded->flags & GIT_DIFF_FLAG_BINARY) != 0) {
    change.is_binary = true;
    return;
  }
  const auto counts = line_stats(patch.get());
  change.lines_added = counts.added;
  change.lines_removed = counts.removed;
}

bool regular_file(const git_diff_file& file) {
  return !exists(file) || file.mode == GIT_FILEMODE_BLOB || file.mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

// Larger files libgit2 calls binary without reading them (DIFF_MAX_FILESIZE in diff_file.c).
constexpr std::size_t kMaxDiffedSize = 0x20000000;

// One side of a change as libgit2's diff reads it: empty when the file does not exist on that side.
struct Side {
  BlobPtr blob;                              // what `text` lies in when read from the repository
  std::shared_ptr<const std::string> held;  // or when found among the recent texts
  std::string_view text;
};

// Reads one side of a change, from the recent texts if they hold it (then adding it there when `keep`); nothing
// when a side is larger than libgit2 would diff, which is then not read.
std::optional<Side> read_side(const Repository& repo, git_odb* odb, const git_diff_file& file, RecentTexts* recent,
                              bool keep) {
  Side side;
  if (!exists(file)) return side;
  if (recent != nullptr) {
    if (auto held = recent->find(file.id)) {
      side.text = *held;
      side.held = std::move(held);
      return side;
    }
  }
  const auto what = "cannot read " + std::string(file.path ? file.path : "file");
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  check(git_odb_read_header(&size, &type, odb, &file.id), what);
  if (size > kMaxDiffedSize) return std::nullopt;
  git_blob* raw = nullptr;
  check(git_blob_lookup(&raw, repo.handle(), &file.id), what);
  side.blob.reset(raw);
  side.text = std::string_view(static_cast<const char*>(git_blob_rawcontent(raw)),
                               static_cast<std::size_t>(git_blob_rawsize(raw)));
  if (recent != nullptr && keep) recent->add(file.id, side.text);
  return side;
}

// What xdiff counts on a change of text that forced_line_counts has no answer for, counted on its short
// equivalent (see line_counts.hpp).
LineCount xdiff_line_counts(const XdiffEquivalent& equivalent) {
  const auto options = counting_options();
  git_patch* raw = nullptr;
  check(git_patch_from_buffers(&raw, equivalent.old_text.data(), equivalent.old_text.size(), nullptr,
                               equivalent.new_text.data(), equivalent.new_text.size(), nullptr, &options),
        "cannot diff a file change");
  const PatchPtr patch(raw);
  return line_stats(patch.get());
}

}  // namespace

// The diff attribute picks libgit2's diff driver, which can force a file to count as text or as binary; the
// counts read off the blobs follow the default driver only, so any other setting leaves the file to libgit2.
bool DiffDrivers::is_default(const Repository& repo, const char* path) {
  if (path == nullptr) return true;
  std::string key(path);
  {
    const std::lock_guard lock(mutex_);
    if (const auto known = by_path_.find(key); known != by_path_.end()) return known->second;
  }
  const char* value = nullptr;
  check(git_attr_get(&value, repo.handle(), 0, path, "diff"), "cannot read the attributes of " + key);
  const bool unspecified = GIT_ATTR_IS_UNSPECIFIED(value);
  const std::lock_guard lock(mutex_);
  if (by_path_.size() >= kCapacity) by_path_.clear();
  by_path_.emplace(std::move(key), unspecified);
  return unspecified;
}

// The counts libgit2's patch would give, from the two blobs: forced by the change's shape, or xdiff's on short
// equivalent texts (line_counts.hpp). False for what libgit2 must decide itself: submodules, symbolic links, mode
// changes of the same content, files over libgit2's size limit, and paths whose diff attribute is set.
bool CommitReader::count_lines_directly(const git_diff_delta& delta, FileChange& change) const {
  switch (delta.status) {
    case GIT_DELTA_ADDED:
    case GIT_DELTA_DELETED:
    case GIT_DELTA_MODIFIED:
    case GIT_DELTA_RENAMED: break;
    default: return false;
  }
  if (!regular_file(delta.old_file) || !regular_file(delta.new_file)) return false;
  // Same content under a new mode or name: libgit2 decides what such a patch holds.
  if (exists(delta.old_file) && exists(delta.new_file) && git_oid_equal(&delta.old_file.id, &delta.new_file.id)) {
    return false;
  }
  if (!drivers_->is_default(repo_, delta.old_file.path) || !drivers_->is_default(repo_, delta.new_file.path)) {
    return false;
  }
  const auto odb = repo_.object_database();
  // Only new sides are kept: a later commit's old side is one of them.
  const auto old_side = read_side(repo_, odb.get(), delta.old_file, recent_.get(), false);
  const auto new_side = read_side(repo_, odb.get(), delta.new_file, recent_.get(), true);
  if (!old_side || !new_side) return false;
  if (question_ && exists(delta.new_file)) {
    change.new_size = static_cast<std::int64_t>(new_side->text.size());
    change.new_content_answer = question_(delta.new_file.path, new_side->text);
  }
  if (looks_binary(old_side->text) || looks_binary(new_side->text)) {
    change.is_binary = true;
    return true;
  }
  const auto counts = counts_or_xdiff_equivalent(old_side->text, new_side->text);
  const auto* forced = std::get_if<LineCount>(&counts);
  const LineCount found = forced ? *forced : xdiff_line_counts(std::get<XdiffEquivalent>(counts));
  change.lines_added = found.added;
  change.lines_removed = found.removed;
  return true;
}

bool CommitReader::lacks_a_blob(const git_diff_delta& delta) const {
  return blob_missing_from(repo_.object_database().get(), delta);
}

bool CommitReader::lacks_a_blob(const git_diff* diff) const {
  const auto odb = repo_.object_database();
  for (std::size_t i = 0, n = git_diff_num_deltas(diff); i < n; ++i) {
    if (blob_missing_from(odb.get(), *git_diff_get_delta(diff, i))) return true;
  }
  return false;
}

void CommitReader::count_lines(git_diff* diff, std::size_t index, FileChange& change) const {
  const git_diff_delta* delta = git_diff_get_delta(diff, index);
  // A submodule is a commit id, not content.
  if (delta->old_file.mode == GIT_FILEMODE_COMMIT || delta->new_file.mode == GIT_FILEMODE_COMMIT) return;
  // The separator keeps "added X" (":X") apart from "deleted X" ("X:").
  const auto key = change.old_blob.value_or("") + ":" + change.new_blob.value_or("");
  if (const auto cached = line_counts_.find(key); cached != line_counts_.end()) {
    change.is_binary = cached->second.is_binary;
    change.lines_added = cached->second.lines_added;
    change.lines_removed = cached->second.lines_removed;
    if (question_) change.new_size = cached->second.new_size;
    return;
  }
  try {
    if (!count_lines_directly(*delta, change)) count_lines_uncached(diff, index, change);
  } catch (const Error&) {
    if (!partial_ || !lacks_a_blob(*delta)) throw;  // damage, which fails the commit
    change.content_missing = true;
    change.is_binary = false;
    change.lines_added = change.lines_removed = change.new_size = std::nullopt;
    change.new_content_answer = std::nullopt;
    return;  // not cached: the blob may be fetched before the next mine
  }
  // Bounded: forgetting everything now and then costs a few recomputations, never unbounded memory.
  if (line_counts_.size() >= kLineCountCacheSize) line_counts_.clear();
  line_counts_.emplace(key, LineCounts{change.is_binary, change.lines_added, change.lines_removed, change.new_size});
}


const char* to_string(ChangeStatus status) {
  switch (status) {
    case ChangeStatus::Added: return "added";
    case ChangeStatus::Modified: return "modified";
    case ChangeStatus::Deleted: return "deleted";
    case ChangeStatus::Renamed: return "renamed";
    case ChangeStatus::Copied: return "copied";
    case ChangeStatus::TypeChanged: return "type_changed";
  }
  return "modified";
}

CommitInfo CommitReader::info(const git_oid& oid) const {
  const auto commit = lookup_commit(repo_, oid);
  CommitInfo info;
  info.sha = to_hex(oid);
  for (unsigned i = 0, n = git_commit_parentcount(commit.get()); i < n; ++i) {
    info.parents.push_back(to_hex(*git_commit_parent_id(commit.get(), i)));
  }
  info.author = to_signature(git_commit_author(commit.get()));
  info.committer = to_signature(git_commit_committer(commit.get()));
  const char* message = git_commit_message_raw(commit.get());
  info.message = message ? message : "";
  return info;
}

std::vector<FileChange> CommitReader::changes(const git_oid& oid) const {
  const auto commit = lookup_commit(repo_, oid);
  git_tree* raw_tree = nullptr;
  check(git_commit_tree(&raw_tree, commit.get()), "cannot read tree of " + to_hex(oid));
  TreePtr tree(raw_tree);
  TreePtr parent_tree;
  if (git_commit_parentcount(commit.get()) > 0) {
    git_commit* raw_parent = nullptr;
    check(git_commit_parent(&raw_parent, commit.get(), 0), "cannot read first parent of " + to_hex(oid));
    CommitPtr parent(raw_parent);
    check(git_commit_tree(&raw_tree, parent.get()), "cannot read tree of parent of " + to_hex(oid));
    parent_tree.reset(raw_tree);
  }

  const auto options = counting_options();
  git_diff* raw_diff = nullptr;
  check(git_diff_tree_to_tree(&raw_diff, repo_.handle(), parent_tree.get(), tree.get(), &options),
        "cannot diff " + to_hex(oid));
  DiffPtr diff(raw_diff);

  if (worth_finding_similar(diff.get())) {
    git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
    // Renames only, as git does by default: copy detection compares every added file with every modified one
    // and tripled the cost of this step on the Keras history for a handful of copies.
    find.flags = GIT_DIFF_FIND_RENAMES;
    // libgit2's default, stated: left unset, it comes from diff.renameLimit in the git configuration (the
    // repository's, the user's, the system's), and the same history would be mined differently elsewhere.
    find.rename_limit = 1000;
    if (git_diff_find_similar(diff.get(), &find) < 0) {
      const auto what = "cannot detect renames in " + to_hex(oid);
      const auto error = what + ": " + last_error_message();  // before lacks_a_blob's calls replace it
      if (!partial_ || !lacks_a_blob(diff.get())) throw Error(error);
      // Comparing contents needs every candidate's blob: where a partial clone lacks one, only renames that keep
      // the blob unchanged are found (a file renamed and edited in such a commit is a deletion and an addition).
      find.flags |= GIT_DIFF_FIND_EXACT_MATCH_ONLY;
      check(git_diff_find_similar(diff.get(), &find), what);
    }
  }

  std::vector<FileChange> changes;
  const std::size_t n = git_diff_num_deltas(diff.get());
  changes.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto change = describe(*git_diff_get_delta(diff.get(), i));
    count_lines(diff.get(), i, change);
    changes.push_back(std::move(change));
  }
  return changes;
}

}  // namespace hm::git

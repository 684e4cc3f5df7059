#pragma once
// What one commit says: its metadata, and its file changes against its first parent (for a merge, the changes
// the merge brought into the mainline, as `git log -m --first-parent` shows them).
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "git/recent_texts.hpp"
#include "git/repository.hpp"

namespace hm::git {

struct Signature {
  std::string name;
  std::string email;
  std::int64_t time = 0;      // Unix seconds
  int tz_offset_minutes = 0;  // offset from UTC
};

struct CommitInfo {
  std::string sha;
  std::vector<std::string> parents;
  Signature author;
  Signature committer;
  std::string message;
};

enum class ChangeStatus { Added, Modified, Deleted, Renamed, Copied, TypeChanged };
const char* to_string(ChangeStatus status);

struct FileChange {
  ChangeStatus status = ChangeStatus::Modified;
  std::optional<std::string> old_path;  // absent when added
  std::optional<std::string> new_path;  // absent when deleted
  std::optional<std::string> old_blob;
  std::optional<std::string> new_blob;
  std::optional<std::int64_t> old_mode;
  std::optional<std::int64_t> new_mode;
  std::optional<int> similarity;  // renames and copies only
  bool is_binary = false;
  std::optional<std::int64_t> lines_added;  // absent for binary files, submodules and missing content
  std::optional<std::int64_t> lines_removed;
  // A partial clone's filter left a blob of the change out (Repository::is_partial_clone): it is still a change,
  // but its line counts (and, for Python, its analysis) are unknown.
  bool content_missing = false;
  // When the reader read the new blob (for its line counts) and was given a question for it
  // (CommitReader::ask_of_new_content): the blob's size and the answer.
  std::optional<std::int64_t> new_size;
  std::optional<bool> new_content_answer;
};

// Which paths take libgit2's default diff driver (their "diff" attribute is unspecified), for all the readers of
// one repository on any thread: attributes do not change while a history is read, and each lookup costs a dozen
// system calls.
class DiffDrivers {
 public:
  bool is_default(const Repository& repo, const char* path);

 private:
  static constexpr std::size_t kCapacity = 1 << 20;  // paths; forgetting them all now and then only costs time
  std::mutex mutex_;
  std::unordered_map<std::string, bool> by_path_;
};

class CommitReader {
 public:
  // Readers of one repository on several threads may share `drivers` and `recent` (the texts of the new blobs
  // they read, where the line counts of later commits find their old blobs).
  explicit CommitReader(const Repository& repo, std::shared_ptr<DiffDrivers> drivers = std::make_shared<DiffDrivers>(),
                        std::shared_ptr<RecentTexts> recent = std::make_shared<RecentTexts>())
      : repo_(repo), drivers_(std::move(drivers)), recent_(std::move(recent)), partial_(repo.is_partial_clone()) {}
  const std::shared_ptr<DiffDrivers>& drivers() const { return drivers_; }
  const std::shared_ptr<RecentTexts>& recent() const { return recent_; }
  // A question asked of every new blob the reader reads anyway, so that its caller need not read it again for it.
  using ContentQuestion = std::function<bool(std::string_view path, std::string_view content)>;
  void ask_of_new_content(ContentQuestion question) { question_ = std::move(question); }

  CommitInfo info(const git_oid& oid) const;
  // Throws hm::Error when a tree or blob cannot be read (a corrupt or missing object), except for the blobs a
  // partial clone lacks by design (FileChange::content_missing).
  std::vector<FileChange> changes(const git_oid& oid) const;

 private:
  struct LineCounts {
    bool is_binary;
    std::optional<std::int64_t> lines_added;
    std::optional<std::int64_t> lines_removed;
    std::optional<std::int64_t> new_size;  // known on a cache hit too: the walk sizes its windows by it
  };
  static constexpr std::size_t kLineCountCacheSize = 100'000;

  void count_lines(git_diff* diff, std::size_t index, FileChange& change) const;
  bool count_lines_directly(const git_diff_delta& delta, FileChange& change) const;
  bool lacks_a_blob(const git_diff_delta& delta) const;
  bool lacks_a_blob(const git_diff* diff) const;

  const Repository& repo_;
  std::shared_ptr<DiffDrivers> drivers_;
  std::shared_ptr<RecentTexts> recent_;
  ContentQuestion question_;
  bool partial_;  // Repository::is_partial_clone
  // Line counts by (old blob, new blob): a merge diffed against its first parent repeats the file diffs of the
  // branch it merges, and those diffs are the most expensive part of reading a commit.
  mutable std::unordered_map<std::string, LineCounts> line_counts_;
};

}  // namespace hm::git

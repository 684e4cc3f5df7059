#pragma once
// The blobs a history walk read last, by id, up to a byte budget (least recently used go first). A commit's new
// version of a file is the old version of the next commit that changes it, so a walk that diffs every change reads
// most blobs twice; libgit2 inflates and undeltifies them again each time, and its own object cache, which evicts
// at random, needed a gigabyte to help (bench/README.md).
#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "git/handles.hpp"
#include "git/repository.hpp"

namespace hm::git {

class RecentBlobs {
 public:
  RecentBlobs(const Repository& repo, std::size_t byte_budget) : repo_(repo), budget_(byte_budget) {}

  // The blob (a handle of the caller's own). Throws hm::Error "<what>: <libgit2's reason>" when it cannot be read.
  BlobPtr get(const git_oid& id, std::string_view what);

  std::size_t bytes() const { return bytes_; }

 private:
  struct Entry {
    std::string key;  // the raw id bytes
    BlobPtr blob;
    std::size_t size;
  };
  const Repository& repo_;
  std::size_t budget_;
  std::size_t bytes_ = 0;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> by_id_;
};

}  // namespace hm::git

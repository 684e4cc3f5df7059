#pragma once
// RAII ownership of libgit2 objects and the library's global state, and the one place libgit2 return codes are
// turned into hm::Error (with libgit2's own message, which names the object or path at fault).
#include <git2.h>

#include <memory>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace hm::git {

// libgit2 keeps global state (thread-local error buffers, TLS, caches) that must be set up before any call.
// Create one Library in main() (and in tests); nested instances are reference counted by libgit2.
class Library {
 public:
  Library() {
    git_libgit2_init();
    // Re-hashing every object read costs a large share of a history walk; zlib's own checksum still
    // catches corrupt objects, which then fail with a clear error.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    use_memset_calloc();
    read_partial_clones();
  }
  ~Library() { git_libgit2_shutdown(); }
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

 private:
  // libgit2 takes every inflated object's buffer from calloc. jemalloc zeroes a reused large block by handing
  // its pages back to the kernel (madvise) and faulting them in again: in a Keras mine, 8,000 madvise calls, each
  // a TLB shootdown on every core, and their page faults. memset costs less (the buffer is written whole next).
  static void use_memset_calloc();
  // A partial clone made by a git that marks it with extensions.partialclone (repository format 1) is opened:
  // libgit2 refuses extensions it does not know, and the miner reads the blobs such a clone lacks as missing
  // (Repository::is_partial_clone).
  static void read_partial_clones();
};

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept { Free(p); }
};

using RepositoryPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using DiffPtr = std::unique_ptr<git_diff, Deleter<git_diff, git_diff_free>>;
using PatchPtr = std::unique_ptr<git_patch, Deleter<git_patch, git_patch_free>>;
using RevwalkPtr = std::unique_ptr<git_revwalk, Deleter<git_revwalk, git_revwalk_free>>;
using ReferencePtr = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;
using ReferenceIteratorPtr =
    std::unique_ptr<git_reference_iterator, Deleter<git_reference_iterator, git_reference_iterator_free>>;
using BlobPtr = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;
using ObjectPtr = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using OdbPtr = std::unique_ptr<git_odb, Deleter<git_odb, git_odb_free>>;
using RemotePtr = std::unique_ptr<git_remote, Deleter<git_remote, git_remote_free>>;
using ConfigPtr = std::unique_ptr<git_config, Deleter<git_config, git_config_free>>;
using ConfigIteratorPtr = std::unique_ptr<git_config_iterator, Deleter<git_config_iterator, git_config_iterator_free>>;

// Throws hm::Error("<what>: <libgit2 message>") when rc < 0; returns rc otherwise.
int check(int rc, std::string_view what);

// The last libgit2 error message, or a generic text when libgit2 has none.
std::string last_error_message();

std::string to_hex(const git_oid& oid);
// The object id written in hex (40 digits); throws hm::Error for anything else.
git_oid oid_from_hex(const std::string& hex);

}  // namespace hm::git

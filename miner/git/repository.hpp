#pragma once
// An opened git repository and the refs a mine starts from.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "git/handles.hpp"

namespace hm::git {

struct RefTip {
  std::string name;  // e.g. refs/heads/main, refs/tags/v1.0, or HEAD when detached
  git_oid target;    // the commit it points to (tags are peeled)
};

class Repository {
 public:
  // Opens a repository at exactly `path` (a work tree or a git directory, bare or not); never searches parents,
  // so a typo'd sub-folder of some repository is reported instead of silently mining the enclosing one.
  static Repository open(const std::filesystem::path& path);

  git_repository* handle() const noexcept { return repo_.get(); }
  std::filesystem::path git_dir() const;

  // The default branch: what HEAD points to (refs/heads/main), "HEAD" when detached, nullopt when the
  // repository has no commits yet.
  std::optional<RefTip> default_branch() const;

  // Every branch (local and remote-tracking) and tag that leads to a commit, sorted by name. Tags pointing to
  // trees or blobs are skipped: they hold no history.
  std::vector<RefTip> all_ref_tips() const;

  bool has_object(const git_oid& oid) const;
  OdbPtr object_database() const;
  // Whether the object database holds the object, without reading it, and without rescanning the pack directory
  // when it does not (libgit2 rescans at every miss otherwise): for many look-ups of objects a partial clone may
  // lack. Packs added since the repository was opened may be missed.
  bool holds_object(const git_oid& oid) const;

  // Whether it is a partial clone (`git clone --filter=blob:limit=1m`): a remote is its promisor, and blobs the
  // filter left out are missing by design, to be fetched on demand by git (libgit2 cannot).
  bool is_partial_clone() const;

  // The URL of the remote called `name` as configured, nullopt when there is no such remote.
  std::optional<std::string> remote_url(const std::string& name) const;

 private:
  explicit Repository(RepositoryPtr repo) : repo_(std::move(repo)) {}
  RepositoryPtr repo_;
};

}  // namespace hm::git

#include "git/repository.hpp"

#include <algorithm>
#include <cstring>

namespace hm::git {

Repository Repository::open(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw Error("no such path: " + path.string());
  if (!std::filesystem::is_directory(path, ec)) throw Error("not a directory: " + path.string());
  git_repository* raw = nullptr;
  const int rc = git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  RepositoryPtr repo(raw);
  if (rc == GIT_ENOTFOUND) throw Error("not a git repository: " + path.string());
  check(rc, "cannot open repository " + path.string());
  return Repository(std::move(repo));
}

std::filesystem::path Repository::git_dir() const { return git_repository_path(repo_.get()); }

std::optional<RefTip> Repository::default_branch() const {
  git_reference* raw_head = nullptr;
  const int rc = git_repository_head(&raw_head, repo_.get());
  ReferencePtr head(raw_head);
  if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) return std::nullopt;
  check(rc, "cannot resolve HEAD");
  git_object* raw_commit = nullptr;
  check(git_reference_peel(&raw_commit, head.get(), GIT_OBJECT_COMMIT), "HEAD does not point to a commit");
  ObjectPtr commit(raw_commit);
  const bool detached = git_repository_head_detached(repo_.get()) == 1;
  return RefTip{detached ? "HEAD" : git_reference_name(head.get()), *git_object_id(commit.get())};
}

std::vector<RefTip> Repository::all_ref_tips() const {
  git_reference_iterator* raw_iterator = nullptr;
  check(git_reference_iterator_new(&raw_iterator, repo_.get()), "cannot list references");
  ReferenceIteratorPtr iterator(raw_iterator);
  std::vector<RefTip> tips;
  git_reference* raw_ref = nullptr;
  while (git_reference_next(&raw_ref, iterator.get()) == 0) {
    ReferencePtr ref(raw_ref);
    const std::string name = git_reference_name(ref.get());
    const bool wanted = name.starts_with("refs/heads/") || name.starts_with("refs/remotes/") ||
                        name.starts_with("refs/tags/");
    // refs/remotes/origin/HEAD is a symbolic alias of a branch that is listed anyway.
    if (!wanted || git_reference_type(ref.get()) == GIT_REFERENCE_SYMBOLIC) continue;
    git_object* raw_commit = nullptr;
    if (git_reference_peel(&raw_commit, ref.get(), GIT_OBJECT_COMMIT) != 0) continue;
    ObjectPtr commit(raw_commit);
    tips.push_back({name, *git_object_id(commit.get())});
  }
  std::sort(tips.begin(), tips.end(), [](const RefTip& a, const RefTip& b) { return a.name < b.name; });
  return tips;
}

bool Repository::has_object(const git_oid& oid) const {
  git_object* raw = nullptr;
  const int rc = git_object_lookup(&raw, repo_.get(), &oid, GIT_OBJECT_ANY);
  ObjectPtr object(raw);
  return rc == 0;
}

OdbPtr Repository::object_database() const {
  git_odb* raw = nullptr;
  check(git_repository_odb(&raw, repo_.get()), "cannot open the object database of " + git_dir().string());
  return OdbPtr(raw);
}

bool Repository::holds_object(const git_oid& oid) const {
  return git_odb_exists_ext(object_database().get(), &oid, GIT_ODB_LOOKUP_NO_REFRESH) == 1;
}

bool Repository::is_partial_clone() const {
  git_config* raw = nullptr;
  check(git_repository_config_snapshot(&raw, repo_.get()), "cannot read the repository's configuration");
  const ConfigPtr config(raw);
  // git marks a partial clone by its promisor remote; older gits also by extensions.partialclone (format 1).
  git_config_iterator* raw_iterator = nullptr;
  const char* pattern = R"(^(remote\..*\.promisor|extensions\.partialclone)$)";
  check(git_config_iterator_glob_new(&raw_iterator, config.get(), pattern),
        "cannot read the repository's configuration");
  const ConfigIteratorPtr entries(raw_iterator);
  git_config_entry* entry = nullptr;
  while (git_config_next(&entry, entries.get()) == 0) {
    const std::string_view name = entry->name;
    int promisor = 0;
    if (name == "extensions.partialclone" || (git_config_parse_bool(&promisor, entry->value) == 0 && promisor)) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> Repository::remote_url(const std::string& name) const {
  git_remote* raw = nullptr;
  const int rc = git_remote_lookup(&raw, repo_.get(), name.c_str());
  RemotePtr remote(raw);
  // A missing or malformed remote section is no reason to fail a mine: the repository just has no such remote.
  if (rc < 0) return std::nullopt;
  const char* url = git_remote_url(remote.get());
  if (url == nullptr) return std::nullopt;
  return std::string(url);
}

}  // namespace hm::git

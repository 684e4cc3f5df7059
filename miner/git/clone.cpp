#include "git/clone.hpp"

#include <unistd.h>

#include <string>

namespace hm::git {
namespace {

constexpr const char* kBranches = "+refs/heads/*:refs/heads/*";

int on_transfer(const git_indexer_progress* stats, void* payload) {
  const auto* progress = static_cast<const TransferProgress*>(payload);
  if (progress && *progress) (*progress)(stats->received_objects, stats->total_objects);
  return 0;
}

// A bare clone whose branches are the remote's branches, so the default walk (HEAD) and --all-refs see exactly
// what the remote has.
int create_mirror_remote(git_remote** out, git_repository* repo, const char* name, const char* url, void*) {
  return git_remote_create_with_fetchspec(out, repo, name, url, kBranches);
}

void set_callbacks(git_remote_callbacks& callbacks, const TransferProgress& progress) {
  callbacks.transfer_progress = on_transfer;
  callbacks.payload = const_cast<TransferProgress*>(&progress);
}

// libgit2 does not point a bare clone's HEAD at the remote's default branch when the fetch refspec is custom,
// so ask the remote which branch its HEAD names and point ours there (also after fetches: it can change).
void adopt_remote_head(git_repository* repo, git_remote* remote, const TransferProgress& progress) {
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  set_callbacks(callbacks, progress);
  check(git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr),
        std::string("cannot connect to ") + git_remote_url(remote));
  git_buf branch = GIT_BUF_INIT;
  const int rc = git_remote_default_branch(&branch, remote);
  std::string name = rc == 0 && branch.ptr ? branch.ptr : "";
  git_buf_dispose(&branch);
  git_remote_disconnect(remote);
  if (rc == GIT_ENOTFOUND || name.empty()) return;  // an empty remote has no default branch yet
  check(rc, "cannot read the default branch of " + std::string(git_remote_url(remote)));
  check(git_repository_set_head(repo, name.c_str()), "cannot set HEAD to " + name);
  // The clone leaves a stray refs/remotes/origin/HEAD; our refs mirror the remote's branches directly.
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo, "refs/remotes/origin/HEAD") == 0) {
    ReferencePtr stray(raw);
    git_reference_delete(stray.get());
  }
}

Repository fetch(const std::string& url, const std::filesystem::path& destination,
                 const TransferProgress& progress) {
  auto repo = Repository::open(destination);
  git_remote* raw = nullptr;
  check(git_remote_lookup(&raw, repo.handle(), "origin"), "cached clone " + destination.string() + " has no origin");
  RemotePtr remote(raw);
  const char* cached_url = git_remote_url(remote.get());
  if (cached_url == nullptr || url != cached_url) {
    throw Error("cached clone " + destination.string() + " is of " + (cached_url ? cached_url : "?") +
                ", not " + url + "; remove it or use another --cache-dir");
  }
  git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
  set_callbacks(options.callbacks, progress);
  options.prune = GIT_FETCH_PRUNE;
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
  check(git_remote_fetch(remote.get(), nullptr, &options, "hybridminer fetch"), "cannot fetch " + url);
  adopt_remote_head(repo.handle(), remote.get(), progress);
  return repo;
}

Repository clone(const std::string& url, const std::filesystem::path& destination,
                 const TransferProgress& progress) {
  std::filesystem::create_directories(destination.parent_path());
  auto temporary = destination;
  temporary += ".partial-" + std::to_string(::getpid());
  std::filesystem::remove_all(temporary);

  git_clone_options options = GIT_CLONE_OPTIONS_INIT;
  options.bare = 1;
  options.remote_cb = create_mirror_remote;
  options.fetch_opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
  set_callbacks(options.fetch_opts.callbacks, progress);
  git_repository* raw = nullptr;
  const int rc = git_clone(&raw, url.c_str(), temporary.c_str(), &options);
  RepositoryPtr cloned(raw);
  if (rc < 0) {
    const auto message = last_error_message();
    cloned.reset();
    std::error_code ignored;
    std::filesystem::remove_all(temporary, ignored);
    throw Error("cannot clone " + url + ": " + message);
  }
  {
    git_remote* raw_remote = nullptr;
    check(git_remote_lookup(&raw_remote, cloned.get(), "origin"), "clone of " + url + " has no origin");
    RemotePtr remote(raw_remote);
    adopt_remote_head(cloned.get(), remote.get(), progress);
  }
  cloned.reset();
  std::filesystem::rename(temporary, destination);
  return Repository::open(destination);
}

}  // namespace

Repository clone_or_fetch(const std::string& url, const std::filesystem::path& destination,
                          const TransferProgress& progress) {
  std::error_code ec;
  if (std::filesystem::exists(destination, ec)) return fetch(url, destination, progress);
  return clone(url, destination, progress);
}

}  // namespace hm::git

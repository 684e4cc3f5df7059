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

#include "git/clone.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace hm::git {
namespace {

constexpr const char* kBranches = "+refs/heads/*:refs/heads/*";
constexpr int kTries = 3;

// A failure that trying again may cure: the network, a 5xx, a reset connection.
class TransientError : public Error {
 public:
  using Error::Error;
};

// What libgit2's callbacks need during one clone or fetch.
struct CallbackContext {
  const TransferProgress* progress = nullptr;
  std::optional<std::string> token;
  std::vector<std::string> token_prefixes;  // URLs starting with one of these get the token
  int credential_calls = 0;
};

CallbackContext make_context(const TransferProgress& progress) {
  CallbackContext context;
  context.progress = &progress;
  if (const char* token = std::getenv("GITHUB_TOKEN"); token != nullptr && *token != '\0') context.token = token;
  context.token_prefixes.push_back("https://github.com/");
  // GitHub Enterprise (and the tests): GITHUB_SERVER_URL, as GitHub Actions sets it.
  if (const char* server = std::getenv("GITHUB_SERVER_URL"); server != nullptr && *server != '\0') {
    std::string prefix = server;
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    context.token_prefixes.push_back(prefix + "/");
  }
  return context;
}

int on_transfer(const git_indexer_progress* stats, void* payload) {
  const auto* context = static_cast<const CallbackContext*>(payload);
  if (context->progress && *context->progress) (*context->progress)(stats->received_objects, stats->total_objects);
  return 0;
}

// GitHub takes a token as the password of any user name over https ("x-access-token" by convention). Offered
// once: a second call means the token was refused, and answering again would loop forever.
int on_credentials(git_credential** out, const char* url, const char*, unsigned int allowed, void* payload) {
  auto* context = static_cast<CallbackContext*>(payload);
  const std::string target = url ? url : "";
  const bool applies = std::any_of(context->token_prefixes.begin(), context->token_prefixes.end(),
                                    [&](const std::string& prefix) { return target.starts_with(prefix); });
  if (!context->token || !applies || (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) == 0) return GIT_PASSTHROUGH;
  if (++context->credential_calls > 1) {
    git_error_set_str(GIT_ERROR_NET, "the token in GITHUB_TOKEN was refused");
    return GIT_EAUTH;
  }
  return git_credential_userpass_plaintext_new(out, "x-access-token", context->token->c_str());
}

bool is_transient(int rc, const std::string& message) {
  if (rc == GIT_EAUTH || rc == GIT_ECERTIFICATE || rc == GIT_EUSER) return false;
  const git_error* error = git_error_last();
  if (error == nullptr) return false;
  if (error->klass != GIT_ERROR_NET && error->klass != GIT_ERROR_HTTP && error->klass != GIT_ERROR_SSL &&
      error->klass != GIT_ERROR_OS) {
    return false;
  }
  // A 4xx (a missing or private repository) stays that way; a 5xx or no answer at all may not.
  const auto status = message.find("status code: ");
  return status == std::string::npos || message.compare(status + 13, 1, "4") != 0;
}

[[noreturn]] void fail(int rc, const std::string& what) {
  const auto message = last_error_message();
  if (is_transient(rc, message)) throw TransientError(what + ": " + message);
  throw Error(what + ": " + message);
}

std::chrono::milliseconds retry_delay(int attempt) {
  std::chrono::milliseconds delay(2000LL << (attempt - 1));
  if (const char* cap = std::getenv("HM_GITHUB_MAX_SLEEP_MS"); cap != nullptr && *cap != '\0') {
    delay = std::min(delay, std::chrono::milliseconds(std::strtoll(cap, nullptr, 10)));
  }
  return delay;
}

// A bare clone whose branches are the remote's branches, so the default walk (HEAD) and --all-refs see exactly
// what the remote has.
int create_mirror_remote(git_remote** out, git_repository* repo, const char* name, const char* url, void*) {
  return git_remote_create_with_fetchspec(out, repo, name, url, kBranches);
}

void set_callbacks(git_remote_callbacks& callbacks, CallbackContext& context) {
  callbacks.transfer_progress = on_transfer;
  callbacks.credentials = on_credentials;
  callbacks.payload = &context;
}

// libgit2 does not point a bare clone's HEAD at the remote's default branch when the fetch refspec is custom,
// so ask the remote which branch its HEAD names and point ours there (also after fetches: it can change).
void adopt_remote_head(git_repository* repo, git_remote* remote, const TransferProgress& progress) {
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  auto context = make_context(progress);
  set_callbacks(callbacks, context);
  if (const int rc = git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr); rc < 0) {
    fail(rc, std::string("cannot connect to ") + git_remote_url(remote));
  }
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
  auto context = make_context(progress);
  set_callbacks(options.callbacks, context);
  options.prune = GIT_FETCH_PRUNE;
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
  if (const int rc = git_remote_fetch(remote.get(), nullptr, &options, "hybridminer fetch"); rc < 0) {
    fail(rc, "cannot fetch " + url);
  }
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
  auto context = make_context(progress);
  set_callbacks(options.fetch_opts.callbacks, context);
  git_repository* raw = nullptr;
  const int rc = git_clone(&raw, url.c_str(), temporary.c_str(), &options);
  RepositoryPtr cloned(raw);
  if (rc < 0) {
    const auto message = last_error_message();
    const bool transient = is_transient(rc, message);
    cloned.reset();
    std::error_code ignored;
    std::filesystem::remove_all(temporary, ignored);
    if (transient) throw TransientError("cannot clone " + url + ": " + message);
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
  // Local (file://) transfers fail the same way every time; network ones are worth a few tries.
  const int tries = url.starts_with("file://") ? 1 : kTries;
  for (int attempt = 1;; ++attempt) {
    try {
      std::error_code ec;
      if (std::filesystem::exists(destination, ec)) return fetch(url, destination, progress);
      return clone(url, destination, progress);
    } catch (const TransientError& e) {
      if (attempt == tries) throw Error(std::string(e.what()) + " (gave up after " + std::to_string(tries) + " tries)");
      const auto delay = retry_delay(attempt);
      std::fprintf(stderr, "\nhybridminer: %s; retrying in %lld ms (try %d of %d)\n", e.what(),
                   static_cast<long long>(delay.count()), attempt, tries);
      std::this_thread::sleep_for(delay);
    }
  }
}

}  // namespace hm::git

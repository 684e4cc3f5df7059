#pragma once
// Remote repositories live as bare mirrors in the cache directory: cloned once, fetched on later runs.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>

#include "git/repository.hpp"

namespace hm::git {

// Called during transfers with objects received so far and the total (0 while unknown).
using TransferProgress = std::function<void(std::size_t received, std::size_t total)>;

// Clones `url` bare into `destination`, mapping the remote's branches and tags onto local ones
// (like `git clone --mirror` without the extra refs), or, when `destination` already holds such a clone,
// fetches into it. A clone goes to a temporary sibling folder first and is renamed into place when complete,
// so a killed clone never leaves a half repository behind. https URLs of github.com (and of $GITHUB_SERVER_URL)
// authenticate with $GITHUB_TOKEN when the server asks; network failures (no answer, 5xx) are tried 3 times
// with growing pauses (capped by $HM_GITHUB_MAX_SLEEP_MS, for tests), a 4xx or a refused token only once.
Repository clone_or_fetch(const std::string& url, const std::filesystem::path& destination,
                          const TransferProgress& progress = {});

}  // namespace hm::git

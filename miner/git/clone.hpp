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
// so a killed clone never leaves a half repository behind.
Repository clone_or_fetch(const std::string& url, const std::filesystem::path& destination,
                          const TransferProgress& progress = {});

}  // namespace hm::git

#pragma once
// What the user named on the command line, turned into repositories to mine.
//
//   /path/to/repo, ./repo         local repository (work tree or bare), read in place
//   file:///path/to/repo.git      cloned into the cache like any remote (handy for offline tests)
//   https://host/owner/name(.git) cloned into the cache; github.com URLs are normalised so that
//   owner/name                    ... this GitHub shorthand names the same repository
//   git@host:owner/name, ssh://   cloned into the cache over SSH
//   @corpus.txt                   one source a line; '#' starts a comment; relative paths are relative to the file
//
// A spec that exists as a local folder is always local, even when it looks like owner/name.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hm::corpus {

enum class SourceKind { Local, File, Http, Https, Ssh, GitHub };
const char* to_string(SourceKind kind);  // as stored in repositories.source_kind

struct Source {
  SourceKind kind = SourceKind::Local;
  std::string spec;  // as the user wrote it
  std::string url;   // canonical: absolute path for local sources, else the URL to clone
  std::string name;  // owner/name for GitHub, else the repository's folder name without .git (see
                     // github_full_name: the mine names a local clone of GitHub by its origin remote)

  bool is_remote() const noexcept { return kind != SourceKind::Local; }
};

// Parses one spec; relative local paths are resolved against `base_dir`. Throws hm::UsageError for specs that
// cannot name a repository (empty, unsupported URL scheme).
Source parse_source(std::string_view spec, const std::filesystem::path& base_dir);

// owner/name when `url` (a remote's URL, as git config holds it) names a repository on github.com: https, http,
// ssh and git URLs, and scp-like user@github.com:owner/name; nullopt for anything else.
std::optional<std::string> github_full_name(std::string_view url);

// Expands @corpus files and parses everything, dropping duplicates (same canonical url) but keeping order.
// Throws hm::UsageError when a corpus file cannot be read.
std::vector<Source> expand_sources(const std::vector<std::string>& specs, const std::filesystem::path& cwd);

// Where a remote source's bare clone lives inside the cache directory, e.g. CACHE/github.com/owner/name-1a2b3c4d.git
// (the suffix is a hash of the canonical url, so different urls never share a clone).
std::filesystem::path cache_path(const Source& source, const std::filesystem::path& cache_dir);

// The default cache directory: $XDG_CACHE_HOME/hybridminer, else ~/.cache/hybridminer, else ./.hybridminer-cache.
std::filesystem::path default_cache_dir();

}  // namespace hm::corpus

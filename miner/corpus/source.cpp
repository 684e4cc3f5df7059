#include "corpus/source.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>

#include "util/error.hpp"

namespace hm::corpus {
namespace {

std::string trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

std::string strip_git_suffix(std::string text) {
  while (!text.empty() && text.back() == '/') text.pop_back();
  if (text.size() > 4 && text.ends_with(".git")) text.resize(text.size() - 4);
  return text;
}

std::string last_component(std::string_view path) {
  const auto slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool looks_like_github_shorthand(std::string_view spec) {
  static const std::regex shorthand(R"(^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9_.-]+$)");
  return std::regex_match(spec.begin(), spec.end(), shorthand) && !spec.starts_with(".") &&
         last_component(spec) != "." && last_component(spec) != "..";
}

// owner/name from a GitHub path such as "owner/name.git" or "owner/name/tree/main"; nullopt when it names none.
std::optional<std::string> owner_and_name(const std::string& path) {
  const auto first_slash = path.find('/');
  if (first_slash == std::string::npos || first_slash == 0 || first_slash + 1 == path.size()) return std::nullopt;
  return strip_git_suffix(path.substr(0, path.find('/', first_slash + 1)));
}

Source github(std::string_view spec, const std::string& path) {
  const auto name = owner_and_name(path);
  if (!name) throw UsageError("GitHub URL names no repository (want owner/name): " + std::string(spec));
  return {SourceKind::GitHub, std::string(spec), "https://github.com/" + *name, *name};
}

Source local(std::string_view spec, const std::filesystem::path& base_dir) {
  std::filesystem::path path(spec);
  if (path.is_relative()) path = base_dir / path;
  path = std::filesystem::weakly_canonical(path);
  std::string name = path.filename().string();
  if (name == ".git") name = path.parent_path().filename().string();
  return {SourceKind::Local, std::string(spec), path.string(), strip_git_suffix(name)};
}

// scheme://host/path → kind, normalized url and name.
Source url_source(std::string_view spec) {
  const std::string text(spec);
  const auto scheme_end = text.find("://");
  const auto scheme = lowercase(text.substr(0, scheme_end));
  const auto rest = text.substr(scheme_end + 3);
  if (scheme == "file") {
    auto path = rest;
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    if (path.empty() || path == "/") throw UsageError("file URL names no repository: " + text);
    return {SourceKind::File, text, "file://" + path, strip_git_suffix(last_component(path))};
  }
  const auto slash = rest.find('/');
  const auto host = lowercase(rest.substr(0, slash));
  auto path = slash == std::string::npos ? std::string() : rest.substr(slash + 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (path.empty()) throw UsageError("URL names no repository: " + text);
  if ((scheme == "https" || scheme == "http") && (host == "github.com" || host == "www.github.com")) {
    return github(spec, path);
  }
  const auto kind = scheme == "https" ? SourceKind::Https : scheme == "http" ? SourceKind::Http : SourceKind::Ssh;
  if (scheme != "https" && scheme != "http" && scheme != "ssh" && scheme != "git") {
    throw UsageError("unsupported URL scheme '" + scheme + "' in " + text);
  }
  return {kind, text, scheme + "://" + host + "/" + path, strip_git_suffix(path)};
}

}  // namespace

const char* to_string(SourceKind kind) {
  switch (kind) {
    case SourceKind::Local: return "local";
    case SourceKind::File: return "file";
    case SourceKind::Http: return "http";
    case SourceKind::Https: return "https";
    case SourceKind::Ssh: return "ssh";
    case SourceKind::GitHub: return "github";
  }
  return "local";
}

Source parse_source(std::string_view raw_spec, const std::filesystem::path& base_dir) {
  const auto spec = trim(raw_spec);
  if (spec.empty()) throw UsageError("empty source");
  if (spec.find("://") != std::string::npos) return url_source(spec);
  // scp-like SSH syntax: user@host:path (no slash before the colon).
  static const std::regex scp(R"(^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(.+)$)");
  std::smatch match;
  if (std::regex_match(spec, match, scp)) {
    return {SourceKind::Ssh, spec, spec, strip_git_suffix(match[2].str())};
  }
  std::error_code ec;
  const std::filesystem::path as_path =
      std::filesystem::path(spec).is_relative() ? base_dir / spec : std::filesystem::path(spec);
  if (!std::filesystem::exists(as_path, ec) && looks_like_github_shorthand(spec)) return github(spec, spec);
  return local(spec, base_dir);
}

std::optional<std::string> github_full_name(std::string_view url) {
  // scheme://[user@]host/owner/name..., or scp-like user@host:owner/name...
  static const std::regex pattern(
      R"(^(?:(?:https?|ssh|git)://(?:[^@/]+@)?([^/:]+)(?::[0-9]+)?/)"  // scheme://[user@]host[:port]/
      R"(|[^@/:]+@([^/:]+):))"                                         // or user@host:
      R"((.*)$)",
      std::regex::icase);
  const std::string text = trim(url);
  std::smatch match;
  if (!std::regex_match(text, match, pattern)) return std::nullopt;
  const auto host = lowercase(match[1].matched ? match[1].str() : match[2].str());
  if (host != "github.com" && host != "www.github.com") return std::nullopt;
  const auto name = owner_and_name(match[3].str());
  if (!name || !looks_like_github_shorthand(*name)) return std::nullopt;
  return name;
}

std::vector<Source> expand_sources(const std::vector<std::string>& specs, const std::filesystem::path& cwd) {
  std::vector<Source> sources;
  std::set<std::string> seen;
  auto add = [&](Source source) {
    if (seen.insert(source.url).second) sources.push_back(std::move(source));
  };
  for (const auto& spec : specs) {
    if (!spec.starts_with("@")) {
      add(parse_source(spec, cwd));
      continue;
    }
    std::filesystem::path file(spec.substr(1));
    if (file.is_relative()) file = cwd / file;
    std::ifstream in(file);
    std::error_code ec;
    if (!in || std::filesystem::is_directory(file, ec)) throw UsageError("cannot read corpus file " + file.string());
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
      if (first && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);  // UTF-8 byte order mark
      first = false;
      const auto text = trim(line.substr(0, line.find('#')));
      if (!text.empty()) add(parse_source(text, file.parent_path()));
    }
  }
  return sources;
}

std::filesystem::path cache_path(const Source& source, const std::filesystem::path& cache_dir) {
  // CACHE/<host or "file">/<path>-<hash>.git: readable, never outside the cache (no "." or ".." segments), and
  // unique per canonical url (the hash tells apart http/https, "name" and "name.git", and whatever else the
  // sanitising merged).
  std::string key = source.url;
  const auto scheme_end = key.find("://");
  if (scheme_end != std::string::npos) key = key.substr(scheme_end + 3);
  if (source.kind == SourceKind::File) key = "file/" + key;
  std::vector<std::string> parts;
  std::string part;
  auto flush = [&] {
    if (!part.empty() && part.find_first_not_of('.') != std::string::npos) parts.push_back(part);
    part.clear();
  };
  for (const char c : key) {
    if (c == '/' || c == ':') {
      flush();
    } else {
      part += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ? c : '_';
    }
  }
  flush();
  if (parts.empty()) parts.emplace_back("repository");
  std::uint32_t hash = 2166136261u;  // FNV-1a of the canonical url
  for (const unsigned char c : source.url) hash = (hash ^ c) * 16777619u;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "-%08x.git", hash);
  std::filesystem::path result = cache_dir;
  for (const auto& segment : parts) result /= segment;
  result += suffix;
  return result;
}

std::filesystem::path default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "hybridminer";
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::filesystem::path(home) / ".cache" / "hybridminer";
  }
  return std::filesystem::current_path() / ".hybridminer-cache";
}

}  // namespace hm::corpus

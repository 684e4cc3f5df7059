#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "corpus/source.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using hm::corpus::cache_path;
using hm::corpus::expand_sources;
using hm::corpus::parse_source;
using hm::corpus::Source;
using hm::corpus::SourceKind;

namespace {

// True when `path` is `dir` itself or lies inside it, compared lexically after normalisation.
bool is_inside(const fs::path& path, const fs::path& dir) {
  const auto relative = path.lexically_normal().lexically_relative(dir.lexically_normal());
  if (relative.empty()) return false;
  const auto first = *relative.begin();
  return first != ".." && relative.is_relative();
}

}  // namespace

TEST_CASE("parse_source: empty and blank specs are usage errors", "[corpus]") {
  hm::test::TempDir dir;
  CHECK_THROWS_AS(parse_source("", dir.path()), hm::UsageError);
  CHECK_THROWS_AS(parse_source("   \t ", dir.path()), hm::UsageError);
}

TEST_CASE("parse_source: unsupported URL schemes are usage errors", "[corpus]") {
  hm::test::TempDir dir;
  CHECK_THROWS_AS(parse_source("ftp://example.org/owner/repo.git", dir.path()), hm::UsageError);
  CHECK_THROWS_AS(parse_source("svn://example.org/repo", dir.path()), hm::UsageError);
  CHECK_THROWS_WITH(parse_source("ftp://example.org/owner/repo.git", dir.path()), Catch::Contains("ftp"));
}

TEST_CASE("parse_source: a URL without a repository path is a usage error", "[corpus]") {
  hm::test::TempDir dir;
  CHECK_THROWS_AS(parse_source("https://example.org", dir.path()), hm::UsageError);
  CHECK_THROWS_AS(parse_source("https://example.org/", dir.path()), hm::UsageError);
}

TEST_CASE("parse_source: GitHub shorthand when no such local folder exists", "[corpus]") {
  hm::test::TempDir dir;
  const auto source = parse_source("keras-team/keras", dir.path());
  CHECK(source.kind == SourceKind::GitHub);
  CHECK(source.spec == "keras-team/keras");
  CHECK(source.url == "https://github.com/keras-team/keras");
  CHECK(source.name == "keras-team/keras");
  CHECK(source.is_remote());
  CHECK(std::string(hm::corpus::to_string(source.kind)) == "github");
}

TEST_CASE("parse_source: an existing local folder named like owner/name is local", "[corpus]") {
  hm::test::TempDir dir;
  fs::create_directories(dir / "keras-team" / "keras");
  const auto source = parse_source("keras-team/keras", dir.path());
  CHECK(source.kind == SourceKind::Local);
  CHECK_FALSE(source.is_remote());
  CHECK(source.url == fs::weakly_canonical(dir / "keras-team" / "keras").string());
  CHECK(source.name == "keras");
  CHECK(std::string(hm::corpus::to_string(source.kind)) == "local");
}

TEST_CASE("parse_source: GitHub https URLs normalise to the shorthand's url", "[corpus]") {
  hm::test::TempDir dir;
  const auto shorthand = parse_source("pytorch/vision", dir.path());
  for (const char* spec : {"https://github.com/pytorch/vision", "https://github.com/pytorch/vision.git",
                           "https://github.com/pytorch/vision/", "https://www.github.com/pytorch/vision",
                           "HTTPS://GitHub.com/pytorch/vision.git", "http://github.com/pytorch/vision"}) {
    INFO(spec);
    const auto source = parse_source(spec, dir.path());
    CHECK(source.kind == SourceKind::GitHub);
    CHECK(source.url == shorthand.url);
    CHECK(source.name == "pytorch/vision");
    CHECK(source.spec == spec);
  }
  CHECK(shorthand.url == "https://github.com/pytorch/vision");
}

TEST_CASE("parse_source: other https hosts keep their path", "[corpus]") {
  hm::test::TempDir dir;
  const auto source = parse_source("https://GitLab.com/group/project.git", dir.path());
  CHECK(source.kind == SourceKind::Https);
  CHECK(source.url == "https://gitlab.com/group/project.git");
  CHECK(source.name == "group/project");
  CHECK(std::string(hm::corpus::to_string(source.kind)) == "https");

  const auto http = parse_source("http://example.org/repo", dir.path());
  CHECK(http.kind == SourceKind::Http);
  CHECK(http.url == "http://example.org/repo");
  CHECK(http.name == "repo");
}

TEST_CASE("parse_source: scp-like and ssh:// URLs are SSH sources", "[corpus]") {
  hm::test::TempDir dir;
  const auto scp = parse_source("git@github.com:owner/name.git", dir.path());
  CHECK(scp.kind == SourceKind::Ssh);
  CHECK(scp.url == "git@github.com:owner/name.git");
  CHECK(scp.name == "owner/name");
  CHECK(scp.is_remote());

  const auto ssh = parse_source("ssh://git@example.org/team/repo.git", dir.path());
  CHECK(ssh.kind == SourceKind::Ssh);
  CHECK(ssh.url == "ssh://git@example.org/team/repo.git");
  CHECK(ssh.name == "team/repo");
  CHECK(std::string(hm::corpus::to_string(ssh.kind)) == "ssh");
}

TEST_CASE("parse_source: file:// URLs are remote File sources", "[corpus]") {
  hm::test::TempDir dir;
  const auto source = parse_source("file:///srv/git/project.git/", dir.path());
  CHECK(source.kind == SourceKind::File);
  CHECK(source.url == "file:///srv/git/project.git");
  CHECK(source.name == "project");
  CHECK(source.is_remote());
  CHECK(std::string(hm::corpus::to_string(source.kind)) == "file");
}

TEST_CASE("parse_source: relative local paths resolve against the base folder", "[corpus]") {
  hm::test::TempDir dir;
  fs::create_directories(dir / "repos" / "alpha.git");
  const auto source = parse_source("./repos/alpha.git", dir.path());
  CHECK(source.kind == SourceKind::Local);
  CHECK(source.spec == "./repos/alpha.git");
  CHECK(source.url == fs::weakly_canonical(dir / "repos" / "alpha.git").string());
  CHECK(source.name == "alpha");

  // A .git folder is named after the work tree that holds it.
  fs::create_directories(dir / "beta" / ".git");
  const auto dot_git = parse_source("beta/.git", dir.path());
  CHECK(dot_git.kind == SourceKind::Local);
  CHECK(dot_git.name == "beta");
}

TEST_CASE("parse_source: absolute paths ignore the base folder", "[corpus]") {
  hm::test::TempDir dir;
  hm::test::TempDir other;
  fs::create_directories(dir / "gamma");
  const auto source = parse_source((dir / "gamma").string(), other.path());
  CHECK(source.kind == SourceKind::Local);
  CHECK(source.url == fs::weakly_canonical(dir / "gamma").string());
  CHECK(source.name == "gamma");
}

TEST_CASE("expand_sources: corpus files with comments, blanks, duplicates and relative paths", "[corpus]") {
  hm::test::TempDir dir;
  fs::create_directories(dir / "lists" / "local-repo");
  fs::create_directories(dir / "cwd-repo");
  {
    std::ofstream corpus(dir / "lists" / "corpus.txt");
    corpus << "# the study corpus\n"
              "\n"
              "keras-team/keras   # shorthand with a trailing comment\n"
              "   \t\n"
              "./local-repo\n"
              "https://github.com/keras-team/keras.git\n"  // duplicate of the first line
              "local-repo\n"                               // duplicate of ./local-repo
              "git@example.org:team/tool.git\r\n";
  }
  const auto sources =
      expand_sources({"cwd-repo", "@lists/corpus.txt", "keras-team/keras", "./cwd-repo"}, dir.path());
  REQUIRE(sources.size() == 4);
  CHECK(sources[0].kind == SourceKind::Local);
  CHECK(sources[0].url == fs::weakly_canonical(dir / "cwd-repo").string());
  CHECK(sources[1].kind == SourceKind::GitHub);
  CHECK(sources[1].url == "https://github.com/keras-team/keras");
  CHECK(sources[1].spec == "keras-team/keras");
  CHECK(sources[2].kind == SourceKind::Local);
  CHECK(sources[2].url == fs::weakly_canonical(dir / "lists" / "local-repo").string());
  CHECK(sources[2].name == "local-repo");
  CHECK(sources[3].kind == SourceKind::Ssh);
  CHECK(sources[3].url == "git@example.org:team/tool.git");
}

TEST_CASE("expand_sources: an absolute corpus file path works from any cwd", "[corpus]") {
  hm::test::TempDir dir;
  hm::test::TempDir elsewhere;
  fs::create_directories(dir / "repo");
  std::ofstream(dir / "corpus.txt") << "repo\n";
  const auto sources = expand_sources({"@" + (dir / "corpus.txt").string()}, elsewhere.path());
  REQUIRE(sources.size() == 1);
  CHECK(sources[0].kind == SourceKind::Local);
  CHECK(sources[0].url == fs::weakly_canonical(dir / "repo").string());
}

TEST_CASE("expand_sources: a missing corpus file is a usage error", "[corpus]") {
  hm::test::TempDir dir;
  CHECK_THROWS_AS(expand_sources({"@missing.txt"}, dir.path()), hm::UsageError);
}

TEST_CASE("expand_sources: a bad line in a corpus file is a usage error", "[corpus]") {
  hm::test::TempDir dir;
  std::ofstream(dir / "corpus.txt") << "owner/name\nftp://example.org/x/y\n";
  CHECK_THROWS_AS(expand_sources({"@corpus.txt"}, dir.path()), hm::UsageError);
}

TEST_CASE("expand_sources: no specs give no sources", "[corpus]") {
  hm::test::TempDir dir;
  CHECK(expand_sources({}, dir.path()).empty());
}

TEST_CASE("cache_path: readable paths inside the cache directory", "[corpus]") {
  hm::test::TempDir dir;
  const auto cache = dir / "cache";
  const auto keras = cache_path(parse_source("keras-team/keras", dir.path()), cache);
  CHECK(keras.parent_path() == cache / "github.com" / "keras-team");
  // name-<8 hex digits of the url's hash>.git
  CHECK(keras.filename().string().size() == std::string("keras-12345678.git").size());
  CHECK(keras.filename().string().starts_with("keras-"));
  CHECK(keras.extension() == ".git");
  const auto gitlab = cache_path(parse_source("https://gitlab.com/group/project.git", dir.path()), cache);
  CHECK(gitlab.parent_path() == cache / "gitlab.com" / "group");
  CHECK(gitlab.filename().string().starts_with("project"));
  CHECK(gitlab.extension() == ".git");
  const auto scp = cache_path(parse_source("git@example.org:team/tool.git", dir.path()), cache);
  CHECK(scp.parent_path() == cache / "git_example.org" / "team");
  CHECK(scp.filename().string().starts_with("tool"));
  const auto file = cache_path(parse_source("file:///srv/git/project.git", dir.path()), cache);
  CHECK(file.parent_path() == cache / "file" / "srv" / "git");
  CHECK(file.filename().string().starts_with("project"));
  // File and network sources with the same path never share a folder.
  CHECK(cache_path(parse_source("file:///github.com/owner/name", dir.path()), cache) !=
        cache_path(parse_source("owner/name", dir.path()), cache));
}

TEST_CASE("cache_path: GitHub shorthand and URL share one cache folder", "[corpus]") {
  hm::test::TempDir dir;
  const auto cache = dir / "cache";
  CHECK(cache_path(parse_source("owner/name", dir.path()), cache) ==
        cache_path(parse_source("https://github.com/owner/name.git", dir.path()), cache));
}

TEST_CASE("cache_path: never escapes the cache directory", "[corpus]") {
  hm::test::TempDir dir;
  const auto cache = dir / "cache";
  for (const char* spec : {"file:///../../etc", "file://../../etc/passwd", "file:///..", "ssh://host/../../x",
                           "https://example.org/a/../../../b", "git@host:../../x", "https://host/./../x/.."}) {
    INFO(spec);
    const auto path = cache_path(parse_source(spec, dir.path()), cache);
    CHECK(is_inside(path, cache));
    for (const auto& part : path.lexically_relative(cache)) {
      CHECK(part != "..");
      CHECK(part != ".");
    }
  }
  const auto etc = cache_path(parse_source("file:///../../etc", dir.path()), cache);
  CHECK(etc.parent_path() == cache / "file");
  CHECK(etc.filename().string().starts_with("etc-"));
}

TEST_CASE("cache_path: a URL made only of dot segments stays inside the cache directory", "[corpus]") {
  // Regression: with every segment "." or "..", ".git" used to be glued onto the cache directory's own name.
  hm::test::TempDir dir;
  const auto cache = dir / "cache";
  const auto path = cache_path(parse_source("https://../..", dir.path()), cache);
  INFO(path.string());
  CHECK(is_inside(path, cache));
}

TEST_CASE("default_cache_dir ends in hybridminer or the local fallback", "[corpus]") {
  const auto dir = hm::corpus::default_cache_dir();
  CHECK((dir.filename() == "hybridminer" || dir.filename() == ".hybridminer-cache"));
}

TEST_CASE("cache_path: distinct remote urls get distinct cache folders", "[corpus]") {
  // Regression: http:// and https:// of one host and path, and .../project vs .../project.git, used to share a
  // folder, and clone_or_fetch then refused the second because the cached clone's origin was the other URL.
  hm::test::TempDir dir;
  const auto cache = dir / "cache";
  const auto http = parse_source("http://example.org/team/repo", dir.path());
  const auto https = parse_source("https://example.org/team/repo", dir.path());
  REQUIRE(http.url != https.url);
  CHECK(cache_path(http, cache) != cache_path(https, cache));
  // Likewise a non-GitHub URL with and without .git (two urls, one folder).
  const auto plain = parse_source("https://gitlab.com/group/project", dir.path());
  const auto dotgit = parse_source("https://gitlab.com/group/project.git", dir.path());
  REQUIRE(plain.url != dotgit.url);
  CHECK(cache_path(plain, cache) != cache_path(dotgit, cache));
}

TEST_CASE("expand_sources: a folder given as a corpus file is a usage error", "[corpus]") {
  // std::ifstream opens a directory without failing on Linux: "@some_folder" (or "@" alone, the cwd) must not
  // read as an empty corpus.
  hm::test::TempDir dir;
  fs::create_directories(dir / "lists");
  CHECK_THROWS_AS(expand_sources({"@lists"}, dir.path()), hm::UsageError);
  CHECK_THROWS_AS(expand_sources({"@"}, dir.path()), hm::UsageError);
}

TEST_CASE("parse_source: a GitHub URL with a path beyond owner/name names that repository", "[corpus]") {
  hm::test::TempDir dir;
  const auto source = parse_source("https://github.com/keras-team/keras/tree/master", dir.path());
  CHECK(source.url == "https://github.com/keras-team/keras");
  CHECK(source.name == "keras-team/keras");
}

TEST_CASE("expand_sources: a UTF-8 byte order mark at the start of a corpus file is ignored", "[corpus]") {
  hm::test::TempDir dir;
  std::ofstream(dir / "corpus.txt") << "\xEF\xBB\xBFowner/name\n";
  const auto sources = expand_sources({"@corpus.txt"}, dir.path());
  REQUIRE(sources.size() == 1);
  CHECK(sources[0].url == "https://github.com/owner/name");
}

TEST_CASE("parse_source: URLs that name no repository are usage errors", "[corpus]") {
  // Neither names a repository.
  hm::test::TempDir dir;
  CHECK_THROWS_AS(parse_source("file://", dir.path()), hm::UsageError);
  CHECK_THROWS_AS(parse_source("https://github.com/owner", dir.path()), hm::UsageError);
}

TEST_CASE("github_full_name: owner/name of a remote URL on github.com, in every form git config holds", "[corpus]") {
  using hm::corpus::github_full_name;
  CHECK(github_full_name("https://github.com/keras-team/keras.git") == "keras-team/keras");
  CHECK(github_full_name("https://github.com/keras-team/keras") == "keras-team/keras");
  CHECK(github_full_name("http://www.GitHub.com/Owner/Name/") == "Owner/Name");
  CHECK(github_full_name("https://user:token@github.com/owner/name.git") == "owner/name");
  CHECK(github_full_name("https://github.com/owner/name/tree/main") == "owner/name");
  CHECK(github_full_name("git@github.com:google/jax.git") == "google/jax");
  CHECK(github_full_name("ssh://git@github.com:22/google/flax.git") == "google/flax");
  CHECK(github_full_name("git://github.com/apache/mxnet") == "apache/mxnet");
  CHECK(github_full_name(" https://github.com/a/b.git\n") == "a/b");
  // Not GitHub, or no repository named.
  CHECK_FALSE(github_full_name("https://gitlab.com/owner/name.git"));
  CHECK_FALSE(github_full_name("git@example.org:owner/name.git"));
  CHECK_FALSE(github_full_name("https://github.com.evil.org/owner/name"));
  CHECK_FALSE(github_full_name("https://github.com/owner"));
  CHECK_FALSE(github_full_name("https://github.com/owner/"));
  CHECK_FALSE(github_full_name("https://github.com//name"));
  CHECK_FALSE(github_full_name("/home/ada/github.com/owner/name"));
  CHECK_FALSE(github_full_name("file:///srv/github.com/owner/name.git"));
  CHECK_FALSE(github_full_name("../keras"));
  CHECK_FALSE(github_full_name(""));
}

// `hybridminer corpus ...` end to end: the binary against the fake GitHub API, asserting the exact rows.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "github/search.hpp"
#include "github_fixtures.hpp"
#include "support/db_rows.hpp"
#include "support/fake_github.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "util/time.hpp"

using hm::test::FakeGitHub;
using hm::test::FakeRequest;
using hm::test::FakeResponse;
using hm::test::hybridminer;
using hm::test::json_response;
using hm::test::rows;
using hm::test::single;
using hm::test::TempDir;

namespace {

const std::string kToken = "ghp_E2ESECRET0123456789abcdefghijklmnop";

// GitHub as far as corpus selection sees it: 1,300 repositories created over four years, every 10th a fork,
// every 15th archived, stars i % 50; /search/repositories honours created:, stars:>=, fork:true and
// archived:false like GitHub, /repos/org/NAME serves each one (with subscribers_count, as GitHub does).
struct FakeCorpus {
  struct Repo {
    std::string name;
    std::int64_t created;
    std::int64_t stars;
    bool fork;
    bool archived;
  };
  std::vector<Repo> repos;
  std::string base;

  FakeCorpus() {
    const auto start = hm::util::parse_date("2016-01-01");
    for (int i = 0; i < 1300; ++i) {
      repos.push_back({"org/repo" + std::to_string(i), start + static_cast<std::int64_t>(i) * 97'000, i % 50,
                       i % 10 == 0, i % 15 == 0});
    }
  }

  nlohmann::json json_of(std::size_t i) const {
    const auto& r = repos[i];
    return hm::test::gh::repository(r.name, static_cast<std::int64_t>(i) + 100, r.stars, hm::util::iso_utc(r.created),
                                    r.fork, r.archived);
  }

  FakeResponse search(const FakeRequest& request) const {
    const auto q = request.param("q");
    const auto range = q.substr(q.rfind("created:") + 8);
    const auto from = hm::util::parse_date(range.substr(0, range.find("..")));
    const auto to = hm::util::parse_date(range.substr(range.find("..") + 2));
    std::int64_t min_stars = 0;
    if (const auto at = q.find("stars:>="); at != std::string::npos) min_stars = std::stoll(q.substr(at + 8));
    const bool forks = q.find("fork:true") != std::string::npos;
    const bool no_archived = q.find("archived:false") != std::string::npos;
    std::vector<std::size_t> matches;
    for (std::size_t i = 0; i < repos.size(); ++i) {
      const auto& r = repos[i];
      if (r.created < from || r.created > to || r.stars < min_stars) continue;
      if ((r.fork && !forks) || (r.archived && no_archived)) continue;
      matches.push_back(i);
    }
    const int page = request.param("page").empty() ? 1 : std::stoi(request.param("page"));
    std::vector<nlohmann::json> items;
    for (auto k = static_cast<std::size_t>(page - 1) * 100; k < matches.size() && k < static_cast<std::size_t>(page) * 100; ++k) {
      auto item = json_of(matches[k]);
      item.erase("subscribers_count");  // search results do not carry it
      items.push_back(item);
    }
    auto response = json_response(hm::test::gh::search_envelope(static_cast<std::int64_t>(matches.size()), items).dump());
    if (static_cast<std::size_t>(page) * 100 < std::min<std::size_t>(matches.size(), 1000)) {
      response.headers.push_back({"Link", "<" + base + request.path + "?q=" + hm::github::url_encode(q) +
                                              "&per_page=100&page=" + std::to_string(page + 1) + ">; rel=\"next\""});
    }
    return response;
  }

  FakeResponse repo(const FakeRequest& request) const {
    const auto name = request.path.substr(std::string("/repos/").size());
    if (name == "org/broken") {
      auto json = json_of(1);
      json["full_name"] = "org/broken";
      json["stargazers_count"] = "lots";
      return json_response(json.dump());
    }
    for (std::size_t i = 0; i < repos.size(); ++i) {
      if (repos[i].name == name) {
        auto response = json_response(json_of(i).dump());
        response.headers.push_back({"ETag", "\"repo-" + std::to_string(i) + "\""});
        if (request.header("if-none-match") == "\"repo-" + std::to_string(i) + "\"") {
          response.status = 304;
          response.body.clear();
        }
        return response;
      }
    }
    return json_response("{\"message\": \"Not Found\", \"documentation_url\": \"https://docs.github.com/rest\"}", 404);
  }

  FakeResponse answer(const FakeRequest& request) const {
    if (request.path == "/search/repositories") return search(request);
    if (request.path.starts_with("/repos/")) return repo(request);
    return json_response("{\"message\": \"Not Found\"}", 404);
  }
};

std::map<std::string, std::string> environment(const FakeGitHub& server) {
  return {{"GITHUB_API_URL", server.base_url()}, {"GITHUB_TOKEN", kToken}, {"HM_GITHUB_MAX_SLEEP_MS", "0"}};
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t expected_selection(const FakeCorpus& corpus, std::int64_t min_stars) {
  std::size_t n = 0;
  for (const auto& r : corpus.repos) n += (!r.fork && !r.archived && r.stars >= min_stars) ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("corpus search splits dates past the cap and stores every repository with its metadata", "[github][e2e][corpus]") {
  TempDir tmp;
  FakeCorpus corpus;
  FakeGitHub server([&](const FakeRequest& request) { return corpus.answer(request); });
  corpus.base = server.base_url();
  const auto db = (tmp / "corpus.db").string();
  const auto result = hybridminer({"corpus", "search", "--db", db, "--language", "Python", "--min-stars", "5",
                                   "--created", "2016-01-01..2019-12-31", "tf.function"},
                                  environment(server));
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const auto expected = expected_selection(corpus, 5);
  REQUIRE(expected > 1000);  // so the range had to be split
  CHECK(single(db, "SELECT count(*) FROM corpus") == std::to_string(expected));
  CHECK(single(db, "SELECT count(*) FROM corpus_repositories WHERE is_fork = 1 OR is_archived = 1 OR stars < 5") == "0");
  CHECK(single(db, "SELECT kind, query, finished_at IS NOT NULL, repositories, incomplete FROM corpus_queries") ==
        "search_repositories|tf.function language:Python stars:>=5 archived:false|1|" + std::to_string(expected) + "|0");
  CHECK(single(db, "SELECT count(*) > 0 FROM corpus_search_slices WHERE status = 'split'") == "1");
  CHECK(single(db, "SELECT max(total_count) <= 1000 FROM corpus_search_slices WHERE status = 'done'") == "1");
  CHECK(rows(db, "SELECT r.url, r.name, r.source_kind, m.github_id, m.full_name, m.stars, m.forks, m.watchers, "
                 "m.open_issues, m.language, m.topics, m.license, m.default_branch, m.is_fork, m.is_archived, "
                 "m.created_at, m.pushed_at FROM repositories r JOIN repository_metadata m ON m.repository_id = r.id "
                 "WHERE r.name = 'org/repo7'") ==
        std::vector<std::string>{"https://github.com/org/repo7|org/repo7|github|107|org/repo7|7|9|NULL|0|Python|"
                                 "[\"octocat\",\"atom\",\"electron\",\"api\"]|MIT|master|0|0|2016-01-08T20:36:40Z|"
                                 "2011-01-26T19:06:43Z"});
  CHECK(single(db, "SELECT command, status, github_requests > 10 FROM runs") == "corpus|ok|1");
  CHECK(result.err.find("corpus search: " + std::to_string(expected) + " repositories selected") != std::string::npos);
  // The token went to the server and nowhere else.
  CHECK(server.requests().front().header("authorization") == "Bearer " + kToken);
  CHECK(slurp(db).find(kToken) == std::string::npos);
  CHECK(slurp(db + "-wal").find(kToken) == std::string::npos);
  CHECK(result.err.find(kToken) == std::string::npos);
}

TEST_CASE("an interrupted corpus search resumes with the slices it had not stored", "[github][e2e][corpus]") {
  TempDir tmp;
  FakeCorpus corpus;
  FakeGitHub server([&](const FakeRequest& request) { return corpus.answer(request); });
  corpus.base = server.base_url();
  const std::vector<std::string> search{"corpus", "search", "--min-stars", "1", "--created", "2016-01-01..2019-12-31"};
  auto args = search;
  args.insert(args.begin() + 2, {"--db", (tmp / "killed.db").string()});
  auto env = environment(server);
  env["HM_FAULT_KILL_AFTER_SEARCH_SLICES"] = "1";
  const auto killed = hybridminer(args, env);
  REQUIRE(killed.signal == 9);
  const auto killed_db = (tmp / "killed.db").string();
  CHECK(single(killed_db, "SELECT count(*) FROM corpus_queries WHERE finished_at IS NULL") == "1");
  const auto stored_before = std::stoll(single(killed_db, "SELECT count(*) FROM corpus"));
  CHECK(stored_before > 0);
  CHECK(single(killed_db, "SELECT count(*) FROM corpus_search_slices WHERE status = 'done'") == "1");

  const auto resumed = hybridminer(args, environment(server));
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(resumed.err.find("resuming the interrupted search (query 1)") != std::string::npos);
  auto fresh = search;
  fresh.insert(fresh.begin() + 2, {"--db", (tmp / "fresh.db").string()});
  REQUIRE(hybridminer(fresh, environment(server)).exit_code == 0);
  const std::string names = "SELECT r.name FROM corpus c JOIN repositories r ON r.id = c.repository_id ORDER BY r.name";
  CHECK(rows(killed_db, names) == rows((tmp / "fresh.db").string(), names));
  CHECK(single(killed_db, "SELECT count(*), min(finished_at IS NOT NULL) FROM corpus_queries") == "1|1");
  CHECK(single(killed_db, "SELECT count(*) FROM corpus") == std::to_string(expected_selection(corpus, 1)));
}

TEST_CASE("corpus add, import, list and export", "[github][e2e][corpus]") {
  TempDir tmp;
  FakeCorpus corpus;
  FakeGitHub server([&](const FakeRequest& request) { return corpus.answer(request); });
  corpus.base = server.base_url();
  const auto db = (tmp / "c.db").string();
  const auto env = environment(server);

  const auto added = hybridminer({"corpus", "add", "--db", db, "org/repo3", "https://github.com/org/missing"}, env);
  CHECK(added.exit_code == 1);
  CHECK(added.err.find("error: org/missing: GET " + server.base_url() + "/repos/org/missing: HTTP 404 Not Found\n") !=
        std::string::npos);
  CHECK(rows(db, "SELECT repository, stars, watchers, selected_by FROM corpus_repositories") ==
        std::vector<std::string>{"org/repo3|3|42|add: org/repo3 org/missing"});

  // A second add of the same repository revalidates it with its ETag: a 304 costs no quota.
  const auto again = hybridminer({"corpus", "add", "--db", db, "org/repo3"}, env);
  CHECK(again.exit_code == 0);
  CHECK(server.requests().back().header("if-none-match") == "\"repo-3\"");
  CHECK(single(db, "SELECT count(*), sum(etag = '\"repo-3\"') FROM http_cache") == "1|1");

  std::ofstream(tmp / "list.txt") << "# tf.function users\norg/repo4\n\nhttps://github.com/org/repo5.git  # a URL\n";
  const auto imported = hybridminer({"corpus", "import", "--db", db, (tmp / "list.txt").string()}, env);
  CHECK(imported.exit_code == 0);
  CHECK(imported.err.find("corpus import: 2 of 2 repositories added") != std::string::npos);

  std::ofstream(tmp / "bad.txt") << "org/repo6\nnot a repository\n";
  const auto bad = hybridminer({"corpus", "import", "--db", db, (tmp / "bad.txt").string()}, env);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "hybridminer: " + (tmp / "bad.txt").string() +
                       ":2: 'not a repository' is not a GitHub repository (owner/name or https://github.com/owner/name)\n");
  CHECK(single(db, "SELECT count(*) FROM corpus_queries") == "3");  // nothing of the bad file was stored

  const auto exported = hybridminer({"corpus", "export", "--db", db});
  CHECK(exported.exit_code == 0);
  CHECK(exported.out == "org/repo3\norg/repo4\norg/repo5\n");
  const auto listed = hybridminer({"corpus", "list", "--db", db, "--format", "csv"});
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.starts_with("repository,stars,forks,watchers,language,license,is_fork,is_archived,created_at,"
                               "pushed_at,selected_by,commits,issues\r\n"
                               "org/repo3,3,9,42,Python,MIT,0,0,2016-01-04T08:50:00Z,2011-01-26T19:06:43Z,"
                               "add: org/repo3 org/missing; add: org/repo3,0,0\r\n"));
}

TEST_CASE("a repository answer with a wrong type is a clear error and stores nothing", "[github][e2e][corpus]") {
  TempDir tmp;
  FakeCorpus corpus;
  FakeGitHub server([&](const FakeRequest& request) { return corpus.answer(request); });
  const auto db = (tmp / "c.db").string();
  const auto result = hybridminer({"corpus", "add", "--db", db, "org/broken"}, environment(server));
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("error: org/broken: unexpected GitHub response from " + server.base_url() +
                        "/repos/org/broken: field 'stargazers_count' is a string, not an integer\n") != std::string::npos);
  CHECK(single(db, "SELECT count(*) FROM repositories") == "0");
  CHECK(single(db, "SELECT count(*) FROM corpus") == "0");
}

TEST_CASE("corpus search --in commits selects the repositories of matching commits, filtered by metadata", "[github][e2e][corpus]") {
  TempDir tmp;
  // 1,200 commits mentioning tf.function, in 12 repositories (commit i in org/lib(i % 12)); org/lib0 is a fork,
  // org/lib1 archived, org/lib2 has 2 stars, the others 40.
  const auto start = hm::util::parse_date("2021-01-01");
  std::string base;
  FakeGitHub server([&](const FakeRequest& request) -> FakeResponse {
    if (request.path == "/search/commits") {
      const auto q = request.param("q");
      const auto range = q.substr(q.rfind("committer-date:") + 15);
      const auto from = hm::util::parse_date(range.substr(0, range.find("..")));
      const auto to = hm::util::parse_date(range.substr(range.find("..") + 2));
      std::vector<int> matches;
      for (int i = 0; i < 1200; ++i) {
        const auto when = start + i * 3600;
        if (when >= from && when <= to) matches.push_back(i);
      }
      const int page = request.param("page").empty() ? 1 : std::stoi(request.param("page"));
      std::vector<nlohmann::json> items;
      for (auto k = static_cast<std::size_t>(page - 1) * 100; k < matches.size() && k < static_cast<std::size_t>(page) * 100; ++k) {
        char sha[41];
        std::snprintf(sha, sizeof sha, "%040d", matches[k]);
        items.push_back(hm::test::gh::commit_item("org/lib" + std::to_string(matches[k] % 12), sha));
      }
      auto response = json_response(hm::test::gh::search_envelope(static_cast<std::int64_t>(matches.size()), items).dump());
      if (static_cast<std::size_t>(page) * 100 < std::min<std::size_t>(matches.size(), 1000)) {
        response.headers.push_back({"Link", "<" + base + "/search/commits?q=" + hm::github::url_encode(q) +
                                                "&per_page=100&page=" + std::to_string(page + 1) + ">; rel=\"next\""});
      }
      return response;
    }
    const auto name = request.path.substr(std::string("/repos/").size());
    const auto index = std::stoi(name.substr(std::string("org/lib").size()));
    return json_response(hm::test::gh::repository(name, 500 + index, index == 2 ? 2 : 40, "2018-06-01T00:00:00Z",
                                                  index == 0, index == 1)
                             .dump());
  });
  base = server.base_url();
  const auto db = (tmp / "c.db").string();
  const auto result = hybridminer({"corpus", "search", "--db", db, "--in", "commits", "--min-stars", "10",
                                   "--committed", "2021-01-01..2021-03-31", "tf.function"},
                                  environment(server));
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(rows(db, "SELECT repository FROM corpus_repositories ORDER BY repository_id") ==
        std::vector<std::string>{"org/lib3", "org/lib4", "org/lib5", "org/lib6", "org/lib7", "org/lib8", "org/lib9",
                                 "org/lib10", "org/lib11"});
  CHECK(single(db, "SELECT kind, query, repositories FROM corpus_queries") == "search_commits|tf.function|9");
  CHECK(single(db, "SELECT count(*) FROM corpus_search_slices WHERE status = 'split'") != "0");
  std::size_t repository_requests = 0;
  for (const auto& request : server.requests()) repository_requests += request.path.starts_with("/repos/") ? 1 : 0;
  CHECK(repository_requests == 12);  // each repository's metadata read once
}

namespace {

// GitHub's code search as far as corpus selection sees it: 1,500 Python files mentioning tf.function, file i in
// org/code(i % 30) and i * 200 bytes long; /search/code honours size:FROM..TO like GitHub and answers only
// authenticated requests. org/code0 is a fork, org/code1 has 2 stars, the others 40. `broken` serves items
// without their repository.
struct FakeCode {
  std::string base;
  bool broken = false;
  int refuse_with = 0;  // answer every search with this status (401, 422)

  FakeResponse search(const FakeRequest& request) const {
    if (request.header("authorization").empty()) {
      return json_response("{\"message\": \"Requires authentication\"}", 401);
    }
    if (refuse_with == 401) return json_response("{\"message\": \"Bad credentials\"}", 401);
    if (refuse_with == 422) return json_response("{\"message\": \"Validation Failed\"}", 422);
    const auto q = request.param("q");
    const auto range = q.substr(q.rfind("size:") + 5);
    const auto from = std::stoll(range.substr(0, range.find("..")));
    const auto to = std::stoll(range.substr(range.find("..") + 2));
    std::vector<int> matches;
    for (int i = 0; i < 1500; ++i) {
      if (i * 200 >= from && i * 200 <= to) matches.push_back(i);
    }
    const int page = request.param("page").empty() ? 1 : std::stoi(request.param("page"));
    std::vector<nlohmann::json> items;
    for (auto k = static_cast<std::size_t>(page - 1) * 100; k < matches.size() && k < static_cast<std::size_t>(page) * 100; ++k) {
      auto item = hm::test::gh::code_item("org/code" + std::to_string(matches[k] % 30),
                                          "src/model" + std::to_string(matches[k]) + ".py");
      if (broken) item.erase("repository");
      items.push_back(item);
    }
    auto response = json_response(hm::test::gh::search_envelope(static_cast<std::int64_t>(matches.size()), items).dump());
    if (static_cast<std::size_t>(page) * 100 < std::min<std::size_t>(matches.size(), 1000)) {
      response.headers.push_back({"Link", "<" + base + "/search/code?q=" + hm::github::url_encode(q) +
                                              "&per_page=100&page=" + std::to_string(page + 1) + ">; rel=\"next\""});
    }
    return response;
  }

  FakeResponse answer(const FakeRequest& request) const {
    if (request.path == "/search/code") return search(request);
    const auto name = request.path.substr(std::string("/repos/").size());
    const auto index = std::stoi(name.substr(std::string("org/code").size()));
    return json_response(hm::test::gh::repository(name, 700 + index, index == 1 ? 2 : 40, "2018-06-01T00:00:00Z",
                                                  index == 0)
                             .dump());
  }
};

const std::vector<std::string> kCodeSearch{"corpus", "search", "--in", "code", "--language", "Python",
                                           "--min-stars", "10", "tf.function"};

std::vector<std::string> with_db(std::vector<std::string> args, const std::string& db) {
  args.insert(args.begin() + 2, {"--db", db});
  return args;
}

}  // namespace

TEST_CASE("corpus search --in code splits file sizes past the cap and selects each repository once", "[github][e2e][corpus]") {
  TempDir tmp;
  FakeCode code;
  FakeGitHub server([&](const FakeRequest& request) { return code.answer(request); });
  code.base = server.base_url();
  const auto db = (tmp / "c.db").string();
  const auto result = hybridminer(with_db(kCodeSearch, db), environment(server));
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::vector<std::string> expected;
  for (int i = 2; i < 30; ++i) expected.push_back("org/code" + std::to_string(i));
  CHECK(rows(db, "SELECT repository FROM corpus_repositories ORDER BY repository_id") == expected);
  CHECK(single(db, "SELECT kind, query, finished_at IS NOT NULL, repositories, incomplete FROM corpus_queries") ==
        "search_code|tf.function language:Python|1|28|0");
  CHECK(rows(db, "SELECT size_from, size_to, total_count, status FROM corpus_search_size_slices ORDER BY size_from, size_to DESC") ==
        std::vector<std::string>{"0|393216|1500|split", "0|196608|984|done", "196609|393216|516|done"});
  CHECK(single(db, "SELECT count(*) FROM corpus_search_slices") == "0");
  std::size_t repository_requests = 0;
  for (const auto& request : server.requests()) repository_requests += request.path.starts_with("/repos/") ? 1 : 0;
  CHECK(repository_requests == 30);  // each repository's metadata read once, however many files matched in it
  CHECK(server.requests().front().param("q") == "tf.function language:Python size:0..393216");
  CHECK(result.err.find("corpus search: 28 repositories selected (2 slices, 1500 results read") != std::string::npos);
}

TEST_CASE("corpus search --in code without a token, or refused, is a clear error", "[github][e2e][corpus]") {
  TempDir tmp;
  FakeCode code;
  FakeGitHub server([&](const FakeRequest& request) { return code.answer(request); });
  code.base = server.base_url();
  const auto db = (tmp / "c.db").string();

  auto no_token = environment(server);
  no_token["GITHUB_TOKEN"] = "";
  const auto missing = hybridminer(with_db(kCodeSearch, db), no_token);
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "hybridminer: GitHub's code search answers only authenticated requests: set GITHUB_TOKEN\n");
  CHECK(server.requests().empty());
  CHECK_FALSE(std::filesystem::exists(db));

  const auto url = server.base_url() + "/search/code?q=" +
                   hm::github::url_encode("tf.function language:Python size:0..393216") + "&per_page=100";
  code.refuse_with = 401;
  const auto refused = hybridminer(with_db(kCodeSearch, db), environment(server));
  CHECK(refused.exit_code == 1);
  CHECK(refused.err == "hybridminer: GET " + url + ": HTTP 401 Bad credentials (code search needs a valid token in "
                       "GITHUB_TOKEN)\n");
  code.refuse_with = 422;
  const auto rejected = hybridminer(with_db(kCodeSearch, db), environment(server));
  CHECK(rejected.exit_code == 1);
  // The refused search stays unfinished: the next search with the same arguments resumes it.
  CHECK(rejected.err == "hybridminer: resuming the interrupted search (query 1)\n"
                        "hybridminer: GET " + url + ": HTTP 422 Validation Failed (GitHub rejected the code search "
                        "query: it needs search text besides qualifiers, and a valid token)\n");
  CHECK(single(db, "SELECT count(*) FROM corpus") == "0");
  CHECK(refused.err.find(kToken) == std::string::npos);
}

TEST_CASE("code search results without their repository are a clear error and store nothing", "[github][e2e][corpus]") {
  TempDir tmp;
  FakeCode code;
  code.broken = true;
  FakeGitHub server([&](const FakeRequest& request) { return code.answer(request); });
  code.base = server.base_url();
  const auto db = (tmp / "c.db").string();
  const auto result = hybridminer(with_db(kCodeSearch, db), environment(server));
  CHECK(result.exit_code == 1);
  CHECK(result.err == "hybridminer: unexpected GitHub response from code search results: field 'repository' is missing\n");
  CHECK(single(db, "SELECT count(*) FROM corpus") == "0");
  CHECK(single(db, "SELECT count(*) FROM repositories") == "0");
  CHECK(single(db, "SELECT group_concat(status) FROM corpus_search_size_slices") == "split");
}

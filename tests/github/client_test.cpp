// The GitHub client against the fake API: pagination, conditional requests, rate limits, retries and hostile
// answers. Sleeps are recorded, not slept, so every wait is asserted exactly (or within its jitter bounds).
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "github/client.hpp"
#include "support/fake_github.hpp"

using hm::github::CachedResponse;
using hm::github::Client;
using hm::github::ClientOptions;
using hm::test::FakeGitHub;
using hm::test::FakeRequest;
using hm::test::FakeResponse;
using hm::test::json_response;
using std::chrono::milliseconds;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;
const std::string kToken = "ghp_TESTTOKEN0123456789abcdefghijklmnopqr";

class MemoryCache : public hm::github::ResponseCache {
 public:
  std::optional<CachedResponse> find(const std::string& url) override {
    const auto it = entries.find(url);
    if (it == entries.end()) return std::nullopt;
    return it->second;
  }
  void store(const std::string& url, const CachedResponse& response) override { entries[url] = response; }
  std::map<std::string, CachedResponse> entries;
};

struct Harness {
  explicit Harness(FakeGitHub& server, hm::github::ResponseCache* cache = nullptr, int max_attempts = 4)
      : client(make_options(server, max_attempts), cache, [this](milliseconds d) { sleeps.push_back(d); },
               [] { return kNow; }, [this](const std::string& text) { notices.push_back(text); }) {}

  static ClientOptions make_options(FakeGitHub& server, int max_attempts) {
    ClientOptions options;
    options.base_url = server.base_url();
    options.token = kToken;
    options.max_attempts = max_attempts;
    options.backoff_base = milliseconds(1000);
    options.backoff_max = milliseconds(8000);
    options.secondary_limit_wait = milliseconds(60'000);
    options.limits.max_body_bytes = 4096;
    return options;
  }

  std::vector<milliseconds> sleeps;
  std::vector<std::string> notices;
  Client client;
};

std::string error_of(Client& client, const std::string& path) {
  try {
    client.get(path);
  } catch (const hm::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("pages are followed through the Link header and the token is sent", "[github][client]") {
  std::string base;
  FakeGitHub server([&](const FakeRequest& request) {
    const auto page = request.param("page").empty() ? 1 : std::stoi(request.param("page"));
    auto response = json_response("[" + std::to_string(page * 10) + "," + std::to_string(page * 10 + 1) + "]");
    if (page < 3) {
      response.headers.push_back({"Link", "<" + base + "/items?per_page=100&page=" + std::to_string(page + 1) +
                                              ">; rel=\"next\", <" + base + "/items?per_page=100&page=3>; rel=\"last\""});
    }
    return response;
  });
  base = server.base_url();
  Harness h(server);
  std::vector<int> items;
  std::optional<std::string> next = "/items?per_page=100";
  while (next) {
    const auto page = h.client.get(*next);
    for (const auto& item : page.json) items.push_back(item.get<int>());
    next = page.next_url;
  }
  CHECK(items == std::vector<int>{10, 11, 20, 21, 30, 31});
  const auto requests = server.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[2].target == "/items?per_page=100&page=3");
  CHECK(requests[0].header("authorization") == "Bearer " + kToken);
  CHECK(requests[0].header("accept") == "application/vnd.github+json");
  CHECK(requests[0].header("user-agent").starts_with("hybridminer"));
  CHECK(h.sleeps.empty());
}

TEST_CASE("next_link reads rel=next wherever it stands in the Link header", "[github][client]") {
  CHECK(hm::github::next_link("<https://x/a?page=1>; rel=\"prev\", <https://x/a?page=3>; rel=\"next\"") ==
        "https://x/a?page=3");
  CHECK(hm::github::next_link("<https://x/a?page=9>; rel=\"last\"") == std::nullopt);
  CHECK(hm::github::next_link("") == std::nullopt);
  CHECK(hm::github::next_link("garbage <unterminated") == std::nullopt);
}

TEST_CASE("a 304 to If-None-Match reuses the stored body and Link header", "[github][client]") {
  int served = 0;
  FakeGitHub server([&](const FakeRequest& request) {
    ++served;
    if (request.header("if-none-match") == "\"abc\"") {
      FakeResponse not_modified;
      not_modified.status = 304;
      return not_modified;
    }
    auto response = json_response("{\"stargazers_count\": 5}");
    response.headers.push_back({"ETag", "\"abc\""});
    response.headers.push_back({"Link", "<" + std::string("http://elsewhere.invalid/x") + ">; rel=\"last\""});
    return response;
  });
  MemoryCache cache;
  Harness h(server, &cache);
  const auto first = h.client.get("/repos/o/n");
  CHECK_FALSE(first.from_cache);
  REQUIRE(cache.entries.size() == 1);
  CHECK(cache.entries.begin()->first == server.base_url() + "/repos/o/n");
  CHECK(cache.entries.begin()->second.etag == "\"abc\"");
  const auto second = h.client.get("/repos/o/n");
  CHECK(second.from_cache);
  CHECK(second.json == first.json);
  CHECK(served == 2);
  CHECK(server.requests()[1].header("if-none-match") == "\"abc\"");
}

TEST_CASE("a request that is not cacheable sends no ETag and stores nothing", "[github][client]") {
  FakeGitHub server([&](const FakeRequest&) {
    auto response = json_response("[]");
    response.headers.push_back({"ETag", "\"xyz\""});
    return response;
  });
  MemoryCache cache;
  cache.entries[server.base_url() + "/list?since=1"] = {"\"old\"", "[1]", ""};
  Harness h(server, &cache);
  CHECK(h.client.get("/list?since=1", false).json == nlohmann::json::array());
  CHECK(server.requests().at(0).header("if-none-match").empty());
  CHECK(cache.entries.begin()->second.etag == "\"old\"");
  CHECK(cache.entries.size() == 1);
}

TEST_CASE("5xx answers are retried with growing, jittered, bounded waits", "[github][client]") {
  int calls = 0;
  FakeGitHub server([&](const FakeRequest&) {
    ++calls;
    if (calls <= 2) return json_response("{\"message\": \"Server Error\"}", calls == 1 ? 502 : 503);
    return json_response("{\"ok\": true}");
  });
  Harness h(server);
  CHECK(h.client.get("/x").json["ok"] == true);
  REQUIRE(h.sleeps.size() == 2);
  CHECK(h.sleeps[0] >= milliseconds(500));
  CHECK(h.sleeps[0] <= milliseconds(1000));
  CHECK(h.sleeps[1] >= milliseconds(1000));
  CHECK(h.sleeps[1] <= milliseconds(2000));
  REQUIRE(h.notices.size() == 2);
  CHECK(h.notices[0].find("HTTP 502 Server Error; retrying in") != std::string::npos);
  CHECK(h.notices[0].find("(try 1 of 4)") != std::string::npos);
}

TEST_CASE("retries stop after the bounded number of tries with one clear error", "[github][client]") {
  FakeGitHub server([&](const FakeRequest&) { return json_response("{\"message\": \"Unavailable\"}", 503); });
  Harness h(server, nullptr, 3);
  const auto error = error_of(h.client, "/x");
  CHECK(error == "GET " + server.base_url() + "/x: HTTP 503 Unavailable (gave up after 3 tries)");
  CHECK(server.requests().size() == 3);
  CHECK(h.sleeps.size() == 2);
  for (const auto& sleep : h.sleeps) CHECK(sleep <= milliseconds(8000));
}

TEST_CASE("primary rate limit: 403 with remaining 0 waits until x-ratelimit-reset and says so", "[github][client]") {
  int calls = 0;
  FakeGitHub server([&](const FakeRequest&) {
    if (++calls == 1) {
      auto response = json_response("{\"message\": \"API rate limit exceeded for user ID 1.\"}", 403);
      response.headers = {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", std::to_string(kNow + 30)}};
      return response;
    }
    return json_response("[]");
  });
  Harness h(server);
  CHECK(h.client.get("/x").json.is_array());
  CHECK(h.sleeps == std::vector<milliseconds>{milliseconds(31'000)});
  REQUIRE(h.notices.size() == 1);
  CHECK(h.notices[0] == "GitHub rate limit exhausted (GET " + server.base_url() +
                            "/x): waiting 31 s until 2023-11-14T22:13:51Z (x-ratelimit-reset)");
}

TEST_CASE("a success that used the last request waits for the reset before the next request", "[github][client]") {
  FakeGitHub server([&](const FakeRequest&) {
    auto response = json_response("[]");
    response.headers = {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", std::to_string(kNow + 9)}};
    return response;
  });
  Harness h(server);
  h.client.get("/a");
  CHECK(h.sleeps.empty());
  h.client.get("/b");
  CHECK(h.sleeps == std::vector<milliseconds>{milliseconds(10'000)});
}

TEST_CASE("secondary rate limit: 429 with retry-after waits that long", "[github][client]") {
  int calls = 0;
  FakeGitHub server([&](const FakeRequest&) {
    if (++calls == 1) {
      auto response = json_response("{\"message\": \"You have exceeded a secondary rate limit.\"}", 429);
      response.headers.push_back({"Retry-After", "7"});
      return response;
    }
    return json_response("{}");
  });
  Harness h(server);
  h.client.get("/x");
  CHECK(h.sleeps == std::vector<milliseconds>{milliseconds(7000)});
  CHECK(h.notices.at(0).find("secondary rate limit") != std::string::npos);
  CHECK(h.notices.at(0).find("(retry-after)") != std::string::npos);
}

TEST_CASE("secondary rate limit: 403 without retry-after backs off at least a minute", "[github][client]") {
  int calls = 0;
  FakeGitHub server([&](const FakeRequest&) {
    if (++calls <= 2) return json_response("{\"message\": \"You have exceeded a secondary rate limit.\"}", 403);
    return json_response("{}");
  });
  Harness h(server);
  h.client.get("/x");
  REQUIRE(h.sleeps.size() == 2);
  CHECK(h.sleeps[0] == milliseconds(60'000));
  CHECK(h.sleeps[1] == milliseconds(60'000));
  CHECK(h.notices.at(0).find("(backoff)") != std::string::npos);
}

TEST_CASE("a plain 403 and a 404 fail at once with GitHub's message", "[github][client]") {
  FakeGitHub server([&](const FakeRequest& request) {
    if (request.path == "/forbidden") return json_response("{\"message\": \"Resource not accessible\"}", 403);
    return json_response("{\"message\": \"Not Found\"}", 404);
  });
  Harness h(server);
  CHECK(error_of(h.client, "/forbidden") == "GET " + server.base_url() + "/forbidden: HTTP 403 Resource not accessible");
  CHECK(error_of(h.client, "/repos/o/missing") == "GET " + server.base_url() + "/repos/o/missing: HTTP 404 Not Found");
  CHECK(server.requests().size() == 2);
  CHECK(h.sleeps.empty());
}

TEST_CASE("malformed JSON is a clear error", "[github][client]") {
  FakeGitHub server([&](const FakeRequest&) { return json_response("{\"items\": [1, 2"); });
  Harness h(server);
  const auto error = error_of(h.client, "/x");
  CHECK(error.starts_with("GET " + server.base_url() + "/x: malformed JSON from GitHub ("));
}

TEST_CASE("a connection reset mid-body is retried", "[github][client]") {
  int calls = 0;
  FakeGitHub server([&](const FakeRequest&) {
    auto response = json_response("{\"name\": \"a fairly long body so that half of it is still a few bytes\"}");
    response.reset_mid_body = ++calls == 1;
    return response;
  });
  Harness h(server);
  CHECK(h.client.get("/x").json["name"].get<std::string>().starts_with("a fairly"));
  CHECK(calls == 2);
  REQUIRE(h.notices.size() == 1);
  CHECK(h.notices[0].starts_with("GET " + server.base_url() + "/x: "));
  CHECK(h.notices[0].find("retrying in") != std::string::npos);
}

TEST_CASE("a body over the size cap is refused without retrying", "[github][client]") {
  FakeGitHub server([&](const FakeRequest&) { return json_response("[\"" + std::string(10'000, 'x') + "\"]"); });
  Harness h(server);
  CHECK(error_of(h.client, "/huge") ==
        "GET " + server.base_url() + "/huge: response body larger than 4096 bytes; refusing it");
  CHECK(server.requests().size() == 1);
}

TEST_CASE("the token never appears in errors or notices, and never leaves the API base URL", "[github][client]") {
  FakeGitHub server([&](const FakeRequest& request) {
    if (request.path == "/echo") return json_response("{\"message\": \"bad credentials " + kToken + "\"}", 401);
    auto response = json_response("[]");
    response.headers.push_back({"Link", "<http://attacker.invalid/steal?page=2>; rel=\"next\""});
    return response;
  });
  Harness h(server);
  const auto echoed = error_of(h.client, "/echo");
  CHECK(echoed == "GET " + server.base_url() + "/echo: HTTP 401 bad credentials [REDACTED]");
  const auto hostile = error_of(h.client, "/list");
  CHECK(hostile == "refusing to request http://attacker.invalid/steal?page=2: it is not under the API base URL " +
                       server.base_url());
  CHECK(server.requests().size() == 2);
}

TEST_CASE("GITHUB_API_URL, GITHUB_TOKEN and the sleep cap come from the environment", "[github][client]") {
  ::setenv("GITHUB_API_URL", "http://127.0.0.1:1/api/v3/", 1);
  ::setenv("GITHUB_TOKEN", "t0k", 1);
  ::setenv("HM_GITHUB_MAX_SLEEP_MS", "25", 1);
  const auto options = hm::github::options_from_environment();
  ::unsetenv("GITHUB_API_URL");
  ::unsetenv("GITHUB_TOKEN");
  ::unsetenv("HM_GITHUB_MAX_SLEEP_MS");
  CHECK(options.base_url == "http://127.0.0.1:1/api/v3");
  CHECK(options.token == "t0k");
  CHECK(options.max_sleep == milliseconds(25));
  CHECK(hm::github::options_from_environment().base_url == "https://api.github.com");
  CHECK_FALSE(hm::github::options_from_environment().token.has_value());
}

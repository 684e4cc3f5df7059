#pragma once
// The GitHub REST API as hybridminer uses it: authenticated GETs of JSON with GitHub's rules for a
// well-behaved client applied in one place.
//
//  - Token from GITHUB_TOKEN, sent only to the API base URL (GITHUB_API_URL, default https://api.github.com, as
//    in GitHub Actions) and never part of a message: every error text passes through redact().
//  - Primary rate limit: when x-ratelimit-remaining reaches 0 (or a 403/429 says so), wait until
//    x-ratelimit-reset, saying so on stderr.
//  - Secondary rate limits (403/429 without remaining = 0): honour retry-after, else back off exponentially with
//    jitter; so are 5xx answers and transport failures (timeouts, resets), for a bounded number of tries.
//  - Conditional requests: an ETag kept in a ResponseCache is sent as If-None-Match; a 304 (free of quota)
//    reuses the stored body and Link header.
//  - Pagination through the Link header (rel="next").
// Sleeping and the clock are injected, so tests check every wait without waiting.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>

#include "github/http_transport.hpp"

namespace hm::github {

// An HTTP status that no retry can change (404, 401, 422, a plain 403): the caller may handle some (a deleted
// issue) and fail on others.
class HttpStatusError : public Error {
 public:
  HttpStatusError(const std::string& message, long status) : Error(message), status_(status) {}
  long status() const noexcept { return status_; }

 private:
  long status_;
};

// A stored answer to a GET, for conditional requests.
struct CachedResponse {
  std::string etag;
  std::string body;
  std::string link;  // the Link header that came with it ("" when none)
};

class ResponseCache {
 public:
  virtual ~ResponseCache() = default;
  virtual std::optional<CachedResponse> find(const std::string& url) = 0;
  virtual void store(const std::string& url, const CachedResponse& response) = 0;
};

struct ClientOptions {
  std::string base_url = "https://api.github.com";
  std::optional<std::string> token;
  int max_attempts = 6;                                  // per request, over retries of every kind
  std::chrono::milliseconds backoff_base{2'000};        // first retry waits about this long, then doubles
  std::chrono::milliseconds backoff_max{120'000};
  std::chrono::milliseconds secondary_limit_wait{60'000};  // GitHub: wait at least a minute without retry-after
  std::optional<std::chrono::milliseconds> max_sleep;   // caps every real sleep (tests); the message keeps the full wait
  TransportLimits limits;
  std::string user_agent = "hybridminer";
};

// GITHUB_API_URL, GITHUB_TOKEN and HM_GITHUB_MAX_SLEEP_MS (a cap on every wait, for tests) applied to defaults.
ClientOptions options_from_environment();

struct Page {
  nlohmann::json json;
  std::string url;
  std::optional<std::string> next_url;  // rel="next" of the Link header
  bool from_cache = false;              // a 304: the body came from the ResponseCache
};

// Parses an RFC 8288 Link header and returns the target of rel="next", if any.
std::optional<std::string> next_link(const std::string& link_header);

// Replaces every occurrence of `secret` in `text` by "[REDACTED]" (no-op for an empty secret).
std::string redact(std::string text, const std::string& secret);

class Client {
 public:
  using Sleep = std::function<void(std::chrono::milliseconds)>;
  using Clock = std::function<std::int64_t()>;  // Unix seconds now
  using Notice = std::function<void(const std::string&)>;

  // `cache` may be null (no conditional requests). Defaults: real sleep (capped by options.max_sleep), the
  // system clock, notices on stderr.
  explicit Client(ClientOptions options, ResponseCache* cache = nullptr, Sleep sleep = {}, Clock clock = {},
                  Notice notice = {});

  // GETs an API path ("/repos/o/n", "/search/repositories?q=...") or a full URL under the base URL (a Link
  // target) and parses its JSON. Throws hm::Error with a one-line, token-free message after the last try, for
  // malformed JSON, and for answers that no retry can change (404, 401, 422, ...). `cacheable` false: no
  // conditional request and nothing stored (for URLs that never repeat, such as listings with since=).
  Page get(const std::string& path_or_url, bool cacheable = true);

  const ClientOptions& options() const noexcept { return options_; }
  std::int64_t requests_sent() const noexcept { return requests_sent_; }

 private:
  std::string absolute(const std::string& path_or_url) const;
  std::vector<std::string> request_headers(const std::optional<CachedResponse>& cached) const;
  void wait(std::chrono::milliseconds duration, const std::string& why);
  std::chrono::milliseconds backoff(int attempt);
  void wait_for_primary_reset(const HttpResponse& response, const std::string& url);
  Page parse(const std::string& url, const std::string& body, const std::string& link, bool from_cache) const;
  [[noreturn]] void fail(const std::string& message) const;
  [[noreturn]] void fail_status(const std::string& message, long status) const;

  ClientOptions options_;
  ResponseCache* cache_;
  Sleep sleep_;
  Clock clock_;
  Notice notice_;
  HttpTransport transport_;
  std::mt19937_64 random_;
  std::optional<std::int64_t> exhausted_until_;  // quota used up: no request before this Unix time
  std::int64_t requests_sent_ = 0;
};

}  // namespace hm::github

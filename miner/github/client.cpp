#include "github/client.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "util/time.hpp"

namespace hm::github {
namespace {

constexpr std::int64_t kLongestResetWait = 3600 + 60;  // GitHub's windows are an hour; more is a hostile header

std::optional<std::int64_t> parse_integer(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::string seconds_text(std::chrono::milliseconds duration) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f s", static_cast<double>(duration.count()) / 1000.0);
  return buffer;
}

// GitHub's own explanation of a failed request, as one line: the "message" of its JSON error, else the start of
// the body.
std::string github_message(const std::string& body) {
  std::string message;
  try {
    const auto json = nlohmann::json::parse(body);
    if (json.is_object() && json.contains("message") && json["message"].is_string()) {
      message = json["message"].get<std::string>();
    }
  } catch (const nlohmann::json::exception&) {
    message = body.substr(0, 200);
  }
  std::replace_if(message.begin(), message.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return message;
}

bool mentions_rate_limit(const std::string& body) {
  auto lower = github_message(body);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("rate limit") != std::string::npos || lower.find("abuse") != std::string::npos;
}

std::string trim_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

ClientOptions options_from_environment() {
  ClientOptions options;
  if (const char* url = std::getenv("GITHUB_API_URL"); url != nullptr && *url != '\0') options.base_url = url;
  if (const char* token = std::getenv("GITHUB_TOKEN"); token != nullptr && *token != '\0') options.token = token;
  if (const char* cap = std::getenv("HM_GITHUB_MAX_SLEEP_MS"); cap != nullptr && *cap != '\0') {
    if (const auto ms = parse_integer(cap); ms && *ms >= 0) options.max_sleep = std::chrono::milliseconds(*ms);
  }
  options.base_url = trim_trailing_slash(options.base_url);
  return options;
}

std::optional<std::string> next_link(const std::string& link_header) {
  // <https://api.github.com/...&page=2>; rel="next", <...>; rel="last"
  std::size_t pos = 0;
  while (pos < link_header.size()) {
    const auto open = link_header.find('<', pos);
    if (open == std::string::npos) break;
    const auto close = link_header.find('>', open);
    if (close == std::string::npos) break;
    const auto end = link_header.find(',', close);
    const auto params = link_header.substr(close + 1, end == std::string::npos ? std::string::npos : end - close - 1);
    if (params.find("rel=\"next\"") != std::string::npos || params.find("rel=next") != std::string::npos) {
      return link_header.substr(open + 1, close - open - 1);
    }
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return std::nullopt;
}

std::string redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "[REDACTED]");
  }
  return text;
}

Client::Client(ClientOptions options, ResponseCache* cache, Sleep sleep, Clock clock, Notice notice)
    : options_(std::move(options)),
      cache_(cache),
      sleep_(std::move(sleep)),
      clock_(std::move(clock)),
      notice_(std::move(notice)),
      transport_(options_.limits, options_.user_agent),
      random_(std::random_device{}()) {
  options_.base_url = trim_trailing_slash(options_.base_url);
  if (!sleep_) sleep_ = [](std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); };
  if (!clock_) {
    clock_ = [] {
      return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
  if (!notice_) notice_ = [](const std::string& text) { std::fprintf(stderr, "hybridminer: %s\n", text.c_str()); };
}

void Client::fail(const std::string& message) const { throw Error(redact(message, options_.token.value_or(""))); }

void Client::fail_status(const std::string& message, long status) const {
  throw HttpStatusError(redact(message, options_.token.value_or("")), status);
}

std::string Client::absolute(const std::string& path_or_url) const {
  if (path_or_url.starts_with("/")) return options_.base_url + path_or_url;
  const auto& base = options_.base_url;
  // Only URLs under the API base get the token: a hostile Link header must not send it elsewhere.
  if (path_or_url.starts_with(base) &&
      (path_or_url.size() == base.size() || path_or_url[base.size()] == '/' || path_or_url[base.size()] == '?')) {
    return path_or_url;
  }
  fail("refusing to request " + path_or_url + ": it is not under the API base URL " + base);
}

std::vector<std::string> Client::request_headers(const std::optional<CachedResponse>& cached) const {
  std::vector<std::string> headers{"Accept: application/vnd.github+json", "X-GitHub-Api-Version: 2022-11-28"};
  if (options_.token) headers.push_back("Authorization: Bearer " + *options_.token);
  if (cached && !cached->etag.empty()) headers.push_back("If-None-Match: " + cached->etag);
  return headers;
}

void Client::wait(std::chrono::milliseconds duration, const std::string& why) {
  notice_(redact(why, options_.token.value_or("")));
  sleep_(options_.max_sleep ? std::min(duration, *options_.max_sleep) : duration);
}

std::chrono::milliseconds Client::backoff(int attempt) {
  // Exponential with "equal jitter": half fixed, half random, so that many clients do not retry in lockstep.
  auto ceiling = options_.backoff_base * (std::int64_t{1} << std::min(attempt - 1, 20));
  ceiling = std::min(ceiling, options_.backoff_max);
  const auto half = ceiling.count() / 2;
  std::uniform_int_distribution<std::int64_t> jitter(0, std::max<std::int64_t>(half, 0));
  return std::chrono::milliseconds(ceiling.count() - half + jitter(random_));
}

void Client::wait_for_primary_reset(const HttpResponse& response, const std::string& url) {
  const auto reset = parse_integer(response.header("x-ratelimit-reset"));
  const auto now = clock_();
  std::int64_t seconds = reset ? *reset - now + 1 : 60;
  seconds = std::clamp<std::int64_t>(seconds, 1, kLongestResetWait);
  wait(std::chrono::seconds(seconds),
       "GitHub rate limit exhausted (GET " + url + "): waiting " + std::to_string(seconds) + " s until " +
           util::iso_utc(now + seconds) + " (x-ratelimit-reset)");
}

Page Client::parse(const std::string& url, const std::string& body, const std::string& link, bool from_cache) const {
  Page page;
  page.url = url;
  page.from_cache = from_cache;
  try {
    page.json = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    fail("GET " + url + ": malformed JSON from GitHub (" + std::string(e.what()) + ")");
  }
  page.next_url = next_link(link);
  if (page.next_url) page.next_url = absolute(*page.next_url);
  return page;
}

Page Client::get(const std::string& path_or_url, bool cacheable) {
  const auto url = absolute(path_or_url);
  auto* cache = cacheable ? cache_ : nullptr;
  const auto cached = cache ? cache->find(url) : std::nullopt;
  std::string last_problem;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    if (exhausted_until_ && *exhausted_until_ >= clock_()) {
      HttpResponse pending;
      pending.headers["x-ratelimit-reset"] = std::to_string(*exhausted_until_);
      wait_for_primary_reset(pending, url);
    }
    exhausted_until_.reset();
    const bool last = attempt == options_.max_attempts;
    const auto tries = " (try " + std::to_string(attempt) + " of " + std::to_string(options_.max_attempts) + ")";
    HttpResponse response;
    try {
      ++requests_sent_;
      response = transport_.get(url, request_headers(cached));
    } catch (const TransportError& e) {
      if (!e.transient()) fail(e.what());
      last_problem = e.what();
      if (last) break;
      const auto delay = backoff(attempt);
      wait(delay, last_problem + "; retrying in " + seconds_text(delay) + tries);
      continue;
    }
    const auto remaining = response.header("x-ratelimit-remaining");
    if (remaining == "0" && response.status < 400) {
      exhausted_until_ = parse_integer(response.header("x-ratelimit-reset"));
    }
    const long status = response.status;
    if (status >= 200 && status < 300) {
      if (cache && !response.header("etag").empty()) {
        cache->store(url, {response.header("etag"), response.body, response.header("link")});
      }
      return parse(url, response.body, response.header("link"), false);
    }
    if (status == 304 && cached) return parse(url, cached->body, cached->link, true);

    const auto problem = "GET " + url + ": HTTP " + std::to_string(status) + " " + github_message(response.body);
    if (status == 403 || status == 429) {
      const auto retry_after = parse_integer(response.header("retry-after"));
      if (remaining == "0") {
        last_problem = problem;
        if (last) break;
        wait_for_primary_reset(response, url);
        continue;
      }
      if (retry_after || status == 429 || mentions_rate_limit(response.body)) {
        last_problem = problem;
        if (last) break;
        const auto delay = retry_after ? std::chrono::milliseconds(std::clamp<std::int64_t>(*retry_after, 0, kLongestResetWait) * 1000)
                                       : std::max(backoff(attempt), options_.secondary_limit_wait);
        wait(delay, "GitHub secondary rate limit (GET " + url + "): waiting " + seconds_text(delay) +
                        (retry_after ? " (retry-after)" : " (backoff)") + tries);
        continue;
      }
      fail_status(problem, status);  // a real "forbidden": no token, no access
    }
    if (status >= 500) {
      last_problem = problem;
      if (last) break;
      const auto delay = backoff(attempt);
      wait(delay, problem + "; retrying in " + seconds_text(delay) + tries);
      continue;
    }
    fail_status(problem, status);
  }
  fail(last_problem + " (gave up after " + std::to_string(options_.max_attempts) + " tries)");
}

}  // namespace hm::github

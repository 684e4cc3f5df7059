#pragma once
// One HTTP GET over libcurl, with the limits a crawler of an untrusted server needs: connect and stall timeouts,
// a cap on the body size, response headers captured. Retrying, rate limits and caching are the GitHub client's
// business (github/client.hpp); this layer only says what happened, and whether trying again could help.
#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace hm::github {

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; of the final response after redirects
  std::string body;

  // The header's value, or "" when absent.
  std::string header(const std::string& lower_name) const;
};

// A failure below HTTP: no answer, or an answer cut short. `transient` is true for what a retry may cure
// (timeouts, refused or reset connections, a body cut off mid-way).
class TransportError : public Error {
 public:
  TransportError(const std::string& message, bool transient) : Error(message), transient_(transient) {}
  bool transient() const noexcept { return transient_; }

 private:
  bool transient_;
};

struct TransportLimits {
  std::chrono::seconds connect_timeout{30};
  std::chrono::seconds total_timeout{300};
  // A transfer slower than 1 byte/s for this long is abandoned (a stalled server), even before total_timeout.
  std::chrono::seconds stall_timeout{60};
  std::size_t max_body_bytes = 100 * 1024 * 1024;
};

struct CurlEasyCleanup {
  void operator()(CURL* curl) const noexcept { curl_easy_cleanup(curl); }
};
struct CurlSlistFree {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using CurlPtr = std::unique_ptr<CURL, CurlEasyCleanup>;
using CurlSlistPtr = std::unique_ptr<curl_slist, CurlSlistFree>;

class HttpTransport {
 public:
  explicit HttpTransport(TransportLimits limits = {}, std::string user_agent = "hybridminer");

  // GETs `url` with the given "Name: value" request headers. Throws TransportError when no complete response
  // arrived; any HTTP status (including 4xx/5xx) is a response, not an error. Messages name the URL, never the
  // headers (they may carry a token).
  HttpResponse get(const std::string& url, const std::vector<std::string>& request_headers);

 private:
  TransportLimits limits_;
  std::string user_agent_;
  CurlPtr curl_;  // reused across requests so that connections are kept alive
};

}  // namespace hm::github

#include "github/http_transport.hpp"

#include <algorithm>
#include <mutex>
#include <string_view>

namespace hm::github {
namespace {

// curl_global_init is not thread-safe and must run once before any handle exists.
void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw Error("cannot initialise libcurl");
  });
}

struct Transfer {
  HttpResponse response;
  std::size_t max_body_bytes = 0;
  bool too_large = false;
};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const auto bytes = size * count;
  if (transfer->response.body.size() + bytes > transfer->max_body_bytes) {
    transfer->too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  transfer->response.body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const auto bytes = size * count;
  const std::string_view line(data, bytes);
  // Each response of a redirect chain starts with its status line: keep only the last response's headers.
  if (line.starts_with("HTTP/")) {
    transfer->response.headers.clear();
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    transfer->response.headers[lower(trim(line.substr(0, colon)))] = std::string(trim(line.substr(colon + 1)));
  }
  return bytes;
}

bool is_transient(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

template <typename T>
void set(CURL* curl, CURLoption option, T value) {
  if (curl_easy_setopt(curl, option, value) != CURLE_OK) throw Error("libcurl rejected an option");
}

}  // namespace

std::string HttpResponse::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

HttpTransport::HttpTransport(TransportLimits limits, std::string user_agent)
    : limits_(limits), user_agent_(std::move(user_agent)) {
  global_init();
  curl_.reset(curl_easy_init());
  if (!curl_) throw Error("cannot create a libcurl handle");
}

HttpResponse HttpTransport::get(const std::string& url, const std::vector<std::string>& request_headers) {
  CURL* curl = curl_.get();
  curl_easy_reset(curl);
  CurlSlistPtr headers;
  for (const auto& header : request_headers) {
    curl_slist* appended = curl_slist_append(headers.get(), header.c_str());
    if (appended == nullptr) throw Error("out of memory building HTTP headers");
    headers.release();  // now owned by `appended`, the new head
    headers.reset(appended);
  }
  Transfer transfer;
  transfer.max_body_bytes = limits_.max_body_bytes;
  char error_buffer[CURL_ERROR_SIZE] = {};
  set(curl, CURLOPT_URL, url.c_str());
  set(curl, CURLOPT_HTTPGET, 1L);
  set(curl, CURLOPT_HTTPHEADER, headers.get());
  set(curl, CURLOPT_USERAGENT, user_agent_.c_str());
  set(curl, CURLOPT_ERRORBUFFER, error_buffer);
  set(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for DNS timeouts: we may run on several threads
  set(curl, CURLOPT_FOLLOWLOCATION, 1L);  // renamed repositories answer 301; curl drops Authorization off-host
  set(curl, CURLOPT_MAXREDIRS, 5L);
  set(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  set(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(curl, CURLOPT_ACCEPT_ENCODING, "");  // any encoding curl can decode (gzip saves most of the JSON bytes)
  set(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(limits_.connect_timeout.count()));
  set(curl, CURLOPT_TIMEOUT, static_cast<long>(limits_.total_timeout.count()));
  set(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  set(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(limits_.stall_timeout.count()));
  set(curl, CURLOPT_WRITEFUNCTION, on_body);
  set(curl, CURLOPT_WRITEDATA, &transfer);
  set(curl, CURLOPT_HEADERFUNCTION, on_header);
  set(curl, CURLOPT_HEADERDATA, &transfer);

  const CURLcode code = curl_easy_perform(curl);
  if (transfer.too_large) {
    throw TransportError("GET " + url + ": response body larger than " + std::to_string(limits_.max_body_bytes) +
                             " bytes; refusing it",
                         false);
  }
  if (code != CURLE_OK) {
    const std::string why = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    throw TransportError("GET " + url + ": " + why, is_transient(code));
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &transfer.response.status);
  return std::move(transfer.response);
}

}  // namespace hm::github

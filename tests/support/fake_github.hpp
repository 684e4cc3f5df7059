#pragma once
// A stand-in for the GitHub REST API: an HTTP/1.1 server on 127.0.0.1 (a free port the kernel picks), run on a
// thread of the test, answering GETs from a handler the test writes. Connections are kept alive (HTTP/1.1), each
// on its own thread; handlers run one at a time. An answer can be cut off mid-body by a TCP reset, so tests can
// play every failure a real server shows. Nothing here touches the network beyond the loopback interface.
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace hm::test {

struct FakeRequest {
  std::string method;
  std::string target;                          // path and query, as sent
  std::string path;                            // target without the query
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // names lower-cased

  std::string header(const std::string& lower_name) const;
  std::string param(const std::string& name) const;
};

struct FakeResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool reset_mid_body = false;  // announce the full length, send half the body, then reset the connection
};

class FakeGitHub {
 public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;

  explicit FakeGitHub(Handler handler);
  ~FakeGitHub();
  FakeGitHub(const FakeGitHub&) = delete;
  FakeGitHub& operator=(const FakeGitHub&) = delete;

  // http://127.0.0.1:PORT (no trailing slash): what GITHUB_API_URL is set to.
  const std::string& base_url() const noexcept { return base_url_; }
  // Every request received so far, in order.
  std::vector<FakeRequest> requests() const;

 private:
  void serve();
  void handle(int connection);  // serves requests on one connection until the client closes it

  Handler handler_;
  int listener_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::string base_url_;
  mutable std::mutex mutex_;
  std::vector<FakeRequest> requests_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> connections_;  // touched by the accept thread only (and the destructor after it)
  std::thread thread_;
};

// A JSON response with GitHub's usual headers.
FakeResponse json_response(const std::string& body, int status = 200);

// Percent-decoding of a query component ('+' is a space).
std::string url_decode(const std::string& text);

}  // namespace hm::test

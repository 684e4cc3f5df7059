#include "support/fake_github.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace hm::test {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 304: return "Not Modified";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

void send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const auto n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the client went away: nothing to do
    sent += static_cast<std::size_t>(n);
  }
}

FakeRequest parse_request(const std::string& head) {
  FakeRequest request;
  const auto line_end = head.find("\r\n");
  const auto first = head.substr(0, line_end);
  const auto space1 = first.find(' ');
  const auto space2 = first.find(' ', space1 + 1);
  request.method = first.substr(0, space1);
  request.target = first.substr(space1 + 1, space2 - space1 - 1);
  const auto question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) {
    std::size_t pos = question + 1;
    while (pos <= request.target.size()) {
      auto amp = request.target.find('&', pos);
      if (amp == std::string::npos) amp = request.target.size();
      const auto pair = request.target.substr(pos, amp - pos);
      const auto eq = pair.find('=');
      if (!pair.empty()) {
        request.query[url_decode(pair.substr(0, eq))] = eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
      }
      pos = amp + 1;
    }
  }
  std::size_t pos = line_end + 2;
  while (pos < head.size()) {
    auto end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    const auto line = head.substr(pos, end - pos);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request.headers[lower(line.substr(0, colon))] = value;
    }
    pos = end + 2;
  }
  return request;
}

}  // namespace

std::string FakeRequest::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::string FakeRequest::param(const std::string& name) const {
  const auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

std::string url_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

FakeResponse json_response(const std::string& body, int status) {
  FakeResponse response;
  response.status = status;
  response.body = body;
  response.headers = {{"Content-Type", "application/json; charset=utf-8"},
                      {"X-RateLimit-Limit", "5000"},
                      {"X-RateLimit-Remaining", "4999"},
                      {"X-RateLimit-Reset", "1700000000"}};
  return response;
}

FakeGitHub::FakeGitHub(Handler handler) : handler_(std::move(handler)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0) throw std::runtime_error("fake GitHub: socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 64) != 0) {
    ::close(listener_);
    throw std::runtime_error("fake GitHub: cannot listen on 127.0.0.1");
  }
  socklen_t length = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  base_url_ = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) {
    ::close(listener_);
    throw std::runtime_error("fake GitHub: pipe failed");
  }
  thread_ = std::thread([this] { serve(); });
}

FakeGitHub::~FakeGitHub() {
  stopping_ = true;
  const char byte = 'x';
  [[maybe_unused]] const auto ignored = ::write(stop_pipe_[1], &byte, 1);
  thread_.join();
  for (auto& connection : connections_) connection.join();
  ::close(listener_);
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
}

std::vector<FakeRequest> FakeGitHub::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void FakeGitHub::serve() {
  for (;;) {
    pollfd fds[2] = {{listener_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    // One thread per connection: clients keep connections alive between requests (libgit2 needs it for
    // authentication), and an idle one must not block the next client.
    connections_.emplace_back([this, connection] {
      handle(connection);
      ::close(connection);
    });
  }
}

void FakeGitHub::handle(int connection) {
  std::string buffered;
  char buffer[4096];
  for (;;) {
    // Read one request head; give up when the client closes or the server stops.
    while (buffered.find("\r\n\r\n") == std::string::npos) {
      if (stopping_) return;
      pollfd fd{connection, POLLIN, 0};
      const int ready = ::poll(&fd, 1, 50);
      if (ready < 0) return;
      if (ready == 0) continue;
      const auto n = ::recv(connection, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      buffered.append(buffer, static_cast<std::size_t>(n));
    }
    const auto end = buffered.find("\r\n\r\n");
    const auto request = parse_request(buffered.substr(0, end));
    buffered.erase(0, end + 4);  // GETs carry no body
    FakeResponse response;
    {
      std::lock_guard lock(mutex_);  // handlers run one at a time, as the tests' clients expect
      requests_.push_back(request);
      try {
        response = handler_(request);
      } catch (const std::exception& e) {
        response = json_response(std::string("{\"message\": \"fake server handler failed: ") + e.what() + "\"}", 500);
      }
    }
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) + "\r\n";
    for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
    if (response.reset_mid_body) {
      send_all(connection, out + response.body.substr(0, response.body.size() / 2));
      linger hard_close{1, 0};  // close() then sends RST instead of FIN
      ::setsockopt(connection, SOL_SOCKET, SO_LINGER, &hard_close, sizeof hard_close);
      return;
    }
    send_all(connection, out + response.body);
    if (lower(request.header("connection")) == "close") return;
  }
}

}  // namespace hm::test

#include "git/handles.hpp"

#include <string>

namespace hm::git {

std::string last_error_message() {
  const git_error* error = git_error_last();
  if (error == nullptr || error->message == nullptr) return "unknown libgit2 error";
  std::string message = error->message;
  // libgit2 messages sometimes end in a newline; errors here are one line each.
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  for (auto& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return message;
}

int check(int rc, std::string_view what) {
  if (rc < 0) throw Error(std::string(what) + ": " + last_error_message());
  return rc;
}

std::string to_hex(const git_oid& oid) {
  char buffer[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buffer, sizeof buffer, &oid);
  return buffer;
}

}  // namespace hm::git

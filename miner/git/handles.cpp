#include "git/handles.hpp"

#include <git2/sys/alloc.h>

#include <cstdlib>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>

namespace hm::git {
namespace {

// libgit2's allocator (Debian's 1.5 does not export its standard one): the C library's functions, an allocation
// failure recorded as libgit2's out-of-memory error, and calloc as malloc and memset (see use_memset_calloc).
void* reported(void* block) {
  if (block == nullptr) git_error_set_oom();
  return block;
}

void* allocate(std::size_t bytes, const char* /*file*/, int /*line*/) { return reported(std::malloc(bytes)); }

// count * size, or nothing when that overflows.
std::optional<std::size_t> product(std::size_t count, std::size_t size) {
  std::size_t bytes = 0;
  if (__builtin_mul_overflow(count, size, &bytes)) return std::nullopt;
  return bytes;
}

void* allocate_array(std::size_t count, std::size_t size, const char* file, int line) {
  const auto bytes = product(count, size);
  return bytes ? allocate(*bytes, file, line) : reported(nullptr);
}

void* allocate_zeroed(std::size_t count, std::size_t size, const char* file, int line) {
  void* block = allocate_array(count, size, file, line);
  if (block != nullptr) std::memset(block, 0, count * size);  // allocate_array ruled out an overflow
  return block;
}

char* copy_of(const char* text, std::size_t length) {
  auto* copy = static_cast<char*>(reported(std::malloc(length + 1)));
  if (copy == nullptr) return nullptr;
  std::memcpy(copy, text, length);
  copy[length] = '\0';
  return copy;
}

char* duplicate(const char* text, const char* /*file*/, int /*line*/) { return copy_of(text, std::strlen(text)); }

char* duplicate_at_most(const char* text, std::size_t n, const char* /*file*/, int /*line*/) {
  return copy_of(text, ::strnlen(text, n));
}

char* duplicate_exactly(const char* text, std::size_t n, const char* /*file*/, int /*line*/) {
  return copy_of(text, n);
}

void* reallocate(void* block, std::size_t bytes, const char* /*file*/, int /*line*/) {
  return reported(std::realloc(block, bytes));
}

void* reallocate_array(void* block, std::size_t count, std::size_t size, const char* file, int line) {
  const auto bytes = product(count, size);
  return bytes ? reallocate(block, *bytes, file, line) : reported(nullptr);
}

void release(void* block) { std::free(block); }

}  // namespace

void Library::read_partial_clones() {
  const char* extensions[] = {"partialclone"};
  check(git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, extensions, std::size(extensions)),
        "cannot let libgit2 open partial clones");
}

void Library::use_memset_calloc() {
  static git_allocator allocator{.gmalloc = allocate,
                                 .gcalloc = allocate_zeroed,
                                 .gstrdup = duplicate,
                                 .gstrndup = duplicate_at_most,
                                 .gsubstrdup = duplicate_exactly,
                                 .grealloc = reallocate,
                                 .greallocarray = reallocate_array,
                                 .gmallocarray = allocate_array,
                                 .gfree = release};
  check(git_libgit2_opts(GIT_OPT_SET_ALLOCATOR, &allocator), "cannot set libgit2's allocator");
}

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

git_oid oid_from_hex(const std::string& hex) {
  git_oid oid;
  check(git_oid_fromstr(&oid, hex.c_str()), "invalid object id " + hex);
  return oid;
}

}  // namespace hm::git

#pragma once
// Errors inside hybridminer are exceptions of one type carrying a one-line, user-facing message. They are thrown
// by the thin wrappers around C libraries (libgit2, SQLite, tree-sitter) and caught at exactly two boundaries:
// per mined source (the failure is recorded in repositories.error and mining goes on) and in main() (one message
// on stderr and an exit code). Nothing between those boundaries catches them.
#include <stdexcept>
#include <string>

namespace hm {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure of the database itself (disk full, read-only file, I/O error, corruption): nothing more can be stored,
// so it ends the run with one message instead of being recorded against each remaining source.
class DatabaseFailure : public Error {
 public:
  using Error::Error;
};

// Thrown for invalid command-line input; main() maps it to exit code 2.
class UsageError : public Error {
 public:
  using Error::Error;
};

}  // namespace hm

#pragma once
// A fresh folder under the system temp dir, removed with everything in it when the test ends, and reading back
// what a test wrote there.
#include <filesystem>
#include <string>

namespace hm::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& child) const { return path_ / child; }

 private:
  std::filesystem::path path_;
};

// The whole file's bytes; throws std::runtime_error when it cannot be opened.
std::string read_file(const std::filesystem::path& file);

}  // namespace hm::test

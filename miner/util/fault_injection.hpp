#pragma once
// Fault points for the crash-safety and robustness tests: an environment variable naming a count, e.g. after how
// many units of work the process SIGKILLs itself (inside an open transaction), or how many pages the database may
// grow to (a full disk), so tests can make a run fail at an exact point.
#include <cstdint>
#include <cstdlib>
#include <optional>

namespace hm::util {

// The count set in `variable`, or nullopt when it is unset or empty.
inline std::optional<std::int64_t> fault_point(const char* variable) {
  const char* value = std::getenv(variable);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::strtoll(value, nullptr, 10);
}

}  // namespace hm::util

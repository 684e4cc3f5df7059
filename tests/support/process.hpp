#pragma once
// Runs a program (no shell) and captures its exit status and output, for tests that drive the real binary.
#include <map>
#include <string>
#include <vector>

namespace hm::test {

struct ProcessResult {
  int exit_code = -1;   // -1 when killed by a signal
  int signal = 0;       // the signal that killed it, else 0
  std::string out;      // stdout
  std::string err;      // stderr
};

ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                          const std::string& cwd = {});

// Runs the hybridminer binary built with the tests.
ProcessResult hybridminer(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});

}  // namespace hm::test

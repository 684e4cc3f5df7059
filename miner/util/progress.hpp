#pragma once
// What a long run tells the person watching it. On a terminal: one live status line on stderr (repository i of n,
// commits walked, rate, ETA), redrawn at most a few times a second. Not on a terminal (CI logs, pipes): nothing
// but errors, unless --verbose. --quiet silences everything but errors. Summaries are printed by the caller.
// Thread-safe: `mine --jobs N` clones on worker threads while the writer draws its source's progress.
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace hm::util {

enum class Verbosity { Quiet, Normal, Verbose };

class Progress {
 public:
  // `live` is whether stderr is a terminal; the caller decides so tests can force either.
  Progress(Verbosity verbosity, bool live, std::FILE* out = stderr);

  void start_source(std::size_t index, std::size_t count, std::string_view name);
  void set_phase(std::string_view phase);  // e.g. "cloning", "walking"
  void commits(std::size_t done, std::size_t total);
  void transfer(std::size_t received, std::size_t total);
  // A clone or fetch on a worker thread, named by its source (the writer may be busy with another source).
  void transfer_of(std::string_view source, std::size_t received, std::size_t total);
  void finish_source(std::string_view outcome);  // one line, shown in verbose mode
  void error(std::string_view message);          // always shown
  void warning(std::string_view message);        // unless quiet
  void detail(std::string_view message);         // verbose only

 private:
  bool due();
  void draw_transfer(const std::string& prefix, std::size_t received, std::size_t total);
  void draw(const std::string& line);
  void clear_line();

  Verbosity verbosity_;
  bool live_;
  std::FILE* out_;
  std::string prefix_;
  std::chrono::steady_clock::time_point source_started_;
  std::chrono::steady_clock::time_point last_draw_;
  bool line_shown_ = false;
  std::mutex mutex_;  // every public member locks it; the private ones run under it
};

}  // namespace hm::util

#include "util/progress.hpp"

namespace hm::util {
namespace {
using Clock = std::chrono::steady_clock;

std::string format_duration(double seconds) {
  char buffer[32];
  if (seconds < 90) {
    std::snprintf(buffer, sizeof buffer, "%.0fs", seconds);
  } else if (seconds < 5400) {
    const long whole = static_cast<long>(seconds);
    std::snprintf(buffer, sizeof buffer, "%ldm%02lds", whole / 60, whole % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1fh", seconds / 3600);
  }
  return buffer;
}
}  // namespace

Progress::Progress(Verbosity verbosity, bool live, std::FILE* out)
    : verbosity_(verbosity), live_(live && verbosity != Verbosity::Quiet), out_(out) {}

void Progress::start_source(std::size_t index, std::size_t count, std::string_view name) {
  std::lock_guard lock(mutex_);
  prefix_ = "[" + std::to_string(index) + "/" + std::to_string(count) + "] " + std::string(name);
  source_started_ = Clock::now();
  last_draw_ = {};
  if (verbosity_ == Verbosity::Verbose && !live_) std::fprintf(out_, "%s: mining\n", prefix_.c_str());
  if (live_) draw(prefix_ + ": opening");
}

void Progress::set_phase(std::string_view phase) {
  std::lock_guard lock(mutex_);
  if (live_) draw(prefix_ + ": " + std::string(phase));
}

bool Progress::due() {
  const auto now = Clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(200)) return false;
  last_draw_ = now;
  return true;
}

void Progress::commits(std::size_t done, std::size_t total) {
  std::lock_guard lock(mutex_);
  if (!live_ || (!due() && done != total)) return;
  const double elapsed = std::chrono::duration<double>(Clock::now() - source_started_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  std::string line = prefix_ + ": " + std::to_string(done) + "/" + std::to_string(total) + " commits";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, ", %.0f/s", rate);
  line += buffer;
  if (rate > 0 && done < total) line += ", ETA " + format_duration(static_cast<double>(total - done) / rate);
  draw(line);
}

void Progress::transfer(std::size_t received, std::size_t total) {
  std::lock_guard lock(mutex_);
  draw_transfer(prefix_, received, total);
}

void Progress::transfer_of(std::string_view source, std::size_t received, std::size_t total) {
  std::lock_guard lock(mutex_);
  draw_transfer(std::string(source), received, total);
}

void Progress::draw_transfer(const std::string& prefix, std::size_t received, std::size_t total) {
  if (!live_ || !due()) return;
  std::string line = prefix + ": receiving objects " + std::to_string(received);
  if (total > 0) line += "/" + std::to_string(total);
  draw(line);
}

void Progress::finish_source(std::string_view outcome) {
  std::lock_guard lock(mutex_);
  clear_line();
  if (verbosity_ == Verbosity::Verbose) std::fprintf(out_, "%s: %.*s\n", prefix_.c_str(), static_cast<int>(outcome.size()), outcome.data());
}

void Progress::error(std::string_view message) {
  std::lock_guard lock(mutex_);
  clear_line();
  std::fprintf(out_, "error: %.*s\n", static_cast<int>(message.size()), message.data());
}

void Progress::warning(std::string_view message) {
  std::lock_guard lock(mutex_);
  if (verbosity_ == Verbosity::Quiet) return;
  clear_line();
  std::fprintf(out_, "warning: %.*s\n", static_cast<int>(message.size()), message.data());
}

void Progress::detail(std::string_view message) {
  std::lock_guard lock(mutex_);
  if (verbosity_ != Verbosity::Verbose) return;
  clear_line();
  std::fprintf(out_, "%.*s\n", static_cast<int>(message.size()), message.data());
}

void Progress::draw(const std::string& line) {
  // \r + clear-to-end-of-line keeps one status line in place.
  std::fprintf(out_, "\r\033[K%s", line.c_str());
  std::fflush(out_);
  line_shown_ = true;
}

void Progress::clear_line() {
  if (!line_shown_) return;
  std::fprintf(out_, "\r\033[K");
  std::fflush(out_);
  line_shown_ = false;
}

}  // namespace hm::util

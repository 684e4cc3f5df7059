#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "util/progress.hpp"

using hm::util::Progress;
using hm::util::Verbosity;

namespace {

// An anonymous temporary file standing in for stderr.
class Capture {
 public:
  Capture() : file_(std::tmpfile()) {
    if (file_ == nullptr) throw std::runtime_error("tmpfile failed");
  }
  std::FILE* file() const noexcept { return file_.get(); }
  std::string text() const {
    std::fflush(file_.get());
    std::rewind(file_.get());
    std::string result;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file_.get())) > 0) result.append(buffer, n);
    std::fseek(file_.get(), 0, SEEK_END);
    return result;
  }

 private:
  struct Closer {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> file_;
};

void run_one_source(Progress& progress) {
  progress.start_source(1, 2, "owner/name");
  progress.set_phase("walking");
  progress.commits(3, 10);
  progress.transfer(5, 9);
  progress.commits(10, 10);
  progress.detail("a detail");
  progress.finish_source("10 commits");
}

}  // namespace

TEST_CASE("progress: not live and normal prints nothing but errors", "[progress]") {
  Capture out;
  Progress progress(Verbosity::Normal, false, out.file());
  run_one_source(progress);
  CHECK(out.text().empty());
  progress.error("boom");
  CHECK(out.text() == "error: boom\n");
}

TEST_CASE("progress: warnings are printed unless quiet", "[progress]") {
  for (const auto verbosity : {Verbosity::Quiet, Verbosity::Normal, Verbosity::Verbose}) {
    Capture out;
    Progress progress(verbosity, false, out.file());
    progress.warning("3 file change(s) without content");
    CHECK(out.text() == (verbosity == Verbosity::Quiet ? "" : "warning: 3 file change(s) without content\n"));
  }
}

TEST_CASE("progress: errors are printed at every verbosity", "[progress]") {
  for (const auto verbosity : {Verbosity::Quiet, Verbosity::Normal, Verbosity::Verbose}) {
    for (const bool live : {false, true}) {
      Capture out;
      Progress progress(verbosity, live, out.file());
      progress.error("cannot open repository x");
      CHECK(out.text() == "error: cannot open repository x\n");
    }
  }
}

TEST_CASE("progress: quiet suppresses everything but errors, even on a terminal", "[progress]") {
  for (const bool live : {false, true}) {
    Capture out;
    Progress progress(Verbosity::Quiet, live, out.file());
    run_one_source(progress);
    CHECK(out.text().empty());
    progress.error("e");
    CHECK(out.text() == "error: e\n");
  }
}

TEST_CASE("progress: details are shown only when verbose", "[progress]") {
  Capture normal;
  Progress normal_progress(Verbosity::Normal, false, normal.file());
  normal_progress.detail("hidden");
  CHECK(normal.text().empty());

  Capture verbose;
  Progress verbose_progress(Verbosity::Verbose, false, verbose.file());
  verbose_progress.detail("shown");
  CHECK(verbose.text() == "shown\n");
}

TEST_CASE("progress: verbose and not live prints start and finish lines", "[progress]") {
  Capture out;
  Progress progress(Verbosity::Verbose, false, out.file());
  run_one_source(progress);
  CHECK(out.text() == "[1/2] owner/name: mining\na detail\n[1/2] owner/name: 10 commits\n");
}

TEST_CASE("progress: live prints a carriage-return status line with the commit count", "[progress]") {
  Capture out;
  Progress progress(Verbosity::Normal, true, out.file());
  progress.start_source(1, 2, "owner/name");
  progress.commits(3, 10);
  const auto text = out.text();
  CHECK(text.find('\r') != std::string::npos);
  CHECK(text.find("[1/2] owner/name: opening") != std::string::npos);
  CHECK(text.find("[1/2] owner/name: 3/10 commits") != std::string::npos);
  CHECK(text.find('\n') == std::string::npos);
}

TEST_CASE("progress: the final commit count is always drawn", "[progress]") {
  Capture out;
  Progress progress(Verbosity::Normal, true, out.file());
  progress.start_source(2, 2, "repo");
  progress.commits(1, 10);
  progress.commits(10, 10);  // within the redraw interval, but the last one
  CHECK(out.text().find("[2/2] repo: 10/10 commits") != std::string::npos);
}

TEST_CASE("progress: live and normal clears the status line before an error", "[progress]") {
  Capture out;
  Progress progress(Verbosity::Normal, true, out.file());
  progress.start_source(1, 1, "repo");
  progress.error("bad");
  const auto text = out.text();
  REQUIRE(text.size() >= std::string("error: bad\n").size());
  CHECK(text.ends_with("\r\033[Kerror: bad\n"));
  // Normal verbosity prints no finish line, only clears.
  Capture finish;
  Progress finishing(Verbosity::Normal, true, finish.file());
  finishing.start_source(1, 1, "repo");
  finishing.finish_source("done");
  CHECK(finish.text().ends_with("\r\033[K"));
  CHECK(finish.text().find("done") == std::string::npos);
}

TEST_CASE("progress: a clone on a worker thread is drawn under its own source's name", "[progress]") {
  Capture out;
  Progress progress(Verbosity::Normal, true, out.file());
  progress.start_source(1, 2, "owner/first");
  std::thread worker([&] { progress.transfer_of("owner/second", 5, 9); });
  worker.join();
  CHECK(out.text().find("owner/second: receiving objects 5/9") != std::string::npos);

  Capture quiet_out;
  Progress quiet(Verbosity::Normal, false, quiet_out.file());  // not a terminal: nothing is drawn
  quiet.transfer_of("owner/second", 5, 9);
  CHECK(quiet_out.text().empty());
}

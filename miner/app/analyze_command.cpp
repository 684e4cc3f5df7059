#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands.hpp"
#include "git/repository.hpp"
#include "git/tree_files.hpp"
#include "reports/analysis_format.hpp"
#include "util/error.hpp"

#ifndef HM_VERSION
#define HM_VERSION "unknown"
#endif

namespace hm::app {
namespace {

namespace fs = std::filesystem;

bool skipped_folder(const fs::path& folder) {
  const auto name = folder.filename().string();
  return name.starts_with(".") || name == "__pycache__" || name == "node_modules" || name == "venv" ||
         name == "site-packages";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path.string());
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The Python files of one PATH argument, named relative to it (a file argument is named by its file name).
std::vector<detectors::ModuleSource> files_of(const fs::path& argument) {
  std::error_code ec;
  if (!fs::exists(argument, ec)) throw Error("no such file or folder: " + argument.string());
  std::vector<detectors::ModuleSource> modules;
  if (!fs::is_directory(argument, ec)) {
    modules.push_back({argument.filename().generic_string(), read_file(argument)});
    return modules;
  }
  fs::recursive_directory_iterator it(argument, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && skipped_folder(it->path())) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) || it->path().extension() != ".py") continue;
    try {
      modules.push_back({fs::relative(it->path(), argument).generic_string(), read_file(it->path())});
    } catch (const Error& e) {
      std::fprintf(stderr, "warning: %s, skipped\n", e.what());
    }
  }
  if (ec) throw Error("cannot list " + argument.string() + ": " + ec.message());
  std::sort(modules.begin(), modules.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return modules;
}

std::vector<detectors::ModuleSource> files_at(const git::Repository& repository, const std::string& revision,
                                              const std::string& folder) {
  std::vector<detectors::ModuleSource> modules;
  for (auto& file : git::python_files_at(repository, revision, folder)) {
    modules.push_back({std::move(file.path), std::move(file.bytes)});
  }
  return modules;
}

void report_problems(const reports::AnalysedProject& project, const std::string& origin) {
  for (const auto& module : project.analysis.modules) {
    if (module.problem.empty()) continue;
    std::fprintf(stderr, "warning: %s%s: %s\n", origin.c_str(), module.path.c_str(), module.problem.c_str());
  }
}

}  // namespace

int run_analyze(const AnalyzeArgs& args) {
  if (args.at.has_value() != args.repo.has_value()) throw UsageError("analyze: --at and --repo go together");
  std::vector<reports::AnalysedProject> projects;
  if (args.repo) {
    const git::Library library;
    const auto repository = git::Repository::open(*args.repo);
    const auto folders = args.paths.empty() ? std::vector<std::string>{""} : args.paths;
    for (const auto& folder : folders) {
      projects.push_back(reports::analyse(files_at(repository, *args.at, folder)));
      report_problems(projects.back(), folder.empty() || folder == "." ? "" : folder + "/");
    }
  } else {
    if (args.paths.empty()) throw UsageError("analyze: give files or folders to analyse (or --at REV --repo PATH)");
    for (const auto& path : args.paths) {
      projects.push_back(reports::analyse(files_of(path)));
      report_problems(projects.back(), fs::is_directory(path) ? (fs::path(path) / "").generic_string() : "");
    }
  }
  if (args.format == "jsonl") {
    std::cout << reports::to_jsonl(projects);
  } else if (args.format == "sarif") {
    std::cout << reports::to_sarif(projects, HM_VERSION);
  } else {
    std::cout << reports::to_analysis_table(projects);
  }
  return 0;
}

}  // namespace hm::app

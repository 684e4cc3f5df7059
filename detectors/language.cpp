#include "detectors/language.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace hm::detectors {
namespace {

// Extension (lower case, without the dot) → language. Add a language by adding a row.
constexpr std::array<std::pair<std::string_view, std::string_view>, 34> kByExtension{{
    {"py", "python"},       {"pyi", "python"},     {"pyw", "python"},      {"ipynb", "jupyter"},
    {"pyx", "cython"},      {"pxd", "cython"},     {"c", "c"},             {"h", "c"},
    {"cc", "c++"},          {"cpp", "c++"},        {"cxx", "c++"},         {"hpp", "c++"},
    {"hh", "c++"},          {"cu", "cuda"},        {"cuh", "cuda"},        {"java", "java"},
    {"js", "javascript"},   {"ts", "typescript"},  {"go", "go"},           {"rs", "rust"},
    {"sh", "shell"},        {"md", "markdown"},    {"rst", "restructuredtext"}, {"txt", "text"},
    {"json", "json"},       {"yaml", "yaml"},      {"yml", "yaml"},        {"toml", "toml"},
    {"cfg", "ini"},         {"ini", "ini"},        {"proto", "protobuf"},  {"bzl", "starlark"},
    {"cmake", "cmake"},     {"html", "html"},
}};

}  // namespace

std::optional<std::string_view> language_of(std::string_view path) {
  const auto name = path.substr(path.find_last_of('/') + 1);
  if (name == "BUILD" || name == "WORKSPACE") return "starlark";
  if (name == "CMakeLists.txt") return "cmake";
  if (name == "Dockerfile") return "dockerfile";
  const auto dot = name.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  std::string extension(name.substr(dot + 1));
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto* found = std::find_if(kByExtension.begin(), kByExtension.end(),
                                   [&](const auto& entry) { return entry.first == extension; });
  if (found == kByExtension.end()) return std::nullopt;
  return found->second;
}

bool is_python_like(std::string_view language) { return language == "python" || language == "jupyter"; }

}  // namespace hm::detectors

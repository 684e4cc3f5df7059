#include <catch2/catch.hpp>

#include <optional>
#include <string_view>

#include "detectors/language.hpp"

using hm::detectors::is_python_like;
using hm::detectors::language_of;

namespace {
std::optional<std::string_view> lang(std::string_view path) { return language_of(path); }
}  // namespace

TEST_CASE("language_of: Python sources and notebooks", "[language]") {
  CHECK(lang("train.py") == "python");
  CHECK(lang("pkg/module/__init__.py") == "python");
  CHECK(lang("stubs/torch.pyi") == "python");
  CHECK(lang("gui.pyw") == "python");
  CHECK(lang("notebooks/Explore Data.ipynb") == "jupyter");
  CHECK(lang("MODEL.PY") == "python");
  CHECK(lang("Analysis.IPyNb") == "jupyter");
}

TEST_CASE("language_of: other known languages", "[language]") {
  CHECK(lang("ops/kernel.cu") == "cuda");
  CHECK(lang("csrc/op.cpp") == "c++");
  CHECK(lang("csrc/op.h") == "c");
  CHECK(lang("ext/fast.pyx") == "cython");
  CHECK(lang("README.md") == "markdown");
  CHECK(lang("docs/index.rst") == "restructuredtext");
  CHECK(lang("requirements.txt") == "text");
  CHECK(lang("setup.cfg") == "ini");
  CHECK(lang(".github/workflows/ci.yml") == "yaml");
  CHECK(lang("pyproject.toml") == "toml");
  CHECK(lang("third_party/BUILD") == "starlark");
  CHECK(lang("WORKSPACE") == "starlark");
  CHECK(lang("defs.bzl") == "starlark");
  CHECK(lang("CMakeLists.txt") == "cmake");
  CHECK(lang("cmake/CMakeLists.txt") == "cmake");
  CHECK(lang("docker/Dockerfile") == "dockerfile");
}

TEST_CASE("language_of: unknown paths are nullopt", "[language]") {
  CHECK_FALSE(lang("").has_value());
  CHECK_FALSE(lang("Makefile").has_value());
  CHECK_FALSE(lang("LICENSE").has_value());
  CHECK_FALSE(lang("weights.bin").has_value());
  CHECK_FALSE(lang("model.pt").has_value());
  CHECK_FALSE(lang(".py").has_value());  // a hidden file, not an extension
  CHECK_FALSE(lang(".gitignore").has_value());
  CHECK_FALSE(lang("src.py/README").has_value());  // the folder's extension does not count
  CHECK_FALSE(lang("archive.").has_value());
  CHECK_FALSE(lang("dir/").has_value());
  CHECK_FALSE(lang("script.py.orig").has_value());
}

TEST_CASE("is_python_like", "[language]") {
  CHECK(is_python_like("python"));
  CHECK(is_python_like("jupyter"));
  CHECK_FALSE(is_python_like("cython"));
  CHECK_FALSE(is_python_like("Python"));
  CHECK_FALSE(is_python_like(""));
}

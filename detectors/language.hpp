#pragma once
// The language of a file, from its path alone (file_changes.language). Python sources and notebooks are what the
// detectors analyse; the other names let queries separate code from docs and data.
#include <optional>
#include <string_view>

namespace hm::detectors {

// "python" for .py/.pyi/.pyw, "jupyter" for .ipynb, a few other common languages, nullopt when unknown.
std::optional<std::string_view> language_of(std::string_view path);

// True for the languages the hybridization detectors read.
bool is_python_like(std::string_view language);

}  // namespace hm::detectors

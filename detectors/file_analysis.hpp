#pragma once
// Facts of one file version by language: Python sources directly, Jupyter notebooks through their code cells
// (with lines mapped back to cell and line).
#include <string_view>

#include "detectors/python_facts.hpp"

namespace hm::detectors {

// Throws hm::Error for a notebook that is not valid notebook JSON; Python never throws.
FileFacts analyse_file(std::string_view bytes, std::string_view language, PythonParser& parser);

}  // namespace hm::detectors

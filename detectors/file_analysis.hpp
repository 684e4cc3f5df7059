#pragma once
// Facts of one file version by language: Python sources directly, Jupyter notebooks through their code cells
// (with lines mapped back to cell and line).
#include <string_view>

#include "detectors/python_facts.hpp"

namespace hm::detectors {

// Throws hm::Error for a notebook that is not valid notebook JSON; Python never throws.
// With prefilter, a file that cannot contain a site is not parsed (facts.parsed == false, no functions); without,
// every file is parsed, for when its functions matter (the other side of a change that removed a site).
FileFacts analyse_file(std::string_view bytes, std::string_view language, PythonParser& parser, bool prefilter = true);

}  // namespace hm::detectors

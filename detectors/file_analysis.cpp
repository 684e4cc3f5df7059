#include "detectors/file_analysis.hpp"

#include "detectors/blob_analysis.hpp"

namespace hm::detectors {

FileFacts analyse_file(std::string_view bytes, std::string_view language, PythonParser& parser, bool prefilter) {
  BlobOptions options;
  options.prefilter = prefilter;
  options.findings = false;
  return analyse_blob(bytes, language, parser, options).facts;
}

}  // namespace hm::detectors

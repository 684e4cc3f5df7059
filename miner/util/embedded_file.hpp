#pragma once
// SQL and catalogue files compiled into the binary (see cmake/EmbedFiles.cmake): schema migrations and named queries.
#include <string_view>
#include <vector>

namespace hm::embedded {

struct EmbeddedFile {
  std::string_view name;  // file name without ".sql", e.g. "0001_initial" or "corpus_overview"
  std::string_view text;
};

const std::vector<EmbeddedFile>& schema_migrations();  // schema/*.sql, sorted by name
const std::vector<EmbeddedFile>& named_queries();      // queries/*.sql, sorted by name
const std::vector<EmbeddedFile>& label_catalogues();   // data/labels/*.txt, sorted by name

}  // namespace hm::embedded

#pragma once
// Writes the corpus side of the database: corpus_queries (what selected repositories), corpus (membership),
// repositories + repository_metadata (GitHub's description of each), corpus_search_slices and
// corpus_search_size_slices (search progress: date slices, and file size slices of code searches).
// The caller owns transactions.
#include <cstdint>
#include <string>
#include <utility>

#include "github/repository_metadata.hpp"
#include "store/sqlite.hpp"

namespace hm::github {

class CorpusStore {
 public:
  explicit CorpusStore(store::Database& db);

  // Resumes the unfinished query with the same kind, query and options (an interrupted search), else starts a
  // new one. Returns its id and whether it was resumed.
  std::pair<std::int64_t, bool> open_query(const std::string& kind, const std::string& query,
                                           const std::string& options_json, std::int64_t run_id);
  void finish_query(std::int64_t query_id, bool incomplete);

  // The repositories row (matched by url, ignoring case, as GitHub does) with its metadata refreshed; returns
  // the repository id. github.com repositories get the url `mine owner/name` uses, so mining finds them.
  std::int64_t upsert_repository(const RepositoryMetadata& metadata);
  void add_to_corpus(std::int64_t repository_id, std::int64_t query_id);

  bool slice_done(std::int64_t query_id, const std::string& from, const std::string& to);
  void record_slice(std::int64_t query_id, const std::string& from, const std::string& to, std::int64_t total,
                    const std::string& status);
  bool size_slice_done(std::int64_t query_id, std::int64_t from, std::int64_t to);
  void record_size_slice(std::int64_t query_id, std::int64_t from, std::int64_t to, std::int64_t total,
                         const std::string& status);

 private:
  store::Database& db_;
};

}  // namespace hm::github

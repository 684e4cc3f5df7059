#pragma once
// The ResponseCache of conditional requests, kept in the database (table http_cache), so that ETags survive
// between runs: re-reading an unchanged repository or page costs a 304, which GitHub does not count.
#include "github/client.hpp"
#include "store/sqlite.hpp"

namespace hm::github {

class SqliteResponseCache : public ResponseCache {
 public:
  explicit SqliteResponseCache(store::Database& db);
  std::optional<CachedResponse> find(const std::string& url) override;
  // One statement: inside the caller's transaction when there is one (rolled back with it), else on its own.
  void store(const std::string& url, const CachedResponse& response) override;

 private:
  store::Statement find_;
  store::Statement store_;
};

}  // namespace hm::github

#include "github/http_cache.hpp"

#include "util/time.hpp"

namespace hm::github {

SqliteResponseCache::SqliteResponseCache(store::Database& db)
    : find_(db.prepare("SELECT etag, body, link FROM http_cache WHERE url = ?")),
      store_(db.prepare("INSERT INTO http_cache (url, etag, body, link, fetched_at) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, body = excluded.body, "
                        "link = excluded.link, fetched_at = excluded.fetched_at")) {}

std::optional<CachedResponse> SqliteResponseCache::find(const std::string& url) {
  find_.reset();
  find_.bind(1, url);
  if (!find_.step()) return std::nullopt;
  CachedResponse cached{find_.get_text(0), find_.get_text(1), find_.get_text(2)};
  find_.reset();
  return cached;
}

void SqliteResponseCache::store(const std::string& url, const CachedResponse& response) {
  store_.bind_all(url, response.etag, response.body, response.link, util::now_iso_utc()).run();
}

}  // namespace hm::github

#pragma once
// GitHub search without losing results. A search answers at most 1,000 results however many match, so a range
// qualifier of the query is split in halves, recursively, until every slice matches at most 1,000; each slice is
// then read page by page (per_page=100). The range is a date range (created: for repositories, committer-date:
// for commits), or for code search, which has no date qualifier, the file size in bytes (size:). A slice of a
// single second (a single byte size) that still matches more is read up to the cap and reported as capped.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "github/client.hpp"

namespace hm::github {

constexpr std::int64_t kSearchResultCap = 1000;

// Largest file GitHub's code search indexes (384 KB): the top of the size range of a code search.
constexpr std::int64_t kCodeSearchMaxFileBytes = 384 * 1024;

enum class RangeUnit { seconds, bytes };

struct SearchSpec {
  std::string endpoint;         // "/search/repositories", "/search/commits" or "/search/code"
  std::string query;            // text and qualifiers, without the range qualifier that is split
  std::string range_qualifier;  // "created", "committer-date" or "size"
  std::int64_t from = 0;        // Unix seconds or bytes, inclusive
  std::int64_t to = 0;          // inclusive
  RangeUnit unit = RangeUnit::seconds;
};

struct SearchSlice {
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::int64_t total_count = 0;
  std::vector<nlohmann::json> items;
  bool capped = false;      // more than the cap in one second: some results could not be read
  bool incomplete = false;  // GitHub said incomplete_results (its search timed out)
};

struct SearchCallbacks {
  std::function<bool(std::int64_t from, std::int64_t to)> is_done;  // a slice stored by an interrupted run
  std::function<void(std::int64_t from, std::int64_t to, std::int64_t total)> on_split;
  std::function<void(const SearchSlice&)> on_slice;  // every item of one slice, to store in one transaction
};

struct SearchOutcome {
  std::int64_t slices = 0;  // slices read now (not counting those done before)
  std::int64_t items = 0;
  bool capped = false;
  bool incomplete = false;
};

SearchOutcome search_all(Client& client, const SearchSpec& spec, const SearchCallbacks& callbacks);

// The q= value for one slice: "QUERY created:2020-01-01T00:00:00Z..2020-06-30T23:59:59Z", "QUERY size:0..1023".
std::string slice_query(const SearchSpec& spec, std::int64_t from, std::int64_t to);

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string url_encode(std::string_view text);

}  // namespace hm::github

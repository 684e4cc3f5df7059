#include "github/search.hpp"

#include "github/json_fields.hpp"
#include "util/time.hpp"

namespace hm::github {
namespace {

struct FirstPage {
  std::int64_t total = 0;
  bool incomplete = false;
  Page page;
};

std::string page_url(const SearchSpec& spec, std::int64_t from, std::int64_t to) {
  return spec.endpoint + "?q=" + url_encode(slice_query(spec, from, to)) + "&per_page=100";
}

// Reads the search envelope {total_count, incomplete_results, items} and appends the items.
FirstPage read_envelope(const Page& page, std::vector<nlohmann::json>& items) {
  const auto envelope = expect_object(page.json, page.url);
  FirstPage result;
  result.total = envelope.integer("total_count");
  result.incomplete = envelope.optional_boolean("incomplete_results", false);
  for (const auto& item : envelope.array("items")) {
    if (!item.is_object()) envelope.fail(std::string("an item of 'items' is ") + kind_of(item) + ", not an object");
    items.push_back(item);
  }
  return result;
}

void search_slice(Client& client, const SearchSpec& spec, std::int64_t from, std::int64_t to,
                  const SearchCallbacks& callbacks, SearchOutcome& outcome) {
  if (callbacks.is_done && callbacks.is_done(from, to)) return;
  SearchSlice slice;
  slice.from = from;
  slice.to = to;
  auto page = client.get(page_url(spec, from, to));
  const auto first = read_envelope(page, slice.items);
  if (first.total > kSearchResultCap && to > from) {
    if (callbacks.on_split) callbacks.on_split(from, to, first.total);
    const auto middle = from + (to - from) / 2;
    search_slice(client, spec, from, middle, callbacks, outcome);
    search_slice(client, spec, middle + 1, to, callbacks, outcome);
    return;
  }
  slice.total_count = first.total;
  slice.incomplete = first.incomplete;
  slice.capped = first.total > kSearchResultCap;
  // GitHub offers at most 10 pages of 100; the bound also stops a server whose Link header never ends.
  for (int pages = 1; page.next_url && pages < kSearchResultCap / 100; ++pages) {
    page = client.get(*page.next_url);
    slice.incomplete = read_envelope(page, slice.items).incomplete || slice.incomplete;
  }
  ++outcome.slices;
  outcome.items += static_cast<std::int64_t>(slice.items.size());
  outcome.capped = outcome.capped || slice.capped;
  outcome.incomplete = outcome.incomplete || slice.incomplete;
  if (callbacks.on_slice) callbacks.on_slice(slice);
}

}  // namespace

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

std::string slice_query(const SearchSpec& spec, std::int64_t from, std::int64_t to) {
  std::string query = spec.query;
  if (!query.empty()) query += ' ';
  if (spec.unit == RangeUnit::bytes) {
    return query + spec.range_qualifier + ":" + std::to_string(from) + ".." + std::to_string(to);
  }
  return query + spec.range_qualifier + ":" + util::iso_utc(from) + ".." + util::iso_utc(to);
}

SearchOutcome search_all(Client& client, const SearchSpec& spec, const SearchCallbacks& callbacks) {
  if (spec.from > spec.to) throw Error("search range is empty: its start is after its end");
  SearchOutcome outcome;
  search_slice(client, spec, spec.from, spec.to, callbacks, outcome);
  return outcome;
}

}  // namespace hm::github

// Date-range splitting of GitHub search against a fake search endpoint that behaves like GitHub's: it filters
// a population by the created: range of q, reports the full total_count, and serves at most 10 pages of 100.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "github/search.hpp"
#include "github_fixtures.hpp"
#include "support/fake_github.hpp"
#include "util/time.hpp"

using hm::test::FakeGitHub;
using hm::test::FakeRequest;
using hm::test::json_response;

namespace {

struct Population {
  std::vector<std::int64_t> created;  // one repository per entry, its creation time

  // The fake /search/repositories: q must end in "created:FROM..TO".
  hm::test::FakeResponse answer(const FakeRequest& request, const std::string& base) const {
    const auto q = request.param("q");
    const auto at = q.rfind("created:");
    const auto range = q.substr(at + 8);
    const auto dots = range.find("..");
    const auto from = hm::util::parse_date(range.substr(0, dots));
    const auto to = hm::util::parse_date(range.substr(dots + 2));
    std::vector<std::size_t> matches;
    for (std::size_t i = 0; i < created.size(); ++i) {
      if (created[i] >= from && created[i] <= to) matches.push_back(i);
    }
    const int page = request.param("page").empty() ? 1 : std::stoi(request.param("page"));
    if (page > 10) return json_response("{\"message\": \"Only the first 1000 search results are available\"}", 422);
    std::vector<nlohmann::json> items;
    for (std::size_t k = static_cast<std::size_t>(page - 1) * 100; k < matches.size() && k < static_cast<std::size_t>(page) * 100; ++k) {
      const auto i = matches[k];
      items.push_back(hm::test::gh::repository("org/repo" + std::to_string(i), static_cast<std::int64_t>(i) + 1, 10,
                                               hm::util::iso_utc(created[i])));
    }
    auto response = json_response(hm::test::gh::search_envelope(static_cast<std::int64_t>(matches.size()), items).dump());
    const auto reachable = std::min<std::size_t>(matches.size(), 1000);
    if (static_cast<std::size_t>(page) * 100 < reachable) {
      response.headers.push_back({"Link", "<" + base + request.path + "?q=" + hm::github::url_encode(q) +
                                              "&per_page=100&page=" + std::to_string(page + 1) + ">; rel=\"next\""});
    }
    return response;
  }
};

hm::github::Client make_client(const FakeGitHub& server) {
  hm::github::ClientOptions options;
  options.base_url = server.base_url();
  return hm::github::Client(options, nullptr, [](std::chrono::milliseconds) {}, [] { return std::int64_t{0}; },
                            [](const std::string&) {});
}

hm::github::SearchSpec spec_for(std::int64_t from, std::int64_t to) {
  return {"/search/repositories", "tf.function language:Python", "created", from, to};
}

}  // namespace

TEST_CASE("a search over the 1000-result cap is split by date until every result is read", "[github][search]") {
  Population population;
  const auto start = hm::util::parse_date("2016-01-01");
  for (int i = 0; i < 2500; ++i) population.created.push_back(start + static_cast<std::int64_t>(i) * 40'000);
  std::string base;
  FakeGitHub server([&](const FakeRequest& request) { return population.answer(request, base); });
  base = server.base_url();
  auto client = make_client(server);

  std::set<std::string> names;
  std::vector<std::pair<std::int64_t, std::int64_t>> splits;
  std::int64_t largest_slice = 0;
  hm::github::SearchCallbacks callbacks;
  callbacks.on_split = [&](std::int64_t from, std::int64_t to, std::int64_t total) {
    CHECK(total > 1000);
    splits.emplace_back(from, to);
  };
  callbacks.on_slice = [&](const hm::github::SearchSlice& slice) {
    CHECK(static_cast<std::int64_t>(slice.items.size()) == slice.total_count);
    largest_slice = std::max<std::int64_t>(largest_slice, slice.total_count);
    for (const auto& item : slice.items) CHECK(names.insert(item["full_name"].get<std::string>()).second);
  };
  const auto outcome = hm::github::search_all(client, spec_for(start, hm::util::parse_date("2020-01-01")), callbacks);
  CHECK(names.size() == 2500);
  CHECK(outcome.items == 2500);
  CHECK_FALSE(outcome.capped);
  CHECK(largest_slice <= 1000);
  CHECK(splits.size() >= 2);
  CHECK(splits.front() == std::make_pair(start, hm::util::parse_date("2020-01-01")));
  // Every request asked for 100 per page and named its slice.
  for (const auto& request : server.requests()) {
    CHECK(request.param("per_page") == "100");
    CHECK(request.param("q").starts_with("tf.function language:Python created:"));
  }
}

TEST_CASE("slices an interrupted search finished are not read again", "[github][search]") {
  Population population;
  const auto start = hm::util::parse_date("2016-01-01");
  for (int i = 0; i < 1500; ++i) population.created.push_back(start + static_cast<std::int64_t>(i) * 1000);
  std::string base;
  FakeGitHub server([&](const FakeRequest& request) { return population.answer(request, base); });
  base = server.base_url();
  auto client = make_client(server);
  const auto spec = spec_for(start, start + 1'500'000);

  std::vector<std::pair<std::int64_t, std::int64_t>> done;
  std::int64_t first_run_items = 0;
  hm::github::SearchCallbacks first;
  first.on_slice = [&](const hm::github::SearchSlice& slice) {
    done.emplace_back(slice.from, slice.to);
    first_run_items += static_cast<std::int64_t>(slice.items.size());
  };
  hm::github::search_all(client, spec, first);
  REQUIRE(done.size() >= 2);

  // A second run whose first slice is already stored reads only the others.
  std::int64_t second_run_items = 0;
  hm::github::SearchCallbacks second;
  second.is_done = [&](std::int64_t from, std::int64_t to) { return std::make_pair(from, to) == done.front(); };
  second.on_slice = [&](const hm::github::SearchSlice& slice) {
    CHECK(std::make_pair(slice.from, slice.to) != done.front());
    second_run_items += static_cast<std::int64_t>(slice.items.size());
  };
  hm::github::search_all(client, spec, second);
  CHECK(first_run_items == 1500);
  CHECK(second_run_items < first_run_items);
  CHECK(second_run_items > 0);
}

TEST_CASE("a one-second slice over the cap is read up to the cap and reported", "[github][search]") {
  Population population;
  const auto moment = hm::util::parse_date("2018-05-05T05:05:05Z");
  population.created.assign(1200, moment);
  std::string base;
  FakeGitHub server([&](const FakeRequest& request) { return population.answer(request, base); });
  base = server.base_url();
  auto client = make_client(server);
  std::int64_t items = 0;
  int capped_slices = 0;
  hm::github::SearchCallbacks callbacks;
  callbacks.on_slice = [&](const hm::github::SearchSlice& slice) {
    items += static_cast<std::int64_t>(slice.items.size());
    CHECK(slice.capped == (slice.total_count > 1000));
    if (slice.capped) {
      ++capped_slices;
      CHECK(slice.from == moment);
      CHECK(slice.to == moment);
    }
  };
  const auto outcome = hm::github::search_all(client, spec_for(moment - 10, moment + 10), callbacks);
  CHECK(outcome.capped);
  CHECK(capped_slices == 1);
  CHECK(items == 1000);
}

TEST_CASE("search envelopes of the wrong shape are clear errors", "[github][search]") {
  int variant = 0;
  FakeGitHub server([&](const FakeRequest&) {
    switch (variant) {
      case 0: return json_response("[]");
      case 1: return json_response("{\"total_count\": \"many\", \"items\": []}");
      case 2: return json_response("{\"total_count\": 1}");
      default: return json_response("{\"total_count\": 1, \"items\": [42]}");
    }
  });
  auto client = make_client(server);
  const auto spec = spec_for(0, 100);
  const auto url = server.base_url() + "/search/repositories?q=" +
                   hm::github::url_encode(hm::github::slice_query(spec, 0, 100)) + "&per_page=100";
  const std::vector<std::string> expected{
      "unexpected GitHub response from " + url + ": expected an object, got an array",
      "unexpected GitHub response from " + url + ": field 'total_count' is a string, not an integer",
      "unexpected GitHub response from " + url + ": field 'items' is missing",
      "unexpected GitHub response from " + url + ": an item of 'items' is an integer, not an object"};
  for (variant = 0; variant < 4; ++variant) {
    CHECK_THROWS_WITH(hm::github::search_all(client, spec, {}), expected[static_cast<std::size_t>(variant)]);
  }
}

TEST_CASE("slice queries name the range in ISO 8601 and are percent-encoded", "[github][search]") {
  const hm::github::SearchSpec spec{"/search/commits", "tf.function", "committer-date", 0, 86399};
  CHECK(hm::github::slice_query(spec, 0, 86399) == "tf.function committer-date:1970-01-01T00:00:00Z..1970-01-01T23:59:59Z");
  CHECK(hm::github::url_encode("a b:>=1/é") == "a%20b%3A%3E%3D1%2F%C3%A9");
  const hm::github::SearchSpec code{"/search/code", "tf.function language:Python", "size", 0,
                                    hm::github::kCodeSearchMaxFileBytes, hm::github::RangeUnit::bytes};
  CHECK(hm::github::slice_query(code, 0, 196608) == "tf.function language:Python size:0..196608");

}

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "labels/sampling.hpp"

using hm::labels::sample_indices;
using hm::labels::stratified_sample;

TEST_CASE("sampling: the same seed gives the same sample, distinct sorted indices", "[labels][sampling]") {
  const auto a = sample_indices(100, 10, 42);
  CHECK(a == sample_indices(100, 10, 42));
  CHECK(a.size() == 10);
  CHECK(std::is_sorted(a.begin(), a.end()));
  CHECK(std::adjacent_find(a.begin(), a.end()) == a.end());
  CHECK(a.back() < 100);
  CHECK(a != sample_indices(100, 10, 43));
  // std::mt19937_64's output is fixed by the standard and the draws use it directly, so the sample is the same
  // on every platform: pinned, to catch an accidental change of the algorithm.
  CHECK(sample_indices(10, 3, 1) == std::vector<std::size_t>{4, 7, 8});
}

TEST_CASE("sampling: asking for more than the population gives all of it", "[labels][sampling]") {
  CHECK(sample_indices(4, 10, 1) == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(sample_indices(0, 3, 1).empty());
}

TEST_CASE("sampling: stratified shares follow the strata sizes, largest remainders first", "[labels][sampling]") {
  // 11 added, 2 removed, 3 args_changed; 8 of 16: exact shares 5.5, 1, 1.5; the extra one goes to the first of
  // the tied remainders by name (added).
  std::vector<std::string> strata;
  for (int i = 0; i < 11; ++i) strata.emplace_back("added");
  for (int i = 0; i < 2; ++i) strata.emplace_back("removed");
  for (int i = 0; i < 3; ++i) strata.emplace_back("args_changed");
  const auto sample = stratified_sample(strata, 8, 7);
  std::map<std::string, int> counts;
  for (const auto i : sample) ++counts[strata[i]];
  CHECK(counts == std::map<std::string, int>{{"added", 6}, {"args_changed", 1}, {"removed", 1}});
  CHECK(sample == stratified_sample(strata, 8, 7));
  CHECK(std::is_sorted(sample.begin(), sample.end()));
}

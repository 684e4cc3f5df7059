#include "labels/sampling.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <random>

namespace hm::labels {
namespace {

// Uniform in [0, bound), without the modulo bias: draws above the largest multiple of `bound` are rejected.
std::uint64_t uniform_below(std::mt19937_64& engine, std::uint64_t bound) {
  const std::uint64_t limit = std::mt19937_64::max() - (std::mt19937_64::max() % bound + 1) % bound;
  std::uint64_t draw = engine();
  while (draw > limit) draw = engine();
  return draw % bound;
}

// Partial Fisher-Yates shuffle of `items`: its first n elements become the sample.
std::vector<std::size_t> draw(std::vector<std::size_t> items, std::size_t n, std::mt19937_64& engine) {
  n = std::min(n, items.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto j = i + static_cast<std::size_t>(uniform_below(engine, items.size() - i));
    std::swap(items[i], items[j]);
  }
  items.resize(n);
  return items;
}

}  // namespace

std::vector<std::size_t> sample_indices(std::size_t population, std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> all(population);
  std::iota(all.begin(), all.end(), std::size_t{0});
  std::mt19937_64 engine(seed);
  auto sample = draw(std::move(all), n, engine);
  std::sort(sample.begin(), sample.end());
  return sample;
}

std::vector<std::size_t> stratified_sample(const std::vector<std::string>& strata, std::size_t n, std::uint64_t seed) {
  std::map<std::string, std::vector<std::size_t>> members;  // ordered by stratum name: deterministic
  for (std::size_t i = 0; i < strata.size(); ++i) members[strata[i]].push_back(i);
  const auto total = strata.size();
  n = std::min(n, total);

  struct Quota {
    std::string stratum;
    std::size_t count;
    std::size_t remainder;  // of n * size / total, in units of 1/total
  };
  std::vector<Quota> quotas;
  std::size_t assigned = 0;
  for (const auto& [stratum, items] : members) {
    const auto exact = n * items.size();
    quotas.push_back({stratum, exact / total, exact % total});
    assigned += exact / total;
  }
  auto by_remainder = quotas;
  std::stable_sort(by_remainder.begin(), by_remainder.end(),
                   [](const auto& a, const auto& b) { return a.remainder > b.remainder; });
  for (std::size_t k = 0; assigned < n && k < by_remainder.size(); ++k, ++assigned) {
    const auto found = std::find_if(quotas.begin(), quotas.end(),
                                    [&](const auto& q) { return q.stratum == by_remainder[k].stratum; });
    ++found->count;
  }

  std::mt19937_64 engine(seed);
  std::vector<std::size_t> sample;
  for (const auto& quota : quotas) {
    const auto part = draw(members[quota.stratum], quota.count, engine);
    sample.insert(sample.end(), part.begin(), part.end());
  }
  std::sort(sample.begin(), sample.end());
  return sample;
}

}  // namespace hm::labels

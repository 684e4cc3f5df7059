#pragma once
// Deterministic random samples for labelling: the same population, size and seed give the same sample on every
// machine and standard library. (std::mt19937_64's output is fixed by the standard, but the std distributions and
// std::shuffle are not, so the draws here use the engine directly.)
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hm::labels {

// `n` distinct indices of 0..population-1 (all of them when n >= population), in increasing order.
std::vector<std::size_t> sample_indices(std::size_t population, std::size_t n, std::uint64_t seed);

// A sample stratified by `strata` (the stratum of each population item): each stratum gets a share of `n`
// proportional to its size (largest remainders, ties to the alphabetically first stratum), drawn at random
// within it. Indices in increasing order.
std::vector<std::size_t> stratified_sample(const std::vector<std::string>& strata, std::size_t n, std::uint64_t seed);

}  // namespace hm::labels

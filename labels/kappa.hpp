#pragma once
// Inter-rater agreement of two raters on nominal labels: Cohen's kappa.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hm::labels {

struct Agreement {
  std::size_t items = 0;      // items both raters labelled
  std::size_t agreed = 0;     // items with the same label
  double observed = 0;        // p_o = agreed / items
  double expected = 0;        // p_e = sum over labels of p_A(label) * p_B(label)
  std::optional<double> kappa;  // (p_o - p_e) / (1 - p_e); none without items or when p_e = 1 (one label only)
};

// `pairs`: one (rater A's label, rater B's label) per item.
Agreement cohen_kappa(const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace hm::labels

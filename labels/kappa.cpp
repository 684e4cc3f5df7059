#include "labels/kappa.hpp"

#include <map>

namespace hm::labels {

Agreement cohen_kappa(const std::vector<std::pair<std::string, std::string>>& pairs) {
  Agreement result;
  result.items = pairs.size();
  if (pairs.empty()) return result;
  std::map<std::string, std::pair<std::size_t, std::size_t>> marginals;  // label -> (A's count, B's count)
  for (const auto& [a, b] : pairs) {
    if (a == b) ++result.agreed;
    ++marginals[a].first;
    ++marginals[b].second;
  }
  const auto n = static_cast<double>(pairs.size());
  result.observed = static_cast<double>(result.agreed) / n;
  for (const auto& [label, counts] : marginals) {
    result.expected += (static_cast<double>(counts.first) / n) * (static_cast<double>(counts.second) / n);
  }
  // Both raters used one and the same label throughout: chance explains everything and kappa is undefined.
  if (marginals.size() > 1) {
    result.kappa = (result.observed - result.expected) / (1.0 - result.expected);
  }
  return result;
}

}  // namespace hm::labels

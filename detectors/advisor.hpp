#pragma once
// The hybridization advice for one function, following the preconditions of the published Hybridize-Functions
// refactoring (Khatchadourian et al., ponder-lab/Hybridize-Functions-Refactoring): an eager function is converted
// to hybrid when it takes a tensor, no Python scalar, has no Python side effects and is not recursive (P1); a
// hybrid function is converted back to eager when it takes no tensor (P2), takes tensors and scalars (P3) or does
// no tensor computation (P6), and has no side effects. Everything else fails with the tool's failure codes.
//
// As in that tool, `refactoring` names the refactoring that applies to the function's kind (eager → convert to
// hybrid, hybrid → optimize) also when its preconditions fail; `transformation` and `passing_precondition` are set
// only when they pass.
#include <optional>
#include <string>
#include <vector>

#include "detectors/function_analysis.hpp"

namespace hm::detectors {

struct Advice {
  std::optional<std::string> refactoring;           // CONVERT_EAGER_FUNCTION_TO_HYBRID, OPTIMIZE_HYBRID_FUNCTION
  std::optional<std::string> transformation;        // CONVERT_TO_HYBRID, CONVERT_TO_EAGER
  std::optional<std::string> passing_precondition;  // P1, P2, P3, P6
  std::vector<std::string> failures;                // PreconditionFailure names, in the tool's order, each once
  std::vector<std::string> warnings;                // e.g. a recursive hybrid function
};

Advice advise(const FunctionAnalysis& function);

}  // namespace hm::detectors

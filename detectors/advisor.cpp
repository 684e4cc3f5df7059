#include "detectors/advisor.hpp"

#include <algorithm>

namespace hm::detectors {
namespace {

bool is_true(const std::optional<bool>& fact) { return fact.has_value() && *fact; }
bool is_false(const std::optional<bool>& fact) { return fact.has_value() && !*fact; }

void fail(Advice& advice, const char* code) {
  if (std::find(advice.failures.begin(), advice.failures.end(), code) == advice.failures.end()) {
    advice.failures.emplace_back(code);
  }
}

void pass(Advice& advice, const char* transformation, const char* precondition) {
  advice.transformation = transformation;
  advice.passing_precondition = precondition;
}

// Table 1 of the paper: eager functions.
void advise_eager(const FunctionAnalysis& f, Advice& advice) {
  advice.refactoring = "CONVERT_EAGER_FUNCTION_TO_HYBRID";
  if (is_true(f.has_tensor_parameter)) {
    if (is_false(f.has_primitive_parameter)) {
      if (is_false(f.has_python_side_effects)) {
        if (is_false(f.is_recursive)) {
          // Safety failures first, then the benefit checks.
          if (f.has_eager_only_calls) {
            fail(advice, "HAS_EAGER_ONLY_CALLS");
          } else if (f.has_numpy_calls_on_parameters) {
            fail(advice, "HAS_NUMPY_CALLS_ON_PARAMETERS");
          } else if (f.has_invalid_name_arguments) {
            fail(advice, "HAS_INVALID_NAME_ARGUMENTS");
          } else if (f.has_stale_variable_reads) {
            fail(advice, "HAS_STALE_VARIABLE_READS");
          } else if (f.has_tensor_parameter_iteration) {
            fail(advice, "HAS_TENSOR_PARAMETER_ITERATION");
          } else if (is_false(f.has_tensor_computation)) {
            fail(advice, "NO_TENSOR_COMPUTATION");
          } else if (f.caller_covered) {
            fail(advice, "HAS_COVERED_CALLERS");
          } else {
            pass(advice, "CONVERT_TO_HYBRID", "P1");
          }
        } else if (f.is_recursive) {
          fail(advice, "IS_RECURSIVE");
        }
      } else if (f.has_python_side_effects) {
        fail(advice, "HAS_PYTHON_SIDE_EFFECTS");
        if (is_true(f.is_recursive)) fail(advice, "IS_RECURSIVE");
      }
    } else if (f.has_primitive_parameter) {
      fail(advice, "HAS_PRIMITIVE_PARAMETERS");
      if (is_true(f.has_python_side_effects)) fail(advice, "HAS_PYTHON_SIDE_EFFECTS");
      if (is_true(f.is_recursive)) fail(advice, "IS_RECURSIVE");
    }
  } else if (f.has_tensor_parameter) {  // known: no tensor parameter
    fail(advice, "HAS_NO_TENSOR_PARAMETERS");
    if (is_true(f.has_primitive_parameter)) fail(advice, "HAS_PRIMITIVE_PARAMETERS");
    if (is_true(f.has_python_side_effects)) fail(advice, "HAS_PYTHON_SIDE_EFFECTS");
    if (is_true(f.is_recursive)) fail(advice, "IS_RECURSIVE");
  }
}

// Table 2 of the paper: hybrid functions.
void advise_hybrid(const FunctionAnalysis& f, Advice& advice) {
  advice.refactoring = "OPTIMIZE_HYBRID_FUNCTION";
  if (is_false(f.has_tensor_parameter)) {
    if (is_false(f.has_python_side_effects)) {
      pass(advice, "CONVERT_TO_EAGER", "P2");
    } else if (f.has_python_side_effects) {
      fail(advice, "HAS_PYTHON_SIDE_EFFECTS");
    }
  } else if (f.has_tensor_parameter) {
    if (is_true(f.has_primitive_parameter)) {
      if (is_false(f.has_python_side_effects)) {
        pass(advice, "CONVERT_TO_EAGER", "P3");
      } else if (f.has_python_side_effects) {
        fail(advice, "HAS_PYTHON_SIDE_EFFECTS");
      }
    } else if (f.has_primitive_parameter) {
      if (is_false(f.has_tensor_computation)) {
        if (is_false(f.has_python_side_effects)) {
          pass(advice, "CONVERT_TO_EAGER", "P6");
        } else if (f.has_python_side_effects) {
          fail(advice, "HAS_PYTHON_SIDE_EFFECTS");
        }
      } else {
        // Already hybrid for good reason: nothing to optimize.
        fail(advice, "HAS_NO_PRIMITIVE_PARAMETERS");
        if (is_true(f.has_python_side_effects)) fail(advice, "HAS_PYTHON_SIDE_EFFECTS");
      }
    }
    if (is_true(f.is_recursive)) advice.warnings.emplace_back("Recursive tf.functions are not supported by TensorFlow.");
  }
  if (is_true(f.has_python_side_effects)) {
    advice.warnings.emplace_back("This hybrid function potentially contains Python side-effects.");
  }
}

}  // namespace

Advice advise(const FunctionAnalysis& f) {
  Advice advice;
  if (f.is_hybrid && f.family != "tensorflow") {
    // The preconditions are about TensorFlow's tf.function; other APIs are reported, not advised.
    fail(advice, "CURRENTLY_NOT_HANDLED");
    return advice;
  }
  // What the analysis could not decide comes first, as the tool adds these while inferring the facts.
  if (!f.has_tensor_parameter.has_value()) fail(advice, "UNDETERMINABLE_TENSOR_PARAMETER");
  if (!f.has_primitive_parameter.has_value()) fail(advice, "UNDETERMINABLE_PRIMITIVE_PARAMETER");
  if (!f.has_python_side_effects.has_value()) fail(advice, "UNDETERMINABLE_SIDE_EFFECTS");
  if (!f.is_recursive.has_value()) fail(advice, "CANT_APPROXIMATE_RECURSION");
  if (f.is_hybrid) {
    advise_hybrid(f, advice);
  } else {
    advise_eager(f, advice);
  }
  return advice;
}

}  // namespace hm::detectors

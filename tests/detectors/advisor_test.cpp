// The refactoring decision from facts (the precondition tables of Hybridize-Functions), then the same decisions
// reached from small programs end to end.
#include <catch2/catch.hpp>

#include "detectors/advisor.hpp"

using hm::detectors::advise;
using hm::detectors::Advice;
using hm::detectors::FunctionAnalysis;
using Strings = std::vector<std::string>;

namespace {

FunctionAnalysis facts(bool hybrid, std::optional<bool> tensor, std::optional<bool> primitive,
                       std::optional<bool> side_effects, std::optional<bool> recursive) {
  FunctionAnalysis f;
  f.qualified_name = "f";
  f.is_hybrid = hybrid;
  if (hybrid) {
    f.api = "tf.function";
    f.family = "tensorflow";
  }
  f.has_tensor_parameter = tensor;
  f.has_primitive_parameter = primitive;
  f.has_python_side_effects = side_effects;
  f.is_recursive = recursive;
  f.has_tensor_computation = true;
  return f;
}

std::string verdict(const Advice& a) {
  return a.refactoring.value_or("-") + " " + a.transformation.value_or("-") + " " + a.passing_precondition.value_or("-");
}

}  // namespace

TEST_CASE("P1: an eager function with a tensor, no scalar, no side effects, not recursive", "[advisor]") {
  const auto advice = advise(facts(false, true, false, false, false));
  CHECK(verdict(advice) == "CONVERT_EAGER_FUNCTION_TO_HYBRID CONVERT_TO_HYBRID P1");
  CHECK(advice.failures.empty());
}

TEST_CASE("eager functions that fail P1, with every reason", "[advisor]") {
  CHECK(advise(facts(false, true, false, true, false)).failures == Strings{"HAS_PYTHON_SIDE_EFFECTS"});
  CHECK(advise(facts(false, true, false, true, true)).failures == Strings{"HAS_PYTHON_SIDE_EFFECTS", "IS_RECURSIVE"});
  CHECK(advise(facts(false, true, false, false, true)).failures == Strings{"IS_RECURSIVE"});
  CHECK(advise(facts(false, true, true, true, true)).failures ==
        Strings{"HAS_PRIMITIVE_PARAMETERS", "HAS_PYTHON_SIDE_EFFECTS", "IS_RECURSIVE"});
  CHECK(advise(facts(false, false, true, false, false)).failures ==
        Strings{"HAS_NO_TENSOR_PARAMETERS", "HAS_PRIMITIVE_PARAMETERS"});
  const auto failed = advise(facts(false, false, false, false, false));
  CHECK(verdict(failed) == "CONVERT_EAGER_FUNCTION_TO_HYBRID - -");  // the refactoring applies, but fails
  CHECK(failed.failures == Strings{"HAS_NO_TENSOR_PARAMETERS"});
}

TEST_CASE("eager functions: safety and benefit checks after the P1 facts hold", "[advisor]") {
  auto f = facts(false, true, false, false, false);
  f.has_eager_only_calls = true;
  f.has_numpy_calls_on_parameters = true;
  CHECK(advise(f).failures == Strings{"HAS_EAGER_ONLY_CALLS"});  // the first safety failure only
  f.has_eager_only_calls = false;
  CHECK(advise(f).failures == Strings{"HAS_NUMPY_CALLS_ON_PARAMETERS"});
  f.has_numpy_calls_on_parameters = false;
  f.has_tensor_parameter_iteration = true;
  CHECK(advise(f).failures == Strings{"HAS_TENSOR_PARAMETER_ITERATION"});
  f.has_tensor_parameter_iteration = false;
  f.has_tensor_computation = false;
  CHECK(advise(f).failures == Strings{"NO_TENSOR_COMPUTATION"});
  f.has_tensor_computation = true;
  f.caller_covered = true;
  CHECK(advise(f).failures == Strings{"HAS_COVERED_CALLERS"});
  CHECK_FALSE(advise(f).transformation.has_value());
}

TEST_CASE("undeterminable facts are failures of their own", "[advisor]") {
  const auto never_called = advise(facts(false, std::nullopt, std::nullopt, std::nullopt, std::nullopt));
  CHECK(never_called.failures == Strings{"UNDETERMINABLE_TENSOR_PARAMETER", "UNDETERMINABLE_PRIMITIVE_PARAMETER",
                                         "UNDETERMINABLE_SIDE_EFFECTS", "CANT_APPROXIMATE_RECURSION"});
  CHECK(verdict(never_called) == "CONVERT_EAGER_FUNCTION_TO_HYBRID - -");
  // A Keras call() nobody calls: a tensor by context, the rest unknown.
  const auto keras = advise(facts(false, true, std::nullopt, std::nullopt, std::nullopt));
  CHECK(keras.failures == Strings{"UNDETERMINABLE_PRIMITIVE_PARAMETER", "UNDETERMINABLE_SIDE_EFFECTS",
                                  "CANT_APPROXIMATE_RECURSION"});
}

TEST_CASE("P2, P3 and P6: hybrid functions that should be eager", "[advisor]") {
  CHECK(verdict(advise(facts(true, false, false, false, false))) == "OPTIMIZE_HYBRID_FUNCTION CONVERT_TO_EAGER P2");
  CHECK(verdict(advise(facts(true, false, true, false, true))) == "OPTIMIZE_HYBRID_FUNCTION CONVERT_TO_EAGER P2");
  CHECK(verdict(advise(facts(true, true, true, false, false))) == "OPTIMIZE_HYBRID_FUNCTION CONVERT_TO_EAGER P3");
  auto barren = facts(true, true, false, false, false);
  barren.has_tensor_computation = false;
  CHECK(verdict(advise(barren)) == "OPTIMIZE_HYBRID_FUNCTION CONVERT_TO_EAGER P6");
}

TEST_CASE("hybrid functions that stay hybrid", "[advisor]") {
  const auto good = advise(facts(true, true, false, false, false));
  CHECK(verdict(good) == "OPTIMIZE_HYBRID_FUNCTION - -");
  CHECK(good.failures == Strings{"HAS_NO_PRIMITIVE_PARAMETERS"});
  CHECK(advise(facts(true, false, false, true, false)).failures == Strings{"HAS_PYTHON_SIDE_EFFECTS"});
  CHECK(advise(facts(true, true, true, true, false)).failures == Strings{"HAS_PYTHON_SIDE_EFFECTS"});
  CHECK(advise(facts(true, true, false, true, false)).failures ==
        Strings{"HAS_NO_PRIMITIVE_PARAMETERS", "HAS_PYTHON_SIDE_EFFECTS"});
  const auto recursive = advise(facts(true, true, false, false, true));
  CHECK(recursive.warnings == Strings{"Recursive tf.functions are not supported by TensorFlow."});
}

TEST_CASE("hybrid functions of other frameworks are not advised", "[advisor]") {
  auto f = facts(true, false, false, false, false);
  f.api = "torch.jit.script";
  f.family = "pytorch";
  const auto advice = advise(f);
  CHECK(verdict(advice) == "- - -");
  CHECK(advice.failures == Strings{"CURRENTLY_NOT_HANDLED"});
}

TEST_CASE("eager functions: invalid name arguments and stale variable reads fail P1, in the tool's order", "[advisor]") {
  auto f = facts(false, true, false, false, false);
  f.has_numpy_calls_on_parameters = true;
  f.has_invalid_name_arguments = true;
  f.has_stale_variable_reads = true;
  f.has_tensor_parameter_iteration = true;
  CHECK(advise(f).failures == Strings{"HAS_NUMPY_CALLS_ON_PARAMETERS"});
  f.has_numpy_calls_on_parameters = false;
  CHECK(advise(f).failures == Strings{"HAS_INVALID_NAME_ARGUMENTS"});
  f.has_invalid_name_arguments = false;
  CHECK(advise(f).failures == Strings{"HAS_STALE_VARIABLE_READS"});
  f.has_stale_variable_reads = false;
  CHECK(advise(f).failures == Strings{"HAS_TENSOR_PARAMETER_ITERATION"});
  f.has_tensor_parameter_iteration = false;
  CHECK(verdict(advise(f)) == "CONVERT_EAGER_FUNCTION_TO_HYBRID CONVERT_TO_HYBRID P1");
}

TEST_CASE("invalid name arguments and stale reads do not concern hybrid functions", "[advisor]") {
  auto f = facts(true, false, false, false, false);
  f.has_invalid_name_arguments = true;
  f.has_stale_variable_reads = true;
  CHECK(verdict(advise(f)) == "OPTIMIZE_HYBRID_FUNCTION CONVERT_TO_EAGER P2");
}

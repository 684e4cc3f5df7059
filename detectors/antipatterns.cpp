#include "detectors/antipatterns.hpp"

namespace hm::detectors {
namespace {

const std::vector<AntiPattern> kCatalogue = {
    {"python-side-effect-in-hybrid-function", "tensorflow", "error",
     "A hybrid function has Python side effects (print, logging, I/O, writes to globals or to objects it did not "
     "create). They run once, while the function is traced, not on every call.",
     "Use tf.print and TensorFlow state (tf.Variable) inside the function, or move the side effect out of it.",
     "@tf.function\ndef step(x):\n    print('step', x)\n    return x * 2\n"},
    {"variable-created-in-hybrid-function", "tensorflow", "error",
     "A hybrid function creates a tf.Variable on every call; tf.function supports variable creation only on the "
     "first trace.",
     "Create the variable once outside (or in __init__/build), or guard the creation with `if self.v is None`.",
     "@tf.function\ndef f(x):\n    v = tf.Variable(1.0)\n    return v * x\n"},
    {"hybrid-function-created-per-call", "tensorflow", "warning",
     "A hybrid function is defined (or tf.function applied) inside another eager function or a loop, so every call "
     "or iteration makes a new function that is traced again.",
     "Define the hybrid function once, at module or class level, and call it.",
     "def train(xs):\n    @tf.function\n    def step(x):\n        return x * 2\n    return step(xs)\n"},
    {"retracing-on-python-scalars", "tensorflow", "warning",
     "A hybrid function is called with different Python scalars for the same parameter; each new value makes a new "
     "trace.",
     "Pass tensors (tf.constant(n)) instead of Python numbers, or fix an input_signature.",
     "@tf.function\ndef f(x, n):\n    return x * n\nfor n in range(10):\n    f(tf.ones(3), n)\n"},
    {"eager-only-call-in-hybrid-function", "tensorflow", "error",
     "A hybrid function calls an eager-only API (Tensor.numpy(), .item(), Keras fit/predict) or iterates over a "
     "tensor parameter with a Python loop; this fails or behaves differently once traced.",
     "Use TensorFlow ops (tf.reduce_*, tf.while_loop, for over tf.range) or keep the function eager.",
     "@tf.function\ndef f(x):\n    return x.numpy() + 1\n"},
    {"numpy-on-tensor-parameter-in-hybrid-function", "tensorflow", "error",
     "A hybrid function applies NumPy to a tensor parameter; under tracing the parameter is symbolic and NumPy "
     "cannot compute on it.",
     "Use the TensorFlow equivalent (tf.math, tf.experimental.numpy).",
     "@tf.function\ndef f(x):\n    return np.sum(x)\n"},
    {"recursive-hybrid-function", "tensorflow", "error",
     "A hybrid function calls itself (directly or through other functions); recursive tf.functions are not "
     "supported.",
     "Rewrite the recursion as a loop (tf.while_loop) or keep the function eager.",
     "@tf.function\ndef fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\n"},
    {"redundant-nested-hybridization", "tensorflow", "note",
     "A hybrid function is only ever called from hybrid functions; it is traced into its callers' graphs anyway, "
     "so its own decorator only adds a nested trace boundary.",
     "Remove the decorator from the inner function.",
     "@tf.function\ndef inner(x):\n    return x * 2\n@tf.function\ndef outer(x):\n    return inner(x)\n"},
    {"deprecated-hybridization-argument", "tensorflow", "note",
     "tf.function is given a deprecated argument: experimental_relax_shapes (now reduce_retracing) or "
     "experimental_compile (now jit_compile).",
     "Rename the argument: reduce_retracing=..., jit_compile=....",
     "@tf.function(experimental_relax_shapes=True)\ndef f(x):\n    return x\n"},
    {"run-functions-eagerly-left-on", "tensorflow", "warning",
     "tf.config.run_functions_eagerly(True) in non-test code turns every tf.function eager: a debugging switch that "
     "silently removes all graph speed-ups.",
     "Remove the call, or confine it to tests and debugging sessions.",
     "tf.config.run_functions_eagerly(True)\n"},
    {"python-iterator-in-hybrid-function", "tensorflow", "error",
     "A hybrid function consumes a Python generator or iterator (next(), a for loop over it); tracing takes the "
     "values it sees once and bakes them into the graph.",
     "Use a tf.data.Dataset and iterate it, or pass the values as tensors.",
     "@tf.function\ndef f(it):\n    return next(it)\n"},
    {"captured-python-global-in-hybrid-function", "tensorflow", "warning",
     "A hybrid function reads a module-level Python variable; its value is captured when the function is traced and "
     "later changes are not seen (or force retracing).",
     "Pass the value as an argument, or hold it in a tf.Variable.",
     "scale = 2.0\n@tf.function\ndef f(x):\n    return x * scale\n"},
};

Finding make(const FunctionAnalysis& f, std::string_view id, const Evidence& evidence) {
  return Finding{std::string(id), f.module, f.qualified_name, evidence.line, evidence.detail};
}

void first_of(std::vector<Finding>& out, const FunctionAnalysis& f, std::string_view id,
              const std::vector<Evidence>& evidence) {
  if (!evidence.empty()) out.push_back(make(f, id, evidence.front()));
}

}  // namespace

const std::vector<AntiPattern>& antipattern_catalogue() { return kCatalogue; }

const AntiPattern* find_antipattern(std::string_view id) {
  for (const auto& entry : kCatalogue) {
    if (entry.id == id) return &entry;
  }
  return nullptr;
}

std::vector<Finding> function_findings(const FunctionAnalysis& f) {
  std::vector<Finding> out;
  // Retracing by per-call definitions concerns any function that defines hybrid functions, hybrid or not.
  for (const auto& evidence : f.hybrid_definitions_per_call) out.push_back(make(f, "hybrid-function-created-per-call", evidence));
  if (!f.is_hybrid || f.family != "tensorflow") return out;
  const Evidence at_def{f.line, f.qualified_name};
  if (f.has_python_side_effects.value_or(false)) {
    out.push_back(make(f, "python-side-effect-in-hybrid-function", f.side_effects.empty() ? at_def : f.side_effects.front()));
  }
  first_of(out, f, "variable-created-in-hybrid-function", f.variable_creations);
  for (const auto& evidence : f.varying_scalar_calls) out.push_back(make(f, "retracing-on-python-scalars", evidence));
  first_of(out, f, "eager-only-call-in-hybrid-function", f.eager_only_calls);
  first_of(out, f, "numpy-on-tensor-parameter-in-hybrid-function", f.numpy_on_parameters);
  if (f.is_recursive.value_or(false)) out.push_back(make(f, "recursive-hybrid-function", at_def));
  if (f.caller_covered) out.push_back(make(f, "redundant-nested-hybridization", at_def));
  for (const auto& [name, value] : f.hybridization_args) {
    if (name == "experimental_relax_shapes" || name == "experimental_compile") {
      out.push_back(make(f, "deprecated-hybridization-argument", Evidence{f.line, name + "=" + value}));
    }
  }
  first_of(out, f, "python-iterator-in-hybrid-function", f.iterator_consumptions);
  for (const auto& evidence : f.global_reads) out.push_back(make(f, "captured-python-global-in-hybrid-function", evidence));
  return out;
}

std::vector<Finding> module_findings(const ModuleEvidence& evidence) {
  std::vector<Finding> out;
  for (const auto& e : evidence.run_functions_eagerly) {
    out.push_back(Finding{"run-functions-eagerly-left-on", evidence.module, "", e.line, e.detail});
  }
  for (const auto& e : evidence.hybrid_definitions_in_loops) {
    out.push_back(Finding{"hybrid-function-created-per-call", evidence.module, "", e.line, e.detail});
  }
  return out;
}

}  // namespace hm::detectors

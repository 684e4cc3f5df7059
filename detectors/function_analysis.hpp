#pragma once
// Facts about every function of a set of Python modules analysed together (a folder, or a repository at a
// revision): whether some call site passes it a tensor or a Python scalar, whether it has Python side effects
// (directly or through the project functions it calls), whether it is recursive, and the body traits the
// hybridization preconditions and anti-patterns look at.
//
// The analysis follows the published Hybridize-Functions refactoring (Khatchadourian et al.): its facts come from
// call sites reachable from module-level code (and pytest test functions), so a function nobody calls has
// undeterminable (nullopt) tensor-parameter, primitive-parameter, side-effect and recursion facts, exactly where
// that tool's call graph has no node for it. Values are approximated by a flow-insensitive abstract
// interpretation over names (assignments, loop variables, parameters, returns, class fields), iterated to a
// fixpoint across modules; calls are resolved by name through imports, classes, `self` and `super()`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "detectors/python_facts.hpp"
#include "detectors/recorded_walk.hpp"

namespace hm::detectors {

struct ModuleSource {
  std::string path;    // relative to the analysed folder, '/'-separated ("pkg/a.py"): names the module "pkg.a"
  std::string source;  // the file's bytes
};

// Body traits with the line they were seen on: the evidence behind preconditions and anti-pattern findings.
struct Evidence {
  std::uint32_t line = 0;
  std::string detail;  // what was seen, as written ("print(...)", "my_list.append", "x.numpy()")
};

struct FunctionAnalysis {
  std::size_t module = 0;  // index into the analysed modules
  std::string qualified_name;
  std::uint32_t line = 0;  // the def line
  std::optional<std::string> class_name;

  bool is_hybrid = false;  // decorated by a hybridizing API (decorator, decorator call or functools.partial)
  std::string api;         // that API's catalogue id ("tf.function"); "" when eager
  std::string family;      // its family ("tensorflow"); "" when eager
  Arguments hybridization_args;

  bool reachable = false;  // some analysed call path reaches it (it has a node in the call graph)
  std::optional<bool> has_tensor_parameter;
  std::optional<bool> has_primitive_parameter;
  std::optional<bool> has_python_side_effects;
  std::optional<bool> is_recursive;
  bool tensor_parameter_from_context = false;  // decided by the Keras call / *_step naming convention
  bool tensor_parameter_from_type_hint = false;

  bool has_eager_only_calls = false;            // Tensor.numpy() or Keras fit/predict/... (also through callees)
  bool has_numpy_calls_on_parameters = false;   // numpy applied to a parameter
  bool has_tensor_parameter_iteration = false;  // a Python loop over a tensor parameter
  bool has_invalid_name_arguments = false;      // a TensorFlow op given name=<number, bool or dtype>
  bool has_stale_variable_reads = false;        // model.trainable_variables read before the model's first call
  std::optional<bool> has_tensor_computation;   // some TensorFlow op runs in it (or its callees); null if unreached
  bool caller_covered = false;                  // every reachable call site lies in hybrid (or covered) code

  // Evidence for the anti-pattern detectors.
  std::vector<Evidence> side_effects;             // direct ones; transitive ones name the called function
  std::vector<Evidence> variable_creations;       // tf.Variable(...) not guarded by an `is None` test
  std::vector<Evidence> eager_only_calls;         // .numpy(), .item(), Keras fit/predict, loops over tensors
  std::vector<Evidence> numpy_on_parameters;
  std::vector<Evidence> invalid_name_arguments;  // name=tf.float32 and the like (tracing raises on them)
  std::vector<Evidence> stale_variable_reads;    // tv = model.trainable_variables, before model(...)
  std::vector<Evidence> iterator_consumptions;    // next(...) or a loop over a generator/iterator
  std::vector<Evidence> global_reads;             // module-level variables read (captured at trace time)
  std::vector<Evidence> hybrid_definitions_per_call;  // hybrid functions defined or wrapped per call / in a loop
  std::vector<Evidence> varying_scalar_calls;     // calls of this (hybrid) function with varying Python scalars
};

// Module-level evidence that belongs to no function.
struct ModuleEvidence {
  std::size_t module = 0;
  std::vector<Evidence> run_functions_eagerly;         // tf.config.run_functions_eagerly(True)
  std::vector<Evidence> hybrid_definitions_in_loops;   // hybrid functions defined or wrapped in module-level loops
};

struct ModuleStatus {
  std::string path;
  bool analysed = false;    // false: skipped (binary); see `problem`
  std::uint32_t syntax_errors = 0;
  bool python2 = false;
  std::string problem;      // "" when clean; else a one-line reason (binary file, syntax errors, Python 2)
};

struct ProjectAnalysis {
  std::vector<ModuleStatus> modules;
  std::vector<FunctionAnalysis> functions;  // in module order, then source order
  std::vector<ModuleEvidence> module_evidence;  // one per analysed module
};

// Analyses the modules together. Never throws for bad input: binary sources are skipped and reported, broken
// ones are analysed outside their ERROR parts.
ProjectAnalysis analyse_project(const std::vector<ModuleSource>& modules, PythonParser& parser);

// One module already parsed by the caller, with its facts (facts_of_tree of that tree): the miner has both for
// every blob with sites, so its findings cost no second parse.
struct ParsedModule {
  std::string path;
  std::string source;
  TreePtr tree;
  FileFacts facts;
};
// With `known`, the walk record of the tree this module's tree was reparsed from (functions an edit did not touch
// are not walked again, see recorded_walk.hpp); with `computed`, this walk is recorded for the next version. The
// result is the same with or without them.
ProjectAnalysis analyse_parsed_module(ParsedModule module, const WalkRecord* known = nullptr,
                                      WalkRecord* computed = nullptr);

// True for pytest-style test files (test_*.py, *_test.py, conftest.py, or under a tests/ folder).
bool is_test_path(const std::string& path);

}  // namespace hm::detectors

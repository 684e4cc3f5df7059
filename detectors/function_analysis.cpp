#include "detectors/function_analysis.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "detectors/hybrid_apis.hpp"
#include "detectors/node_types.hpp"
#include "detectors/recorded_walk.hpp"

namespace hm::detectors {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr int kMaxEvaluationDepth = 24;  // deeper expressions (generated code) evaluate to "unknown"
constexpr int kMaxFixpointRounds = 12;

std::uint32_t line_of(TSNode node) { return ts_node_start_point(node).row + 1; }
// Whether the visited node lies inside `outer` (and is not it).
bool encloses(TSNode outer, const WalkVisit& visit) {
  return ts_node_start_byte(outer) <= ts_node_start_byte(visit.node) && visit.end_byte <= ts_node_end_byte(outer) &&
         !ts_node_eq(outer, visit.node);
}

// Which of a few node types each grammar symbol is (null: none of them).
class SymbolTypes {
 public:
  explicit SymbolTypes(std::initializer_list<const NodeType*> types) : listed_(types) {
    const TSLanguage* language = tree_sitter_python();
    types_.assign(ts_language_symbol_count(language), nullptr);
    for (TSSymbol symbol = 0; symbol < types_.size(); ++symbol) {
      for (const auto* type : types) {
        if (type->matches(symbol)) types_[symbol] = type;
      }
    }
  }
  const NodeType* of(TSSymbol symbol) const { return symbol < types_.size() ? types_[symbol] : nullptr; }
  // A type left out of the list is never what of() answers: tests against it must not be silently false.
  bool lists(const NodeType& type) const { return std::find(listed_.begin(), listed_.end(), &type) != listed_.end(); }

 private:
  std::vector<const NodeType*> listed_;
  std::vector<const NodeType*> types_;
};

// Abstract values: what an expression may evaluate to, as a set of kinds.
enum Kind : std::uint32_t {
  kTensor = 1u << 0,
  kPrimitive = 1u << 1,  // int, float, str (bool is separate: the tool ignores booleans as retracing sources)
  kBool = 1u << 2,
  kNoneValue = 1u << 3,
  kDataset = 1u << 4,
  kInstance = 1u << 5,   // of a project class
  kFunction = 1u << 6,   // a project function
  kClass = 1u << 7,      // a project class
  kModule = 1u << 8,     // a project module
  kExternal = 1u << 9,   // something of a library, by qualified name
  kKeras = 1u << 10,     // a Keras model or layer object: calling it yields a tensor
  kTensorList = 1u << 11,     // a container holding tensors
  kPrimitiveList = 1u << 12,  // a container holding Python scalars
  kIterator = 1u << 13,       // a generator or iterator
  kRange = 1u << 14,
  kTensorIterator = 1u << 17,  // an iterator over tensors: iter(dataset)
  kOther = 1u << 15,
  kUnknown = 1u << 16,
};

struct Value {
  std::uint32_t kinds = 0;
  std::set<std::size_t> functions;  // body indices for kFunction
  std::set<std::size_t> classes;    // class indices for kInstance / kClass
  std::set<std::size_t> modules;    // module indices for kModule
  std::set<std::string> externals;  // qualified names for kExternal

  void merge(const Value& other) {
    kinds |= other.kinds;
    functions.insert(other.functions.begin(), other.functions.end());
    classes.insert(other.classes.begin(), other.classes.end());
    modules.insert(other.modules.begin(), other.modules.end());
    externals.insert(other.externals.begin(), other.externals.end());
  }
  static Value of(std::uint32_t kinds) { return Value{kinds, {}, {}, {}, {}}; }
  bool has(std::uint32_t kind) const { return (kinds & kind) != 0; }
  friend bool operator==(const Value&, const Value&) = default;
};

struct Assignment {
  TSNode value;
  bool element = false;    // bound to an element of `value` (tuple unpacking, for loops)
  bool index = false;      // the counter of `for i, x in enumerate(...)`: a Python int whatever `value` is
  bool container = false;  // `value` was added to the name's container (`xs.append(value)`)
};

struct Write {
  std::string root;  // the name whose object is mutated
  std::uint32_t line = 0;
  std::string detail;
};

struct Call {
  TSNode node;
  bool in_lambda = false;
  bool in_loop = false;
};

struct Body {
  std::size_t module = 0;
  std::string qualified_name;  // "" for module-level code
  TSNode definition{};         // null for module-level code
  std::size_t parent = kNone;  // enclosing body (closures), kNone for module-level code
  std::size_t class_index = kNone;
  std::size_t fact = kNone;  // index into the module's FileFacts::functions
  std::vector<std::string> parameters;
  std::vector<std::optional<std::string>> annotations;
  bool has_self = false;
  bool is_generator = false;
  bool in_loop = false;  // defined inside a loop of its enclosing body
  std::unordered_map<std::string, std::vector<Assignment>> assignments;
  std::unordered_map<std::string, std::size_t> nested_functions;  // name → body
  std::unordered_map<std::string, std::size_t> nested_classes;    // name → class
  std::unordered_set<std::string> globals;                        // global / nonlocal names
  std::vector<Call> calls;
  std::vector<Write> writes;
  std::vector<TSNode> returns;
  std::vector<TSNode> operations;  // binary and unary operators, subscripts: tensor computation candidates
  std::vector<std::pair<std::string, TSNode>> loops;  // (iterated name if a plain name, iterable)
  std::vector<std::pair<std::string, std::uint32_t>> name_reads;
};

struct ClassInfo {
  std::size_t module = 0;
  std::string qualified_name;
  std::vector<TSNode> bases;
  std::size_t scope_body = 0;  // the body the class statement is in (bases resolve there)
  std::unordered_map<std::string, std::size_t> methods;
  std::unordered_map<std::string, std::vector<std::pair<TSNode, std::size_t>>> fields;  // self.x = value (in body)
};

struct Module {
  std::string path;
  std::string name;  // dotted
  std::string source;
  TreePtr tree;
  FileFacts facts;
  std::size_t body = kNone;
  std::unordered_map<std::string, std::string> imports;  // alias → qualified target
  std::vector<std::string> wildcard_imports;             // `from X import *`: X, in source order
  std::vector<Evidence> run_functions_eagerly;
  std::vector<Evidence> hybrid_in_loops;
  // Whether the source spells run_functions_eagerly at all: most do not, and the test would otherwise read every
  // call's callee.
  bool spells_eager_switch = false;
};

// A resolved call from one body to another.
struct Edge {
  std::size_t caller;
  std::size_t callee;
  TSNode call;
  TSNode receiver;    // bound method receiver (obj in obj.m()), null otherwise
  bool shift = false;  // positional arguments start at the callee's second parameter (self bound)
  bool constructor = false;
  bool in_lambda = false;
  bool in_loop = false;
  bool callback = false;  // the function was passed to a library (dataset.map, strategy.run, ...)
  bool dispatched = false;  // reached through library code: Keras' __call__ runs the layer's call
};

struct NodeKey {
  std::size_t body;
  std::uint32_t start;
  std::uint32_t end;
  TSSymbol symbol;
  bool operator==(const NodeKey&) const = default;
};
struct NodeKeyHash {
  std::size_t operator()(const NodeKey& k) const noexcept {
    std::size_t h = k.body;
    h = h * 1000003u ^ k.start;
    h = h * 1000003u ^ k.end;
    return h * 1000003u ^ k.symbol;
  }
};

const std::unordered_set<std::string>& mutating_methods() {
  static const std::unordered_set<std::string> names = {"append", "extend", "insert", "pop", "remove", "clear",
                                                        "update", "add", "discard", "setdefault", "popitem",
                                                        "sort", "reverse", "__setitem__", "__delitem__"};
  return names;
}

bool starts_with_any(const std::string& name, std::initializer_list<const char*> prefixes) {
  for (const char* prefix : prefixes) {
    const std::string p(prefix);
    if (name == p || name.starts_with(p + ".")) return true;
  }
  return false;
}

// Library calls that are Python side effects: output, logging, files, network, processes.
bool is_side_effect_call(const std::string& qualified) {
  return starts_with_any(qualified, {"logging", "sys.stdout", "sys.stderr", "shutil", "requests", "urllib.request",
                                     "socket", "subprocess", "pickle.dump", "json.dump", "numpy.save", "numpy.savez",
                                     "numpy.savetxt", "os.remove", "os.unlink", "os.makedirs", "os.mkdir",
                                     "os.rename", "os.rmdir", "os.system", "builtins.open", "io.open", "warnings.warn"});
}

// What a TensorFlow API returns, by qualified name: tensors, except for the APIs that build other objects.
std::uint32_t tensorflow_result(const std::string& qualified) {
  if (starts_with_any(qualified, {"tensorflow.data"})) return kDataset;
  const auto last = qualified.substr(qualified.find_last_of('.') + 1);
  if (starts_with_any(qualified, {"tensorflow.keras", "keras", "tf_keras"})) {
    if (starts_with_any(qualified, {"tensorflow.keras.optimizers", "keras.optimizers", "tensorflow.keras.callbacks",
                                    "keras.callbacks", "tensorflow.keras.initializers", "keras.initializers",
                                    "tensorflow.keras.regularizers", "keras.regularizers"})) {
      return kOther;
    }
    if (last == "Input") return kTensor;  // a symbolic Keras tensor
    return !last.empty() && std::isupper(static_cast<unsigned char>(last[0])) ? kKeras : kTensor;
  }
  // tf.experimental.numpy's ndarray is tf.Tensor, and its functions return them.
  if (starts_with_any(qualified, {"tensorflow.experimental.numpy"})) return kTensor;
  if (starts_with_any(qualified, {"tensorflow.print", "tensorflow.function", "tensorflow.config", "tensorflow.summary",
                                  "tensorflow.io.gfile", "tensorflow.distribute", "tensorflow.TensorSpec",
                                  "tensorflow.GradientTape", "tensorflow.train", "tensorflow.Module",
                                  "tensorflow.name_scope", "tensorflow.device", "tensorflow.test",
                                  "tensorflow.saved_model", "tensorflow.debugging.set_log_device_placement",
                                  "tensorflow.random.set_seed", "tensorflow.compat.v1.enable_eager_execution",
                                  "tensorflow.executing_eagerly", "tensorflow.get_logger", "tensorflow.optimizers",
                                  "tensorflow.estimator", "tensorflow.autograph", "tensorflow.experimental",
                                  "tensorflow.DType", "tensorflow.TensorShape", "tensorflow.is_tensor",
                                  "tensorflow.get_static_value", "tensorflow.nest", "tensorflow.as_dtype",
                                  "tensorflow.dtypes.as_dtype", "tensorflow.compat.dimension_value"})) {
    return kOther;
  }
  return kTensor;
}

bool is_builtin_scalar(const std::string& name) {
  static const std::unordered_set<std::string> names = {"int", "float", "str", "len", "round", "repr", "ord", "chr",
                                                        "hash", "id", "format"};
  return names.count(name) != 0;
}

// Names a Python program can use without importing them: a `from X import *` does not reach these (TensorFlow's
// star import, for one, is used for its ops, not to shadow print or range).
bool is_python_builtin(const std::string& name) {
  static const std::unordered_set<std::string> names = {
      "abs", "all", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable", "chr",
      "classmethod", "compile", "complex", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "filter",
      "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int",
      "isinstance", "issubclass", "iter", "len", "list", "locals", "map", "max", "memoryview", "min", "next",
      "object", "oct", "open", "ord", "pow", "print", "property", "range", "repr", "reversed", "round", "set",
      "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple", "type", "vars", "zip",
      "__import__", "__name__", "__file__", "self", "cls", "Exception", "ValueError", "TypeError", "KeyError",
      "IndexError", "RuntimeError", "NotImplementedError", "AssertionError", "StopIteration", "NotImplemented",
      "Ellipsis"};
  return names.count(name) != 0;
}

bool is_keras_base(const std::string& qualified_or_text) {
  const auto last = qualified_or_text.substr(qualified_or_text.find_last_of('.') + 1);
  // Loss too: Loss.__call__ runs the subclass's call(y_true, y_pred) on tensors, like Layer.__call__.
  return last == "Model" || last == "Layer" || last == "Sequential" || last == "Loss";
}

class Analyzer {
 public:
  Analyzer(const std::vector<ModuleSource>& sources, PythonParser& parser) { load(sources, parser); }
  Analyzer(ParsedModule parsed, const WalkRecord* known, WalkRecord* computed)
      : known_walk_(known), computed_walk_(computed) {
    if (skipped_as_binary(parsed.path, parsed.source)) return;
    ModuleStatus status;
    status.path = parsed.path;
    auto module = std::make_unique<Module>();
    module->path = std::move(parsed.path);
    module->name = module_name(module->path);
    module->source = std::move(parsed.source);
    module->tree = std::move(parsed.tree);
    module->facts = std::move(parsed.facts);
    add(std::move(module), std::move(status));
    index_and_walk();
  }

  ProjectAnalysis run() {
    solve();
    compute_side_effects();
    compute_traits();
    return report();
  }

 private:
  // ---- loading ----------------------------------------------------------------------------------------------

  static bool looks_binary(std::string_view source) {
    return source.substr(0, 8192).find('\0') != std::string_view::npos;
  }

  // A binary source is reported as skipped rather than analysed.
  bool skipped_as_binary(const std::string& path, std::string_view source) {
    if (!looks_binary(source)) return false;
    ModuleStatus status;
    status.path = path;
    status.problem = "binary file, skipped";
    statuses_.push_back(std::move(status));
    return true;
  }

  static std::string module_name(const std::string& path) {
    std::string name = path;
    if (name.ends_with(".py")) name.resize(name.size() - 3);
    if (name.ends_with("/__init__")) name.resize(name.size() - 9);
    std::replace(name.begin(), name.end(), '/', '.');
    return name;
  }

  void load(const std::vector<ModuleSource>& sources, PythonParser& parser) {
    for (const auto& source : sources) {
      if (skipped_as_binary(source.path, source.source)) continue;
      ModuleStatus status;
      status.path = source.path;
      auto module = std::make_unique<Module>();
      module->path = source.path;
      module->name = module_name(source.path);
      module->source = source.source;
      module->tree = parser.parse(module->source);
      module->facts = facts_of_tree(module->source, *module->tree);
      add(std::move(module), std::move(status));
    }
    index_and_walk();
  }

  void add(std::unique_ptr<Module> module, ModuleStatus status) {
    module->spells_eager_switch = module->source.find("run_functions_eagerly") != std::string::npos;
    for (const auto& import : module->facts.imports) module->imports[import.alias] = import.target;
    collect_wildcard_imports(*module);
    status.analysed = true;
    status.syntax_errors = module->facts.syntax_errors;
    status.python2 = module->facts.python2;
    if (status.python2) {
      status.problem = "Python 2 source, partially analysed";
    } else if (status.syntax_errors > 0) {
      status.problem = std::to_string(status.syntax_errors) + " syntax errors, partially analysed";
    }
    statuses_.push_back(std::move(status));
    module_status_.push_back(statuses_.size() - 1);
    modules_.push_back(std::move(module));
  }

  void index_and_walk() {
    for (std::size_t m = 0; m < modules_.size(); ++m) {
      module_by_name_[modules_[m]->name] = m;
      walk(m);
    }
  }

  // `from X import *` at module level (the facts' import list has no alias for these).
  static void collect_wildcard_imports(Module& module) {
    if (!module.tree) return;
    // A cursor over the top-level statements: ts_node_named_child(root, i) costs O(i), and generated modules
    // have a hundred thousand statements.
    TreeCursor owner(ts_tree_root_node(module.tree.get()));
    TSTreeCursor* cursor = owner.get();
    if (!ts_tree_cursor_goto_first_child(cursor)) return;
    for (bool more = true; more; more = ts_tree_cursor_goto_next_sibling(cursor)) {
      const TSNode statement = ts_tree_cursor_current_node(cursor);
      if (!is(statement, node::import_from_statement)) continue;
      bool wildcard = false;
      for (std::uint32_t j = 0, k = ts_node_named_child_count(statement); j < k; ++j) {
        wildcard |= is(ts_node_named_child(statement, j), node::wildcard_import);
      }
      const TSNode name = field(statement, fields::module_name);
      if (!wildcard || ts_node_is_null(name)) continue;
      const auto start = ts_node_start_byte(name);
      const auto end = ts_node_end_byte(name);
      if (end <= module.source.size() && start < end) module.wildcard_imports.push_back(module.source.substr(start, end - start));
    }
  }

  std::string text(std::size_t module, TSNode node) const {
    if (ts_node_is_null(node)) return {};
    return text_between(module, ts_node_start_byte(node), ts_node_end_byte(node));
  }

  std::string text_between(std::size_t module, std::uint32_t start, std::uint32_t end) const {
    const auto& source = modules_[module]->source;
    if (end > source.size() || end < start) return {};
    return source.substr(start, end - start);
  }

  enum class Frame { Function, Class, Lambda, Loop };

  // Whether a string node's prefix (the letters before its quote: r, b, u, f in any case and order) has an f.
  static bool is_f_string(std::string_view source, TSNode string) {
    for (auto at = ts_node_start_byte(string); at < source.size(); ++at) {
      const char c = source[at];
      if (c == 'f' || c == 'F') return true;
      if (c == '"' || c == '\'' || !std::isalpha(static_cast<unsigned char>(c))) return false;
    }
    return false;
  }

  void walk(std::size_t m) {
    static const SymbolTypes symbol_types({&node::string, &node::function_definition, &node::class_definition,
                                           &node::lambda, &node::for_statement, &node::for_in_clause,
                                           &node::while_statement, &node::call, &node::assignment,
                                           &node::augmented_assignment, &node::delete_statement,
                                           &node::global_statement, &node::nonlocal_statement,
                                           &node::return_statement, &node::yield, &node::binary_operator,
                                           &node::unary_operator, &node::subscript, &node::with_item,
                                           &node::identifier, &node::keyword_argument, &node::dotted_name,
                                           &node::import_statement, &node::import_from_statement});
    auto& module = *modules_[m];
    bodies_.push_back(Body{});
    module.body = bodies_.size() - 1;
    bodies_.back().module = m;
    std::vector<std::pair<TSNode, std::pair<Frame, std::size_t>>> frames;  // open scopes, innermost last
    std::unordered_map<std::string, std::size_t> fact_by_key;
    std::unordered_set<std::uint32_t> not_reads;  // start bytes of identifiers that are not reads
    for (std::size_t i = 0; i < module.facts.functions.size(); ++i) {
      const auto& f = module.facts.functions[i];
      fact_by_key[f.qualified_name + "@" + std::to_string(f.start_line)] = i;
    }
    walk_recorded(ts_tree_root_node(module.tree.get()), known_walk_, computed_walk_, [&](const WalkVisit& visit) {
      const TSNode node = visit.node;
      // The symbol and end come with the visit (a replayed node's subtree is not touched for them). The chain below
      // tests some twenty types: one table look-up, then pointer compares.
      const NodeType* const type_of_node = symbol_types.of(visit.symbol);
      const auto node_is = [type_of_node](const NodeType& type) {
        assert(symbol_types.lists(type));
        return type_of_node == &type;
      };
      // A string's parts (start, content, escapes, end) are nothing this walk records; only an f-string's
      // interpolations hold expressions. Tests and docstrings are full of strings.
      if (node_is(node::string)) return is_f_string(module.source, node);
      while (!frames.empty() && !encloses(frames.back().first, visit)) frames.pop_back();
      std::size_t body = module.body;
      std::size_t class_index = kNone;
      bool in_lambda = false;
      bool in_loop = false;
      // Pointed to, not copied: this runs for every node of the module, and only definitions read it.
      const std::string* scope_name = nullptr;
      for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
        const auto [kind, index] = it->second;
        if (kind == Frame::Lambda) in_lambda = true;
        if (kind == Frame::Class && class_index == kNone && scope_name == nullptr) {
          class_index = index;
          scope_name = &classes_[index].qualified_name;
        }
        if (kind == Frame::Function) {
          if (body == module.body) body = index;
          if (scope_name == nullptr) scope_name = &bodies_[index].qualified_name;
          break;
        }
      }
      // Loops count only inside the innermost function (a def inside a loop is itself "in a loop").
      in_loop = false;
      for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
        if (it->second.first == Frame::Function) break;
        if (it->second.first == Frame::Loop) in_loop = true;
      }
      auto& current = bodies_[body];
      const auto qualify = [&](const std::string& name) {
        return scope_name == nullptr || scope_name->empty() ? name : *scope_name + "." + name;
      };
      if (node_is(node::function_definition)) {
        const TSNode name_node = field(node, fields::name);
        const auto name = text(m, name_node);
        Body inner;
        inner.module = m;
        inner.qualified_name = qualify(name);
        inner.definition = node;
        inner.parent = body;
        inner.in_loop = in_loop;
        const auto key = inner.qualified_name + "@" + std::to_string(line_of(node));
        if (const auto found = fact_by_key.find(key); found != fact_by_key.end()) inner.fact = found->second;
        // A method is a definition directly in a class body (not in a function nested in a method).
        const bool method = !frames.empty() && frames.back().second.first == Frame::Class;
        if (method) inner.class_index = frames.back().second.second;
        read_parameters(m, node, inner, method);
        bodies_.push_back(std::move(inner));
        const auto index = bodies_.size() - 1;
        if (method) {
          classes_[frames.back().second.second].methods[name] = index;
        } else {
          bodies_[body].nested_functions[name] = index;
        }
        not_reads.insert(ts_node_start_byte(name_node));
        frames.push_back({node, {Frame::Function, index}});
        return true;
      }
      if (node_is(node::class_definition)) {
        ClassInfo info;
        info.module = m;
        info.qualified_name = qualify(text(m, field(node, fields::name)));
        info.scope_body = body;
        const TSNode superclasses = field(node, fields::superclasses);
        for (std::uint32_t i = 0, n = ts_node_is_null(superclasses) ? 0 : ts_node_named_child_count(superclasses); i < n; ++i) {
          const TSNode base = ts_node_named_child(superclasses, i);
          if (!is(base, node::keyword_argument)) info.bases.push_back(base);
        }
        classes_.push_back(std::move(info));
        current.nested_classes[text(m, field(node, fields::name))] = classes_.size() - 1;
        frames.push_back({node, {Frame::Class, classes_.size() - 1}});
        return true;
      }
      if (node_is(node::lambda)) {
        frames.push_back({node, {Frame::Lambda, 0}});
        return true;
      }
      if (node_is(node::for_statement) || node_is(node::for_in_clause)) {
        const TSNode left = field(node, fields::left);
        const TSNode right = field(node, fields::right);
        bind_target(m, current, left, right, true);
        current.loops.emplace_back(is(right, node::identifier) ? text(m, right) : std::string(), right);
        // The loop body (not the iterable) repeats.
        frames.push_back({node, {Frame::Loop, 0}});
        return true;
      }
      if (node_is(node::while_statement)) {
        frames.push_back({node, {Frame::Loop, 0}});
        return true;
      }
      if (node_is(node::call)) {
        current.calls.push_back({node, in_lambda, in_loop});
        record_container_add(m, current, body == module.body, node);
        return true;
      }
      if (node_is(node::assignment) || node_is(node::augmented_assignment)) {
        // From the visit's record when replayed: assignments are among the commonest statements, and asking the
        // tree for their sides touched every one's memory.
        const FieldChild left_child = field_child(visit, fields::left);
        const TSNode left = left_child.node;
        const TSNode right = field_child(visit, fields::right).node;
        const bool augmented = node_is(node::augmented_assignment);
        if (augmented) current.operations.push_back(node);
        if (!ts_node_is_null(left) && node::identifier.matches(left_child.symbol)) {
          // `name = value` binds the value, `name += value` the statement, and a global name is a write: what the
          // branches below do for a name, from the record alone.
          auto name = text_between(m, ts_node_start_byte(left), left_child.end_byte);
          record_global_write(current, name, node);
          if (!ts_node_is_null(right)) {
            current.assignments[std::move(name)].push_back({augmented ? node : right, false});
          }
          return true;
        }
        if (!ts_node_is_null(right) &&
            (is(left, node::pattern_list) || is(left, node::tuple_pattern) || is(left, node::list_pattern))) {
          bind_target(m, current, left, right, true);
        }
        record_writes(m, body, class_index, left, node, augmented);
        return true;
      }
      if (node_is(node::delete_statement)) {
        for (std::uint32_t i = 0, n = ts_node_named_child_count(node); i < n; ++i) {
          record_writes(m, body, class_index, ts_node_named_child(node, i), node, true);
        }
        return true;
      }
      if (node_is(node::global_statement) || node_is(node::nonlocal_statement)) {
        for (std::uint32_t i = 0, n = ts_node_named_child_count(node); i < n; ++i) {
          current.globals.insert(text(m, ts_node_named_child(node, i)));
        }
        return false;
      }
      if (node_is(node::return_statement)) {
        if (ts_node_named_child_count(node) > 0) current.returns.push_back(ts_node_named_child(node, 0));
        return true;
      }
      if (node_is(node::yield)) {
        current.is_generator = true;
        return true;
      }
      if (node_is(node::binary_operator) || node_is(node::unary_operator) ||
          node_is(node::subscript)) {
        current.operations.push_back(node);
        return true;
      }
      if (node_is(node::with_item)) {
        // with open(...) as f: binds f
        const TSNode value = field(node, fields::value);
        if (is(value, node::as_pattern)) {
          const TSNode alias = field(value, fields::alias);
          const TSNode target = ts_node_is_null(alias) ? alias : ts_node_named_child(alias, 0);
          if (is(target, node::identifier)) current.assignments[text(m, target)].push_back({ts_node_named_child(value, 0), false});
        }
        return true;
      }
      if (node_is(node::identifier)) {
        // The attribute name of `x.name` names rather than reads (only attributes have the field).
        if (body != module.body && !visit.attribute_name && !not_reads.count(ts_node_start_byte(node))) {
          current.name_reads.emplace_back(text_between(m, ts_node_start_byte(node), visit.end_byte), line_of(node));
        }
        return false;
      }
      // Identifiers that name rather than read: keyword names (attribute names are told by their field).
      // The name is a keyword argument's first child, so it starts where the argument does: asking for the field
      // would touch the node's subtree, which a replayed visit does not otherwise need.
      if (node_is(node::keyword_argument)) not_reads.insert(ts_node_start_byte(node));
      if (node_is(node::dotted_name) || node_is(node::import_statement) ||
          node_is(node::import_from_statement)) {
        return false;
      }
      return true;
    });
    // Names that are not reads: attribute names, keyword names, parameter and definition names.
    for (auto& body : bodies_) {
      if (body.module != m || ts_node_is_null(body.definition)) continue;
      std::erase_if(body.name_reads, [&](const auto& read) {
        return std::find(body.parameters.begin(), body.parameters.end(), read.first) != body.parameters.end() ||
               body.assignments.count(read.first) || body.globals.count(read.first);
      });
    }
  }

  void read_parameters(std::size_t m, TSNode node, Body& body, bool method) {
    bool static_method = false;
    if (body.fact != kNone) {
      const auto& fact = modules_[m]->facts.functions[body.fact];
      for (const auto& decorator : fact.decorators) static_method |= decorator == "staticmethod";
      for (const auto& parameter : fact.parameters) {
        if (parameter.kind != "positional") continue;
        body.parameters.push_back(parameter.name);
        body.annotations.push_back(parameter.annotation);
      }
    } else {
      const TSNode list = field(node, fields::parameters);
      for (std::uint32_t i = 0, n = ts_node_is_null(list) ? 0 : ts_node_named_child_count(list); i < n; ++i) {
        const TSNode p = ts_node_named_child(list, i);
        if (is(p, node::identifier)) {
          body.parameters.push_back(text(m, p));
          body.annotations.emplace_back();
        }
      }
    }
    body.has_self = method && !static_method && !body.parameters.empty();
  }

  // Binds every name of an assignment or loop target to (an element of) the value.
  void bind_target(std::size_t m, Body& body, TSNode target, TSNode value, bool element, int depth = 0) {
    if (ts_node_is_null(target) || ts_node_is_null(value) || depth > kMaxEvaluationDepth) return;
    if (is(target, node::identifier)) {
      body.assignments[text(m, target)].push_back({value, element});
      return;
    }
    if (is(target, node::pattern_list) || is(target, node::tuple_pattern) || is(target, node::list_pattern) ||
        is(target, node::parenthesized_expression)) {
      // for i, x in enumerate(xs): i counts (an int), x takes the elements of xs.
      if (element && depth == 0 && ts_node_named_child_count(target) == 2 && is(value, node::call) &&
          text(m, field(value, fields::function)) == "enumerate" && is(ts_node_named_child(target, 0), node::identifier)) {
        body.assignments[text(m, ts_node_named_child(target, 0))].push_back({value, true, true, false});
        bind_target(m, body, ts_node_named_child(target, 1), value, true, depth + 1);
        return;
      }
      for (std::uint32_t i = 0, n = ts_node_named_child_count(target); i < n; ++i) {
        bind_target(m, body, ts_node_named_child(target, i), value, true, depth + 1);
      }
    }
  }

  // `xs.append(v)` / `xs.insert(i, v)` on a module-level name: xs holds v's kind too (a list filled in a loop and
  // iterated later). Only at module level: inside a function the name may be a global, and an assignment there
  // would make it look local.
  void record_container_add(std::size_t m, Body& body, bool module_level, TSNode call) {
    if (!module_level) return;
    const TSNode callee = field(call, fields::function);
    if (!is(callee, node::attribute) || !is(field(callee, fields::object), node::identifier)) return;
    const auto method = text(m, field(callee, fields::attribute));
    const auto name = text(m, field(callee, fields::object));
    const TSNode args = field(call, fields::arguments);
    if (ts_node_is_null(args) || !body.assignments.count(name)) return;
    TSNode added{};
    if (method == "append" || method == "add") added = ts_node_named_child(args, 0);
    if (method == "insert" && ts_node_named_child_count(args) == 2) added = ts_node_named_child(args, 1);
    if (ts_node_is_null(added) || is(added, node::keyword_argument)) return;
    body.assignments[name].push_back({added, false, false, true});
  }

  // The name at the root of an attribute/subscript chain (`a` in a.b[0].c), if any.
  std::string root_name(std::size_t m, TSNode node) const {
    int guard = 0;
    while ((is(node, node::attribute) || is(node, node::subscript)) && ++guard < 256) {
      node = is(node, node::attribute) ? field(node, fields::object) : field(node, fields::value);
    }
    return is(node, node::identifier) ? text(m, node) : std::string();
  }

  // A name assigned in `statement` is a write the function makes outside itself when it is declared global.
  static void record_global_write(Body& body, const std::string& name, TSNode statement) {
    if (body.globals.count(name)) body.writes.push_back({name, line_of(statement), name + " (global)"});
  }

  void record_writes(std::size_t m, std::size_t body, std::size_t class_index, TSNode left, TSNode statement,
                     bool augmented, int depth = 0) {
    if (ts_node_is_null(left) || depth > kMaxEvaluationDepth) return;
    if (is(left, node::pattern_list) || is(left, node::tuple_pattern) || is(left, node::list_pattern) || is(left, node::expression_list)) {
      for (std::uint32_t i = 0, n = ts_node_named_child_count(left); i < n; ++i) {
        record_writes(m, body, class_index, ts_node_named_child(left, i), statement, augmented, depth + 1);
      }
      return;
    }
    auto& current = bodies_[body];
    if (is(left, node::identifier)) {
      record_global_write(current, text(m, left), statement);
      (void)augmented;
      return;
    }
    if (is(left, node::attribute) || is(left, node::subscript)) {
      const auto root = root_name(m, left);
      if (root.empty()) return;
      current.writes.push_back({root, line_of(statement), text(m, left)});
      // self.x = value in a method: a field of the class, typed from the value.
      const auto& owner = current.class_index != kNone ? current.class_index : kNone;
      if (is(left, node::attribute) && owner != kNone && !current.parameters.empty() && current.has_self &&
          root == current.parameters[0] && is(field(left, fields::object), node::identifier)) {
        const TSNode right = field(statement, fields::right);
        if (!ts_node_is_null(right)) classes_[owner].fields[text(m, field(left, fields::attribute))].push_back({right, body});
      }
    }
    (void)class_index;
  }

  // ---- name and call resolution -----------------------------------------------------------------------------

  std::optional<std::size_t> module_for(const std::string& dotted, std::size_t from) const {
    std::string name = dotted;
    while (name.starts_with(".")) name.erase(0, 1);
    if (name.empty()) return std::nullopt;
    if (const auto found = module_by_name_.find(name); found != module_by_name_.end()) return found->second;
    // Relative to the importing module's package (same folder).
    const auto& own = modules_[from]->name;
    const auto dot = own.find_last_of('.');
    if (dot != std::string::npos) {
      if (const auto found = module_by_name_.find(own.substr(0, dot + 1) + name); found != module_by_name_.end()) {
        return found->second;
      }
    }
    return std::nullopt;
  }

  // What a module-level name of module m denotes (function, class, variable, import).
  Value module_member(std::size_t m, const std::string& name, int depth) {
    const auto& module = *modules_[m];
    const auto& body = bodies_[module.body];
    Value result;
    if (const auto f = body.nested_functions.find(name); f != body.nested_functions.end()) {
      result.kinds |= kFunction;
      result.functions.insert(f->second);
    }
    if (const auto c = body.nested_classes.find(name); c != body.nested_classes.end()) {
      result.kinds |= kClass;
      result.classes.insert(c->second);
    }
    if (const auto a = body.assignments.find(name); a != body.assignments.end()) {
      for (const auto& assignment : a->second) result.merge(evaluate_assignment(module.body, assignment, depth + 1));
    }
    if (result.kinds == 0) {
      if (const auto i = module.imports.find(name); i != module.imports.end()) result.merge(imported(m, i->second, depth));
    }
    return result;
  }

  // A qualified import target: a project module, a member of one, or a library name.
  Value imported(std::size_t m, const std::string& target, int depth) {
    if (const auto module = module_for(target, m)) {
      Value v = Value::of(kModule);
      v.modules.insert(*module);
      return v;
    }
    const auto dot = target.find_last_of('.');
    if (dot != std::string::npos && depth < kMaxEvaluationDepth) {
      if (const auto module = module_for(target.substr(0, dot), m)) {
        return module_member(*module, target.substr(dot + 1), depth + 1);
      }
    }
    std::string qualified = target;
    while (qualified.starts_with(".")) qualified.erase(0, 1);
    Value v = Value::of(kExternal);
    v.externals.insert(qualified);
    return v;
  }

  std::optional<std::size_t> parameter_index(const Body& body, const std::string& name) const {
    for (std::size_t i = 0; i < body.parameters.size(); ++i) {
      if (body.parameters[i] == name) return i;
    }
    return std::nullopt;
  }

  Value lookup(std::size_t b, const std::string& name, int depth) {
    if (depth > kMaxEvaluationDepth) return Value::of(kUnknown);
    const auto key = std::to_string(b) + ":" + name;
    if (const auto cached = name_cache_.find(key); cached != name_cache_.end()) return cached->second;
    name_cache_[key] = Value::of(kUnknown);  // cycles (x = x + 1) settle on what the other bindings give
    Value result;
    std::size_t current = b;
    while (current != kNone) {
      const auto& body = bodies_[current];
      const bool module_level = ts_node_is_null(body.definition);
      if (module_level) {
        result = module_member(body.module, name, depth);
        break;
      }
      bool found = false;
      if (const auto index = parameter_index(body, name)) {
        found = true;
        if (*index == 0 && body.has_self && body.class_index != kNone) {
          result.kinds |= kInstance;
          result.classes.insert(body.class_index);
        } else {
          incoming_read_[current][*index] = true;
          result.merge(incoming_[current][*index]);
        }
      }
      if (const auto a = body.assignments.find(name); a != body.assignments.end() && !body.globals.count(name)) {
        found = true;
        for (const auto& assignment : a->second) result.merge(evaluate_assignment(current, assignment, depth + 1));
      }
      if (const auto f = body.nested_functions.find(name); f != body.nested_functions.end()) {
        found = true;
        result.kinds |= kFunction;
        result.functions.insert(f->second);
      }
      if (const auto c = body.nested_classes.find(name); c != body.nested_classes.end()) {
        found = true;
        result.kinds |= kClass;
        result.classes.insert(c->second);
      }
      if (found) break;
      current = body.parent;
      // Class bodies do not enclose their methods' names: skip straight to the enclosing function or module.
    }
    if (result.kinds == 0 && !is_python_builtin(name)) {
      // Not bound in any scope: maybe a name a star import brought in (the last one wins, as in Python).
      const auto m = bodies_[b].module;
      const auto& wildcards = modules_[m]->wildcard_imports;
      for (auto it = wildcards.rbegin(); it != wildcards.rend() && result.kinds == 0; ++it) {
        if (const auto module = module_for(*it, m)) {
          result = module_member(*module, name, depth + 1);
        } else {
          std::string qualified = *it;
          while (qualified.starts_with(".")) qualified.erase(0, 1);
          if (const auto conventional = conventional_module(qualified)) qualified = std::string(*conventional);
          result = Value::of(kExternal);
          result.externals.insert(qualified + "." + name);
        }
      }
    }
    if (result.kinds == 0) {
      if (is_builtin_scalar(name)) {
        result = Value::of(kExternal);
        result.externals.insert("builtins." + name);
      } else if (const auto conventional = conventional_module(name)) {
        result = Value::of(kExternal);
        result.externals.insert(std::string(*conventional));
      } else {
        result = Value::of(kExternal);
        result.externals.insert("builtins." + name);
      }
    }
    name_cache_[key] = result;
    return result;
  }

  Value evaluate_assignment(std::size_t b, const Assignment& assignment, int depth) {
    if (assignment.index) return Value::of(kPrimitive);
    if (assignment.container) {
      const Value added = evaluate(b, assignment.value, depth + 1);
      std::uint32_t kinds = 0;
      if (added.has(kTensor | kTensorList)) kinds |= kTensorList;
      if (added.has(kPrimitive | kPrimitiveList)) kinds |= kPrimitiveList;
      return Value::of(kinds == 0 ? kOther : kinds);
    }
    if (is(assignment.value, node::augmented_assignment)) {
      Value left = evaluate(b, field(assignment.value, fields::right), depth + 1);
      return left;
    }
    const Value value = evaluate(b, assignment.value, depth + 1);
    return assignment.element ? element_of(value) : value;
  }

  static Value element_of(const Value& value) {
    Value result;
    if (value.has(kDataset | kTensor | kTensorList | kTensorIterator)) result.kinds |= kTensor;
    if (value.has(kRange | kPrimitiveList)) result.kinds |= kPrimitive;
    // kOther beside a typed container is the empty `[]`/`list()` the container started as: no elements of its own.
    const bool started_empty = value.has(kTensorList | kPrimitiveList);
    if (value.has(kUnknown | kIterator | kExternal | kInstance) || (value.has(kOther) && !started_empty)) {
      result.kinds |= kUnknown;
    }
    if (result.kinds == 0) result.kinds = kUnknown;
    return result;
  }

  // Methods of a class, looked up through its project base classes.
  std::optional<std::size_t> method_of(std::size_t c, const std::string& name, int depth = 0) {
    if (depth > 16) return std::nullopt;
    if (const auto found = classes_[c].methods.find(name); found != classes_[c].methods.end()) return found->second;
    for (const auto base : base_classes(c)) {
      if (const auto found = method_of(base, name, depth + 1)) return found;
    }
    return std::nullopt;
  }

  std::vector<std::size_t> base_classes(std::size_t c) {
    std::vector<std::size_t> result;
    const auto& info = classes_[c];
    for (const auto base : info.bases) {
      const Value v = evaluate(info.scope_body, base, 2);
      for (const auto found : v.classes) {
        if (found != c && v.has(kClass)) result.push_back(found);
      }
    }
    return result;
  }

  bool is_keras_class(std::size_t c, int depth = 0) {
    if (depth > 16) return false;
    const auto& info = classes_[c];
    for (const auto base : info.bases) {
      const auto written = text(info.module, base);
      if (is_keras_base(written)) return true;
      const Value v = evaluate(info.scope_body, base, 2);
      for (const auto& external : v.externals) {
        if (is_keras_base(external)) return true;
      }
      for (const auto found : v.classes) {
        if (found != c && is_keras_class(found, depth + 1)) return true;
      }
    }
    return false;
  }

  Value field_of(std::size_t c, const std::string& name, int depth) {
    Value result;
    const auto& fields = classes_[c].fields;
    if (const auto found = fields.find(name); found != fields.end()) {
      for (const auto& [value, body] : found->second) result.merge(evaluate(body, value, depth + 1));
    }
    if (auto method = method_of(c, name)) {
      result.kinds |= kFunction;  // a bound method reference
      result.functions.insert(*method);
    }
    if (result.kinds == 0) result.kinds = kUnknown;
    return result;
  }

  std::string qualified_external(const std::set<std::string>& externals) const {
    return externals.empty() ? std::string() : *externals.begin();
  }

  // The abstract value of an expression, evaluated in body b.
  Value evaluate(std::size_t b, TSNode node, int depth) {
    if (ts_node_is_null(node) || depth > kMaxEvaluationDepth) return Value::of(kUnknown);
    // Nested expressions share their start byte (f().g() and f()): the key needs the end and the symbol too.
    const NodeKey key{b, ts_node_start_byte(node), ts_node_end_byte(node), ts_node_symbol(node)};
    if (const auto cached = value_cache_.find(key); cached != value_cache_.end()) return cached->second;
    Value result = evaluate_uncached(b, node, depth);
    value_cache_[key] = result;
    return result;
  }

  Value evaluate_uncached(std::size_t b, TSNode node, int depth) {
    const auto m = bodies_[b].module;
    const TSSymbol symbol = ts_node_symbol(node);
    const auto same = [symbol](const NodeType& type) { return type.matches(symbol); };
    if (same(node::integer) || same(node::float_) || same(node::string) || same(node::concatenated_string)) return Value::of(kPrimitive);
    if (same(node::true_) || same(node::false_)) return Value::of(kBool);
    if (same(node::none)) return Value::of(kNoneValue);
    if (same(node::parenthesized_expression)) return evaluate(b, ts_node_named_child(node, 0), depth + 1);
    if (same(node::identifier)) return lookup(b, text(m, node), depth + 1);
    if (same(node::unary_operator)) {
      Value operand = evaluate(b, field(node, fields::argument), depth + 1);
      return Value::of(operand.has(kTensor) ? kTensor : operand.has(kPrimitive) ? kPrimitive : kUnknown);
    }
    if (same(node::binary_operator)) {
      const Value left = evaluate(b, field(node, fields::left), depth + 1);
      const Value right = evaluate(b, field(node, fields::right), depth + 1);
      if (left.has(kTensor | kKeras) || right.has(kTensor | kKeras)) return Value::of(kTensor);
      if (left.kinds == kPrimitive && right.kinds == kPrimitive) return Value::of(kPrimitive);
      if ((left.has(kTensorList) || right.has(kTensorList))) return Value::of(kTensorList);
      if ((left.has(kPrimitiveList) && right.has(kPrimitiveList))) return Value::of(kPrimitiveList);
      return Value::of(kUnknown);
    }
    if (same(node::augmented_assignment)) {  // b += x: a tensor op when either side is a tensor
      const Value left = evaluate(b, field(node, fields::left), depth + 1);
      const Value right = evaluate(b, field(node, fields::right), depth + 1);
      if (left.has(kTensor | kKeras) || right.has(kTensor | kKeras)) return Value::of(kTensor);
      if (left.kinds == kPrimitive && right.kinds == kPrimitive) return Value::of(kPrimitive);
      return Value::of(kUnknown);
    }
    if (same(node::boolean_operator) || same(node::conditional_expression)) {
      Value result;
      for (std::uint32_t i = 0, n = ts_node_named_child_count(node); i < n; ++i) {
        const TSNode child = ts_node_named_child(node, i);
        if (same(node::conditional_expression) && i == 1) continue;  // the condition
        result.merge(evaluate(b, child, depth + 1));
      }
      return result;
    }
    if (same(node::comparison_operator) || same(node::not_operator)) {
      Value left = evaluate(b, ts_node_named_child(node, 0), depth + 1);
      return Value::of(left.has(kTensor) ? kTensor : kBool);
    }
    if (same(node::list) || same(node::tuple) || same(node::set) || same(node::expression_list)) {
      std::uint32_t kinds = 0;
      for (std::uint32_t i = 0, n = ts_node_named_child_count(node); i < n; ++i) {
        const Value element = evaluate(b, ts_node_named_child(node, i), depth + 1);
        if (element.has(kTensor | kTensorList)) kinds |= kTensorList;
        if (element.has(kPrimitive | kPrimitiveList)) kinds |= kPrimitiveList;
      }
      return Value::of(kinds == 0 ? kOther : kinds);
    }
    if (same(node::dictionary)) {
      std::uint32_t kinds = 0;
      for (std::uint32_t i = 0, n = ts_node_named_child_count(node); i < n; ++i) {
        const TSNode pair = ts_node_named_child(node, i);
        if (!is(pair, node::pair)) continue;
        const Value element = evaluate(b, field(pair, fields::value), depth + 1);
        if (element.has(kTensor | kTensorList)) kinds |= kTensorList;
        if (element.has(kPrimitive | kPrimitiveList)) kinds |= kPrimitiveList;
      }
      return Value::of(kinds == 0 ? kOther : kinds);
    }
    if (same(node::list_comprehension) || same(node::set_comprehension) || same(node::dictionary_comprehension)) {
      const Value body = evaluate(b, ts_node_named_child(node, 0), depth + 1);
      return Value::of(body.has(kTensor) ? kTensorList : body.has(kPrimitive) ? kPrimitiveList : kOther);
    }
    if (same(node::generator_expression)) return Value::of(kIterator);
    if (same(node::lambda)) return Value::of(kOther);
    if (same(node::subscript)) {
      const Value value = evaluate(b, field(node, fields::value), depth + 1);
      if (value.has(kTensor | kTensorList | kDataset)) return Value::of(kTensor);
      if (value.has(kPrimitiveList)) return Value::of(kPrimitive);
      return Value::of(kUnknown);
    }
    if (same(node::attribute)) return attribute(b, node, depth);
    if (same(node::call)) return call_result(b, node, depth);
    if (same(node::await)) return evaluate(b, ts_node_named_child(node, 0), depth + 1);
    return Value::of(kUnknown);
  }

  Value attribute(std::size_t b, TSNode node, int depth) {
    const auto m = bodies_[b].module;
    const auto name = text(m, field(node, fields::attribute));
    const TSNode object = field(node, fields::object);
    const Value base = evaluate(b, object, depth + 1);
    Value result;
    if (base.has(kModule)) {
      for (const auto module : base.modules) result.merge(module_member(module, name, depth + 1));
    }
    if (base.has(kInstance)) {
      for (const auto c : base.classes) result.merge(field_of(c, name, depth + 1));
    }
    if (base.has(kClass)) {
      for (const auto c : base.classes) {
        if (const auto method = method_of(c, name)) {
          result.kinds |= kFunction;
          result.functions.insert(*method);
        }
      }
    }
    if (base.has(kExternal)) {
      result.kinds |= kExternal;
      for (const auto& external : base.externals) result.externals.insert(external + "." + name);
    }
    if (base.has(kTensor)) result.kinds |= (name == "shape" || name == "dtype") ? kOther : kTensor;
    if (base.has(kDataset)) result.kinds |= kDataset;
    if (base.has(kKeras)) {
      static const std::unordered_set<std::string> weight_lists = {
          "trainable_variables", "non_trainable_variables", "variables", "weights", "trainable_weights",
          "non_trainable_weights"};
      result.kinds |= weight_lists.count(name) ? kTensorList : kUnknown;
    }
    if (result.kinds == 0) result.kinds = kUnknown;
    return result;
  }

  // The callees of a call and the value it returns; edges are recorded when `edges` is given.
  Value call_result(std::size_t b, TSNode node, int depth, std::vector<Edge>* edges = nullptr, const Call* site = nullptr) {
    const auto m = bodies_[b].module;
    const TSNode callee = field(node, fields::function);
    Value result;
    const auto add_edge = [&](std::size_t target, TSNode receiver, bool shift, bool constructor) {
      if (!edges) return;
      edges->push_back({b, target, node, receiver, shift, constructor, site && site->in_lambda, site && site->in_loop,
                        false});
    };
    // super().m(...)
    if (is(callee, node::attribute) && is(field(callee, fields::object), node::call) &&
        text(m, field(field(callee, fields::object), fields::function)) == "super" && bodies_[b].class_index != kNone) {
      const auto name = text(m, field(callee, fields::attribute));
      for (const auto base : base_classes(bodies_[b].class_index)) {
        if (const auto method = method_of(base, name)) {
          add_edge(*method, TSNode{}, true, false);
          returns_read_[*method] = true;
          result.merge(returns_[*method]);
        }
      }
      return result.kinds == 0 ? Value::of(kUnknown) : result;
    }
    const Value target = evaluate(b, callee, depth + 1);
    const TSNode receiver = is(callee, node::attribute) ? field(callee, fields::object) : TSNode{};
    const bool bound_method = is(callee, node::attribute) && !evaluate(b, receiver, depth + 1).has(kModule | kClass);
    if (target.has(kFunction)) {
      for (const auto f : target.functions) {
        const bool method = bodies_[f].has_self;
        add_edge(f, bound_method ? receiver : TSNode{}, method && bound_method, false);
        if (!bodies_[f].is_generator) returns_read_[f] = true;
        result.merge(bodies_[f].is_generator ? Value::of(kIterator) : returns_[f]);
      }
    }
    if (target.has(kClass)) {
      for (const auto c : target.classes) {
        if (const auto init = method_of(c, "__init__")) add_edge(*init, TSNode{}, true, true);
        result.kinds |= kInstance;
        result.classes.insert(c);
        if (is_keras_class(c)) result.kinds |= kKeras;
      }
    }
    if (target.has(kInstance)) {  // calling an object: __call__, or Keras' call
      for (const auto c : target.classes) {
        auto method = method_of(c, "__call__");
        const bool keras_dispatch = !method && is_keras_class(c);
        if (keras_dispatch) method = method_of(c, "call");
        if (method) {
          add_edge(*method, is(callee, node::identifier) || is(callee, node::attribute) ? callee : TSNode{}, true, false);
          if (edges && keras_dispatch) edges->back().dispatched = true;
          returns_read_[*method] = true;
          result.merge(returns_[*method]);
        }
        if (is_keras_class(c)) result.kinds |= kTensor;
      }
    }
    if (target.has(kKeras) && !target.has(kInstance)) result.kinds |= kTensor;
    if (target.has(kExternal)) {
      for (const auto& external : target.externals) result.merge(external_result(b, node, external, depth));
    }
    if (target.has(kTensor) && is(callee, node::attribute)) {
      const auto method = text(m, field(callee, fields::attribute));
      result.kinds |= method == "numpy" ? kOther : (method == "item" || method == "tolist") ? kPrimitive : kTensor;
    }
    if (target.has(kDataset) && is(callee, node::attribute)) {
      const auto method = text(m, field(callee, fields::attribute));
      result.kinds |= (method == "as_numpy_iterator" || method == "__iter__") ? kIterator : kDataset;
    }
    if (result.kinds == 0) result.kinds = kUnknown;
    return result;
  }

  Value external_result(std::size_t b, TSNode node, const std::string& qualified, int depth) {
    const TSNode args = field(node, fields::arguments);
    if (qualified.starts_with("builtins.")) {
      const auto name = qualified.substr(9);
      if (is_builtin_scalar(name)) return Value::of(kPrimitive);
      if (name == "range") return Value::of(kRange);
      if (name == "iter") {  // an iterator over the same elements (iter(dataset) yields tensors)
        const TSNode first = ts_node_named_child(args, 0);
        Value over = ts_node_is_null(first) ? Value::of(kOther) : evaluate(b, first, depth + 1);
        if (over.has(kDataset | kTensor | kTensorList | kTensorIterator)) return Value::of(kTensorIterator | kIterator);
        return Value::of((over.kinds & (kRange | kPrimitiveList)) | kIterator);
      }
      if (name == "next") {
        const TSNode first = ts_node_named_child(args, 0);
        return ts_node_is_null(first) ? Value::of(kUnknown) : element_of(evaluate(b, first, depth + 1));
      }
      if (name == "enumerate" || name == "zip" || name == "reversed") {  // elements of the arguments' elements
        Value result;
        for (std::uint32_t i = 0, n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args); i < n; ++i) {
          const TSNode arg = ts_node_named_child(args, i);
          if (!is(arg, node::keyword_argument)) result.merge(evaluate(b, arg, depth + 1));
        }
        result.kinds &= kDataset | kTensor | kTensorList | kRange | kPrimitiveList | kUnknown;
        if (result.kinds == 0) result.kinds = kUnknown;
        return result;
      }
      if (name == "print") return Value::of(kNoneValue);
      if (name == "list" || name == "tuple" || name == "sorted") {
        const TSNode first = ts_node_named_child(args, 0);
        return ts_node_is_null(first) ? Value::of(kOther) : evaluate(b, first, depth + 1);
      }
      if (name == "abs" || name == "min" || name == "max" || name == "sum") {
        Value result;
        for (std::uint32_t i = 0, n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args); i < n; ++i) {
          result.merge(evaluate(b, ts_node_named_child(args, i), depth + 1));
        }
        return Value::of(result.has(kTensor | kTensorList) ? kTensor : result.kinds == kPrimitive ? kPrimitive : kUnknown);
      }
      return Value::of(kUnknown);
    }
    if (const auto* api = api_for_qualified_name(qualified); api && api->role == ApiRole::Hybridize) {
      // tf.function(f) returns f, hybridized.
      const TSNode first = ts_node_named_child(args, 0);
      if (!ts_node_is_null(first) && !is(first, node::keyword_argument)) {
        const Value wrapped = evaluate(b, first, depth + 1);
        if (wrapped.has(kFunction)) return wrapped;
      }
      return Value::of(kOther);
    }
    if (qualified.starts_with("tensorflow.") || qualified.starts_with("keras.") || qualified.starts_with("tf_keras.")) {
      return Value::of(tensorflow_result(qualified));
    }
    // NumPy arrays flow into TensorFlow ops as tensors; the reference tool types them as tensors too.
    if (qualified.starts_with("numpy.")) return Value::of(kTensor);
    if (qualified == "logging.getLogger") {
      Value v = Value::of(kExternal);
      v.externals.insert("logging.Logger");
      return v;
    }
    Value v = Value::of(kExternal | kUnknown);
    v.externals.insert(qualified + "()");
    return v;
  }

  // ---- fixpoint over reachability, parameter values and return values --------------------------------------

  std::vector<std::size_t> entry_points() const {
    std::vector<std::size_t> entries;
    for (std::size_t m = 0; m < modules_.size(); ++m) entries.push_back(modules_[m]->body);
    for (std::size_t b = 0; b < bodies_.size(); ++b) {
      const auto& body = bodies_[b];
      if (ts_node_is_null(body.definition) || !is_test_path(modules_[body.module]->path)) continue;
      const auto dot = body.qualified_name.find_last_of('.');
      const auto name = dot == std::string::npos ? body.qualified_name : body.qualified_name.substr(dot + 1);
      if (name.starts_with("test")) entries.push_back(b);
    }
    return entries;
  }

  // Binds the arguments of a call to the callee's parameters.
  void bind_arguments(const Edge& edge, std::vector<std::vector<Value>>& incoming) {
    auto& parameters = incoming[edge.callee];
    const auto& callee = bodies_[edge.callee];
    const TSNode args = field(edge.call, fields::arguments);
    std::size_t position = edge.shift ? 1 : 0;
    if (edge.shift && edge.constructor) position = 1;
    for (std::uint32_t i = 0, n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args); i < n; ++i) {
      const TSNode arg = ts_node_named_child(args, i);
      if (is(arg, node::comment)) continue;
      if (is(arg, node::list_splat) || is(arg, node::dictionary_splat)) {
        // *args: every parameter from here on may receive its elements.
        const Value value = element_of(evaluate(edge.caller, ts_node_named_child(arg, 0), 0));
        for (std::size_t p = position; p < parameters.size(); ++p) parameters[p].merge(value);
        continue;
      }
      if (is(arg, node::keyword_argument)) {
        const auto name = text(bodies_[edge.caller].module, field(arg, fields::name));
        if (const auto index = parameter_index(callee, name)) {
          parameters[*index].merge(evaluate(edge.caller, field(arg, fields::value), 0));
        }
        continue;
      }
      if (position < parameters.size()) parameters[position].merge(evaluate(edge.caller, arg, 0));
      ++position;
    }
  }

  // Functions handed to a library (dataset.map(f), strategy.run(f, args=(x,)), tf.map_fn(f, xs)) are called by it;
  // TensorFlow calls them with tensors.
  void bind_callbacks(std::size_t b, const Call& site, std::vector<Edge>& edges, std::vector<std::vector<Value>>& incoming) {
    const TSNode args = field(site.node, fields::arguments);
    if (ts_node_is_null(args)) return;
    const Value callee = evaluate(b, field(site.node, fields::function), 0);
    // Project functions receive function arguments as values (and call them themselves); hybridization APIs wrap
    // their argument without calling it.
    if (callee.has(kFunction | kClass | kInstance)) return;
    for (const auto& external : callee.externals) {
      if (const auto* api = api_for_qualified_name(external); api) return;
    }
    bool tensorflow = callee.has(kDataset | kTensor);
    for (const auto& external : callee.externals) {
      tensorflow |= external.starts_with("tensorflow.") || external.ends_with(".run") || external.ends_with(".map");
    }
    if (is(field(site.node, fields::function), node::attribute)) {
      const auto method = text(bodies_[b].module, field(field(site.node, fields::function), fields::attribute));
      tensorflow |= method == "run" || method == "map" || method == "filter" || method == "flat_map";
    }
    std::vector<TSNode> positional;
    TSNode args_tuple{};
    for (std::uint32_t i = 0, n = ts_node_named_child_count(args); i < n; ++i) {
      const TSNode arg = ts_node_named_child(args, i);
      if (is(arg, node::keyword_argument)) {
        if (text(bodies_[b].module, field(arg, fields::name)) == "args") args_tuple = field(arg, fields::value);
        continue;
      }
      positional.push_back(arg);
    }
    if (ts_node_is_null(args_tuple) && positional.size() >= 2 && is(positional[1], node::tuple)) args_tuple = positional[1];
    for (std::size_t i = 0; i < positional.size(); ++i) {
      const TSNode arg = positional[i];
      if (!is(arg, node::identifier) && !is(arg, node::attribute)) continue;
      const Value value = evaluate(b, arg, 0);
      if (!value.has(kFunction)) continue;
      for (const auto f : value.functions) {
        Edge edge{b, f, site.node, TSNode{}, false, false, site.in_lambda, site.in_loop, true};
        edges.push_back(edge);
        auto& parameters = incoming[f];
        const std::size_t first = bodies_[f].has_self ? 1 : 0;
        if (i == 0 && !ts_node_is_null(args_tuple) && is(args_tuple, node::tuple)) {
          std::size_t p = first;
          for (std::uint32_t k = 0, n = ts_node_named_child_count(args_tuple); k < n && p < parameters.size(); ++k, ++p) {
            parameters[p].merge(evaluate(b, ts_node_named_child(args_tuple, k), 0));
          }
        } else {
          for (std::size_t p = first; p < parameters.size(); ++p) {
            parameters[p].merge(Value::of(tensorflow ? kTensor : kUnknown));
          }
        }
      }
    }
  }

  void solve() {
    incoming_.assign(bodies_.size(), {});
    for (std::size_t b = 0; b < bodies_.size(); ++b) incoming_[b].assign(bodies_[b].parameters.size(), Value{});
    returns_.assign(bodies_.size(), Value::of(kNoneValue));
    for (int round = 0; round < kMaxFixpointRounds; ++round) {
      value_cache_.clear();
      name_cache_.clear();
      incoming_read_.resize(bodies_.size());
      for (std::size_t b = 0; b < bodies_.size(); ++b) incoming_read_[b].assign(bodies_[b].parameters.size(), false);
      returns_read_.assign(bodies_.size(), false);
      std::vector<std::vector<Value>> incoming(bodies_.size());
      for (std::size_t b = 0; b < bodies_.size(); ++b) incoming[b].assign(bodies_[b].parameters.size(), Value{});
      std::vector<bool> reachable(bodies_.size(), false);
      std::vector<Edge> edges;
      std::vector<std::size_t> work;
      for (const auto entry : entry_points()) {
        if (!reachable[entry]) {
          reachable[entry] = true;
          work.push_back(entry);
        }
      }
      while (!work.empty()) {
        const auto b = work.back();
        work.pop_back();
        for (const auto& site : bodies_[b].calls) {
          const auto before = edges.size();
          call_result(b, site.node, 0, &edges, &site);
          bind_callbacks(b, site, edges, incoming);
          for (auto e = before; e < edges.size(); ++e) {
            if (!edges[e].callback) bind_arguments(edges[e], incoming);
            if (!reachable[edges[e].callee]) {
              reachable[edges[e].callee] = true;
              work.push_back(edges[e].callee);
            }
          }
        }
      }
      std::vector<Value> returns(bodies_.size(), Value::of(kNoneValue));
      for (std::size_t b = 0; b < bodies_.size(); ++b) {
        if (bodies_[b].returns.empty() || !reachable[b]) continue;
        returns[b] = Value{};
        for (const auto r : bodies_[b].returns) returns[b].merge(evaluate(b, r, 0));
      }
      const bool stable = reachable == reachable_ && same_kinds(incoming, incoming_) && same_kinds(returns, returns_);
      const bool repeats = read_only_unchanged(incoming, returns);
      reachable_ = std::move(reachable);
      edges_ = std::move(edges);
      incoming_ = std::move(incoming);
      returns_ = std::move(returns);
      if (stable || repeats) break;
    }
    value_cache_.clear();
    name_cache_.clear();
  }

  // Whether every parameter and return value this round read (incoming_read_, returns_read_) came out of it as it
  // went in. A round is a function of what it reads, so the next would then repeat it exactly, and stop on
  // same_kinds with this round's results: they are the fixpoint already, without the confirming round (most
  // modules' second and last).
  bool read_only_unchanged(const std::vector<std::vector<Value>>& incoming, const std::vector<Value>& returns) const {
    for (std::size_t b = 0; b < incoming.size(); ++b) {
      for (std::size_t p = 0; p < incoming[b].size(); ++p) {
        if (incoming_read_[b][p] && incoming[b][p] != incoming_[b][p]) return false;
      }
    }
    for (std::size_t f = 0; f < returns.size(); ++f) {
      if (returns_read_[f] && returns[f] != returns_[f]) return false;
    }
    return true;
  }

  static bool same_kinds(const std::vector<Value>& a, const std::vector<Value>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].kinds != b[i].kinds || a[i].functions != b[i].functions || a[i].classes != b[i].classes) return false;
    }
    return true;
  }
  static bool same_kinds(const std::vector<std::vector<Value>>& a, const std::vector<std::vector<Value>>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same_kinds(a[i], b[i])) return false;
    }
    return true;
  }

  // ---- side effects -----------------------------------------------------------------------------------------

  enum class Origin { Local, Parameter, Global };

  // Where the object a name refers to in body b comes from: created in b, passed in as parameter `index`, or
  // reachable from outside (module variables, closures, globals).
  std::pair<Origin, std::size_t> origin(std::size_t b, const std::string& name, int depth = 0) {
    const auto& body = bodies_[b];
    if (ts_node_is_null(body.definition)) return {Origin::Global, 0};
    if (body.globals.count(name)) return {Origin::Global, 0};
    if (const auto index = parameter_index(body, name)) return {Origin::Parameter, *index};
    if (const auto found = body.assignments.find(name); found != body.assignments.end()) {
      for (const auto& assignment : found->second) {
        const TSNode value = assignment.value;
        const auto root = (is(value, node::identifier) || is(value, node::attribute) || is(value, node::subscript))
                              ? root_name(body.module, value)
                              : std::string();
        if (!root.empty() && root != name && depth < 8) {
          const auto inner = origin(b, root, depth + 1);
          if (inner.first != Origin::Local) return inner;
        }
      }
      return {Origin::Local, 0};
    }
    if (body.nested_functions.count(name) || body.nested_classes.count(name)) return {Origin::Local, 0};
    return {Origin::Global, 0};
  }

  void compute_side_effects() {
    global_effect_.assign(bodies_.size(), false);
    parameter_effects_.assign(bodies_.size(), {});
    effects_.assign(bodies_.size(), {});
    for (std::size_t b = 0; b < bodies_.size(); ++b) {
      if (!reachable_[b] || ts_node_is_null(bodies_[b].definition)) continue;
      direct_effects(b);
    }
    // Transitive: a callee's effect on the world is the caller's; its effect on a parameter is the caller's effect
    // on whatever it passed there. Calls inside lambdas are not followed (the tool's call graph does not either).
    bool changed = true;
    for (int round = 0; changed && round < 64; ++round) {
      changed = false;
      for (const auto& edge : edges_) {
        if (edge.in_lambda || ts_node_is_null(bodies_[edge.caller].definition)) continue;
        const auto caller = edge.caller;
        const auto callee = edge.callee;
        const auto& callee_name = bodies_[callee].qualified_name;
        if (global_effect_[callee] && !global_effect_[caller]) {
          global_effect_[caller] = true;
          effects_[caller].push_back({line_of(edge.call), "calls " + callee_name});
          changed = true;
        }
        for (const auto p : std::set<std::size_t>(parameter_effects_[callee])) {
          const TSNode argument = argument_for(edge, p);
          if (ts_node_is_null(argument)) continue;
          const auto root = root_name(bodies_[caller].module, argument);
          if (root.empty()) continue;
          const auto [where, index] = origin(caller, root);
          if (where == Origin::Global && !global_effect_[caller]) {
            global_effect_[caller] = true;
            effects_[caller].push_back({line_of(edge.call), "calls " + callee_name + " on " + root});
            changed = true;
          } else if (where == Origin::Parameter && !parameter_effects_[caller].count(index)) {
            parameter_effects_[caller].insert(index);
            effects_[caller].push_back({line_of(edge.call), "calls " + callee_name + " on " + root});
            changed = true;
          }
        }
      }
    }
  }

  // The argument expression an edge passes for the callee's parameter p (the receiver for a bound self).
  TSNode argument_for(const Edge& edge, std::size_t p) const {
    if (edge.callback || edge.constructor) return TSNode{};
    if (edge.shift && p == 0) return edge.receiver;
    const auto& callee = bodies_[edge.callee];
    const TSNode args = field(edge.call, fields::arguments);
    std::size_t position = edge.shift ? 1 : 0;
    for (std::uint32_t i = 0, n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args); i < n; ++i) {
      const TSNode arg = ts_node_named_child(args, i);
      if (is(arg, node::comment) || is(arg, node::list_splat) || is(arg, node::dictionary_splat)) continue;
      if (is(arg, node::keyword_argument)) {
        if (p < callee.parameters.size() &&
            text(bodies_[edge.caller].module, field(arg, fields::name)) == callee.parameters[p]) {
          return field(arg, fields::value);
        }
        continue;
      }
      if (position == p) return arg;
      ++position;
    }
    return TSNode{};
  }

  void direct_effects(std::size_t b) {
    const auto& body = bodies_[b];
    const auto m = body.module;
    const auto world = [&](std::uint32_t line, std::string detail) {
      global_effect_[b] = true;
      effects_[b].push_back({line, std::move(detail)});
    };
    const auto mutation = [&](const std::string& root, std::uint32_t line, const std::string& detail) {
      const auto [where, index] = origin(b, root);
      if (where == Origin::Global) {
        world(line, detail);
      } else if (where == Origin::Parameter) {
        parameter_effects_[b].insert(index);
        effects_[b].push_back({line, detail});
      }
    };
    for (const auto& write : body.writes) mutation(write.root, write.line, write.detail);
    for (const auto& site : body.calls) {
      const TSNode callee = field(site.node, fields::function);
      const auto line = line_of(site.node);
      const Value target = evaluate(b, callee, 0);
      for (const auto& external : target.externals) {
        if (external == "builtins.print" || external == "builtins.open" || external == "builtins.input" ||
            is_side_effect_call(external)) {
          world(line, text(m, callee) + "(...)");
          break;
        }
      }
      if (is(callee, node::attribute) && mutating_methods().count(text(m, field(callee, fields::attribute)))) {
        // tf.add(...) or a tensor's methods are not mutations of Python objects.
        const auto receiver = evaluate(b, field(callee, fields::object), 0).kinds;
        const bool library = (receiver & ~(kExternal | kModule | kTensor | kDataset | kKeras | kClass)) == 0;
        const auto root = root_name(m, field(callee, fields::object));
        if (!root.empty() && !library) mutation(root, line, text(m, callee));
      }
    }
  }

  // ---- traits ----------------------------------------------------------------------------------------------

  bool hybrid(std::size_t b) const { return hybrid_api_[b] != nullptr; }

  void compute_traits() {
    // Hybridization by decorator: the tool's notion of a hybrid function.
    hybrid_api_.assign(bodies_.size(), nullptr);
    hybrid_site_.assign(bodies_.size(), nullptr);
    for (std::size_t b = 0; b < bodies_.size(); ++b) {
      const auto& body = bodies_[b];
      if (ts_node_is_null(body.definition)) continue;
      for (const auto& site : modules_[body.module]->facts.sites) {
        if (site.role != "hybridize" || site.function != body.qualified_name) continue;
        if (site.form != "decorator" && site.form != "decorator_call" && site.form != "partial_decorator") continue;
        if (body.fact != kNone && site.line > modules_[body.module]->facts.functions[body.fact].start_line) continue;
        hybrid_api_[b] = api_for_qualified_name_id(site.api);
        hybrid_site_[b] = &site;
      }
    }
    eager_only_.assign(bodies_.size(), {});
    numpy_.assign(bodies_.size(), {});
    invalid_names_.assign(bodies_.size(), {});
    stale_reads_.assign(bodies_.size(), {});
    iteration_.assign(bodies_.size(), {});
    computation_.assign(bodies_.size(), false);
    variables_.assign(bodies_.size(), {});
    iterators_.assign(bodies_.size(), {});
    per_call_.assign(bodies_.size(), {});
    run_eagerly_.assign(bodies_.size(), {});
    for (std::size_t b = 0; b < bodies_.size(); ++b) body_traits(b);
    // Eager-only calls and tensor computation reach callers through calls (not into other hybrid functions:
    // their bodies run as graphs of their own).
    bool changed = true;
    for (int round = 0; changed && round < 64; ++round) {
      changed = false;
      for (const auto& edge : edges_) {
        if (edge.in_lambda || edge.callback) continue;
        if (!eager_only_[edge.callee].empty() && eager_only_[edge.caller].empty() && !hybrid(edge.callee)) {
          eager_only_[edge.caller].push_back({line_of(edge.call), "calls " + bodies_[edge.callee].qualified_name});
          changed = true;
        }
        if (computation_[edge.callee] && !computation_[edge.caller]) {
          computation_[edge.caller] = true;
          changed = true;
        }
      }
    }
    // Caller coverage: every reachable call site is in hybrid code (or in code itself covered).
    covered_.assign(bodies_.size(), false);
    changed = true;
    for (int round = 0; changed && round < 64; ++round) {
      changed = false;
      std::vector<int> callers(bodies_.size(), 0);
      std::vector<int> covered_callers(bodies_.size(), 0);
      for (const auto& edge : edges_) {
        ++callers[edge.callee];
        // As in the tool, a caller behind library code (Keras' __call__, a library invoking a callback) is
        // unknown, and an unknown caller blocks coverage.
        if (edge.dispatched || edge.callback) continue;
        if (edge.caller != edge.callee && (hybrid(edge.caller) || covered_[edge.caller])) ++covered_callers[edge.callee];
      }
      for (std::size_t b = 0; b < bodies_.size(); ++b) {
        const bool now = callers[b] > 0 && callers[b] == covered_callers[b];
        if (now && !covered_[b]) {
          covered_[b] = true;
          changed = true;
        }
      }
    }
    recursion();
  }

  static const HybridApi* api_for_qualified_name_id(const std::string& id) {
    for (const auto& api : hybrid_apis()) {
      if (api.id == id) return &api;
    }
    return nullptr;
  }

  bool under_none_guard(std::size_t m, TSNode node, TSNode stop) const {
    for (TSNode n = ts_node_parent(node); !ts_node_is_null(n) && !ts_node_eq(n, stop); n = ts_node_parent(n)) {
      if (is(n, node::if_statement)) {
        const auto condition = text(m, field(n, fields::condition));
        if (condition.find("is None") != std::string::npos || condition.find("not ") == 0) return true;
      }
    }
    return false;
  }

  void body_traits(std::size_t b) {
    const auto& body = bodies_[b];
    const auto m = body.module;
    const bool module_level = ts_node_is_null(body.definition);
    // Bodies no analysed code runs have no facts to support (and generated files hold thousands of them).
    if (!reachable_[b] && !hybrid(b) && body.nested_functions.empty()) {
      if (!modules_[m]->spells_eager_switch) return;
      for (const auto& site : body.calls) {
        if (text(m, field(site.node, fields::function)).ends_with("run_functions_eagerly")) run_functions_eagerly(b, site);
      }
      return;
    }
    for (const auto& site : body.calls) {
      const TSNode callee = field(site.node, fields::function);
      const auto line = line_of(site.node);
      const Value target = evaluate(b, callee, 0);
      const auto method = is(callee, node::attribute) ? text(m, field(callee, fields::attribute)) : std::string();
      if (!module_level && !site.in_lambda && method == "numpy" && ts_node_named_child_count(field(site.node, fields::arguments)) == 0) {
        eager_only_[b].push_back({line, text(m, site.node)});
      }
      if (!module_level && !site.in_lambda && (method == "item") && evaluate(b, field(callee, fields::object), 0).has(kTensor)) {
        eager_only_[b].push_back({line, text(m, site.node)});
      }
      static const std::unordered_set<std::string> keras_eager = {
          "fit", "predict", "evaluate", "train_on_batch", "test_on_batch", "predict_on_batch", "fit_generator",
          "evaluate_generator", "predict_generator"};
      if (!module_level && keras_eager.count(method) && evaluate(b, field(callee, fields::object), 0).has(kKeras)) {
        eager_only_[b].push_back({line, text(m, callee) + "(...)"});
      }
      for (const auto& external : target.externals) {
        if (!module_level && external.starts_with("numpy.")) numpy_call(b, site.node, external);
        if (!module_level && (external == "tensorflow.Variable" || external == "tensorflow.compat.v1.Variable") &&
            !under_none_guard(m, site.node, body.definition)) {
          variables_[b].push_back({line, text(m, callee) + "(...)"});
        }
        if (!module_level && external == "builtins.next") iterators_[b].push_back({line, text(m, site.node)});
        if (const auto* api = api_for_qualified_name(external); api && api->role == ApiRole::Hybridize && site.in_loop) {
          (module_level ? modules_[m]->hybrid_in_loops : per_call_[b]).push_back({line, text(m, site.node)});
        }
      }
      if (modules_[m]->spells_eager_switch && text(m, callee).ends_with("run_functions_eagerly")) {
        run_functions_eagerly(b, site);
      }
      if (!module_level && !site.in_lambda) invalid_name_argument(b, site.node, target);
      if (!module_level) {
        // NumPy results are typed as tensors, but NumPy does not compute in TensorFlow.
        const bool numpy = !target.externals.empty() &&
                           std::all_of(target.externals.begin(), target.externals.end(),
                                       [](const std::string& e) { return e.starts_with("numpy."); });
        const Value result = call_result(b, site.node, 0);
        if (result.has(kTensor) && !numpy) computation_[b] = true;
      }
    }
    if (!module_level) stale_variable_reads(b);
    if (!module_level) {
      for (const auto op : body.operations) {
        // Picking an element of a Python list of tensors is no tensor computation; slicing a tensor is.
        if (is(op, node::subscript) && !evaluate(b, field(op, fields::value), 0).has(kTensor)) continue;
        if (evaluate(b, op, 0).has(kTensor)) computation_[b] = true;
      }
      for (const auto& [name, iterable] : body.loops) {
        // `for x in t`, and `for a, b in zip(t, u)` / enumerate(t) / reversed(t): each iterates t itself.
        std::vector<std::string> iterated;
        if (!name.empty()) iterated.push_back(name);
        const auto wrapper = is(iterable, node::call) ? text(m, field(iterable, fields::function)) : std::string();
        if (wrapper == "zip" || wrapper == "enumerate" || wrapper == "reversed") {
          const TSNode args = field(iterable, fields::arguments);
          for (std::uint32_t i = 0, n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args); i < n; ++i) {
            const TSNode arg = ts_node_named_child(args, i);
            if (is(arg, node::identifier)) iterated.push_back(text(m, arg));
          }
        }
        for (const auto& over : iterated) {
          const auto index = parameter_index(body, over);
          if (index && !(body.has_self && *index == 0) && incoming_[b][*index].has(kTensor)) {
            iteration_[b].push_back({line_of(iterable), "for ... in " + (over == name ? name : text(m, iterable))});
            break;
          }
        }
        if (evaluate(b, iterable, 0).has(kIterator)) iterators_[b].push_back({line_of(iterable), "for ... in " + text(m, iterable)});
      }
    }
    // Hybrid functions defined inside other (eager) functions or loops: a new function, and a new trace, per call.
    for (const auto& [name, nested] : body.nested_functions) {
      (void)name;
      const auto& inner = bodies_[nested];
      const bool decorated = has_hybrid_decorator(nested);
      if (!decorated) continue;
      if (module_level) {
        if (inner.in_loop) modules_[m]->hybrid_in_loops.push_back({line_of(inner.definition), inner.qualified_name});
      } else {
        per_call_[b].push_back({line_of(inner.definition), inner.qualified_name});
      }
    }
  }

  // `tv = model.trainable_variables` before the body's first `model(...)` (or fit/build/...), with tv later given
  // to apply_gradients/minimize/gradient: a Keras model builds its weights on its first call, so under tracing
  // the snapshot is empty on the first trace and the optimizer creates its slots on a re-trace, which raises
  // (the reference tool's HAS_STALE_VARIABLE_READS). Body-local: a model first called by a callee is not seen.
  void stale_variable_reads(std::size_t b) {
    const auto& body = bodies_[b];
    const auto m = body.module;
    static const std::unordered_set<std::string> building = {
        "call", "__call__", "build", "fit", "predict", "evaluate", "train_on_batch", "test_on_batch",
        "predict_on_batch", "fit_generator", "evaluate_generator", "predict_generator"};
    static const std::unordered_set<std::string> consumers = {"apply_gradients", "minimize", "gradient"};
    for (const auto& [name, assignments] : body.assignments) {
      for (const auto& assignment : assignments) {
        const TSNode value = assignment.value;
        if (assignment.element || assignment.container || !is(value, node::attribute)) continue;
        const auto member = text(m, field(value, fields::attribute));
        if (member != "trainable_variables" && member != "trainable_weights") continue;
        const auto receiver = text(m, field(value, fields::object));
        const auto read_at = ts_node_start_byte(value);
        std::optional<std::uint32_t> first_build;
        bool consumed = false;
        for (const auto& site : body.calls) {
          const TSNode callee = field(site.node, fields::function);
          const auto at = ts_node_start_byte(site.node);
          const bool builds = text(m, callee) == receiver ||
                              (is(callee, node::attribute) && text(m, field(callee, fields::object)) == receiver &&
                               building.count(text(m, field(callee, fields::attribute))));
          if (builds && (!first_build || at < *first_build)) first_build = at;
          if (is(callee, node::attribute) && consumers.count(text(m, field(callee, fields::attribute))) && at > read_at &&
              mentions(m, field(site.node, fields::arguments), name)) {
            consumed = true;
          }
        }
        if (first_build && read_at < *first_build && consumed) {
          stale_reads_[b].push_back({line_of(value), name + " = " + text(m, value)});
        }
      }
    }
  }

  // Whether the identifier `name` occurs under node.
  bool mentions(std::size_t m, TSNode node, const std::string& name) const {
    bool found = false;
    if (ts_node_is_null(node)) return false;
    walk_recorded(node, nullptr, nullptr, [&](const WalkVisit& visit) {
      if (found) return false;
      const bool identifier = node::identifier.matches(visit.symbol);
      if (identifier && text_between(m, ts_node_start_byte(visit.node), visit.end_byte) == name) found = true;
      return !found;
    });
    return found;
  }

  // A TensorFlow op given `name=` a number, a boolean or a dtype: eager execution ignores the name, but tracing
  // opens a name scope with it and raises (the reference tool's HAS_INVALID_NAME_ARGUMENTS). Only the keyword
  // form: the positional one needs each op's signature.
  void invalid_name_argument(std::size_t b, TSNode call, const Value& target) {
    const bool tensorflow = std::any_of(target.externals.begin(), target.externals.end(), [](const std::string& e) {
      return e.starts_with("tensorflow.") || e.starts_with("keras.");
    });
    if (!tensorflow) return;
    const auto m = bodies_[b].module;
    const TSNode args = field(call, fields::arguments);
    for (std::uint32_t i = 0, n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args); i < n; ++i) {
      const TSNode arg = ts_node_named_child(args, i);
      if (!is(arg, node::keyword_argument) || text(m, field(arg, fields::name)) != "name") continue;
      const TSNode value = field(arg, fields::value);
      bool invalid = is(value, node::integer) || is(value, node::float_) || is(value, node::true_) || is(value, node::false_);
      if (!invalid && (is(value, node::attribute) || is(value, node::identifier))) {
        static const std::unordered_set<std::string> dtypes = {
            "float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "uint16",
            "uint32", "uint64", "bool", "string", "complex64", "complex128"};
        const Value dtype = evaluate(b, value, 0);
        for (const auto& e : dtype.externals) {
          const auto dot = e.find_last_of('.');
          if (e.starts_with("tensorflow.") && dot != std::string::npos && dtypes.count(e.substr(dot + 1))) invalid = true;
        }
      }
      if (invalid) invalid_names_[b].push_back({line_of(call), "name=" + text(m, value)});
    }
  }

  // tf.config.run_functions_eagerly(True) outside test code.
  void run_functions_eagerly(std::size_t b, const Call& site) {
    const auto m = bodies_[b].module;
    if (is_test_path(modules_[m]->path)) return;
    const Value target = evaluate(b, field(site.node, fields::function), 0);
    const bool api = target.externals.count("tensorflow.config.run_functions_eagerly") ||
                     target.externals.count("tensorflow.config.experimental_run_functions_eagerly");
    if (!api || !is(ts_node_named_child(field(site.node, fields::arguments), 0), node::true_)) return;
    const Evidence evidence{line_of(site.node), text(m, site.node)};
    if (ts_node_is_null(bodies_[b].definition)) {
      modules_[m]->run_functions_eagerly.push_back(evidence);
    } else {
      run_eagerly_[b].push_back(evidence);
    }
  }

  bool has_hybrid_decorator(std::size_t b) const {
    const auto& body = bodies_[b];
    for (const auto& site : modules_[body.module]->facts.sites) {
      if (site.role == "hybridize" && site.function == body.qualified_name &&
          (site.form == "decorator" || site.form == "decorator_call" || site.form == "partial_decorator")) {
        return true;
      }
    }
    return false;
  }

  void numpy_call(std::size_t b, TSNode call, const std::string& external) {
    const auto& body = bodies_[b];
    const auto m = body.module;
    const TSNode args = field(call, fields::arguments);
    for (std::uint32_t i = 0, n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args); i < n; ++i) {
      TSNode arg = ts_node_named_child(args, i);
      if (is(arg, node::keyword_argument)) arg = field(arg, fields::value);
      const auto root = root_name(m, arg);
      if (root.empty()) continue;
      const auto index = parameter_index(body, root);
      if (index && !(body.has_self && *index == 0)) {
        numpy_[b].push_back({line_of(call), external.substr(6) + "(" + root + ")"});
        return;
      }
    }
  }

  void recursion() {
    recursive_.assign(bodies_.size(), false);
    std::vector<std::vector<std::size_t>> callees(bodies_.size());
    for (const auto& edge : edges_) callees[edge.caller].push_back(edge.callee);
    for (auto& list : callees) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
    }
    for (std::size_t b = 0; b < bodies_.size(); ++b) {
      if (!reachable_[b] || ts_node_is_null(bodies_[b].definition)) continue;
      std::vector<bool> seen(bodies_.size(), false);
      std::vector<std::size_t> work(callees[b].begin(), callees[b].end());
      while (!work.empty() && !recursive_[b]) {
        const auto next = work.back();
        work.pop_back();
        if (next == b) recursive_[b] = true;
        if (seen[next]) continue;
        seen[next] = true;
        work.insert(work.end(), callees[next].begin(), callees[next].end());
      }
    }
  }

  // ---- the tensor-parameter decision ------------------------------------------------------------------------

  // tf.Tensor, tensorflow.RaggedTensor, Tensor (imported), also inside tuple[...] / Optional[...].
  static bool tensor_type_hint(const std::optional<std::string>& annotation) {
    if (!annotation) return false;
    static const std::set<std::string> names = {"Tensor", "RaggedTensor", "SparseTensor", "Variable", "IndexedSlices"};
    std::string token;
    const auto check = [&]() {
      const auto dot = token.find_last_of('.');
      const auto last = dot == std::string::npos ? token : token.substr(dot + 1);
      const bool qualified_ok = dot == std::string::npos || token.starts_with("tf.") || token.starts_with("tensorflow.");
      const bool hit = names.count(last) && qualified_ok;
      token.clear();
      return hit;
    };
    for (const char c : *annotation) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.') {
        token += c;
      } else if (check()) {
        return true;
      }
    }
    return check();
  }

  // The tool's "context" rule: Keras call/__call__ of a Model subclass, *train*_step / *test*_step, run_model,
  // *inference: such functions take tensors even when no analysed code calls them.
  bool tensor_context(std::size_t b) {
    const auto& body = bodies_[b];
    const auto dot = body.qualified_name.find_last_of('.');
    const auto name = dot == std::string::npos ? body.qualified_name : body.qualified_name.substr(dot + 1);
    if (name == "call" || name == "__call__") return body.class_index != kNone && is_keras_class(body.class_index);
    if (name == "run_model" || name.ends_with("inference")) return true;
    const auto step = name.size() >= 5 && name.ends_with("_step");
    return step && (name.find("train") != std::string::npos || name.find("test") != std::string::npos);
  }

  void decide_parameters(std::size_t b, FunctionAnalysis& f) {
    const auto& body = bodies_[b];
    const std::size_t first = body.has_self ? 1 : 0;
    bool tensor = false;
    for (std::size_t p = first; p < body.parameters.size(); ++p) {
      if (tensor_type_hint(body.annotations[p])) {
        tensor = true;
        f.tensor_parameter_from_type_hint = true;
      }
      if (reachable_[b] && incoming_[b][p].has(kTensor | kTensorList | kDataset)) tensor = true;
    }
    bool undeterminable = false;
    const bool only_self = body.parameters.size() == 1 && body.has_self;
    if (!tensor && !body.parameters.empty() && !only_self) {
      if (tensor_context(b)) {
        tensor = true;
        f.tensor_parameter_from_context = true;
      } else if (!reachable_[b]) {
        undeterminable = true;  // never called: no call site tells
      }
    }
    if (!undeterminable) f.has_tensor_parameter = tensor;
    if (!reachable_[b]) return;
    bool primitive = false;
    for (std::size_t p = first; p < body.parameters.size(); ++p) {
      const auto kinds = incoming_[b][p].kinds;
      // As in the tool, a parameter is primitive when every value reaching it holds a Python scalar; tensors
      // made from literals (tf.constant(5)) hold one too, so they do not clear a scalar seen elsewhere.
      const bool scalar_seen = (kinds & (kPrimitive | kPrimitiveList)) != 0;
      if (scalar_seen && (kinds & ~(kPrimitive | kPrimitiveList | kTensor | kTensorList)) == 0) primitive = true;
    }
    f.has_primitive_parameter = primitive;
  }

  ProjectAnalysis report() {
    ProjectAnalysis result;
    result.modules = statuses_;
    for (std::size_t b = 0; b < bodies_.size(); ++b) {
      const auto& body = bodies_[b];
      if (ts_node_is_null(body.definition)) continue;
      FunctionAnalysis f;
      f.module = module_status_[body.module];
      f.qualified_name = body.qualified_name;
      f.line = line_of(body.definition);
      if (body.class_index != kNone) f.class_name = classes_[body.class_index].qualified_name;
      if (hybrid(b)) {
        f.is_hybrid = true;
        f.api = std::string(hybrid_api_[b]->id);
        f.family = std::string(hybrid_api_[b]->family);
        f.hybridization_args = hybrid_site_[b]->arguments;
      }
      f.reachable = reachable_[b];
      decide_parameters(b, f);
      if (reachable_[b]) {
        f.has_python_side_effects = global_effect_[b] || !parameter_effects_[b].empty();
        f.is_recursive = recursive_[b];
        f.has_tensor_computation = computation_[b];
      }
      f.has_eager_only_calls = std::any_of(eager_only_[b].begin(), eager_only_[b].end(),
                                           [](const Evidence& e) { return e.detail.find(".item()") == std::string::npos; });
      f.has_numpy_calls_on_parameters = !numpy_[b].empty();
      f.has_invalid_name_arguments = !invalid_names_[b].empty();
      f.invalid_name_arguments = invalid_names_[b];
      f.has_stale_variable_reads = !stale_reads_[b].empty();
      f.stale_variable_reads = stale_reads_[b];
      f.has_tensor_parameter_iteration = !iteration_[b].empty();
      f.caller_covered = covered_[b];
      f.side_effects = effects_[b];
      f.variable_creations = variables_[b];
      f.eager_only_calls = eager_only_[b];
      f.eager_only_calls.insert(f.eager_only_calls.end(), iteration_[b].begin(), iteration_[b].end());
      f.numpy_on_parameters = numpy_[b];
      f.iterator_consumptions = iterators_[b];
      f.global_reads = global_reads(b);
      f.hybrid_definitions_per_call = hybrid(b) ? std::vector<Evidence>{} : per_call_[b];
      f.varying_scalar_calls = varying_scalars(b);
      result.functions.push_back(std::move(f));
      // run_functions_eagerly(True) inside a function: reported with the module's evidence.
      if (!run_eagerly_[b].empty()) {
        auto& target = modules_[body.module]->run_functions_eagerly;
        target.insert(target.end(), run_eagerly_[b].begin(), run_eagerly_[b].end());
      }
    }
    for (std::size_t m = 0; m < modules_.size(); ++m) {
      ModuleEvidence evidence;
      evidence.module = module_status_[m];
      evidence.run_functions_eagerly = modules_[m]->run_functions_eagerly;
      evidence.hybrid_definitions_in_loops = modules_[m]->hybrid_in_loops;
      result.module_evidence.push_back(std::move(evidence));
    }
    return result;
  }

  // Module-level variables (not functions, classes, imports or ALL_CAPS constants) read in a function body: a
  // hybrid function captures their value when it is traced.
  std::vector<Evidence> global_reads(std::size_t b) {
    std::vector<Evidence> result;
    const auto& body = bodies_[b];
    const auto& module_body = bodies_[modules_[body.module]->body];
    std::set<std::string> seen;
    for (const auto& [name, line] : body.name_reads) {
      if (seen.count(name)) continue;
      bool enclosed = false;
      for (auto parent = body.parent; parent != kNone && !ts_node_is_null(bodies_[parent].definition);
           parent = bodies_[parent].parent) {
        const auto& p = bodies_[parent];
        enclosed |= p.assignments.count(name) || parameter_index(p, name).has_value() || p.nested_functions.count(name) ||
                    p.nested_classes.count(name);
      }
      if (enclosed || body.nested_functions.count(name) || body.nested_classes.count(name)) continue;
      if (!module_body.assignments.count(name) || module_body.nested_functions.count(name) ||
          module_body.nested_classes.count(name) || modules_[body.module]->imports.count(name)) {
        continue;
      }
      const bool constant = std::none_of(name.begin(), name.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
      if (constant) continue;
      // A module-level name bound to a function or class (e.g. an alias) is not a captured value.
      const Value value = module_member(body.module, name, 0);
      if ((value.kinds & ~(kFunction | kClass | kModule | kExternal)) == 0) continue;
      seen.insert(name);
      result.push_back({line, name});
    }
    return result;
  }

  // Reachable calls of b passing different Python scalar literals for one parameter, or a scalar loop variable.
  std::vector<Evidence> varying_scalars(std::size_t b) {
    std::vector<Evidence> result;
    if (!hybrid(b)) return result;
    std::map<std::size_t, std::set<std::string>> literals;
    std::map<std::size_t, std::uint32_t> first_line;
    for (const auto& edge : edges_) {
      if (edge.callee != b || edge.callback) continue;
      const auto m = bodies_[edge.caller].module;
      for (std::size_t p = bodies_[b].has_self ? 1 : 0; p < bodies_[b].parameters.size(); ++p) {
        const TSNode argument = argument_for(edge, p);
        if (ts_node_is_null(argument)) continue;
        if (is(argument, node::integer) || is(argument, node::float_) || is(argument, node::string)) {
          literals[p].insert(text(m, argument));
          first_line.emplace(p, line_of(edge.call));
        } else if (is(argument, node::identifier) && edge.in_loop && evaluate(edge.caller, argument, 0).kinds == kPrimitive) {
          literals[p].insert("<loop variable " + text(m, argument) + ">");
          literals[p].insert("<varying>");
          first_line.emplace(p, line_of(edge.call));
        }
      }
    }
    for (const auto& [p, values] : literals) {
      if (values.size() < 2) continue;
      std::string detail = bodies_[b].parameters[p] + ":";
      for (const auto& v : values) {
        if (v != "<varying>") detail += " " + v;
      }
      result.push_back({first_line[p], detail});
    }
    return result;
  }

  std::vector<ModuleStatus> statuses_;
  std::vector<std::size_t> module_status_;  // analysed module → its index in statuses_
  std::vector<std::unique_ptr<Module>> modules_;
  const WalkRecord* known_walk_ = nullptr;  // the walk of the file's previous version (single-module analysis)
  WalkRecord* computed_walk_ = nullptr;     // this walk, for the next version
  std::unordered_map<std::string, std::size_t> module_by_name_;
  std::vector<Body> bodies_;
  std::vector<ClassInfo> classes_;

  std::vector<std::vector<Value>> incoming_;
  std::vector<Value> returns_;
  // What the solve's current round read of incoming_ and returns_ (read_only_unchanged).
  std::vector<std::vector<bool>> incoming_read_;
  std::vector<bool> returns_read_;
  std::vector<bool> reachable_;
  std::vector<Edge> edges_;
  std::unordered_map<NodeKey, Value, NodeKeyHash> value_cache_;
  std::unordered_map<std::string, Value> name_cache_;

  std::vector<bool> global_effect_;
  std::vector<std::set<std::size_t>> parameter_effects_;
  std::vector<std::vector<Evidence>> effects_;
  std::vector<const HybridApi*> hybrid_api_;
  std::vector<const HybridSite*> hybrid_site_;
  std::vector<std::vector<Evidence>> invalid_names_, stale_reads_;
  std::vector<std::vector<Evidence>> eager_only_, numpy_, iteration_, variables_, iterators_, per_call_;
  std::vector<std::vector<Evidence>> run_eagerly_;
  std::vector<bool> computation_, covered_, recursive_;
};

}  // namespace

bool is_test_path(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto file = slash == std::string::npos ? path : path.substr(slash + 1);
  return file.starts_with("test_") || file.ends_with("_test.py") || file == "conftest.py" ||
         path.starts_with("tests/") || path.find("/tests/") != std::string::npos || path.starts_with("test/") ||
         path.find("/test/") != std::string::npos;
}

ProjectAnalysis analyse_project(const std::vector<ModuleSource>& modules, PythonParser& parser) {
  return Analyzer(modules, parser).run();
}

ProjectAnalysis analyse_parsed_module(ParsedModule module, const WalkRecord* known, WalkRecord* computed) {
  return Analyzer(std::move(module), known, computed).run();
}

}  // namespace hm::detectors

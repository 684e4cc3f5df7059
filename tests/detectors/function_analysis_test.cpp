// Per-function facts from small Python programs: tensor and primitive parameters (from call sites, type hints
// and the Keras naming context), Python side effects (direct and through project calls), recursion, and what
// stays undeterminable when nothing calls a function. Aliases, methods and cross-module calls included.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "detectors/function_analysis.hpp"

using hm::detectors::analyse_project;
using hm::detectors::FunctionAnalysis;
using hm::detectors::ModuleSource;
using hm::detectors::ProjectAnalysis;
using hm::detectors::PythonParser;

namespace {

ProjectAnalysis analyse(std::vector<ModuleSource> modules) {
  PythonParser parser;
  return analyse_project(modules, parser);
}

ProjectAnalysis analyse(const std::string& source) { return analyse({ModuleSource{"A.py", source}}); }

const FunctionAnalysis& function(const ProjectAnalysis& project, const std::string& name) {
  for (const auto& f : project.functions) {
    if (f.qualified_name == name) return f;
  }
  FAIL("no function " << name);
  throw std::logic_error("unreachable");
}

using Fact = std::optional<bool>;

}  // namespace

TEST_CASE("tensor parameter from TensorFlow ops at call sites", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "def a(x):\n  return x\n"
      "def b(x):\n  return x\n"
      "def c(x):\n  return x\n"
      "def d(x):\n  return x\n"
      "def e(x):\n  return x\n"
      "a(tf.constant([1.0]))\n"
      "b(tf.random.uniform([2]))\n"
      "c(tf.ones([3]))\n"
      "v = tf.Variable(1.0)\n"
      "d(v)\n"
      "e([1, 2])\n");
  CHECK(function(project, "a").has_tensor_parameter == Fact(true));
  CHECK(function(project, "b").has_tensor_parameter == Fact(true));
  CHECK(function(project, "c").has_tensor_parameter == Fact(true));
  CHECK(function(project, "d").has_tensor_parameter == Fact(true));
  CHECK(function(project, "e").has_tensor_parameter == Fact(false));
}

TEST_CASE("tensor parameter through aliases, returns, datasets and parameters of callers", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tensorflow_alias\n"
      "from tensorflow import constant as make\n"
      "def producer():\n  return tensorflow_alias.zeros([2])\n"
      "def consumer(t):\n  return t\n"
      "def relay(u):\n  return consumer(u)\n"
      "def per_element(x):\n  return x\n"
      "def imported(y):\n  return y\n"
      "relay(producer())\n"
      "dataset = tensorflow_alias.data.Dataset.from_tensor_slices([1, 2]).batch(1)\n"
      "for element in dataset:\n  per_element(element)\n"
      "imported(make(3))\n");
  CHECK(function(project, "consumer").has_tensor_parameter == Fact(true));
  CHECK(function(project, "relay").has_tensor_parameter == Fact(true));
  CHECK(function(project, "per_element").has_tensor_parameter == Fact(true));
  CHECK(function(project, "imported").has_tensor_parameter == Fact(true));
  CHECK(function(project, "producer").has_tensor_parameter == Fact(false));  // no parameters at all
}

TEST_CASE("the solve goes on while a round read a return value or a parameter that the round changed",
          "[function_analysis]") {
  // Each program's first round reads one value it changes, and nothing else that changes: `g(f())` reads f's
  // return before the round works it out (g never reads x), and h's argument is g's parameter, read before the
  // round binds it. A solve that stopped there would leave the tensor out.
  const auto through_return = analyse(
      "import tensorflow as tf\n"
      "def g(x):\n  pass\n"
      "def f():\n  return tf.constant(1.0)\n"
      "g(f())\n");
  CHECK(function(through_return, "g").has_tensor_parameter == Fact(true));
  const auto through_parameter = analyse(
      "import tensorflow as tf\n"
      "def h(y):\n  pass\n"
      "def g(x):\n  h(x)\n"
      "g(tf.constant(1.0))\n");
  CHECK(function(through_parameter, "h").has_tensor_parameter == Fact(true));
}

TEST_CASE("a name that shadows the TensorFlow alias is not TensorFlow", "[function_analysis]") {
  const auto project = analyse(
      "import pandas as tf\n"
      "def f(x):\n  return x\n"
      "f(tf.ones([2]))\n");
  CHECK(function(project, "f").has_tensor_parameter == Fact(false));
}

TEST_CASE("tensor parameter from type hints and the Keras naming context, even when never called",
          "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "def hinted(x: tf.Tensor):\n  return x\n"
      "def in_tuple(t: tuple[tf.Tensor, tf.Tensor]):\n  return t\n"
      "class Net(tf.keras.Model):\n"
      "  def call(self, inputs):\n    return inputs\n"
      "  def train_step(self, data):\n    return data\n"
      "  def helper(self, z):\n    return z\n"
      "class Plain:\n"
      "  def call(self, inputs):\n    return inputs\n");
  CHECK(function(project, "hinted").has_tensor_parameter == Fact(true));
  CHECK(function(project, "in_tuple").has_tensor_parameter == Fact(true));
  CHECK(function(project, "Net.call").has_tensor_parameter == Fact(true));
  CHECK(function(project, "Net.train_step").has_tensor_parameter == Fact(true));
  CHECK(function(project, "Net.helper").has_tensor_parameter == Fact());  // never called: undeterminable
  CHECK(function(project, "Plain.call").has_tensor_parameter == Fact());  // not a Keras model
  // Nothing calls them, so the other facts stay undeterminable too.
  CHECK(function(project, "Net.call").has_primitive_parameter == Fact());
  CHECK(function(project, "Net.call").has_python_side_effects == Fact());
  CHECK(function(project, "Net.call").is_recursive == Fact());
  CHECK_FALSE(function(project, "Net.call").reachable);
}

TEST_CASE("methods are resolved through self, instances, base classes and Keras model calls", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "class Base:\n"
      "  def shared(self, x):\n    return x\n"
      "class Child(Base):\n"
      "  def run(self, x):\n    return self.shared(x)\n"
      "class Net(tf.keras.Model):\n"
      "  def __init__(self):\n    super().__init__()\n    self.dense = tf.keras.layers.Dense(2)\n"
      "  def call(self, x, training=False):\n    return self.dense(x)\n"
      "obj = Child()\n"
      "obj.run(tf.constant(1.0))\n"
      "net = Net()\n"
      "out = net(tf.ones([1, 2]))\n");
  CHECK(function(project, "Base.shared").has_tensor_parameter == Fact(true));
  CHECK(function(project, "Child.run").has_tensor_parameter == Fact(true));
  CHECK(function(project, "Net.call").has_tensor_parameter == Fact(true));
  CHECK(function(project, "Net.call").reachable);
  CHECK(function(project, "Net.__init__").has_tensor_parameter == Fact(false));  // only self
}

TEST_CASE("calls are resolved across modules of the same folder", "[function_analysis]") {
  const auto project = analyse({
      {"A.py", "import tensorflow as tf\nfrom B import g\nimport C\ng(tf.constant(1))\nC.h(2)\n"},
      {"B.py", "def g(x):\n  return x\n"},
      {"C.py", "def h(y):\n  print(y)\n"},
  });
  CHECK(function(project, "g").has_tensor_parameter == Fact(true));
  CHECK(function(project, "h").has_primitive_parameter == Fact(true));
  CHECK(function(project, "h").has_python_side_effects == Fact(true));
}

TEST_CASE("NumPy arrays count as tensors, as in the reference tool", "[function_analysis]") {
  const auto project = analyse("import numpy as np\ndef f(a):\n  return a\nf(np.array([1, 2]))\n");
  CHECK(function(project, "f").has_tensor_parameter == Fact(true));
}

TEST_CASE("primitive parameters: Python scalars but not booleans", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "def ints(a):\n  pass\n"
      "def floats(a):\n  pass\n"
      "def strings(a):\n  pass\n"
      "def bools(a):\n  pass\n"
      "def known(a):\n  pass\n"
      "def tensors(a):\n  pass\n"
      "def mixed(a):\n  pass\n"
      "def with_object(a):\n  pass\n"
      "def keyword(a, b=None):\n  pass\n"
      "ints(5)\n"
      "floats(-2.5)\n"
      "strings('relu')\n"
      "bools(True)\n"
      "n = 7\n"
      "known(n)\n"
      "tensors(tf.constant(5))\n"
      "mixed(tf.constant(5))\nmixed(6)\n"
      "with_object(object())\nwith_object(3)\n"
      "keyword(tf.ones([1]), b=4)\n");
  CHECK(function(project, "ints").has_primitive_parameter == Fact(true));
  CHECK(function(project, "floats").has_primitive_parameter == Fact(true));
  CHECK(function(project, "strings").has_primitive_parameter == Fact(true));
  CHECK(function(project, "bools").has_primitive_parameter == Fact(false));
  CHECK(function(project, "known").has_primitive_parameter == Fact(true));
  CHECK(function(project, "tensors").has_primitive_parameter == Fact(false));
  CHECK(function(project, "mixed").has_primitive_parameter == Fact(true));
  CHECK(function(project, "with_object").has_primitive_parameter == Fact(false));
  CHECK(function(project, "keyword").has_primitive_parameter == Fact(true));
  CHECK(function(project, "keyword").has_tensor_parameter == Fact(true));
}

TEST_CASE("Python side effects: output, logging, files, globals, nonlocals", "[function_analysis]") {
  const auto project = analyse(
      "import logging\n"
      "import tensorflow as tf\n"
      "logger = logging.getLogger(__name__)\n"
      "counter = 0\n"
      "def prints(x):\n  print(x)\n"
      "def tf_prints(x):\n  tf.print(x)\n"
      "def logs(x):\n  logging.info('x')\n"
      "def logs_through_logger(x):\n  logger.warning('x')\n"
      "def writes_file(x):\n  with open('out.txt', 'w') as f:\n    f.write('x')\n"
      "def global_write(x):\n  global counter\n  counter = counter + 1\n"
      "def local_only(x):\n  counter = 5\n  return counter\n"
      "def outer(x):\n  total = 0\n  def inner():\n    nonlocal total\n    total += 1\n  inner()\n  return total\n"
      "for f in (prints, tf_prints):\n  pass\n"
      "prints(1)\ntf_prints(1)\nlogs(1)\nlogs_through_logger(1)\nwrites_file(1)\nglobal_write(1)\nlocal_only(1)\n"
      "outer(1)\n");
  CHECK(function(project, "prints").has_python_side_effects == Fact(true));
  CHECK(function(project, "tf_prints").has_python_side_effects == Fact(false));
  CHECK(function(project, "logs").has_python_side_effects == Fact(true));
  CHECK(function(project, "logs_through_logger").has_python_side_effects == Fact(true));
  CHECK(function(project, "writes_file").has_python_side_effects == Fact(true));
  CHECK(function(project, "global_write").has_python_side_effects == Fact(true));
  CHECK(function(project, "local_only").has_python_side_effects == Fact(false));
  CHECK(function(project, "outer.inner").has_python_side_effects == Fact(true));
}

TEST_CASE("Python side effects: mutation of objects not created in the function", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "outer_list = [10]\n"
      "def appends():\n  outer_list.append(1)\n"
      "def item_write():\n  outer_list[0] = 1\n"
      "def local_list():\n  squares = []\n  for i in range(3):\n    squares.append(i)\n  return squares\n"
      "def mutates_parameter(a_list):\n  a_list[0] = 1\n"
      "def passes_local():\n  mine = [1]\n  mutates_parameter(mine)\n"
      "def passes_global():\n  mutates_parameter(outer_list)\n"
      "def tf_add(x):\n  return tf.add(x, 1)\n"
      "class Counter:\n"
      "  def __init__(self):\n    self.count = 0\n"
      "  def bump(self):\n    self.count += 1\n"
      "def uses_own_counter():\n  c = Counter()\n  c.bump()\n"
      "appends()\nitem_write()\nlocal_list()\npasses_local()\npasses_global()\ntf_add(tf.ones([1]))\n"
      "uses_own_counter()\n");
  CHECK(function(project, "appends").has_python_side_effects == Fact(true));
  CHECK(function(project, "item_write").has_python_side_effects == Fact(true));
  CHECK(function(project, "local_list").has_python_side_effects == Fact(false));
  CHECK(function(project, "mutates_parameter").has_python_side_effects == Fact(true));
  CHECK(function(project, "passes_local").has_python_side_effects == Fact(false));
  CHECK(function(project, "passes_global").has_python_side_effects == Fact(true));
  CHECK(function(project, "tf_add").has_python_side_effects == Fact(false));
  CHECK(function(project, "Counter.__init__").has_python_side_effects == Fact(true));
  CHECK(function(project, "Counter.bump").has_python_side_effects == Fact(true));
  CHECK(function(project, "uses_own_counter").has_python_side_effects == Fact(false));
}

TEST_CASE("side effects propagate through project calls but not through lambdas", "[function_analysis]") {
  const auto project = analyse(
      "my_list = [10]\n"
      "def g():\n  my_list[0] = 1\n"
      "def f():\n  g()\n"
      "def comprehension():\n  return [g() for _ in range(2)]\n"
      "def through_lambda():\n  return list(map(lambda x: g(), range(2)))\n"
      "f()\ncomprehension()\nthrough_lambda()\n");
  CHECK(function(project, "g").has_python_side_effects == Fact(true));
  CHECK(function(project, "f").has_python_side_effects == Fact(true));
  CHECK(function(project, "comprehension").has_python_side_effects == Fact(true));
  CHECK(function(project, "through_lambda").has_python_side_effects == Fact(false));
}

TEST_CASE("recursion, direct and mutual, and its absence", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "def fact(n):\n  return 1 if n <= 1 else n * fact(n - 1)\n"
      "def even(n):\n  return True if n == 0 else odd(n - 1)\n"
      "def odd(n):\n  return False if n == 0 else even(n - 1)\n"
      "def flat(n):\n  return n\n"
      "class Tree:\n"
      "  def depth(self, node):\n    return 1 + self.depth(node)\n"
      "fact(tf.constant(5))\neven(4)\nflat(1)\nTree().depth(None)\n");
  CHECK(function(project, "fact").is_recursive == Fact(true));
  CHECK(function(project, "even").is_recursive == Fact(true));
  CHECK(function(project, "odd").is_recursive == Fact(true));
  CHECK(function(project, "flat").is_recursive == Fact(false));
  CHECK(function(project, "Tree.depth").is_recursive == Fact(true));
}

TEST_CASE("functions passed to TensorFlow are called with tensors", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "strategy = tf.distribute.MirroredStrategy()\n"
      "def replica_fn(x):\n  return x * 2.0\n"
      "def mapper(x):\n  return x + 1\n"
      "def wrapped(x):\n  return x\n"
      "strategy.run(replica_fn, args=(tf.constant(3.0),))\n"
      "ds = tf.data.Dataset.range(3).map(mapper)\n"
      "fast = tf.function(wrapped)\n"
      "fast(tf.ones([2]))\n");
  CHECK(function(project, "replica_fn").has_tensor_parameter == Fact(true));
  CHECK(function(project, "mapper").has_tensor_parameter == Fact(true));
  CHECK(function(project, "wrapped").has_tensor_parameter == Fact(true));
}

TEST_CASE("hybrid functions: decorator forms, API and arguments", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "from tensorflow import function as tfn\n"
      "@tf.function\ndef a(x):\n  return x\n"
      "@tfn(reduce_retracing=True)\ndef b(x):\n  return x\n"
      "def c(x):\n  return x\n");
  CHECK(function(project, "a").is_hybrid);
  CHECK(function(project, "a").api == "tf.function");
  CHECK(function(project, "b").is_hybrid);
  CHECK(function(project, "b").hybridization_args == hm::detectors::Arguments{{"reduce_retracing", "True"}});
  CHECK_FALSE(function(project, "c").is_hybrid);
}

TEST_CASE("body traits: eager-only calls, numpy on parameters, tensor iteration, tensor computation",
          "[function_analysis]") {
  const auto project = analyse(
      "import numpy as np\n"
      "import tensorflow as tf\n"
      "def eager_only(x):\n  return x.numpy()\n"
      "def numpy_param(x):\n  return np.sum(x)\n"
      "def iterates(x):\n  for row in x:\n    pass\n"
      "def computes(x):\n  return tf.reduce_sum(x)\n"
      "def arithmetic(x):\n  return x * 2\n"
      "def nothing(x):\n  return 1\n"
      "def first(xs):\n  return xs[0]\n"
      "t = tf.ones([2])\n"
      "eager_only(t)\nnumpy_param(t)\niterates(t)\ncomputes(t)\narithmetic(t)\nnothing(t)\nfirst([t, t])\n");
  CHECK(function(project, "eager_only").has_eager_only_calls);
  CHECK_FALSE(function(project, "computes").has_eager_only_calls);
  CHECK(function(project, "numpy_param").has_numpy_calls_on_parameters);
  CHECK_FALSE(function(project, "computes").has_numpy_calls_on_parameters);
  CHECK(function(project, "iterates").has_tensor_parameter_iteration);
  CHECK(function(project, "computes").has_tensor_computation == Fact(true));
  CHECK(function(project, "arithmetic").has_tensor_computation == Fact(true));
  CHECK(function(project, "nothing").has_tensor_computation == Fact(false));
  CHECK(function(project, "numpy_param").has_tensor_computation == Fact(false));  // NumPy is not TensorFlow
  CHECK(function(project, "first").has_tensor_parameter == Fact(true));
  CHECK(function(project, "first").has_tensor_computation == Fact(false));  // picks from a Python list
}

TEST_CASE("caller coverage: functions called only from hybrid functions", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "def helper(x):\n  return x * 2\n"
      "def shared(x):\n  return x + 1\n"
      "@tf.function\ndef step(x):\n  return helper(x) + shared(x)\n"
      "step(tf.ones([1]))\nshared(tf.ones([1]))\n");
  CHECK(function(project, "helper").caller_covered);
  CHECK_FALSE(function(project, "shared").caller_covered);
  CHECK_FALSE(function(project, "step").caller_covered);
}

TEST_CASE("pytest test functions are entry points", "[function_analysis]") {
  const auto project = analyse({
      {"model.py", "def scale(x):\n  return x * 2\n"},
      {"test_model.py", "import tensorflow as tf\nfrom model import scale\ndef test_scale():\n  scale(tf.ones([1]))\n"},
  });
  CHECK(function(project, "test_scale").reachable);
  CHECK(function(project, "scale").has_tensor_parameter == Fact(true));
}

TEST_CASE("malformed sources are skipped or partially analysed, never a crash", "[function_analysis]") {
  std::string deep = "x = " + std::string(5000, '(') + "1" + std::string(5000, ')') + "\n";
  std::string long_chain = "y = 1";
  for (int i = 0; i < 20000; ++i) long_chain += " + 1";
  long_chain += "\ndef f(a):\n  return a\nf(y)\n";
  // Deeply nested assignment targets.
  std::string targets = std::string(3000, '(') + "a" + std::string(3000, ')') + " = 1\n" + std::string(3000, '[') + "b" +
                        std::string(3000, ']') + " = [2]\n";
  std::string nested;
  for (int i = 0; i < 300; ++i) nested += std::string(static_cast<std::size_t>(i), ' ') + "def f" + std::to_string(i) + "():\n";
  nested += std::string(300, ' ') + "pass\n";
  const auto project = analyse({
      {"binary.py", std::string("\x7f" "ELF\0\0\0\x01", 8)},
      {"broken.py", "def ok(x):\n  return x\ndef broken(:\n  pass\nok(1)\n"},
      {"legacy.py", "def old(x):\n  print x\nold(1)\n"},
      {"deep.py", deep},
      {"chain.py", long_chain},
      {"nested.py", nested},
      {"targets.py", targets},
  });
  REQUIRE(project.modules.size() == 7);
  CHECK_FALSE(project.modules[0].analysed);
  CHECK(project.modules[0].problem == "binary file, skipped");
  CHECK(project.modules[1].analysed);
  CHECK(project.modules[1].syntax_errors > 0);
  CHECK(function(project, "ok").has_primitive_parameter == Fact(true));
  CHECK(project.modules[2].python2);
  CHECK(project.modules[2].problem == "Python 2 source, partially analysed");
  CHECK(function(project, "f").reachable);
}

TEST_CASE("star imports of TensorFlow make its ops tensors, and keep Python builtins", "[function_analysis]") {
  const auto project = analyse(
      "from tensorflow import *\n"
      "def takes_op(t):\n  return t\n"
      "def takes_count(n):\n  return n\n"
      "def takes_variable(v):\n  return v\n"
      "class Holder:\n"
      "  def keep(self, t):\n    return t\n"
      "takes_op(zeros([4]))\n"
      "takes_count(len([1, 2]))\n"
      "takes_variable(Variable(2.0))\n"
      "Holder().keep(random.normal([3]))\n");
  CHECK(function(project, "takes_op").has_tensor_parameter == Fact(true));
  CHECK(function(project, "takes_variable").has_tensor_parameter == Fact(true));
  CHECK(function(project, "Holder.keep").has_tensor_parameter == Fact(true));
  // len is Python's, not something the star import brought in.
  CHECK(function(project, "takes_count").has_tensor_parameter == Fact(false));
  CHECK(function(project, "takes_count").has_primitive_parameter == Fact(true));
}

TEST_CASE("a star import of a project module resolves to its functions, not to TensorFlow", "[function_analysis]") {
  const auto project = analyse({ModuleSource{"helpers.py", "import tensorflow as tf\ndef make():\n  return tf.ones([2])\n"},
                                ModuleSource{"main.py",
                                             "from helpers import *\n"
                                             "def use(t):\n  return t\n"
                                             "def other(s):\n  return s\n"
                                             "use(make())\n"
                                             "other(unknown_name())\n"}});
  CHECK(function(project, "use").has_tensor_parameter == Fact(true));
  CHECK(function(project, "other").has_tensor_parameter == Fact(false));
}

TEST_CASE("tf.experimental.numpy values are tensors, other experimental APIs are not", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "import tensorflow.experimental.numpy as tnp\n"
      "def scaled(a):\n  return a * 2\n"
      "def aliased(a):\n  return a\n"
      "def options(o):\n  return o\n"
      "scaled(tf.experimental.numpy.arange(6))\n"
      "aliased(tnp.ones([2, 2]))\n"
      "options(tf.experimental.Optional.empty(None))\n");
  CHECK(function(project, "scaled").has_tensor_parameter == Fact(true));
  CHECK(function(project, "aliased").has_tensor_parameter == Fact(true));
  CHECK(function(project, "options").has_tensor_parameter == Fact(false));
}

TEST_CASE("the weight lists of Keras models and layers hold tensors", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "def frozen(w):\n  return w\n"
      "def trained(w):\n  return w\n"
      "def named(n):\n  return n\n"
      "class Probe:\n"
      "  def look(self, w):\n    return w\n"
      "layer = tf.keras.layers.Dense(3)\n"
      "model = tf.keras.Sequential([layer])\n"
      "for w in model.non_trainable_weights:\n  frozen(w)\n"
      "for w in layer.trainable_weights:\n  trained(w)\n"
      "  Probe().look(w)\n"
      "for n in model.name:\n  named(n)\n");
  CHECK(function(project, "frozen").has_tensor_parameter == Fact(true));
  CHECK(function(project, "trained").has_tensor_parameter == Fact(true));
  CHECK(function(project, "Probe.look").has_tensor_parameter == Fact(true));
  CHECK(function(project, "named").has_tensor_parameter == Fact(false));
}

TEST_CASE("the counter of enumerate is an int, the elements keep their kind", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "def log_step(step):\n  return step\n"
      "def train(x, y):\n  return x + y\n"
      "class Runner:\n"
      "  def at(self, i):\n    return i\n"
      "data = tf.data.Dataset.from_tensor_slices(([1.0], [2.0]))\n"
      "for step, (x, y) in enumerate(data, 1):\n"
      "  log_step(step)\n"
      "  train(x, y)\n"
      "  Runner().at(step)\n");
  CHECK(function(project, "log_step").has_tensor_parameter == Fact(false));
  CHECK(function(project, "log_step").has_primitive_parameter == Fact(true));
  CHECK(function(project, "Runner.at").has_tensor_parameter == Fact(false));
  CHECK(function(project, "train").has_tensor_parameter == Fact(true));
}

TEST_CASE("a module-level list filled with append holds what was appended", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "def each_tensor(t):\n  return t\n"
      "def each_name(s):\n  return s\n"
      "def never_filled(e):\n  return e\n"
      "tensors = []\n"
      "names = list()\n"
      "empty = []\n"
      "tensors.append(tf.zeros([1]))\n"
      "tensors.insert(0, tf.ones([1]))\n"
      "names.append('a')\n"
      "for t in tensors:\n  each_tensor(t)\n"
      "for s in names:\n  each_name(s)\n"
      "for e in empty:\n  never_filled(e)\n");
  CHECK(function(project, "each_tensor").has_tensor_parameter == Fact(true));
  CHECK(function(project, "each_name").has_tensor_parameter == Fact(false));
  CHECK(function(project, "each_name").has_primitive_parameter == Fact(true));
  CHECK(function(project, "never_filled").has_tensor_parameter == Fact(false));
}

TEST_CASE("append inside a function does not make a global list local", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "history = [tf.zeros([1])]\n"
      "def record(v):\n  history.append(v)\n"
      "def first(t):\n  return t\n"
      "def read():\n  first(history[0])\n"
      "record(3)\n"
      "read()\n");
  CHECK(function(project, "first").has_tensor_parameter == Fact(true));
  CHECK(function(project, "record").has_python_side_effects == Fact(true));
}

TEST_CASE("name= given a number, a boolean or a dtype is an invalid name argument", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "from tensorflow import float32 as f32\n"
      "def by_dtype(x):\n  return tf.sqrt(x, name=tf.float32)\n"
      "def by_alias(x):\n  return tf.math.sqrt(x, name=f32)\n"
      "def by_number(x):\n  return tf.reduce_sum(x, name=3)\n"
      "def by_flag(x):\n  return tf.abs(x, name=False)\n"
      "def by_string(x):\n  return tf.sqrt(x, name='root')\n"
      "def by_none(x):\n  return tf.sqrt(x, name=None)\n"
      "def by_variable(x, label):\n  return tf.sqrt(x, name=label)\n"
      "def not_tensorflow(x):\n  return dict(name=1)\n"
      "class Block:\n"
      "  def apply(self, x):\n    return tf.square(x, name=tf.int32)\n"
      "t = tf.ones([2])\n"
      "by_dtype(t)\nby_alias(t)\nby_number(t)\nby_flag(t)\nby_string(t)\nby_none(t)\nby_variable(t, 'n')\n"
      "not_tensorflow(t)\nBlock().apply(t)\n");
  CHECK(function(project, "by_dtype").has_invalid_name_arguments);
  CHECK(function(project, "by_alias").has_invalid_name_arguments);
  CHECK(function(project, "by_number").has_invalid_name_arguments);
  CHECK(function(project, "by_flag").has_invalid_name_arguments);
  CHECK(function(project, "Block.apply").has_invalid_name_arguments);
  CHECK(function(project, "by_dtype").invalid_name_arguments.at(0).detail == "name=tf.float32");
  CHECK(function(project, "by_dtype").invalid_name_arguments.at(0).line == 4);
  CHECK_FALSE(function(project, "by_string").has_invalid_name_arguments);
  CHECK_FALSE(function(project, "by_none").has_invalid_name_arguments);
  CHECK_FALSE(function(project, "by_variable").has_invalid_name_arguments);
  CHECK_FALSE(function(project, "not_tensorflow").has_invalid_name_arguments);
}

TEST_CASE("a model's variables read before its first call and given to the optimizer are stale", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "class Net(tf.keras.Model):\n"
      "  def __init__(self):\n    super().__init__()\n    self.dense = tf.keras.layers.Dense(1)\n"
      "  def call(self, x):\n    return self.dense(x)\n"
      "net = Net()\n"
      "opt = tf.keras.optimizers.SGD()\n"
      "def early(x):\n"
      "  weights = net.trainable_variables\n"
      "  with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(net(x))\n"
      "  opt.apply_gradients(zip(tape.gradient(loss, weights), weights))\n"
      "def late(x):\n"
      "  with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(net(x))\n"
      "  weights = net.trainable_variables\n"
      "  opt.apply_gradients(zip(tape.gradient(loss, weights), weights))\n"
      "def unused(x):\n"
      "  weights = net.trainable_weights\n"
      "  return net(x), len(weights)\n"
      "class Trainer:\n"
      "  def __init__(self):\n    self.model = Net()\n"
      "  def step(self, x):\n"
      "    snapshot = self.model.trainable_weights\n"
      "    with tf.GradientTape() as tape:\n      loss = tf.reduce_sum(self.model(x))\n"
      "    return tape.gradient(loss, snapshot)\n"
      "t = tf.ones([1, 2])\n"
      "early(t)\nlate(t)\nunused(t)\nTrainer().step(t)\n");
  CHECK(function(project, "early").has_stale_variable_reads);
  CHECK(function(project, "early").stale_variable_reads.at(0).line == 11);
  CHECK(function(project, "Trainer.step").has_stale_variable_reads);
  CHECK_FALSE(function(project, "late").has_stale_variable_reads);
  CHECK_FALSE(function(project, "unused").has_stale_variable_reads);
}

TEST_CASE("an augmented assignment on a tensor is tensor computation", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "def add_unknown(b):\n  b += leaked\n  return b\n"
      "def add_scalar(t):\n  t -= 1\n  return t\n"
      "def count(n):\n  n += 1\n  return n\n"
      "class Acc:\n"
      "  def grow(self, x):\n    x *= 2.0\n    return x\n"
      "add_unknown(tf.constant(2))\n"
      "add_scalar(tf.ones([2]))\n"
      "count(3)\n"
      "Acc().grow(tf.ones([1]))\n");
  CHECK(function(project, "add_unknown").has_tensor_computation == Fact(true));
  CHECK(function(project, "add_scalar").has_tensor_computation == Fact(true));
  CHECK(function(project, "Acc.grow").has_tensor_computation == Fact(true));
  CHECK(function(project, "count").has_tensor_computation == Fact(false));
}

TEST_CASE("caller coverage: a Keras call reached through the model's __call__ or a library callback is not covered",
          "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "class Net(tf.keras.Model):\n"
      "  def call(self, x):\n    return tf.nn.relu(x)\n"
      "class Plain:\n"
      "  def __call__(self, x):\n    return tf.nn.relu(x)\n"
      "def mapped(x):\n  return x * 2\n"
      "net = Net()\n"
      "plain = Plain()\n"
      "@tf.function\n"
      "def step(x):\n"
      "  tf.data.Dataset.from_tensors(x).map(mapped)\n"
      "  return net(x) + plain(x)\n"
      "step(tf.ones([2]))\n");
  CHECK(function(project, "Net.call").has_tensor_parameter == Fact(true));
  CHECK_FALSE(function(project, "Net.call").caller_covered);
  CHECK_FALSE(function(project, "mapped").caller_covered);
  CHECK(function(project, "Plain.__call__").caller_covered);  // a direct call of a project method
}

TEST_CASE("iterating a tensor parameter through zip, enumerate or reversed is tensor iteration", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "def paired(logits, tags):\n"
      "  total = 0.0\n"
      "  for l, t in zip(logits, tags):\n    total += tf.reduce_sum(l * t)\n"
      "  return total\n"
      "def counted(x):\n"
      "  for i, row in enumerate(x):\n    tf.print(i, row)\n"
      "def ranged(x):\n"
      "  for i in tf.range(3):\n    x = x + 1\n"
      "  return x\n"
      "def lists(xs, n):\n"
      "  for a, b in zip(xs, range(n)):\n    pass\n"
      "  return tf.add(xs[0], 1)\n"
      "class Scorer:\n"
      "  def score(self, x):\n"
      "    return [tf.reduce_sum(r) for r in x] + [v for v in reversed(x)]\n"
      "  def walk(self, x):\n"
      "    for r in reversed(x):\n      tf.print(r)\n"
      "t = tf.ones([2, 2])\n"
      "paired(t, t)\ncounted(t)\nranged(t)\nlists([t, t], 2)\nScorer().score(t)\nScorer().walk(t)\n");
  CHECK(function(project, "paired").has_tensor_parameter_iteration);
  CHECK(function(project, "counted").has_tensor_parameter_iteration);
  CHECK(function(project, "Scorer.walk").has_tensor_parameter_iteration);
  CHECK_FALSE(function(project, "ranged").has_tensor_parameter_iteration);
  CHECK_FALSE(function(project, "lists").has_tensor_parameter_iteration);  // a Python list of tensors
}

TEST_CASE("a Keras Loss subclass's call is reached through the loss object's __call__", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "from tensorflow.keras.losses import Loss\n"
      "class Weighted(tf.keras.losses.Loss):\n"
      "  def call(self, y_true, y_pred):\n    return tf.reduce_mean(y_true - y_pred)\n"
      "class Imported(Loss):\n"
      "  def call(self, y_true, y_pred):\n    return tf.reduce_mean(y_true * y_pred)\n"
      "class NotKeras:\n"
      "  def call(self, y_true, y_pred):\n    return y_true\n"
      "def consume(v):\n  return v\n"
      "y = tf.constant([1.0])\n"
      "consume(Weighted()(y, y))\n"
      "Imported()(y, y)\n"
      "NotKeras()\n");
  CHECK(function(project, "Weighted.call").has_tensor_parameter == Fact(true));
  CHECK(function(project, "Imported.call").has_tensor_parameter == Fact(true));
  CHECK(function(project, "consume").has_tensor_parameter == Fact(true));
  CHECK(function(project, "NotKeras.call").has_tensor_parameter == std::nullopt);  // nothing calls it
}

TEST_CASE("what an f-string's interpolations call and read is seen; other strings hold nothing", "[function_analysis]") {
  const auto project = analyse(
      "import tensorflow as tf\n"
      "scale = 2\n"
      "def helper(v):\n  return v\n"
      "def formatted(x):\n  return F'{helper(x)} x{scale} {x.numpy()}'\n"
      "def raw_formatted(x):\n  return rf\"{x.numpy()}\"\n"
      "def plain(x):\n  return '{helper(x)} x{scale} {x.numpy()}'\n"
      "t = tf.ones([2])\n"
      "formatted(t)\nraw_formatted(t)\nplain(t)\n");
  const auto& formatted = function(project, "formatted");
  CHECK(formatted.has_eager_only_calls);
  REQUIRE(formatted.global_reads.size() == 1);
  CHECK(formatted.global_reads[0].detail == "scale");
  CHECK(function(project, "helper").has_tensor_parameter == Fact(true));  // called only from the f-string
  CHECK(function(project, "raw_formatted").has_eager_only_calls);
  const auto& plain = function(project, "plain");
  CHECK_FALSE(plain.has_eager_only_calls);
  CHECK(plain.global_reads.empty());
}

// Hybridization sites, functions and imports from small Python snippets: every API, alias, form, and the
// negative cases (comments, strings, docstrings, same-named user functions).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "detectors/hybrid_apis.hpp"
#include "detectors/python_facts.hpp"

using hm::detectors::analyse_python;
using hm::detectors::FileFacts;
using hm::detectors::PythonParser;

namespace {

FileFacts facts_of(const std::string& source) {
  PythonParser parser;
  return analyse_python(source, parser);
}

// "api form function [scope] {k=v,...} @line" per site, in source order.
std::vector<std::string> sites(const std::string& source) {
  std::vector<std::string> result;
  for (const auto& site : facts_of(source).sites) {
    std::string args;
    for (const auto& [key, value] : site.arguments) args += (args.empty() ? "" : ",") + key + "=" + value;
    result.push_back(site.api + " " + site.form + " " + site.function + (site.scope.empty() ? "" : " [" + site.scope + "]") +
                     (args.empty() ? "" : " {" + args + "}") + " @" + std::to_string(site.line));
  }
  return result;
}

using Sites = std::vector<std::string>;

}  // namespace

TEST_CASE("tf.function as bare decorator, decorator with arguments and call form", "[python_facts]") {
  CHECK(sites("import tensorflow as tf\n"
              "@tf.function\n"
              "def a(x):\n  return x\n"
              "@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)], jit_compile=True)\n"
              "def b(x):\n  return x\n"
              "def c(x):\n  return x\n"
              "c = tf.function(c, reduce_retracing=True)\n") ==
        Sites{"tf.function decorator a @2",
              "tf.function decorator_call b {input_signature=[tf.TensorSpec([None], tf.float32)],jit_compile=True} @5",
              "tf.function call c {reduce_retracing=True} @10"});
}

TEST_CASE("tf.function through every module path and alias", "[python_facts]") {
  CHECK(sites("import tensorflow as tf2\n@tf2.function\ndef a(): pass\n") == Sites{"tf.function decorator a @2"});
  CHECK(sites("import tensorflow\n@tensorflow.function\ndef a(): pass\n") == Sites{"tf.function decorator a @2"});
  CHECK(sites("from tensorflow import function as tfn\n@tfn\ndef a(): pass\n") == Sites{"tf.function decorator a @2"});
  CHECK(sites("from tensorflow import function\n@function\ndef a(): pass\n") == Sites{"tf.function decorator a @2"});
  CHECK(sites("import tensorflow.compat.v2 as tf\n@tf.function\ndef a(): pass\n") == Sites{"tf.function decorator a @2"});
  CHECK(sites("import tensorflow as tf\n@tf.compat.v1.function\ndef a(): pass\n") == Sites{"tf.function decorator a @2"});
  CHECK(sites("from tensorflow.python.eager import def_function\n@def_function.function\ndef a(): pass\n") ==
        Sites{"tf.function decorator a @2"});
  CHECK(sites("import tensorflow as tf\ntfn = tf.function\n@tfn(autograph=False)\ndef a(): pass\n") ==
        Sites{"tf.function decorator_call a {autograph=False} @3"});
  // No import at all: `tf` is taken as the conventional alias.
  CHECK(sites("@tf.function\ndef a(): pass\n") == Sites{"tf.function decorator a @1"});
}

TEST_CASE("legacy defun", "[python_facts]") {
  CHECK(sites("import tensorflow as tf\n@tf.contrib.eager.defun\ndef a(): pass\n") == Sites{"tf.defun decorator a @2"});
  CHECK(sites("import tensorflow.contrib.eager as tfe\nf = tfe.defun(g)\n") == Sites{"tf.defun call g @2"});
  CHECK(sites("from tensorflow.python.eager import function\n@function.defun\ndef a(): pass\n") ==
        Sites{"tf.defun decorator a @2"});
}

TEST_CASE("methods, nested functions and self call forms are qualified", "[python_facts]") {
  const std::string source =
      "import tensorflow as tf\n"
      "class Trainer(tf.keras.Model):\n"
      "  def __init__(self):\n"
      "    self.train_step = tf.function(self.train_step, jit_compile=True)\n"
      "  def train_step(self, x):\n"
      "    @tf.function\n"
      "    def inner(y):\n"
      "      return y\n"
      "    return inner(x)\n";
  CHECK(sites(source) == Sites{"tf.function call Trainer.train_step [Trainer.__init__] {jit_compile=True} @4",
                               "tf.function decorator Trainer.train_step.inner [Trainer.train_step] @6"});
  const auto facts = facts_of(source);
  REQUIRE(facts.functions.size() == 3);
  CHECK(facts.functions[0].qualified_name == "Trainer.__init__");
  CHECK(facts.functions[1].qualified_name == "Trainer.train_step");
  CHECK(facts.functions[1].class_name == std::optional<std::string>("Trainer"));
  CHECK(facts.functions[1].class_bases == std::vector<std::string>{"tf.keras.Model"});
  CHECK(facts.functions[2].qualified_name == "Trainer.train_step.inner");
  CHECK(facts.functions[2].decorators == std::vector<std::string>{"tf.function"});
  CHECK(facts.sites[0].assigned_to == std::optional<std::string>("self.train_step"));
  CHECK(facts.sites[0].level == "function");
}

TEST_CASE("PyTorch: jit.script, trace, trace_module, script_method, compile, annotations", "[python_facts]") {
  CHECK(sites("import torch\n"
              "@torch.jit.script\n"
              "def f(x):\n  return x\n"
              "traced = torch.jit.trace(model, example)\n"
              "m = torch.jit.trace_module(net, {'forward': x})\n"
              "class M(torch.jit.ScriptModule):\n"
              "  @torch.jit.script_method\n"
              "  def forward(self, x):\n    return x\n"
              "  @torch.jit.ignore\n"
              "  def debug(self):\n    pass\n"
              "model = torch.compile(model, mode=\"max-autotune\", fullgraph=True)\n") ==
        Sites{"torch.jit.script decorator f @2", "torch.jit.trace call model @5", "torch.jit.trace_module call net @6",
              "torch.jit.script_method decorator M.forward [M] @8", "torch.jit.ignore decorator M.debug [M] @11",
              "torch.compile call model {mode=\"max-autotune\",fullgraph=True} @14"});
  CHECK(sites("import torch.jit as jit\n@jit.script\ndef f(x): return x\n") == Sites{"torch.jit.script decorator f @2"});
  CHECK(sites("from torch import jit\n@jit.unused\ndef f(x): return x\n") == Sites{"torch.jit.unused decorator f @2"});
  CHECK(sites("import torch\n@torch.compile(backend='inductor')\ndef f(x): return x\n") ==
        Sites{"torch.compile decorator_call f {backend='inductor'} @2"});
  CHECK(facts_of("import torch\n@torch.jit.export\ndef f(x): return x\n").sites.at(0).role == "annotation");
}

TEST_CASE("JAX: jit, pmap, functools.partial forms", "[python_facts]") {
  CHECK(sites("import jax\n@jax.jit\ndef f(x): return x\n") == Sites{"jax.jit decorator f @2"});
  CHECK(sites("from jax import jit\n@jit\ndef f(x): return x\n") == Sites{"jax.jit decorator f @2"});
  CHECK(sites("import jax\ng = jax.pmap(f, axis_name='i')\n") == Sites{"jax.pmap call f {axis_name='i'} @2"});
  CHECK(sites("import functools, jax\n@functools.partial(jax.jit, static_argnums=(1,))\ndef f(x, n): return x\n") ==
        Sites{"jax.jit partial_decorator f {static_argnums=(1,)} @2"});
  CHECK(sites("from functools import partial\nimport jax\n@partial(jax.jit, static_argnames=['n'])\ndef f(x, n): return x\n") ==
        Sites{"jax.jit partial_decorator f {static_argnames=['n']} @3"});
  CHECK(sites("from functools import partial\nfrom jax import jit\nfast = partial(jit, donate_argnums=0)(step)\n") ==
        Sites{"jax.jit call step {donate_argnums=0} @3"});
}

TEST_CASE("MXNet hybridize calls on blocks", "[python_facts]") {
  CHECK(sites("from mxnet import gluon\nnet = gluon.nn.HybridSequential()\nnet.hybridize(static_alloc=True, static_shape=True)\n") ==
        Sites{"mxnet.hybridize method_call net {static_alloc=True,static_shape=True} @3"});
  CHECK(sites("def build(self):\n  self.net.hybridize()\n") == Sites{"mxnet.hybridize method_call self.net [build] @2"});
}

TEST_CASE("tf.function(f)(args) hybridizes f; Keras' lazy TensorFlow import is TensorFlow", "[python_facts]") {
  CHECK(sites("import tensorflow as tf\ndef test():\n  tf.function(metric.update_state)(y, z)\n  tf.function(run, jit_compile=True)()\n") ==
        Sites{"tf.function call metric.update_state [test] @3", "tf.function call run [test] {jit_compile=True} @4"});
  CHECK(sites("from keras.src.utils.module_utils import tensorflow as tf\n@tf.function\ndef f(): pass\n") ==
        Sites{"tf.function decorator f @2"});
  CHECK(sites("def a():\n  import tensorflow as tf\n  @tf.function\n  def f(): pass\n"
              "def b():\n  from keras.utils import other as tf\n") == Sites{"tf.function decorator a.f [a] @3"});
}

TEST_CASE("a lambda target is named <lambda>", "[python_facts]") {
  CHECK(sites("import tensorflow as tf\ndef build():\n  return tf.function(lambda x: x + 1, jit_compile=True)\n") ==
        Sites{"tf.function call <lambda> [build] {jit_compile=True} @3"});
}

TEST_CASE("tf.function(...)(f) takes the arguments of the inner call", "[python_facts]") {
  CHECK(sites("import tensorflow as tf\nstep = tf.function(input_signature=[spec])(step)\n") ==
        Sites{"tf.function call step {input_signature=[spec]} @2"});
}

TEST_CASE("no site in comments, strings, docstrings or same-named user functions", "[python_facts]") {
  CHECK(sites("import tensorflow as tf\n# @tf.function\ndef f():\n  '''Use @tf.function here.'''\n  s = 'tf.function(f)'\n").empty());
  CHECK(sites("import tensorflow as tf\ndef function(f):\n  return f\n@function\ndef g(): pass\n").empty());
  CHECK(sites("from mylib import jit\n@jit\ndef f(x): return x\n").empty());
  CHECK(sites("import numba\n@numba.jit\ndef f(x): return x\n").empty());
  CHECK(sites("import re\np = re.compile('x')\n").empty());
  // A local binding of `tf` that is not TensorFlow.
  CHECK(sites("tf = load_module()\n@tf.function\ndef f(): pass\n").empty());
}

TEST_CASE("imports are recorded with what they bind", "[python_facts]") {
  const auto facts = facts_of("import tensorflow as tf\nimport torch.nn\nfrom jax import numpy as jnp, jit\nfrom . import local\n");
  std::vector<std::string> imports;
  for (const auto& i : facts.imports) imports.push_back(i.alias + "=" + i.target + "@" + std::to_string(i.line));
  CHECK(imports == std::vector<std::string>{"tf=tensorflow@1", "torch=torch@2", "jnp=jax.numpy@3", "jit=jax.jit@3",
                                            "local=.local@4"});
}

TEST_CASE("parameters with annotations, defaults and splats", "[python_facts]") {
  const auto facts = facts_of("import tensorflow as tf\n@tf.function\ndef f(a, b: tf.Tensor, c=1, d: int = 2, *args, e, **kw):\n  pass\n");
  REQUIRE(facts.functions.size() == 1);
  std::vector<std::string> params;
  for (const auto& p : facts.functions[0].parameters) {
    params.push_back(p.name + ":" + p.kind + ":" + p.annotation.value_or("-") + ":" + p.default_value.value_or("-"));
  }
  CHECK(params == std::vector<std::string>{"a:positional:-:-", "b:positional:tf.Tensor:-", "c:positional:-:1",
                                           "d:positional:int:2", "args:var_positional:-:-", "e:positional:-:-",
                                           "kw:var_keyword:-:-"});
  CHECK(facts.functions[0].start_line == 3);
  CHECK(facts.functions[0].end_line == 4);
}

TEST_CASE("prefilter: files that cannot reach an API are not parsed; the body hash tracks edits", "[python_facts]") {
  CHECK_FALSE(facts_of("import numpy as np\ndef f(x):\n  return np.sum(x)\n").parsed);
  CHECK(facts_of("import torch\ndef f(x):\n  return x\n").parsed == false);  // no API name at all
  CHECK(facts_of("import tensorflow as tf\ndef f(x):\n  return x\n").parsed == false);
  CHECK(facts_of("import tensorflow as tf\n@tf.function\ndef f(x):\n  return x\n").parsed);
  const auto a = facts_of("import tensorflow as tf\n@tf.function\ndef f(x):\n  return x\n");
  const auto b = facts_of("import tensorflow as tf\n@tf.function(jit_compile=True)\ndef f(x):\n  return x\n");
  const auto c = facts_of("import tensorflow as tf\n@tf.function\ndef f(x):\n  return x + 1\n");
  CHECK(a.functions.at(0).body_hash == b.functions.at(0).body_hash);
  CHECK(a.functions.at(0).body_hash != c.functions.at(0).body_hash);
}

TEST_CASE("broken and Python 2 files yield partial facts without throwing", "[python_facts]") {
  const auto facts = facts_of("import tensorflow as tf\nprint 'hello'\n@tf.function\ndef f(x):\n  return x +\n\n@tf.function\ndef g(y):\n  return y\n");
  CHECK(facts.syntax_errors > 0);
  CHECK(facts.python2);
  CHECK_FALSE(facts_of("import tensorflow as tf\nprint('hello')\n@tf.function\ndef f(): pass\n").python2);
  bool found_g = false;
  for (const auto& site : facts.sites) found_g |= site.function == "g";
  CHECK(found_g);
  CHECK_NOTHROW(facts_of(std::string("import tensorflow as tf\n@tf.function\ndef f(\xff\xfe):\n  pass\n")));
  std::string deep = "import tensorflow as tf\nx = tf.function(" + std::string(5000, '(') + "1" + std::string(5000, ')') + ")\n";
  CHECK(facts_of(deep).sites.size() == 1);
}

TEST_CASE("prefilter: every way of reaching an API passes it", "[python_facts][prefilter]") {
  using hm::detectors::may_contain_sites;
  for (const char* source : {
           "import tensorflow as tf\n@tf.function\ndef f(): pass\n",
           "import tensorflow as tf\n@tf .  function\ndef f(): pass\n",
           "from tensorflow import function as tfn\n@tfn\ndef f(): pass\n",
           "from tensorflow import (\n    constant,\n    function,\n)\n@function\ndef f(): pass\n",
           "from tensorflow \\\n  import function\n@function\ndef f(): pass\n",
           "from tensorflow.python.eager import def_function\n@def_function.function\ndef f(): pass\n",
           "import torch.jit as J\n@J.script\ndef f(x): return x\n",
           "from jax import jit\n@jit\ndef f(x): return x\n",
           "from functools import partial\nfrom jax import jit\n@partial(jit, static_argnums=0)\ndef f(x): return x\n",
           "import tensorflow.contrib.eager as tfe\nf = tfe.defun(g)\n",
           "net.hybridize()\n",
           "@tf.function\ndef f(): pass\n",
           "import tensorflow.compat.v2 as tf2\n@tf2.function\ndef f(): pass\n",
           "from tensorflow import compat as C\n@C.v2.function\ndef f(): pass\n",
           "from tensorflow import compat as tf\n@tf.v2.function\ndef f(): pass\n",
           "import tensorflow\n@tensorflow.function\ndef f(): pass\n",
           "from torch import jit as J\n@J.script\ndef f(x): return x\n",
           "import torch\nm = torch.compile(\n    model)\n",
           "import tensorflow as tf\nf = (tf\n     .function(g))\n",
           "import torch\nf = torch.jit.script(g)\nmodel.compile()\n",
       }) {
    INFO(source);
    CHECK(may_contain_sites(source));
    CHECK_FALSE(facts_of(source).sites.empty());
  }
  for (const char* source : {
           "import tensorflow as tf\n# a loss function\nmodel.compile(loss='mse')\n",
           "import numpy as np\nfrom numba import jit\n@jit\ndef f(x): return x\n",
           "import re\np = re.compile('x')\n",
           // the attribute ends a chain that cannot reach the API
           "import torch\nmodel.compile(optimizer='adam')\n",
           "import tensorflow as tf\nfrom keras import backend as K\nf = K.function([x], [y])\n",
           "import tensorflow as tf\nf = tf.keras.backend.function([x], [y])\n",
           "import jax\nfrom mylib import tracer\ntracer.jit(f)\n",
           "import tensorflow as tf\nget_module().function(f)\n",
       }) {
    INFO(source);
    CHECK_FALSE(may_contain_sites(source));
  }
}

TEST_CASE("prefilter: an attribute's name is read whole, wherever it stands after its dot", "[python_facts][prefilter]") {
  using hm::detectors::may_contain_sites;
  // A line continuation between the dot and the name, and the name as the source's last bytes.
  CHECK(may_contain_sites("import tensorflow as tf\nf = tf.\\\n    function(g)\n"));
  CHECK_FALSE(facts_of("import tensorflow as tf\nf = tf.\\\n    function(g)\n").sites.empty());
  CHECK(may_contain_sites("import tensorflow as tf\nf = tf.function"));
  CHECK(may_contain_sites("import torch\nm = torch.  compile(model)\n"));
  // A name that begins with an API's name, or is longer than any, is another name.
  CHECK_FALSE(may_contain_sites("import tensorflow as tf\nf = tf.functional(g)\n"));
  CHECK_FALSE(may_contain_sites("import tensorflow as tf\nf = tf.function_with_a_name_longer_than_any_api(g)\n"));
  CHECK_FALSE(may_contain_sites("import tensorflow as tf\nf = tf.function_"));
  // Dots followed by no name (floats, an ellipsis) do not end the scan.
  CHECK(may_contain_sites("import tensorflow as tf\nx = 1. + 2.\ny = ...\nf = tf.function(g)\n"));
}

// Soundness over a real tree: HM_PREFILTER_CORPUS=/path/to/python/files build/tests/unit_tests "[.soundness]"
TEST_CASE("prefilter soundness over a corpus of real files", "[.soundness]") {
  const char* root = std::getenv("HM_PREFILTER_CORPUS");
  REQUIRE(root != nullptr);
  PythonParser parser;
  std::size_t files = 0, filtered = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".py") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string source((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++files;
    if (hm::detectors::may_contain_sites(source)) continue;
    ++filtered;
    INFO(entry.path().string());
    CHECK(hm::detectors::analyse_python_unfiltered(source, parser).sites.empty());
  }
  WARN(files << " files, " << filtered << " ruled out by the prefilter");
}

TEST_CASE("sites deep inside expressions, through aliases, and imports in nested statements are found",
          "[python_facts]") {
  // The extractor skips expressions that spell no API name nor API alias, and never enters expressions looking
  // for imports: each site and import here sits where only an unpruned walk, or a correct pruning, finds it.
  CHECK(sites("import tensorflow as tf\n"
              "try:\n"
              "  if True:\n"
              "    with ctx():\n"
              "      from jax import jit as J\n"
              "except ImportError:\n"
              "  pass\n"
              "tfn = tf.function\n"
              "def f(x): return x\n"
              "class C:\n"
              "  g = staticmethod(tfn(f))\n"
              "  def m(self, h=lambda y: [J(f) for _ in (1,)]):\n"
              "    return {'k': (1 + g(tfn(f, jit_compile=True)))}\n") ==
        Sites{"tf.function call f [C] @11", "jax.jit call f [C.m] @12",
              "tf.function call f [C.m] {jit_compile=True} @13"});
  const auto facts = facts_of("import torch\ndef outer():\n  import tensorflow as tf2\n  while x:\n"
                              "    y = [tf2.function(z) for z in zs]\n");
  REQUIRE(facts.imports.size() == 2);
  CHECK(facts.imports[1].alias == "tf2");
  REQUIRE(facts.sites.size() == 1);
  CHECK(facts.sites[0].api == "tf.function");
}

TEST_CASE("definitions nested in compound statements are found; simple statements are entered only for sites",
          "[python_facts]") {
  // The walk for definitions does not enter simple statements (returns, asserts, raises, expression statements)
  // unless they spell a site word; the import walk enters only expression statements (for assignments).
  const auto facts = facts_of("import tensorflow as tf\n"
                              "def outer(x):\n"
                              "  assert x, 'no x'\n"
                              "  if x:\n"
                              "    for i in range(2):\n"
                              "      def inner(y):\n"
                              "        return y\n"
                              "  else:\n"
                              "    try:\n"
                              "      wrap = tf.function\n"
                              "    finally:\n"
                              "      class Local:\n"
                              "        def step(self):\n"
                              "          raise ValueError(wrap(inner))\n"
                              "  return wrap(outer)\n");
  std::vector<std::string> names;
  for (const auto& f : facts.functions) names.push_back(f.qualified_name);
  CHECK(names == std::vector<std::string>{"outer", "outer.inner", "outer.Local.step"});
  REQUIRE(facts.sites.size() == 2);  // both through the alias assigned inside a try block
  CHECK(facts.sites[0].function == "outer.inner");
  CHECK(facts.sites[0].scope == "outer.Local.step");
  CHECK(facts.sites[1].function == "outer");
  CHECK(facts.sites[1].scope == "outer");
  CHECK(facts_of("import tensorflow as tf\ndef f():\n  if True:\n    print 'legacy'\ng = tf.function(f)\n").python2);
}

TEST_CASE("the alias pass finds aliases of aliases and rebindings of tf wherever they are", "[python_facts]") {
  // The pass over assignments enters only statements that spell a site word or assign tf, torch or jax: `b = a`
  // spells neither until `a` is known as an alias, so the pass runs again with `a` among its words.
  CHECK(sites("import tensorflow as tf\n"
              "def setup():\n"
              "  if True:\n"
              "    a = tf.function\n"
              "class C:\n"
              "  def m(self):\n"
              "    b = a\n"
              "    c = b\n"
              "@c\ndef f(): pass\n") == Sites{"tf.function decorator f @9"});
  // In source order, as before: an alias used before the assignment that makes it one is not an alias yet.
  CHECK(sites("import tensorflow as tf\n"
              "def early():\n"
              "  b = a\n"
              "a = tf.function\n"
              "@b\ndef f(): pass\n").empty());
  // `tf` rebound deep in a function (plainly, annotated, across a line continuation, after a form feed) is no
  // longer TensorFlow.
  for (const char* rebinding : {"tf = load()", "tf: object = load()", "tf \\\n      = load()", "tf\f= load()"}) {
    CHECK(sites(std::string("def helper():\n  for _ in range(1):\n    with ctx():\n      ") + rebinding +
                "\n@tf.function\ndef f(): pass\n").empty());
  }
  // A comparison is no rebinding.
  CHECK(sites("def helper():\n  if tf == None:\n    return\n@tf.function\ndef f(): pass\n") ==
        Sites{"tf.function decorator f @4"});
}

TEST_CASE("an alias is found however its statement ends, and in a tree with syntax errors", "[python_facts]") {
  // The alias pass looks where a site word ends a statement: before a comment, `;`, CRLF, a form feed or a line
  // continuation too. With syntax errors it looks at every mention (an assignment can end before its statement).
  for (const char* assignment : {"x = tf.function  # why\n", "x = tf.function; y = 1\n", "x = tf.function\r\n",
                                 "x = tf.function\f\n", "x = tf.function \\\n\n", "x = tf.function $$$\n"}) {
    CAPTURE(assignment);
    const auto found = sites(std::string("import tensorflow as tf\n") + assignment + "@x\ndef f(): pass\n");
    REQUIRE(found.size() == 1);
    CHECK(found[0].starts_with("tf.function decorator f"));
  }
  // Mentions that end no statement are not aliases.
  CHECK(sites("import tensorflow as tf\nx = tf.function(g)\ny = tf.function.__doc__\n@x\ndef f(): pass\n@y\ndef h(): pass\n") ==
        Sites{"tf.function call g @2"});
}

TEST_CASE("a long chain of aliases is followed to its end", "[python_facts]") {
  // Each link spells a word only once the link before it is known; after two pruned rounds the alias pass enters
  // every statement once, so a generated chain costs three passes, not one per link.
  std::string source = "import tensorflow as tf\nclass Aliases:\n  def bind(self):\n    a0 = tf.function\n";
  for (int i = 1; i <= 40; ++i) source += "    a" + std::to_string(i) + " = a" + std::to_string(i - 1) + "\n";
  source += "@a40\ndef f(): pass\n";
  CHECK(sites(source) == Sites{"tf.function decorator f @45"});
}

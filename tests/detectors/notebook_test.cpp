#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "detectors/notebook.hpp"
#include "detectors/python_parser.hpp"
#include "util/error.hpp"

using hm::detectors::extract_notebook_code;
using hm::detectors::NotebookSource;

namespace {

// An nbformat 4 notebook around the given cells (JSON objects as text).
std::string notebook(const std::vector<std::string>& cells) {
  std::string text = R"j({"cells": [)j";
  for (std::size_t i = 0; i < cells.size(); ++i) text += (i == 0 ? "" : ",") + cells[i];
  return text + R"j(], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})j";
}

std::string code_cell(const std::string& source_json) {
  return R"j({"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": )j" + source_json +
         "}";
}

std::string markdown_cell(const std::string& source_json) {
  return R"j({"cell_type": "markdown", "metadata": {}, "source": )j" + source_json + "}";
}

using Origins = std::vector<std::pair<std::uint32_t, std::uint32_t>>;  // (cell, line) per line of code

Origins origins(const NotebookSource& source) {
  Origins result;
  for (const auto& line : source.lines) result.emplace_back(line.cell, line.line);
  return result;
}

std::uint32_t syntax_errors(const std::string& code) {
  hm::detectors::PythonParser parser;
  return hm::detectors::count_syntax_errors(*parser.parse(code));
}

// The message of the hm::Error that extracting `text` throws; other exceptions fail the test.
std::string error_of(const std::string& text) {
  try {
    extract_notebook_code(text);
  } catch (const hm::Error& error) {
    return error.what();
  }
  return "no exception";
}

}  // namespace

TEST_CASE("notebook: a source may be one string or an array of strings", "[notebook]") {
  const auto as_string = extract_notebook_code(notebook({code_cell(R"j("import torch\nx = torch.ones(3)")j")}));
  const auto as_array = extract_notebook_code(notebook({code_cell(R"j(["import torch\n", "x = torch.ones(3)"])j")}));
  CHECK(as_string.code == "import torch\nx = torch.ones(3)\n");
  CHECK(as_array.code == as_string.code);
  CHECK(origins(as_array) == Origins{{0, 1}, {0, 2}});
  CHECK(as_array.code_cells == 1);
  // Array items are concatenated, not lines: an item without "\n" continues the same line.
  const auto split = extract_notebook_code(notebook({code_cell(R"j(["x = tor", "ch.ones(3)\n", "y = 1\n"])j")}));
  CHECK(split.code == "x = torch.ones(3)\ny = 1\n");
  CHECK(origins(split) == Origins{{0, 1}, {0, 2}});
}

TEST_CASE("notebook: lines map to cells counted among all cells; markdown adds no lines", "[notebook]") {
  const auto source = extract_notebook_code(notebook({
      markdown_cell(R"j(["# Title\n", "Some text"])j"),
      code_cell(R"j(["import tensorflow as tf\n", "import numpy as np"])j"),
      markdown_cell(R"j("## Model")j"),
      R"j({"cell_type": "raw", "metadata": {}, "source": "raw text not python"})j",
      code_cell(R"j(["@tf.function\n", "def step(x):\n", "    return x + 1\n"])j"),
      code_cell(R"j("step(np.zeros(2))")j"),
  }));
  CHECK(source.code ==
        "import tensorflow as tf\nimport numpy as np\n"
        "@tf.function\ndef step(x):\n    return x + 1\n"
        "step(np.zeros(2))\n");
  CHECK(origins(source) == Origins{{1, 1}, {1, 2}, {4, 1}, {4, 2}, {4, 3}, {5, 1}});
  CHECK(source.code_cells == 3);
  CHECK(syntax_errors(source.code) == 0);
}

TEST_CASE("notebook: cells never merge lines; CRLF, CR and trailing newlines", "[notebook]") {
  const auto source = extract_notebook_code(notebook({
      code_cell(R"j("a = 1\r\nb = 2\r\n")j"),  // CRLF and a final line ending: two lines, not three
      code_cell(R"j("c = 3\rd = 4")j"),        // lone CR ends a line too
      code_cell(R"j("e = 5\n\n")j"),           // a blank last line is kept
      code_cell(R"j("f = 6")j"),
  }));
  CHECK(source.code == "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n\nf = 6\n");
  CHECK(origins(source) == Origins{{0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 1}, {2, 2}, {3, 1}});
}

TEST_CASE("notebook: empty cells count as code cells but add no lines", "[notebook]") {
  const auto source =
      extract_notebook_code(notebook({code_cell(R"j("")j"), code_cell("[]"), code_cell(R"j(["x = 1"])j")}));
  CHECK(source.code == "x = 1\n");
  CHECK(origins(source) == Origins{{2, 1}});
  CHECK(source.code_cells == 3);
}

TEST_CASE("notebook: magics, shell escapes and help are blanked with lines aligned", "[notebook]") {
  const auto source = extract_notebook_code(notebook({code_cell(R"j([
      "%matplotlib inline\n",
      "!pip install torch==2.1\n",
      "import torch\n",
      "torch.nn.Linear?\n",
      "?torch.compile\n",
      "files = !ls *.pt\n",
      "t = %timeit -o torch.ones(3)\n",
      "%%time\n",
      "if 'google.colab' in str(get_ipython()):\n",
      "    !pip install jax\n",
      "x = 1  # why?\n",
      "y = x != 2\n",
      "s = ('%d items'\n",
      "     % 3)\n",
      "doc = \"\"\"\n",
      "%not a magic inside a string\n",
      "\"\"\""])j")}));
  CHECK(source.code ==
        "\n\nimport torch\n\n\n\n\n\n"
        "if 'google.colab' in str(get_ipython()):\n    pass\n"
        "x = 1  # why?\ny = x != 2\ns = ('%d items'\n     % 3)\n"
        "doc = \"\"\"\n%not a magic inside a string\n\"\"\"\n");
  REQUIRE(source.lines.size() == 17);
  for (std::uint32_t i = 0; i < 17; ++i) CHECK(source.lines[i].line == i + 1);
  CHECK(syntax_errors(source.code) == 0);
}

TEST_CASE("notebook: a shell escape continued with backslashes is blanked to its end", "[notebook]") {
  const auto source = extract_notebook_code(notebook({code_cell(R"j([
      "if install:\n",
      "    !pip install -q \\\n",
      "        \"torch>=2.1\" {extra} \\\n",
      "        git+https://example.org/x.git\n",
      "import torch"])j")}));
  CHECK(source.code == "if install:\n    pass\n\n\nimport torch\n");
  CHECK(source.lines.size() == 5);
  CHECK(syntax_errors(source.code) == 0);
}

TEST_CASE("notebook: line magics written without % (automagic) are blanked", "[notebook]") {
  const auto source = extract_notebook_code(notebook({code_cell(R"j([
      "cd pyfiles/lib/\n",
      "cd ..\n",
      "ls -la ./data\n",
      "pip install torch\n",
      "matplotlib inline\n",
      "load_ext autoreload\n",
      "autoreload 2\n",
      "run train.py --epochs 3\n",
      "run = exp.submit(config)\n",
      "cd = np.zeros(3)\n",
      "elapsed = time - start\n",
      "time - start\n",
      "env if env else None\n",
      "ls"])j")}));
  CHECK(source.code ==
        "\n\n\n\n\n\n\n\n"
        "run = exp.submit(config)\ncd = np.zeros(3)\nelapsed = time - start\ntime - start\nenv if env else None\nls\n");
  CHECK(syntax_errors(source.code) == 0);
}

TEST_CASE("notebook: a non-Python cell magic blanks its whole cell", "[notebook]") {
  const auto source = extract_notebook_code(notebook({
      code_cell(R"j(["%%bash\n", "for f in *.py; do\n", "  python $f\n", "done"])j"),
      code_cell(R"j(["\n", "%%writefile train.py\n", "import torch"])j"),
      code_cell(R"j(["%%html\n", "<b>if (x) {</b>"])j"),
      code_cell(R"j("import jax")j"),
  }));
  CHECK(source.code == "\n\n\n\n\n\n\n\n\nimport jax\n");
  CHECK(origins(source) == Origins{{0, 1}, {0, 2}, {0, 3}, {0, 4}, {1, 1}, {1, 2}, {1, 3}, {2, 1}, {2, 2}, {3, 1}});
  CHECK(source.code_cells == 4);
}

TEST_CASE("notebook: %%time and other Python-body cell magics keep their body", "[notebook]") {
  const auto source = extract_notebook_code(notebook({
      code_cell(R"j(["%%time\n", "model.fit(x)\n", "%ls\n", "y = 2"])j"),
      code_cell(R"j(["%%timeit -n 10\n", "f(x)"])j"),
      code_cell(R"j(["%%capture out --no-stderr\n", "import torch"])j"),
  }));
  CHECK(source.code == "\nmodel.fit(x)\n\ny = 2\n\nf(x)\n\nimport torch\n");
  CHECK(origins(source) == Origins{{0, 1}, {0, 2}, {0, 3}, {0, 4}, {1, 1}, {1, 2}, {2, 1}, {2, 2}});
}

TEST_CASE("notebook: a cell left open cannot swallow the cells after it", "[notebook]") {
  const auto source = extract_notebook_code(notebook({
      code_cell(R"j(["x = '''never closed\n", "import torch"])j"),
      code_cell(R"j("y = foo(1,")j"),
      code_cell(R"j("z = 1 + \\")j"),
      code_cell(R"j("import jax")j"),
  }));
  CHECK(source.code == "\n\n\n\nimport jax\n");
  CHECK(origins(source) == Origins{{0, 1}, {0, 2}, {1, 1}, {2, 1}, {3, 1}});
  CHECK(syntax_errors(source.code) == 0);
}

TEST_CASE("notebook: nbformat 3 keeps cells in worksheets and code in input", "[notebook]") {
  const auto source = extract_notebook_code(R"j({
    "metadata": {"name": "", "signature": "sha256:0"},
    "nbformat": 3, "nbformat_minor": 0,
    "worksheets": [
      {"cells": [
        {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Title"]},
        {"cell_type": "code", "collapsed": false, "input": ["import theano\n", "%pylab inline"],
         "language": "python", "metadata": {}, "outputs": [{"output_type": "stream", "text": ["hi"]}]}
      ], "metadata": {}},
      {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "text"},
        {"cell_type": "code", "input": "x = 1", "language": "python", "metadata": {}, "outputs": []}
      ], "metadata": {}}
    ]})j");
  CHECK(source.code == "import theano\n\nx = 1\n");
  CHECK(origins(source) == Origins{{1, 1}, {1, 2}, {3, 1}});
  CHECK(source.code_cells == 2);
  CHECK(source.language.empty());
}

TEST_CASE("notebook: the kernel language is reported", "[notebook]") {
  const auto python = extract_notebook_code(
      R"j({"cells": [], "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
          "name": "python3"}, "language_info": {"name": "python", "version": "3.10.12"}}, "nbformat": 4})j");
  CHECK(python.language == "python");
  const auto r =
      extract_notebook_code(R"j({"cells": [], "metadata": {"language_info": {"name": "R"}}, "nbformat": 4})j");
  CHECK(r.language == "R");
}

TEST_CASE("notebook: empty notebooks", "[notebook]") {
  const auto empty = extract_notebook_code(notebook({}));
  CHECK(empty.code.empty());
  CHECK(empty.lines.empty());
  CHECK(empty.code_cells == 0);
  // A notebook object without cells is valid and empty.
  const auto no_cells = extract_notebook_code(R"j({"metadata": {}, "nbformat": 4, "nbformat_minor": 2})j");
  CHECK(no_cells.code.empty());
  CHECK(no_cells.code_cells == 0);
  CHECK(extract_notebook_code(R"j({"cells": []})j").code_cells == 0);
}

TEST_CASE("notebook: outputs are not read, however large", "[notebook]") {
  const std::string image(4 << 20, 'A');  // 4 MiB of base64-like text
  const auto source = extract_notebook_code(notebook({
      R"j({"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [{"data": {"image/png": ")j" + image +
          R"j(", "text/plain": ["<Figure>"]}, "metadata": {}, "output_type": "display_data"}],
          "source": ["plt.plot(x)"]})j",
  }));
  CHECK(source.code == "plt.plot(x)\n");
  CHECK(source.code_cells == 1);
}

TEST_CASE("notebook: text that is not JSON throws hm::Error", "[notebook]") {
  using Catch::Matchers::Contains;
  using Catch::Matchers::StartsWith;
  CHECK_THAT(error_of(""), StartsWith("invalid notebook: not JSON"));
  CHECK_THAT(error_of(R"j({"cells": [)j"), StartsWith("invalid notebook: not JSON"));
  CHECK_THAT(error_of("{\"cells\": []} trailing"), StartsWith("invalid notebook: not JSON"));
  CHECK_THAT(error_of("<html>404</html>"), Catch::Matchers::StartsWith("invalid notebook: not JSON"));
  // Invalid UTF-8 (Latin-1 é) inside a string: a clear one-line message without the raw bytes.
  std::string latin1 = notebook({code_cell("\"s = 'caf\xE9'\"")});
  try {
    extract_notebook_code(latin1);
    FAIL("no exception");
  } catch (const hm::Error& error) {
    const std::string message = error.what();
    CHECK_THAT(message, StartsWith("invalid notebook: not JSON: parse error at line 1"));
    CHECK_THAT(message, Contains("UTF-8"));
    for (const char c : message) CHECK((c >= 0x20 && c < 0x7f));
  }
  // Invalid UTF-8 inside an output is rejected too: the whole text must be JSON.
  CHECK_THAT(error_of(notebook({"{\"cell_type\": \"code\", \"outputs\": [\"\xFF\xFE\"], \"source\": \"\"}"})),
             Catch::Matchers::StartsWith("invalid notebook: not JSON"));
}

TEST_CASE("notebook: JSON that is not a notebook throws hm::Error", "[notebook]") {
  using Catch::Matchers::Equals;
  CHECK_THAT(error_of("[1,2]"), Equals("invalid notebook: the document is an array, not a notebook object"));
  CHECK_THAT(error_of("42"), Equals("invalid notebook: the document is a number, not a notebook object"));
  CHECK_THAT(error_of(R"j({"a": 1})j"),
             Equals("invalid notebook: the document has none of the keys cells, worksheets and nbformat"));
  CHECK_THAT(error_of("{}"),
             Equals("invalid notebook: the document has none of the keys cells, worksheets and nbformat"));
  CHECK_THAT(error_of(R"j({"cells": {}})j"), Equals("invalid notebook: cells is an object, not an array"));
  CHECK_THAT(error_of(R"j({"cells": [{"cell_type": "markdown", "source": ""}, 3]})j"),
             Equals("invalid notebook: cell 1 is a number, not an object"));
  CHECK_THAT(error_of(R"j({"cells": [{"cell_type": "code", "source": null}]})j"),
             Equals("invalid notebook: cell 0 source is null, not a string or an array of strings"));
  CHECK_THAT(error_of(R"j({"cells": [{"cell_type": "code", "source": ["a", 1]}]})j"),
             Equals("invalid notebook: cell 0 source holds a number, not only strings"));
  CHECK_THAT(error_of(R"j({"nbformat": "4"})j"), Equals("invalid notebook: nbformat is a string, not a number"));
}

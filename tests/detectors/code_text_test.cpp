// The prefilter's view of a source: comments and non-format string contents blanked, offsets unchanged; anything
// the lexer cannot follow as Python's tokenizer does gives nullopt (the prefilter then reads the raw bytes).
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

#include "detectors/code_text.hpp"
#include "detectors/hybrid_apis.hpp"
#include "detectors/python_facts.hpp"
#include "detectors/python_parser.hpp"

using hm::detectors::code_text;
using hm::detectors::may_contain_sites;

namespace {

std::string blanked(const std::string& source) {
  const auto text = code_text(source);
  REQUIRE(text);
  REQUIRE(text->size() == source.size());
  return *text;
}

}  // namespace

TEST_CASE("code_text blanks comments and string contents, keeping quotes, line breaks and offsets", "[code_text]") {
  CHECK(blanked("x = 1  # tf.function\ny = 2\n") == "x = 1" + std::string(15, ' ') + "\ny = 2\n");
  CHECK(blanked("s = 'tf.function'\n") == "s = '           '\n");
  CHECK(blanked("s = \"a\\\"b\" + c\n") == "s = \"    \" + c\n");
  CHECK(blanked("def f():\n    \"\"\"Doc.\n\n    tf.function\n    \"\"\"\n") ==
        "def f():\n    \"\"\"    \n\n               \n    \"\"\"\n");
  CHECK(blanked("b = rb'\\'' + B\"x\"\n") == "b = rb'  ' + B\" \"\n");
  CHECK(blanked("t = '''it's''' + \"\"\n") == "t = '''    ''' + \"\"\n");
  CHECK(blanked("s = 'a\\\nb'\n") == "s = '  \n '\n");  // a line continued inside a string
  CHECK(blanked("s = 'a\\\r\nb'\r\n") == "s = '  \r\n '\r\n");
  CHECK(blanked("x = '#' + y  # 'quoted'\n") == "x = ' ' + y            \n");
}

TEST_CASE("code_text keeps format strings whole and follows their fields", "[code_text]") {
  const std::string f = "s = f'{tf.function(g)}'\n";
  CHECK(blanked(f) == f);
  const std::string nested = "s = f\"{d['k']} {x:#x} {y:>{w}} {{literal}} {f'{z}'}\" + 'gone'\n";
  // Strings inside fields are literals of their own.
  CHECK(blanked(nested) == "s = f\"{d[' ']} {x:#x} {y:>{w}} {{literal}} {f'{z}'}\" + '    '\n");
  const std::string prefixed = "a = rf'{x}' + Fr\"{y}\" + fR'''{z}'''\n";
  CHECK(blanked(prefixed) == prefixed);
  // A format spec is text, quotes included (a quote as the fill character).
  const std::string spec = "s = f\"{x:'^10}\" + tf.function(g)('a', 'b', 'c')\n";
  CHECK(blanked(spec) == "s = f\"{x:'^10}\" + tf.function(g)(' ', ' ', ' ')\n");
  // The parser reads any run of prefix letters with an f as a format string.
  const std::string frb = "s = frb'{tf.function(g)}'\n";
  CHECK(blanked(frb) == frb);
  // A field holding a string with the f-string's own quote (Python 3.12) does not end the f-string.
  const std::string same_quotes = "s = f\"{d[\"k\"]}\" + \"gone\"\n";
  CHECK(blanked(same_quotes) == "s = f\"{d[\" \"]}\" + \"    \"\n");
}

TEST_CASE("code_text gives up where Python's tokenizer would fail", "[code_text]") {
  CHECK_FALSE(code_text("s = 'open\nx = 1\n"));          // a single-quoted string across a line break
  CHECK_FALSE(code_text("s = \"\"\"never closed\n"));     // a triple-quoted string open at the end
  CHECK_FALSE(code_text("s = f'{x\n"));                   // a replacement field open at the end
  CHECK_FALSE(code_text("print 'it's'\n"));               // Python 2 with a stray quote
  CHECK_FALSE(code_text("s = r'a\\\nb'\n"));                 // a raw string continued: the parser ends it
  CHECK_FALSE(code_text(std::string("s = 'a\0b'\n", 10)));   // a NUL ends the parser's input
  CHECK_FALSE(code_text("x = 1  # \xff tf.function(g)\n"));  // invalid UTF-8 ends the parser's comment
  CHECK_FALSE(code_text("x = 1  # \xc0\xaf overlong\n"));
  CHECK(code_text("x = 1  # caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80\n"));
  std::string deep = "s = ";
  for (int i = 0; i < 40; ++i) deep += "f'{";
  CHECK_FALSE(code_text(deep));
  CHECK(code_text(""));
}

TEST_CASE("prefilter: an API named only in comments, docstrings or messages rules the file out", "[code_text][prefilter]") {
  CHECK_FALSE(may_contain_sites("import tensorflow as tf\n\n\ndef f(x):\n    \"\"\"Works in eager and in tf.function.\"\"\"\n"
                                "    return x  # see tf.function\n"));
  CHECK_FALSE(may_contain_sites("import tensorflow as tf\nraise ValueError('call outside of `tf.function`s.')\n"));
  CHECK_FALSE(may_contain_sites("\"\"\"Module doc.\n\n>>> import jax\n>>> f = jax.jit(g)\n\"\"\"\nimport jax\n"));
  // Code still counts, wherever text around it mentions the API.
  CHECK(may_contain_sites("import tensorflow as tf\n# tf.function below\n@tf.function\ndef f(x):\n    return x\n"));
  CHECK(may_contain_sites("import tensorflow as tf\nprint(f'{tf.function(g)}')\n"));
  // A source the lexer cannot follow is read as it is.
  CHECK(may_contain_sites("import tensorflow as tf\ns = 'open\n\"\"\"tf.function\"\"\"\n"));
}

TEST_CASE("prefilter: bytes past ASCII next to a name do not hide an API from it", "[code_text][prefilter]") {
  // Found by the fuzzer: the parser ends a name at a byte sequence that is no Unicode letter (here an unassigned
  // code point, then a no-break space, invalid UTF-8), where the prefilter read one longer name.
  hm::detectors::PythonParser parser;
  for (const std::string& source : {
           std::string("import tensorflow as tf\n@tf.function\xf1\x9b\x9a\x99 f(x):\n    return x\n"),
           std::string("import tensorflow as tf\n@tf.function\xc2\xa0\ndef f(x):\n    return x\n"),
           std::string("import tensorflow as tf\ng = \xff" "tf.function(f)\n"),
           std::string("from jax\xff import jit\n@jit\ndef f(x):\n    return x\n"),
           // Found by the fuzzer: the parser skips invalid bytes between `tf.` and `function`.
           std::string("import tensorflow as tf\nstep = tf.\x8b\x8b\x8b" "function(f)\n"),
       }) {
    INFO(source);
    if (hm::detectors::analyse_python_unfiltered(source, parser).sites.empty()) continue;
    CHECK(may_contain_sites(source));
  }
  // Found by the fuzzer: a NUL inside a string ends the parser's string (and its input, to its scanner), so the
  // parser reads `tf.function(f)` further on as code.
  std::ifstream in(std::string(HM_SOURCE_DIR) + "/tests/fuzz/corpus/nul_inside_string.py", std::ios::binary);
  const std::string nul((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(nul.find('\0') != std::string::npos);
  CHECK_FALSE(hm::detectors::analyse_python_unfiltered(nul, parser).sites.empty());
  CHECK(may_contain_sites(nul));
  // Each of these has a site as the parser reads it.
  CHECK_FALSE(hm::detectors::analyse_python_unfiltered(
                  "import tensorflow as tf\n@tf.function\xf1\x9b\x9a\x99 f(x):\n    return x\n", parser)
                  .sites.empty());
}

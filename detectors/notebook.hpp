#pragma once
// Jupyter notebooks as Python source. The hybridization detectors analyse an .ipynb as one Python module made of
// its code cells, so they can reuse PythonParser unchanged; the line map sends each line of that module back to
// the notebook cell a user would open. IPython syntax that is not Python (line and cell magics, shell escapes,
// `?` help) is blanked rather than removed, so tree-sitter sees no garbage and line numbers stay aligned.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hm::detectors {

struct NotebookSource {
  // Every line of every code cell, each followed by "\n" (so cells never merge lines); CRLF and lone CR become
  // "\n". Non-Python lines are blanked in place: an empty line, or the line's own indentation + "pass" when it
  // is indented (a Colab-style `if in_colab:\n  !pip install x` must keep its block non-empty).
  std::string code;
  struct Line {
    std::uint32_t cell;  // 0-based index among ALL cells (markdown and raw too), in document order: the cell a
                         // user counts to in Jupyter or on GitHub. nbformat 3 counts on across worksheets.
    std::uint32_t line;  // 1-based line within that cell's source
  };
  std::vector<Line> lines;       // lines[i] = origin of line i+1 of `code`
  std::uint32_t code_cells = 0;  // cells with cell_type "code", including empty and blanked ones
  // The kernel's language (metadata.kernelspec.language, else metadata.language_info.name), "" when the notebook
  // does not say (nbformat 3 never does: those were all IPython). Callers should skip notebooks whose language is
  // known and not Python, e.g. R or Julia ones: their code is extracted all the same, but is not Python.
  std::string language;
};

// Reads a notebook's text. nbformat 4 keeps code in cells[].source; nbformat 3 in worksheets[].cells[].input.
// A source is a string or an array of strings that are concatenated (each usually ends with its own "\n").
// Only the cells' type and source and the kernel language are read: outputs (megabytes of base64 images) are
// streamed past by a SAX parser, never stored.
//
// Per code cell:
// - A cell magic on its first non-blank line (`%%name args`) makes the whole cell blank, since its body is
//   another language (%%bash, %%html, %%writefile, %%sql, ... and any magic not listed next); for %%time,
//   %%timeit, %%capture, %%prun, %%debug, %%memit and %%python/%%python2/%%python3/%%pypy only the magic line is
//   blanked and the body is read as Python.
// - A line that starts a logical line (not inside brackets, a string or after a trailing backslash) is blanked
//   when it is IPython: a line magic (`%`, `%%`), a shell escape (`!`), help (`?x`, `x?`, `x??`), an
//   assignment from either (`files = !ls`, `t = %timeit -o f()`), or a common line magic written without `%`
//   (automagic) when its arguments cannot be Python (`cd data/`, `pip install x`; not `cd = 1` or `time - t0`).
//   Lines it continues with trailing backslashes are blanked too. Continuation lines of Python, such as the
//   `% args` line of a multi-line format expression, are kept.
// - A cell that ends inside brackets, a triple-quoted string or a backslash continuation is a SyntaxError that
//   Jupyter would not run at all; it is blanked whole so it cannot swallow the cells after it.
// - An empty cell, or one without a source, adds no lines but still counts in code_cells.
// Markdown, raw and nbformat 3 heading cells, and cells without a cell_type, add no lines.
//
// Throws hm::Error("invalid notebook: ...") for text that is not JSON (including invalid UTF-8 and empty text),
// for a document that is not a notebook (not an object, or an object with none of the keys cells, worksheets and
// nbformat, e.g. `[1,2]` or `{"a":1}`), and for notebook parts of the wrong type (cells not an array, a cell not
// an object, a source neither a string nor an array of strings). A notebook object without cells, such as
// `{"nbformat": 4, "metadata": {}}`, is valid and empty: no code and 0 code cells.
NotebookSource extract_notebook_code(std::string_view ipynb_json);

}  // namespace hm::detectors

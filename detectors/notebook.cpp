#include "detectors/notebook.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace hm::detectors {
namespace {

using Json = nlohmann::json;

[[noreturn]] void invalid(const std::string& why) { throw Error("invalid notebook: " + why); }

// ---- IPython lines -------------------------------------------------------------------------------------------

// Cell magics whose body is Python; every other cell magic's body is another language.
constexpr std::array<std::string_view, 10> kPythonBodyCellMagics{"time",  "timeit", "capture", "prun",    "debug",
                                                                 "memit", "python", "python2", "python3", "pypy"};

constexpr std::string_view kBlank = " \t\f";

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(kBlank);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kBlank) - first + 1);
}

bool is_word_char(char c) {
  // Identifiers may hold any non-ASCII letter; bytes >= 0x80 are parts of UTF-8 sequences.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// `x?`, `np.*load*??`, `%timeit?`: IPython's help_end form, a dotted name (with wildcards) before one or two `?`.
bool is_help_end(std::string_view text) {
  if (text.empty() || text.back() != '?') return false;
  text.remove_suffix(text.size() >= 2 && text[text.size() - 2] == '?' ? 2 : 1);
  while (!text.empty() && text.front() == '%') text.remove_prefix(1);
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return is_word_char(c) || c == '.' || c == '*'; });
}

// `files = !ls`, `a, b = %sx cmd`: IPython's assign_from_system / assign_from_magic. `=` followed by `!` or `%`
// is never Python (neither is a unary operator), so `x != y` and `x = a % b` are not matched.
bool is_magic_assignment(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() &&
         (is_word_char(text[i]) || text[i] == '.' || text[i] == ',' || text[i] == ' ' || text[i] == '\t')) {
    ++i;
  }
  if (i == 0 || i >= text.size() || text[i] != '=') return false;
  const auto rest = trim(text.substr(i + 1));
  return !rest.empty() && (rest.front() == '!' || rest.front() == '%');
}

// Line magics that notebooks call without their `%` (IPython's automagic, on by default): `cd data/`,
// `pip install torch`, `matplotlib inline`, `load_ext autoreload`.
constexpr std::array<std::string_view, 27> kAutomagics{
    "cd",  "ls",   "ll",       "pwd",        "pip",        "conda", "mamba", "mkdir",  "rmdir",
    "rm",  "cp",   "mv",       "cat",        "env",        "run",   "time",  "timeit", "prun",
    "who", "whos", "load_ext", "reload_ext", "autoreload", "pylab", "pushd", "popd",   "matplotlib"};

constexpr std::array<std::string_view, 7> kInfixKeywords{"if", "else", "in", "is", "not", "and", "or"};

// `cd pyfiles/`, `ls -la`, `pip install x`: an automagic name followed by arguments that cannot continue a Python
// expression. `cd` alone, `time - start`, `run(x)` or `ls if x else y` stay Python.
bool is_automagic(std::string_view text) {
  std::size_t end = 0;
  while (end < text.size() && is_word_char(text[end])) ++end;
  const auto name = text.substr(0, end);
  if (end == 0 || end == text.size() || kBlank.find(text[end]) == std::string_view::npos) return false;
  if (std::find(kAutomagics.begin(), kAutomagics.end(), name) == kAutomagics.end()) return false;
  const auto rest = trim(text.substr(end));
  if (rest.empty()) return false;
  const char first = rest.front();
  const char second = rest.size() > 1 ? rest[1] : ' ';
  if (is_word_char(first)) {
    std::size_t word = 0;
    while (word < rest.size() && is_word_char(rest[word])) ++word;
    return std::find(kInfixKeywords.begin(), kInfixKeywords.end(), rest.substr(0, word)) == kInfixKeywords.end();
  }
  switch (first) {
    case '\'':
    case '"':
    case '~':
    case '$':
    case '{': return true;
    case '/': return kBlank.find(second) == std::string_view::npos && second != '/' && second != '=';
    case '.': return second == '.' || second == '/';
    case '-': return second == '-' || (second >= 'a' && second <= 'z') || (second >= 'A' && second <= 'Z');
    default: return false;
  }
}

// True for a logical line IPython rewrites before Python sees it. `text` has its indentation removed.
bool is_ipython_line(std::string_view text) {
  if (text.empty()) return false;
  const char first = text.front();
  if (first == '%' || first == '!' || first == '?') return true;
  return is_help_end(trim(text)) || is_magic_assignment(text) || is_automagic(text);
}

std::size_t indentation(std::string_view line) { return std::min(line.size(), line.find_first_not_of(kBlank)); }

// Tracks just enough of Python's tokenizer to know whether the next line starts a logical line: open brackets,
// strings (triple-quoted ones span lines, others only after a backslash) and backslash continuations.
class LogicalLines {
 public:
  bool at_start() const { return depth_ == 0 && quote_ == 0 && !continued_; }

  void feed(std::string_view line) {
    continued_ = false;
    bool escaped_newline = false;
    std::size_t i = 0;
    while (i < line.size()) {
      const char c = line[i];
      if (quote_ != 0) {
        if (c == '\\') {
          escaped_newline = i + 1 == line.size();
          i += 2;
        } else if (c == quote_ && (!triple_ || is_triple(line, i))) {
          quote_ = 0;
          i += triple_ ? 3 : 1;
        } else {
          ++i;
        }
        continue;
      }
      if (c == '#') break;
      if (c == '\'' || c == '"') {
        quote_ = c;
        triple_ = is_triple(line, i);
        i += triple_ ? 3 : 1;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') ++depth_;
      if ((c == ')' || c == ']' || c == '}') && depth_ > 0) --depth_;
      if (c == '\\' && i + 1 == line.size()) continued_ = true;
      ++i;
    }
    // A one-quote string ends with its line unless a backslash escapes the newline; unterminated, it is a
    // SyntaxError local to this line.
    if (quote_ != 0 && !triple_ && !escaped_newline) quote_ = 0;
  }

 private:
  static bool is_triple(std::string_view line, std::size_t i) {
    return i + 2 < line.size() && line[i + 1] == line[i] && line[i + 2] == line[i];
  }

  std::size_t depth_ = 0;
  char quote_ = 0;
  bool triple_ = false;
  bool continued_ = false;
};

// Splits a source into lines: "\r\n", "\r" and "\n" end a line; a final line ending adds no empty line.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

// The cell magic's name when the cell's first non-blank line, at index `at`, is `%%name ...`.
std::optional<std::string_view> cell_magic(const std::vector<std::string_view>& lines, std::size_t& at) {
  for (at = 0; at < lines.size(); ++at) {
    const auto text = trim(lines[at]);
    if (text.empty()) continue;
    if (text.substr(0, 2) != "%%") return std::nullopt;
    const auto name = text.substr(2);
    return name.substr(0, name.find_first_of(kBlank));
  }
  return std::nullopt;
}

// What a cell line becomes in the module: itself, an empty line, or `pass` at its own indentation. The last is
// for IPython lines inside a block, so a block made only of magics (`if in_colab:\n  !pip install x`) still
// parses; at the top level an empty line is enough.
enum class Emit : std::uint8_t { Keep, Blank, Pass };

void add_code_cell(std::string_view source, std::uint32_t cell, NotebookSource& out) {
  ++out.code_cells;
  const auto lines = split_lines(source);
  std::vector<Emit> emit(lines.size(), Emit::Blank);
  bool blank_cell = false;
  std::size_t first = 0;
  std::size_t magic_line = 0;
  if (const auto magic = cell_magic(lines, magic_line)) {
    blank_cell =
        std::find(kPythonBodyCellMagics.begin(), kPythonBodyCellMagics.end(), *magic) == kPythonBodyCellMagics.end();
    first = magic_line + 1;
  }
  if (!blank_cell) {
    LogicalLines logical;
    bool ipython_continues = false;  // the IPython line before ended with a backslash: this line is part of it
    for (std::size_t i = first; i < lines.size(); ++i) {
      const auto indent = indentation(lines[i]);
      if (ipython_continues || (logical.at_start() && is_ipython_line(lines[i].substr(indent)))) {
        if (!ipython_continues) emit[i] = indent == 0 ? Emit::Blank : Emit::Pass;
        ipython_continues = !lines[i].empty() && lines[i].back() == '\\';
        continue;
      }
      emit[i] = Emit::Keep;
      logical.feed(lines[i]);
    }
    // Ends inside brackets, a string or a continuation: a SyntaxError, so Jupyter runs none of it.
    if (!logical.at_start()) std::fill(emit.begin(), emit.end(), Emit::Blank);
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (emit[i] == Emit::Keep) out.code.append(lines[i]);
    if (emit[i] == Emit::Pass) out.code.append(lines[i].substr(0, indentation(lines[i]))).append("pass");
    out.code.push_back('\n');
    out.lines.push_back({cell, static_cast<std::uint32_t>(i + 1)});
  }
}

// ---- JSON ----------------------------------------------------------------------------------------------------

// What a JSON container being read is, and what the value about to be read is. Everything the notebook reader
// does not need is Ignored, and so is everything inside it.
enum class Node : std::uint8_t {
  Ignored,
  Root,
  Metadata,
  Kernelspec,
  LanguageInfo,
  KernelLanguage,
  LanguageName,
  Nbformat,
  Worksheets,
  Worksheet,
  Cells,
  Cell,
  CellType,
  Source,  // nbformat 4 cells[].source
  Input,   // nbformat 3 cells[].input
  SourceLine,
};

enum class Kind : std::uint8_t { Null, Boolean, Number, String, Object, Array };

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::Null: return "null";
    case Kind::Boolean: return "a boolean";
    case Kind::Number: return "a number";
    case Kind::String: return "a string";
    case Kind::Object: return "an object";
    case Kind::Array: return "an array";
  }
  return "a value";
}

// nlohmann's messages look like "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error
// while parsing value - invalid literal; last read: '<token>'". The token may be megabytes of a string or hold
// the invalid bytes themselves, so it is cut, and what is left is made printable ASCII and bounded.
std::string describe(const nlohmann::json::exception& error) {
  std::string_view what = error.what();
  if (const auto prefix = what.find("] "); prefix != std::string_view::npos) what.remove_prefix(prefix + 2);
  if (const auto token = what.find("; last read:"); token != std::string_view::npos) what = what.substr(0, token);
  std::string message;
  for (const char c : what.substr(0, 200)) message.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  return message;
}

// SAX handler for nlohmann::json::sax_parse: follows the path from the root to the values it needs and throws
// hm::Error as soon as the document cannot be a notebook.
class NotebookReader {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  explicit NotebookReader(NotebookSource& out) : out_(out) {}

  bool null() { return scalar(Kind::Null); }
  bool boolean(bool /*value*/) { return scalar(Kind::Boolean); }
  bool number_integer(number_integer_t /*value*/) { return scalar(Kind::Number); }
  bool number_unsigned(number_unsigned_t /*value*/) { return scalar(Kind::Number); }
  bool number_float(number_float_t /*value*/, const string_t& /*text*/) { return scalar(Kind::Number); }
  bool binary(binary_t& /*value*/) { return scalar(Kind::Null); }  // never produced by the JSON parser

  bool string(string_t& value) {
    switch (next()) {
      case Node::CellType: cell_type_ = value; break;
      case Node::Source: cell_source_ = value; break;
      case Node::Input: cell_source_ = value; break;
      case Node::SourceLine: cell_source_ += value; break;
      case Node::KernelLanguage: kernel_language_ = value; break;
      case Node::LanguageName: language_name_ = value; break;
      default: return scalar(Kind::String);
    }
    return true;
  }

  bool start_object(std::size_t /*size*/) {
    const Node node = next();
    switch (node) {
      case Node::Root:
      case Node::Metadata:
      case Node::Kernelspec:
      case Node::LanguageInfo:
      case Node::Worksheet: break;
      case Node::Cell:
        cell_type_.clear();
        cell_source_.clear();
        from_source_ = false;
        break;
      case Node::Ignored:
      case Node::KernelLanguage:
      case Node::LanguageName: stack_.push_back(Node::Ignored); return true;
      default: wrong_kind(node, Kind::Object);
    }
    stack_.push_back(node);
    return true;
  }

  bool start_array(std::size_t /*size*/) {
    const Node node = next();
    switch (node) {
      case Node::Cells:
      case Node::Worksheets:
      case Node::Source:
      case Node::Input:
        if (node == Node::Source || node == Node::Input) cell_source_.clear();
        stack_.push_back(node);
        return true;
      case Node::Ignored:
      case Node::Metadata:
      case Node::Kernelspec:
      case Node::LanguageInfo:
      case Node::KernelLanguage:
      case Node::LanguageName: stack_.push_back(Node::Ignored); return true;
      default: wrong_kind(node, Kind::Array);
    }
  }

  bool key(string_t& name) {
    key_ = Node::Ignored;
    switch (stack_.back()) {
      case Node::Root:
        if (name == "cells") key_ = Node::Cells;
        if (name == "worksheets") key_ = Node::Worksheets;
        if (name == "metadata") key_ = Node::Metadata;
        if (name == "nbformat") key_ = Node::Nbformat;
        break;
      case Node::Metadata:
        if (name == "kernelspec") key_ = Node::Kernelspec;
        if (name == "language_info") key_ = Node::LanguageInfo;
        break;
      case Node::Kernelspec:
        if (name == "language") key_ = Node::KernelLanguage;
        break;
      case Node::LanguageInfo:
        if (name == "name") key_ = Node::LanguageName;
        break;
      case Node::Worksheet:
        if (name == "cells") key_ = Node::Cells;
        break;
      case Node::Cell:
        if (name == "cell_type") key_ = Node::CellType;
        // nbformat 4's "source" wins over nbformat 3's "input" should a cell have both.
        if (name == "source") {
          key_ = Node::Source;
          from_source_ = true;
        }
        if (name == "input" && !from_source_) key_ = Node::Input;
        break;
      default: break;
    }
    if (key_ == Node::Cells || key_ == Node::Worksheets || key_ == Node::Nbformat) is_notebook_ = true;
    return true;
  }

  bool end_object() {
    const Node node = stack_.back();
    stack_.pop_back();
    if (node == Node::Cell) end_cell();
    if (node == Node::Root) end_notebook();
    return true;
  }

  bool end_array() {
    stack_.pop_back();
    return true;
  }

  [[noreturn]] bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                                const nlohmann::json::exception& error) {
    invalid("not JSON: " + describe(error));
  }

 private:
  // The node of the value about to be read: fixed by the enclosing array's type, or by the last key in an object.
  Node next() const {
    if (stack_.empty()) return Node::Root;
    switch (stack_.back()) {
      case Node::Ignored: return Node::Ignored;
      case Node::Cells: return Node::Cell;
      case Node::Worksheets: return Node::Worksheet;
      case Node::Source:
      case Node::Input: return Node::SourceLine;
      default: return key_;
    }
  }

  bool scalar(Kind kind) {
    const Node node = next();
    switch (node) {
      case Node::Ignored:
      case Node::Metadata:
      case Node::Kernelspec:
      case Node::LanguageInfo:
      case Node::KernelLanguage:
      case Node::LanguageName: return true;
      case Node::Nbformat:
        if (kind == Kind::Number) return true;
        break;
      default: break;
    }
    wrong_kind(node, kind);
  }

  [[noreturn]] void wrong_kind(Node node, Kind kind) const {
    const std::string got(kind_name(kind));
    const std::string cell = "cell " + std::to_string(cells_);
    switch (node) {
      case Node::Root: invalid("the document is " + got + ", not a notebook object");
      case Node::Nbformat: invalid("nbformat is " + got + ", not a number");
      case Node::Worksheets: invalid("worksheets is " + got + ", not an array");
      case Node::Worksheet: invalid("a worksheet is " + got + ", not an object");
      case Node::Cells: invalid("cells is " + got + ", not an array");
      case Node::Cell: invalid(cell + " is " + got + ", not an object");
      case Node::CellType: invalid(cell + " cell_type is " + got + ", not a string");
      case Node::Source:
      case Node::Input: invalid(cell + " source is " + got + ", not a string or an array of strings");
      case Node::SourceLine: invalid(cell + " source holds " + got + ", not only strings");
      default: invalid("unexpected " + got);
    }
  }

  void end_cell() {
    if (cell_type_ == "code") add_code_cell(cell_source_, cells_, out_);
    if (cells_ == UINT32_MAX) invalid("too many cells");
    ++cells_;
  }

  void end_notebook() {
    if (!is_notebook_) invalid("the document has none of the keys cells, worksheets and nbformat");
    out_.language = !kernel_language_.empty() ? kernel_language_ : language_name_;
  }

  NotebookSource& out_;
  std::vector<Node> stack_;
  Node key_ = Node::Ignored;
  bool is_notebook_ = false;
  std::uint32_t cells_ = 0;  // cells seen so far, of every type: the index of the cell being read
  std::string cell_type_;
  std::string cell_source_;
  bool from_source_ = false;
  std::string kernel_language_;
  std::string language_name_;
};

}  // namespace

NotebookSource extract_notebook_code(std::string_view ipynb_json) {
  NotebookSource out;
  NotebookReader reader(out);
  try {
    Json::sax_parse(ipynb_json.data(), ipynb_json.data() + ipynb_json.size(), &reader);
  } catch (const nlohmann::json::exception& error) {
    invalid("not JSON: " + describe(error));
  }
  return out;
}

}  // namespace hm::detectors

#pragma once
// A Python source with what is not code blanked: comments and the contents of string literals other than format
// strings become spaces (line breaks stay, so every offset and line number is unchanged). The byte prefilter reads
// it to tell an API named in a docstring, a comment or a message ("outside of `tf.function`s") from one used in
// code: on Keras' history a quarter of the bytes the prefilter let through had the API in such text only.
//
// Format strings (f"...", any prefix with an f) are kept whole: their replacement fields are code. A source this
// lexer cannot follow the way Python's tokenizer does (a string left open at the end of a line or of the file,
// f-strings nested past a fixed depth) gives nullopt: the caller must then read the source as it is, because only
// a lexer that agrees with the parser may hide text from the prefilter.
#include <optional>
#include <string>
#include <string_view>

namespace hm::detectors {

std::optional<std::string> code_text(std::string_view source);

// Whether `text` is UTF-8 without NUL bytes. The parser's lexer reads a NUL as the end of the input and skips an
// invalid byte as no character at all (ending a comment there, or joining `tf.` to `function` across it), where
// Python's tokenizer would stop: no byte-level reading of such a source can follow the parser.
bool is_clean_utf8(std::string_view text);

}  // namespace hm::detectors

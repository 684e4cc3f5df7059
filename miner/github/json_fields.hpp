#pragma once
// Typed reads of GitHub's JSON that fail with a clear message instead of nlohmann's type_error: a hostile or
// changed API answer (missing field, wrong type) becomes "unexpected GitHub response from URL: field
// 'stargazers_count' is a string, not an integer", raised before anything is written.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace hm::github {

class JsonReader {
 public:
  // `context` names where the object came from (a URL), for messages.
  JsonReader(const nlohmann::json& object, std::string context);

  std::string text(const char* field) const;
  std::optional<std::string> optional_text(const char* field) const;  // absent or null: nullopt
  std::int64_t integer(const char* field) const;
  std::optional<std::int64_t> optional_integer(const char* field) const;
  bool boolean(const char* field) const;
  bool optional_boolean(const char* field, bool fallback) const;
  const nlohmann::json& array(const char* field) const;
  JsonReader object(const char* field) const;
  std::optional<JsonReader> optional_object(const char* field) const;
  bool has(const char* field) const;
  const std::string& context() const noexcept { return context_; }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  const nlohmann::json* find(const char* field) const;
  const nlohmann::json& require(const char* field) const;
  const nlohmann::json* object_;
  std::string context_;
};

// The JSON value's kind in words ("a string", "null"), for messages.
const char* kind_of(const nlohmann::json& value);

// `value` as an array or object checked up front: "unexpected GitHub response from URL: expected an array, got
// an object".
const nlohmann::json& expect_array(const nlohmann::json& value, const std::string& context);
JsonReader expect_object(const nlohmann::json& value, const std::string& context);

}  // namespace hm::github

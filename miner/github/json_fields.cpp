#include "github/json_fields.hpp"

#include "util/error.hpp"

namespace hm::github {

const char* kind_of(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::number_float: return "a fraction";
    case nlohmann::json::value_t::discarded: return "invalid";
    default: return "an integer";
  }
}

const nlohmann::json& expect_array(const nlohmann::json& value, const std::string& context) {
  if (!value.is_array()) {
    throw Error("unexpected GitHub response from " + context + ": expected an array, got " + kind_of(value));
  }
  return value;
}

JsonReader expect_object(const nlohmann::json& value, const std::string& context) {
  if (!value.is_object()) {
    throw Error("unexpected GitHub response from " + context + ": expected an object, got " + kind_of(value));
  }
  return JsonReader(value, context);
}

JsonReader::JsonReader(const nlohmann::json& object, std::string context)
    : object_(&object), context_(std::move(context)) {
  if (!object.is_object()) fail(std::string("expected an object, got ") + kind_of(object));
}

void JsonReader::fail(const std::string& what) const {
  throw Error("unexpected GitHub response from " + context_ + ": " + what);
}

const nlohmann::json* JsonReader::find(const char* field) const {
  const auto it = object_->find(field);
  return it == object_->end() ? nullptr : &*it;
}

bool JsonReader::has(const char* field) const {
  const auto* value = find(field);
  return value != nullptr && !value->is_null();
}

const nlohmann::json& JsonReader::require(const char* field) const {
  const auto* value = find(field);
  if (value == nullptr) fail(std::string("field '") + field + "' is missing");
  return *value;
}

std::string JsonReader::text(const char* field) const {
  const auto& value = require(field);
  if (!value.is_string()) fail(std::string("field '") + field + "' is " + kind_of(value) + ", not a string");
  return value.get<std::string>();
}

std::optional<std::string> JsonReader::optional_text(const char* field) const {
  if (!has(field)) return std::nullopt;
  return text(field);
}

std::int64_t JsonReader::integer(const char* field) const {
  const auto& value = require(field);
  if (!value.is_number_integer()) fail(std::string("field '") + field + "' is " + kind_of(value) + ", not an integer");
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    fail(std::string("field '") + field + "' is out of range");
  }
  return value.get<std::int64_t>();
}

std::optional<std::int64_t> JsonReader::optional_integer(const char* field) const {
  if (!has(field)) return std::nullopt;
  return integer(field);
}

bool JsonReader::boolean(const char* field) const {
  const auto& value = require(field);
  if (!value.is_boolean()) fail(std::string("field '") + field + "' is " + kind_of(value) + ", not a boolean");
  return value.get<bool>();
}

bool JsonReader::optional_boolean(const char* field, bool fallback) const {
  return has(field) ? boolean(field) : fallback;
}

const nlohmann::json& JsonReader::array(const char* field) const {
  const auto& value = require(field);
  if (!value.is_array()) fail(std::string("field '") + field + "' is " + kind_of(value) + ", not an array");
  return value;
}

JsonReader JsonReader::object(const char* field) const {
  const auto& value = require(field);
  if (!value.is_object()) fail(std::string("field '") + field + "' is " + kind_of(value) + ", not an object");
  return JsonReader(value, context_);
}

std::optional<JsonReader> JsonReader::optional_object(const char* field) const {
  if (!has(field)) return std::nullopt;
  return object(field);
}

}  // namespace hm::github

#include "store/content_id.hpp"

#include <cstring>
#include <string>

#include "util/error.hpp"

namespace hm::store {
namespace {

// A length-prefixed encoding of the values, appended to `out`: no two different rows encode alike ("ab", "c" and
// "a", "bc" differ in their lengths; NULL, 1 and '1' in their type tags). Numbers and lengths are written least
// significant byte first on every machine, so the ids they hash to are the same everywhere.
class Encoder {
 public:
  explicit Encoder(std::string& out) : out_(out) {}
  void add(const SqlValue& value) {
    if (std::holds_alternative<std::nullptr_t>(value)) {
      out_ += 'n';
    } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
      out_ += 'i';
      word(static_cast<std::uint64_t>(*number));
    } else {
      add_text('t', std::get<std::string_view>(value));
    }
  }
  void add_real(double value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    out_ += 'r';
    word(bits);
  }
  void add_text(char tag, std::string_view text) {
    out_ += tag;
    word(text.size());
    out_ += text;
  }

 private:
  void word(std::uint64_t value) {
    for (int i = 0; i < 8; ++i) out_ += static_cast<char>(static_cast<unsigned char>(value >> (8 * i)));
  }
  std::string& out_;
};

void content_id_function(sqlite3_context* context, int count, sqlite3_value** values) {
  std::string encoding;
  Encoder encoder(encoding);
  for (int i = 0; i < count; ++i) {
    sqlite3_value* value = values[i];
    switch (sqlite3_value_type(value)) {
      case SQLITE_NULL: encoder.add(nullptr); break;
      case SQLITE_INTEGER: encoder.add(static_cast<std::int64_t>(sqlite3_value_int64(value))); break;
      case SQLITE_FLOAT: encoder.add_real(sqlite3_value_double(value)); break;
      case SQLITE_BLOB: {
        const auto* bytes = static_cast<const char*>(sqlite3_value_blob(value));
        encoder.add_text('b', std::string_view(bytes ? bytes : "", static_cast<std::size_t>(sqlite3_value_bytes(value))));
        break;
      }
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
        encoder.add(std::string_view(text ? text : "", static_cast<std::size_t>(sqlite3_value_bytes(value))));
      }
    }
  }
  sqlite3_result_int64(context, content_hash_of_encoding(encoding).id);
}

}  // namespace

void append_encoding(const std::vector<SqlValue>& row, std::string& out) {
  Encoder encoder(out);
  for (const auto& value : row) encoder.add(value);
}

ContentHash content_hash_of_encoding(std::string_view encoding) {
  // FNV-1a 64 twice, from two bases: the id, and a second, different hash for the check.
  constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  std::uint64_t first = 0xcbf29ce484222325ULL;   // FNV-1a's offset basis
  std::uint64_t second = 0x84222325cbf29ce4ULL;  // another basis
  for (const char c : encoding) {
    const auto b = static_cast<unsigned char>(c);
    first = (first ^ b) * kPrime;
    second = (second ^ b) * kPrime;
  }
  // The check gets the 64-bit finalizer of MurmurHash3, so its bits do not follow the id's.
  std::uint64_t check = second;
  check ^= check >> 33;
  check *= 0xff51afd7ed558ccdULL;
  check ^= check >> 33;
  check *= 0xc4ceb9fe1a85ec53ULL;
  check ^= check >> 33;
  return {static_cast<std::int64_t>(first), check};
}

ContentHash content_hash(const std::vector<SqlValue>& row) {
  std::string encoding;
  append_encoding(row, encoding);
  return content_hash_of_encoding(encoding);
}

void register_content_id(sqlite3* db) {
  const int rc = sqlite3_create_function_v2(db, "hm_content_id", -1,
                                            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                            content_id_function, nullptr, nullptr, nullptr);
  // Without it, migration 9 and merge would fail later on "no such function"; say why now.
  if (rc != SQLITE_OK) throw Error(std::string("cannot register hm_content_id: ") + sqlite3_errstr(rc));
}

}  // namespace hm::store

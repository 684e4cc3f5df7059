#pragma once
// A table of rows stored once however many blobs hold them (function_definitions, function_verdicts; schema v9),
// under the content id of their values (content_id.hpp). put() stores a row unless it is there already and gives
// its id; a different row already there under the same id is a hash collision, reported as an error rather than
// silently taken for this one.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/content_id.hpp"
#include "store/sqlite.hpp"

namespace hm::store {

class SharedRows {
 public:
  // `columns`: the table's columns after `id`, in the order put() gets the values (the order hm_content_id hashes).
  SharedRows(Database& db, std::string table, const std::vector<std::string>& columns);
  std::int64_t put(const std::vector<SqlValue>& row);

 private:
  bool stored_row_is(std::int64_t id, const std::vector<SqlValue>& row);
  Error collision(std::int64_t id) const;

  Database& db_;
  std::string table_;
  Statement insert_;
  Statement select_;
  // Rows this connection stored or compared, by id: the check of their values. A row met again (most are: a
  // Keras mine meets 357,652 function definitions, 14,955 of them distinct) is neither written nor read back.
  // Bounded; forgetting costs a write and a comparison, never a wrong row. Forgotten after a rollback, which may
  // have taken rows this connection wrote.
  std::unordered_map<std::int64_t, std::uint64_t> known_;
  // The same rows by their encoding (content_id.hpp's), under a hash of it that reads eight bytes at a time: a
  // row met again is found without its content hash, whose byte-at-a-time FNV over every row was most of the
  // writer's cost of a definition or verdict (a row not met yet is hashed from the same encoding). Bounded in
  // bytes, forgotten with known_.
  struct Met {
    std::string encoding;
    std::int64_t id = 0;
  };
  std::unordered_map<std::uint64_t, Met> met_;
  std::size_t met_bytes_ = 0;
  std::string encoding_;  // put()'s, kept for its capacity
  std::uint64_t rollbacks_seen_ = 0;
};

}  // namespace hm::store

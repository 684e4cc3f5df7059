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

  Database& db_;
  std::string table_;
  Statement insert_;
  Statement select_;
  // Rows this process stored or compared, by id: the check of their values. A row met again (most are: 97 % of a
  // history's functions are unchanged from one version to the next) is then neither read back nor compared.
  // Bounded; forgetting costs a comparison, never a wrong row. The insert still runs each time, so a rolled-back
  // transaction cannot leave a blob pointing at a row that is gone.
  std::unordered_map<std::int64_t, std::uint64_t> known_;
};

}  // namespace hm::store

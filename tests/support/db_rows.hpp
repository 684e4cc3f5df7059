#pragma once
// Reads query results as "a|b|c" strings (NULL as "NULL"), so tests can assert exact rows in one comparison.
#include <filesystem>
#include <string>
#include <vector>

namespace hm::test {

std::vector<std::string> rows(const std::filesystem::path& db, const std::string& sql);
std::string single(const std::filesystem::path& db, const std::string& sql);

}  // namespace hm::test

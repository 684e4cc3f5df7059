#include "labels/catalogue.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "util/embedded_file.hpp"
#include "util/error.hpp"

namespace hm::labels {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

std::string read_catalogue_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("cannot read label catalogue " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool Catalogue::contains(std::string_view name) const {
  return std::any_of(entries.begin(), entries.end(), [&](const auto& entry) { return entry.name == name; });
}

Catalogue parse_catalogue(std::string_view dimension, std::string_view text) {
  Catalogue catalogue{std::string(dimension), {}};
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const auto line = trim(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    const auto tab = line.find('\t');
    const auto name = trim(line.substr(0, tab));
    const auto description = tab == std::string_view::npos ? std::string_view() : trim(line.substr(tab + 1));
    const auto where = std::string(dimension) + " catalogue, line " + std::to_string(line_number);
    if (name.empty()) throw Error(where + ": an entry needs a name before the tab");
    if (catalogue.contains(name)) throw Error(where + ": '" + std::string(name) + "' is listed twice");
    catalogue.entries.push_back({std::string(name), std::string(description)});
  }
  if (catalogue.entries.empty()) throw Error(std::string(dimension) + " catalogue has no entries");
  return catalogue;
}

std::vector<Catalogue> load_catalogues(const std::optional<std::filesystem::path>& dir) {
  std::vector<Catalogue> catalogues;
  for (const auto dimension : kCatalogueDimensions) {
    if (dir) {
      catalogues.push_back(parse_catalogue(dimension, read_catalogue_file(*dir / (std::string(dimension) + ".txt"))));
      continue;
    }
    const auto& files = embedded::label_catalogues();
    const auto found = std::find_if(files.begin(), files.end(), [&](const auto& f) { return f.name == dimension; });
    if (found == files.end()) throw Error("no built-in label catalogue for " + std::string(dimension));
    catalogues.push_back(parse_catalogue(dimension, found->text));
  }
  return catalogues;
}

}  // namespace hm::labels

#pragma once
// The labelling dimensions with a catalogue of allowed names (data/labels/DIMENSION.txt, editable): what a rater
// may write in the problem_category, cause, symptom and fix columns.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hm::labels {

inline constexpr std::array<std::string_view, 4> kCatalogueDimensions{"problem_category", "cause", "symptom", "fix"};

struct CatalogueEntry {
  std::string name;
  std::string description;
};

struct Catalogue {
  std::string dimension;
  std::vector<CatalogueEntry> entries;
  bool contains(std::string_view name) const;
};

// Parses the catalogue format (`name<TAB>description` lines, `#` comments). Throws hm::Error naming the line of a
// bad or duplicate entry.
Catalogue parse_catalogue(std::string_view dimension, std::string_view text);

// Every dimension's catalogue: the copies compiled in, or DIR/DIMENSION.txt when `dir` is given.
std::vector<Catalogue> load_catalogues(const std::optional<std::filesystem::path>& dir = std::nullopt);

}  // namespace hm::labels

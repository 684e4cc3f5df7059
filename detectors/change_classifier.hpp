#pragma once
// Classifies what one commit did to hybridization, from the facts of both sides of each changed Python file:
//   added         a function (or module, or block) became hybrid: eager → hybrid, or a new hybrid function/file
//   removed       it stopped being hybrid: hybrid → eager, or the function/file was deleted
//   args_changed  same API, different keyword arguments (input_signature added, relax_shapes → reduce_retracing)
//   api_changed   another API now hybridizes it (defun → function, jit.trace → compile)
//   body_changed  still hybrid the same way, but the function's body was edited
// Renamed files are compared old side against new side. Functions that move (to another file, or to another name
// in the same file) are matched by name or body and compared, not reported as removed + added.
// Annotations (torch.jit.ignore/unused/export) are facts, not hybridization: they never produce changes.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "detectors/python_facts.hpp"

namespace hm::detectors {

struct FileSides {
  std::optional<std::string> old_path;
  std::optional<std::string> new_path;
  // Facts of each side. When one side has hybridization sites, the other must have been parsed (not skipped by
  // the prefilter): whether a function still exists tells a removal from a move or a rename.
  const FileFacts* old_facts = nullptr;  // null: no old side (added file) or not Python
  const FileFacts* new_facts = nullptr;  // null: no new side (deleted file)
};

struct HybridizationChange {
  std::size_t file = 0;  // index into the FileSides given; for a moved function, the file it moved to
  std::optional<std::string> old_path;
  std::optional<std::string> path;  // new path; absent when the change is a removal by deletion
  std::string function;
  std::string api;
  std::string family;
  std::string kind;  // added, removed, args_changed, api_changed, body_changed
  std::optional<std::string> old_api;
  std::optional<std::string> form_before;
  std::optional<std::string> form_after;
  std::optional<Arguments> args_before;
  std::optional<Arguments> args_after;
  std::vector<std::string> args_added;
  std::vector<std::string> args_removed;
  std::vector<std::string> args_modified;
  std::optional<std::uint32_t> old_line;
  std::optional<std::uint32_t> new_line;
};

std::vector<HybridizationChange> classify_changes(const std::vector<FileSides>& files);

}  // namespace hm::detectors

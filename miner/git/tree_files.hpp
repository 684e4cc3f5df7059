#pragma once
// The Python files of a repository as they are at one revision, read straight from the object database (no
// checkout): what `hybridminer analyze --at REV --repo PATH` analyses.
#include <string>
#include <vector>

#include "git/repository.hpp"

namespace hm::git {

struct TreeFile {
  std::string path;   // within the repository, '/'-separated
  std::string bytes;
};

// The *.py files under `folder` ("" for the whole tree) at `revision` (anything git rev-parse accepts), sorted by
// path. Throws hm::Error for an unknown revision or a folder that is not in its tree.
std::vector<TreeFile> python_files_at(const Repository& repository, const std::string& revision, const std::string& folder);

// Every blob of the tree of `commit` with its path and id (hex), sorted by path: what is at a tip, without reading
// the blobs.
struct TreeBlob {
  std::string path;
  std::string blob;
};
std::vector<TreeBlob> blobs_at(const Repository& repository, const git_oid& commit);

}  // namespace hm::git

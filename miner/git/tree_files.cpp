#include "git/tree_files.hpp"

#include <algorithm>

namespace hm::git {
namespace {

using TreeEntryPtr = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry, git_tree_entry_free>>;

struct WalkState {
  git_repository* repo;
  std::string prefix;  // the folder walked, with a trailing '/' ("" for the root)
  std::vector<TreeFile>* files;
  int error = 0;
};

int collect(const char* root, const git_tree_entry* entry, void* payload) {
  auto& state = *static_cast<WalkState*>(payload);
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;
  const std::string name = git_tree_entry_name(entry);
  if (!name.ends_with(".py")) return 0;
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, state.repo, git_tree_entry_id(entry)) < 0) {
    state.error = -1;
    return -1;
  }
  BlobPtr blob(raw);
  const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  const auto size = static_cast<std::size_t>(git_blob_rawsize(blob.get()));
  state.files->push_back({std::string(root) + name, std::string(data, size)});
  return 0;
}

int collect_blob(const char* root, const git_tree_entry* entry, void* payload) {
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;
  static_cast<std::vector<TreeBlob>*>(payload)->push_back(
      {std::string(root) + git_tree_entry_name(entry), to_hex(*git_tree_entry_id(entry))});
  return 0;
}

}  // namespace

std::vector<TreeBlob> blobs_at(const Repository& repository, const git_oid& commit) {
  git_commit* raw_commit = nullptr;
  check(git_commit_lookup(&raw_commit, repository.handle(), &commit), "cannot read commit " + to_hex(commit));
  CommitPtr owned_commit(raw_commit);
  git_tree* raw_tree = nullptr;
  check(git_commit_tree(&raw_tree, owned_commit.get()), "cannot read the tree of " + to_hex(commit));
  TreePtr tree(raw_tree);
  std::vector<TreeBlob> blobs;
  check(git_tree_walk(tree.get(), GIT_TREEWALK_PRE, collect_blob, &blobs), "cannot walk the tree of " + to_hex(commit));
  std::sort(blobs.begin(), blobs.end(), [](const TreeBlob& a, const TreeBlob& b) { return a.path < b.path; });
  return blobs;
}

std::vector<TreeFile> python_files_at(const Repository& repository, const std::string& revision, const std::string& folder) {
  git_object* raw_object = nullptr;
  check(git_revparse_single(&raw_object, repository.handle(), revision.c_str()), "unknown revision " + revision);
  ObjectPtr object(raw_object);
  git_object* raw_tree = nullptr;
  check(git_object_peel(&raw_tree, object.get(), GIT_OBJECT_TREE), "revision " + revision + " has no tree");
  ObjectPtr root_tree(raw_tree);
  const auto* tree = reinterpret_cast<const git_tree*>(root_tree.get());
  TreePtr sub;
  std::string prefix;
  std::string clean = folder;
  while (clean.ends_with("/")) clean.pop_back();
  if (clean.starts_with("./")) clean.erase(0, 2);
  if (!clean.empty() && clean != ".") {
    git_tree_entry* raw_entry = nullptr;
    check(git_tree_entry_bypath(&raw_entry, tree, clean.c_str()), "no " + clean + " at " + revision);
    TreeEntryPtr entry(raw_entry);
    std::vector<TreeFile> files;
    if (git_tree_entry_type(entry.get()) == GIT_OBJECT_BLOB) {
      git_blob* raw_blob = nullptr;
      check(git_blob_lookup(&raw_blob, repository.handle(), git_tree_entry_id(entry.get())), "cannot read " + clean);
      BlobPtr blob(raw_blob);
      const auto slash = clean.find_last_of('/');
      files.push_back({slash == std::string::npos ? clean : clean.substr(slash + 1),
                       std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                                   static_cast<std::size_t>(git_blob_rawsize(blob.get())))});
      return files;
    }
    git_tree* raw_sub = nullptr;
    check(git_tree_lookup(&raw_sub, repository.handle(), git_tree_entry_id(entry.get())), "cannot read " + clean);
    sub.reset(raw_sub);
    tree = sub.get();
  }
  std::vector<TreeFile> files;
  WalkState state{repository.handle(), prefix, &files};
  const int rc = git_tree_walk(tree, GIT_TREEWALK_PRE, collect, &state);
  if (state.error < 0) check(state.error, "cannot read a blob at " + revision);
  check(rc, "cannot walk the tree at " + revision);
  std::sort(files.begin(), files.end(), [](const TreeFile& a, const TreeFile& b) { return a.path < b.path; });
  return files;
}

}  // namespace hm::git

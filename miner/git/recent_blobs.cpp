#include "git/recent_blobs.hpp"

namespace hm::git {
namespace {

BlobPtr duplicate(git_blob* blob) {
  git_blob* copy = nullptr;
  check(git_blob_dup(&copy, blob), "cannot duplicate a blob handle");
  return BlobPtr(copy);
}

}  // namespace

BlobPtr RecentBlobs::get(const git_oid& id, std::string_view what) {
  std::string key(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
  if (const auto found = by_id_.find(key); found != by_id_.end()) {
    order_.splice(order_.begin(), order_, found->second);
    return duplicate(found->second->blob.get());
  }
  git_blob* raw = nullptr;
  check(git_blob_lookup(&raw, repo_.handle(), &id), what);
  BlobPtr blob(raw);
  const auto size = static_cast<std::size_t>(git_blob_rawsize(blob.get()));
  auto result = duplicate(blob.get());
  // A blob larger than the whole budget is not kept: it would only push everything else out.
  if (size > budget_) return result;
  order_.push_front(Entry{key, std::move(blob), size});
  by_id_.emplace(std::move(key), order_.begin());
  bytes_ += size;
  while (bytes_ > budget_) {
    bytes_ -= order_.back().size;
    by_id_.erase(order_.back().key);
    order_.pop_back();
  }
  return result;
}

}  // namespace hm::git

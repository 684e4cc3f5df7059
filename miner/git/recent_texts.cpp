#include "git/recent_texts.hpp"

namespace hm::git {

std::shared_ptr<const std::string> RecentTexts::find(const git_oid& id) {
  const std::lock_guard lock(mutex_);
  const auto found = by_id_.find(id);
  if (found == by_id_.end()) return nullptr;
  order_.splice(order_.begin(), order_, found->second);
  return found->second->second;
}

void RecentTexts::add(const git_oid& id, std::string_view text) {
  if (text.size() > capacity_ / 8) return;
  // Copied before the lock: the other readers need not wait for it.
  auto copy = std::make_shared<const std::string>(text);
  const std::lock_guard lock(mutex_);
  if (const auto found = by_id_.find(id); found != by_id_.end()) {
    order_.splice(order_.begin(), order_, found->second);
    return;
  }
  bytes_ += copy->size();
  order_.emplace_front(id, std::move(copy));
  by_id_.emplace(id, order_.begin());
  while (bytes_ > capacity_) {
    const auto& oldest = order_.back();
    bytes_ -= oldest.second->size();
    by_id_.erase(oldest.first);
    order_.pop_back();
  }
}

std::size_t RecentTexts::bytes() const {
  const std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t RecentTexts::size() const {
  const std::lock_guard lock(mutex_);
  return order_.size();
}

}  // namespace hm::git

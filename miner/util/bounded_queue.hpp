#pragma once
// A first-in first-out queue of bounded size between threads: a producer that gets ahead of its consumer waits
// instead of buffering without limit, which is what keeps a parallel mine's memory bounded whatever the history
// length. close() wakes everyone: producers stop (push returns false), consumers drain what is left.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <limits>
#include <mutex>
#include <optional>

namespace hm::util {

// Items can also weigh something (bytes they hold): with a weight limit, a push waits while the items queued
// weigh too much with it, unless the queue is empty (an item heavier than the limit still passes, alone).
template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity, std::size_t max_weight = std::numeric_limits<std::size_t>::max())
      : capacity_(capacity == 0 ? 1 : capacity), max_weight_(max_weight) {}

  // Waits while the queue is full; false (and `item` dropped) once the queue is closed.
  bool push(T item, std::size_t weight = 0) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return closed_ || items_.empty() || (items_.size() < capacity_ && fits(weight)); });
    if (closed_) return false;
    items_.push_back({std::move(item), weight});
    weight_ += weight;
    not_empty_.notify_one();
    return true;
  }

  // Waits for an item; std::nullopt once the queue is closed and empty.
  std::optional<T> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    std::optional<T> item(std::move(items_.front().item));
    weight_ -= items_.front().weight;
    items_.pop_front();
    // Several producers may fit now that the weight went down.
    not_full_.notify_all();
    return item;
  }

  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    not_full_.notify_all();
    not_empty_.notify_all();
  }

 private:
  // Whether `weight` fits beside the items queued (which may weigh more than the limit: see push).
  bool fits(std::size_t weight) const { return weight_ <= max_weight_ && weight <= max_weight_ - weight_; }

  struct Weighed {
    T item;
    std::size_t weight;
  };
  std::size_t capacity_;
  std::size_t max_weight_;
  std::size_t weight_ = 0;  // of the items queued
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<Weighed> items_;
  bool closed_ = false;
};

}  // namespace hm::util

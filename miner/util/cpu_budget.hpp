#pragma once
// A budget of busy threads shared by a mine's workers (`--jobs N` gives N slots): a thread that analyses holds a
// slot, and extra parser threads run only on slots nobody holds (try_acquire), so the busy threads never exceed
// the budget, while one large repository still parses on every slot the others leave idle. A counting semaphore
// whose slots can be counted (std::counting_semaphore cannot say how many are free).
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace hm::util {

class CpuBudget {
 public:
  explicit CpuBudget(std::size_t slots) : free_(slots == 0 ? 1 : slots) {}
  CpuBudget(const CpuBudget&) = delete;
  CpuBudget& operator=(const CpuBudget&) = delete;

  // Waits for a free slot.
  void acquire() {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return free_ > 0; });
    --free_;
  }

  // Takes a free slot if there is one, without waiting.
  bool try_acquire() {
    std::lock_guard lock(mutex_);
    if (free_ == 0) return false;
    --free_;
    return true;
  }

  void release() {
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    freed_.notify_one();
  }

  std::size_t available() {
    std::lock_guard lock(mutex_);
    return free_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  std::size_t free_;
};

// Holds one slot for a scope; release() gives it back early, acquire() takes one again.
class BudgetSlot {
 public:
  explicit BudgetSlot(CpuBudget& budget) : budget_(budget) { budget_.acquire(); }
  ~BudgetSlot() {
    if (held_) budget_.release();
  }
  BudgetSlot(const BudgetSlot&) = delete;
  BudgetSlot& operator=(const BudgetSlot&) = delete;

  void release() {
    if (held_) budget_.release();
    held_ = false;
  }
  void acquire() {
    if (!held_) budget_.acquire();
    held_ = true;
  }

 private:
  CpuBudget& budget_;
  bool held_ = true;
};

}  // namespace hm::util

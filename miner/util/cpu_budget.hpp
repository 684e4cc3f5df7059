#pragma once
// A budget of busy threads shared by a mine's threads (`--jobs N` gives N slots): a thread holds a slot while it
// works and gives it back while it waits (idle), and extra parser threads run only on slots nobody holds
// (acquire_unless), so the busy threads never exceed the budget, while one large repository still parses on every
// slot the others leave idle. A counting semaphore whose slots can be counted (std::counting_semaphore cannot say
// how many are free).
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace hm::util {

namespace detail {

// Runs `wait` between holder.release() and holder.acquire(), and acquires again also when `wait` throws: the
// idle() of CpuBudget and of BudgetSlot.
template <typename Holder, typename Wait>
decltype(auto) released_while(Holder& holder, Wait&& wait) {
  holder.release();
  struct Again {
    Holder& holder;
    ~Again() { holder.acquire(); }
  } again{holder};
  return std::forward<Wait>(wait)();
}

}  // namespace detail

class CpuBudget {
 public:
  explicit CpuBudget(std::size_t slots) : slots_(slots == 0 ? 1 : slots), free_(slots_) {}
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

  // Waits for a free slot and takes it (true), unless `give_up` turns true first (false): a helper thread waits
  // for idle slots only while there is work left for it. Whoever makes `give_up` true then calls wake_all().
  bool acquire_unless(const std::function<bool()>& give_up) {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return free_ > 0 || give_up(); });
    if (give_up()) return false;
    --free_;
    return true;
  }

  void release() {
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    // Every waiter: a helper that gives up must not swallow the wake-up a worker waits for.
    freed_.notify_all();
  }

  // Wakes every waiter of acquire_unless to test its `give_up` again.
  void wake_all() {
    { std::lock_guard lock(mutex_); }  // a waiter between its test and its wait sees the change or the wake-up
    freed_.notify_all();
  }

  // Runs `wait` with the caller's slot given back (waiting is not work), and holds a slot again afterwards, also
  // when `wait` throws. The caller holds a slot.
  template <typename Wait>
  decltype(auto) idle(Wait&& wait) {
    return detail::released_while(*this, std::forward<Wait>(wait));
  }

  std::size_t slots() const { return slots_; }

  std::size_t available() {
    std::lock_guard lock(mutex_);
    return free_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  const std::size_t slots_;
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
  // Runs `wait` with the slot given back, and holds it again afterwards (see CpuBudget::idle).
  template <typename Wait>
  decltype(auto) idle(Wait&& wait) {
    return detail::released_while(*this, std::forward<Wait>(wait));
  }

 private:
  CpuBudget& budget_;
  bool held_ = true;
};

// Runs task(i, state) for every i below `count`, on the calling thread (which holds a slot of `budget`) with `own`
// and on helper threads that work only on slots other stages leave idle: a helper takes a slot per task and gives
// it back after, so a stage with work gets its slot again soon. A helper makes its own state before its first task
// (make_state() returns a std::unique_ptr to it, of `own`'s type or another the task also takes); one that cannot
// leaves the tasks to the others. Tasks are taken in order; returns when all are done. Without a budget
// everything runs here.
template <typename State, typename MakeState, typename Task>
void share_tasks(CpuBudget* budget, std::size_t count, State& own, const MakeState& make_state, const Task& task) {
  using HelperState = typename decltype(make_state())::element_type;
  std::atomic<std::size_t> next{0};
  const auto none_left = [&] { return next.load() >= count; };
  std::vector<std::jthread> helpers;
  if (budget != nullptr && count > 1) {
    for (std::size_t h = 0; h + 1 < std::min(budget->slots(), count); ++h) {
      helpers.emplace_back([&] {
        std::unique_ptr<HelperState> state;
        while (budget->acquire_unless(none_left)) {
          if (!state) {
            try {
              state = make_state();
            } catch (...) {
              budget->release();
              return;
            }
          }
          if (const auto i = next++; i < count) task(i, *state);
          budget->release();
        }
      });
    }
  }
  for (std::size_t i = next++; i < count; i = next++) task(i, own);
  if (helpers.empty()) return;
  budget->wake_all();  // waiting helpers give up
  budget->idle([&] { helpers.clear(); });  // waiting for the helpers' last tasks is not work
}

}  // namespace hm::util

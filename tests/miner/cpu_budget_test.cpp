// util::CpuBudget: the busy threads of a mine (`--jobs N` slots); extra parser threads only on idle slots.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "util/cpu_budget.hpp"

using hm::util::BudgetSlot;
using hm::util::CpuBudget;

TEST_CASE("CpuBudget lends only idle slots", "[util][budget]") {
  CpuBudget budget(2);
  CHECK(budget.available() == 2);
  CHECK(budget.try_acquire());
  CHECK(budget.try_acquire());
  CHECK(budget.available() == 0);
  CHECK_FALSE(budget.try_acquire());
  budget.release();
  CHECK(budget.available() == 1);
  CHECK(budget.try_acquire());
  budget.release();
  budget.release();
  CHECK(budget.available() == 2);
}

TEST_CASE("CpuBudget of zero slots has one", "[util][budget]") {
  CpuBudget budget(0);
  CHECK(budget.try_acquire());
  CHECK_FALSE(budget.try_acquire());
  budget.release();
}

TEST_CASE("CpuBudget::acquire waits for a slot to be released", "[util][budget]") {
  CpuBudget budget(1);
  budget.acquire();
  std::atomic<bool> acquired{false};
  std::jthread waiter([&] {
    budget.acquire();
    acquired = true;
    budget.release();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK_FALSE(acquired);
  budget.release();
  waiter.join();
  CHECK(acquired);
  CHECK(budget.available() == 1);
}

TEST_CASE("BudgetSlot holds a slot for its scope, and can give it back while waiting", "[util][budget]") {
  CpuBudget budget(2);
  {
    BudgetSlot slot(budget);
    CHECK(budget.available() == 1);
    slot.release();
    CHECK(budget.available() == 2);
    slot.release();  // twice is once
    CHECK(budget.available() == 2);
    slot.acquire();
    CHECK(budget.available() == 1);
  }
  CHECK(budget.available() == 2);
}

TEST_CASE("CpuBudget never has more holders than slots", "[util][budget]") {
  CpuBudget budget(3);
  std::atomic<int> holders{0};
  std::atomic<int> most{0};
  std::vector<std::jthread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        const bool blocking = i % 2 == 0;
        if (blocking) {
          budget.acquire();
        } else if (!budget.try_acquire()) {
          continue;
        }
        const int now = ++holders;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        --holders;
        budget.release();
      }
    });
  }
  threads.clear();
  CHECK(most.load() <= 3);
  CHECK(budget.available() == 3);
}

TEST_CASE("CpuBudget::acquire_unless takes a released slot, or gives up when told", "[util][budget]") {
  CpuBudget budget(1);
  CHECK(budget.slots() == 1);
  budget.acquire();
  std::atomic<bool> done{false};
  std::atomic<int> outcome{-1};
  {
    std::jthread helper([&] { outcome = budget.acquire_unless([&] { return done.load(); }) ? 1 : 0; });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(outcome == -1);  // still waiting: no slot, not told to give up
    budget.release();
  }
  CHECK(outcome == 1);
  CHECK(budget.available() == 0);  // the helper holds it

  outcome = -1;
  {
    std::jthread helper([&] { outcome = budget.acquire_unless([&] { return done.load(); }) ? 1 : 0; });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(outcome == -1);
    done = true;
    budget.wake_all();
  }
  CHECK(outcome == 0);
  CHECK(budget.available() == 0);
  budget.release();
  CHECK(budget.available() == 1);
  CHECK_FALSE(budget.acquire_unless([] { return true; }));  // no work left: a free slot is not taken
  CHECK(budget.available() == 1);
}

TEST_CASE("idle gives the slot back while waiting and holds one again, also when the wait throws",
          "[util][budget]") {
  CpuBudget budget(2);
  {
    BudgetSlot slot(budget);
    CHECK(slot.idle([&] { return budget.available(); }) == 2);  // given back during the wait
    CHECK(budget.available() == 1);                              // held again after it
    CHECK_THROWS_AS(slot.idle([&]() -> int { throw std::runtime_error("cancelled"); }), std::runtime_error);
    CHECK(budget.available() == 1);
  }
  CHECK(budget.available() == 2);

  budget.acquire();  // a caller holding a slot without a BudgetSlot
  budget.idle([&] { CHECK(budget.available() == 2); });
  CHECK(budget.available() == 1);
  CHECK_THROWS_AS(budget.idle([]() { throw std::runtime_error("cancelled"); }), std::runtime_error);
  CHECK(budget.available() == 1);
  budget.release();
  CHECK(budget.available() == 2);
}

TEST_CASE("share_tasks runs every task once, on idle slots with the helpers' own state", "[util][budget]") {
  struct State {
    std::thread::id thread = std::this_thread::get_id();
  };
  for (const std::size_t slots : {1u, 2u, 4u}) {
    hm::util::CpuBudget budget(slots);
    hm::util::BudgetSlot mine(budget);
    State own;
    std::vector<std::atomic<int>> runs(200);
    std::atomic<int> on_helper_state{0};
    std::atomic<int> wrong_state{0};
    hm::util::share_tasks(
        &budget, runs.size(), own, [] { return std::make_unique<State>(); },
        [&](std::size_t i, State& state) {
          ++runs[i];
          if (state.thread != std::this_thread::get_id()) ++wrong_state;  // each thread its own state
          if (&state != &own) ++on_helper_state;
        });
    for (const auto& count : runs) CHECK(count.load() == 1);
    CHECK(wrong_state.load() == 0);
    if (slots == 1) CHECK(on_helper_state.load() == 0);  // no idle slot: all on the caller
    CHECK(budget.available() == slots - 1);               // the helpers gave theirs back
  }
}

TEST_CASE("share_tasks: a helper that cannot make its state leaves its tasks to the others", "[util][budget]") {
  hm::util::CpuBudget budget(3);
  hm::util::BudgetSlot mine(budget);
  int own = 0;
  std::vector<std::atomic<int>> runs(50);
  hm::util::share_tasks(
      &budget, runs.size(), own, []() -> std::unique_ptr<int> { throw std::runtime_error("no state"); },
      [&](std::size_t i, int&) { ++runs[i]; });
  for (const auto& count : runs) CHECK(count.load() == 1);
  CHECK(budget.available() == 2);
}

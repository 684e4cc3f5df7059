// util::BoundedQueue: bounded in items and, optionally, in what the items weigh (the writer's queue of analysed
// windows is bounded in the Python bytes they parsed).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "util/bounded_queue.hpp"

using hm::util::BoundedQueue;
using namespace std::chrono_literals;

namespace {

// Pushes `value` with `weight` on a thread of its own and reports whether the push has returned.
struct Pusher {
  Pusher(BoundedQueue<int>& queue, int value, std::size_t weight)
      : thread([&queue, value, weight, this] {
          pushed = queue.push(value, weight);
          done = true;
        }) {}
  ~Pusher() { finish(); }
  void finish() {
    if (thread.joinable()) thread.join();
  }
  std::atomic<bool> done{false};
  std::atomic<bool> pushed{false};
  std::thread thread;
};

}  // namespace

TEST_CASE("BoundedQueue keeps order and waits while full in items", "[util][queue]") {
  BoundedQueue<int> queue(2);
  CHECK(queue.push(1));
  CHECK(queue.push(2));
  Pusher third(queue, 3, 0);
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(third.done);  // two items queued: the third waits
  CHECK(queue.pop() == 1);
  CHECK(queue.pop() == 2);
  CHECK(queue.pop() == 3);
  third.finish();  // the pop can see the item before the pusher stores what push returned
  CHECK(third.pushed);
}

TEST_CASE("BoundedQueue waits while the queued items weigh too much, but lets a heavy item in alone",
          "[util][queue]") {
  BoundedQueue<int> queue(10, 100);
  CHECK(queue.push(1, 60));
  Pusher heavy(queue, 2, 50);  // 60 + 50 > 100: waits though only one item is queued
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(heavy.done);
  CHECK(queue.pop() == 1);  // now empty: the heavy one goes in
  CHECK(queue.pop() == 2);
  heavy.finish();
  CHECK(heavy.pushed);

  CHECK(queue.push(3, 500));  // heavier than the limit, into an empty queue: it passes
  Pusher light(queue, 4, 1);  // the queue weighs more than the limit: even a light item waits
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(light.done);
  CHECK(queue.pop() == 3);
  CHECK(queue.pop() == 4);
  light.finish();
  CHECK(light.pushed);

  CHECK(queue.push(5, 40));
  CHECK(queue.push(6, 60));  // exactly the limit
  CHECK(queue.pop() == 5);
  CHECK(queue.pop() == 6);
}

TEST_CASE("BoundedQueue close wakes a waiting producer, which drops its item; consumers drain", "[util][queue]") {
  BoundedQueue<int> queue(1, 10);
  CHECK(queue.push(1, 10));
  Pusher waiting(queue, 2, 5);
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(waiting.done);
  queue.close();
  waiting.finish();
  CHECK_FALSE(waiting.pushed);
  CHECK(queue.pop() == 1);
  CHECK_FALSE(queue.pop().has_value());
  CHECK_FALSE(queue.push(3));
}

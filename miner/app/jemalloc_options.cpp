// jemalloc's options for the hybridminer binary, read by jemalloc from this symbol at its first allocation
// (linked only where jemalloc is; MALLOC_CONF in the environment still overrides them).
//
// narenas:1 — one arena for every thread. With jemalloc's default (four arenas a core) a helper thread that
// reads diffs or parses for one window (util::share_tasks) gets an arena of its own, and jemalloc hands all of
// that arena's free pages back to the kernel when the thread exits (tcache_destroy: "force purging when no
// threads assigned to the arena anymore"); the next window's helper faults them in again. Keras mine: madvise
// calls 11,500 -> 5,700 (each a TLB shootdown on every core); with libgit2's calloc (git/handles.hpp) system time
// 4.6-5.7 s -> 2.1-2.5 s for 1.5 s more user time, peak RSS within its run-to-run spread (530-610 MB). The threads
// allocate small blocks from their thread caches, so one arena is not a point of contention: `--jobs 2` on four
// repositories stayed 1.86-1.97x `--jobs 1`.
extern "C" {
// NOLINTNEXTLINE: jemalloc looks this name up; it must be a mutable global with C linkage.
const char* malloc_conf = "narenas:1";
}

// A two-thread loop over a few large blocks of work (slabs of a grid), for serial passes whose output must come
// out in the same order as one thread would make it: each block fills its own part, and the caller joins the
// parts in block order afterwards.
#pragma once

#include "parallel.hpp"
#include "progress.hpp"

#include <atomic>
#include <cstddef>

namespace mf {

// Runs work(i) once for every i < count, on the calling thread and a helper (run_with_helper), the blocks
// taken in turn from a shared cursor. Only the calling thread checks progress (and may throw from it); the
// helper stops once the operation should end. Throws what progress.check() throws after both are done.
template <class Work> void parallel_blocks(size_t count, Progress &progress, Work work) {
    std::atomic<size_t> cursor{0};
    std::atomic<bool> failed{false};
    auto run = [&](bool calling) {
        while (!failed.load() && !progress.stop_requested()) {
            const size_t i = cursor.fetch_add(1);
            if (i >= count) break;
            work(i);
            if (calling) progress.check();
            else if (progress.poll_deadline()) break;
        }
    };
    if (count > 1) run_with_helper([&] { run(true); }, [&] { run(false); }, &failed);
    else run(true);
    progress.check();
}

} // namespace mf

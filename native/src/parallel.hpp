// A two-thread loop over independent items for the repair stages: the calling thread works too and alone
// talks to the progress callback (not at all when f1 <= f0); a helper thread polls the deadline and stops with the others.
#pragma once

#include "progress.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

namespace mf {

template <class Work>
void parallel_for(size_t count, Progress &progress, double f0, double f1, const char *stage, Work work) {
    std::atomic<size_t> cursor{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    const size_t chunk = 1024;
    auto run = [&](bool reporting) {
        while (!failed.load() && !progress.stop_requested()) {
            size_t begin = cursor.fetch_add(chunk);
            if (begin >= count) break;
            size_t end = std::min(count, begin + chunk);
            for (size_t i = begin; i < end; ++i) work(i);
            if (reporting && f1 > f0) {
                if (!progress.notify(f0 + (f1 - f0) * double(end) / double(count), stage)) break;
            } else if (progress.poll_deadline()) {
                break;
            }
        }
    };
    std::thread helper;
    if (count > 4096 && std::thread::hardware_concurrency() > 1) {
        helper = std::thread([&] {
            try {
                run(false);
            } catch (...) {
                error = std::current_exception();
                failed.store(true);
            }
        });
    }
    try {
        run(true);
    } catch (...) {
        failed.store(true);
        if (helper.joinable()) helper.join();
        throw;
    }
    if (helper.joinable()) helper.join();
    if (error) std::rethrow_exception(error);
    progress.check();
}

} // namespace mf

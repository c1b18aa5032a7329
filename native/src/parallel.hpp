// A two-thread loop over independent items for the repair stages: the calling thread works too and alone
// talks to the progress callback (not at all when f1 <= f0); a helper thread polls the deadline and stops with the others.
#pragma once

#include "progress.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>

namespace mf {

// Runs main() on the calling thread and helper() once, on a second thread where there is a second core, else on
// the calling thread after main. Only main may talk to progress. Where either throws, *stop (when given) is set so
// that the other can return early; the exception is rethrown once both are done.
// The second thread is the process's one shared helper (started once, woken for each call: a kernel call has a
// few such sections, and a thread's start cost 50 us quiet, up to a millisecond on a loaded machine). Where the
// helper has not taken helper() by the time main() is done (it has not been given a core yet), the calling thread
// takes it back and runs it itself, rather than wait. Where the helper is busy (another call, or a section nested
// in one), a thread of the section's own is started as before.
template <class Main, class Helper>
void run_with_helper(Main main, Helper helper, std::atomic<bool> *stop = nullptr);

namespace shared_helper {
// The helper's one task: run(context). offer() hands it over where the helper is free (false: it is not, the
// caller makes its own thread); take_back() is then called once, after the caller's own part: true where the
// helper had not started the task (the caller runs it itself), else it waits until the helper is done and
// returns false.
bool offer(void (*run)(void *), void *context);
bool take_back();
// Whether the process may run on more than one core (read once).
bool second_core();
} // namespace shared_helper

// The calling thread tells the callback at most this many times a loop (each time the loop passes another
// 1/kReportsPerLoop of its items), not after every chunk: the callback may be an upcall into a managed runtime,
// and a loop over a grid's points has thousands of chunks. The deadline and a stop are still polled every chunk.
inline constexpr size_t kReportsPerLoop = 64;

// Items are taken `chunk` at a time; a second thread is started only for more than `alone` items (where the
// work is worth more than the thread's start).
template <class Work>
void parallel_for(size_t count, Progress &progress, double f0, double f1, const char *stage, Work work,
                  size_t chunk = 1024, size_t alone = 4096) {
    std::atomic<size_t> cursor{0};
    std::atomic<bool> failed{false};
    auto run = [&](bool reporting) {
        size_t reported = 0; // the last 1/kReportsPerLoop step the callback was told of
        while (!failed.load() && !progress.stop_requested()) {
            size_t begin = cursor.fetch_add(chunk);
            if (begin >= count) break;
            size_t end = std::min(count, begin + chunk);
            for (size_t i = begin; i < end; ++i) work(i);
            const size_t step = reporting && f1 > f0 ? end * kReportsPerLoop / count : 0;
            if (step > reported) {
                reported = step;
                if (!progress.notify(f0 + (f1 - f0) * double(end) / double(count), stage)) break;
            } else if (progress.poll_deadline()) {
                break;
            }
        }
    };
    if (count > alone) run_with_helper([&] { run(true); }, [&] { run(false); }, &failed);
    else run(true);
    progress.check();
}

template <class Main, class Helper>
void run_with_helper(Main main, Helper helper, std::atomic<bool> *stop) {
    if (!shared_helper::second_core()) {
        main();
        helper();
        return;
    }
    std::exception_ptr error;
    auto guarded = [&] {
        try {
            helper();
        } catch (...) {
            error = std::current_exception();
            if (stop) stop->store(true);
        }
    };
    using Guarded = decltype(guarded);
    std::thread thread;
    const bool shared = shared_helper::offer([](void *g) { (*static_cast<Guarded *>(g))(); }, &guarded);
    if (!shared) thread = std::thread(guarded);
    try {
        main();
    } catch (...) {
        if (stop) stop->store(true);
        if (shared) shared_helper::take_back(); // helper() is not run where the helper had not begun it
        else thread.join();
        throw;
    }
    if (!shared) thread.join();
    else if (shared_helper::take_back()) helper(); // its exception, if any, goes straight to the caller
    if (error) std::rethrow_exception(error);
}

} // namespace mf

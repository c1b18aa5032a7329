// The process's shared helper thread for run_with_helper (parallel.hpp): started on first use and never ended
// (its state is never freed, so that the process's exit need not wait for it), woken once a section.
#include "parallel.hpp"

#include <atomic>
#include <cstdint>
#include <thread>

namespace mf::shared_helper {
namespace {

// A task's phase. Offered: the helper may take it; Taken: the helper runs it; Done: the helper has finished it;
// Withdrawn: the caller took it back before the helper began. Only the caller holding `busy` offers a task,
// and it gives `busy` up only once the task is Done or Withdrawn, so the task's fields are not rewritten while
// the helper may read them.
enum Phase : uint32_t { Idle, Offered, Taken, Done, Withdrawn };

struct Helper {
    std::atomic<bool> busy{false};
    std::atomic<uint32_t> phase{Idle};
    std::atomic<uint32_t> offers{0}; // counts offers; the helper sleeps on it
    void (*run)(void *) = nullptr;
    void *context = nullptr;

    void serve() {
        uint32_t seen = 0;
        for (;;) {
            offers.wait(seen, std::memory_order_acquire);
            seen = offers.load(std::memory_order_acquire);
            uint32_t expected = Offered;
            // A late wake may find the task withdrawn (the caller ran it) or a newer one offered: the exchange
            // succeeds only for a task still offered, and the fields read after it are that task's.
            if (!phase.compare_exchange_strong(expected, Taken, std::memory_order_acq_rel)) continue;
            run(context); // run_with_helper's wrapper catches what helper() throws
            phase.store(Done, std::memory_order_release);
            phase.notify_one();
        }
    }
};

Helper &helper() {
    static Helper *const shared = [] {
        auto *h = new Helper;
        std::thread([h] { h->serve(); }).detach();
        return h;
    }();
    return *shared;
}

} // namespace

bool offer(void (*run)(void *), void *context) {
    Helper &h = helper();
    if (h.busy.exchange(true, std::memory_order_acquire)) return false;
    h.run = run, h.context = context;
    h.phase.store(Offered, std::memory_order_release);
    h.offers.fetch_add(1, std::memory_order_release);
    h.offers.notify_one();
    return true;
}

bool take_back() {
    Helper &h = helper();
    uint32_t expected = Offered;
    const bool withdrawn = h.phase.compare_exchange_strong(expected, Withdrawn, std::memory_order_acq_rel);
    if (!withdrawn)
        for (uint32_t now = h.phase.load(std::memory_order_acquire); now != Done;
             now = h.phase.load(std::memory_order_acquire))
            h.phase.wait(now, std::memory_order_acquire);
    h.busy.store(false, std::memory_order_release);
    return withdrawn;
}

bool second_core() {
    static const bool more = std::thread::hardware_concurrency() > 1;
    return more;
}

} // namespace mf::shared_helper

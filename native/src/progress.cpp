// Progress callback, cancel and deadline handling shared by the long kernel operations.
#include "progress.hpp"

#include "kernel_error.hpp"

#include <cstdarg>
#include <cstdio>

namespace mf {

Progress::Progress(mf_progress_fn fn, void *user, double time_limit_seconds)
    : fn_(fn), user_(user), has_deadline_(time_limit_seconds > 0), time_limit_seconds_(time_limit_seconds) {
    if (has_deadline_) {
        // Clamp absurd limits so that the time_point arithmetic cannot overflow.
        double seconds = time_limit_seconds > 1e9 ? 1e9 : time_limit_seconds;
        deadline_ = std::chrono::steady_clock::now() +
                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                        std::chrono::duration<double>(seconds));
    }
}

Progress::Progress(Silent, const Progress &parent)
    : fn_(nullptr), user_(nullptr), has_deadline_(parent.has_deadline_), deadline_(parent.deadline_),
      time_limit_seconds_(parent.time_limit_seconds_) {}

bool Progress::poll_deadline() {
    if (has_deadline_ && std::chrono::steady_clock::now() >= deadline_) {
        int expected = 0;
        reason_.compare_exchange_strong(expected, MF_ERR_LIMIT);
        stop_.store(true, std::memory_order_relaxed);
    }
    return stop_requested();
}

void Progress::check() {
    if (poll_deadline()) throw_stop();
}

bool Progress::notify(double fraction, const char *stage) {
    if (poll_deadline()) return false;
    if (fn_ != nullptr && fn_(user_, fraction, stage) != 0) {
        int expected = 0;
        reason_.compare_exchange_strong(expected, MF_ERR_CANCELLED);
        stop_.store(true, std::memory_order_relaxed);
    }
    return !stop_requested();
}

void Progress::report(double fraction, const char *stage) {
    if (!notify(fraction, stage)) throw_stop();
}

void Progress::log(const char *format, ...) {
    if (log_fn_ == nullptr) return;
    char line[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(line, sizeof line, format, args);
    va_end(args);
    log_fn_(log_user_, line);
}

void Progress::throw_stop() {
    if (reason_.load() == MF_ERR_CANCELLED)
        throw KernelError(MF_ERR_CANCELLED, "The operation was cancelled by the progress callback.");
    char message[160];
    std::snprintf(message, sizeof message, "The operation exceeded its time limit of %g seconds.",
                  time_limit_seconds_);
    throw KernelError(MF_ERR_LIMIT, message);
}

} // namespace mf

// Coarse progress reporting, cancellation, the time limit and the diagnostic log of one long kernel operation.
// Only the calling thread talks to the callbacks (they may be Java upcalls); worker threads poll stop().
#pragma once

#include <meshforge/kernel.h>

#include <atomic>
#include <chrono>

namespace mf {

class Progress {
public:
    Progress(mf_progress_fn fn, void *user, double time_limit_seconds);
    // No callback, parent's deadline: for a nested operation (an inspect inside repair) whose stages the
    // caller does not report but whose time counts against the caller's limit.
    struct Silent {};
    Progress(Silent, const Progress &parent);

    // Where log() lines go; without one (the default) they are not even formatted.
    void set_log(mf_log_fn fn, void *user) {
        log_fn_ = fn;
        log_user_ = user;
    }
    bool logging() const { return log_fn_ != nullptr; }
    // One printf-formatted diagnostic line to the log callback, from the calling thread only.
    void log(const char *format, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 2, 3)))
#endif
        ;

    // Reports fraction/stage and throws KernelError (MF_ERR_CANCELLED or MF_ERR_LIMIT) when asked to stop.
    void report(double fraction, const char *stage);
    // The same without throwing, for a thread that must first join its workers: false means stop.
    bool notify(double fraction, const char *stage);
    // Cheap check for inner loops on the calling thread: throws on an exceeded time limit or a stop
    // requested elsewhere; never calls the callback.
    void check();
    // For worker threads: true once the operation should end early (the caller then throws via check()).
    bool stop_requested() const { return stop_.load(std::memory_order_relaxed); }
    // Lets a worker poll the clock; returns stop_requested() afterwards.
    bool poll_deadline();

private:
    [[noreturn]] void throw_stop();

    mf_progress_fn fn_;
    void *user_;
    mf_log_fn log_fn_ = nullptr;
    void *log_user_ = nullptr;
    bool has_deadline_;
    std::chrono::steady_clock::time_point deadline_;
    double time_limit_seconds_;
    std::atomic<bool> stop_{false};
    std::atomic<int> reason_{0}; // 0 none, MF_ERR_CANCELLED or MF_ERR_LIMIT
};

} // namespace mf

// The one exception type the kernel throws internally; guarded() in boundary.hpp turns it into an mf_status
// and a sentence.
#pragma once

#include <meshforge/kernel.h>

#include <stdexcept>
#include <string>

namespace mf {

struct KernelError : std::runtime_error {
    mf_status code;
    KernelError(mf_status code_, const std::string &message) : std::runtime_error(message), code(code_) {}
};

// Fills *error (when not null) with the code and a printf-formatted sentence; returns the code. Used by the
// extern "C" entry points to refuse arguments before any work.
int32_t fail(mf_error *error, mf_status code, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

} // namespace mf

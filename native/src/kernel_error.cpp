// Errors as data at the C boundary: one formatted sentence into the caller's mf_error.
#include "kernel_error.hpp"

#include <cstdarg>
#include <cstdio>

namespace mf {

int32_t fail(mf_error *error, mf_status code, const char *format, ...) {
    if (error != nullptr) {
        error->code = code;
        va_list args;
        va_start(args, format);
        std::vsnprintf(error->message, sizeof error->message, format, args);
        va_end(args);
    }
    return code;
}

} // namespace mf

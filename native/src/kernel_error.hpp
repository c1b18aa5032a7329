// The one exception type the kernel throws internally; api.cpp turns it into an mf_status and a sentence.
#pragma once

#include <meshforge/kernel.h>

#include <stdexcept>
#include <string>

namespace mf {

struct KernelError : std::runtime_error {
    mf_status code;
    KernelError(mf_status code_, const std::string &message) : std::runtime_error(message), code(code_) {}
};

} // namespace mf

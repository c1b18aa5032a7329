// The checks every harness applies to what an entry point returned; a breach aborts, which libFuzzer records
// as a crash with the input that caused it.
#include "fuzz_input.hpp"

#include <cstdio>
#include <cstdlib>

namespace mf_fuzz {

[[noreturn]] static void breach(const char *entry, const char *what, const char *detail) {
    std::fprintf(stderr, "%s: %s%s%s\n", entry, what, detail[0] ? ": " : "", detail);
    std::abort();
}

void check_status(int32_t status, const mf_error &error, const char *entry) {
    if (status < MF_OK || status > MF_ERR_INTERNAL) breach(entry, "returned an unknown status", "");
    if (error.code != status) breach(entry, "left error.code unlike its status", error.message);
    if (std::memchr(error.message, 0, sizeof error.message) == nullptr)
        breach(entry, "left error.message unterminated", "");
    if (status == MF_OK) {
        if (error.message[0] != 0) breach(entry, "succeeded with a message", error.message);
        return;
    }
    if (error.message[0] == 0) breach(entry, "failed without a sentence", "");
    if (status == MF_ERR_INTERNAL) breach(entry, "reported an internal error", error.message);
}

void check_result_mesh(const float *positions, uint64_t vertex_count, const uint32_t *indices,
                       uint64_t triangle_count, const char *entry) {
    if ((vertex_count > 0 && positions == nullptr) || (triangle_count > 0 && indices == nullptr))
        breach(entry, "returned counts without buffers", "");
    for (uint64_t i = 0; i < 3 * vertex_count; ++i)
        if (!std::isfinite(positions[i])) breach(entry, "returned a coordinate that is not finite", "");
    for (uint64_t i = 0; i < 3 * triangle_count; ++i)
        if (indices[i] >= vertex_count) breach(entry, "returned an index beyond its vertices", "");
}

} // namespace mf_fuzz

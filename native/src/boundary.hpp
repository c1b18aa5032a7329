// The C boundary every mf_ entry point goes through: one mesh validator with the limits of kernel.h and one
// wall that turns every C++ exception into an mf_status and one sentence, so that nothing unwinds into C.
#pragma once

#include "kernel_error.hpp"
#include "mesh_view.hpp"

#include <meshforge/kernel.h>

#include <cstring>
#include <exception>
#include <new>

namespace mf {

// Empties *error (when not null) so that a successful call leaves no stale message.
void clear_error(mf_error *error);

// Checks *mesh against the limits of kernel.h (null buffers, position type and stride, counts, index range,
// finite and float-range coordinates, attribute count, stride and finiteness) and fills view. `argument`
// names the mesh in the sentence ("mesh", "a", "b"). Returns MF_OK or the code with *error filled.
int32_t validate_mesh(const mf_mesh *mesh, const char *argument, MeshView &view, mf_error *error);

// Refuses an options struct whose size field is not the size this kernel was built with.
int32_t check_options_size(uint32_t size, uint32_t expected, const char *type, mf_error *error);

// Refuses a NaN or negative time limit (0 means none).
int32_t check_time_limit(double seconds, mf_error *error);

// Refuses an estimate beyond max_memory_bytes (0 means no limit) with MF_ERR_OUT_OF_MEMORY.
int32_t check_memory(uint64_t needed, uint64_t max_memory_bytes, const char *doing, mf_error *error);

// Refuses a null *out (the report or result an entry point fills) or zeroes it, so that nothing stale is
// read after an error. `what` names it in the sentence ("report", "result").
template <class Out>
int32_t zero_output(Out *out, const char *entry, const char *what, mf_error *error) {
    if (out == nullptr) return fail(error, MF_ERR_INVALID_ARGUMENT, "%s needs a %s to fill, got null.", entry, what);
    std::memset(out, 0, sizeof *out);
    return MF_OK;
}

// An on_error for guarded(): zeroes *out where the caller gave one, so that a failed call leaves no half
// answer behind.
template <class Out>
auto zeroing(Out *out) {
    return [out] {
        if (out != nullptr) std::memset(out, 0, sizeof *out);
    };
}

// Points options at zeroed defaults (their size set) where the caller passed null, then checks the fields
// every options struct opens with: its size, then its time limit. `type` names the struct in the sentence.
template <class Options>
int32_t take_options(const Options *&options, Options &defaults, const char *type, mf_error *error) {
    defaults = Options{};
    defaults.size = sizeof(Options);
    if (options == nullptr) options = &defaults;
    if (int32_t s = check_options_size(options->size, sizeof(Options), type, error); s != MF_OK) return s;
    return check_time_limit(options->time_limit_seconds, error);
}

// Runs body() and turns whatever it throws into a status and a sentence naming the entry point; on_error()
// runs first, so that the entry point can free and zero what it had filled.
template <class Body, class Cleanup>
int32_t guarded(const char *entry, mf_error *error, Body &&body, Cleanup &&on_error) {
    clear_error(error);
    try {
        return body();
    } catch (const KernelError &e) {
        on_error();
        return fail(error, e.code, "%s", e.what());
    } catch (const std::bad_alloc &) {
        on_error();
        return fail(error, MF_ERR_OUT_OF_MEMORY, "The kernel ran out of memory in %s.", entry);
    } catch (const std::exception &e) {
        on_error();
        return fail(error, MF_ERR_INTERNAL, "Internal error in %s: %s.", entry, e.what());
    } catch (...) {
        on_error();
        return fail(error, MF_ERR_INTERNAL, "Internal error in %s: an unknown exception.", entry);
    }
}

} // namespace mf

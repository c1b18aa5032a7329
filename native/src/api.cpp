// The extern "C" entry points of inspection and the library itself: mf_abi_version, mf_version, mf_inspect,
// mf_free. Each goes through boundary.hpp: the one mesh validator, then the one exception wall.
#include <meshforge/kernel.h>

#include "boundary.hpp"
#include "inspect.hpp"
#include "progress.hpp"

#include <cstdlib>
#include <cstring>

#ifndef MF_VERSION_STRING
#define MF_VERSION_STRING "0.0.0-unknown"
#endif

extern "C" {

MF_API int32_t mf_abi_version(void) { return MF_ABI_VERSION; }

MF_API const char *mf_version(void) { return MF_VERSION_STRING; }

MF_API void mf_free(void *buffer) { std::free(buffer); }

MF_API int32_t mf_inspect(const mf_mesh *mesh, const mf_inspect_options *options, mf_inspect_report *report,
                          mf_error *error) {
    return mf::guarded("mf_inspect", error, [&]() -> int32_t {
        if (int32_t s = mf::zero_output(report, "mf_inspect", "report", error); s != MF_OK) return s;
        mf_inspect_options defaults;
        if (int32_t s = mf::take_options(options, defaults, "mf_inspect_options", error); s != MF_OK) return s;
        mf::MeshView view;
        if (int32_t s = mf::validate_mesh(mesh, "mesh", view, error); s != MF_OK) return s;

        mf::InspectSettings settings;
        settings.find_intersections = (options->flags & MF_INSPECT_SKIP_INTERSECTIONS) == 0;
        if (int32_t s = mf::check_memory(mf::inspect_memory_bytes(view, settings), options->max_memory_bytes,
                                         "Inspecting this mesh", error);
            s != MF_OK)
            return s;
        mf::Progress progress(options->progress, options->progress_user, options->time_limit_seconds);
        mf::inspect(view, settings, progress, *report);
        return MF_OK;
    }, mf::zeroing(report));
}

} // extern "C"

// The extern "C" entry points: argument checks, the memory estimate, and the wall that turns every C++
// exception into an mf_status with one sentence, so that nothing unwinds into the caller.
#include <meshforge/kernel.h>

#include "inspect.hpp"
#include "kernel_error.hpp"
#include "mesh_view.hpp"
#include "progress.hpp"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <new>

#ifndef MF_VERSION_STRING
#define MF_VERSION_STRING "0.0.0-unknown"
#endif

namespace {

using mf::fail;

double megabytes(uint64_t bytes) { return double(bytes) / (1024.0 * 1024.0); }

// Checks everything the algorithms take for granted; returns MF_OK or the error already written.
int32_t check_mesh(const mf_mesh *mesh, mf::MeshView &view, mf_error *error) {
    if (mesh->vertex_count > 0 && mesh->positions == nullptr)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "mesh.positions is null but mesh.vertex_count is %llu.",
                    (unsigned long long)mesh->vertex_count);
    if (mesh->triangle_count > 0 && mesh->indices == nullptr)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "mesh.indices is null but mesh.triangle_count is %llu.",
                    (unsigned long long)mesh->triangle_count);
    if (mesh->position_type != MF_POSITIONS_FLOAT32 && mesh->position_type != MF_POSITIONS_FLOAT64)
        return fail(error, MF_ERR_INVALID_ARGUMENT,
                    "mesh.position_type is %u, neither MF_POSITIONS_FLOAT32 (0) nor MF_POSITIONS_FLOAT64 (1).",
                    mesh->position_type);
    const bool float64 = mesh->position_type == MF_POSITIONS_FLOAT64;
    const uint32_t record = float64 ? 24 : 12;
    uint32_t stride = mesh->position_stride == 0 ? record : mesh->position_stride;
    if (stride < record)
        return fail(error, MF_ERR_INVALID_ARGUMENT,
                    "mesh.position_stride is %u bytes, less than the %u bytes of one position.", stride, record);
    if (mesh->vertex_count > 0xFFFFFFFFull)
        return fail(error, MF_ERR_LIMIT, "The mesh has %llu vertices, more than the 4294967295 the kernel supports.",
                    (unsigned long long)mesh->vertex_count);
    if (mesh->triangle_count > 0xFFFFFFFFull)
        return fail(error, MF_ERR_LIMIT,
                    "The mesh has %llu triangles, more than the 4294967295 the kernel supports.",
                    (unsigned long long)mesh->triangle_count);

    view.positions = reinterpret_cast<const unsigned char *>(mesh->positions);
    view.vertex_count = mesh->vertex_count;
    view.stride = stride;
    view.float64 = float64;
    view.indices = mesh->indices;
    view.triangle_count = mesh->triangle_count;

    for (uint64_t t = 0; t < view.triangle_count; ++t)
        for (int k = 0; k < 3; ++k) {
            uint32_t index = view.indices[3 * t + k];
            if (index >= view.vertex_count)
                return fail(error, MF_ERR_INVALID_ARGUMENT,
                            "Triangle %llu refers to vertex %u, but the mesh has only %llu vertices.",
                            (unsigned long long)t, index, (unsigned long long)view.vertex_count);
        }
    for (uint64_t v = 0; v < view.vertex_count; ++v) {
        mf::Vec3d p = view.position(v);
        if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z))
            return fail(error, MF_ERR_INVALID_ARGUMENT, "Vertex %llu has a non-finite coordinate (%g, %g, %g).",
                        (unsigned long long)v, p.x, p.y, p.z);
        // Doubles beyond the float range would overflow the float boxes of the intersection search
        // and the exact predicates' headroom; no real model needs them.
        if (float64 && (std::fabs(p.x) > FLT_MAX || std::fabs(p.y) > FLT_MAX || std::fabs(p.z) > FLT_MAX))
            return fail(error, MF_ERR_INVALID_ARGUMENT,
                        "Vertex %llu has a coordinate beyond the supported range of +-3.4e38 (%g, %g, %g).",
                        (unsigned long long)v, p.x, p.y, p.z);
    }
    return MF_OK;
}

} // namespace

extern "C" {

MF_API int32_t mf_abi_version(void) { return MF_ABI_VERSION; }

MF_API const char *mf_version(void) { return MF_VERSION_STRING; }

MF_API int32_t mf_inspect(const mf_mesh *mesh, const mf_inspect_options *options, mf_inspect_report *report,
                          mf_error *error) {
    if (error != nullptr) {
        error->code = MF_OK;
        error->message[0] = '\0';
    }
    try {
        if (report == nullptr) return fail(error, MF_ERR_INVALID_ARGUMENT, "mf_inspect needs a report to fill, got null.");
        std::memset(report, 0, sizeof *report);
        if (mesh == nullptr) return fail(error, MF_ERR_INVALID_ARGUMENT, "mf_inspect needs a mesh, got null.");
        mf_inspect_options defaults{};
        defaults.size = sizeof defaults;
        if (options == nullptr) options = &defaults;
        if (options->size != sizeof(mf_inspect_options))
            return fail(error, MF_ERR_INVALID_ARGUMENT,
                        "options.size is %u, but this kernel expects sizeof(mf_inspect_options) = %u.",
                        options->size, unsigned(sizeof(mf_inspect_options)));
        if (std::isnan(options->time_limit_seconds) || options->time_limit_seconds < 0)
            return fail(error, MF_ERR_INVALID_ARGUMENT,
                        "options.time_limit_seconds must be 0 (no limit) or positive, got %g.",
                        options->time_limit_seconds);

        mf::MeshView view;
        if (int32_t status = check_mesh(mesh, view, error); status != MF_OK) return status;

        mf::InspectSettings settings;
        settings.find_intersections = (options->flags & MF_INSPECT_SKIP_INTERSECTIONS) == 0;
        if (options->max_memory_bytes != 0) {
            uint64_t needed = mf::inspect_memory_bytes(view, settings);
            if (needed > options->max_memory_bytes)
                return fail(error, MF_ERR_OUT_OF_MEMORY,
                            "Inspecting this mesh needs about %.1f MB, more than options.max_memory_bytes allows "
                            "(%.1f MB).",
                            megabytes(needed), megabytes(options->max_memory_bytes));
        }

        mf::Progress progress(options->progress, options->progress_user, options->time_limit_seconds);
        mf::inspect(view, settings, progress, *report);
        return MF_OK;
    } catch (const mf::KernelError &e) {
        if (report != nullptr) std::memset(report, 0, sizeof *report);
        return fail(error, e.code, "%s", e.what());
    } catch (const std::bad_alloc &) {
        if (report != nullptr) std::memset(report, 0, sizeof *report);
        return fail(error, MF_ERR_OUT_OF_MEMORY, "The kernel ran out of memory while inspecting the mesh.");
    } catch (const std::exception &e) {
        if (report != nullptr) std::memset(report, 0, sizeof *report);
        return fail(error, MF_ERR_INTERNAL, "Internal error in mf_inspect: %s.", e.what());
    } catch (...) {
        if (report != nullptr) std::memset(report, 0, sizeof *report);
        return fail(error, MF_ERR_INTERNAL, "Internal error in mf_inspect: an unknown exception.");
    }
}

} // extern "C"

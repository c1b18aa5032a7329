// The extern "C" entry points of repair (ABI 2): mf_repair, mf_hausdorff, mf_free. Same wall as api.cpp:
// arguments checked up front, every C++ exception turned into an mf_status and one sentence.
#include <meshforge/kernel.h>

#include "kernel_error.hpp"
#include "mesh_view.hpp"
#include "progress.hpp"
#include "repair.hpp"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

namespace {

using mf::fail;

void clear(mf_error *error) {
    if (error != nullptr) {
        error->code = MF_OK;
        error->message[0] = '\0';
    }
}

// The checks of api.cpp's check_mesh (kept separate so that the inspect files stay untouched).
int32_t view_of(const mf_mesh *mesh, const char *name, mf::MeshView &view, mf_error *error) {
    if (mesh == nullptr) return fail(error, MF_ERR_INVALID_ARGUMENT, "%s needs a mesh, got null.", name);
    if (mesh->vertex_count > 0 && mesh->positions == nullptr)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "mesh.positions is null but mesh.vertex_count is %llu.",
                    (unsigned long long)mesh->vertex_count);
    if (mesh->triangle_count > 0 && mesh->indices == nullptr)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "mesh.indices is null but mesh.triangle_count is %llu.",
                    (unsigned long long)mesh->triangle_count);
    if (mesh->position_type != MF_POSITIONS_FLOAT32 && mesh->position_type != MF_POSITIONS_FLOAT64)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "mesh.position_type is %u, neither float32 (0) nor float64 (1).",
                    mesh->position_type);
    const bool float64 = mesh->position_type == MF_POSITIONS_FLOAT64;
    const uint32_t record = float64 ? 24 : 12;
    const uint32_t stride = mesh->position_stride == 0 ? record : mesh->position_stride;
    if (stride < record)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "mesh.position_stride is %u bytes, less than one position (%u).",
                    stride, record);
    if (mesh->vertex_count > 0xFFFFFFFFull || mesh->triangle_count > 0x55555555ull)
        return fail(error, MF_ERR_LIMIT, "The mesh is larger than the kernel supports (%llu vertices, %llu triangles).",
                    (unsigned long long)mesh->vertex_count, (unsigned long long)mesh->triangle_count);
    view.positions = reinterpret_cast<const unsigned char *>(mesh->positions);
    view.vertex_count = mesh->vertex_count;
    view.stride = stride;
    view.float64 = float64;
    view.indices = mesh->indices;
    view.triangle_count = mesh->triangle_count;
    for (uint64_t i = 0; i < 3 * view.triangle_count; ++i)
        if (view.indices[i] >= view.vertex_count)
            return fail(error, MF_ERR_INVALID_ARGUMENT, "Triangle %llu refers to vertex %u, but the mesh has only %llu vertices.",
                        (unsigned long long)(i / 3), view.indices[i], (unsigned long long)view.vertex_count);
    for (uint64_t v = 0; v < view.vertex_count; ++v) {
        mf::Vec3d p = view.position(v);
        if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z) || std::fabs(p.x) > FLT_MAX ||
            std::fabs(p.y) > FLT_MAX || std::fabs(p.z) > FLT_MAX)
            return fail(error, MF_ERR_INVALID_ARGUMENT, "Vertex %llu has a non-finite or out-of-range coordinate (%g, %g, %g).",
                        (unsigned long long)v, p.x, p.y, p.z);
    }
    return MF_OK;
}

template <class T>
T *copy_out(const T *data, size_t count) {
    if (count == 0) return nullptr;
    T *out = static_cast<T *>(std::malloc(count * sizeof(T)));
    if (out == nullptr) throw std::bad_alloc();
    std::memcpy(out, data, count * sizeof(T));
    return out;
}

template <class Body>
int32_t guarded(const char *name, mf_error *error, Body body, void (*on_error)()) {
    try {
        return body();
    } catch (const mf::KernelError &e) {
        on_error();
        return fail(error, e.code, "%s", e.what());
    } catch (const std::bad_alloc &) {
        on_error();
        return fail(error, MF_ERR_OUT_OF_MEMORY, "The kernel ran out of memory in %s.", name);
    } catch (const std::exception &e) {
        on_error();
        return fail(error, MF_ERR_INTERNAL, "Internal error in %s: %s.", name, e.what());
    } catch (...) {
        on_error();
        return fail(error, MF_ERR_INTERNAL, "Internal error in %s: an unknown exception.", name);
    }
}

void release(mf_repair_result *r) {
    if (r == nullptr) return;
    std::free(r->positions);
    std::free(r->indices);
    std::free(r->attributes);
    std::memset(r, 0, sizeof *r);
}

thread_local mf_repair_result *current_result = nullptr;

} // namespace

extern "C" {

MF_API void mf_free(void *buffer) { std::free(buffer); }

MF_API int32_t mf_repair(const mf_mesh *mesh, const mf_repair_options *options, mf_repair_result *result,
                         mf_error *error) {
    clear(error);
    if (result == nullptr) return fail(error, MF_ERR_INVALID_ARGUMENT, "mf_repair needs a result to fill, got null.");
    std::memset(result, 0, sizeof *result);
    current_result = result;
    return guarded("mf_repair", error, [&]() -> int32_t {
        mf_repair_options defaults{};
        defaults.size = sizeof defaults;
        if (options == nullptr) options = &defaults;
        if (options->size != sizeof(mf_repair_options))
            return fail(error, MF_ERR_INVALID_ARGUMENT,
                        "options.size is %u, but this kernel expects sizeof(mf_repair_options) = %u.", options->size,
                        unsigned(sizeof(mf_repair_options)));
        if (std::isnan(options->time_limit_seconds) || options->time_limit_seconds < 0)
            return fail(error, MF_ERR_INVALID_ARGUMENT, "options.time_limit_seconds must be 0 or positive, got %g.",
                        options->time_limit_seconds);
        if (options->quality < MF_QUALITY_DEFAULT || options->quality > MF_QUALITY_MAX)
            return fail(error, MF_ERR_INVALID_ARGUMENT, "options.quality is %d, not one of MF_QUALITY_*.", options->quality);
        if (options->resolution > 2000)
            return fail(error, MF_ERR_INVALID_ARGUMENT, "options.resolution is %u; at most 2000 cells are supported.",
                        options->resolution);
        if (std::isnan(options->weld_tolerance) || options->weld_tolerance > 0.01)
            return fail(error, MF_ERR_INVALID_ARGUMENT, "options.weld_tolerance must be at most 0.01 of the diagonal, got %g.",
                        options->weld_tolerance);
        if (options->attribute_count > 64 || (options->attribute_count > 0 && options->attributes == nullptr))
            return fail(error, MF_ERR_INVALID_ARGUMENT, "options.attributes must hold 1..64 floats a vertex when given.");
        const uint32_t attribute_stride =
            options->attribute_stride == 0 ? 4 * options->attribute_count : options->attribute_stride;
        if (attribute_stride < 4 * options->attribute_count)
            return fail(error, MF_ERR_INVALID_ARGUMENT, "options.attribute_stride (%u) is less than %u floats.",
                        attribute_stride, options->attribute_count);
        mf::MeshView view;
        if (int32_t status = view_of(mesh, "mf_repair", view, error); status != MF_OK) return status;
        for (uint64_t v = 0; v < view.vertex_count && options->attribute_count > 0; ++v)
            for (uint32_t k = 0; k < options->attribute_count; ++k) {
                float a;
                std::memcpy(&a, reinterpret_cast<const unsigned char *>(options->attributes) + v * attribute_stride + 4 * k, 4);
                if (!std::isfinite(a))
                    return fail(error, MF_ERR_INVALID_ARGUMENT, "Attribute %u of vertex %llu is not finite.", k,
                                (unsigned long long)v);
            }

        mf::RepairSettings settings;
        settings.flags = options->flags;
        settings.resolution = options->resolution ? options->resolution
                              : options->quality == MF_QUALITY_LOW ? 100u
                              : options->quality == MF_QUALITY_MAX ? 320u
                                                                   : 200u;
        settings.target_triangles = options->target_triangles;
        settings.weld_tolerance = options->weld_tolerance == 0 ? 1e-6 : options->weld_tolerance;
        settings.attributes = reinterpret_cast<const unsigned char *>(options->attributes);
        settings.attribute_count = options->attribute_count;
        settings.attribute_stride = attribute_stride;
        if (options->max_memory_bytes != 0) {
            uint64_t r = settings.resolution + 6;
            // A grid point: its field value and band mark, and the region walk's order and seen mark.
            uint64_t needed = r * r * r * 10 + view.triangle_count * 400 + view.vertex_count * 64;
            if (needed > options->max_memory_bytes)
                return fail(error, MF_ERR_OUT_OF_MEMORY,
                            "Repairing this mesh may need about %.1f MB, more than options.max_memory_bytes allows.",
                            double(needed) / 1048576.0);
        }

        mf::Progress progress(options->progress, options->progress_user, options->time_limit_seconds);
        mf::RepairOutcome outcome;
        mf::repair(view, settings, progress, outcome);

        result->stage = outcome.stage;
        result->before = outcome.before;
        result->after = outcome.after;
        if (outcome.stage != MF_REPAIR_UNCHANGED) {
            const mf::RepairMesh &m = outcome.mesh;
            std::vector<float> xyz(3 * m.positions.size());
            for (size_t v = 0; v < m.positions.size(); ++v) {
                xyz[3 * v] = float(m.positions[v].x);
                xyz[3 * v + 1] = float(m.positions[v].y);
                xyz[3 * v + 2] = float(m.positions[v].z);
            }
            result->positions = copy_out(xyz.data(), xyz.size());
            result->vertex_count = m.positions.size();
            result->indices = copy_out(m.tris.data(), m.tris.size());
            result->triangle_count = m.tris.size() / 3;
            result->attributes = copy_out(m.attributes.data(), m.attributes.size());
            result->attribute_count = m.attribute_count;
        }
        result->vertices_welded = outcome.counters.vertices_welded;
        result->faces_removed = outcome.counters.faces_removed;
        result->faces_flipped = outcome.counters.faces_flipped;
        result->holes_filled = outcome.counters.holes_filled;
        result->hole_triangles = outcome.counters.hole_triangles;
        result->small_parts_removed = outcome.counters.small_parts_removed;
        result->parts_merged = outcome.parts_merged;
        result->resolution = outcome.resolution;
        result->simplified = outcome.simplified ? 1 : 0;
        result->hausdorff_out_in = outcome.hausdorff_out_in;
        result->hausdorff_in_out = outcome.hausdorff_in_out;
        result->hausdorff_out_in_patched = outcome.hausdorff_out_in_patched;
        return MF_OK;
    }, [] { release(current_result); });
}

MF_API int32_t mf_hausdorff(const mf_mesh *a, const mf_mesh *b, const mf_hausdorff_options *options,
                            mf_hausdorff_report *report, mf_error *error) {
    clear(error);
    if (report == nullptr) return fail(error, MF_ERR_INVALID_ARGUMENT, "mf_hausdorff needs a report to fill, got null.");
    std::memset(report, 0, sizeof *report);
    return guarded("mf_hausdorff", error, [&]() -> int32_t {
        mf_hausdorff_options defaults{};
        defaults.size = sizeof defaults;
        if (options == nullptr) options = &defaults;
        if (options->size != sizeof(mf_hausdorff_options))
            return fail(error, MF_ERR_INVALID_ARGUMENT,
                        "options.size is %u, but this kernel expects sizeof(mf_hausdorff_options) = %u.", options->size,
                        unsigned(sizeof(mf_hausdorff_options)));
        mf::MeshView va, vb;
        if (int32_t s = view_of(a, "mf_hausdorff", va, error); s != MF_OK) return s;
        if (int32_t s = view_of(b, "mf_hausdorff", vb, error); s != MF_OK) return s;
        auto load = [](const mf::MeshView &v, std::vector<mf::Vec3d> &pos, std::vector<uint32_t> &tris) {
            pos.resize(v.vertex_count);
            for (uint64_t i = 0; i < v.vertex_count; ++i) pos[i] = v.position(i);
            tris.assign(v.indices, v.indices + 3 * v.triangle_count);
        };
        std::vector<mf::Vec3d> pa, pb;
        std::vector<uint32_t> ta, tb;
        load(va, pa, ta);
        load(vb, pb, tb);
        if (ta.empty() || tb.empty())
            return fail(error, MF_ERR_INVALID_ARGUMENT, "mf_hausdorff needs two meshes with triangles.");
        mf::Progress progress(options->progress, options->progress_user, 0);
        const uint32_t samples = options->samples ? options->samples : 100000;
        report->a_to_b = mf::one_sided_hausdorff(pa, ta, pb, tb, samples, &progress);
        report->b_to_a = mf::one_sided_hausdorff(pb, tb, pa, ta, samples, &progress);
        report->diagonal = mf::bbox_diagonal(pa, ta);
        return MF_OK;
    }, [] {});
}

} // extern "C"

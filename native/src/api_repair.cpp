// The extern "C" entry points of repair and measurement: mf_repair, mf_hausdorff and mf_lost. Like api.cpp they go
// through boundary.hpp: the one mesh validator, then the one exception wall.
#include <meshforge/kernel.h>

#include "boundary.hpp"
#include "hausdorff.hpp"
#include "progress.hpp"
#include "repair.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace {

using mf::fail;

template <class T>
T *copy_out(const T *data, size_t count) {
    if (count == 0) return nullptr;
    T *out = static_cast<T *>(std::malloc(count * sizeof(T)));
    if (out == nullptr) throw std::bad_alloc();
    std::memcpy(out, data, count * sizeof(T));
    return out;
}

void release(mf_repair_result *r) {
    if (r == nullptr) return;
    std::free(r->positions);
    std::free(r->indices);
    std::free(r->attributes);
    std::memset(r, 0, sizeof *r);
}

// The fields only mf_repair_options has (take_options checked the common ones).
int32_t check_repair_options(const mf_repair_options &options, mf_error *error) {
    if (options.quality < MF_QUALITY_DEFAULT || options.quality > MF_QUALITY_MAX)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "options.quality is %d, not one of MF_QUALITY_*.", options.quality);
    if (options.resolution > MF_MAX_RESOLUTION)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "options.resolution is %u; at most %u cells are supported.",
                    options.resolution, unsigned(MF_MAX_RESOLUTION));
    if (std::isnan(options.weld_tolerance) || options.weld_tolerance > 0.01)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "options.weld_tolerance must be at most 0.01 of the diagonal, got %g.",
                    options.weld_tolerance);
    return MF_OK;
}

mf::RepairSettings settings_of(const mf_repair_options &options) {
    mf::RepairSettings settings;
    settings.flags = options.flags;
    settings.resolution = options.resolution ? options.resolution
                          : options.quality == MF_QUALITY_LOW ? 100u
                          : options.quality == MF_QUALITY_MAX ? 320u
                                                              : 200u;
    settings.target_triangles = options.target_triangles;
    settings.weld_tolerance = options.weld_tolerance == 0 ? 1e-6 : options.weld_tolerance;
    return settings;
}

// Copies the outcome into kernel-owned buffers (float32 positions, as the ABI promises) and the counters.
void fill_result(const mf::RepairOutcome &outcome, mf_repair_result &result) {
    result.stage = outcome.stage;
    result.before = outcome.before;
    result.after = outcome.after;
    if (outcome.stage != MF_REPAIR_UNCHANGED) {
        const mf::IndexedMesh &m = outcome.mesh;
        std::vector<float> xyz(3 * m.positions.size());
        for (size_t v = 0; v < m.positions.size(); ++v) {
            xyz[3 * v] = float(m.positions[v].x);
            xyz[3 * v + 1] = float(m.positions[v].y);
            xyz[3 * v + 2] = float(m.positions[v].z);
        }
        result.positions = copy_out(xyz.data(), xyz.size());
        result.vertex_count = m.positions.size();
        result.indices = copy_out(m.tris.data(), m.tris.size());
        result.triangle_count = m.tris.size() / 3;
        result.attributes = copy_out(m.attributes.data(), m.attributes.size());
        result.attribute_count = m.attribute_count;
    }
    result.vertices_welded = outcome.counters.vertices_welded;
    result.faces_removed = outcome.counters.faces_removed;
    result.faces_flipped = outcome.counters.faces_flipped;
    result.holes_filled = outcome.counters.holes_filled;
    result.hole_triangles = outcome.counters.hole_triangles;
    result.small_parts_removed = outcome.counters.small_parts_removed;
    result.parts_merged = outcome.parts_merged;
    result.resolution = outcome.resolution;
    result.simplified = outcome.simplified ? 1 : 0;
    result.hausdorff_out_in = outcome.hausdorff_out_in;
    result.hausdorff_in_out = outcome.hausdorff_in_out;
    result.hausdorff_out_in_patched = outcome.hausdorff_out_in_patched;
    result.lost = outcome.lost;
    result.lost_area = outcome.lost_area;
}

std::vector<mf::Vec3d> positions_of(const mf::MeshView &v) {
    std::vector<mf::Vec3d> positions(v.vertex_count);
    for (uint64_t i = 0; i < v.vertex_count; ++i) positions[i] = v.position(i);
    return positions;
}

// Two measured meshes, checked and copied (what mf_hausdorff and mf_lost share).
struct MeasuredPair {
    std::vector<mf::Vec3d> pa, pb;
    std::vector<uint32_t> ta, tb;
    uint32_t samples = 0;
};

// Takes the options (options points at defaults when null), validates both meshes and copies them.
int32_t take_pair(const mf_mesh *a, const mf_mesh *b, const mf_hausdorff_options *&options,
                  mf_hausdorff_options &defaults, const char *function, MeasuredPair &pair, mf_error *error) {
    if (int32_t s = mf::take_options(options, defaults, "mf_hausdorff_options", error); s != MF_OK) return s;
    mf::MeshView va, vb;
    if (int32_t s = mf::validate_mesh(a, "mesh a", va, error); s != MF_OK) return s;
    if (int32_t s = mf::validate_mesh(b, "mesh b", vb, error); s != MF_OK) return s;
    if (va.triangle_count == 0 || vb.triangle_count == 0)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "%s needs two meshes with triangles.", function);
    pair.samples = options->samples ? options->samples : 100000;
    if (int32_t s = mf::check_memory(mf::hausdorff_memory_bytes(va, vb, pair.samples), options->max_memory_bytes,
                                     "Measuring these meshes", error);
        s != MF_OK)
        return s;
    pair.pa = positions_of(va);
    pair.pb = positions_of(vb);
    pair.ta.assign(va.indices, va.indices + 3 * va.triangle_count);
    pair.tb.assign(vb.indices, vb.indices + 3 * vb.triangle_count);
    return MF_OK;
}

} // namespace

extern "C" {

MF_API int32_t mf_repair(const mf_mesh *mesh, const mf_repair_options *options, mf_repair_result *result,
                         mf_error *error) {
    return mf::guarded("mf_repair", error, [&]() -> int32_t {
        if (int32_t s = mf::zero_output(result, "mf_repair", "result", error); s != MF_OK) return s;
        mf_repair_options defaults;
        if (int32_t s = mf::take_options(options, defaults, "mf_repair_options", error); s != MF_OK) return s;
        if (int32_t s = check_repair_options(*options, error); s != MF_OK) return s;
        mf::MeshView view;
        if (int32_t s = mf::validate_mesh(mesh, "mesh", view, error); s != MF_OK) return s;
        const mf::RepairSettings settings = settings_of(*options);
        if (int32_t s = mf::check_memory(mf::repair_memory_bytes(view, settings), options->max_memory_bytes,
                                         "Repairing this mesh", error);
            s != MF_OK)
            return s;

        mf::Progress progress(options->progress, options->progress_user, options->time_limit_seconds);
        progress.set_log(options->log, options->log_user);
        mf::RepairOutcome outcome;
        mf::repair(view, settings, progress, outcome);
        fill_result(outcome, *result);
        return MF_OK;
    }, [&] { release(result); });
}

MF_API int32_t mf_hausdorff(const mf_mesh *a, const mf_mesh *b, const mf_hausdorff_options *options,
                            mf_hausdorff_report *report, mf_error *error) {
    return mf::guarded("mf_hausdorff", error, [&]() -> int32_t {
        if (int32_t s = mf::zero_output(report, "mf_hausdorff", "report", error); s != MF_OK) return s;
        mf_hausdorff_options defaults;
        MeasuredPair pair;
        if (int32_t s = take_pair(a, b, options, defaults, "mf_hausdorff", pair, error); s != MF_OK) return s;
        mf::Progress progress(options->progress, options->progress_user, options->time_limit_seconds);
        report->a_to_b = mf::one_sided_hausdorff(pair.pa, pair.ta, pair.pb, pair.tb, pair.samples, &progress);
        report->b_to_a = mf::one_sided_hausdorff(pair.pb, pair.tb, pair.pa, pair.ta, pair.samples, &progress);
        report->diagonal = mf::bbox_diagonal(pair.pa, pair.ta);
        return MF_OK;
    }, mf::zeroing(report));
}

MF_API int32_t mf_lost(const mf_mesh *input, const mf_mesh *solid, const mf_hausdorff_options *options,
                       mf_lost_report *report, mf_error *error) {
    return mf::guarded("mf_lost", error, [&]() -> int32_t {
        if (int32_t s = mf::zero_output(report, "mf_lost", "report", error); s != MF_OK) return s;
        mf_hausdorff_options defaults;
        MeasuredPair pair;
        if (int32_t s = take_pair(input, solid, options, defaults, "mf_lost", pair, error); s != MF_OK) return s;
        mf::Progress progress(options->progress, options->progress_user, options->time_limit_seconds);
        const double diagonal = mf::bbox_diagonal(pair.pa, pair.ta);
        const mf::LostSurface lost = mf::lost_surface(pair.pa, pair.ta, pair.pb, pair.tb, pair.samples,
                                                      mf::kLostFraction * diagonal, &progress);
        report->lost = diagonal > 0 ? lost.distance / diagonal : 0;
        report->lost_area = lost.area_fraction;
        report->diagonal = diagonal;
        return MF_OK;
    }, mf::zeroing(report));
}

} // extern "C"

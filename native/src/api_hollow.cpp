// The extern "C" entry point of hollowing, mf_hollow, through boundary.hpp like the others: the one mesh
// validator, the input's own check (closed, outward, no crossings), then the one exception wall.
#include <meshforge/kernel.h>

#include "boundary.hpp"
#include "hollow.hpp"
#include "inspect.hpp"
#include "progress.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace {

using mf::fail;

void release(mf_hollow_result *r) {
    if (r == nullptr) return;
    std::free(r->positions);
    std::free(r->indices);
    std::free(r->hole_positions);
    std::memset(r, 0, sizeof *r);
}

template <class T>
T *allocate(size_t count) {
    if (count == 0) return nullptr;
    T *out = static_cast<T *>(std::malloc(count * sizeof(T)));
    if (out == nullptr) throw std::bad_alloc();
    return out;
}

bool finite_positive(double v) { return std::isfinite(v) && v > 0; }

// The fields only mf_hollow_options has (take_options checked the common ones).
int32_t check_hollow_options(const mf_hollow_options &o, mf_error *error) {
    if (!finite_positive(o.wall_thickness))
        return fail(error, MF_ERR_INVALID_ARGUMENT, "options.wall_thickness must be a positive number, got %g.",
                    o.wall_thickness);
    if (!std::isfinite(o.closing_distance) || o.closing_distance < 0)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "options.closing_distance must be zero or positive, got %g.",
                    o.closing_distance);
    if (o.quality < MF_QUALITY_DEFAULT || o.quality > MF_QUALITY_MAX)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "options.quality is %d, not one of MF_QUALITY_*.", o.quality);
    if (o.holes < MF_HOLES_AUTO || o.holes > MF_HOLES_AT)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "options.holes is %d, not one of MF_HOLES_*.", o.holes);
    for (int k = 0; k < 3; ++k)
        if (!std::isfinite(o.up[k]))
            return fail(error, MF_ERR_INVALID_ARGUMENT, "options.up must be three finite numbers, got %g, %g, %g.", o.up[0],
                        o.up[1], o.up[2]);
    if (o.hole_diameter != 0 && !finite_positive(o.hole_diameter))
        return fail(error, MF_ERR_INVALID_ARGUMENT, "options.hole_diameter must be positive (0 for 3), got %g.",
                    o.hole_diameter);
    if (o.holes == MF_HOLES_AT) {
        if (o.hole_count == 0 || o.hole_points == nullptr)
            return fail(error, MF_ERR_INVALID_ARGUMENT, "options.holes is MF_HOLES_AT but no hole_points were given.");
        if (o.hole_count > MF_MAX_HOLES)
            return fail(error, MF_ERR_LIMIT, "options.hole_count is %u; at most %u holes are supported.", o.hole_count,
                        unsigned(MF_MAX_HOLES));
        for (uint32_t i = 0; i < 3 * o.hole_count; ++i)
            if (!std::isfinite(o.hole_points[i]))
                return fail(error, MF_ERR_INVALID_ARGUMENT, "options.hole_points[%u] is not a finite number.", i);
    }
    return MF_OK;
}

// The input must already be what hollowing keeps: a closed, outward solid without crossings.
int32_t check_solid(const mf_inspect_report &r, mf_error *error) {
    if (!r.watertight)
        return fail(error, MF_ERR_INVALID_ARGUMENT,
                    "The mesh is not a closed solid (%llu open, %llu non-manifold edges): repair it before hollowing.",
                    (unsigned long long)r.open_edges, (unsigned long long)r.non_manifold_edges);
    if (r.intersecting_pairs != 0)
        return fail(error, MF_ERR_INVALID_ARGUMENT,
                    "The mesh crosses itself (%llu pairs of faces): repair it before hollowing.",
                    (unsigned long long)r.intersecting_pairs);
    if (!(r.volume > 0))
        return fail(error, MF_ERR_INVALID_ARGUMENT,
                    "The mesh's faces point inward (signed volume %g): repair it before hollowing.", r.volume);
    return MF_OK;
}

mf::IndexedMesh working_mesh(const mf::MeshView &v) {
    mf::IndexedMesh m;
    m.positions.resize(v.vertex_count);
    for (uint64_t i = 0; i < v.vertex_count; ++i) m.positions[i] = v.position(i);
    m.tris.assign(v.indices, v.indices + 3 * v.triangle_count);
    return m;
}

// Copies the mesh out as float32 and inspects what the caller receives: the guarantees hold for it.
void fill_result(const mf::HollowOutcome &o, mf_hollow_result &r, mf::Progress &progress) {
    const mf::IndexedMesh &m = o.mesh;
    r.positions = allocate<float>(3 * m.positions.size());
    for (size_t v = 0; v < m.positions.size(); ++v) {
        r.positions[3 * v] = float(m.positions[v].x);
        r.positions[3 * v + 1] = float(m.positions[v].y);
        r.positions[3 * v + 2] = float(m.positions[v].z);
    }
    r.vertex_count = m.positions.size();
    r.indices = allocate<uint32_t>(m.tris.size());
    std::memcpy(r.indices, m.tris.data(), m.tris.size() * sizeof(uint32_t));
    r.triangle_count = m.tris.size() / 3;
    mf::MeshView view;
    view.positions = reinterpret_cast<const unsigned char *>(r.positions);
    view.vertex_count = r.vertex_count;
    view.indices = r.indices;
    view.triangle_count = r.triangle_count;
    progress.report(0.92, "check");
    mf::inspect(view, mf::InspectSettings{}, progress, r.after);
    const mf_inspect_report &a = r.after;
    if (!a.watertight || a.intersecting_pairs != 0 || a.degenerate_faces != 0 || !(a.volume > 0))
        throw mf::KernelError(MF_ERR_INTERNAL,
                              "The hollowed mesh failed its check (watertight " + std::to_string(a.watertight) +
                                  ", crossing pairs " + std::to_string(a.intersecting_pairs) + ", degenerate faces " +
                                  std::to_string(a.degenerate_faces) + ", volume " + std::to_string(a.volume) + ").");
    r.volume_after = a.volume;
}

} // namespace

extern "C" {

MF_API int32_t mf_hollow(const mf_mesh *mesh, const mf_hollow_options *options, mf_hollow_result *result,
                         mf_error *error) {
    return mf::guarded("mf_hollow", error, [&]() -> int32_t {
        if (int32_t s = mf::zero_output(result, "mf_hollow", "result", error); s != MF_OK) return s;
        mf_hollow_options defaults;
        if (int32_t s = mf::take_options(options, defaults, "mf_hollow_options", error); s != MF_OK) return s;
        if (int32_t s = check_hollow_options(*options, error); s != MF_OK) return s;
        mf::MeshView view;
        if (int32_t s = mf::validate_mesh(mesh, "mesh", view, error); s != MF_OK) return s;
        if (view.triangle_count == 0) return fail(error, MF_ERR_INVALID_ARGUMENT, "mf_hollow needs a mesh with triangles.");
        mf::Progress progress(options->progress, options->progress_user, options->time_limit_seconds);
        progress.set_log(options->log, options->log_user);

        mf_inspect_report before{};
        mf::inspect(view, mf::InspectSettings{}, progress, before);
        if (int32_t s = check_solid(before, error); s != MF_OK) return s;
        result->volume_before = before.volume;
        double extent[3], longest = 0, thinnest = INFINITY;
        for (int k = 0; k < 3; ++k) {
            extent[k] = before.bbox_max[k] - before.bbox_min[k];
            longest = std::max(longest, extent[k]);
            thinnest = std::min(thinnest, extent[k]);
        }
        if (2 * options->wall_thickness >= thinnest)
            return fail(error, MF_ERR_INVALID_ARGUMENT,
                        "options.wall_thickness %g leaves no room for a cavity: the mesh is %g thick at its thinnest "
                        "side, and two walls need more.",
                        options->wall_thickness, thinnest);

        mf::HollowSettings settings;
        settings.wall = options->wall_thickness;
        settings.closing = options->closing_distance;
        const double diameter = options->hole_diameter ? options->hole_diameter : 3.0;
        settings.hole_radius = diameter / 2;
        settings.holes = options->holes != MF_HOLES_NONE;
        settings.vents = options->flags & MF_HOLLOW_VENTS;
        settings.tetrahedra_only = options->flags & MF_HOLLOW_TETRAHEDRA;
        const mf::Vec3d up{options->up[0], options->up[1], options->up[2]};
        const double up_length = mf::norm(up);
        settings.up = up_length > 0 ? up * (1 / up_length) : mf::Vec3d{0, 0, 1};
        if (options->holes == MF_HOLES_AT)
            for (uint32_t i = 0; i < options->hole_count; ++i)
                settings.hole_points.push_back(
                    {options->hole_points[3 * i], options->hole_points[3 * i + 1], options->hole_points[3 * i + 2]});
        const int cells = options->quality == MF_QUALITY_LOW ? 3 : options->quality == MF_QUALITY_MAX ? 6 : 4;
        settings.cell = mf::hollow_cell_size(settings.wall, cells, settings.holes ? diameter : 0, longest, MF_MAX_RESOLUTION);
        if (int32_t s = mf::check_memory(mf::hollow_memory_bytes(view, settings.cell, extent), options->max_memory_bytes,
                                         "Hollowing this mesh", error);
            s != MF_OK)
            return s;

        mf::HollowOutcome outcome;
        mf::hollow(working_mesh(view), settings, progress, outcome);
        result->cavities = outcome.cavities;
        result->cavities_drained = outcome.drained;
        result->cell_size = outcome.cell;
        if (outcome.mesh.tris.empty()) { // nothing thick enough to hollow: the input is the answer
            result->after = before;
            result->volume_after = before.volume;
            return MF_OK;
        }
        result->remeshed = outcome.remeshed ? 1 : 0;
        result->min_wall = outcome.min_wall;
        result->inner_offset = outcome.inner_offset;
        result->inner_triangles = outcome.inner_triangles;
        result->holes = uint32_t(outcome.hole_openings.size());
        result->hole_positions = allocate<double>(3 * outcome.hole_openings.size());
        for (size_t i = 0; i < outcome.hole_openings.size(); ++i) {
            result->hole_positions[3 * i] = outcome.hole_openings[i].x;
            result->hole_positions[3 * i + 1] = outcome.hole_openings[i].y;
            result->hole_positions[3 * i + 2] = outcome.hole_openings[i].z;
        }
        fill_result(outcome, *result, progress);
        progress.report(1.0, "check");
        return MF_OK;
    }, [&] { release(result); });
}

} // extern "C"

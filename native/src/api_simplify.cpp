// The extern "C" entry point of simplification, mf_simplify, through boundary.hpp like the others: the one mesh
// validator, the targets and weights checked, then the one exception wall.
#include <meshforge/kernel.h>

#include "boundary.hpp"
#include "kept_blocks.hpp"
#include "large_pages.hpp"
#include "progress.hpp"
#include "simplify_mesh.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace {

using mf::fail;

void release(mf_simplify_result *r) {
    if (r == nullptr) return;
    std::free(r->indices);
    std::memset(r, 0, sizeof *r);
}

// The fields only mf_simplify_options has (take_options checked the common ones).
int32_t check_simplify_options(const mf_simplify_options &o, uint32_t attribute_count, mf_error *error) {
    if (!std::isfinite(o.target_ratio) || o.target_ratio < 0 || o.target_ratio > 1)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "options.target_ratio must be in (0, 1] (0 for none), got %g.",
                    o.target_ratio);
    if (!std::isfinite(o.target_error) || o.target_error < 0)
        return fail(error, MF_ERR_INVALID_ARGUMENT, "options.target_error must be zero or positive, got %g.",
                    o.target_error);
    if (o.target_triangles == 0 && o.target_ratio == 0 && o.target_error == 0)
        return fail(error, MF_ERR_INVALID_ARGUMENT,
                    "mf_simplify needs a target: options.target_triangles, target_ratio or target_error.");
    if (o.attribute_weights != nullptr)
        for (uint32_t i = 0; i < attribute_count; ++i)
            if (!std::isfinite(o.attribute_weights[i]) || o.attribute_weights[i] < 0)
                return fail(error, MF_ERR_INVALID_ARGUMENT,
                            "options.attribute_weights[%u] must be a finite number of 0 or more, got %g.", i,
                            double(o.attribute_weights[i]));
    return MF_OK;
}

// The working mesh: positions in double, the weighted attributes packed (floats of weight 0 left out). Each array
// is reserved, offered huge pages (large_pages.hpp) and then filled once, with no zeroing pass before.
mf::IndexedMesh working_mesh(const mf::MeshView &v, const float *weights) {
    mf::IndexedMesh m;
    m.positions.reserve(v.vertex_count);
    mf::advise_huge_pages(m.positions.data(), v.vertex_count * sizeof(mf::Vec3d));
    for (uint64_t i = 0; i < v.vertex_count; ++i) m.positions.push_back(v.position(i));
    m.tris.reserve(3 * v.triangle_count);
    mf::advise_huge_pages(m.tris.data(), 3 * v.triangle_count * sizeof(uint32_t));
    m.tris.insert(m.tris.end(), v.indices, v.indices + 3 * v.triangle_count);
    std::vector<uint32_t> used;
    for (uint32_t k = 0; k < v.attribute_count; ++k)
        if (weights == nullptr || weights[k] > 0) used.push_back(k);
    m.attribute_count = uint32_t(used.size());
    m.attributes.reserve(v.vertex_count * used.size());
    mf::advise_huge_pages(m.attributes.data(), v.vertex_count * used.size() * sizeof(float));
    for (uint64_t i = 0; i < v.vertex_count; ++i)
        for (size_t j = 0; j < used.size(); ++j)
            m.attributes.push_back(v.attribute(i, used[j]) * (weights ? weights[used[j]] : 1.0f));
    return m;
}

// Per vertex: its position, plane quadric (single precision), nine 4-byte arrays (weld table, remap, corner list heads,
// marks, kinds, the marks near a pass's collapses), its attributes and their quadric; per triangle: seven index-sized
// triples (working, input ids, the two corner links, each corner's twin across its edge, the kept faces, the result),
// its input normal, the dead flag, a pass's list of the points its removed faces leave (4 bytes at most), three
// candidate slots (the gather's blocks, then the costed list), one and a half edge candidates (sorted) and a block
// count for sixteen faces. Arrays of 1 MiB or more are mapped in whole 2 MiB pieces, which adds less than each such
// array's own size and under 2 MiB to each of about eighteen arrays; a block kept from the thread's last call
// (kept_blocks.hpp) may be up to twice its need, which adds no more than the arrays' size and the 64 MiB kept (the
// blocks kept beyond that are lent back to the system, which takes them when it needs the memory: not counted).
//
// With MF_SIMPLIFY_NO_INTERSECTIONS, the crossing guard (simplify_guard.hpp): a rounded position a vertex; a face's
// box, stamp and flag; grid cells (24 bytes each) at most eight a face at the finest level and 8/7 of that over
// all levels, and at most eight entries a face (28 bytes) with a quarter more stale between tidyings, half again
// for the cells' lists' growth; 4,096 cells and entries beyond those.
uint64_t simplify_memory_bytes(const mf::MeshView &v, uint32_t flags) {
    const uint64_t k = v.attribute_count;
    uint64_t bytes = v.vertex_count * (24 + 44 + 4 * 9 + 4 * k + (k ? 4 * (11 + 4 * k) : 0)) +
                     v.triangle_count * (12 * 7 + 12 + 1 + 4 + 36 + 18 + 1);
    if (flags & MF_SIMPLIFY_NO_INTERSECTIONS)
        bytes += v.vertex_count * 24 + v.triangle_count * (28 + 4 + 1 + 8 * 8 / 7 * 24 + 8 * 35 * 3 / 2) +
                 4096 * (24 + 28 * 2);
    return bytes + std::min<uint64_t>(bytes, uint64_t(36) << 20) + std::min<uint64_t>(bytes, mf::KeptBlocks::kKeep);
}

} // namespace

extern "C" {

MF_API int32_t mf_simplify(const mf_mesh *mesh, const mf_simplify_options *options, mf_simplify_result *result,
                           mf_error *error) {
    return mf::guarded("mf_simplify", error, [&]() -> int32_t {
        if (int32_t s = mf::zero_output(result, "mf_simplify", "result", error); s != MF_OK) return s;
        mf_simplify_options defaults;
        if (int32_t s = mf::take_options(options, defaults, "mf_simplify_options", error); s != MF_OK) return s;
        mf::MeshView view;
        if (int32_t s = mf::validate_mesh(mesh, "mesh", view, error); s != MF_OK) return s;
        if (int32_t s = check_simplify_options(*options, view.attribute_count, error); s != MF_OK) return s;
        if (view.triangle_count == 0)
            return fail(error, MF_ERR_INVALID_ARGUMENT, "mf_simplify needs a mesh with triangles, got none.");
        if (int32_t s = mf::check_memory(simplify_memory_bytes(view, options->flags), options->max_memory_bytes,
                                         "Simplifying this mesh", error);
            s != MF_OK)
            return s;
        mf::Progress progress(options->progress, options->progress_user, options->time_limit_seconds);
        progress.report(0, "simplify");

        mf::SimplifySettings settings;
        const uint64_t count = view.triangle_count;
        settings.target_triangles = options->target_triangles ? options->target_triangles
                                    : options->target_ratio > 0
                                        ? std::max<uint64_t>(1, uint64_t(std::llround(options->target_ratio * double(count))))
                                        : 0;
        settings.lock_border = options->flags & MF_SIMPLIFY_LOCK_BORDER;
        settings.no_intersections = options->flags & MF_SIMPLIFY_NO_INTERSECTIONS;
        mf::IndexedMesh m = working_mesh(view, options->attribute_weights);
        if (options->target_error > 0) {
            settings.max_error = options->target_error;
            if (options->flags & MF_SIMPLIFY_ABSOLUTE_ERROR) {
                double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
                for (uint32_t i : m.tris) {
                    const mf::Vec3d &p = m.positions[i];
                    const double c[3] = {p.x, p.y, p.z};
                    for (int k = 0; k < 3; ++k) lo[k] = std::min(lo[k], c[k]), hi[k] = std::max(hi[k], c[k]);
                }
                const double extent = std::max({hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]});
                settings.max_error = extent > 0 ? options->target_error / extent : 1e300;
            }
        }
        mf::SimplifyOutcome outcome;
        mf::simplify_mesh(m, settings, progress, outcome);
        result->indices = static_cast<uint32_t *>(std::malloc(std::max<size_t>(1, m.tris.size()) * sizeof(uint32_t)));
        if (result->indices == nullptr) throw std::bad_alloc();
        std::memcpy(result->indices, m.tris.data(), m.tris.size() * sizeof(uint32_t));
        result->triangle_count = m.tris.size() / 3;
        result->target_triangles = settings.target_triangles;
        result->collapses = outcome.collapses;
        result->dropped = outcome.dropped;
        result->error = outcome.error;
        result->extent = outcome.extent;
        result->relative_error = outcome.extent > 0 ? outcome.error / outcome.extent : 0;
        result->attribute_error = outcome.attribute_error;
        result->stop = outcome.stop == mf::SimplifyStop::Target  ? MF_SIMPLIFY_REACHED_TARGET
                       : outcome.stop == mf::SimplifyStop::Error ? MF_SIMPLIFY_ERROR_BOUND
                                                                 : MF_SIMPLIFY_TOPOLOGY;
        progress.report(1.0, "simplify");
        return MF_OK;
    }, [&] { release(result); });
}

} // extern "C"

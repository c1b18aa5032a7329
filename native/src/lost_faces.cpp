// Which faces of the input a volumetric rebuild left outside its solid: each face is walked on a barycentric
// grid (a point a face when it is small, as most are) and a point counts when it is both off the solid's
// surface and outside it; the winding number is asked only of points off the surface, so that a rebuild that
// kept the surface costs one closest-point query a point.
#include "lost_faces.hpp"

#include "parallel.hpp"
#include "progress.hpp"
#include "triangle_tree.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>

namespace mf {

namespace {

// Points of a face per side at most: a face 64 spacings long is still looked at every spacing or so.
constexpr int kMaxSteps = 64;

bool point_lost(const TriangleTree &solid, const Vec3d &p, double threshold2) {
    return solid.closest(p, threshold2).distance2 > threshold2 && !(solid.winding(p) > 0.5);
}

} // namespace

uint64_t lost_faces(const IndexedMesh &surface, const IndexedMesh &solid, double spacing, double threshold,
                    const std::vector<uint8_t> *skip, Progress &progress, std::vector<uint8_t> &lost) {
    const size_t faces = surface.tris.size() / 3;
    lost.assign(faces, 0);
    const TriangleTree tree(solid.positions, solid.tris, &progress);
    if (tree.empty()) {
        for (size_t f = 0; f < faces; ++f) lost[f] = !(skip && (*skip)[f]);
        return uint64_t(std::count(lost.begin(), lost.end(), uint8_t(1)));
    }
    const double threshold2 = threshold * threshold;
    std::atomic<uint64_t> count{0};
    parallel_for(faces, progress, 0.0, 0.0, "lost faces", [&](size_t f) {
        if (skip && (*skip)[f]) return;
        const Vec3d &a = surface.positions[surface.tris[3 * f]], &b = surface.positions[surface.tris[3 * f + 1]],
                    &c = surface.positions[surface.tris[3 * f + 2]];
        const double longest = std::max({norm(b - a), norm(c - b), norm(a - c)});
        const int steps = std::clamp(int(std::ceil(longest / spacing)), 1, kMaxSteps);
        // The centroid first: on a small face it is the one point between the corners.
        bool outside = point_lost(tree, (a + b + c) * (1.0 / 3.0), threshold2);
        for (int i = 0; i <= steps && !outside; ++i)
            for (int j = 0; i + j <= steps && !outside; ++j) {
                const double u = double(i) / steps, v = double(j) / steps;
                outside = point_lost(tree, a * (1 - u - v) + b * u + c * v, threshold2);
            }
        if (outside) {
            lost[f] = 1;
            count.fetch_add(1, std::memory_order_relaxed);
        }
    });
    progress.check();
    return count.load();
}

} // namespace mf

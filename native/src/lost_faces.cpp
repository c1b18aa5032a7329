// Which faces of the input a volumetric rebuild left outside its solid: each face is walked on a barycentric
// grid (its corners, judged once a vertex, and its centroid when it is small, as most are) and a point counts when it is both off the solid's
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
    // Corners are shared by about six faces each: each is judged once, before the faces.
    std::vector<uint8_t> corner_lost(surface.positions.size(), 0), used(surface.positions.size(), 0);
    for (size_t f = 0; f < faces; ++f)
        if (!(skip && (*skip)[f]))
            for (int k = 0; k < 3; ++k) used[surface.tris[3 * f + k]] = 1;
    parallel_for(surface.positions.size(), progress, 0.0, 0.0, "lost faces", [&](size_t v) {
        if (used[v]) corner_lost[v] = point_lost(tree, surface.positions[v], threshold2);
    });
    std::atomic<uint64_t> count{0};
    parallel_for(faces, progress, 0.0, 0.0, "lost faces", [&](size_t f) {
        if (skip && (*skip)[f]) return;
        const uint32_t *t = &surface.tris[3 * f];
        const Vec3d &a = surface.positions[t[0]], &b = surface.positions[t[1]], &c = surface.positions[t[2]];
        const double longest = std::max({norm(b - a), norm(c - b), norm(a - c)});
        const int steps = std::clamp(int(std::ceil(longest / spacing)), 1, kMaxSteps);
        bool outside = corner_lost[t[0]] || corner_lost[t[1]] || corner_lost[t[2]];
        // The centroid next: on a small face it is the one point between the corners.
        if (!outside) outside = point_lost(tree, (a + b + c) * (1.0 / 3.0), threshold2);
        for (int i = 0; i <= steps && !outside; ++i)
            for (int j = 0; i + j <= steps && !outside; ++j) {
                if ((i == 0 || i == steps) && (j == 0 || j == steps)) continue; // a corner, judged above
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

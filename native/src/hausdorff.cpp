// Sampled Hausdorff distance through closest-point queries on a triangle BVH. Samples are the vertices plus
// area-weighted random points (fixed seed: runs are repeatable).
#include "hausdorff.hpp"

#include "kernel_error.hpp"
#include "parallel.hpp"
#include "triangle_tree.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <random>

namespace mf {

double bbox_diagonal(const std::vector<Vec3d> &positions, const std::vector<uint32_t> &tris) {
    const double inf = std::numeric_limits<double>::infinity();
    Vec3d lo{inf, inf, inf}, hi{-inf, -inf, -inf};
    for (uint32_t v : tris) {
        const Vec3d &p = positions[v];
        lo = {std::min(lo.x, p.x), std::min(lo.y, p.y), std::min(lo.z, p.z)};
        hi = {std::max(hi.x, p.x), std::max(hi.y, p.y), std::max(hi.z, p.z)};
    }
    return tris.empty() ? 0.0 : norm(hi - lo);
}

double one_sided_hausdorff(const std::vector<Vec3d> &a_pos, const std::vector<uint32_t> &a_tris,
                           const std::vector<Vec3d> &b_pos, const std::vector<uint32_t> &b_tris, uint32_t samples,
                           Progress *progress) {
    TriangleTree tree(b_pos, b_tris, progress);
    if (tree.empty() || a_tris.empty()) return 0;
    std::vector<Vec3d> points;
    {
        std::vector<uint8_t> used(a_pos.size(), 0);
        for (uint32_t v : a_tris)
            if (!used[v]) used[v] = 1, points.push_back(a_pos[v]);
    }
    const size_t nf = a_tris.size() / 3;
    std::vector<double> cumulative(nf);
    double total = 0;
    for (size_t f = 0; f < nf; ++f) {
        const Vec3d &a = a_pos[a_tris[3 * f]], &b = a_pos[a_tris[3 * f + 1]], &c = a_pos[a_tris[3 * f + 2]];
        total += norm(cross(b - a, c - a));
        cumulative[f] = total;
    }
    std::mt19937_64 rng(12345);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    if (total > 0)
        for (uint32_t s = 0; s < samples; ++s) {
            size_t f = std::lower_bound(cumulative.begin(), cumulative.end(), uniform(rng) * total) - cumulative.begin();
            f = std::min(f, nf - 1);
            double r1 = std::sqrt(uniform(rng)), r2 = uniform(rng);
            const Vec3d &a = a_pos[a_tris[3 * f]], &b = a_pos[a_tris[3 * f + 1]], &c = a_pos[a_tris[3 * f + 2]];
            points.push_back(a * (1 - r1) + b * (r1 * (1 - r2)) + c * (r1 * r2));
        }
    // Only the largest distance counts: a point's search stops once it finds the surface within the largest
    // distance found so far, which leaves that maximum exact.
    std::atomic<double> largest2{0.0};
    Progress none(nullptr, nullptr, 0);
    parallel_for(points.size(), progress ? *progress : none, 0.0, 0.0, "hausdorff", [&](size_t i) {
        double known = largest2.load(std::memory_order_relaxed);
        const double d2 = tree.closest(points[i], known).distance2;
        while (d2 > known && !largest2.compare_exchange_weak(known, d2, std::memory_order_relaxed)) {
        }
    });
    return std::sqrt(largest2.load());
}

uint64_t hausdorff_memory_bytes(const MeshView &a, const MeshView &b, uint32_t samples) {
    // Both position and index copies, the larger of the two triangle trees (nodes, boxes and a permutation,
    // under 96 bytes a face), the sample points with their area table.
    const uint64_t copies = (a.vertex_count + b.vertex_count) * sizeof(Vec3d) + (a.triangle_count + b.triangle_count) * 12;
    const uint64_t tree = std::max(a.triangle_count, b.triangle_count) * 96;
    const uint64_t points = (std::max(a.vertex_count, b.vertex_count) + samples) * sizeof(Vec3d) +
                            std::max(a.triangle_count, b.triangle_count) * sizeof(double);
    return copies + tree + points;
}

} // namespace mf

// Sampled Hausdorff distance and attribute transfer, both through closest-point queries on a triangle BVH.
// Samples are the vertices plus area-weighted random points (fixed seed: runs are repeatable).
#include "repair.hpp"

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

void transfer_attributes(RepairMesh &mesh, const RepairMesh &source, Progress &progress) {
    const uint32_t m = source.attribute_count;
    mesh.attribute_count = m;
    mesh.attributes.assign(mesh.positions.size() * m, 0.0f);
    if (m == 0) return;
    TriangleTree tree(source.positions, source.tris, &progress);
    parallel_for(mesh.positions.size(), progress, 0.0, 0.0, "attributes", [&](size_t v) {
        ClosestHit hit = tree.closest(mesh.positions[v]);
        if (hit.face == 0xFFFFFFFFu) return;
        const uint32_t *t = &source.tris[3 * uint64_t(hit.face)];
        for (uint32_t k = 0; k < m; ++k) {
            double x = 0;
            for (int c = 0; c < 3; ++c) x += hit.bary[c] * source.attributes[size_t(t[c]) * m + k];
            mesh.attributes[v * m + k] = float(x);
        }
    });
}

} // namespace mf

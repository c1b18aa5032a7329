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

SurfaceSamples sample_surface(const std::vector<Vec3d> &a_pos, const std::vector<uint32_t> &a_tris, uint32_t samples) {
    SurfaceSamples s;
    std::vector<Vec3d> &points = s.points;
    {
        std::vector<uint8_t> used(a_pos.size(), 0);
        for (uint32_t v : a_tris)
            if (!used[v]) used[v] = 1, points.push_back(a_pos[v]);
    }
    s.vertex_points = points.size();
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
        for (uint32_t n = 0; n < samples; ++n) {
            size_t f = std::lower_bound(cumulative.begin(), cumulative.end(), uniform(rng) * total) - cumulative.begin();
            f = std::min(f, nf - 1);
            double r1 = std::sqrt(uniform(rng)), r2 = uniform(rng);
            const Vec3d &a = a_pos[a_tris[3 * f]], &b = a_pos[a_tris[3 * f + 1]], &c = a_pos[a_tris[3 * f + 2]];
            points.push_back(a * (1 - r1) + b * (r1 * (1 - r2)) + c * (r1 * r2));
        }
    return s;
}

namespace {

void raise_to(std::atomic<double> &largest, double value) {
    double known = largest.load(std::memory_order_relaxed);
    while (value > known && !largest.compare_exchange_weak(known, value, std::memory_order_relaxed)) {
    }
}

} // namespace

double farthest_sample(const SurfaceSamples &a, const TriangleTree &b, const TriangleTree *also, double *to_both,
                       Progress *progress) {
    // Only the largest distance counts: a point's search stops once it finds the surface within the largest
    // distance found so far, which leaves that maximum exact. With `also`, the search in b stops at the
    // smaller of the two maxima, and a point farther than that is looked for in also no farther than it is
    // from b: the nearer of the two, as one tree would find.
    std::atomic<double> largest2{0.0}, both2{0.0};
    Progress none(nullptr, nullptr, 0);
    parallel_for(a.points.size(), progress ? *progress : none, 0.0, 0.0, "hausdorff", [&](size_t i) {
        const double known = largest2.load(std::memory_order_relaxed);
        const double known_both = also ? both2.load(std::memory_order_relaxed) : known;
        const double d2 = b.closest(a.points[i], std::min(known, known_both)).distance2;
        raise_to(largest2, d2);
        if (also && d2 > known_both) raise_to(both2, also->closest(a.points[i], known_both, d2).distance2);
    });
    if (also) *to_both = std::sqrt(both2.load());
    return std::sqrt(largest2.load());
}

double one_sided_hausdorff(const std::vector<Vec3d> &a_pos, const std::vector<uint32_t> &a_tris,
                           const std::vector<Vec3d> &b_pos, const std::vector<uint32_t> &b_tris, uint32_t samples,
                           Progress *progress) {
    TriangleTree tree(b_pos, b_tris, progress);
    if (tree.empty() || a_tris.empty()) return 0;
    return farthest_sample(sample_surface(a_pos, a_tris, samples), tree, nullptr, nullptr, progress);
}

LostSurface lost_samples(const SurfaceSamples &in, const TriangleTree &tree, double threshold, double *farthest,
                         Progress *progress, bool closed) {
    LostSurface lost;
    const std::vector<Vec3d> &points = in.points;
    const size_t vertex_points = in.vertex_points;
    // A point matters when it is farther from the output than the largest loss so far or than the threshold;
    // only then is the (slower) winding number asked whether it lies outside. A point on the output surface
    // has winding number about 1/2 and distance about 0: losses under a hundredth of the threshold are not
    // looked for, which spares the winding number on every point of an output that keeps the input surface.
    // With farthest, the search stops no farther than its largest distance so far either (as
    // one_sided_hausdorff's does), so that a distance beyond that is exact.
    std::atomic<double> largest{0.01 * threshold}, farthest2{0.0};
    std::atomic<uint64_t> beyond{0};
    Progress none(nullptr, nullptr, 0);
    parallel_for(points.size(), progress ? *progress : none, 0.0, 0.0, "lost surface", [&](size_t i) {
        const double known = largest.load(std::memory_order_relaxed);
        const double enough = i >= vertex_points ? std::min(known, threshold) : known;
        const double known_far = farthest ? farthest2.load(std::memory_order_relaxed) : enough * enough;
        const double d2 = tree.closest(points[i], std::min(enough * enough, known_far)).distance2;
        if (farthest) raise_to(farthest2, d2);
        const double d = std::sqrt(d2);
        if (!(d > enough) || tree.winding_of(points[i], closed) > 0.5) return;
        raise_to(largest, d);
        if (i >= vertex_points && d > threshold) beyond.fetch_add(1, std::memory_order_relaxed);
    });
    lost.distance = largest.load() > 0.01 * threshold ? largest.load() : 0.0;
    const size_t random_points = points.size() - vertex_points;
    lost.area_fraction = random_points ? double(beyond.load()) / double(random_points) : 0.0;
    if (farthest) *farthest = std::sqrt(farthest2.load());
    return lost;
}

LostSurface lost_surface(const std::vector<Vec3d> &in_pos, const std::vector<uint32_t> &in_tris,
                         const std::vector<Vec3d> &out_pos, const std::vector<uint32_t> &out_tris, uint32_t samples,
                         double threshold, Progress *progress) {
    TriangleTree tree(out_pos, out_tris, progress);
    if (tree.empty() || in_tris.empty()) return LostSurface{};
    return lost_samples(sample_surface(in_pos, in_tris, samples), tree, threshold, nullptr, progress);
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

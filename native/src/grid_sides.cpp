// Sides of a closed surface on a grid: breadth-first regions of points whose joining edges the surface
// cannot reach, each judged by one generalized winding number (the expensive query) at its point farthest
// from the surface, where the far-field approximation is safest.
#include "grid_sides.hpp"

#include "parallel.hpp"
#include "progress.hpp"
#include "triangle_tree.hpp"

namespace mf {

bool encloses(const TriangleTree &tree, const Vec3d &p, double distance, double h) {
    if (distance > 1e-6 * h) return tree.winding(p) > 0.5;
    // Pairs of opposite nudges in directions no axis-aligned face or edge contains: each pair straddles the
    // face, so that its mean is that of the two sides: 1/2 on the solid's boundary (outside and inside), 3/2
    // on an inner wall, 1 between parts touching face to face. The boundary stays outside, as a point just
    // off it would be, by a margin that no rounding of the 1/2 can cross.
    const double d = 1e-4 * h;
    const Vec3d directions[4] = {{1, 0.618034, 0.414214}, {-0.618034, 1, 0.301511},
                                 {0.414214, -0.301511, 1}, {0.577350, 0.707107, -0.816497}};
    double sum = 0;
    for (const Vec3d &u : directions) sum += tree.winding_mean(p + u * d, p - u * d);
    return sum / 4 > 0.75;
}

std::vector<uint8_t> enclosed_by_region(const ScalarGrid &grid, const std::function<float(uint64_t)> &reach,
                                        const TriangleTree &tree, Progress &progress) {
    const int64_t *dims = grid.dims;
    const uint64_t points = grid.point_count();
    // A surface square to an edge makes the sum exactly the edge's length: a margin for float rounding.
    const float clear = 1.01f * float(grid.h);
    // Regions one after another in `order`, region r from starts[r]; each judged at its point farthest off.
    std::vector<uint32_t> order, starts, judge;
    order.reserve(points);
    std::vector<uint8_t> seen(points, 0);
    for (uint64_t seed = 0; seed < points; ++seed) {
        if (seen[seed]) continue;
        if ((starts.size() & 0xFFFF) == 0) progress.check();
        starts.push_back(uint32_t(order.size()));
        seen[seed] = 1;
        order.push_back(uint32_t(seed));
        uint32_t best = uint32_t(seed);
        float best_reach = reach(seed);
        for (size_t head = starts.back(); head < order.size(); ++head) {
            const uint32_t p = order[head];
            const float dp = reach(p);
            if (dp > best_reach) best = p, best_reach = dp;
            const int64_t i = int64_t(p % dims[0]), j = int64_t((p / dims[0]) % dims[1]), k = int64_t(p / (dims[0] * dims[1]));
            const int64_t nb[6][3] = {{i - 1, j, k}, {i + 1, j, k}, {i, j - 1, k}, {i, j + 1, k}, {i, j, k - 1}, {i, j, k + 1}};
            for (auto &q : nb) {
                if (q[0] < 0 || q[1] < 0 || q[2] < 0 || q[0] >= dims[0] || q[1] >= dims[1] || q[2] >= dims[2]) continue;
                const uint64_t r = grid.id(q[0], q[1], q[2]);
                if (seen[r] || !(dp + reach(r) > clear)) continue;
                seen[r] = 1;
                order.push_back(uint32_t(r));
            }
        }
        judge.push_back(best);
    }
    starts.push_back(uint32_t(order.size()));
    std::vector<uint8_t> inside(judge.size());
    parallel_for(judge.size(), progress, 0.0, 0.0, "regions",
                 [&](size_t r) { inside[r] = encloses(tree, grid.point(judge[r]), reach(judge[r]), grid.h); });
    progress.log("regions: %zu", judge.size());
    // `seen` becomes the answer: every point belongs to one region, so every entry is written.
    for (size_t r = 0; r < judge.size(); ++r)
        for (uint32_t i = starts[r]; i < starts[r + 1]; ++i) seen[order[i]] = inside[r];
    return seen;
}

} // namespace mf

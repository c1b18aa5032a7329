// Sides of a closed surface on a grid: breadth-first regions of points whose joining edges the surface
// cannot reach, each judged by one generalized winding number (the expensive query) at its point farthest
// from the surface, where the far-field approximation is safest.
#include "grid_sides.hpp"

#include "parallel.hpp"
#include "progress.hpp"
#include "triangle_tree.hpp"

namespace mf {

bool encloses(const TriangleTree &tree, const Vec3d &p, double distance, double h, bool closed) {
    if (distance > 1e-6 * h) return tree.winding_of(p, closed) > 0.5;
    // Pairs of opposite nudges in directions no axis-aligned face or edge contains: each pair straddles the
    // face, so that its mean is that of the two sides: 1/2 on the solid's boundary (outside and inside), 3/2
    // on an inner wall, 1 between parts touching face to face. The boundary stays outside, as a point just
    // off it would be, by a margin that no rounding of the 1/2 can cross.
    const double d = 1e-4 * h;
    const Vec3d directions[4] = {{1, 0.618034, 0.414214}, {-0.618034, 1, 0.301511},
                                 {0.414214, -0.301511, 1}, {0.577350, 0.707107, -0.816497}};
    double sum = 0;
    for (const Vec3d &u : directions) sum += tree.winding_mean_of(p + u * d, p - u * d, closed);
    return sum / 4 > 0.75;
}

std::vector<uint8_t> enclosed_by_region(const ScalarGrid &grid, const std::vector<uint8_t> &band,
                                        const std::vector<float> &near, float off_band, const TriangleTree &tree,
                                        Progress &progress) {
    const int64_t *dims = grid.dims;
    const uint64_t points = grid.point_count();
    auto reach = [&](uint64_t p) { return band[p] ? near[p] : off_band; };
    // A surface square to an edge makes the sum exactly the edge's length: a margin for float rounding.
    const float clear = 1.01f * float(grid.h);
    // Regions one after another in `order`, region r from starts[r]; each judged at its point farthest off.
    std::vector<uint32_t> order(points), starts, judge;
    size_t tail = 0;
    std::vector<uint8_t> seen(points, 0);
    const int64_t sx = 1, sy = dims[0], sz = dims[0] * dims[1];
    for (uint64_t seed = 0; seed < points; ++seed) {
        if (seen[seed]) continue;
        if ((starts.size() & 0xFFFF) == 0) progress.check();
        starts.push_back(uint32_t(tail));
        seen[seed] = 1;
        order[tail++] = uint32_t(seed);
        uint32_t best = uint32_t(seed);
        float best_reach = reach(seed);
        for (size_t head = starts.back(); head < tail; ++head) {
            const uint32_t p = order[head];
            const float dp = reach(p);
            if (dp > best_reach) best = p, best_reach = dp;
            const int64_t i = int64_t(p % dims[0]), j = int64_t((p / dims[0]) % dims[1]), k = int64_t(p / sz);
            // The six neighbours in the order -x, +x, -y, +y, -z, +z (the walk's order fixes each region's
            // judged point).
            const bool inside_grid[6] = {i > 0, i + 1 < dims[0], j > 0, j + 1 < dims[1], k > 0, k + 1 < dims[2]};
            const int64_t step[6] = {-sx, sx, -sy, sy, -sz, sz};
            for (int n = 0; n < 6; ++n) {
                if (!inside_grid[n]) continue;
                const uint64_t r = uint64_t(int64_t(p) + step[n]);
                if (seen[r]) continue;
                if (dp + reach(r) > clear) {
                    seen[r] = 1;
                    order[tail++] = uint32_t(r);
                }
            }
        }
        judge.push_back(best);
    }
    starts.push_back(uint32_t(tail));
    std::vector<uint8_t> inside(judge.size());
    parallel_for(judge.size(), progress, 0.0, 0.0, "regions",
                 [&](size_t r) { inside[r] = encloses(tree, grid.point(judge[r]), reach(judge[r]), grid.h, true); });
    progress.log("regions: %zu", judge.size());
    // `seen` becomes the answer: every point belongs to one region, so every entry is written.
    for (size_t r = 0; r < judge.size(); ++r)
        for (uint32_t i = starts[r]; i < starts[r + 1]; ++i) seen[order[i]] = inside[r];
    return seen;
}

} // namespace mf

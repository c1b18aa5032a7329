// Weld within a tolerance: exact weld first (bit-equal positions), then vertices closer than the tolerance
// are joined through a hash grid of tolerance-sized cells (27 neighbour cells a vertex), clusters by
// union-find, and every member snapped onto the cluster's first vertex.
#include "weld_tolerance.hpp"

#include "union_find.hpp"
#include "weld.hpp"

#include <cmath>
#include <unordered_map>

namespace mf {

std::vector<uint32_t> weld_with_tolerance(IndexedMesh &mesh, double tolerance, uint64_t &merged) {
    WeldResult exact = weld_exact(mesh.positions, nullptr);
    merged = 0;
    const uint32_t n = uint32_t(exact.positions.size());
    if (!(tolerance > 0) || n == 0) return exact.remap;

    UnionFind clusters(n);
    std::unordered_map<uint64_t, std::vector<uint32_t>> grid;
    grid.reserve(n);
    auto cell_key = [](int64_t x, int64_t y, int64_t z) {
        return (uint64_t(x) * 73856093u) ^ (uint64_t(y) * 19349663u) ^ (uint64_t(z) * 83492791u);
    };
    const double inv = 1.0 / tolerance, t2 = tolerance * tolerance;
    // A coordinate many cells from the origin (a tolerance tiny beside the coordinates: |x| / tolerance beyond
    // int64) is clamped into the outermost cell instead of converted out of range (undefined behaviour); the
    // distance test below keeps the answer exact, only that cell grows crowded.
    auto cell = [inv](double x) {
        double c = std::floor(x * inv);
        return c > -0x1p60 ? (c < 0x1p60 ? int64_t(c) : int64_t(1) << 60) : -(int64_t(1) << 60);
    };
    for (uint32_t i = 0; i < n; ++i) {
        const Vec3d &p = exact.positions[i];
        int64_t cx = cell(p.x), cy = cell(p.y), cz = cell(p.z);
        for (int dx = -1; dx <= 1; ++dx)
            for (int dy = -1; dy <= 1; ++dy)
                for (int dz = -1; dz <= 1; ++dz) {
                    auto it = grid.find(cell_key(cx + dx, cy + dy, cz + dz));
                    if (it == grid.end()) continue;
                    for (uint32_t j : it->second)
                        if (norm2(exact.positions[j] - p) <= t2) clusters.unite(i, j);
                }
        grid[cell_key(cx, cy, cz)].push_back(i);
    }
    std::vector<uint32_t> compact(n, 0xFFFFFFFFu);
    uint32_t next = 0;
    for (uint32_t i = 0; i < n; ++i) {
        uint32_t root = clusters.find(i);
        if (compact[root] == 0xFFFFFFFFu) compact[root] = next++;
        if (root != i) ++merged;
    }
    std::vector<uint32_t> welded(mesh.positions.size());
    for (size_t v = 0; v < welded.size(); ++v) {
        uint32_t root = clusters.find(exact.remap[v]);
        welded[v] = compact[root];
        mesh.positions[v] = exact.positions[root];
    }
    return welded;
}

} // namespace mf

// Sides by column crossings: for a closed surface the winding number along a vertical line changes by the
// facing of each face the line passes through, so one sorted list of crossings a column gives the side of
// every point on it, in time proportional to the faces and the points, with no winding-number query.
#include "hollow_columns.hpp"

#include "hollow_pages.hpp"
#include "parallel.hpp"
#include "parallel_blocks.hpp"
#include "predicates.hpp"
#include "progress.hpp"

#include <algorithm>
#include <cmath>

namespace mf {

namespace {

struct Crossing {
    uint32_t column;
    float z;
    int8_t facing; // +1: the face looks up (the line leaves the solid going up)
};

// The sign of orient2d(a, b, q) in xy for q moved by (e, e^2), e infinitesimal: exact, and never 0 for an
// edge of positive length, so that the two faces sharing an edge never both hold (nor both miss) q.
int side_of_edge(const Vec3d &a, const Vec3d &b, const Vec3d &q) {
    const int s = orient3d({a.x, a.y, 0}, {b.x, b.y, 0}, {q.x, q.y, 0}, {a.x, a.y, 1});
    if (s != 0) return s;
    if (a.y != b.y) return a.y > b.y ? 1 : -1;
    if (a.x != b.x) return b.x > a.x ? 1 : -1;
    return 0;
}

double edge_function(const Vec3d &a, const Vec3d &b, const Vec3d &q) {
    return (b.x - a.x) * (q.y - a.y) - (b.y - a.y) * (q.x - a.x);
}

} // namespace

std::vector<uint8_t> inside_by_columns(const ScalarGrid &grid, const IndexedMesh &mesh, Progress &progress) {
    const int64_t *dims = grid.dims;
    const double h = grid.h;
    const size_t faces = mesh.tris.size() / 3;
    // Blocks of faces on two threads, each with its own list, joined afterwards (sorted, so in any order).
    const size_t blocks = std::min<size_t>(64, faces / 1024 + 1);
    std::vector<std::vector<Crossing>> found(blocks);
    auto column_crossings = [&](size_t f, std::vector<Crossing> &crossings) {
        const Vec3d &a = mesh.positions[mesh.tris[3 * f]], &b = mesh.positions[mesh.tris[3 * f + 1]],
                    &c = mesh.positions[mesh.tris[3 * f + 2]];
        const int64_t i0 = std::max<int64_t>(0, int64_t(std::floor((std::min({a.x, b.x, c.x}) - grid.origin[0]) / h))),
                      i1 = std::min<int64_t>(dims[0] - 1, int64_t(std::ceil((std::max({a.x, b.x, c.x}) - grid.origin[0]) / h))),
                      j0 = std::max<int64_t>(0, int64_t(std::floor((std::min({a.y, b.y, c.y}) - grid.origin[1]) / h))),
                      j1 = std::min<int64_t>(dims[1] - 1, int64_t(std::ceil((std::max({a.y, b.y, c.y}) - grid.origin[1]) / h)));
        for (int64_t j = j0; j <= j1; ++j)
            for (int64_t i = i0; i <= i1; ++i) {
                const Vec3d q{grid.origin[0] + double(i) * h, grid.origin[1] + double(j) * h, 0};
                const int s = side_of_edge(a, b, q);
                if (s == 0 || side_of_edge(b, c, q) != s || side_of_edge(c, a, q) != s) continue;
                // Where the face's plane meets the column (barycentric weights in xy; the weights are
                // never all zero here, since the projection holds the column with a non-zero area).
                const double wa = edge_function(b, c, q), wb = edge_function(c, a, q), wc = edge_function(a, b, q);
                const double sum = wa + wb + wc;
                const double z = sum != 0 ? (wa * a.z + wb * b.z + wc * c.z) / sum : (a.z + b.z + c.z) / 3;
                crossings.push_back({uint32_t(j * dims[0] + i), float(z), int8_t(s)});
            }
    };
    parallel_blocks(blocks, progress, [&](size_t b) {
        for (size_t f = faces * b / blocks; f < faces * (b + 1) / blocks; ++f) column_crossings(f, found[b]);
    });
    std::vector<Crossing> crossings;
    for (std::vector<Crossing> &part : found) {
        crossings.insert(crossings.end(), part.begin(), part.end());
        std::vector<Crossing>().swap(part);
    }
    std::sort(crossings.begin(), crossings.end(), [](const Crossing &x, const Crossing &y) {
        return x.column != y.column ? x.column < y.column : x.z > y.z;
    });
    progress.check();
    std::vector<uint8_t> inside;
    assign_on_huge_pages(inside, grid.point_count(), uint8_t(0));
    const uint64_t slab = uint64_t(dims[0]) * uint64_t(dims[1]);
    // The columns from crossing `from` up to the first of another column at or past `to`.
    auto fill = [&](size_t from, size_t to) {
        for (size_t first = from; first < to;) {
            const uint32_t column = crossings[first].column;
            size_t last = first;
            while (last < crossings.size() && crossings[last].column == column) ++last;
            // Downward from the top: the winding number below each crossing.
            int winding = 0;
            size_t next = first;
            for (int64_t k = dims[2] - 1; k >= 0; --k) {
                const double z = grid.origin[2] + double(k) * h;
                while (next < last && double(crossings[next].z) > z) winding += crossings[next++].facing;
                if (winding > 0) inside[uint64_t(k) * slab + column] = 1;
            }
            first = last;
        }
    };
    // Two threads, each a run of whole columns.
    size_t middle = crossings.size() / 2;
    while (middle > 0 && middle < crossings.size() && crossings[middle].column == crossings[middle - 1].column) ++middle;
    run_with_helper([&] { fill(0, middle); }, [&] { fill(middle, crossings.size()); });
    return inside;
}

} // namespace mf

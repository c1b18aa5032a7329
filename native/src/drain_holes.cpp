// Drain holes in the volume domain: each is a capped cylinder whose field the hollowing takes the union of
// with the empty space before contouring, so that a hole cannot fail the way a mesh boolean can. Placement
// walks the grid; drainage is proved by connectivity: the region of empty points holding a cavity reaches outside.
#include "drain_holes.hpp"

#include "hollow_pages.hpp"
#include "parallel.hpp"
#include "progress.hpp"
#include "triangle_tree.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mf {

namespace {

// The grid point nearest x, or UINT64_MAX off the grid.
uint64_t nearest_point(const ScalarGrid &g, const Vec3d &x) {
    int64_t c[3];
    for (int k = 0; k < 3; ++k) {
        c[k] = int64_t(std::llround((coord(x, k) - g.origin[k]) / g.h));
        if (c[k] < 0 || c[k] >= g.dims[k]) return UINT64_MAX;
    }
    return g.id(c[0], c[1], c[2]);
}

// Walks from start along dir in half cells until the axis is off the solid (a point outside, or off the
// grid), then `beyond` farther; returns {where it left, the end}.
std::pair<Vec3d, Vec3d> walk_out(const SolidGrid &s, const Vec3d &start, const Vec3d &dir, double beyond) {
    const double step = 0.5 * s.grid.h;
    const double longest = step * 2 * double(std::max({s.grid.dims[0], s.grid.dims[1], s.grid.dims[2]})) * 2;
    for (double t = 0; t < longest; t += step) {
        const Vec3d x = start + dir * t;
        const uint64_t p = nearest_point(s.grid, x);
        if (p == UINT64_MAX || !s.inside[p]) return {x, x + dir * beyond};
    }
    return {start, start + dir * beyond}; // cannot happen: the grid's margin is outside
}

// The connected regions (6-neighbours) of the grid points where `in` holds, by runs along x: the runs of each
// row (in parallel), each joined to the runs it touches in the rows below it along y and z (union-find, in
// order). Every run's root is its region's first run in point order (every join keeps the smaller run number,
// and runs are numbered in point order).
struct RunRegions {
    struct Run {
        int64_t begin, end; // [begin, end) along x
    };
    std::vector<std::vector<Run>> row_runs; // per row (j + dims[1] * k), its runs in order
    std::vector<uint32_t> rows_start;       // the number of row r's first run
    std::vector<uint32_t> root;             // per run, its region's first run

    // The run holding point i of row r, or UINT32_MAX where `in` does not hold there.
    uint32_t run_at(uint64_t r, int64_t i) const {
        const std::vector<Run> &runs = row_runs[r];
        const auto at = std::upper_bound(runs.begin(), runs.end(), i, [](int64_t x, const Run &run) { return x < run.begin; });
        if (at == runs.begin() || (at - 1)->end <= i) return UINT32_MAX;
        return rows_start[r] + uint32_t(at - 1 - runs.begin());
    }
};

template <class In>
RunRegions run_regions(const ScalarGrid &grid, In in, Progress &progress) {
    RunRegions out;
    const int64_t *dims = grid.dims;
    const uint64_t rows = uint64_t(dims[1] * dims[2]);
    out.row_runs.resize(rows);
    parallel_for(rows, progress, 0.0, 0.0, "cavities", [&](size_t r) {
        const float *row = &grid.field[r * uint64_t(dims[0])];
        for (int64_t i = 0; i < dims[0];) {
            if (!in(row[i])) {
                ++i;
                continue;
            }
            const int64_t begin = i;
            while (i < dims[0] && in(row[i])) ++i;
            out.row_runs[r].push_back({begin, i});
        }
    });
    out.rows_start.assign(rows + 1, 0);
    for (uint64_t r = 0; r < rows; ++r) out.rows_start[r + 1] = out.rows_start[r] + uint32_t(out.row_runs[r].size());
    const uint32_t runs = out.rows_start[rows];
    std::vector<uint32_t> &parent = out.root;
    parent.resize(runs);
    for (uint32_t x = 0; x < runs; ++x) parent[x] = x;
    auto root = [&](uint32_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    auto join_rows = [&](uint64_t r, uint64_t below) {
        const std::vector<RunRegions::Run> &a = out.row_runs[r], &b = out.row_runs[below];
        for (size_t x = 0, y = 0; x < a.size() && y < b.size();) {
            if (a[x].begin < b[y].end && b[y].begin < a[x].end) {
                const uint32_t u = root(out.rows_start[r] + uint32_t(x)), v = root(out.rows_start[below] + uint32_t(y));
                if (u != v) parent[std::max(u, v)] = std::min(u, v);
            }
            if (a[x].end < b[y].end) ++x;
            else ++y;
        }
    };
    for (int64_t k = 0; k < dims[2]; ++k)
        for (int64_t j = 0; j < dims[1]; ++j) {
            const uint64_t r = uint64_t(j + dims[1] * k);
            if (j > 0) join_rows(r, r - 1);
            if (k > 0) join_rows(r, r - uint64_t(dims[1]));
        }
    for (uint32_t x = 0; x < runs; ++x) parent[x] = root(x);
    return out;
}

} // namespace

// Regions numbered as their roots come, which is the order a flood fill seeded in point order numbers them.
CavityMap label_cavities(ScalarGrid &field, uint32_t min_points, float fill, Progress &progress) {
    CavityMap map;
    const int64_t *dims = field.dims;
    const uint64_t n = field.point_count(), rows = uint64_t(dims[1] * dims[2]);
    assign_on_huge_pages(map.label, n, 0u);
    const RunRegions regions = run_regions(field, [](float v) { return v < 0; }, progress);
    const uint32_t runs = regions.rows_start[rows];
    std::vector<uint64_t> size(runs, 0);
    for (uint64_t r = 0; r < rows; ++r)
        for (size_t x = 0; x < regions.row_runs[r].size(); ++x)
            size[regions.root[regions.rows_start[r] + x]] +=
                uint64_t(regions.row_runs[r][x].end - regions.row_runs[r][x].begin);
    std::vector<uint32_t> number(runs, 0);
    uint32_t next = 1;
    for (uint32_t x = 0; x < runs; ++x)
        if (regions.root[x] == x && size[x] >= min_points) number[x] = next++;
    parallel_for(rows, progress, 0.0, 0.0, "cavities", [&](size_t r) {
        const uint64_t base = r * uint64_t(dims[0]);
        for (size_t x = 0; x < regions.row_runs[r].size(); ++x) {
            const RunRegions::Run &run = regions.row_runs[r][x];
            const uint32_t c = number[regions.root[regions.rows_start[r] + x]];
            for (int64_t i = run.begin; i < run.end; ++i) {
                if (c) map.label[base + uint64_t(i)] = c;
                else field.field[base + uint64_t(i)] = fill;
            }
        }
    });
    map.count = next - 1;
    return map;
}

std::vector<DrainHole> place_holes_auto(const SolidGrid &s, const Vec3d &up, double radius, bool vents) {
    const uint32_t count = s.cavities.count;
    const double inf = std::numeric_limits<double>::infinity();
    // Per cavity: the least and greatest height along up, and the centre of its points.
    std::vector<double> low(count + 1, inf), high(count + 1, -inf);
    std::vector<Vec3d> centre(count + 1, Vec3d{0, 0, 0});
    std::vector<uint64_t> size(count + 1, 0);
    // Both passes go through the points in id order, row by row (the point of a row's i-th id computed as
    // ScalarGrid::point does, without its divisions).
    const ScalarGrid &g = s.grid;
    auto each_cavity_point = [&](auto visit) {
        for (int64_t k = 0; k < g.dims[2]; ++k)
            for (int64_t j = 0; j < g.dims[1]; ++j) {
                const uint64_t row = g.id(0, j, k);
                const uint32_t *label = &s.cavities.label[row];
                for (int64_t i = 0; i < g.dims[0]; ++i)
                    if (label[i])
                        visit(label[i], row + uint64_t(i), Vec3d{g.origin[0] + i * g.h, g.origin[1] + j * g.h, g.origin[2] + k * g.h});
            }
    };
    each_cavity_point([&](uint32_t c, uint64_t, const Vec3d &x) {
        const double height = dot(x, up);
        low[c] = std::min(low[c], height), high[c] = std::max(high[c], height);
        centre[c] = centre[c] + x;
        ++size[c];
    });
    // The lowest (highest) point of each cavity: of those within half a cell of its extreme, the one nearest
    // the cavity's centre seen along up, so that a flat floor is drilled in its middle.
    std::vector<uint64_t> bottom(count + 1, UINT64_MAX), top(count + 1, UINT64_MAX);
    std::vector<double> bottom_off(count + 1, inf), top_off(count + 1, inf);
    const double half = 0.5 * s.grid.h;
    each_cavity_point([&](uint32_t c, uint64_t p, const Vec3d &x) {
        const double height = dot(x, up);
        const bool lowest = height <= low[c] + half, highest = height >= high[c] - half;
        if (!lowest && !highest) return;
        const Vec3d m = centre[c] * (1.0 / double(size[c]));
        const Vec3d flat = (x - m) - up * dot(x - m, up);
        const double off = norm2(flat);
        if (lowest && off < bottom_off[c]) bottom[c] = p, bottom_off[c] = off;
        if (highest && off < top_off[c]) top[c] = p, top_off[c] = off;
    });
    std::vector<DrainHole> holes;
    const double beyond = radius + 2 * s.grid.h;
    for (uint32_t c = 1; c <= count; ++c) {
        const Vec3d down = up * -1.0;
        for (int vent = 0; vent < (vents ? 2 : 1); ++vent) {
            const Vec3d dir = vent ? up : down;
            const Vec3d start = s.grid.point(vent ? top[c] : bottom[c]);
            // From inside the cavity: half a cell back up, so that the end cap sits in the empty space.
            const Vec3d from = start - dir * half;
            // Out of the cavity first, then through the wall until off the solid.
            double t = 0;
            while (true) {
                const uint64_t p = nearest_point(s.grid, start + dir * t);
                if (p == UINT64_MAX || s.cavities.label[p] != c) break;
                t += half;
            }
            const auto [opening, end] = walk_out(s, start + dir * t, dir, beyond);
            holes.push_back({from, end, opening, c});
        }
    }
    return holes;
}

std::vector<DrainHole> place_holes_at(const SolidGrid &s, const TriangleTree &outer, const std::vector<Vec3d> &points,
                                      const std::vector<Vec3d> &positions, const std::vector<uint32_t> &tris,
                                      double radius, double depth) {
    std::vector<DrainHole> holes;
    const double half = 0.5 * s.grid.h;
    for (const Vec3d &q : points) {
        const ClosestHit hit = outer.closest(q);
        const uint32_t *t = &tris[3 * size_t(hit.face)];
        const Vec3d c = positions[t[0]] * hit.bary[0] + positions[t[1]] * hit.bary[1] + positions[t[2]] * hit.bary[2];
        Vec3d n = cross(positions[t[1]] - positions[t[0]], positions[t[2]] - positions[t[0]]);
        n = n * (1.0 / norm(n)); // outward: the input is an outward solid
        DrainHole hole{c - n * depth, c + n * (radius + 2 * s.grid.h), c, 0};
        // Inward from the surface until the axis is in a cavity, then half a cell on.
        for (double along = 0; along < depth; along += half) {
            const uint64_t p = nearest_point(s.grid, c - n * along);
            if (p != UINT64_MAX && s.cavities.label[p]) {
                hole.cavity = s.cavities.label[p];
                hole.inner = c - n * (along + half);
                break;
            }
        }
        holes.push_back(hole);
    }
    return holes;
}

double hole_box_distance(const DrainHole &hole, double radius, const Vec3d &q) {
    double d2 = 0;
    for (int k = 0; k < 3; ++k) {
        const double lo = std::min(coord(hole.inner, k), coord(hole.outer, k)) - radius;
        const double hi = std::max(coord(hole.inner, k), coord(hole.outer, k)) + radius;
        const double c = coord(q, k), e = c < lo ? lo - c : c > hi ? c - hi : 0.0;
        d2 += e * e;
    }
    return std::sqrt(d2);
}

double hole_distance(const DrainHole &hole, double radius, const Vec3d &q) {
    const Vec3d axis = hole.outer - hole.inner;
    const double length = norm(axis);
    const Vec3d u = axis * (1.0 / length);
    const double t = dot(q - hole.inner, u);
    const double radial = norm((q - hole.inner) - u * t) - radius;
    const double along = std::max(-t, t - length);
    const double outside = std::hypot(std::max(radial, 0.0), std::max(along, 0.0));
    return outside + std::min(std::max(radial, along), 0.0);
}

TangentPlane hole_plane(const DrainHole &hole, double radius, const Vec3d &q) {
    const Vec3d axis = hole.outer - hole.inner;
    const double length = norm(axis);
    const Vec3d u = axis * (1.0 / length);
    const double t = dot(q - hole.inner, u);
    const Vec3d foot = hole.inner + u * t;
    const Vec3d off = q - foot;
    const double r = norm(off);
    const double along = std::max(-t, t - length), radial = r - radius;
    if (along > radial || !(r > 0)) {
        const bool far_end = t > 0.5 * length;
        return {far_end ? hole.outer + off : hole.inner + off, far_end ? u : u * -1.0};
    }
    const Vec3d n = off * (1.0 / r);
    return {foot + n * radius, n};
}

// The regions of empty points (runs, as for the cavities) that touch the grid's boundary are the outside and
// whatever the holes join to it; a cavity, connected and empty, lies in one region: the one of its first point.
std::vector<uint8_t> drained_cavities(const ScalarGrid &material, const CavityMap &cavities, Progress &progress) {
    const int64_t *dims = material.dims;
    const uint64_t rows = uint64_t(dims[1] * dims[2]);
    const RunRegions empty = run_regions(material, [](float v) { return v > 0; }, progress);
    std::vector<uint8_t> outside(empty.root.size(), 0);
    for (uint64_t r = 0; r < rows; ++r) {
        const int64_t j = int64_t(r % uint64_t(dims[1])), k = int64_t(r / uint64_t(dims[1]));
        const bool side = j == 0 || k == 0 || j == dims[1] - 1 || k == dims[2] - 1;
        for (size_t x = 0; x < empty.row_runs[r].size(); ++x) {
            const RunRegions::Run &run = empty.row_runs[r][x];
            if (side || run.begin == 0 || run.end == dims[0]) outside[empty.root[empty.rows_start[r] + x]] = 1;
        }
    }
    std::vector<uint8_t> drained(cavities.count + 1, 0), seen(cavities.count + 1, 0);
    uint32_t left = cavities.count;
    for (uint64_t p = 0; p < cavities.label.size() && left > 0; ++p) {
        const uint32_t c = cavities.label[p];
        if (!c || seen[c]) continue;
        seen[c] = 1;
        --left;
        const uint32_t run = empty.run_at(p / uint64_t(dims[0]), int64_t(p % uint64_t(dims[0])));
        drained[c] = run != UINT32_MAX && outside[empty.root[run]];
    }
    return drained;
}

} // namespace mf

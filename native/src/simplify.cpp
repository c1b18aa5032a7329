// Quadric edge collapse (Garland-Heckbert error, half-edge collapses that keep one endpoint's position, so
// every vertex stays on the contoured surface). Collapses run in passes: candidates sorted by error, each
// collapse locks the one-ring it touched, adjacency is rebuilt between passes. A collapse must keep the
// link condition (the surface stays a manifold), must not turn any face by more than ~75 degrees, nor
// make a face much thinner than the worst it replaces. With a guard cell, a collapse must also leave its
// new faces clear of every other face (the exact crossing test of inspect, on float32-rounded positions,
// against the faces a uniform grid of guard-cell size finds near them), so that the result stays free of
// self-intersections; the caller still checks it with inspect.
#include "simplify.hpp"

#include "intersect.hpp"
#include "progress.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

namespace mf {

namespace {

using Quadric = std::array<double, 10>; // symmetric 4x4: a2 ab ac ad b2 bc bd c2 cd d2

void add_plane(Quadric &q, const Vec3d &n, double d) {
    const double a = n.x, b = n.y, c = n.z;
    q[0] += a * a, q[1] += a * b, q[2] += a * c, q[3] += a * d, q[4] += b * b;
    q[5] += b * c, q[6] += b * d, q[7] += c * c, q[8] += c * d, q[9] += d * d;
}

double evaluate(const Quadric &q, const Quadric &r, const Vec3d &p) {
    double x = p.x, y = p.y, z = p.z;
    auto e = [&](int i) { return q[i] + r[i]; };
    return e(0) * x * x + 2 * e(1) * x * y + 2 * e(2) * x * z + 2 * e(3) * x + e(4) * y * y + 2 * e(5) * y * z +
           2 * e(6) * y + e(7) * z * z + 2 * e(8) * z + e(9);
}

double quality(const Vec3d &a, const Vec3d &b, const Vec3d &c) {
    double l = norm2(b - a) + norm2(c - b) + norm2(a - c);
    return l > 0 ? 6.928203230275509 * norm(cross(b - a, c - a)) * 0.5 / l : 0; // 1 for equilateral
}


// Live faces registered in the cells of a uniform grid their boxes overlap. A face that changes is
// registered again where it now is; stale entries stay and are filtered by the box test of the query.
class FaceGrid {
public:
    FaceGrid(const std::vector<Vec3d> &positions, double cell) {
        lo_ = {1e300, 1e300, 1e300};
        Vec3d hi{-1e300, -1e300, -1e300};
        for (const Vec3d &p : positions) {
            lo_ = {std::min(lo_.x, p.x), std::min(lo_.y, p.y), std::min(lo_.z, p.z)};
            hi = {std::max(hi.x, p.x), std::max(hi.y, p.y), std::max(hi.z, p.z)};
        }
        double extent = std::max({hi.x - lo_.x, hi.y - lo_.y, hi.z - lo_.z, 0.0});
        inv_ = 1.0 / std::max(cell, extent / 256.0 + 1e-300);
        for (int k = 0; k < 3; ++k) dims_[k] = std::max(1, int(std::floor((coord(hi, k) - coord(lo_, k)) * inv_)) + 1);
        cells_.resize(size_t(dims_[0]) * dims_[1] * dims_[2]);
    }

    template <class F> void for_cells(const Vec3d &lo, const Vec3d &hi, F &&f) const {
        int a[3], b[3];
        for (int k = 0; k < 3; ++k) {
            a[k] = std::clamp(int(std::floor((coord(lo, k) - coord(lo_, k)) * inv_)), 0, dims_[k] - 1);
            b[k] = std::clamp(int(std::floor((coord(hi, k) - coord(lo_, k)) * inv_)), 0, dims_[k] - 1);
        }
        for (int z = a[2]; z <= b[2]; ++z)
            for (int y = a[1]; y <= b[1]; ++y)
                for (int x = a[0]; x <= b[0]; ++x) f((size_t(z) * dims_[1] + y) * dims_[0] + x);
    }

    void insert(uint32_t face, const Vec3d &lo, const Vec3d &hi) {
        for_cells(lo, hi, [&](size_t c) { cells_[c].push_back(face); });
    }
    const std::vector<uint32_t> &cell(size_t c) const { return cells_[c]; }

private:
    Vec3d lo_;
    double inv_ = 1;
    int dims_[3] = {1, 1, 1};
    std::vector<std::vector<uint32_t>> cells_;
};

void box_of(const Vec3d t[3], Vec3d &lo, Vec3d &hi) {
    lo = {std::min({t[0].x, t[1].x, t[2].x}), std::min({t[0].y, t[1].y, t[2].y}), std::min({t[0].z, t[1].z, t[2].z})};
    hi = {std::max({t[0].x, t[1].x, t[2].x}), std::max({t[0].y, t[1].y, t[2].y}), std::max({t[0].z, t[1].z, t[2].z})};
}

bool boxes_overlap(const Vec3d &alo, const Vec3d &ahi, const Vec3d &blo, const Vec3d &bhi) {
    return alo.x <= bhi.x && blo.x <= ahi.x && alo.y <= bhi.y && blo.y <= ahi.y && alo.z <= bhi.z && blo.z <= ahi.z;
}

} // namespace

void simplify(IndexedMesh &mesh, uint64_t target_triangles, double max_error, Progress &progress, double guard_cell) {
    const uint32_t nv = uint32_t(mesh.positions.size());
    std::vector<uint32_t> &tris = mesh.tris;
    const size_t nf = tris.size() / 3;
    std::vector<uint8_t> dead(nf, 0);
    uint64_t live = nf;
    std::vector<Quadric> quadric(nv, Quadric{});
    for (size_t f = 0; f < nf; ++f) {
        const Vec3d &a = mesh.positions[tris[3 * f]], &b = mesh.positions[tris[3 * f + 1]], &c = mesh.positions[tris[3 * f + 2]];
        Vec3d n = cross(b - a, c - a);
        double len = norm(n);
        if (!(len > 0)) continue;
        n = n * (1.0 / len);
        for (int k = 0; k < 3; ++k) add_plane(quadric[tris[3 * f + k]], n, -dot(n, a));
    }
    std::unique_ptr<FaceGrid> grid;
    std::vector<uint32_t> stamp;
    uint32_t stamp_now = 0;
    std::vector<uint8_t> moving(guard_cell > 0 ? nf : 0, 0);
    auto corners = [&](size_t f, uint32_t from, uint32_t to, Vec3d t[3]) {
        for (int k = 0; k < 3; ++k) {
            uint32_t w = tris[3 * f + k];
            t[k] = rounded_to_float(mesh.positions[w == from ? to : w]);
        }
    };
    if (guard_cell > 0) {
        grid = std::make_unique<FaceGrid>(mesh.positions, guard_cell);
        stamp.assign(nf, 0);
        for (size_t f = 0; f < nf; ++f) {
            Vec3d t[3], lo, hi;
            corners(f, nv, nv, t);
            box_of(t, lo, hi);
            grid->insert(uint32_t(f), lo, hi);
        }
    }
    // Whether the faces of u, with u moved onto v, stay clear of every face that shares none of their
    // vertices.
    auto clear_after = [&](uint32_t u, uint32_t v, const std::vector<uint32_t> &u_faces) {
        for (uint32_t f : u_faces) moving[f] = 1;
        bool clear = true;
        for (uint32_t f : u_faces) {
            const uint32_t *t = &tris[3 * uint64_t(f)];
            if (t[0] == v || t[1] == v || t[2] == v) continue;
            uint32_t ids[3];
            for (int k = 0; k < 3; ++k) ids[k] = t[k] == u ? v : t[k];
            Vec3d a[3], lo, hi;
            corners(f, u, v, a);
            box_of(a, lo, hi);
            if (++stamp_now == 0) std::fill(stamp.begin(), stamp.end(), 0), stamp_now = 1;
            grid->for_cells(lo, hi, [&](size_t c) {
                if (!clear) return;
                for (uint32_t g : grid->cell(c)) {
                    if (stamp[g] == stamp_now || dead[g] || moving[g]) continue;
                    stamp[g] = stamp_now;
                    const uint32_t *q = &tris[3 * uint64_t(g)];
                    if (q[0] == ids[0] || q[0] == ids[1] || q[0] == ids[2] || q[1] == ids[0] || q[1] == ids[1] ||
                        q[1] == ids[2] || q[2] == ids[0] || q[2] == ids[1] || q[2] == ids[2])
                        continue;
                    Vec3d b[3], blo, bhi;
                    corners(g, nv, nv, b);
                    box_of(b, blo, bhi);
                    if (!boxes_overlap(lo, hi, blo, bhi)) continue;
                    if (triangles_cross(a, b)) {
                        clear = false;
                        return;
                    }
                }
            });
            if (!clear) break;
        }
        for (uint32_t f : u_faces) moving[f] = 0;
        return clear;
    };
    std::vector<uint32_t> u_faces;
    std::vector<uint64_t> offsets(nv + 1);
    std::vector<uint32_t> vertex_faces;
    std::vector<uint8_t> locked(nv);
    struct Candidate {
        double cost;
        uint32_t from, to;
    };
    std::vector<Candidate> candidates;
    std::vector<uint32_t> ring_u, ring_v;

    for (int pass = 0; pass < 100 && live > target_triangles; ++pass) {
        progress.check();
        std::fill(offsets.begin(), offsets.end(), 0);
        for (size_t f = 0; f < nf; ++f)
            if (!dead[f])
                for (int k = 0; k < 3; ++k) ++offsets[tris[3 * f + k] + 1];
        for (uint32_t v = 0; v < nv; ++v) offsets[v + 1] += offsets[v];
        vertex_faces.resize(offsets[nv]);
        {
            std::vector<uint64_t> fill(offsets.begin(), offsets.end() - 1);
            for (size_t f = 0; f < nf; ++f)
                if (!dead[f])
                    for (int k = 0; k < 3; ++k) vertex_faces[fill[tris[3 * f + k]]++] = uint32_t(f);
        }
        candidates.clear();
        for (size_t f = 0; f < nf; ++f) {
            if (dead[f]) continue;
            for (int k = 0; k < 3; ++k) {
                uint32_t a = tris[3 * f + k], b = tris[3 * f + (k + 1) % 3];
                if (a > b) continue; // each undirected edge once (from one of its two faces)
                double ab = evaluate(quadric[a], quadric[b], mesh.positions[b]);
                double ba = evaluate(quadric[a], quadric[b], mesh.positions[a]);
                // Only collapses within the error bound are ever taken: the others need not be sorted.
                if (std::min(ab, ba) > max_error) continue;
                if (ab <= ba) candidates.push_back({ab, a, b});
                else candidates.push_back({ba, b, a});
            }
        }
        std::sort(candidates.begin(), candidates.end(), [](const Candidate &x, const Candidate &y) { return x.cost < y.cost; });
        std::fill(locked.begin(), locked.end(), 0);
        uint64_t collapsed = 0;
        // Per pass at most what is left to go (two faces a collapse); the locks spread collapses out.
        const uint64_t pass_budget = std::max<uint64_t>(1, (live - target_triangles) / 2 + 1);
        for (const Candidate &cand : candidates) {
            if (cand.cost > max_error || live <= target_triangles || collapsed >= pass_budget) break;
            uint32_t u = cand.from, v = cand.to;
            if (locked[u] || locked[v]) continue;
            // One-rings.
            ring_u.clear();
            ring_v.clear();
            int shared_faces = 0;
            for (uint64_t i = offsets[u]; i < offsets[u + 1]; ++i) {
                const uint32_t *t = &tris[3 * uint64_t(vertex_faces[i])];
                bool has_v = t[0] == v || t[1] == v || t[2] == v;
                shared_faces += has_v;
                for (int k = 0; k < 3; ++k)
                    if (t[k] != u) ring_u.push_back(t[k]);
            }
            if (shared_faces != 2) continue;
            for (uint64_t i = offsets[v]; i < offsets[v + 1]; ++i) {
                const uint32_t *t = &tris[3 * uint64_t(vertex_faces[i])];
                for (int k = 0; k < 3; ++k)
                    if (t[k] != v) ring_v.push_back(t[k]);
            }
            std::sort(ring_u.begin(), ring_u.end());
            ring_u.erase(std::unique(ring_u.begin(), ring_u.end()), ring_u.end());
            std::sort(ring_v.begin(), ring_v.end());
            ring_v.erase(std::unique(ring_v.begin(), ring_v.end()), ring_v.end());
            if (ring_u.size() < 3 || ring_v.size() < 3) continue;
            int common = 0;
            for (size_t i = 0, j = 0; i < ring_u.size() && j < ring_v.size();) {
                if (ring_u[i] == ring_v[j]) ++common, ++i, ++j;
                else if (ring_u[i] < ring_v[j]) ++i;
                else ++j;
            }
            if (common != 2) continue; // link condition: only the two opposite corners are shared
            if (ring_u.size() + ring_v.size() - common - 2 < 3) continue; // would leave a too-small ring
            bool ok = true;
            double worst_before = 1;
            for (uint64_t i = offsets[u]; i < offsets[u + 1] && ok; ++i) {
                const uint32_t *t = &tris[3 * uint64_t(vertex_faces[i])];
                worst_before = std::min(worst_before, quality(mesh.positions[t[0]], mesh.positions[t[1]], mesh.positions[t[2]]));
            }
            for (uint64_t i = offsets[u]; i < offsets[u + 1] && ok; ++i) {
                const uint32_t *t = &tris[3 * uint64_t(vertex_faces[i])];
                if (t[0] == v || t[1] == v || t[2] == v) continue;
                Vec3d p[3], q[3];
                for (int k = 0; k < 3; ++k) {
                    p[k] = mesh.positions[t[k]];
                    q[k] = t[k] == u ? mesh.positions[v] : p[k];
                }
                Vec3d n0 = cross(p[1] - p[0], p[2] - p[0]), n1 = cross(q[1] - q[0], q[2] - q[0]);
                double l0 = norm(n0), l1 = norm(n1);
                if (!(l1 > 0) || dot(n0, n1) < 0.25 * l0 * l1) ok = false;
                else if (quality(q[0], q[1], q[2]) < std::min(0.1, 0.5 * worst_before)) ok = false;
            }
            if (!ok) continue;
            if (grid) {
                u_faces.assign(vertex_faces.begin() + offsets[u], vertex_faces.begin() + offsets[u + 1]);
                if (!clear_after(u, v, u_faces)) continue;
            }
            for (uint64_t i = offsets[u]; i < offsets[u + 1]; ++i) {
                uint32_t f = vertex_faces[i];
                uint32_t *t = &tris[3 * uint64_t(f)];
                if (t[0] == v || t[1] == v || t[2] == v) {
                    dead[f] = 1;
                    --live;
                    continue;
                }
                for (int k = 0; k < 3; ++k)
                    if (t[k] == u) t[k] = v;
                if (grid) {
                    Vec3d a[3], lo, hi;
                    corners(f, nv, nv, a);
                    box_of(a, lo, hi);
                    grid->insert(f, lo, hi);
                }
            }
            for (int k = 0; k < 10; ++k) quadric[v][k] += quadric[u][k];
            locked[u] = locked[v] = 1;
            for (uint32_t w : ring_u) locked[w] = 1;
            for (uint32_t w : ring_v) locked[w] = 1;
            ++collapsed;
        }
        if (collapsed == 0) break;
    }
    std::vector<uint32_t> kept;
    kept.reserve(3 * live);
    for (size_t f = 0; f < nf; ++f)
        if (!dead[f]) kept.insert(kept.end(), tris.begin() + 3 * f, tris.begin() + 3 * f + 3);
    tris.swap(kept);
    compact_vertices(mesh);
}

} // namespace mf

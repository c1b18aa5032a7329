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

// The crossing guard: the live faces in a FaceGrid, on float32-rounded corners, and the test that the faces
// of u moved onto v stay clear of every face sharing none of their vertices.
class CrossingGuard {
public:
    CrossingGuard(const IndexedMesh &mesh, const std::vector<uint8_t> &dead, double cell)
        : mesh_(mesh), dead_(dead), grid_(mesh.positions, cell), stamp_(dead.size(), 0), moving_(dead.size(), 0) {
        for (size_t f = 0; f < dead.size(); ++f) insert(uint32_t(f));
    }

    // Registers face f where its corners are now.
    void insert(uint32_t f) {
        Vec3d t[3], lo, hi;
        corners(f, kNone, kNone, t);
        box_of(t, lo, hi);
        grid_.insert(f, lo, hi);
    }

    // Whether the faces of u (u_faces), with u moved onto v, stay clear of every face that shares none of
    // their vertices.
    bool clear_after(uint32_t u, uint32_t v, const std::vector<uint32_t> &u_faces) {
        for (uint32_t f : u_faces) moving_[f] = 1;
        bool clear = true;
        for (uint32_t f : u_faces) {
            if (!face_clear_after(f, u, v)) {
                clear = false;
                break;
            }
        }
        for (uint32_t f : u_faces) moving_[f] = 0;
        return clear;
    }

private:
    static constexpr uint32_t kNone = 0xFFFFFFFFu;

    // The float32-rounded corners of face f with vertex `from` replaced by `to`.
    void corners(size_t f, uint32_t from, uint32_t to, Vec3d t[3]) const {
        for (int k = 0; k < 3; ++k) {
            uint32_t w = mesh_.tris[3 * f + k];
            t[k] = rounded_to_float(mesh_.positions[w == from ? to : w]);
        }
    }

    bool face_clear_after(uint32_t f, uint32_t u, uint32_t v) {
        const uint32_t *t = &mesh_.tris[3 * uint64_t(f)];
        if (t[0] == v || t[1] == v || t[2] == v) return true; // goes with the collapse
        uint32_t ids[3];
        for (int k = 0; k < 3; ++k) ids[k] = t[k] == u ? v : t[k];
        Vec3d a[3], lo, hi;
        corners(f, u, v, a);
        box_of(a, lo, hi);
        if (++stamp_now_ == 0) std::fill(stamp_.begin(), stamp_.end(), 0), stamp_now_ = 1;
        bool clear = true;
        grid_.for_cells(lo, hi, [&](size_t c) {
            if (!clear) return;
            for (uint32_t g : grid_.cell(c)) {
                if (stamp_[g] == stamp_now_ || dead_[g] || moving_[g]) continue;
                stamp_[g] = stamp_now_;
                const uint32_t *q = &mesh_.tris[3 * uint64_t(g)];
                if (q[0] == ids[0] || q[0] == ids[1] || q[0] == ids[2] || q[1] == ids[0] || q[1] == ids[1] ||
                    q[1] == ids[2] || q[2] == ids[0] || q[2] == ids[1] || q[2] == ids[2])
                    continue;
                Vec3d b[3], blo, bhi;
                corners(g, kNone, kNone, b);
                box_of(b, blo, bhi);
                if (!boxes_overlap(lo, hi, blo, bhi)) continue;
                if (triangles_cross(a, b)) {
                    clear = false;
                    return;
                }
            }
        });
        return clear;
    }

    const IndexedMesh &mesh_;
    const std::vector<uint8_t> &dead_;
    FaceGrid grid_;
    std::vector<uint32_t> stamp_;
    uint32_t stamp_now_ = 0;
    std::vector<uint8_t> moving_;
};

struct Candidate {
    double cost;
    uint32_t from, to;
};

// The state of one decimation: face liveness, vertex quadrics, the faces of every vertex (rebuilt each
// pass) and the one-rings of the collapse being judged.
class EdgeCollapse {
public:
    EdgeCollapse(IndexedMesh &mesh, double guard_cell)
        : mesh_(mesh), tris_(mesh.tris), nv_(uint32_t(mesh.positions.size())), nf_(tris_.size() / 3), dead_(nf_, 0),
          live_(nf_), quadric_(nv_, Quadric{}), offsets_(nv_ + 1), locked_(nv_) {
        for (size_t f = 0; f < nf_; ++f) {
            const Vec3d &a = mesh.positions[tris_[3 * f]], &b = mesh.positions[tris_[3 * f + 1]],
                        &c = mesh.positions[tris_[3 * f + 2]];
            Vec3d n = cross(b - a, c - a);
            double len = norm(n);
            if (!(len > 0)) continue;
            n = n * (1.0 / len);
            for (int k = 0; k < 3; ++k) add_plane(quadric_[tris_[3 * f + k]], n, -dot(n, a));
        }
        if (guard_cell > 0) guard_ = std::make_unique<CrossingGuard>(mesh, dead_, guard_cell);
    }

    void run(uint64_t target_triangles, double max_error, Progress &progress) {
        for (int pass = 0; pass < 100 && live_ > target_triangles; ++pass) {
            progress.check();
            index_vertex_faces();
            gather_candidates(max_error);
            std::fill(locked_.begin(), locked_.end(), 0);
            uint64_t collapsed = 0;
            // Per pass at most what is left to go (two faces a collapse); the locks spread collapses out.
            const uint64_t pass_budget = std::max<uint64_t>(1, (live_ - target_triangles) / 2 + 1);
            for (const Candidate &cand : candidates_) {
                if (cand.cost > max_error || live_ <= target_triangles || collapsed >= pass_budget) break;
                const uint32_t u = cand.from, v = cand.to;
                if (locked_[u] || locked_[v]) continue;
                if (!link_condition_holds(u, v) || !faces_stay_sound(u, v)) continue;
                if (guard_) {
                    u_faces_.assign(vertex_faces_.begin() + offsets_[u], vertex_faces_.begin() + offsets_[u + 1]);
                    if (!guard_->clear_after(u, v, u_faces_)) continue;
                }
                collapse(u, v);
                ++collapsed;
            }
            if (collapsed == 0) break;
        }
    }

    // Drops the dead faces and the vertices no face uses.
    void finish() {
        std::vector<uint32_t> kept;
        kept.reserve(3 * live_);
        for (size_t f = 0; f < nf_; ++f)
            if (!dead_[f]) kept.insert(kept.end(), tris_.begin() + 3 * f, tris_.begin() + 3 * f + 3);
        tris_.swap(kept);
        compact_vertices(mesh_);
    }

private:
    // vertex_faces_[offsets_[v] .. offsets_[v + 1]): the live faces of v.
    void index_vertex_faces() {
        std::fill(offsets_.begin(), offsets_.end(), 0);
        for (size_t f = 0; f < nf_; ++f)
            if (!dead_[f])
                for (int k = 0; k < 3; ++k) ++offsets_[tris_[3 * f + k] + 1];
        for (uint32_t v = 0; v < nv_; ++v) offsets_[v + 1] += offsets_[v];
        vertex_faces_.resize(offsets_[nv_]);
        std::vector<uint64_t> fill(offsets_.begin(), offsets_.end() - 1);
        for (size_t f = 0; f < nf_; ++f)
            if (!dead_[f])
                for (int k = 0; k < 3; ++k) vertex_faces_[fill[tris_[3 * f + k]]++] = uint32_t(f);
    }

    // Every live edge once, collapsed toward its cheaper endpoint, sorted by cost.
    void gather_candidates(double max_error) {
        candidates_.clear();
        for (size_t f = 0; f < nf_; ++f) {
            if (dead_[f]) continue;
            for (int k = 0; k < 3; ++k) {
                uint32_t a = tris_[3 * f + k], b = tris_[3 * f + (k + 1) % 3];
                if (a > b) continue; // each undirected edge once (from one of its two faces)
                double ab = evaluate(quadric_[a], quadric_[b], mesh_.positions[b]);
                double ba = evaluate(quadric_[a], quadric_[b], mesh_.positions[a]);
                // Only collapses within the error bound are ever taken: the others need not be sorted.
                if (std::min(ab, ba) > max_error) continue;
                if (ab <= ba) candidates_.push_back({ab, a, b});
                else candidates_.push_back({ba, b, a});
            }
        }
        std::sort(candidates_.begin(), candidates_.end(),
                  [](const Candidate &x, const Candidate &y) { return x.cost < y.cost; });
    }

    // The one-ring of v (without v) into ring; returns how many of v's faces also hold `other`.
    int one_ring(uint32_t v, uint32_t other, std::vector<uint32_t> &ring) const {
        ring.clear();
        int shared_faces = 0;
        for (uint64_t i = offsets_[v]; i < offsets_[v + 1]; ++i) {
            const uint32_t *t = &tris_[3 * uint64_t(vertex_faces_[i])];
            shared_faces += t[0] == other || t[1] == other || t[2] == other;
            for (int k = 0; k < 3; ++k)
                if (t[k] != v) ring.push_back(t[k]);
        }
        std::sort(ring.begin(), ring.end());
        ring.erase(std::unique(ring.begin(), ring.end()), ring.end());
        return shared_faces;
    }

    // The surface stays a manifold: u-v is an inner edge of two faces, and only their two opposite corners
    // are in both one-rings; no ring left too small.
    bool link_condition_holds(uint32_t u, uint32_t v) {
        if (one_ring(u, v, ring_u_) != 2) return false;
        one_ring(v, u, ring_v_);
        if (ring_u_.size() < 3 || ring_v_.size() < 3) return false;
        int common = 0;
        for (size_t i = 0, j = 0; i < ring_u_.size() && j < ring_v_.size();) {
            if (ring_u_[i] == ring_v_[j]) ++common, ++i, ++j;
            else if (ring_u_[i] < ring_v_[j]) ++i;
            else ++j;
        }
        if (common != 2) return false;
        return ring_u_.size() + ring_v_.size() - common - 2 >= 3;
    }

    // No face of u turns by more than ~75 degrees or becomes much thinner than the worst it replaces.
    bool faces_stay_sound(uint32_t u, uint32_t v) const {
        const std::vector<Vec3d> &pos = mesh_.positions;
        double worst_before = 1;
        for (uint64_t i = offsets_[u]; i < offsets_[u + 1]; ++i) {
            const uint32_t *t = &tris_[3 * uint64_t(vertex_faces_[i])];
            worst_before = std::min(worst_before, quality(pos[t[0]], pos[t[1]], pos[t[2]]));
        }
        for (uint64_t i = offsets_[u]; i < offsets_[u + 1]; ++i) {
            const uint32_t *t = &tris_[3 * uint64_t(vertex_faces_[i])];
            if (t[0] == v || t[1] == v || t[2] == v) continue;
            Vec3d p[3], q[3];
            for (int k = 0; k < 3; ++k) {
                p[k] = pos[t[k]];
                q[k] = t[k] == u ? pos[v] : p[k];
            }
            Vec3d n0 = cross(p[1] - p[0], p[2] - p[0]), n1 = cross(q[1] - q[0], q[2] - q[0]);
            double l0 = norm(n0), l1 = norm(n1);
            if (!(l1 > 0) || dot(n0, n1) < 0.25 * l0 * l1) return false;
            if (quality(q[0], q[1], q[2]) < std::min(0.1, 0.5 * worst_before)) return false;
        }
        return true;
    }

    // Moves u onto v: the two faces of the edge die, the others of u take v; both one-rings are locked for
    // the rest of the pass.
    void collapse(uint32_t u, uint32_t v) {
        for (uint64_t i = offsets_[u]; i < offsets_[u + 1]; ++i) {
            uint32_t f = vertex_faces_[i];
            uint32_t *t = &tris_[3 * uint64_t(f)];
            if (t[0] == v || t[1] == v || t[2] == v) {
                dead_[f] = 1;
                --live_;
                continue;
            }
            for (int k = 0; k < 3; ++k)
                if (t[k] == u) t[k] = v;
            if (guard_) guard_->insert(f);
        }
        for (int k = 0; k < 10; ++k) quadric_[v][k] += quadric_[u][k];
        locked_[u] = locked_[v] = 1;
        for (uint32_t w : ring_u_) locked_[w] = 1;
        for (uint32_t w : ring_v_) locked_[w] = 1;
    }

    IndexedMesh &mesh_;
    std::vector<uint32_t> &tris_;
    const uint32_t nv_;
    const size_t nf_;
    std::vector<uint8_t> dead_;
    uint64_t live_;
    std::vector<Quadric> quadric_;
    std::unique_ptr<CrossingGuard> guard_;
    std::vector<uint64_t> offsets_;
    std::vector<uint32_t> vertex_faces_, u_faces_, ring_u_, ring_v_;
    std::vector<uint8_t> locked_;
    std::vector<Candidate> candidates_;
};

} // namespace

void simplify(IndexedMesh &mesh, uint64_t target_triangles, double max_error, Progress &progress, double guard_cell) {
    EdgeCollapse collapse(mesh, guard_cell);
    collapse.run(target_triangles, max_error, progress);
    collapse.finish();
}

} // namespace mf

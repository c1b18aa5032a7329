// Quadric edge collapse (Garland-Heckbert error, half-edge collapses that keep one endpoint's position, so
// every vertex stays on the contoured surface). Collapses run in passes: candidates sorted by error, each
// collapse locks the one-ring it touched, adjacency is rebuilt between passes. A collapse must keep the
// link condition (the surface stays a manifold), must not turn any face by more than ~75 degrees, nor
// make a face much thinner than the worst it replaces. With a guard cell, a collapse must also leave its
// new faces clear of every other face (the exact crossing test of inspect, on float32-rounded positions,
// against the faces a uniform grid of guard-cell size finds near them), so that the result stays free of
// self-intersections; the caller still checks it with inspect.
#include "simplify.hpp"

#include "contour.hpp"
#include "simplify_guard.hpp"
#include "parallel.hpp"
#include "progress.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>

namespace mf {

namespace {

using simplify_guard::CrossingGuard;
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


// Below this many faces the candidates are costed on the calling thread alone.
constexpr size_t kHelperFaces = 65536;

struct Candidate {
    double cost;
    uint32_t from, to;
};

// The state of one decimation: face liveness, vertex quadrics, the faces of every vertex (rebuilt each
// pass) and the one-rings of the collapse being judged.
class EdgeCollapse {
public:
    // quadrics: each vertex's (face_quadrics of the faces it had before any collapse), or empty to make them
    // from the mesh's faces. frozen (optional, one a vertex): vertices no collapse may move or receive.
    EdgeCollapse(IndexedMesh &mesh, double guard_cell, std::vector<Quadric> quadrics = {},
                 const std::vector<uint8_t> *frozen = nullptr)
        : mesh_(mesh), tris_(mesh.tris), nv_(uint32_t(mesh.positions.size())), nf_(tris_.size() / 3), dead_(nf_, 0),
          live_(nf_), quadric_(std::move(quadrics)), offsets_(nv_ + 1), locked_(nv_), frozen_(frozen) {
        if (quadric_.empty()) quadric_ = face_quadrics(mesh);
        if (guard_cell > 0) guard_ = std::make_unique<CrossingGuard>(mesh, dead_, guard_cell);
    }

    // The sum of the planes of every vertex's faces.
    static std::vector<Quadric> face_quadrics(const IndexedMesh &mesh) {
        std::vector<Quadric> quadric(mesh.positions.size(), Quadric{});
        for (size_t f = 0; f < mesh.tris.size() / 3; ++f) {
            const Vec3d &a = mesh.positions[mesh.tris[3 * f]], &b = mesh.positions[mesh.tris[3 * f + 1]],
                        &c = mesh.positions[mesh.tris[3 * f + 2]];
            Vec3d n = cross(b - a, c - a);
            double len = norm(n);
            if (!(len > 0)) continue;
            n = n * (1.0 / len);
            for (int k = 0; k < 3; ++k) add_plane(quadric[mesh.tris[3 * f + k]], n, -dot(n, a));
        }
        return quadric;
    }

    const std::vector<Quadric> &quadrics() const { return quadric_; }

    // The live faces (3 vertex ids each, in face order), leaving the mesh as it is.
    std::vector<uint32_t> live_faces() const {
        std::vector<uint32_t> kept;
        kept.reserve(3 * live_);
        for (size_t f = 0; f < nf_; ++f)
            if (!dead_[f]) kept.insert(kept.end(), tris_.begin() + 3 * f, tris_.begin() + 3 * f + 3);
        return kept;
    }

    void run(uint64_t target_triangles, double max_error, Progress &progress) {
        for (int pass = 0; pass < 100 && live_ > target_triangles; ++pass) {
            progress.check();
            index_vertex_faces();
            if (guard_) guard_->tidy();
            gather_candidates(max_error);
            std::fill(locked_.begin(), locked_.end(), 0);
            uint64_t collapsed = 0;
            // Per pass at most what is left to go (two faces a collapse); the locks spread collapses out.
            const uint64_t pass_budget = std::max<uint64_t>(1, (live_ - target_triangles) / 2 + 1);
            for (const Candidate &cand : candidates_) {
                if (cand.cost > max_error || live_ <= target_triangles || collapsed >= pass_budget) break;
                const uint32_t u = cand.from, v = cand.to;
                if (locked_[u] || locked_[v] || (frozen_ && ((*frozen_)[u] || (*frozen_)[v]))) continue;
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
        std::vector<uint32_t> kept = live_faces();
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

    // Every live edge once, collapsed toward its cheaper endpoint, sorted by cost. Large meshes are costed on
    // two threads, each over its half of the faces, and the halves joined in face order: the list sorted is the
    // same as one thread's.
    void gather_candidates(double max_error) {
        candidates_.clear();
        if (nf_ < kHelperFaces) {
            gather_faces(0, nf_, max_error, candidates_);
        } else {
            const size_t half = nf_ / 2;
            helper_candidates_.clear();
            run_with_helper([&] { gather_faces(0, half, max_error, candidates_); },
                            [&] { gather_faces(half, nf_, max_error, helper_candidates_); });
            candidates_.insert(candidates_.end(), helper_candidates_.begin(), helper_candidates_.end());
        }
        std::sort(candidates_.begin(), candidates_.end(),
                  [](const Candidate &x, const Candidate &y) { return x.cost < y.cost; });
    }

    // The live edges of faces [begin, end) into out, each once (from one of its two faces).
    void gather_faces(size_t begin, size_t end, double max_error, std::vector<Candidate> &out) const {
        for (size_t f = begin; f < end; ++f) {
            if (dead_[f]) continue;
            for (int k = 0; k < 3; ++k) {
                uint32_t a = tris_[3 * f + k], b = tris_[3 * f + (k + 1) % 3];
                if (a > b) continue; // each undirected edge once (from one of its two faces)
                double ab = evaluate(quadric_[a], quadric_[b], mesh_.positions[b]);
                double ba = evaluate(quadric_[a], quadric_[b], mesh_.positions[a]);
                // Only collapses within the error bound are ever taken: the others need not be sorted.
                if (std::min(ab, ba) > max_error) continue;
                if (ab <= ba) out.push_back({ab, a, b});
                else out.push_back({ba, b, a});
            }
        }
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
    const std::vector<uint8_t> *frozen_;
    std::vector<Candidate> candidates_, helper_candidates_;
};

// The faces in two halves across seam_across (by the median of their centres along it), each decimated on a
// thread of its own toward its share of the target with the vertices of every face within `band` of the seam
// frozen; returns the faces left and sets quadrics to every vertex's. Nothing of one half moves within `band` of
// the seam, so a face a collapse makes in one half (inside the hull of the moved vertex's ring, all beyond the band
// on its side) cannot meet one of the other half, which stays on its own side or, where it straddles the seam, is a
// face of the contour no longer than the band.
std::vector<uint32_t> simplify_halves(const IndexedMesh &mesh, uint64_t target_triangles, double max_error, double band,
                                      double guard_cell, Progress &progress, std::vector<Quadric> &quadrics) {
    const size_t faces = mesh.tris.size() / 3;
    double lo[3], hi[3];
    triangle_box(mesh, lo, hi);
    const Vec3d tilted = seam_across(lo, hi);
    const Vec3d across = tilted * (1 / norm(tilted));
    std::vector<double> centre(faces);
    for (size_t f = 0; f < faces; ++f) {
        const uint32_t *t = &mesh.tris[3 * f];
        centre[f] = dot(mesh.positions[t[0]] + mesh.positions[t[1]] + mesh.positions[t[2]], across) / 3;
    }
    std::vector<double> sorted = centre;
    std::nth_element(sorted.begin(), sorted.begin() + faces / 2, sorted.end());
    const double median = sorted[faces / 2];
    IndexedMesh part[2];
    std::vector<uint8_t> frozen(mesh.positions.size(), 0), side(mesh.positions.size(), 0);
    for (size_t f = 0; f < faces; ++f) {
        const uint32_t *t = &mesh.tris[3 * f];
        const int half = centre[f] < median ? 0 : 1;
        part[half].tris.insert(part[half].tris.end(), t, t + 3);
        double near = std::numeric_limits<double>::infinity(), far = -near;
        for (int k = 0; k < 3; ++k) {
            const double s = dot(mesh.positions[t[k]], across) - median;
            near = std::min(near, s), far = std::max(far, s);
            side[t[k]] |= uint8_t(1 << half);
        }
        if (near < band && far > -band)
            for (int k = 0; k < 3; ++k) frozen[t[k]] = 1;
    }
    for (size_t v = 0; v < side.size(); ++v)
        if (side[v] == 3) frozen[v] = 1;
    quadrics = EdgeCollapse::face_quadrics(mesh);
    std::vector<Quadric> half_quadrics[2];
    std::vector<uint32_t> kept[2];
    auto run_half = [&](int half, Progress &p) {
        part[half].positions = mesh.positions;
        EdgeCollapse collapse(part[half], guard_cell, quadrics, &frozen);
        const uint64_t share = target_triangles * (part[half].tris.size() / 3) / std::max<size_t>(1, faces);
        collapse.run(share, max_error, p);
        kept[half] = collapse.live_faces();
        half_quadrics[half] = collapse.quadrics();
    };
    run_with_helper([&] { run_half(0, progress); },
                    [&] {
                        Progress silent(Progress::Silent{}, progress); // only the calling thread reports
                        run_half(1, silent);
                    });
    // A vertex not frozen is in one half alone: its quadric is that half's.
    for (size_t v = 0; v < quadrics.size(); ++v)
        if (!frozen[v] && side[v]) quadrics[v] = half_quadrics[side[v] == 2 ? 1 : 0][v];
    kept[0].insert(kept[0].end(), kept[1].begin(), kept[1].end());
    return kept[0];
}

} // namespace

void simplify(IndexedMesh &mesh, uint64_t target_triangles, double max_error, Progress &progress, double guard_cell,
              size_t halves_from) {
    std::vector<Quadric> quadrics;
    // A soup's slabs contour to over a million faces, whose guarded decimation was most of its repair.
    if (mesh.tris.size() / 3 >= halves_from && guard_cell > 0) {
        // The seam's band: the guard's cell, wider than any face of the contour.
        mesh.tris = simplify_halves(mesh, target_triangles, max_error, guard_cell, guard_cell, progress, quadrics);
        progress.log("simplify: two halves at once, then %zu faces together", mesh.tris.size() / 3);
    }
    EdgeCollapse collapse(mesh, guard_cell, std::move(quadrics));
    collapse.run(target_triangles, max_error, progress);
    collapse.finish();
}

} // namespace mf

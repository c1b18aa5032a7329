// Quadric edge collapse (Garland-Heckbert error, half-edge collapses that keep one endpoint's position, so
// every vertex stays on the contoured surface). Collapses run in passes: candidates sorted by error, each
// collapse locks the one-ring it touched, adjacency is rebuilt between passes. A collapse must keep the
// link condition (the surface stays a manifold), must not turn any face by more than ~75 degrees, nor
// make a face much thinner than the worst it replaces. The caller checks the result for intersections.
#include "repair.hpp"

#include "progress.hpp"

#include <algorithm>
#include <array>
#include <cmath>

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

} // namespace

void simplify(RepairMesh &mesh, uint64_t target_triangles, double max_error, Progress &progress) {
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

// Hole filling: boundary edges (the reverse of their one face's direction, so that a patch winds like its
// surroundings) are walked into loops; a walk that comes back to a vertex it already passed cuts the
// simple loop off there, so loops pinched at a vertex with several boundary edges are filled one by one.
// Each loop is triangulated by minimum total area (dynamic programming, O(n^3), loops up to 256 vertices)
// or, beyond, as a fan around an added centroid vertex; the patch is then refined (Liepa's centroid
// splits toward the density of the loop's edges, with Delaunay edge flips) and faired (umbrella
// Laplacian smoothing of the added vertices, the loop fixed), so that it spans the hole smoothly rather
// than as a fan-shaped cap of slivers. The fairing is undone where it takes the patch farther from the
// loop than the refined triangulation was (a loop far from planar).
#include "fill_holes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace mf {

namespace {

constexpr size_t kMinAreaLoop = 256;
constexpr size_t kMaxPatchTriangles = 200000;
constexpr int kFairingIterations = 300;

struct Boundary {
    uint32_t to;          // welded id the loop edge leads to
    uint32_t from_vertex; // vertex (not welded) at the loop edge's start
    uint32_t to_vertex;
};

using Tri = std::array<uint32_t, 3>;

double area(const Vec3d &a, const Vec3d &b, const Vec3d &c) { return 0.5 * norm(cross(b - a, c - a)); }

void triangulate_min_area(const IndexedMesh &mesh, const std::vector<uint32_t> &loop, std::vector<Tri> &patch) {
    const size_t n = loop.size();
    std::vector<double> cost(n * n, 0);
    std::vector<uint32_t> split(n * n, 0);
    for (size_t len = 2; len < n; ++len)
        for (size_t i = 0; i + len < n; ++i) {
            size_t j = i + len;
            double best = 1e300;
            uint32_t at = uint32_t(i + 1);
            for (size_t m = i + 1; m < j; ++m) {
                double c = cost[i * n + m] + cost[m * n + j] +
                           area(mesh.positions[loop[i]], mesh.positions[loop[m]], mesh.positions[loop[j]]);
                if (c < best) best = c, at = uint32_t(m);
            }
            cost[i * n + j] = best;
            split[i * n + j] = at;
        }
    std::vector<std::pair<size_t, size_t>> stack{{0, n - 1}};
    while (!stack.empty()) {
        auto [i, j] = stack.back();
        stack.pop_back();
        if (j - i < 2) continue;
        size_t m = split[i * n + j];
        patch.push_back({loop[i], loop[m], loop[j]});
        stack.push_back({i, m});
        stack.push_back({m, j});
    }
}

double angle_at(const Vec3d &p, const Vec3d &a, const Vec3d &b) {
    Vec3d u = a - p, v = b - p;
    return std::atan2(norm(cross(u, v)), dot(u, v));
}

// Delaunay flips of the patch's inner edges (those with two patch triangles) until none is left or
// `passes` ran. Returns whether any edge flipped.
bool relax_edges(const IndexedMesh &mesh, std::vector<Tri> &patch, int passes) {
    bool any = false;
    for (int pass = 0; pass < passes; ++pass) {
        std::unordered_map<uint64_t, std::pair<uint32_t, int>> first; // edge -> (triangle, corner)
        std::unordered_set<uint64_t> edges;
        first.reserve(3 * patch.size());
        for (uint32_t t = 0; t < patch.size(); ++t)
            for (int k = 0; k < 3; ++k) edges.insert(edge_key(patch[t][k], patch[t][(k + 1) % 3]));
        bool flipped = false;
        std::vector<uint8_t> touched(patch.size(), 0);
        for (uint32_t t = 0; t < patch.size(); ++t)
            for (int k = 0; k < 3; ++k) {
                uint64_t key = edge_key(patch[t][k], patch[t][(k + 1) % 3]);
                auto [it, fresh] = first.try_emplace(key, t, k);
                if (fresh) continue;
                uint32_t s = it->second.first;
                int ks = it->second.second;
                if (s == t || touched[s] || touched[t]) continue;
                // t = (u, v, a), s = (v, u, b)
                uint32_t u = patch[t][k], v = patch[t][(k + 1) % 3], a = patch[t][(k + 2) % 3];
                if (patch[s][ks] != v || patch[s][(ks + 1) % 3] != u) continue;
                uint32_t b = patch[s][(ks + 2) % 3];
                if (a == b || edges.count(edge_key(a, b))) continue;
                const Vec3d &pu = mesh.positions[u], &pv = mesh.positions[v], &pa = mesh.positions[a],
                            &pb = mesh.positions[b];
                if (angle_at(pa, pu, pv) + angle_at(pb, pu, pv) <= M_PI + 1e-9) continue;
                // The new diagonal must not fold the pair: both new normals agree with the old ones.
                Vec3d n_old = cross(pv - pu, pa - pu) + cross(pu - pv, pb - pv);
                Vec3d n1 = cross(pb - pu, pa - pu), n2 = cross(pa - pv, pb - pv);
                if (dot(n1, n_old) <= 0 || dot(n2, n_old) <= 0) continue;
                patch[t] = {u, b, a};
                patch[s] = {v, a, b};
                touched[t] = touched[s] = 1;
                edges.insert(edge_key(a, b));
                flipped = true;
            }
        if (!flipped) break;
        any = true;
    }
    return any;
}

// Liepa's refinement and umbrella fairing of one patch over `loop`; appends vertices (welded ids too).
void refine_and_fair(IndexedMesh &mesh, std::vector<uint32_t> &welded, uint32_t &next_welded,
                     const std::vector<uint32_t> &loop, std::vector<Tri> &patch, uint32_t first_new) {
    std::unordered_map<uint32_t, double> sigma;
    const size_t n = loop.size();
    for (size_t i = 0; i < n; ++i) {
        const Vec3d &p = mesh.positions[loop[i]];
        sigma[loop[i]] = 0.5 * (norm(p - mesh.positions[loop[(i + n - 1) % n]]) +
                                norm(p - mesh.positions[loop[(i + 1) % n]]));
    }
    // A fan's centre (added before) gets the mean density.
    for (uint32_t v = first_new; v < mesh.positions.size(); ++v) {
        double s = 0;
        for (uint32_t l : loop) s += sigma[l];
        sigma[v] = s / double(n);
    }
    relax_edges(mesh, patch, 20);
    const double alpha = std::sqrt(2.0);
    for (int round = 0; round < 64 && patch.size() < kMaxPatchTriangles; ++round) {
        bool split = false;
        const size_t count = patch.size();
        for (size_t t = 0; t < count && patch.size() < kMaxPatchTriangles; ++t) {
            Tri tri = patch[t];
            const Vec3d &a = mesh.positions[tri[0]], &b = mesh.positions[tri[1]], &c = mesh.positions[tri[2]];
            Vec3d centre = (a + b + c) * (1.0 / 3.0);
            double sc = (sigma[tri[0]] + sigma[tri[1]] + sigma[tri[2]]) / 3.0;
            bool all = true;
            for (int k = 0; k < 3 && all; ++k) {
                double d = alpha * norm(centre - mesh.positions[tri[k]]);
                all = d > sc && d > sigma[tri[k]];
            }
            if (!all) continue;
            const double w[3] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
            uint32_t m = mesh.add_vertex(centre, tri.data(), w, 3);
            welded.push_back(next_welded++);
            sigma[m] = sc;
            patch[t] = {tri[0], tri[1], m};
            patch.push_back({tri[1], tri[2], m});
            patch.push_back({tri[2], tri[0], m});
            split = true;
        }
        if (!split) break;
        relax_edges(mesh, patch, 20);
    }
    if (mesh.positions.size() == first_new) return;
    // Umbrella fairing: every added vertex moves to the mean of its neighbours, the loop stays.
    const uint32_t added = uint32_t(mesh.positions.size() - first_new);
    std::vector<std::vector<uint32_t>> ring(added);
    for (const Tri &t : patch)
        for (int k = 0; k < 3; ++k) {
            uint32_t v = t[k];
            if (v < first_new) continue;
            for (int j = 1; j <= 2; ++j) {
                uint32_t w = t[(k + j) % 3];
                auto &r = ring[v - first_new];
                if (std::find(r.begin(), r.end(), w) == r.end()) r.push_back(w);
            }
        }
    // Kept only where the faired patch stays as close to the rim as the refined one: fairing a loop far
    // from planar can bulge it away from the surface around the hole.
    auto farthest_from_rim = [&]() {
        double worst = 0;
        for (uint32_t i = 0; i < added; ++i) {
            const Vec3d &p = mesh.positions[first_new + i];
            double best = 1e300;
            for (size_t k = 0; k < n; ++k) {
                const Vec3d &a = mesh.positions[loop[k]], &b = mesh.positions[loop[(k + 1) % n]];
                Vec3d ab = b - a;
                double l2 = norm2(ab), t = l2 > 0 ? std::clamp(dot(p - a, ab) / l2, 0.0, 1.0) : 0.0;
                best = std::min(best, norm2(p - (a + ab * t)));
            }
            worst = std::max(worst, best);
        }
        return worst;
    };
    const bool measured = double(added) * double(n) < 5e7;
    const double refined = measured ? farthest_from_rim() : 0;
    std::vector<Vec3d> before(mesh.positions.begin() + first_new, mesh.positions.end());
    for (int it = 0; it < kFairingIterations; ++it)
        for (uint32_t i = 0; i < added; ++i) {
            if (ring[i].empty()) continue;
            Vec3d s{0, 0, 0};
            for (uint32_t w : ring[i]) s = s + mesh.positions[w];
            mesh.positions[first_new + i] = s * (1.0 / double(ring[i].size()));
        }
    if (measured && farthest_from_rim() > refined) std::copy(before.begin(), before.end(), mesh.positions.begin() + first_new);
}

void fill_loop(IndexedMesh &mesh, std::vector<uint32_t> &welded, uint32_t &next_welded,
               const std::vector<uint32_t> &loop, bool refine, RepairCounters &counters) {
    const uint32_t first_new = uint32_t(mesh.positions.size());
    std::vector<Tri> patch;
    if (loop.size() <= kMinAreaLoop) {
        triangulate_min_area(mesh, loop, patch);
    } else {
        Vec3d c{0, 0, 0};
        for (uint32_t v : loop) c = c + mesh.positions[v];
        c = c * (1.0 / double(loop.size()));
        std::vector<double> weights(loop.size(), 1.0 / double(loop.size()));
        uint32_t centre = mesh.add_vertex(c, loop.data(), weights.data(), int(loop.size()));
        welded.push_back(next_welded++);
        for (size_t i = 0; i < loop.size(); ++i) patch.push_back({loop[i], loop[(i + 1) % loop.size()], centre});
    }
    if (refine && loop.size() > 3) refine_and_fair(mesh, welded, next_welded, loop, patch, first_new);
    for (const Tri &t : patch) mesh.tris.insert(mesh.tris.end(), {t[0], t[1], t[2]});
    ++counters.holes_filled;
    counters.hole_triangles += patch.size();
}

} // namespace

void fill_holes(IndexedMesh &mesh, std::vector<uint32_t> &welded, RepairCounters &counters, bool refine,
                bool whole_boundary) {
    const size_t n = mesh.tris.size() / 3;
    // Per undirected edge: a face corner running it each way (lower welded id first = forward) and how many.
    struct EdgeUse {
        uint32_t forward_corner = 0, backward_corner = 0;
        int forward = 0, backward = 0;
    };
    std::unordered_map<uint64_t, EdgeUse> edge_faces;
    edge_faces.reserve(3 * n);
    for (size_t f = 0; f < n; ++f)
        for (int k = 0; k < 3; ++k) {
            uint32_t a = welded[mesh.tris[3 * f + k]], b = welded[mesh.tris[3 * f + (k + 1) % 3]];
            if (a == b) continue;
            EdgeUse &use = edge_faces[edge_key(a, b)];
            if (a < b) use.forward_corner = uint32_t(3 * f + k), ++use.forward;
            else use.backward_corner = uint32_t(3 * f + k), ++use.backward;
        }
    std::unordered_map<uint32_t, std::vector<Boundary>> out; // welded start -> loop edges
    std::vector<uint32_t> starts;
    for (auto &[key, use] : edge_faces) {
        // An edge of one face; with whole_boundary, every edge that the faces on it do not cancel, as many
        // times as they do not (so that every walk closes).
        const int net = use.forward - use.backward;
        if (net == 0 || (!whole_boundary && use.forward + use.backward != 1)) continue;
        const uint32_t corner = net > 0 ? use.forward_corner : use.backward_corner, f = corner / 3, k = corner % 3;
        const uint32_t va = mesh.tris[3 * f + k], vb = mesh.tris[3 * f + (k + 1) % 3];
        auto &list = out[welded[vb]];
        if (list.empty()) starts.push_back(welded[vb]);
        for (int copy = 0; copy < std::abs(net); ++copy) list.push_back({welded[va], vb, va});
    }
    if (out.empty()) return;
    // Hash order must not decide the result: walk from the starts in a fixed order.
    std::sort(starts.begin(), starts.end());
    for (auto &[start, list] : out)
        std::sort(list.begin(), list.end(), [](const Boundary &x, const Boundary &y) { return x.to < y.to; });
    uint32_t next_welded = 0;
    for (uint32_t x : welded) next_welded = std::max(next_welded, x + 1);

    for (uint32_t start : starts) {
        while (!out[start].empty()) {
            std::vector<std::pair<uint32_t, Boundary>> path; // (welded start, edge)
            std::unordered_map<uint32_t, size_t> position;   // welded start -> index in path
            uint32_t at = start;
            while (true) {
                auto it = out.find(at);
                if (it == out.end() || it->second.empty()) {
                    counters.holes_left = true; // an open walk: the volumetric stage takes it
                    break;
                }
                Boundary edge = it->second.back();
                it->second.pop_back();
                position[at] = path.size();
                path.push_back({at, edge});
                auto back = position.find(edge.to);
                if (back == position.end()) {
                    at = edge.to;
                    continue;
                }
                const size_t from = back->second;
                std::vector<uint32_t> loop;
                for (size_t i = from; i < path.size(); ++i) {
                    loop.push_back(path[i].second.from_vertex);
                    position.erase(path[i].first);
                }
                path.resize(from);
                if (loop.size() >= 3)
                    fill_loop(mesh, welded, next_welded, loop, refine, counters);
                else
                    counters.holes_left = true;
                if (path.empty()) break;
                at = edge.to;
            }
        }
    }
}

} // namespace mf

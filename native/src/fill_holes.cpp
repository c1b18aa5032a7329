// Hole filling: boundary loops traced from the open edges (the reverse of their one face's direction, so
// that a patch winds like its surroundings), then triangulated by minimum total area (dynamic programming,
// O(n^3), loops up to 64 vertices) or, beyond, as a fan around an added centroid vertex. Loops through a
// vertex with several boundary edges are left for the volumetric stage. No fairing yet: patches are flat
// or fan-shaped.
#include "repair.hpp"

#include <algorithm>
#include <unordered_map>

namespace mf {

namespace {

struct Boundary {
    uint32_t to;          // welded id the loop edge leads to
    uint32_t from_vertex; // vertex (not welded) at the loop edge's start
    uint32_t to_vertex;
};

double area(const Vec3d &a, const Vec3d &b, const Vec3d &c) { return 0.5 * norm(cross(b - a, c - a)); }

void triangulate_min_area(RepairMesh &mesh, const std::vector<uint32_t> &loop) {
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
        mesh.tris.insert(mesh.tris.end(), {loop[i], loop[m], loop[j]});
        stack.push_back({i, m});
        stack.push_back({m, j});
    }
}

} // namespace

void fill_holes(RepairMesh &mesh, std::vector<uint32_t> &welded, RepairCounters &counters) {
    const size_t n = mesh.tris.size() / 3;
    std::unordered_map<uint64_t, std::pair<uint32_t, int>> edge_faces; // key -> (face * 3 + corner, count)
    edge_faces.reserve(3 * n);
    for (size_t f = 0; f < n; ++f)
        for (int k = 0; k < 3; ++k) {
            uint32_t a = welded[mesh.tris[3 * f + k]], b = welded[mesh.tris[3 * f + (k + 1) % 3]];
            if (a == b) continue;
            uint64_t key = (uint64_t(std::min(a, b)) << 32) | std::max(a, b);
            auto [it, fresh] = edge_faces.try_emplace(key, uint32_t(3 * f + k), 0);
            ++it->second.second;
            (void)fresh;
        }
    std::unordered_map<uint32_t, std::vector<Boundary>> out; // welded start -> loop edges
    for (auto &[key, value] : edge_faces) {
        if (value.second != 1) continue;
        uint32_t corner = value.first, f = corner / 3, k = corner % 3;
        uint32_t va = mesh.tris[3 * f + k], vb = mesh.tris[3 * f + (k + 1) % 3];
        out[welded[vb]].push_back({welded[va], vb, va});
    }
    if (out.empty()) return;
    std::unordered_map<uint32_t, uint8_t> used;
    for (auto &[start, list] : out) {
        if (list.size() != 1 || used.count(start)) continue;
        std::vector<uint32_t> loop, loop_welded;
        uint32_t at = start;
        bool ok = true;
        while (true) {
            auto it = out.find(at);
            if (it == out.end() || it->second.size() != 1 || used.count(at)) {
                ok = false;
                break;
            }
            used[at] = 1;
            loop.push_back(it->second[0].from_vertex);
            loop_welded.push_back(at);
            at = it->second[0].to;
            if (at == start) break;
        }
        if (!ok || loop.size() < 3) {
            counters.holes_left = true;
            continue;
        }
        const size_t before = mesh.tris.size();
        if (loop.size() <= 64) {
            triangulate_min_area(mesh, loop);
        } else {
            Vec3d c{0, 0, 0};
            for (uint32_t v : loop) c = c + mesh.positions[v];
            c = c * (1.0 / double(loop.size()));
            std::vector<double> weights(loop.size(), 1.0 / double(loop.size()));
            uint32_t centre = mesh.add_vertex(c, loop.data(), weights.data(), int(loop.size()));
            uint32_t w = 0;
            for (uint32_t x : welded) w = std::max(w, x + 1);
            welded.push_back(w);
            for (size_t i = 0; i < loop.size(); ++i)
                mesh.tris.insert(mesh.tris.end(), {loop[i], loop[(i + 1) % loop.size()], centre});
        }
        ++counters.holes_filled;
        counters.hole_triangles += (mesh.tris.size() - before) / 3;
    }
    for (auto &[start, list] : out)
        if (list.size() != 1) counters.holes_left = true;
}

} // namespace mf

// Edge map and connectivity of the welded mesh.
// Half-edges are bucketed by their lower vertex with a counting sort (linear, cache-friendly for large
// meshes), then each small bucket is sorted by (upper vertex, direction) so that one undirected edge is
// one run. Counting conventions, chosen to agree with independent checkers:
//  * inconsistent orientation counts directed edges used by more than one face, so a flipped face in
//    a manifold counts its three edges, and a non-manifold edge counts once per over-used direction;
//  * a hole is a connected piece of the open-edge graph, so boundary loops that touch at a vertex
//    count once (tracing them apart would depend on an arbitrary choice at that vertex);
//  * components connect through shared vertices, not only shared edges.
#include "topology.hpp"

#include "faces.hpp"
#include "progress.hpp"
#include "union_find.hpp"

#include <algorithm>

namespace mf {

uint64_t topology_memory_bytes(uint64_t vertex_count, uint64_t triangle_count) {
    return (vertex_count + 1) * 8 * 2 + triangle_count * 3 * 8 + vertex_count * (4 + 1);
}

TopologyCounts analyze_topology(const std::vector<uint32_t> &tris, uint32_t vertex_count, Progress *progress) {
    TopologyCounts counts;
    const uint64_t n = tris.size() / 3;

    std::vector<uint64_t> offsets(uint64_t(vertex_count) + 1, 0);
    for (uint64_t f = 0; f < n; ++f) {
        const uint32_t *t = &tris[3 * f];
        if (is_collapsed(t)) continue;
        for (int k = 0; k < 3; ++k) ++offsets[std::min(t[k], t[(k + 1) % 3]) + 1];
    }
    for (uint64_t v = 0; v < vertex_count; ++v) offsets[v + 1] += offsets[v];
    if (progress != nullptr) progress->check();

    // Entry: upper vertex << 1 | direction, where direction 1 means the face runs upper -> lower.
    std::vector<uint64_t> half_edges(offsets[vertex_count]);
    {
        std::vector<uint64_t> fill(offsets.begin(), offsets.end() - 1);
        for (uint64_t f = 0; f < n; ++f) {
            const uint32_t *t = &tris[3 * f];
            if (is_collapsed(t)) continue;
            for (int k = 0; k < 3; ++k) {
                uint32_t from = t[k], to = t[(k + 1) % 3];
                if (from < to) half_edges[fill[from]++] = uint64_t(to) << 1;
                else half_edges[fill[to]++] = (uint64_t(from) << 1) | 1u;
            }
        }
    }
    if (progress != nullptr) progress->check();

    UnionFind boundary(vertex_count);
    std::vector<uint8_t> on_boundary(vertex_count, 0);
    for (uint32_t lower = 0; lower < vertex_count; ++lower) {
        if (progress != nullptr && (lower & 0xFFFFF) == 0xFFFFF) progress->check();
        auto begin = half_edges.begin() + offsets[lower], end = half_edges.begin() + offsets[lower + 1];
        std::sort(begin, end);
        for (auto run = begin; run != end;) {
            uint64_t upper = *run >> 1;
            uint64_t forward = 0, backward = 0;
            auto it = run;
            for (; it != end && (*it >> 1) == upper; ++it) (*it & 1u ? backward : forward) += 1;
            run = it;
            uint64_t faces = forward + backward;
            if (faces == 1) {
                ++counts.open_edges;
                boundary.unite(lower, uint32_t(upper));
                on_boundary[lower] = on_boundary[upper] = 1;
            } else if (faces > 2) {
                ++counts.non_manifold_edges;
            }
            counts.inconsistent_edges += (forward > 1) + (backward > 1);
        }
    }
    for (uint32_t v = 0; v < vertex_count; ++v)
        if (on_boundary[v] && boundary.find(v) == v) ++counts.holes;
    half_edges.clear();
    half_edges.shrink_to_fit();
    if (progress != nullptr) progress->check();

    UnionFind parts(vertex_count);
    std::vector<uint8_t> used(vertex_count, 0);
    for (uint64_t f = 0; f < n; ++f) {
        const uint32_t *t = &tris[3 * f];
        parts.unite(t[0], t[1]);
        parts.unite(t[1], t[2]);
        used[t[0]] = used[t[1]] = used[t[2]] = 1;
    }
    for (uint32_t v = 0; v < vertex_count; ++v)
        if (used[v] && parts.find(v) == v) ++counts.components;
    return counts;
}

} // namespace mf

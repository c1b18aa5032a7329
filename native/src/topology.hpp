// Edge-based topology of the welded triangles: open, non-manifold and inconsistently oriented edges,
// boundary loops (holes) and connected components.
#pragma once

#include <cstdint>
#include <vector>

namespace mf {

class Progress;

struct TopologyCounts {
    uint64_t open_edges = 0;         // undirected edges with exactly one face
    uint64_t non_manifold_edges = 0; // undirected edges with more than two faces
    uint64_t inconsistent_edges = 0; // directed edges (a->b) that more than one face traverses
    uint64_t holes = 0;              // connected pieces of the open-edge graph
    uint64_t components = 0;         // faces connected through shared vertices
};

// tris: 3 welded vertex ids a face, all < vertex_count. Collapsed faces (a repeated id) take part in
// components but not in edges: their edges are not proper edges of a surface.
TopologyCounts analyze_topology(const std::vector<uint32_t> &tris, uint32_t vertex_count, Progress *progress);

// Bytes analyze_topology allocates, for the up-front memory estimate.
uint64_t topology_memory_bytes(uint64_t vertex_count, uint64_t triangle_count);

} // namespace mf

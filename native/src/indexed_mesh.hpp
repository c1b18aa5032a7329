// The working mesh of the tools that edit and rebuild surfaces (repair's stages, hollow, simplify, contouring):
// triangles over double positions with optional per-vertex float attributes.
#pragma once

#include "vec_math.hpp"
#include <algorithm>
#include <cstdint>
#include <vector>

namespace mf {

// Triangles over vertices that carry positions and, optionally, attribute_count floats each.
struct IndexedMesh {
    std::vector<Vec3d> positions;
    std::vector<float> attributes; // positions.size() * attribute_count
    uint32_t attribute_count = 0;
    std::vector<uint32_t> tris;

    // Appends a vertex whose attributes blend existing ones (weights sum to 1).
    uint32_t add_vertex(const Vec3d &p, const uint32_t *from, const double *weights, int n);
};

// Removes vertices no face uses, keeping order.
void compact_vertices(IndexedMesh &mesh);

// One key for the undirected edge between welded vertices a and b.
inline uint64_t edge_key(uint32_t a, uint32_t b) { return (uint64_t(std::min(a, b)) << 32) | std::max(a, b); }

} // namespace mf

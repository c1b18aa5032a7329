// Exact vertex weld: vertices whose positions are equal (bit for bit, with -0.0 == +0.0) become one.
#pragma once

#include "mesh_view.hpp"

#include <cstdint>
#include <vector>

namespace mf {

class Progress;

struct WeldResult {
    std::vector<uint32_t> remap;  // #input vertices: the welded id of each input vertex
    std::vector<Vec3d> positions; // #welded vertices, in order of first occurrence
};

// Welds all mesh.vertex_count positions (referenced or not). progress may be null.
WeldResult weld_exact(const MeshView &mesh, Progress *progress);

// The same over positions already in double precision (the repair's working meshes).
WeldResult weld_exact(const std::vector<Vec3d> &positions, Progress *progress);

// Bytes weld_exact allocates for n input vertices, for the up-front memory estimate.
uint64_t weld_memory_bytes(uint64_t n);

} // namespace mf

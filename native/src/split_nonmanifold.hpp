// Splitting non-manifold edges and vertices, for repair's topological stage.
#pragma once

#include "indexed_mesh.hpp"
#include "repair_counters.hpp"
#include <cstdint>
#include <vector>

namespace mf {

// Removes fins from edges of more than two faces (twinned faces from remove_bad_faces, and faces whose
// two other edges are open), pairs the faces left on such edges by angle, and splits their endpoints and
// vertices where closed fans touch into one vertex per fan, each moved a hair into its fan so that welding
// equal positions does not join them again. Copies get welded ids appended.
void split_non_manifold(IndexedMesh &mesh, std::vector<uint32_t> &welded, const std::vector<uint8_t> &twinned,
                        RepairCounters &counters);

} // namespace mf

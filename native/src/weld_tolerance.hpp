// Welding within a tolerance, for repair's topological stage (weld.hpp is inspect's exact weld).
#pragma once

#include "indexed_mesh.hpp"
#include <cstdint>
#include <vector>

namespace mf {

// Ids after the exact weld and the tolerance weld: welded[v] for every vertex. Snaps the positions of
// merged vertices onto their cluster's first vertex. tolerance: absolute; <= 0 for the exact weld only.
std::vector<uint32_t> weld_with_tolerance(IndexedMesh &mesh, double tolerance, uint64_t &merged);

} // namespace mf

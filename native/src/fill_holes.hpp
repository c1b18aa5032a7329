// Closing boundary loops with triangulated, refined and faired patches.
#pragma once

#include "indexed_mesh.hpp"
#include "repair_counters.hpp"
#include <cstdint>
#include <vector>

namespace mf {

// Closes every boundary loop (loops pinched at a vertex are cut into simple ones): minimum-area
// triangulation for loops up to 256 vertices, a fan around the centroid beyond, then Liepa refinement and
// umbrella fairing of the added vertices with the loop fixed (refine = false: the triangulation alone).
// Added vertices get welded ids appended. whole_boundary: close the boundary of the faces taken as an
// oriented chain instead of the edges of one face only: also edges of more faces that their directions do
// not cancel (an unpaired face on a crowded edge, two faces running an edge the same way), which makes the
// winding number of the result a whole number everywhere off the surface.
void fill_holes(IndexedMesh &mesh, std::vector<uint32_t> &welded, RepairCounters &counters, bool refine = true,
                bool whole_boundary = false);

} // namespace mf

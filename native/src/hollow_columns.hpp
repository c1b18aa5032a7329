// The side of every grid point of a closed surface, from crossings along the grid's vertical columns.
#pragma once

#include "contour.hpp"
#include "indexed_mesh.hpp"

#include <cstdint>
#include <vector>

namespace mf {

class Progress;

// 1 where the winding number of mesh (closed, outward) at the grid point is positive. Each column of
// points along z is crossed by the faces whose xy projection holds it (decided exactly, ties broken by a
// symbolic perturbation of the column, so that a column through an edge or vertex crosses each sheet once);
// the winding number at a point is the signed count of crossings above it (+1 for a face facing up).
std::vector<uint8_t> inside_by_columns(const ScalarGrid &grid, const IndexedMesh &mesh, Progress &progress);

} // namespace mf

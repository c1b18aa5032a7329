// Which side of a closed surface every point of a grid lies on, with one winding number a region rather
// than one a point.
#pragma once

#include "contour.hpp"

#include <cstdint>
#include <vector>

namespace mf {

class Progress;
class TriangleTree;

// For every point of grid (its dims, origin and h; the field is not read), 1 where the closed surface in
// tree encloses it (winding number above 1/2). Points joined by a grid edge the surface cannot cross (the
// endpoints' distances to the surface sum to more than the edge's length, with a margin for rounding) share
// a side: each such region is judged once, at its point farthest off. A lower bound of grid point p's
// distance to the surface: near[p] where band[p], else off_band.
std::vector<uint8_t> enclosed_by_region(const ScalarGrid &grid, const std::vector<uint8_t> &band,
                                        const std::vector<float> &near, float off_band, const TriangleTree &tree,
                                        Progress &progress);

// Whether the closed surface in tree encloses p, whose distance to the surface is `distance` (h: the grid's
// cell). Off the surface, its winding number above 1/2. On it (a grid point on an input face, as CAD faces on
// grid planes give), the winding number is the face's +-1/2 by the sign of a rounded zero: there the mean of
// the two sides just off it decides (above 3/4: a point of the solid's boundary stays outside), so that a
// point of an inner wall (overlapping parts) counts as inside, not as a bubble of outside in the solid.
// closed: the tree's faces form a closed chain, whose winding number a ray's crossings count.
bool encloses(const TriangleTree &tree, const Vec3d &p, double distance, double h, bool closed);

// Bytes enclosed_by_region allocates for n grid points (the walk's order, and the seen marks that become
// the answer), for the up-front memory estimates.
inline uint64_t enclosed_by_region_memory_bytes(uint64_t n) { return 5 * n; }

} // namespace mf

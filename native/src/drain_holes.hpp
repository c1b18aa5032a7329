// Cavities of a hollowed solid on its grid, the drain holes that empty them, and the connectivity search that
// proves they do.
#pragma once

#include "contour.hpp"
#include "vec_math.hpp"

#include <cstdint>
#include <vector>

namespace mf {

class Progress;
class TriangleTree;

// Connected regions (6-neighbours) of the grid points where a cavity field is negative.
struct CavityMap {
    std::vector<uint32_t> label; // a grid point: 0 outside every cavity, else its cavity's number from 1
    uint32_t count = 0;
};

// Labels the cavities of field (negative inside a cavity). A region of fewer than min_points points is too
// small to print hollow: its points are set to +fill in the field and left unlabelled. Numbered in the order
// of each region's first point.
CavityMap label_cavities(ScalarGrid &field, uint32_t min_points, float fill, Progress &progress);

// A hole: a cylinder of the caller's radius round the segment from `inner` (inside its cavity) to `outer`
// (beyond the outer surface), with flat ends.
struct DrainHole {
    Vec3d inner, outer;
    Vec3d opening;       // where its axis leaves the solid
    uint32_t cavity = 0; // the cavity it was placed for (0: none reached, for a hole at a given point)
};

// What hole placement reads of the grid: the side of every point and its distance to the outer surface
// (capped), and the cavities.
struct SolidGrid {
    const ScalarGrid &grid;
    const std::vector<uint8_t> &inside;
    const std::vector<float> &distance;
    const CavityMap &cavities;
};

// One hole at the lowest point of every cavity along up (unit), straight down through the floor until the
// axis is out of the solid and a radius and two cells beyond; with vents, one more from the highest point
// straight up.
std::vector<DrainHole> place_holes_auto(const SolidGrid &solid, const Vec3d &up, double radius, bool vents);

// A hole at each point: at the closest point of the outer surface (positions and tris, outward, in the
// tree), square to its face, from a radius and two cells outside inward until it reaches a cavity, or
// `depth` deep when none is that near (the hole then drains nothing: cavity 0).
std::vector<DrainHole> place_holes_at(const SolidGrid &solid, const TriangleTree &outer, const std::vector<Vec3d> &points,
                                      const std::vector<Vec3d> &positions, const std::vector<uint32_t> &tris,
                                      double radius, double depth);

// A lower bound of how far q is from the hole's cylinder (the distance to its bounding box): a cheap test
// before hole_distance.
double hole_box_distance(const DrainHole &hole, double radius, const Vec3d &q);

// Signed distance from q to the hole's cylinder (negative inside), and where the cylinder's surface is
// nearest with its normal.
double hole_distance(const DrainHole &hole, double radius, const Vec3d &q);
TangentPlane hole_plane(const DrainHole &hole, double radius, const Vec3d &q);

// Whether each cavity (1..count) is joined to the grid's boundary through empty grid points (material field
// positive, 6-neighbours), as a flood fill from outside would reach it. Element 0 is unused.
std::vector<uint8_t> drained_cavities(const ScalarGrid &material, const CavityMap &cavities, Progress &progress);

} // namespace mf

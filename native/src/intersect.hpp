// Exact triangle-triangle crossing test.
#pragma once

#include "predicates.hpp"

namespace mf {

// True when triangles a and b cross: no plane has a on one closed side and b on the other. Equivalently,
// the two are not coplanar and their relative interiors meet; a zero-area triangle counts as the segment
// it is. Triangles that only touch (a vertex on a face, an edge along an edge, two faces meeting along a
// segment of their boundary) and coplanar pairs do not cross. Exact.
bool triangles_cross(const Vec3d a[3], const Vec3d b[3]);

// How deep a and b overlap: over the separating-axis candidates (both normals and the nine edge-edge
// directions, as unit vectors), the smallest overlap of the two projection intervals. Negative or zero
// when some candidate separates them. Floating point; meant for pairs that triangles_cross accepted.
double overlap_depth(const Vec3d a[3], const Vec3d b[3]);

// Pairs that cross by less than this fraction of their largest coordinate magnitude are contacts.
constexpr double kContactTolerance = 1e-9;

// triangles_cross, minus contacts: the overlap depth must exceed kContactTolerance times the largest
// absolute coordinate of the six vertices. A vertex meant to lie on a face comes out of a decimal text
// file a few ulps off the face, which would otherwise read as a crossing.
bool triangles_intersect(const Vec3d a[3], const Vec3d b[3]);

} // namespace mf

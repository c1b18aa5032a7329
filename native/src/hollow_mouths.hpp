// Drain holes cut through a kept outer surface: the input stays the outer shell, and each hole is a band of
// faces from an opening in it to an opening in the inner surface.
#pragma once

#include "drain_holes.hpp"
#include "indexed_mesh.hpp"

#include <vector>

namespace mf {

class Progress;

// The shell of outer (the input, facing outward) and inner (the cavity's surface, facing into the cavity), each
// hole cut through it. Round where a hole's axis passes through each surface, the faces are split to half a cell
// or finer, then cut along the hole's cylinder: the faces inside it go, those across it keep their part outside.
// The two openings, each one loop on the cylinder, are joined by a band of faces in order of angle round the
// axis. Returns false, out empty, where an opening is not one loop that turns once round the axis, or where a
// face near a hole would be degenerate once rounded to float32 or cross another: the caller then contours the
// whole solid.
bool cut_hole_mouths(const IndexedMesh &outer, const IndexedMesh &inner, const std::vector<DrainHole> &holes,
                     double radius, double h, Progress &progress, IndexedMesh &out);

} // namespace mf

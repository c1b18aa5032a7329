// The faces that cross others after some corners moved, searched only near the moved ones.
#pragma once

#include "vec3.hpp"

#include <cstdint>
#include <vector>

namespace mf {

class Progress;

// For a mesh whose faces crossed none before the corners marked in `moved` (one flag a vertex) changed: the
// faces in crossing pairs now (as find_crossing_faces, ascending, once each). Only a face with a moved corner
// can have come to cross another, and only one whose box meets its own: the search runs over the faces whose
// boxes share a bin (of the largest box extent of the moved faces) with a moved face's box.
std::vector<uint32_t> find_crossing_faces_near(const std::vector<uint32_t> &tris, const std::vector<Vec3d> &positions,
                                               const std::vector<uint8_t> &moved, Progress &progress);

} // namespace mf

// Counting the pairs of triangles of one mesh that cross each other.
#pragma once

#include "vec3.hpp"

#include <cstdint>
#include <vector>

namespace mf {

class Progress;

// Pairs of faces that share no (welded) vertex and intersect in the sense of triangles_intersect():
// they cross, deeper than a contact. Faces with a repeated vertex take no part.
// tris: 3 welded ids a face; positions: welded positions. Reports progress from fraction_begin to
// fraction_end under the stage name "intersections" and throws when cancelled or out of time.
uint64_t count_crossing_pairs(const std::vector<uint32_t> &tris, const std::vector<Vec3d> &positions,
                              Progress *progress, double fraction_begin, double fraction_end);

// The faces of those pairs, ascending, once each.
std::vector<uint32_t> find_crossing_faces(const std::vector<uint32_t> &tris, const std::vector<Vec3d> &positions,
                                          Progress *progress);

// Bytes count_crossing_pairs allocates for n faces, for the up-front memory estimate.
uint64_t crossing_pairs_memory_bytes(uint64_t n);

} // namespace mf

// The faces of a surface that a closed solid leaves outside itself and off its surface: what a volumetric
// rebuild lost (a flipped floor carved away, a part thinner than a cell that no grid point fell inside).
#pragma once

#include "indexed_mesh.hpp"
#include <cstdint>
#include <vector>

namespace mf {

class Progress;

// Per face of `surface`: 1 when a point of it (its corners and a grid of points `spacing` apart) lies
// outside `solid` by its winding number and farther than `threshold` from its surface. `solid` must be
// closed (a closed chain: its winding number is counted by a ray's crossings) and outward. Faces marked in `skip` (optional, one a face) are left unmarked. Returns how many
// faces are marked.
uint64_t lost_faces(const IndexedMesh &surface, const IndexedMesh &solid, double spacing, double threshold,
                    const std::vector<uint8_t> *skip, Progress &progress, std::vector<uint8_t> &lost);

} // namespace mf

// Quadric edge-collapse decimation of the working mesh.
#pragma once

#include "indexed_mesh.hpp"
#include <cstdint>

namespace mf {

class Progress;

// Quadric edge collapse toward target_triangles, never beyond max_error (squared distance to the original
// planes); keeps the surface manifold (link condition) and rejects collapses that fold a face. guard_cell
// > 0 also rejects collapses whose new faces cross another face (searched in a grid of that cell size).
void simplify(IndexedMesh &mesh, uint64_t target_triangles, double max_error, Progress &progress,
              double guard_cell = 0);

} // namespace mf

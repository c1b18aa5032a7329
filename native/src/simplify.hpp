// Quadric edge-collapse decimation of the working mesh.
#pragma once

#include "indexed_mesh.hpp"
#include <cstdint>

namespace mf {

class Progress;

// From this many faces on, a guarded simplification runs in two halves at once first.
constexpr size_t kSimplifyHalvesFaces = 400000;

// Quadric edge collapse toward target_triangles, never beyond max_error (squared distance to the original
// planes); keeps the surface manifold (link condition) and rejects collapses that fold a face. guard_cell
// > 0 also rejects collapses whose new faces cross another face (searched in a grid of that cell size); then
// a mesh of halves_from faces or more is decimated in two halves at once (on two threads, the faces within a
// guard cell of the seam between them left as they are), and then as a whole.
void simplify(IndexedMesh &mesh, uint64_t target_triangles, double max_error, Progress &progress,
              double guard_cell = 0, size_t halves_from = kSimplifyHalvesFaces);

} // namespace mf

// Attributes for new vertices, taken from the closest point of the surface they replace.
#pragma once

#include "indexed_mesh.hpp"

namespace mf {

class Progress;

// For every vertex of `mesh`, attributes interpolated at the closest point of `source`.
void transfer_attributes(IndexedMesh &mesh, const IndexedMesh &source, Progress &progress);

} // namespace mf

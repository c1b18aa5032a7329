// Dropping degenerate and repeated faces, for repair's topological stage.
#pragma once

#include "indexed_mesh.hpp"
#include <cstdint>
#include <vector>

namespace mf {

// Drops faces that repeat a welded vertex, have zero area (the inspect threshold) or repeat another
// face's welded vertex set. Returns how many went. twinned (optional): for every kept face, whether a
// dropped repeat ran the other way round.
uint64_t remove_bad_faces(IndexedMesh &mesh, const std::vector<uint32_t> &welded, double diagonal,
                          std::vector<uint8_t> *twinned = nullptr);

} // namespace mf

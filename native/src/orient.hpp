// Orientation for repair's topological stage: consistent winding across edges, then outward per part.
#pragma once

#include "indexed_mesh.hpp"
#include "repair_counters.hpp"
#include <cstdint>
#include <vector>

namespace mf {

class Progress;

// The patches orient_consistently leaves: faces joined across manifold edges (exactly two faces), each
// oriented alike; open marks the faces with an edge that is not (open or non-manifold).
struct Patches {
    std::vector<uint32_t> of; // a patch id a face
    std::vector<uint8_t> open;
    uint32_t count = 0;
};

// Makes the winding agree across every manifold edge (breadth first); sets non_manifold / non_orientable;
// fills patches when given.
void orient_consistently(IndexedMesh &mesh, const std::vector<uint32_t> &welded, RepairCounters &counters,
                         Patches *patches = nullptr);

// Turns every open patch that the rest of the surface half encloses (a floor or lid modelled flipped, parted
// from its walls by non-manifold or open edges) so that its back faces what the rest encloses, judged by the
// rest's generalized winding number just off both sides of its largest faces. Patches as orient_consistently
// left them on this mesh.
void orient_patches_by_winding(IndexedMesh &mesh, const Patches &patches, RepairCounters &counters,
                               Progress &progress);

// Per face: whether its vertex-connected part's bounding-box diagonal is below small_fraction of the whole's
// (all 0 when small_fraction <= 0): the parts orient_outward_and_drop_small drops.
std::vector<uint8_t> faces_of_small_parts(const IndexedMesh &mesh, const std::vector<uint32_t> &welded,
                                          double small_fraction);

// Per vertex-connected part: flips parts of negative volume; drops parts whose bounding-box diagonal is
// below small_fraction of the whole (when small_fraction > 0). face_marks (optional, one per face) loses
// the entries of the dropped faces, so that it stays one per face. The faces left keep their order.
void orient_outward_and_drop_small(IndexedMesh &mesh, const std::vector<uint32_t> &welded, double small_fraction,
                                   RepairCounters &counters, std::vector<uint8_t> *face_marks = nullptr);

// Whether a vertex-connected part encloses no volume: its two sides coincide (a sheet closed by a patch over itself),
// so that it is watertight, manifold and free of crossings, as coincident faces do not cross, yet nothing can be
// printed of it. Its thickness (twice its volume over its area) is nothing but rounding, under a ten-millionth of
// the diagonal, where the thinnest part a grid can hold is thousands of times that.
bool has_part_enclosing_nothing(const IndexedMesh &mesh, const std::vector<uint32_t> &welded, double diagonal);

} // namespace mf

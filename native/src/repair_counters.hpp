// What repair's topological stages count and flag as they go; mf_repair_result reports the counts.
#pragma once

#include <cstdint>

namespace mf {

struct RepairCounters {
    uint64_t vertices_welded = 0;
    uint64_t faces_removed = 0;
    uint64_t faces_flipped = 0;
    uint64_t holes_filled = 0;
    uint64_t hole_triangles = 0;
    uint64_t small_parts_removed = 0;
    uint64_t edges_split = 0;    // non-manifold edges whose faces were paired
    uint64_t vertices_split = 0; // vertex copies added, one a fan beyond the first
    bool non_manifold = false;  // an edge with more than two faces survived
    bool non_orientable = false;
    bool holes_left = false;    // a boundary the filler could not trace
};

} // namespace mf

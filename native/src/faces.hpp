// Per-face checks on the welded triangles: degenerate (zero-area) faces and duplicate faces.
#pragma once

#include "mesh_view.hpp"

#include <cstdint>
#include <vector>

namespace mf {

class Progress;

// A face whose welded corners repeat a vertex: it has no area and no proper edges.
inline bool is_collapsed(const uint32_t *tri) { return tri[0] == tri[1] || tri[1] == tri[2] || tri[0] == tri[2]; }

// Faces with zero area: collapsed faces, and faces whose doubled area |(b-a)x(c-a)| is at most
// 1e-12 of the squared bounding-box diagonal (collinear corners, up to float noise at that scale).
uint64_t count_degenerate_faces(const std::vector<uint32_t> &tris, const std::vector<Vec3d> &positions,
                                double bbox_diagonal);

// Faces over the same vertex multiset as an earlier face (welded ids, order and winding ignored).
uint64_t count_duplicate_faces(const std::vector<uint32_t> &tris, uint32_t vertex_count, Progress *progress);

} // namespace mf

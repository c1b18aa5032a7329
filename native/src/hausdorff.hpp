// Sampled one-sided Hausdorff distance between two triangle surfaces.
#pragma once

#include "mesh_view.hpp"
#include "vec_math.hpp"
#include <cstdint>
#include <vector>

namespace mf {

class Progress;

// Sampled one-sided Hausdorff distance: max over points of a (vertices plus `samples` area-weighted
// points) of the distance to surface b.
double one_sided_hausdorff(const std::vector<Vec3d> &a_pos, const std::vector<uint32_t> &a_tris,
                           const std::vector<Vec3d> &b_pos, const std::vector<uint32_t> &b_tris, uint32_t samples,
                           Progress *progress);

// The diagonal of the bounding box of the vertices the triangles use (0 without triangles).
double bbox_diagonal(const std::vector<Vec3d> &positions, const std::vector<uint32_t> &tris);

// An upper estimate of the bytes mf_hausdorff allocates at its peak for these meshes and samples.
uint64_t hausdorff_memory_bytes(const MeshView &a, const MeshView &b, uint32_t samples);

} // namespace mf

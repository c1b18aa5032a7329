// Sampled one-sided Hausdorff distance between two triangle surfaces, and the part of one surface lost outside
// another (closed) one.
#pragma once

#include "mesh_view.hpp"
#include "vec_math.hpp"
#include <cstdint>
#include <vector>

namespace mf {

class Progress;
class TriangleTree;

// Sampled one-sided Hausdorff distance: max over points of a (vertices plus `samples` area-weighted
// points) of the distance to surface b.
double one_sided_hausdorff(const std::vector<Vec3d> &a_pos, const std::vector<uint32_t> &a_tris,
                           const std::vector<Vec3d> &b_pos, const std::vector<uint32_t> &b_tris, uint32_t samples,
                           Progress *progress);

// What of surface `in` lies outside the closed surface `out` (by out's winding number) and off it.
struct LostSurface {
    double distance = 0;      // the largest distance to out of a point of in outside it (vertices and samples)
    double area_fraction = 0; // the share of in's area (of the random samples) outside out, farther than threshold
};

// Sampled as one_sided_hausdorff samples `in`; out must be closed and outward for its winding number to
// tell inside from outside.
LostSurface lost_surface(const std::vector<Vec3d> &in_pos, const std::vector<uint32_t> &in_tris,
                         const std::vector<Vec3d> &out_pos, const std::vector<uint32_t> &out_tris, uint32_t samples,
                         double threshold, Progress *progress);

// The points that stand for a surface: its used vertices first (vertex_points of them), then area-weighted
// random points (fixed seed: the same surface gives the same points).
struct SurfaceSamples {
    std::vector<Vec3d> points;
    size_t vertex_points = 0;
};
SurfaceSamples sample_surface(const std::vector<Vec3d> &pos, const std::vector<uint32_t> &tris, uint32_t samples);

// one_sided_hausdorff from samples of a to a tree over b (not empty); with `also`, sets *to_both to the
// distance to the union of b and also (what a tree over both surfaces would give, without building it).
double farthest_sample(const SurfaceSamples &a, const TriangleTree &b, const TriangleTree *also, double *to_both,
                       Progress *progress);

// lost_surface from samples of in to a tree over out (not empty); with farthest, sets it to
// one_sided_hausdorff from the same samples to out, measured in the same pass. closed: out's faces form a
// closed chain (as a watertight output's do), so that a ray's crossings count its winding number.
LostSurface lost_samples(const SurfaceSamples &in, const TriangleTree &out, double threshold, double *farthest,
                         Progress *progress, bool closed = false);

// The diagonal of the bounding box of the vertices the triangles use (0 without triangles).
double bbox_diagonal(const std::vector<Vec3d> &positions, const std::vector<uint32_t> &tris);

// An upper estimate of the bytes mf_hausdorff allocates at its peak for these meshes and samples.
uint64_t hausdorff_memory_bytes(const MeshView &a, const MeshView &b, uint32_t samples);

} // namespace mf

// Internals of mf_repair: the working mesh, the stages and their counters. One algorithm a file:
// weld_tolerance.cpp, remove_faces.cpp, split_nonmanifold.cpp, orient.cpp, fill_holes.cpp,
// remesh_volume.cpp (contour_dual.cpp, contour_tetra.cpp), simplify.cpp, hausdorff.cpp; repair.cpp runs them in order and api_repair.cpp is the C
// boundary.
#pragma once

#include "vec_math.hpp"

#include <meshforge/kernel.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace mf {

class Progress;

// Triangles over vertices that carry positions and, optionally, attribute_count floats each.
struct RepairMesh {
    std::vector<Vec3d> positions;
    std::vector<float> attributes; // positions.size() * attribute_count
    uint32_t attribute_count = 0;
    std::vector<uint32_t> tris;

    // Appends a vertex whose attributes blend existing ones (weights sum to 1).
    uint32_t add_vertex(const Vec3d &p, const uint32_t *from, const double *weights, int n);
};

// One key for the undirected edge between welded vertices a and b.
inline uint64_t edge_key(uint32_t a, uint32_t b) { return (uint64_t(std::min(a, b)) << 32) | std::max(a, b); }

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

// Ids after the exact weld and the tolerance weld: welded[v] for every vertex. Snaps the positions of
// merged vertices onto their cluster's first vertex. tolerance: absolute; <= 0 for the exact weld only.
std::vector<uint32_t> weld_with_tolerance(RepairMesh &mesh, double tolerance, uint64_t &merged);

// Drops faces that repeat a welded vertex, have zero area (the inspect threshold) or repeat another
// face's welded vertex set. Returns how many went. twinned (optional): for every kept face, whether a
// dropped repeat ran the other way round.
uint64_t remove_bad_faces(RepairMesh &mesh, const std::vector<uint32_t> &welded, double diagonal,
                          std::vector<uint8_t> *twinned = nullptr);

// Removes fins from edges of more than two faces (twinned faces from remove_bad_faces, and faces whose
// two other edges are open), pairs the faces left on such edges by angle, and splits their endpoints and
// vertices where closed fans touch into one vertex per fan, each moved a hair into its fan so that welding
// equal positions does not join them again. Copies get welded ids appended.
void split_non_manifold(RepairMesh &mesh, std::vector<uint32_t> &welded, const std::vector<uint8_t> &twinned,
                        RepairCounters &counters);

// Makes the winding agree across every manifold edge (breadth first); sets non_manifold / non_orientable.
void orient_consistently(RepairMesh &mesh, const std::vector<uint32_t> &welded, RepairCounters &counters);

// Closes every boundary loop (loops pinched at a vertex are cut into simple ones): minimum-area
// triangulation for loops up to 256 vertices, a fan around the centroid beyond, then Liepa refinement and
// umbrella fairing of the added vertices with the loop fixed (refine = false: the triangulation alone).
// Added vertices get welded ids appended. whole_boundary: close the boundary of the faces taken as an
// oriented chain instead of the edges of one face only: also edges of more faces that their directions do
// not cancel (an unpaired face on a crowded edge, two faces running an edge the same way), which makes the
// winding number of the result a whole number everywhere off the surface.
void fill_holes(RepairMesh &mesh, std::vector<uint32_t> &welded, RepairCounters &counters, bool refine = true,
                bool whole_boundary = false);

// Per vertex-connected part: flips parts of negative volume; drops parts whose bounding-box diagonal is
// below small_fraction of the whole (when small_fraction > 0). face_marks (optional, one per face) loses
// the entries of the dropped faces, so that it stays one per face. The faces left keep their order.
void orient_outward_and_drop_small(RepairMesh &mesh, const std::vector<uint32_t> &welded, double small_fraction,
                                   RepairCounters &counters, std::vector<uint8_t> *face_marks = nullptr);

// Removes vertices no face uses, keeping order.
void compact_vertices(RepairMesh &mesh);

// Volumetric rebuild: signed distance (magnitude from the closest point, sign from the generalized winding
// number) on a grid with `resolution` cells along the longest side, contoured dually with vertices on the
// input's sharp edges and corners (by marching tetrahedra where that surface is not valid).
// Sheets (faces of sheet_candidates, the caller's own, with outside on both sides: open surfaces, leaves,
// walls of no thickness) are unioned with the solid as slabs 1.2 cells thick; sheet_faces says how many.
// Where still nothing is enclosed and thicken_cells_if_empty > 0, every point that close to the surface
// counts as inside instead, and `thickened` is set.
RepairMesh remesh_by_winding_number(const RepairMesh &input, const RepairMesh &sheet_candidates, uint32_t resolution,
                                    Progress &progress,
                                    double fraction_begin, double fraction_end, double thicken_cells_if_empty,
                                    double &cell_size, bool &thickened, uint64_t &sheet_faces);

// Quadric edge collapse toward target_triangles, never beyond max_error (squared distance to the original
// planes); keeps the surface manifold (link condition) and rejects collapses that fold a face. guard_cell
// > 0 also rejects collapses whose new faces cross another face (searched in a grid of that cell size).
void simplify(RepairMesh &mesh, uint64_t target_triangles, double max_error, Progress &progress,
              double guard_cell = 0);

// For every vertex of `mesh`, attributes interpolated at the closest point of `source`.
void transfer_attributes(RepairMesh &mesh, const RepairMesh &source, Progress &progress);

// Sampled one-sided Hausdorff distance: max over points of a (vertices plus `samples` area-weighted
// points) of the distance to surface b.
double one_sided_hausdorff(const std::vector<Vec3d> &a_pos, const std::vector<uint32_t> &a_tris,
                           const std::vector<Vec3d> &b_pos, const std::vector<uint32_t> &b_tris, uint32_t samples,
                           Progress *progress);

double bbox_diagonal(const std::vector<Vec3d> &positions, const std::vector<uint32_t> &tris);

} // namespace mf

namespace mf {

struct MeshView;

struct RepairSettings {
    uint32_t flags = 0;
    uint32_t resolution = 200;
    uint64_t target_triangles = 0;
    double weld_tolerance = 1e-6; // fraction of the diagonal; <= 0: exact only
    const unsigned char *attributes = nullptr;
    uint32_t attribute_count = 0;
    uint32_t attribute_stride = 0;
};

struct RepairOutcome {
    RepairMesh mesh;
    int stage = MF_REPAIR_UNCHANGED;
    RepairCounters counters;
    mf_inspect_report before{}, after{};
    uint64_t parts_merged = 0;
    uint32_t resolution = 0;
    bool simplified = false;
    double hausdorff_out_in = -1, hausdorff_in_out = -1;
    double hausdorff_out_in_patched = -1; // output -> input and the topological stage's hole patches
};

// True when a report shows what repair guarantees.
bool meets_guarantee(const mf_inspect_report &r);

void repair(const MeshView &mesh, const RepairSettings &settings, Progress &progress, RepairOutcome &outcome);

} // namespace mf

// Surfaces from a signed field on a regular grid (inside where the field is negative): marching
// tetrahedra, and dual contouring with one vertex for every sheet of surface in a cell.
#pragma once

#include "indexed_mesh.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace mf {

class Progress;

// Field values at the points of a grid, x fastest. No value is zero or NaN.
struct ScalarGrid {
    int64_t dims[3] = {0, 0, 0};
    double origin[3] = {0, 0, 0};
    double h = 0;
    std::vector<float> field;

    uint64_t point_count() const { return uint64_t(dims[0]) * uint64_t(dims[1]) * uint64_t(dims[2]); }
    uint64_t id(int64_t i, int64_t j, int64_t k) const { return uint64_t((k * dims[1] + j) * dims[0] + i); }
    Vec3d point(uint64_t p) const {
        int64_t i = int64_t(p % dims[0]), j = int64_t((p / dims[0]) % dims[1]), k = int64_t(p / (dims[0] * dims[1]));
        return Vec3d{origin[0] + i * h, origin[1] + j * h, origin[2] + k * h};
    }
};

// The box of the vertices the triangles use (lo > hi on every axis when there are none).
void triangle_box(const IndexedMesh &mesh, double lo[3], double hi[3]);

// The direction across which a mesh is split into two halves by the median of its faces' centres (simplifying each
// on a thread of its own): the longest side of the box lo..hi, tilted off the grid's planes, since a seam along a
// grid plane would run through contour vertices exactly in that plane, which a collapse on either side can join
// into a sliver. Components 1, 0.41 and 0.27 from the longest side on (not of unit length).
Vec3d seam_across(const double lo[3], const double hi[3]);

// A grid of cell h over the box lo..hi with `pad` cells of margin all round; the field is left empty. Throws
// KernelError (MF_ERR_LIMIT, naming `what`) beyond 4 billion points.
ScalarGrid grid_over(const double lo[3], const double hi[3], double h, int pad, const char *what);

// Marching tetrahedra over the Kuhn split of every cell (six tetrahedra around the main diagonal,
// consistent across cells): a closed 2-manifold without self-intersections by construction, vertices kept
// 2% of an edge away from grid points so that no triangle is degenerate. Sharp edges come out chamfered.
IndexedMesh contour_tetrahedra(const ScalarGrid &grid, Progress &progress);

// The tangent plane of the surface near x (where the field crosses zero on a grid edge): a point on it and
// its unit normal, either way round.
struct TangentPlane {
    Vec3d point, normal;
};
using TangentFn = std::function<TangentPlane(const Vec3d &x)>;
// How far q is from the surface the field describes (unsigned, approximate).
using GapFn = std::function<double(const Vec3d &q)>;

// Dual contouring (Ju et al. 2002) that keeps sharp edges and corners: one vertex for every sheet of
// surface in a cell (the sheets a cell's sign pattern makes, faces resolved by the asymptotic decider,
// so that neighbouring cells agree and the surface stays manifold, as in Schaefer et al.'s manifold dual
// contouring; where two sheets would meet through both segments of an ambiguous face, each segment gets a
// vertex of its own), placed where the tangent planes of its crossings meet (a truncated least-squares
// fit about their mean, kept inside its cell), then where the planes of its neighbours' crossings meet
// too if that fixes more directions (edges and corners that cross no grid edge of the cell). A vertex
// that would stand more than a tenth of a cell farther from the input (`gap`) than its mean does stays at
// the mean: strongly curved patches, whose tangent planes meet off the surface, are not features. One
// quad for every crossed grid edge, split along the diagonal whose midpoint lies nearer the surface. Then
// the vertices of crossing or degenerate faces slide back toward the mean of their crossings, and on
// toward their cell's centre if need be. Returns false (and leaves `out` empty) when the surface still
// has an edge without exactly two opposite faces, a crossing pair or a degenerate face: the caller
// contours otherwise.
bool contour_dual(const ScalarGrid &grid, const TangentFn &tangent, const GapFn &gap, Progress &progress,
                  IndexedMesh &out);

} // namespace mf

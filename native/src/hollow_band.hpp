// Distances from grid points to a surface in a narrow band, by closest-face propagation.
#pragma once

#include "contour.hpp"
#include "indexed_mesh.hpp"

#include <cstdint>
#include <vector>

namespace mf {

class Progress;

// For every grid point, its distance to mesh's faces, capped at `cap`: exact within a cell of the surface
// (every face against the points of its box grown by a cell and within a cell of its plane); carried from
// there through the points where `spread` is 1, in order of distance, each point taking the nearest of the
// faces its settled neighbours are nearest to, until the distance passes the cap. Carried values are
// distances to real faces, so never below the true distance, and equal to it but where the nearest face of
// a point is nearest to none of its neighbours (on a scan at four cells a wall, 0.1 % of the points were
// off by more than a tenth of a cell, at most 0.3 cells). Points not reached get the cap. With `nearest_faces`,
// the face each point's distance was measured to goes there too (kNoBandFace where none was).
constexpr uint32_t kNoBandFace = 0xFFFFFFFFu;
std::vector<float> banded_distances(const ScalarGrid &grid, const IndexedMesh &mesh, const std::vector<uint8_t> &spread,
                                    double cap, Progress &progress, std::vector<uint32_t> *nearest_faces = nullptr);

} // namespace mf

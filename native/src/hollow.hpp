// Hollowing a closed solid for printing: an inner surface a wall's thickness deep, drain holes, and the
// checks every result passes.
#pragma once

#include "indexed_mesh.hpp"
#include "mesh_view.hpp"

#include <cstdint>
#include <vector>

namespace mf {

class Progress;

struct HollowSettings {
    double wall = 0;        // > 0, the least distance from the inner surface to the outer one
    double closing = 0;     // >= 0: cavity features narrower than about twice this are filled
    double cell = 0;        // the grid's cell edge (hollow_cell_size)
    Vec3d up{0, 0, 1};      // unit print direction
    bool holes = true;      // drain holes: automatic unless points are given
    bool vents = false;     // automatic holes: a vent at each cavity's top too
    std::vector<Vec3d> hole_points;
    double hole_radius = 1.5;
    bool tetrahedra_only = false;
};

struct HollowOutcome {
    IndexedMesh mesh;                 // empty when nothing could be hollowed (no region thick enough)
    std::vector<Vec3d> hole_openings; // where each hole leaves the outer surface
    uint32_t cavities = 0, drained = 0;
    bool remeshed = false;            // the whole solid contoured (holes cut), else input + inner shells
    double min_wall = 0, inner_offset = 0, cell = 0;
    uint64_t inner_triangles = 0;
};

// The grid's cell edge: cells_across (3, 4 or 6) cells across the wall and 3 across a hole's diameter, but
// no finer than max_cells along the longest side of the box of extent `extent`.
double hollow_cell_size(double wall, int cells_across, double hole_diameter, double extent, uint32_t max_cells);

// Hollows input, a closed, outward, self-intersection-free solid (the caller checked). Throws KernelError
// when stopped, or when the result fails its checks (a bug, MF_ERR_INTERNAL).
void hollow(const IndexedMesh &input, const HollowSettings &settings, Progress &progress, HollowOutcome &out);

// An upper estimate of the bytes hollow() allocates at its peak, for the grid of this cell size.
uint64_t hollow_memory_bytes(const MeshView &mesh, double cell, const double extent[3]);

} // namespace mf

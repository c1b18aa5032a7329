// The volumetric rebuild of a triangle soup: winding-number field on a grid, contoured.
#pragma once

#include "indexed_mesh.hpp"
#include <cstdint>
#include <memory>
#include <vector>

namespace mf {

class Progress;
struct VolumeField;

struct VolumeRebuildSettings {
    uint32_t resolution = 200;        // grid cells along the longest side of the bounding box
    double fraction_begin = 0;        // the span of the progress fractions this rebuild reports
    double fraction_end = 1;
    double thicken_cells_if_empty = 0; // > 0: where nothing is enclosed, a slab this many cells thick
    bool tetrahedra_only = false;      // contour by marching tetrahedra even where dual contouring would do
    // Optional, one a face of sheet_candidates: faces made slabs whatever the winding number says (faces an
    // earlier rebuild left outside its solid).
    const std::vector<uint8_t> *slab_faces = nullptr;
    // Optional: faces_of_open_parts(sheet_candidates), where the caller has it already.
    const std::vector<uint8_t> *open_faces = nullptr;
};

struct VolumeRebuild {
    IndexedMesh mesh;
    double cell_size = 0;     // the grid's cell edge
    bool thickened = false;   // nothing was enclosed: the whole surface became a slab
    uint64_t sheet_faces = 0; // candidate faces taken as sheets
    std::vector<uint8_t> sheets; // a mark a candidate face: taken as a sheet (a slab)
    bool dual = false;        // contoured dually (sharp edges kept), else by marching tetrahedra
    std::shared_ptr<VolumeField> field; // what remesh_with_slabs reuses (the grid, the band's distances)
};

// Per face: whether its part (faces joined through shared positions) has an edge without exactly two faces
// or encloses next to no volume for its area; only such parts can hold sheets.
std::vector<uint8_t> faces_of_open_parts(const IndexedMesh &mesh);

// Volumetric rebuild: signed distance (magnitude from the closest point, sign from the generalized winding
// number) on a grid, contoured dually with vertices on the input's sharp edges and corners (by marching
// tetrahedra where that surface is not valid). Sheets (faces of sheet_candidates, the caller's own, with
// outside on both sides: open surfaces, leaves, walls of no thickness) are unioned with the solid as slabs
// 1.2 cells thick, and so are the faces settings.slab_faces marks. Where still nothing is enclosed and thicken_cells_if_empty > 0, every point that close to
// the surface counts as inside instead.
VolumeRebuild remesh_by_winding_number(const IndexedMesh &input, const IndexedMesh &sheet_candidates,
                                       const VolumeRebuildSettings &settings, Progress &progress);

// The same rebuild again with the faces slab_faces marks (one a face of sheet_candidates) made slabs as well:
// the result remesh_by_winding_number would give with them as settings.slab_faces, for the cost of the
// distances to the added faces and the contour. first (from remesh_by_winding_number over the same input,
// candidates and settings) gives up its field.
VolumeRebuild remesh_with_slabs(VolumeRebuild &&first, const IndexedMesh &input, const IndexedMesh &sheet_candidates,
                                const std::vector<uint8_t> &slab_faces, const VolumeRebuildSettings &settings,
                                Progress &progress);

} // namespace mf

// Attribute-aware quadric decimation behind mf_simplify: half-edge collapses over the caller's own vertices,
// so that every attribute of a kept vertex survives unchanged and the output indexes the input's vertices.
#pragma once

#include "indexed_mesh.hpp"

#include <cstdint>
#include <vector>

namespace mf {

class Progress;

struct SimplifySettings {
    uint64_t target_triangles = 0; // stop at this many (0: only the error bounds the result)
    double max_error = 1e300;      // bound on a collapse's error, a fraction of the extent (see SimplifyOutcome)
    bool lock_border = false;      // open edges never move; no new edge or face joins their points only
    bool no_intersections = false; // reject collapses whose moved faces would cross another face
};

enum class SimplifyStop { Target, Error, Topology };

struct SimplifyOutcome {
    double extent = 0;          // the largest side of the bounding box of the used vertices
    double error = 0;           // the largest geometric error a collapse reached, in mesh units
    double attribute_error = 0; // the largest weighted attribute deviation a collapse reached (rms of its wedges)
    uint64_t collapses = 0;
    uint64_t dropped = 0;       // input faces over two welded corners, dropped as zero area
    SimplifyStop stop = SimplifyStop::Target;
};

// Simplifies mesh.tris (indices into mesh.positions) toward settings.target_triangles, leaving the positions and
// attributes as they are: on return mesh.tris holds the kept faces over the same vertex ids. Vertices at equal
// positions are one point of the surface (a UV or material seam splits its corners into wedges); a seam vertex
// moves only along its seam, a border vertex only along its border, other non-manifold or complex vertices not
// at all. Costs are the Garland-Heckbert distance of the removed vertex's planes (area weighted, with border
// and seam edge planes, as a fraction of the extent) plus, for each wedge, the squared deviation of the value it
// takes from the faces' linear attribute fields (mesh.attributes, already multiplied by their weights), summed
// with each face's area in the unit box as its weight (a squared length like the distance term's, so that on
// small faces geometry comes first). Collapses go in passes, cheapest first. A collapse keeps the
// link condition (a manifold stays one), turns no face by 90 degrees or more against its current normal nor by
// about 75 against its input one (90 once no other collapse is left), and, with no_intersections, keeps its moved
// faces clear of every other face.
void simplify_mesh(IndexedMesh &mesh, const SimplifySettings &settings, Progress &progress, SimplifyOutcome &out);

} // namespace mf

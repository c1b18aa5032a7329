// Hollowing. The side of every grid point from crossings along the grid's columns (hollow_columns.cpp), its
// distance to the outer surface in a narrow band (exact within a cell, carried inward by nearest faces up to a
// cap a few cells past the deepest the inner surface can sit: hollow_band.cpp). The cavity is where a point
// lies deeper than the inner offset; regions of it too small to print are filled, so that thin parts stay
// solid. Without holes the cavity's surface, contoured dually (tangent planes at the offset from each closest
// point), is added facing inward to the untouched input. With holes, the material (inside the outer surface,
// outside the cavity and every hole's cylinder) is contoured as one field, so that no hole can fail. Every
// result is measured exactly through the tree: the least distance from the inner surface (vertices, face
// centres and edge midpoints) to the input; where it falls below 98 % of the wall the inner surface is placed
// deeper and contoured again.
#include "hollow.hpp"

#include "contour.hpp"
#include "distance_transform.hpp"
#include "drain_holes.hpp"
#include "hollow_band.hpp"
#include "hollow_columns.hpp"
#include "kernel_error.hpp"
#include "parallel.hpp"
#include "progress.hpp"
#include "triangle_tree.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mf {

namespace {

constexpr int kPad = 3;
// A cavity of fewer grid points than this holds less than a couple of cells: filled rather than printed
// as a shell around next to nothing.
constexpr uint32_t kMinCavityPoints = 8;
// How much deeper the inner surface may go than the wall, at most, to keep the measured wall.
constexpr double kMaxDeepening = 0.25;

Vec3d closest_point(const IndexedMesh &m, const ClosestHit &hit) {
    const uint32_t *t = &m.tris[3 * size_t(hit.face)];
    return m.positions[t[0]] * hit.bary[0] + m.positions[t[1]] * hit.bary[1] + m.positions[t[2]] * hit.bary[2];
}

Vec3d face_normal(const IndexedMesh &m, uint32_t f) {
    const uint32_t *t = &m.tris[3 * size_t(f)];
    Vec3d n = cross(m.positions[t[1]] - m.positions[t[0]], m.positions[t[2]] - m.positions[t[0]]);
    const double l = norm(n);
    return l > 0 ? n * (1 / l) : Vec3d{0, 0, 1};
}

// Which surface of the material a point near it belongs to.
enum class Part { outer, inner, hole };

// The surfaces the contoured field describes, for tangent planes, gaps and classifying faces.
struct Surfaces {
    const IndexedMesh &input;
    const TriangleTree &tree;
    const std::vector<DrainHole> &holes;
    double radius, offset, h;
    bool whole; // the material's field (outer, inner, holes); else the cavity's alone

    struct Near {
        Part part;
        double gap; // |field term| there
        size_t hole;
        ClosestHit hit;
    };
    Near nearest(const Vec3d &x) const {
        Near n{Part::inner, 0, 0, tree.closest(x)};
        const double d = std::sqrt(n.hit.distance2);
        n.gap = std::fabs(d - offset);
        if (!whole) return n;
        if (d < n.gap) n.part = Part::outer, n.gap = d;
        for (size_t i = 0; i < holes.size(); ++i) {
            if (hole_box_distance(holes[i], radius, x) >= n.gap) continue; // cannot be nearer
            const double g = std::fabs(hole_distance(holes[i], radius, x));
            if (g < n.gap) n.part = Part::hole, n.gap = g, n.hole = i;
        }
        return n;
    }
    TangentPlane plane(const Vec3d &x) const {
        const Near n = nearest(x);
        if (n.part == Part::hole) return hole_plane(holes[n.hole], radius, x);
        const Vec3d c = closest_point(input, n.hit);
        if (n.part == Part::outer) return {std::sqrt(n.hit.distance2) < 0.5 * h ? c : x, face_normal(input, n.hit.face)};
        Vec3d away = x - c;
        const double l = norm(away);
        away = l > 0 ? away * (1 / l) : face_normal(input, n.hit.face) * -1.0;
        return {c + away * offset, away};
    }
};

// The least distance from the faces of mesh that belong to the inner surface (all of them, unless the
// surfaces say otherwise) to the input: at every vertex, face centre and edge midpoint, each measured once.
// A face's centre is found from the tree; its nearest face then bounds the search at the face's corners and
// edge midpoints, which prunes most of the tree at once. Counts those faces.
double measure_wall(const IndexedMesh &mesh, const Surfaces &surfaces, Progress &progress, uint64_t &inner_faces) {
    const size_t faces = mesh.tris.size() / 3;
    const IndexedMesh &input = surfaces.input;
    constexpr uint32_t kNoFace = 0xFFFFFFFFu;
    std::vector<double> least(faces, std::numeric_limits<double>::infinity());
    std::vector<uint32_t> hint(faces, kNoFace);
    progress.report(0.8, "wall");
    parallel_for(faces, progress, 0.8, 0.84, "wall", [&](size_t f) {
        const Vec3d &a = mesh.positions[mesh.tris[3 * f]], &b = mesh.positions[mesh.tris[3 * f + 1]],
                    &c = mesh.positions[mesh.tris[3 * f + 2]];
        const Surfaces::Near near = surfaces.nearest((a + b + c) * (1.0 / 3.0));
        if (surfaces.whole && near.part != Part::inner) return;
        hint[f] = near.hit.face;
        least[f] = near.hit.distance2;
    });
    // The distance from x to the input, no farther than to the hint face.
    auto distance2 = [&](const Vec3d &x, uint32_t face) {
        const uint32_t *t = &input.tris[3 * size_t(face)];
        double bary[3];
        closest_on_triangle(x, input.positions[t[0]], input.positions[t[1]], input.positions[t[2]], bary);
        const double bound = norm2(input.positions[t[0]] * bary[0] + input.positions[t[1]] * bary[1] +
                                   input.positions[t[2]] * bary[2] - x);
        return std::min(bound, surfaces.tree.closest(x, 0, bound).distance2);
    };
    // Corners and edge midpoints: each edge by the face where it runs from the lower vertex id to the higher
    // (its other face runs it the other way; both, where the other face may be no inner one), each corner
    // by one face that holds it.
    std::vector<uint32_t> corner_face(mesh.positions.size(), kNoFace);
    for (size_t f = 0; f < faces; ++f)
        if (hint[f] != kNoFace)
            for (int e = 0; e < 3; ++e) corner_face[mesh.tris[3 * f + e]] = uint32_t(f);
    parallel_for(faces, progress, 0.84, 0.9, "wall", [&](size_t f) {
        if (hint[f] == kNoFace) return;
        for (int e = 0; e < 3; ++e) {
            const uint32_t u = mesh.tris[3 * f + e], v = mesh.tris[3 * f + (e + 1) % 3];
            if (corner_face[u] == f) least[f] = std::min(least[f], distance2(mesh.positions[u], hint[f]));
            if (u < v || surfaces.whole) least[f] = std::min(least[f], distance2((mesh.positions[u] + mesh.positions[v]) * 0.5, hint[f]));
        }
    });
    inner_faces = uint64_t(std::count_if(hint.begin(), hint.end(), [](uint32_t h) { return h != kNoFace; }));
    const double m = *std::min_element(least.begin(), least.end());
    return std::isfinite(m) ? std::sqrt(m) : 0.0;
}

// Contours grid dually (by marching tetrahedra where that surface is not valid, or when asked).
IndexedMesh contour(const ScalarGrid &grid, const Surfaces &surfaces, bool tetrahedra_only, Progress &progress) {
    IndexedMesh mesh;
    const TangentFn tangent = [&](const Vec3d &x) { return surfaces.plane(x); };
    const GapFn gap = [&](const Vec3d &q) { return surfaces.nearest(q).gap; };
    const bool dual = !tetrahedra_only && contour_dual(grid, tangent, gap, progress, mesh);
    if (!dual) mesh = contour_tetrahedra(grid, progress);
    progress.log("hollow contour: %s, %zu triangles", dual ? "dual" : "tetrahedra", mesh.tris.size() / 3);
    return mesh;
}

// No grid value may be zero for contouring.
float nonzero(double v, float tiny) {
    const float f = float(v);
    return f < 0 ? std::min(f, -tiny) : std::max(f, tiny);
}

// The cavity's field (negative inside it): deeper than offset; with a closing distance c, deeper than
// offset + c and grown back by grow (at most c: a morphological opening, which drops what is narrower than 2c and
// stays offset deep: a point within c of one deeper than offset + c is deeper than offset).
ScalarGrid cavity_field(const ScalarGrid &grid, const std::vector<uint8_t> &inside,
                        const std::vector<float> &distance, double offset, double closing, double grow, float tiny,
                        float far, Progress &progress) {
    const uint64_t n = grid.point_count();
    ScalarGrid cavity = grid;
    cavity.field.resize(n);
    if (closing > 0) {
        std::vector<uint8_t> core(n);
        // Half a cell shallower than the exact opening's core, since grid points stand up to that far inside
        // it; where that brings the surface too near, the measured wall makes it grow back less.
        for (uint64_t p = 0; p < n; ++p) core[p] = inside[p] && distance[p] > offset + closing - 0.5 * grid.h;
        const std::vector<float> reach2 = squared_distance_to_set(grid, core, progress);
        for (uint64_t p = 0; p < n; ++p) cavity.field[p] = nonzero(std::sqrt(double(reach2[p])) * grid.h - grow, tiny);
    } else {
        for (uint64_t p = 0; p < n; ++p) cavity.field[p] = inside[p] ? nonzero(offset - distance[p], tiny) : far;
    }
    return cavity;
}

// Without holes: the input's own surface stays the outer shell, and the cavity's surface, turned round to face
// into it, is added inward.
void shell_around_cavity(const IndexedMesh &input, const ScalarGrid &cavity, const Surfaces &surfaces,
                         bool tetrahedra, Progress &progress, HollowOutcome &out) {
    out.drained = 0;
    IndexedMesh inner = contour(cavity, surfaces, tetrahedra, progress);
    for (size_t f = 0; f < inner.tris.size(); f += 3) std::swap(inner.tris[f + 1], inner.tris[f + 2]);
    out.min_wall = measure_wall(inner, surfaces, progress, out.inner_triangles);
    out.mesh = input;
    const uint32_t base = uint32_t(out.mesh.positions.size());
    out.mesh.positions.insert(out.mesh.positions.end(), inner.positions.begin(), inner.positions.end());
    for (uint32_t v : inner.tris) out.mesh.tris.push_back(base + v);
    out.mesh.attributes.clear();
    out.mesh.attribute_count = 0;
    out.remeshed = false;
}

// With holes: the material (inside the outer surface, outside the cavity and every hole; negative inside),
// contoured as one field; the flood fill from outside through it tells which cavities drain.
void material_with_holes(const ScalarGrid &grid, const std::vector<uint8_t> &inside,
                         const std::vector<float> &distance, const ScalarGrid &cavity, const CavityMap &cavities,
                         const std::vector<DrainHole> &holes, double hole_radius, double deepest, float tiny,
                         const Surfaces &surfaces, bool tetrahedra, Progress &progress, HollowOutcome &out) {
    ScalarGrid material = grid;
    material.field.resize(grid.point_count());
    parallel_for(grid.point_count(), progress, 0.0, 0.0, "holes", [&](size_t p) {
        const double outer = inside[p] ? -double(distance[p]) : double(distance[p]);
        double v = std::max(outer, -double(cavity.field[p]));
        const Vec3d x = grid.point(p);
        // A hole farther than the cap cannot raise v (never below minus the cap): skipped by its box.
        for (const DrainHole &hole : holes)
            if (hole_box_distance(hole, hole_radius, x) < deepest) v = std::max(v, -hole_distance(hole, hole_radius, x));
        material.field[p] = nonzero(v, tiny);
    });
    const std::vector<uint8_t> drained = drained_cavities(material, cavities, progress);
    out.drained = uint32_t(std::count(drained.begin() + 1, drained.end(), 1));
    out.mesh = contour(material, surfaces, tetrahedra, progress);
    out.min_wall = measure_wall(out.mesh, surfaces, progress, out.inner_triangles);
    out.remeshed = true;
}

} // namespace

double hollow_cell_size(double wall, int cells_across, double hole_diameter, double extent, uint32_t max_cells) {
    double h = wall / cells_across;
    if (hole_diameter > 0) h = std::min(h, hole_diameter / 3);
    return std::max(h, extent / double(max_cells - 2 * kPad - 1));
}

uint64_t hollow_memory_bytes(const MeshView &mesh, double cell, const double extent[3]) {
    uint64_t points = 1;
    for (int k = 0; k < 3; ++k) points *= uint64_t(std::ceil(extent[k] / cell)) + 2 + 2 * kPad;
    // A grid point: the band's nearest face and distance (8, then 4), its settling mark, side, field, cavity
    // label and the flood fill; the tree and the contour's mesh about 400 bytes a face.
    return points * 32 + (mesh.triangle_count + points / 16) * 400;
}

void hollow(const IndexedMesh &input, const HollowSettings &settings, Progress &progress, HollowOutcome &out) {
    progress.report(0.0, "hollow tree");
    const TriangleTree tree(input.positions, input.tris, &progress);
    double lo[3], hi[3];
    triangle_box(input, lo, hi);
    ScalarGrid grid = grid_over(lo, hi, settings.cell, kPad, "hollowing");
    const double h = grid.h;
    out.cell = h;
    progress.log("hollow grid: %lld x %lld x %lld, cell %g", (long long)grid.dims[0], (long long)grid.dims[1],
                 (long long)grid.dims[2], h);
    // Distances, capped a few cells past the deepest the inner surface may go.
    const double deepest = settings.wall * (1 + kMaxDeepening) + settings.closing + 3 * h;
    progress.report(0.02, "sides");
    const std::vector<uint8_t> inside = inside_by_columns(grid, input, progress);
    progress.report(0.05, "distance field");
    const std::vector<float> distance = banded_distances(grid, input, inside, deepest, progress);

    const float tiny = float(1e-6 * h), far = float(2 * h);
    progress.log("hollow: distances done");
    double offset = settings.wall;
    // How far an opened cavity grows back: the closing distance, less where the contour between grid points
    // would come nearer the outer surface than the wall.
    double grow = settings.closing;
    for (int attempt = 0;; ++attempt) {
        ScalarGrid cavity = cavity_field(grid, inside, distance, offset, settings.closing, grow, tiny, far,
                                         progress);
        CavityMap cavities = label_cavities(cavity, kMinCavityPoints, far);
        progress.log("hollow: %u cavities labelled", cavities.count);
        out.cavities = cavities.count;
        if (cavities.count == 0) {
            out.mesh = IndexedMesh{};
            return;
        }
        out.hole_openings.clear();
        std::vector<DrainHole> holes;
        const SolidGrid solid{grid, inside, distance, cavities};
        if (settings.holes && settings.hole_points.empty())
            holes = place_holes_auto(solid, settings.up, settings.hole_radius, settings.vents);
        else if (settings.holes)
            holes = place_holes_at(solid, tree, settings.hole_points, input.positions, input.tris, settings.hole_radius,
                                   deepest);
        for (const DrainHole &hole : holes) out.hole_openings.push_back(hole.opening);

        const Surfaces surfaces{input, tree, holes, settings.hole_radius, offset, h, !holes.empty()};
        // An opened cavity's surface is not at the offset from the outer one, so the tangent planes of dual
        // contouring do not describe it: marching tetrahedra there.
        const bool tetrahedra = settings.tetrahedra_only || settings.closing > 0;
        progress.report(0.7, "contour");
        if (holes.empty())
            shell_around_cavity(input, cavity, surfaces, tetrahedra, progress, out);
        else
            material_with_holes(grid, inside, distance, cavity, cavities, holes, settings.hole_radius, deepest, tiny,
                                surfaces, tetrahedra, progress, out);
        out.inner_offset = offset;
        progress.log("hollow: offset %g, measured wall %g of %g", offset, out.min_wall, settings.wall);
        if (out.min_wall >= 0.98 * settings.wall) return;
        const double deficit = 0.98 * settings.wall - out.min_wall + 0.1 * h;
        if (grow > 0) {
            grow = std::max(0.0, grow - deficit);
            continue;
        }
        if (attempt >= 6 || offset >= settings.wall * (1 + kMaxDeepening))
            throw KernelError(MF_ERR_INTERNAL, "Hollowing could not keep the wall: the inner surface stays " +
                                                   std::to_string(out.min_wall) + " from the outer one.");
        offset = std::min(settings.wall * (1 + kMaxDeepening), offset + deficit);
    }
}

} // namespace mf

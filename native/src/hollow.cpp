// Hollowing. The side of every grid point from crossings along the grid's columns (hollow_columns.cpp), its
// distance to the outer surface in a narrow band (exact within a cell, carried inward by nearest faces up to a
// cap a few cells past the inner surface, and past the deepest it may sit only once it must go deeper than the
// wall: hollow_band.cpp). The cavity is where a point
// lies deeper than the inner offset; regions of it too small to print are filled, so that thin parts stay
// solid. Without holes the cavity's surface, contoured dually (tangent planes at the offset from each closest
// point), is added facing inward to the untouched input. With holes, the material (inside the outer surface,
// outside the cavity and every hole's cylinder) is contoured as one field, so that no hole can fail. The inner
// surface is simplified (simplify_inner) before it is measured; every result is measured exactly through the tree: the least distance from the inner surface (vertices, face
// centres and edge midpoints; not the points of a hole's own wall) to the input. Where it falls below 98 % of
// the wall, the short faces are pushed deeper in place (their corners away from the outer surface, their
// neighbours half as far, no face turned over, no crossing made); only when that cannot keep the wall is the
// inner surface placed deeper and contoured again.
#include "hollow.hpp"

#include "contour.hpp"
#include "crossing_near.hpp"
#include "distance_transform.hpp"
#include "drain_holes.hpp"
#include "faces.hpp"
#include "hollow_band.hpp"
#include "hollow_columns.hpp"
#include "hollow_mouths.hpp"
#include "hollow_pages.hpp"
#include "kernel_error.hpp"
#include "parallel.hpp"
#include "progress.hpp"
#include "self_intersections.hpp"
#include "simplify_mesh.hpp"
#include "triangle_tree.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

namespace mf {

namespace {

constexpr int kPad = 3;
// A cavity of fewer grid points than this holds less than a couple of cells: filled rather than printed
// as a shell around next to nothing.
constexpr uint32_t kMinCavityPoints = 8;
// How much deeper the inner surface may go than the wall, at most, to keep the measured wall.
constexpr double kMaxDeepening = 0.25;
// The inner surface is simplified to no fewer than this fraction of the contour's faces over it, so that its
// edges stay within about three cells and the wall's samples (corners, edge midpoints and centres) within about
// a cell and a half of each other.
constexpr size_t kInnerReduction = 8;

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
// The closest point of the input to x, its search bounded by the face the band measured the grid point
// nearest x against (a near-exact bound there, which prunes most of the tree).
struct Closest {
    const IndexedMesh &input;
    const TriangleTree &tree;
    const ScalarGrid &grid;
    const std::vector<uint32_t> &band_face;

    // The point of the face the band measured the grid point nearest x against (no face where there is none):
    // its squared distance bounds the exact one from above.
    ClosestHit hint(const Vec3d &x) const {
        ClosestHit hint;
        int64_t c[3];
        for (int k = 0; k < 3; ++k) {
            const double u = std::round((coord(x, k) - grid.origin[k]) / grid.h);
            if (!(u >= 0 && u < double(grid.dims[k]))) return hint;
            c[k] = int64_t(u);
        }
        const uint32_t f = band_face[grid.id(c[0], c[1], c[2])];
        if (f == kNoBandFace) return hint;
        hint.face = f;
        const uint32_t *t = &input.tris[3 * size_t(f)];
        closest_on_triangle(x, input.positions[t[0]], input.positions[t[1]], input.positions[t[2]], hint.bary);
        hint.distance2 = norm2(input.positions[t[0]] * hint.bary[0] + input.positions[t[1]] * hint.bary[1] +
                               input.positions[t[2]] * hint.bary[2] - x);
        return hint;
    }
    ClosestHit operator()(const Vec3d &x) const { return exact(x, hint(x)); }
    ClosestHit exact(const Vec3d &x, const ClosestHit &hint) const {
        if (hint.face == 0xFFFFFFFFu) return tree.closest(x);
        const ClosestHit nearer = tree.closest(x, 0, hint.distance2);
        return nearer.face != 0xFFFFFFFFu && nearer.distance2 < hint.distance2 ? nearer : hint;
    }
};

struct Surfaces {
    const IndexedMesh &input;
    const TriangleTree &tree;
    const Closest &closest;
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
        Near n{Part::inner, 0, 0, closest(x)};
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
    // Within two cells of a hole's cylinder.
    bool near_hole(const Vec3d &x) const {
        for (const DrainHole &hole : holes)
            if (hole_box_distance(hole, radius, x) < 2 * h && hole_distance(hole, radius, x) < 2 * h) return true;
        return false;
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

// The wall of a contoured mesh, a face at a time: which faces belong to the inner surface (all of them,
// unless the surfaces say otherwise), and the least squared distance to the input from each inner face's
// centre, corners and edge midpoints, with the input face nearest its centre (which bounds the other searches).
struct Wall {
    static constexpr uint32_t kNoFace = 0xFFFFFFFFu;
    std::vector<double> least;  // per face; infinity for faces not inner
    std::vector<uint32_t> hint; // per face; kNoFace for faces not inner

    double min() const {
        const double m = least.empty() ? 0.0 : *std::min_element(least.begin(), least.end());
        return std::isfinite(m) ? std::sqrt(m) : 0.0;
    }
    uint64_t inner_faces() const {
        return uint64_t(std::count_if(hint.begin(), hint.end(), [](uint32_t h) { return h != kNoFace; }));
    }
};

// The distance from x to the input, no farther than to the hint face.
double distance2_below_hint(const Surfaces &surfaces, const Vec3d &x, uint32_t face) {
    const IndexedMesh &input = surfaces.input;
    const uint32_t *t = &input.tris[3 * size_t(face)];
    double bary[3];
    closest_on_triangle(x, input.positions[t[0]], input.positions[t[1]], input.positions[t[2]], bary);
    const double bound = norm2(input.positions[t[0]] * bary[0] + input.positions[t[1]] * bary[1] +
                               input.positions[t[2]] * bary[2] - x);
    const double d2 = std::min(bound, surfaces.tree.closest(x, 0, bound).distance2);
    // A sample nearer a hole's cylinder than the inner surface lies on the hole's own wall, which runs through
    // the shell to the outside: not a point of the inner surface.
    if (!surfaces.holes.empty()) {
        const double gap = std::fabs(std::sqrt(d2) - surfaces.offset);
        for (const DrainHole &hole : surfaces.holes)
            if (hole_box_distance(hole, surfaces.radius, x) < gap &&
                std::fabs(hole_distance(hole, surfaces.radius, x)) < gap)
                return std::numeric_limits<double>::infinity();
    }
    return d2;
}

// The face across each face's edge e (3 * face + e; the face holding the edge the other way round), for a closed
// manifold mesh; kNoFace where none is found.
std::vector<uint32_t> faces_across(const IndexedMesh &mesh, Progress &progress) {
    const size_t faces = mesh.tris.size() / 3;
    std::vector<uint32_t> first(mesh.positions.size() + 1, 0), around(mesh.tris.size());
    for (uint32_t v : mesh.tris) ++first[v + 1];
    for (size_t v = 0; v < mesh.positions.size(); ++v) first[v + 1] += first[v];
    std::vector<uint32_t> fill(first.begin(), first.end() - 1);
    for (size_t f = 0; f < faces; ++f)
        for (int e = 0; e < 3; ++e) around[fill[mesh.tris[3 * f + e]]++] = uint32_t(f);
    std::vector<uint32_t> across(mesh.tris.size(), Wall::kNoFace);
    parallel_for(faces, progress, 0.0, 0.0, "wall", [&](size_t f) {
        for (int e = 0; e < 3; ++e) {
            const uint32_t u = mesh.tris[3 * f + e], v = mesh.tris[3 * f + (e + 1) % 3];
            for (uint32_t k = first[v]; k < first[v + 1]; ++k) {
                const uint32_t *t = &mesh.tris[3 * size_t(around[k])];
                if ((t[0] == v && t[1] == u) || (t[1] == v && t[2] == u) || (t[2] == v && t[0] == u)) {
                    across[3 * f + e] = around[k];
                    break;
                }
            }
        }
    });
    return across;
}

// Measures every face of mesh, each vertex and edge midpoint once (an edge by the face where it runs from the
// lower vertex id to the higher, or by the other face where that one is no inner face; a corner by one face
// holding it).
Wall measure_wall(const IndexedMesh &mesh, const Surfaces &surfaces, Progress &progress) {
    const size_t faces = mesh.tris.size() / 3;
    Wall wall{std::vector<double>(faces, std::numeric_limits<double>::infinity()),
              std::vector<uint32_t>(faces, Wall::kNoFace)};
    progress.report(0.8, "wall");
    parallel_for(faces, progress, 0.8, 0.84, "wall", [&](size_t f) {
        const Vec3d &a = mesh.positions[mesh.tris[3 * f]], &b = mesh.positions[mesh.tris[3 * f + 1]],
                    &c = mesh.positions[mesh.tris[3 * f + 2]];
        const Vec3d centre = (a + b + c) * (1.0 / 3.0);
        // Nearer the outer surface than halfway to the inner one (the bound alone shows it): no inner face.
        if (surfaces.whole && surfaces.closest.hint(centre).distance2 < 0.25 * surfaces.offset * surfaces.offset) return;
        const Surfaces::Near near = surfaces.nearest(centre);
        if (surfaces.whole && near.part != Part::inner) return;
        // Near a hole, a face with a corner nearer the outer surface than halfway to the inner one runs through
        // the shell (the band cut_hole_mouths joins a hole's openings with): the hole's wall.
        if (surfaces.whole && surfaces.near_hole(centre))
            for (int e = 0; e < 3; ++e)
                if (surfaces.closest.hint(mesh.positions[mesh.tris[3 * f + e]]).distance2 <
                    0.25 * surfaces.offset * surfaces.offset)
                    return;
        wall.hint[f] = near.hit.face;
        wall.least[f] = near.hit.distance2;
    });
    std::vector<uint32_t> corner_face(mesh.positions.size(), Wall::kNoFace);
    for (size_t f = 0; f < faces; ++f)
        if (wall.hint[f] != Wall::kNoFace)
            for (int e = 0; e < 3; ++e) corner_face[mesh.tris[3 * f + e]] = uint32_t(f);
    // Where some faces are no inner ones, an edge from the higher id to the lower is measured by its face only
    // when the face across is not inner (or unknown).
    const std::vector<uint32_t> across = surfaces.whole ? faces_across(mesh, progress) : std::vector<uint32_t>{};
    auto measured_across = [&](size_t f, int e) {
        if (across.empty()) return true;
        const uint32_t g = across[3 * f + e];
        return g != Wall::kNoFace && wall.hint[g] != Wall::kNoFace;
    };
    parallel_for(faces, progress, 0.84, 0.9, "wall", [&](size_t f) {
        const uint32_t hint = wall.hint[f];
        if (hint == Wall::kNoFace) return;
        for (int e = 0; e < 3; ++e) {
            const uint32_t u = mesh.tris[3 * f + e], v = mesh.tris[3 * f + (e + 1) % 3];
            if (corner_face[u] == f) wall.least[f] = std::min(wall.least[f], distance2_below_hint(surfaces, mesh.positions[u], hint));
            if (u < v || !measured_across(f, e))
                wall.least[f] = std::min(wall.least[f], distance2_below_hint(surfaces, (mesh.positions[u] + mesh.positions[v]) * 0.5, hint));
        }
    });
    return wall;
}

// Measures the given inner faces again, every sample of each (after their corners moved).
void remeasure(const IndexedMesh &mesh, const Surfaces &surfaces, const std::vector<uint32_t> &faces, Wall &wall,
               Progress &progress) {
    parallel_for(faces.size(), progress, 0.9, 0.9, "wall", [&](size_t i) {
        const size_t f = faces[i];
        const Vec3d &a = mesh.positions[mesh.tris[3 * f]], &b = mesh.positions[mesh.tris[3 * f + 1]],
                    &c = mesh.positions[mesh.tris[3 * f + 2]];
        const ClosestHit hit = surfaces.closest((a + b + c) * (1.0 / 3.0));
        double least = hit.distance2;
        for (int e = 0; e < 3; ++e) {
            const Vec3d &u = mesh.positions[mesh.tris[3 * f + e]], &v = mesh.positions[mesh.tris[3 * f + (e + 1) % 3]];
            least = std::min({least, distance2_below_hint(surfaces, u, hit.face),
                              distance2_below_hint(surfaces, (u + v) * 0.5, hit.face)});
        }
        wall.hint[f] = hit.face;
        wall.least[f] = least;
    });
}

// The faces crossing others after corners moved from `original` (ids of mesh's faces, ascending).
std::vector<uint32_t> crossing_faces_near_moved(const IndexedMesh &mesh, const std::vector<Vec3d> &original,
                                                Progress &progress) {
    std::vector<uint8_t> moved(mesh.positions.size(), 0);
    for (size_t v = 0; v < moved.size(); ++v) {
        const Vec3d &a = mesh.positions[v], &b = original[v];
        moved[v] = a.x != b.x || a.y != b.y || a.z != b.z;
    }
    return find_crossing_faces_near(mesh.tris, mesh.positions, moved, progress);
}

Vec3d triangle_normal(const IndexedMesh &m, size_t f) {
    const uint32_t *t = &m.tris[3 * f];
    return cross(m.positions[t[1]] - m.positions[t[0]], m.positions[t[2]] - m.positions[t[0]]);
}

// Where the measured wall is short, the inner surface is pushed deeper there instead of being contoured again:
// each corner of a short face moves away from its closest outer point by the face's deficit (a little more),
// the corners around it half as far, then those faces are measured again, a few rounds. Gives up (false, mesh as it was) when a moved face would
// turn by more than 60 degrees or collapse, when a corner would go deeper than the allowed deepening, or when the
// moved surface crosses itself; the caller then contours again at a deeper offset.
bool deepen_short_faces(IndexedMesh &mesh, const Surfaces &surfaces, double target, double max_push, Wall &wall,
                        Progress &progress) {
    const std::vector<Vec3d> original = mesh.positions;
    const size_t faces = mesh.tris.size() / 3;
    const double target2 = target * target;
    std::vector<double> pushed(mesh.positions.size(), 0.0);
    // The faces around each vertex, built once a short face is found.
    std::vector<uint32_t> first, around;
    auto restore = [&] {
        mesh.positions = original;
        return false;
    };
    for (int round = 0; round < 4; ++round) {
        std::vector<double> push(mesh.positions.size(), 0.0);
        bool any = false;
        for (size_t f = 0; f < faces; ++f) {
            if (wall.hint[f] == Wall::kNoFace || wall.least[f] >= target2) continue;
            const double deficit = target - std::sqrt(wall.least[f]) + 0.01 * target;
            for (int e = 0; e < 3; ++e) push[mesh.tris[3 * f + e]] = std::max(push[mesh.tris[3 * f + e]], deficit);
            any = true;
        }
        if (!any) break;
        if (first.empty()) {
            first.assign(mesh.positions.size() + 1, 0);
            for (uint32_t v : mesh.tris) ++first[v + 1];
            for (size_t v = 0; v < mesh.positions.size(); ++v) first[v + 1] += first[v];
            around.resize(mesh.tris.size());
            std::vector<uint32_t> fill(first.begin(), first.end() - 1);
            for (size_t f = 0; f < faces; ++f)
                for (int e = 0; e < 3; ++e) around[fill[mesh.tris[3 * f + e]]++] = uint32_t(f);
        }
        // Their neighbours go half as deep, so that the surface bends rather than spikes.
        std::vector<double> own(push);
        for (uint32_t v = 0; v < own.size(); ++v)
            if (own[v] > 0)
                for (uint32_t k = first[v]; k < first[v + 1]; ++k)
                    for (int e = 0; e < 3; ++e) {
                        const uint32_t c = mesh.tris[3 * size_t(around[k]) + e];
                        push[c] = std::max(push[c], 0.5 * own[v]);
                    }
        std::vector<uint32_t> moved;
        for (uint32_t v = 0; v < push.size(); ++v)
            if (push[v] > 0) moved.push_back(v);
        std::vector<Vec3d> before(moved.size());
        for (size_t i = 0; i < moved.size(); ++i) before[i] = mesh.positions[moved[i]];
        std::vector<uint8_t> failed(moved.size(), 0);
        parallel_for(moved.size(), progress, 0.9, 0.9, "wall", [&](size_t i) {
            const uint32_t v = moved[i];
            const Vec3d x = mesh.positions[v];
            const ClosestHit hit = surfaces.closest(x);
            Vec3d away = x - closest_point(surfaces.input, hit);
            const double l = norm(away);
            if (!(l > 0) || pushed[v] + push[v] > max_push) {
                failed[i] = 1;
                return;
            }
            mesh.positions[v] = x + away * (push[v] / l);
            pushed[v] += push[v];
        });
        if (std::count(failed.begin(), failed.end(), 1) != 0) return restore();
        // The faces around the moved corners: where one would turn by more than 60 degrees (or collapse), its
        // corners stay where this round found them.
        std::vector<uint8_t> touched_mark(faces, 0);
        std::vector<uint32_t> touched;
        for (uint32_t v : moved)
            for (uint32_t k = first[v]; k < first[v + 1]; ++k)
                if (!touched_mark[around[k]]) touched_mark[around[k]] = 1, touched.push_back(around[k]);
        std::vector<Vec3d> moved_now(moved.size());
        for (size_t i = 0; i < moved.size(); ++i) moved_now[i] = mesh.positions[moved[i]], mesh.positions[moved[i]] = before[i];
        std::vector<Vec3d> normal_before(touched.size());
        for (size_t i = 0; i < touched.size(); ++i) normal_before[i] = triangle_normal(mesh, touched[i]);
        for (size_t i = 0; i < moved.size(); ++i) mesh.positions[moved[i]] = moved_now[i];
        std::vector<Vec3d> round_start(mesh.positions);
        for (size_t i = 0; i < moved.size(); ++i) round_start[moved[i]] = before[i];
        size_t kept = 0;
        for (bool changed = true; changed;) {
            changed = false;
            for (size_t i = 0; i < touched.size(); ++i) {
                const Vec3d n = triangle_normal(mesh, touched[i]);
                if (dot(n, normal_before[i]) > 0.5 * norm(n) * norm(normal_before[i])) continue;
                for (int e = 0; e < 3; ++e) {
                    const uint32_t c = mesh.tris[3 * size_t(touched[i]) + e];
                    const Vec3d &was = round_start[c], &now = mesh.positions[c];
                    if (now.x == was.x && now.y == was.y && now.z == was.z) continue;
                    mesh.positions[c] = round_start[c];
                    pushed[c] -= push[c];
                    ++kept;
                    changed = true;
                }
            }
        }
        std::vector<uint32_t> inner_touched;
        for (uint32_t f : touched)
            if (wall.hint[f] != Wall::kNoFace) inner_touched.push_back(f);
        remeasure(mesh, surfaces, inner_touched, wall, progress);
        progress.log("hollow wall: round %d moved %zu corners deeper (%zu kept in place), %zu faces measured again, "
                     "wall now %g", round, moved.size() - kept, kept, inner_touched.size(), wall.min());
    }
    if (wall.min() < target) return restore();
    if (first.empty()) return true; // nothing moved
    // Corners of faces that now cross others go back where the contour put them, a few times over; the wall
    // where they were is measured again.
    for (int round = 0; round < 3; ++round) {
        const std::vector<uint32_t> crossing = crossing_faces_near_moved(mesh, original, progress);
        if (crossing.empty()) return wall.min() >= target || restore();
        std::vector<uint8_t> mark(faces, 0);
        std::vector<uint32_t> again;
        size_t back = 0;
        for (uint32_t f : crossing)
            for (int e = 0; e < 3; ++e) {
                const uint32_t c = mesh.tris[3 * size_t(f) + e];
                if (pushed[c] == 0) continue;
                mesh.positions[c] = original[c];
                pushed[c] = 0;
                ++back;
                for (uint32_t k = first[c]; k < first[c + 1]; ++k)
                    if (!mark[around[k]] && wall.hint[around[k]] != Wall::kNoFace) mark[around[k]] = 1, again.push_back(around[k]);
            }
        remeasure(mesh, surfaces, again, wall, progress);
        progress.log("hollow wall: %zu faces crossed others, %zu corners put back, wall now %g", crossing.size(), back,
                     wall.min());
        if (back == 0) return restore(); // crossings the pushing did not make: not for this step to mend
    }
    return restore();
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

// The faces of part that inspect could call degenerate once the result is rounded to float32: inspect's own
// count (count_degenerate_faces) on the rounded corners, at a hundred times its limit (1e-12 of the squared
// diagonal, here the input's; the limit grows with the square of the diagonal given, so ten times it).
size_t degenerate_when_rounded(const IndexedMesh &part, const IndexedMesh &input) {
    double lo[3], hi[3];
    triangle_box(input, lo, hi);
    const double diagonal = std::sqrt((hi[0] - lo[0]) * (hi[0] - lo[0]) + (hi[1] - lo[1]) * (hi[1] - lo[1]) +
                                      (hi[2] - lo[2]) * (hi[2] - lo[2]));
    std::vector<Vec3d> rounded(part.positions.size());
    for (size_t v = 0; v < rounded.size(); ++v) rounded[v] = rounded_to_float(part.positions[v]);
    return size_t(count_degenerate_faces(part.tris, rounded, 10 * diagonal));
}

// The inner surface needs no more faces than its shape does: the contour's faces over the inner surface (all
// of them without holes; with holes those farther than half the offset from the outer surface, by the band's
// bound, and clear of every hole by two cells) are simplified by half-edge collapses (simplify_mesh) to an eighth
// of their number at most, in two halves at once (split across the region's longest side), which keep every
// vertex where the contour put it, the border of each half (the faces near holes and the outer surface, and the
// seam between the halves) in place, a manifold one, and the mean squared distance of a collapse under a tenth
// of a cell. The wall is then
// measured on what is left. The simplified faces are checked for faces inspect would call degenerate, then with
// the faces near holes searched for crossings; where any is found, the contour is kept as it was.
void simplify_inner(IndexedMesh &mesh, const Surfaces &surfaces, Progress &progress) {
    const size_t faces = mesh.tris.size() / 3;
    if (faces == 0) return;
    // 0: left as it is; 1: simplified; 2: near a hole (left, but searched for crossings).
    std::vector<uint8_t> region(faces, 1);
    if (surfaces.whole) {
        const double near_hole = 2 * surfaces.h, outer_bound2 = 0.25 * surfaces.offset * surfaces.offset;
        parallel_for(faces, progress, 0.0, 0.0, "simplify", [&](size_t f) {
            const uint32_t *t = &mesh.tris[3 * f];
            for (int e = 0; e < 3; ++e)
                for (const DrainHole &hole : surfaces.holes) {
                    const Vec3d &x = mesh.positions[t[e]];
                    if (hole_box_distance(hole, surfaces.radius, x) < near_hole &&
                        hole_distance(hole, surfaces.radius, x) < near_hole) {
                        region[f] = 2;
                        return;
                    }
                }
            const Vec3d centre = (mesh.positions[t[0]] + mesh.positions[t[1]] + mesh.positions[t[2]]) * (1.0 / 3.0);
            if (surfaces.closest.hint(centre).distance2 < outer_bound2) region[f] = 0;
        });
    }
    // The simplified region in two halves (by the median of the face centres across the region's longest side),
    // each a mesh of its own (its vertices renumbered) simplified with its border locked, the halves at once on
    // two threads (the seam between them stays as the contour made it).
    std::vector<size_t> chosen;
    for (size_t f = 0; f < faces; ++f)
        if (region[f] == 1) chosen.push_back(f);
    if (chosen.size() < 64) return;
    // Across the longest side, tilted off the grid's planes (seam_across).
    Vec3d across{0, 0, 0};
    auto centre_of = [&](size_t f) {
        const uint32_t *t = &mesh.tris[3 * f];
        return dot(mesh.positions[t[0]] + mesh.positions[t[1]] + mesh.positions[t[2]], across);
    };
    double lo[3], hi[3]; // the box of the region's corners
    for (int k = 0; k < 3; ++k) lo[k] = std::numeric_limits<double>::infinity(), hi[k] = -lo[k];
    for (size_t f : chosen)
        for (int e = 0; e < 3; ++e)
            for (int k = 0; k < 3; ++k) {
                const double c = coord(mesh.positions[mesh.tris[3 * f + e]], k);
                lo[k] = std::min(lo[k], c), hi[k] = std::max(hi[k], c);
            }
    across = seam_across(lo, hi);
    std::vector<double> along(chosen.size());
    for (size_t i = 0; i < chosen.size(); ++i) along[i] = centre_of(chosen[i]);
    std::nth_element(along.begin(), along.begin() + along.size() / 2, along.end());
    const double median = along[along.size() / 2];
    const uint32_t kNone = 0xFFFFFFFFu;
    IndexedMesh part[2];
    std::vector<uint32_t> global[2];
    {
        std::vector<uint32_t> local[2] = {std::vector<uint32_t>(mesh.positions.size(), kNone),
                                          std::vector<uint32_t>(mesh.positions.size(), kNone)};
        for (size_t f : chosen) {
            const int half = centre_of(f) < median ? 0 : 1;
            for (int e = 0; e < 3; ++e) {
                const uint32_t v = mesh.tris[3 * f + e];
                uint32_t &l = local[half][v];
                if (l == kNone) l = uint32_t(part[half].positions.size()), part[half].positions.push_back(mesh.positions[v]), global[half].push_back(v);
                part[half].tris.push_back(l);
            }
        }
    }
    size_t before = 0;
    SimplifyOutcome outcome[2];
    SimplifySettings settings[2];
    for (int half = 0; half < 2; ++half) {
        before += part[half].tris.size() / 3;
        double plo[3], phi[3];
        triangle_box(part[half], plo, phi);
        const double extent = std::max({phi[0] - plo[0], phi[1] - plo[1], phi[2] - plo[2]});
        settings[half].target_triangles = part[half].tris.size() / 3 / kInnerReduction;
        // The same bound in mesh units for both halves: a tenth of a cell's mean squared distance.
        settings[half].max_error = extent > 0 ? 0.05 * surfaces.h / extent : 0.0;
        settings[half].lock_border = true;
    }
    auto simplify_half = [&](int half, Progress &p) {
        if (part[half].tris.size() / 3 >= 64 && settings[half].max_error > 0)
            simplify_mesh(part[half], settings[half], p, outcome[half]);
    };
    run_with_helper([&] { simplify_half(0, progress); },
                    [&] {
                        Progress silent(Progress::Silent{}, progress); // only the calling thread reports
                        simplify_half(1, silent);
                    });
    // Back into the mesh: the faces outside the region as they were, then the halves' (their vertices keep their
    // ids; the vertices collapses removed go when the mesh is compacted).
    std::vector<uint32_t> tris, checked;
    tris.reserve(mesh.tris.size());
    for (size_t f = 0; f < faces; ++f)
        if (region[f] != 1) {
            if (region[f] == 2) checked.insert(checked.end(), mesh.tris.begin() + 3 * f, mesh.tris.begin() + 3 * f + 3);
            tris.insert(tris.end(), mesh.tris.begin() + 3 * f, mesh.tris.begin() + 3 * f + 3);
        }
    size_t after = 0, degenerate = 0;
    for (int half = 0; half < 2; ++half) {
        for (uint32_t v : part[half].tris) tris.push_back(global[half][v]), checked.push_back(global[half][v]);
        after += part[half].tris.size() / 3;
        degenerate += degenerate_when_rounded(part[half], surfaces.input);
    }
    const size_t crossing = degenerate ? 0 : find_crossing_faces(checked, mesh.positions, &progress).size();
    progress.log("hollow simplify: %zu inner faces -> %zu (mean error %g, %zu faces near holes searched too), %zu "
                 "degenerate, %zu crossing", before, after, std::max(outcome[0].error, outcome[1].error),
                 checked.size() / 3 - after, degenerate, crossing);
    if (degenerate != 0 || crossing != 0) return;
    mesh.tris.swap(tris);
    compact_vertices(mesh);
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
    assign_on_huge_pages(cavity.field, n, 0.0f);
    if (closing > 0) {
        std::vector<uint8_t> core(n);
        // Half a cell shallower than the exact opening's core, since grid points stand up to that far inside
        // it; where that brings the surface too near, the measured wall makes it grow back less.
        for (uint64_t p = 0; p < n; ++p) core[p] = inside[p] && distance[p] > offset + closing - 0.5 * grid.h;
        const std::vector<float> reach2 = squared_distance_to_set(grid, core, progress);
        parallel_for(n, progress, 0.0, 0.0, "cavities", [&](size_t p) {
            cavity.field[p] = nonzero(std::sqrt(double(reach2[p])) * grid.h - grow, tiny);
        });
    } else {
        parallel_for(n, progress, 0.0, 0.0, "cavities", [&](size_t p) {
            cavity.field[p] = inside[p] ? nonzero(offset - distance[p], tiny) : far;
        });
    }
    return cavity;
}

// What the measured wall must reach, and how far a corner may be pushed deeper to reach it.
struct WallAim {
    double target, max_push;
};

// Measures the inner surface of mesh; where it is short, pushes it deeper in place (deepen_short_faces). On
// return out.min_wall is the least wall measured on mesh as it now stands.
void keep_wall(IndexedMesh &mesh, const Surfaces &surfaces, const WallAim &aim, Progress &progress,
               HollowOutcome &out) {
    Wall wall = measure_wall(mesh, surfaces, progress);
    out.min_wall = wall.min();
    out.inner_triangles = wall.inner_faces();
    if (out.min_wall >= aim.target || !(aim.max_push > 0)) return;
    const double measured = out.min_wall;
    out.min_wall = deepen_short_faces(mesh, surfaces, aim.target, aim.max_push, wall, progress) ? wall.min() : measured;
    progress.log("hollow wall: measured %g, %g after pushing short faces deeper", measured, out.min_wall);
}

// Without holes: the input's own surface stays the outer shell, and the cavity's surface, turned round to face
// into it, is added inward.
void shell_around_cavity(const IndexedMesh &input, const ScalarGrid &cavity, const Surfaces &surfaces,
                         const WallAim &aim, bool tetrahedra, Progress &progress, HollowOutcome &out) {
    out.drained = 0;
    IndexedMesh inner = contour(cavity, surfaces, tetrahedra, progress);
    for (size_t f = 0; f < inner.tris.size(); f += 3) std::swap(inner.tris[f + 1], inner.tris[f + 2]);
    simplify_inner(inner, surfaces, progress);
    keep_wall(inner, surfaces, aim, progress, out);
    out.mesh = input;
    const uint32_t base = uint32_t(out.mesh.positions.size());
    out.mesh.positions.insert(out.mesh.positions.end(), inner.positions.begin(), inner.positions.end());
    for (uint32_t v : inner.tris) out.mesh.tris.push_back(base + v);
    out.mesh.attributes.clear();
    out.mesh.attribute_count = 0;
    out.remeshed = false;
}

// With holes: the material (inside the outer surface, outside the cavity and every hole; negative inside); the
// flood fill from outside through it tells which cavities drain. The cavity's surface is contoured alone and the
// holes cut through it and the input's surface (cut_hole_mouths); where that cannot be done cleanly, the
// material is contoured as one field, so that no hole can fail.
void material_with_holes(const ScalarGrid &grid, const std::vector<uint8_t> &inside,
                         const std::vector<float> &distance, const ScalarGrid &cavity, const CavityMap &cavities,
                         const std::vector<DrainHole> &holes, double hole_radius, double cap, float tiny,
                         const Surfaces &surfaces, const WallAim &aim, bool tetrahedra, Progress &progress,
                         HollowOutcome &out) {
    ScalarGrid material = grid;
    assign_on_huge_pages(material.field, grid.point_count(), 0.0f);
    // A hole farther than the cap cannot raise v (never below minus the cap): skipped by its box. The points
    // whose box distance can be below the cap lie in a block of grid indices (the box grown by the cap and a
    // cell more, so that rounding cannot matter); only those are measured.
    const int64_t *dims = grid.dims;
    std::vector<std::array<int64_t, 6>> reach(holes.size()); // per hole: lowest and highest index on each axis
    for (size_t n = 0; n < holes.size(); ++n)
        for (int k = 0; k < 3; ++k) {
            const double lo = std::min(coord(holes[n].inner, k), coord(holes[n].outer, k)) - hole_radius - cap - grid.h;
            const double hi = std::max(coord(holes[n].inner, k), coord(holes[n].outer, k)) + hole_radius + cap + grid.h;
            reach[n][k] = int64_t(std::max(-1.0, std::floor((lo - grid.origin[k]) / grid.h)));
            reach[n][3 + k] = int64_t(std::min(double(dims[k]), std::ceil((hi - grid.origin[k]) / grid.h)));
        }
    parallel_for(uint64_t(dims[1] * dims[2]), progress, 0.0, 0.0, "holes", [&](size_t row) {
        const int64_t j = int64_t(row) % dims[1], k = int64_t(row) / dims[1];
        const uint64_t first = uint64_t(row) * uint64_t(dims[0]);
        for (int64_t i = 0; i < dims[0]; ++i) {
            const uint64_t p = first + uint64_t(i);
            const double outer = inside[p] ? -double(distance[p]) : double(distance[p]);
            double v = std::max(outer, -double(cavity.field[p]));
            for (size_t n = 0; n < holes.size(); ++n) {
                const auto &r = reach[n];
                if (i < r[0] || i > r[3] || j < r[1] || j > r[4] || k < r[2] || k > r[5]) continue;
                const Vec3d x{grid.origin[0] + i * grid.h, grid.origin[1] + j * grid.h, grid.origin[2] + k * grid.h};
                if (hole_box_distance(holes[n], hole_radius, x) < cap)
                    v = std::max(v, -hole_distance(holes[n], hole_radius, x));
            }
            material.field[p] = nonzero(v, tiny);
        }
    });
    const std::vector<uint8_t> drained = drained_cavities(material, cavities, progress);
    out.drained = uint32_t(std::count(drained.begin() + 1, drained.end(), 1));
    Surfaces cavity_alone = surfaces;
    cavity_alone.whole = false;
    IndexedMesh inner = contour(cavity, cavity_alone, tetrahedra, progress);
    for (size_t f = 0; f < inner.tris.size(); f += 3) std::swap(inner.tris[f + 1], inner.tris[f + 2]);
    out.remeshed = !cut_hole_mouths(surfaces.input, inner, holes, hole_radius, surfaces.h, progress, out.mesh);
    if (out.remeshed) out.mesh = contour(material, surfaces, tetrahedra, progress);
    simplify_inner(out.mesh, surfaces, progress);
    keep_wall(out.mesh, surfaces, aim, progress, out);
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
    // A grid point: the band's nearest face and distance (8, then 4 and the face's 4), its settling mark, side, field, cavity
    // label and the flood fill; the tree and the contour's mesh about 400 bytes a face.
    return points * 36 + (mesh.triangle_count + points / 16) * 400;
}

void hollow(const IndexedMesh &input, const HollowSettings &settings, Progress &progress, HollowOutcome &out) {
    double lo[3], hi[3];
    triangle_box(input, lo, hi);
    ScalarGrid grid = grid_over(lo, hi, settings.cell, kPad, "hollowing");
    const double h = grid.h;
    out.cell = h;
    progress.log("hollow grid: %lld x %lld x %lld, cell %g", (long long)grid.dims[0], (long long)grid.dims[1],
                 (long long)grid.dims[2], h);
    // Distances, capped a few cells past the inner surface: first past the wall (where it stays unless the
    // measured wall asks for more), then, should the offset go deeper, past the deepest it may go.
    const double deepest = settings.wall * (1 + kMaxDeepening) + settings.closing + 3 * h;
    std::vector<uint8_t> inside;
    std::vector<uint32_t> band_face;
    std::vector<float> distance;
    double cap = 0;
    auto band_past = [&](double offset) {
        if (offset + settings.closing + 3 * h <= cap) return;
        cap = cap > 0 ? deepest : std::min(deepest, offset + settings.closing + 3 * h);
        progress.report(0.05, "distance field");
        distance = banded_distances(grid, input, inside, cap, progress, &band_face);
    };
    // The input's tree is first asked for once the band is done: a helper builds it meanwhile (the same tree;
    // it does not talk to progress), beside the sides and the band, which run on two threads of their own.
    std::optional<TriangleTree> built;
    run_with_helper(
        [&] {
            progress.report(0.02, "sides");
            inside = inside_by_columns(grid, input, progress);
            band_past(settings.wall);
        },
        [&] { built.emplace(input.positions, input.tris, nullptr); });
    const TriangleTree &tree = *built;
    const Closest closest{input, tree, grid, band_face};

    const float tiny = float(1e-6 * h), far = float(2 * h);
    progress.log("hollow: distances done");
    double offset = settings.wall;
    // How far an opened cavity grows back: the closing distance, less where the contour between grid points
    // would come nearer the outer surface than the wall.
    double grow = settings.closing;
    for (int attempt = 0;; ++attempt) {
        band_past(offset);
        ScalarGrid cavity = cavity_field(grid, inside, distance, offset, settings.closing, grow, tiny, far,
                                         progress);
        CavityMap cavities = label_cavities(cavity, kMinCavityPoints, far, progress);
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

        const Surfaces surfaces{input, tree, closest, holes, settings.hole_radius, offset, h, !holes.empty()};
        // An opened cavity's surface is not at the offset from the outer one, so the tangent planes of dual
        // contouring do not describe it: marching tetrahedra there.
        const bool tetrahedra = settings.tetrahedra_only || settings.closing > 0;
        progress.report(0.7, "contour");
        // Corners may be pushed as deep as the offset may go; not while an opened cavity can still grow back less.
        const WallAim aim{0.98 * settings.wall, grow > 0 ? 0.0 : settings.wall * (1 + kMaxDeepening) - offset};
        if (holes.empty())
            shell_around_cavity(input, cavity, surfaces, aim, tetrahedra, progress, out);
        else
            material_with_holes(grid, inside, distance, cavity, cavities, holes, settings.hole_radius, cap, tiny,
                                surfaces, aim, tetrahedra, progress, out);
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

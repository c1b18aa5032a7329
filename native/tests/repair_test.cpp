// mf_repair on meshes whose defects are known by construction: what passes through, what the topological
// stage fixes with the input's vertices, what needs the volumetric rebuild, and bad input.
#include "check.hpp"
#include "mesh_fixtures.hpp"

#include <meshforge/kernel.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

using mf_test::Mesh;

namespace {

mf_repair_options repair_options(uint32_t flags = 0) {
    mf_repair_options o{};
    o.size = sizeof o;
    o.flags = flags;
    return o;
}

bool guaranteed(const mf_inspect_report &r) {
    return r.watertight && r.non_manifold_edges == 0 && r.inconsistent_orientation_edges == 0 &&
           r.degenerate_faces == 0 && r.intersecting_pairs == 0 && r.volume > 0;
}

// Inspects the result buffers again through the public ABI.
mf_inspect_report inspect_result(const mf_repair_result &r) {
    mf_mesh m{};
    m.positions = r.positions;
    m.vertex_count = r.vertex_count;
    m.indices = r.indices;
    m.triangle_count = r.triangle_count;
    mf_inspect_report report{};
    mf_error error{};
    mf_inspect(&m, nullptr, &report, &error);
    return report;
}

void release(mf_repair_result &r) {
    mf_free(r.positions);
    mf_free(r.indices);
    mf_free(r.attributes);
}

} // namespace

TEST(a_closed_cube_passes_through_unchanged) {
    Mesh cube = mf_test::cube();
    mf_mesh m = cube.view();
    mf_repair_options o = repair_options();
    mf_repair_result r{};
    mf_error e{};
    CHECK_EQ(mf_repair(&m, &o, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.stage, int32_t(MF_REPAIR_UNCHANGED));
    CHECK(r.positions == nullptr);
    CHECK_EQ(r.hausdorff_out_in, 0.0);
    CHECK_EQ(r.hausdorff_out_in_patched, 0.0);
    CHECK_EQ(r.lost, 0.0);
    release(r);
}

TEST(a_cube_missing_a_face_and_flipped_is_closed_with_its_own_vertices) {
    Mesh cube = mf_test::cube();
    cube.indices.resize(cube.indices.size() - 3); // one open triangle
    std::swap(cube.indices[1], cube.indices[2]);  // and one flipped face
    float uv[8 * 2];
    for (int i = 0; i < 16; ++i) uv[i] = float(i);
    mf_mesh m = cube.view();
    m.attributes = uv;
    m.attribute_count = 2;
    mf_repair_options o = repair_options();
    mf_repair_result r{};
    mf_error e{};
    CHECK_EQ(mf_repair(&m, &o, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.stage, int32_t(MF_REPAIR_TOPOLOGICAL));
    CHECK_EQ(r.vertex_count, 8u);
    CHECK_EQ(r.triangle_count, 12u);
    CHECK_EQ(r.holes_filled, 1u);
    CHECK(guaranteed(inspect_result(r)));
    CHECK(r.attributes != nullptr);
    CHECK_EQ(r.attribute_count, 2u);
    CHECK(r.hausdorff_in_out < 1e-9); // the patch itself lies off the input, so out->in is not zero
    CHECK(r.hausdorff_out_in > 0.1);
    CHECK(r.hausdorff_out_in_patched < 1e-9); // but it is one of the patches
    release(r);
}

TEST(a_sphere_with_a_cap_cut_off_is_closed_by_a_refined_and_faired_patch) {
    Mesh sphere = mf_test::icosphere(4);
    Mesh open;
    open.positions = sphere.positions;
    for (size_t f = 0; f < sphere.indices.size(); f += 3) {
        float z = 0;
        for (int k = 0; k < 3; ++k) z += sphere.positions[3 * sphere.indices[f + k] + 2] / 3;
        if (z < 0.8f) open.indices.insert(open.indices.end(), {sphere.indices[f], sphere.indices[f + 1], sphere.indices[f + 2]});
    }
    CHECK(open.triangle_count() < sphere.triangle_count());
    mf_mesh m = open.view();
    mf_repair_result r{};
    mf_error e{};
    CHECK_EQ(mf_repair(&m, nullptr, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.stage, int32_t(MF_REPAIR_TOPOLOGICAL));
    CHECK_EQ(r.holes_filled, 1u);
    CHECK(guaranteed(inspect_result(r)));
    std::vector<bool> used(open.vertex_count(), false);
    for (uint32_t v : open.indices) used[v] = true;
    CHECK(r.vertex_count > uint64_t(std::count(used.begin(), used.end(), true))); // the patch has vertices of its own
    CHECK(r.hausdorff_in_out < 1e-9);
    // The cap's rim has a radius of about 0.6 (diagonal 3.46): a faired patch stays within it.
    CHECK(r.hausdorff_out_in < 0.2);
    // No long slivers: every patch edge is at most a few rim edges long.
    double longest = 0;
    for (uint64_t t = 0; t < r.triangle_count; ++t)
        for (int k = 0; k < 3; ++k) {
            const float *a = r.positions + 3 * r.indices[3 * t + k], *b = r.positions + 3 * r.indices[3 * t + (k + 1) % 3];
            longest = std::max(longest, double(std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])));
        }
    CHECK(longest < 0.3);
    release(r);
}

TEST(two_holes_pinched_at_one_vertex_are_filled_one_by_one) {
    Mesh sphere = mf_test::icosphere(2);
    // Face 0 and a face sharing exactly one vertex with it.
    auto shared = [&](size_t f, size_t g) {
        int n = 0;
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) n += sphere.indices[3 * f + i] == sphere.indices[3 * g + j];
        return n;
    };
    size_t other = 0;
    for (size_t g = 1; g < sphere.triangle_count() && !other; ++g)
        if (shared(0, g) == 1) other = g;
    CHECK(other != 0);
    Mesh open;
    open.positions = sphere.positions;
    for (size_t f = 0; f < sphere.triangle_count(); ++f)
        if (f != 0 && f != other)
            open.indices.insert(open.indices.end(), {sphere.indices[3 * f], sphere.indices[3 * f + 1], sphere.indices[3 * f + 2]});
    mf_mesh m = open.view();
    mf_repair_result r{};
    mf_error e{};
    CHECK_EQ(mf_repair(&m, nullptr, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.stage, int32_t(MF_REPAIR_TOPOLOGICAL));
    CHECK_EQ(r.holes_filled, 2u);
    CHECK_EQ(r.triangle_count, sphere.triangle_count());
    CHECK(guaranteed(inspect_result(r)));
    release(r);
}

TEST(an_inverted_cube_is_turned_outward) {
    Mesh cube = mf_test::cube();
    for (size_t f = 0; f < cube.indices.size(); f += 3) std::swap(cube.indices[f + 1], cube.indices[f + 2]);
    mf_mesh m = cube.view();
    mf_repair_result r{};
    mf_error e{};
    CHECK_EQ(mf_repair(&m, nullptr, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.stage, int32_t(MF_REPAIR_TOPOLOGICAL));
    CHECK_EQ(r.faces_flipped, 12u);
    CHECK(inspect_result(r).volume > 0.99);
    release(r);
}

// Repairs m and checks what every non-manifold case below must show: the topological stage, a result
// that inspect (which welds equal positions) finds manifold, and no point of it off the input.
mf_repair_result repair_topologically(const Mesh &m, mf_inspect_report &after) {
    mf_mesh view = m.view();
    mf_repair_result r{};
    mf_error e{};
    CHECK_EQ(mf_repair(&view, nullptr, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.stage, int32_t(MF_REPAIR_TOPOLOGICAL));
    after = inspect_result(r);
    CHECK(guaranteed(after));
    CHECK_EQ(after.non_manifold_edges, 0u);
    CHECK(r.hausdorff_out_in < 1e-4);
    return r;
}

TEST(a_fin_on_a_cube_edge_is_dropped) {
    Mesh m = mf_test::cube();
    m.add_triangle(0, 1, m.add_vertex(0.5f, -1, -1)); // a third face on edge 0-1, its other edges open
    mf_inspect_report after{};
    mf_repair_result r = repair_topologically(m, after);
    CHECK_EQ(r.triangle_count, 12u);
    CHECK_EQ(r.vertex_count, 8u);
    CHECK_EQ(r.faces_removed, 1u);
    CHECK_EQ(r.holes_filled, 0u);
    CHECK(std::fabs(after.volume - 1.0) < 1e-9);
    release(r);
}

TEST(two_cubes_sharing_an_edge_come_apart_along_it) {
    // The bowtie: four faces on the shared edge.
    Mesh m = mf_test::soup(mf_test::merged(mf_test::cube(), mf_test::cube(1, 1, 1, 0)));
    mf_inspect_report after{};
    mf_repair_result r = repair_topologically(m, after);
    CHECK_EQ(r.before.non_manifold_edges, 1u);
    CHECK_EQ(r.triangle_count, 24u);
    CHECK_EQ(after.vertices, 16u); // both ends of the edge split, and not welded back by inspect
    CHECK_EQ(after.components, 2u);
    CHECK(std::fabs(after.volume - 2.0) < 1e-3);
    // Each copy of the edge's ends stays within a hair of the edge and inside its own cube.
    int below = 0, above = 0;
    for (uint64_t t = 0; t < r.triangle_count; ++t)
        for (int k = 0; k < 3; ++k) {
            const float *p = r.positions + 3 * r.indices[3 * t + k];
            double dx = p[0] - 1.0, dy = p[1] - 1.0;
            if (std::hypot(dx, dy) > 1e-2) continue;
            CHECK(std::hypot(dx, dy) > 0);
            CHECK(std::hypot(dx, dy) < 1e-3);
            below += dx < 0 && dy < 0;
            above += dx > 0 && dy > 0;
        }
    CHECK_EQ(below, 10); // face corners at the edge's two ends: 4 + 6 in either cube
    CHECK_EQ(above, 10);
    release(r);
}

TEST(two_tetrahedra_sharing_a_vertex_get_a_vertex_each) {
    Mesh m;
    const uint32_t apex = m.add_vertex(0, 0, 0);
    for (float s : {1.0f, -1.0f}) {
        uint32_t a = m.add_vertex(s, 0, 0), b = m.add_vertex(0, s, 0), c = m.add_vertex(0, 0, s);
        m.add_triangle(apex, b, a);
        m.add_triangle(apex, c, b);
        m.add_triangle(apex, a, c);
        m.add_triangle(a, b, c);
    }
    std::swap(m.indices[1], m.indices[2]); // one flipped face: the input needs the topological stage
    mf_inspect_report after{};
    mf_repair_result r = repair_topologically(m, after);
    CHECK_EQ(r.triangle_count, 8u);
    CHECK_EQ(after.vertices, 8u);
    CHECK_EQ(after.components, 2u);
    CHECK(std::fabs(after.volume - 2.0 / 6.0) < 1e-3);
    release(r);
}

TEST(the_wall_between_two_cubes_sharing_a_face_is_removed) {
    // The shared face appears twice, once from each cube, wound opposite ways: both go.
    Mesh m = mf_test::merged(mf_test::cube(), mf_test::cube(1, 1, 0, 0));
    mf_inspect_report after{};
    mf_repair_result r = repair_topologically(m, after);
    CHECK_EQ(r.before.non_manifold_edges, 5u); // the face's four sides and its diagonal
    CHECK_EQ(r.triangle_count, 20u);
    CHECK_EQ(after.vertices, 12u);
    CHECK(std::fabs(after.volume - 2.0) < 1e-9);
    release(r);
}

TEST(two_boxes_touching_face_to_face_along_an_edge_come_apart) {
    // A slab on the back of a cube, sharing the cube's bottom back edge: on that edge the cube's back face
    // and the slab's front face lie in one plane.
    Mesh m = mf_test::soup(mf_test::cube());
    Mesh slab = mf_test::cube();
    for (size_t v = 0; v < slab.vertex_count(); ++v) {
        slab.positions[3 * v + 1] += 1;
        slab.positions[3 * v + 2] *= 0.5f;
    }
    m = mf_test::merged(m, mf_test::soup(slab));
    mf_inspect_report after{};
    mf_repair_result r = repair_topologically(m, after);
    CHECK(std::fabs(after.volume - 1.5) < 1e-3);
    CHECK_EQ(after.components, 2u);
    CHECK_EQ(r.triangle_count, 24u);
    CHECK_EQ(r.before.non_manifold_edges, 1u);
    release(r);
}

TEST(overlapping_spheres_are_rebuilt_as_one_solid_close_to_the_input) {
    Mesh two = mf_test::merged(mf_test::icosphere(3, 1), mf_test::icosphere(3, 1, 1.0f, 0, 0));
    mf_mesh m = two.view();
    mf_repair_result r{};
    mf_error e{};
    CHECK_EQ(mf_repair(&m, nullptr, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.stage, int32_t(MF_REPAIR_VOLUMETRIC));
    CHECK(r.before.intersecting_pairs > 0);
    mf_inspect_report after = inspect_result(r);
    CHECK(guaranteed(after));
    CHECK_EQ(after.components, 1u);
    CHECK(r.hausdorff_out_in < 0.005);
    release(r);
}

// A unit cube turned by rotations about x, y and z (radians) and moved by t.
struct TurnedCube {
    double r[3][3], t[3];
    TurnedCube(double ax, double ay, double az, double tx, double ty, double tz) : t{tx, ty, tz} {
        double cx = std::cos(ax), sx = std::sin(ax), cy = std::cos(ay), sy = std::sin(ay), cz = std::cos(az),
               sz = std::sin(az);
        const double rx[3][3] = {{1, 0, 0}, {0, cx, -sx}, {0, sx, cx}}, ry[3][3] = {{cy, 0, sy}, {0, 1, 0}, {-sy, 0, cy}},
                     rz[3][3] = {{cz, -sz, 0}, {sz, cz, 0}, {0, 0, 1}};
        double yx[3][3] = {};
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j)
                for (int k = 0; k < 3; ++k) yx[i][j] += ry[i][k] * rx[k][j];
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) {
                r[i][j] = 0;
                for (int k = 0; k < 3; ++k) r[i][j] += rz[i][k] * yx[k][j];
            }
    }
    // The point at local coordinates l (the cube is [0,1]^3 locally).
    std::array<double, 3> world(const double l[3]) const {
        std::array<double, 3> w;
        for (int i = 0; i < 3; ++i) w[i] = t[i] + r[i][0] * l[0] + r[i][1] * l[1] + r[i][2] * l[2];
        return w;
    }
    bool contains(const std::array<double, 3> &w) const {
        for (int j = 0; j < 3; ++j) {
            double l = 0;
            for (int i = 0; i < 3; ++i) l += r[i][j] * (w[i] - t[i]);
            if (l < 0 || l > 1) return false;
        }
        return true;
    }
    Mesh mesh() const {
        Mesh unit = mf_test::cube(), m;
        for (uint64_t v = 0; v < unit.vertex_count(); ++v) {
            const double l[3] = {unit.positions[3 * v], unit.positions[3 * v + 1], unit.positions[3 * v + 2]};
            auto w = world(l);
            m.add_vertex(float(w[0]), float(w[1]), float(w[2]));
        }
        m.indices = unit.indices;
        return m;
    }
};

// Distance from p to the surface of the repair result, by brute force over its triangles.
double distance_to_result(const std::array<double, 3> &p, const mf_repair_result &r) {
    double best = std::numeric_limits<double>::infinity();
    auto at = [&](uint32_t v) {
        return std::array<double, 3>{r.positions[3 * v], r.positions[3 * v + 1], r.positions[3 * v + 2]};
    };
    auto sub = [](std::array<double, 3> a, std::array<double, 3> b) {
        return std::array<double, 3>{a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    };
    auto dot = [](std::array<double, 3> a, std::array<double, 3> b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; };
    for (uint64_t f = 0; f < r.triangle_count; ++f) {
        auto a = at(r.indices[3 * f]), b = at(r.indices[3 * f + 1]), c = at(r.indices[3 * f + 2]);
        // Minimise |a + s u + t v - p| over the triangle: a few projected-gradient-free cases (Ericson 5.1.5
        // restated): the interior by solving the 2x2 system, else the three edges.
        auto u = sub(b, a), v = sub(c, a), w = sub(p, a);
        double uu = dot(u, u), uv = dot(u, v), vv = dot(v, v), wu = dot(w, u), wv = dot(w, v), det = uu * vv - uv * uv;
        auto segment = [&](std::array<double, 3> s0, std::array<double, 3> s1) {
            auto d = sub(s1, s0), q = sub(p, s0);
            double t = std::clamp(dot(q, d) / dot(d, d), 0.0, 1.0);
            std::array<double, 3> e = {q[0] - t * d[0], q[1] - t * d[1], q[2] - t * d[2]};
            return std::sqrt(dot(e, e));
        };
        double d = std::min({segment(a, b), segment(b, c), segment(c, a)});
        if (det > 0) {
            double s = (vv * wu - uv * wv) / det, t = (uu * wv - uv * wu) / det;
            if (s >= 0 && t >= 0 && s + t <= 1) {
                std::array<double, 3> e = {w[0] - s * u[0] - t * v[0], w[1] - s * u[1] - t * v[1], w[2] - s * u[2] - t * v[2]};
                d = std::min(d, std::sqrt(dot(e, e)));
            }
        }
        best = std::min(best, d);
    }
    return best;
}

TEST(crossing_turned_cubes_are_rebuilt_with_sharp_edges_and_corners) {
    // Two unit cubes turned off the grid's axes and crossing each other: the volumetric stage rebuilds
    // their union. Every corner and edge of either cube outside the other is a sharp feature of the union.
    // Marching tetrahedra (vertices on grid edges) cut them by up to 0.9 cells (corners) and 0.58 cells
    // (edges) here; dual contouring keeps every one within half a cell (measured: 0.33 and 0.38), with the
    // simplification after it and without. (A cell is about 2.2 / 200 here.)
    const TurnedCube one(0.3, 0.5, 0.2, 0, 0, 0), two(-0.4, 0.25, 0.6, 0.45, 0.35, 0.3);
    Mesh both = mf_test::merged(one.mesh(), two.mesh());
    mf_mesh m = both.view();
    for (uint32_t flags : {0u, uint32_t(MF_REPAIR_NO_SIMPLIFY)}) {
        mf_repair_options o = repair_options(flags);
        mf_repair_result r{};
        mf_error e{};
        CHECK_EQ(mf_repair(&m, &o, &r, &e), int32_t(MF_OK));
        CHECK_EQ(r.stage, int32_t(MF_REPAIR_VOLUMETRIC));
        CHECK(guaranteed(inspect_result(r)));
        const double cell = 2.2 / r.resolution; // the longest side of the union's box is under 2.2
        double worst_corner = 0, worst_edge = 0;
        int corners = 0;
        for (const TurnedCube *cube : {&one, &two}) {
            const TurnedCube *other = cube == &one ? &two : &one;
            for (int c = 0; c < 8; ++c) {
                const double l[3] = {double(c & 1), double((c >> 1) & 1), double((c >> 2) & 1)};
                auto w = cube->world(l);
                if (other->contains(w)) continue;
                ++corners;
                worst_corner = std::max(worst_corner, distance_to_result(w, r));
            }
            // Points along the twelve edges, a tenth of a side apart and off the corners.
            for (int axis = 0; axis < 3; ++axis)
                for (int c = 0; c < 4; ++c)
                    for (int s = 1; s < 10; ++s) {
                        double l[3];
                        l[axis] = s / 10.0;
                        l[(axis + 1) % 3] = c & 1;
                        l[(axis + 2) % 3] = c >> 1;
                        auto w = cube->world(l);
                        if (other->contains(w)) continue;
                        worst_edge = std::max(worst_edge, distance_to_result(w, r));
                    }
        }
        std::printf("turned cubes (flags %u): %llu triangles, %d outer corners, worst corner %.3f cells, worst edge point %.3f cells\n",
                    flags, (unsigned long long)r.triangle_count, corners, worst_corner / cell, worst_edge / cell);
        CHECK(corners >= 8);
        CHECK(worst_corner < 0.5 * cell);
        CHECK(worst_edge < 0.5 * cell);
        release(r);
    }
}

TEST(boxes_with_faces_on_grid_planes_are_rebuilt_with_sharp_corners) {
    // Two overlapping axis-aligned boxes whose faces all lie on planes of the repair grid (the union's box
    // starts at 0 and every face is at a multiple of its cell), as CAD parts often do: grid points on the
    // surface have a distance of zero. Crossings on the edges from one such point then coincided, and so did
    // the vertices fitted to them, until crossings were kept off the grid points.
    Mesh both = mf_test::merged(mf_test::cube(2), mf_test::cube(1, 1.5f, 0.5f, 0.5f));
    mf_mesh m = both.view();
    mf_repair_options o = repair_options();
    mf_repair_result r{};
    mf_error e{};
    CHECK_EQ(mf_repair(&m, &o, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.stage, int32_t(MF_REPAIR_VOLUMETRIC));
    CHECK(guaranteed(inspect_result(r)));
    const double cell = 2.5 / r.resolution;
    CHECK(std::fabs(0.5 / cell - std::round(0.5 / cell)) < 1e-9); // faces on grid planes indeed
    const std::array<double, 3> corners[] = {{0, 0, 0}, {2, 0, 0}, {0, 2, 0}, {2, 2, 0}, {0, 0, 2}, {2, 0, 2},
                                             {0, 2, 2}, {2, 2, 2}, {2.5, 0.5, 0.5}, {2.5, 1.5, 0.5},
                                             {2.5, 0.5, 1.5}, {2.5, 1.5, 1.5}};
    double worst = 0;
    for (const auto &c : corners) worst = std::max(worst, distance_to_result(c, r));
    std::printf("grid-aligned boxes: %llu triangles, worst corner %.3f cells\n", (unsigned long long)r.triangle_count,
                worst / cell);
    CHECK(worst < 0.5 * cell);
    release(r);
}

// Repairs m with the default options, which must take the volumetric stage to a solid of two shells.
// Repairs m with the default options, checks that it took the volumetric stage, and inspects the result.
mf_repair_result repair_by_default_volumetrically(const Mesh &input, mf_inspect_report &after) {
    mf_mesh m = input.view();
    mf_repair_result r{};
    mf_error e{};
    CHECK_EQ(mf_repair(&m, nullptr, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.stage, int32_t(MF_REPAIR_VOLUMETRIC));
    after = inspect_result(r);
    return r;
}

mf_repair_result repair_into_two_shells(const Mesh &scene) {
    mf_inspect_report after{};
    mf_repair_result r = repair_by_default_volumetrically(scene, after);
    CHECK(guaranteed(after));
    CHECK_EQ(after.components, 2u);
    return r;
}

TEST(a_sheet_beside_a_solid_is_kept_as_a_slab) {
    // Overlapping spheres send the repair to the volumetric stage; the open square beside them encloses
    // nothing, so a solid alone would drop it (in->out would be its distance from the spheres, 2.5 units).
    Mesh scene = mf_test::merged(mf_test::icosphere(3, 1), mf_test::icosphere(3, 1, 1.0f, 0, 0));
    Mesh square;
    square.add_triangle(square.add_vertex(3.5f, -1, -1), square.add_vertex(3.5f, 1, -1), square.add_vertex(3.5f, 1, 1));
    square.add_triangle(0, 2, square.add_vertex(3.5f, -1, 1));
    scene = mf_test::merged(scene, square);
    mf_repair_result r = repair_into_two_shells(scene);
    CHECK(r.hausdorff_out_in < 0.005);
    CHECK(r.lost >= 0 && r.lost < 0.005);
    // The slab is about 1.2 cells (of 4.5 / 200) thick around the plane x = 3.5 and covers the square. (The
    // spheres' inner caps are dropped, so in->out of the whole says nothing here: the extent of the part
    // beyond x = 3 does.)
    float lo[3] = {1e9f, 1e9f, 1e9f}, hi[3] = {-1e9f, -1e9f, -1e9f};
    for (uint64_t v = 0; v < r.vertex_count; ++v)
        if (r.positions[3 * v] > 3)
            for (int k = 0; k < 3; ++k) lo[k] = std::min(lo[k], r.positions[3 * v + k]), hi[k] = std::max(hi[k], r.positions[3 * v + k]);
    CHECK(lo[0] > 3.5f - 0.03f && lo[0] < 3.5f - 0.005f);
    CHECK(hi[0] < 3.5f + 0.03f && hi[0] > 3.5f + 0.005f);
    for (int k = 1; k < 3; ++k) CHECK(lo[k] < -1 && lo[k] > -1.03f && hi[k] > 1 && hi[k] < 1.03f);
    release(r);
}

TEST(a_plate_thinner_than_a_cell_beside_crossing_cubes_is_kept_as_its_own_shell) {
    // Crossing cubes send the repair to the volumetric stage; the closed plate beside them is a tenth of a
    // cell thick (cell 2.6 / 200) and between grid planes, so no grid point falls inside it and the winding
    // number alone drops it: lost would be its far edge's distance from the cubes, over a third of the
    // diagonal. Kept as a slab, it is its own shell.
    Mesh plate = mf_test::cube(1, 1.6f, 0, 0);
    for (size_t v = 0; v < plate.vertex_count(); ++v)
        plate.positions[3 * v + 2] = plate.positions[3 * v + 2] > 0.5f ? 0.5013f : 0.5f;
    Mesh scene = mf_test::merged(mf_test::merged(mf_test::cube(), mf_test::cube(1, 0.3f, 0.3f, 0.3f)), plate);
    mf_repair_result r = repair_into_two_shells(scene);
    std::printf("  plate: lost %.4f%%, area %.4f%%, out->in %.4f%%\n", 100 * r.lost, 100 * r.lost_area,
                100 * r.hausdorff_out_in);
    CHECK(r.lost >= 0 && r.lost < 0.005);
    CHECK(r.lost_area >= 0 && r.lost_area < 0.01);
    CHECK(r.hausdorff_out_in < 0.005);
    // The plate's shell spans its square: vertices beyond x = 1.5 reach x from 1.6 to 2.6 and y from 0 to 1.
    float lo[2] = {1e9f, 1e9f}, hi[2] = {-1e9f, -1e9f};
    for (uint64_t v = 0; v < r.vertex_count; ++v)
        if (r.positions[3 * v] > 1.5f)
            for (int k = 0; k < 2; ++k)
                lo[k] = std::min(lo[k], r.positions[3 * v + k]), hi[k] = std::max(hi[k], r.positions[3 * v + k]);
    CHECK(lo[0] < 1.61f && hi[0] > 2.59f && lo[1] < 0.01f && hi[1] > 0.99f);
    release(r);
}

TEST(a_fin_thinner_than_a_cell_on_a_cube_is_kept_on_the_solid) {
    // A closed fin a fiftieth of a cell thick (cell 1.6 / 200) stands through the unit cube's top face (the
    // overlap sends the repair to the volumetric stage): x from 0.5013, y from 0.2 to 0.8, z from 0.5 to 1.6,
    // upright and turned 30 degrees about the y axis through (0.5, y, 1). No grid point falls inside it, so
    // the winding number alone drops it (lost would be its top edge's distance from the cube, over a quarter
    // of the diagonal); kept as a slab, it is one solid with the cube.
    const float cell = 1.6f / 200, thickness = 0.02f * cell;
    for (const float angle : {0.0f, 0.5236f}) {
        Mesh fin = mf_test::cube();
        for (size_t v = 0; v < fin.vertex_count(); ++v) {
            const float dx = 0.0013f + thickness * fin.positions[3 * v], y = 0.2f + 0.6f * fin.positions[3 * v + 1],
                        dz = -0.5f + 1.1f * fin.positions[3 * v + 2];
            fin.positions[3 * v] = 0.5f + std::cos(angle) * dx + std::sin(angle) * dz;
            fin.positions[3 * v + 1] = y;
            fin.positions[3 * v + 2] = 1.0f - std::sin(angle) * dx + std::cos(angle) * dz;
        }
        mf_inspect_report after{};
        mf_repair_result r = repair_by_default_volumetrically(mf_test::merged(mf_test::cube(), fin), after);
        std::printf("  fin at %.0f degrees: %llu triangles, %llu components, volume %.5f, lost %.4f%%, out->in %.4f%%\n",
                    angle * 180 / 3.14159265, (unsigned long long)r.triangle_count,
                    (unsigned long long)after.components, after.volume, 100 * r.lost, 100 * r.hausdorff_out_in);
        CHECK(guaranteed(after));
        CHECK_EQ(after.components, uint64_t(1));
        // The cube and a slab about 1.2 cells thick over the fin's 0.6 by 0.6 above the cube.
        CHECK(after.volume > 1.0 && after.volume < 1.0 + 0.36 * 2 * cell);
        CHECK(r.lost >= 0 && r.lost < 0.005);
        CHECK(r.hausdorff_out_in < 0.005);
        // The fin's top edge: at z = 1.6 upright; turned, at x = 0.5 + 0.6 sin 30 + 0.0013 cos 30 (0.8011).
        float lo_y = 1e9f, hi_y = -1e9f, hi_x = -1e9f, hi_z = -1e9f;
        for (uint64_t v = 0; v < r.vertex_count; ++v)
            if (r.positions[3 * v + 2] > 1.05f) {
                lo_y = std::min(lo_y, r.positions[3 * v + 1]), hi_y = std::max(hi_y, r.positions[3 * v + 1]);
                hi_x = std::max(hi_x, r.positions[3 * v]), hi_z = std::max(hi_z, r.positions[3 * v + 2]);
            }
        CHECK(lo_y < 0.201f && lo_y > 0.2f - 2 * cell && hi_y > 0.799f && hi_y < 0.8f + 2 * cell);
        const float top_x = 0.5f + 0.6f * std::sin(angle) + 0.0013f * std::cos(angle),
                    top_z = 1.0f + 0.6f * std::cos(angle) - 0.0013f * std::sin(angle);
        CHECK(hi_z > top_z - 0.005f && hi_z < top_z + 2 * cell);
        CHECK(hi_x > top_x - 0.005f && hi_x < top_x + 2 * cell);
        release(r);
    }
}

// Repairs m through the volumetric stage (flags besides MF_REPAIR_FORCE_VOLUMETRIC) and checks the verdict.
mf_repair_result repair_volumetrically(const Mesh &m, uint32_t flags = 0) {
    mf_mesh view = m.view();
    mf_repair_options o = repair_options(MF_REPAIR_FORCE_VOLUMETRIC | flags);
    mf_repair_result r{};
    mf_error e{};
    CHECK_EQ(mf_repair(&view, &o, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.stage, int32_t(MF_REPAIR_VOLUMETRIC));
    CHECK(guaranteed(inspect_result(r)));
    return r;
}

TEST(an_open_box_rebuilt_by_the_volumetric_stage_stays_on_the_input_and_its_hole_patch) {
    Mesh box = mf_test::cube();
    box.indices.erase(box.indices.begin() + 6, box.indices.begin() + 12); // no top
    // Again behind an open speck that the topological stage patches and drops as a small part, so that
    // faces before the box's and before its patch go.
    Mesh speck;
    speck.add_triangle(speck.add_vertex(2, 2, 2), speck.add_vertex(2.001f, 2, 2), speck.add_vertex(2, 2.001f, 2));
    for (int specks = 0; specks < 2; ++specks) {
        mf_repair_result r = repair_volumetrically(specks ? mf_test::merged(speck, box) : box);
        CHECK_EQ(r.holes_filled, 1u + specks);
        CHECK_EQ(r.small_parts_removed, uint64_t(specks));
        // The lid's centre is half a side from the walls (0.5 / sqrt 3 of the box's diagonal); against the
        // walls and the patch over the opening the rebuild is within a cell or two (1 / 200 of the longest side).
        const double side = specks ? 2.001 : 1, diagonal = side * std::sqrt(3.0);
        CHECK(r.hausdorff_out_in > 0.4 / diagonal);
        CHECK(r.hausdorff_out_in_patched >= 0);
        CHECK(r.hausdorff_out_in_patched < 2 * side / 200 / diagonal);
        release(r);
    }
}

TEST(cubes_with_faces_between_grid_points_are_rebuilt_whole) {
    // The second cube's faces lie between grid planes, square to the grid edges they cross: there the two
    // ends' distances sum to the edge's length, and rounding must not take such an edge for one the
    // surface does not cross (the outside would then reach into a cube and take it).
    for (float offset : {2.0137f, 2.1f, 2.2531f, 2.37f, 2.5003f, 2.6666f, 2.81f, 2.9f}) {
        Mesh two = mf_test::merged(mf_test::cube(), mf_test::cube(1, offset, 0.13f * offset, 0.07f * offset));
        mf_repair_result r = repair_volumetrically(two);
        const mf_inspect_report after = inspect_result(r);
        CHECK(guaranteed(after));
        CHECK_EQ(after.components, uint64_t(2));
        CHECK(std::fabs(after.volume - 2.0) < 0.02);
        const double cell = (offset + 1) / 200, diagonal = std::sqrt(double(offset + 1) * double(offset + 1) +
                                                                   std::pow(1 + 0.13 * offset, 2) + std::pow(1 + 0.07 * offset, 2));
        CHECK(r.hausdorff_in_out * diagonal < 0.5 * cell);
        CHECK(r.hausdorff_out_in * diagonal < 0.5 * cell);
        release(r);
    }
}

TEST(without_a_hole_the_patched_distance_is_the_plain_one) {
    Mesh cube = mf_test::cube();
    mf_repair_result r = repair_volumetrically(cube);
    CHECK_EQ(r.holes_filled, 0u);
    CHECK(r.hausdorff_out_in > 0);
    CHECK_EQ(r.hausdorff_out_in_patched, r.hausdorff_out_in);
    release(r);
    r = repair_volumetrically(cube, MF_REPAIR_SKIP_HAUSDORFF);
    CHECK_EQ(r.hausdorff_out_in_patched, -1.0);
    CHECK_EQ(r.lost, -1.0);
    CHECK_EQ(r.lost_area, -1.0);
    release(r);
}

TEST(bad_input_gets_a_clear_error_or_a_defined_result) {
    mf_repair_result r{};
    mf_error e{};
    Mesh empty;
    mf_mesh m = empty.view();
    CHECK_EQ(mf_repair(&m, nullptr, &r, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(r.positions == nullptr);

    Mesh nan = mf_test::cube();
    nan.positions[4] = std::numeric_limits<float>::quiet_NaN();
    m = nan.view();
    CHECK_EQ(mf_repair(&m, nullptr, &r, &e), int32_t(MF_ERR_INVALID_ARGUMENT));

    Mesh single;
    single.add_triangle(single.add_vertex(0, 0, 0), single.add_vertex(1, 0, 0), single.add_vertex(0, 1, 0));
    m = single.view();
    // A defined result: nothing is enclosed, so the sheet becomes a slab about 1.5 grid cells thick.
    CHECK_EQ(mf_repair(&m, nullptr, &r, &e), int32_t(MF_OK));
    CHECK(guaranteed(inspect_result(r)));
    release(r);
    r = mf_repair_result{};

    Mesh points;
    for (int i = 0; i < 10; ++i) points.add_vertex(float(i), 0, 0);
    m = points.view();
    CHECK_EQ(mf_repair(&m, nullptr, &r, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(mf_repair(&m, nullptr, nullptr, &e) == MF_ERR_INVALID_ARGUMENT);
}

TEST(the_log_callback_hears_the_stages_and_the_tetrahedra_flag_switches_the_contour) {
    struct Lines {
        std::vector<std::string> all;
        bool has(const char *prefix) const {
            for (const std::string &l : all)
                if (l.rfind(prefix, 0) == 0) return true;
            return false;
        }
    };
    auto log = [](void *user, const char *line) { static_cast<Lines *>(user)->all.emplace_back(line); };
    const Mesh cube = mf_test::cube();
    for (uint32_t tetrahedra : {0u, uint32_t(MF_REPAIR_TETRAHEDRA)}) {
        Lines lines;
        mf_mesh m = cube.view();
        mf_repair_options o = repair_options(MF_REPAIR_FORCE_VOLUMETRIC | MF_REPAIR_SKIP_HAUSDORFF | tetrahedra);
        o.log = log;
        o.log_user = &lines;
        mf_repair_result r{};
        mf_error e{};
        CHECK_EQ(mf_repair(&m, &o, &r, &e), int32_t(MF_OK));
        CHECK(guaranteed(inspect_result(r)));
        CHECK(lines.has("volumetric: "));
        CHECK(lines.has(tetrahedra ? "contour: tetrahedra" : "contour: dual"));
        CHECK(!lines.has(tetrahedra ? "contour: dual" : "contour: tetrahedra"));
        release(r);
    }
}

TEST(hausdorff_of_a_cube_and_its_shifted_copy_is_the_shift) {
    Mesh a = mf_test::cube(), b = mf_test::cube(1, 0.25f, 0, 0);
    mf_mesh ma = a.view(), mb = b.view();
    mf_hausdorff_report h{};
    mf_error e{};
    CHECK_EQ(mf_hausdorff(&ma, &mb, nullptr, &h, &e), int32_t(MF_OK));
    CHECK(std::fabs(h.a_to_b - 0.25) < 1e-6);
    CHECK(std::fabs(h.b_to_a - 0.25) < 1e-6);
}

int main() { return mf_test::run_all_tests(); }

TEST(mf_lost_measures_the_input_left_outside_a_given_solid) {
    // The input: the unit cube and a second one 3 along x; the solid: the first cube alone. The second cube is
    // all lost: its far corners are 3 from the first, of a diagonal of sqrt(4^2 + 1 + 1), and it is half the area.
    const Mesh first = mf_test::cube();
    const Mesh input = mf_test::merged(first, mf_test::cube(1, 3));
    const mf_mesh in = input.view(), solid = first.view();
    mf_lost_report report{};
    mf_error e{};
    CHECK_EQ(mf_lost(&in, &solid, nullptr, &report, &e), int32_t(MF_OK));
    CHECK_NEAR(report.diagonal, std::sqrt(18.0), 1e-9);
    CHECK_NEAR(report.lost, 3 / std::sqrt(18.0), 1e-9);
    CHECK_NEAR(report.lost_area, 0.5, 0.01);
    // Measured against the whole input, nothing is lost.
    const mf_mesh whole = input.view();
    CHECK_EQ(mf_lost(&in, &whole, nullptr, &report, &e), int32_t(MF_OK));
    CHECK_EQ(report.lost, 0.0);
    CHECK_EQ(report.lost_area, 0.0);
    // No triangles: one sentence naming the function.
    mf_mesh empty{};
    CHECK_EQ(mf_lost(&in, &empty, nullptr, &report, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(std::string(e.message).find("mf_lost") != std::string::npos);
}

namespace {

// Two triangles over the quad p0 p1 p2 p3 (counter-clockwise seen from where the normal points).
void add_quad(Mesh &m, std::array<float, 3> p0, std::array<float, 3> p1, std::array<float, 3> p2,
              std::array<float, 3> p3) {
    uint32_t v[4];
    const std::array<float, 3> *ps[4] = {&p0, &p1, &p2, &p3};
    for (int k = 0; k < 4; ++k) v[k] = m.add_vertex((*ps[k])[0], (*ps[k])[1], (*ps[k])[2]);
    m.add_triangle(v[0], v[1], v[2]);
    m.add_triangle(v[0], v[2], v[3]);
}

// A square cup, as an STL holds it (three vertices a triangle): outer walls and bottom of the unit box, a rim
// at z = 1, inner walls at 0.1 from the outer ones down to an inner floor at z = 0.2, and a handle (a box
// through the wall at x = 1, so that the repair needs its volumetric stage). The inner walls' bottom edges
// have midpoints the floor does not share, so that the floor is a patch of its own. flipped: the inner floor
// faces down, into the cup's material.
Mesh cup(bool flipped) {
    Mesh m;
    const float lo = 0.1f, hi = 0.9f;
    const float corners[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}}, inner[4][2] = {{lo, lo}, {hi, lo}, {hi, hi}, {lo, hi}};
    for (int k = 0; k < 4; ++k) {
        const float *a = corners[k], *b = corners[(k + 1) % 4], *c = inner[k], *d = inner[(k + 1) % 4];
        add_quad(m, {a[0], a[1], 0}, {b[0], b[1], 0}, {b[0], b[1], 1}, {a[0], a[1], 1}); // outer wall
        add_quad(m, {a[0], a[1], 1}, {b[0], b[1], 1}, {d[0], d[1], 1}, {c[0], c[1], 1}); // rim
        // Inner wall, facing the cavity: two quads split at the bottom edge's midpoint.
        const float mid[2] = {(c[0] + d[0]) / 2, (c[1] + d[1]) / 2};
        const uint32_t c0 = m.add_vertex(c[0], c[1], 0.2f), m0 = m.add_vertex(mid[0], mid[1], 0.2f),
                       d0 = m.add_vertex(d[0], d[1], 0.2f), c1 = m.add_vertex(c[0], c[1], 1),
                       d1 = m.add_vertex(d[0], d[1], 1);
        m.add_triangle(c0, c1, m0);
        m.add_triangle(m0, c1, d1);
        m.add_triangle(m0, d1, d0);
    }
    add_quad(m, {0, 0, 0}, {0, 1, 0}, {1, 1, 0}, {1, 0, 0}); // outer bottom, facing down
    if (flipped) add_quad(m, {lo, lo, 0.2f}, {lo, hi, 0.2f}, {hi, hi, 0.2f}, {hi, lo, 0.2f});
    else add_quad(m, {lo, lo, 0.2f}, {hi, lo, 0.2f}, {hi, hi, 0.2f}, {lo, hi, 0.2f});
    Mesh handle = mf_test::cube(1, 0, 0, 0);
    for (size_t v = 0; v < handle.vertex_count(); ++v) {
        handle.positions[3 * v] = 0.95f + 0.35f * handle.positions[3 * v];
        handle.positions[3 * v + 1] = 0.45f + 0.1f * handle.positions[3 * v + 1];
        handle.positions[3 * v + 2] = 0.4f + 0.2f * handle.positions[3 * v + 2];
    }
    return mf_test::soup(mf_test::merged(m, handle));
}

} // namespace

TEST(a_cup_whose_floor_is_modelled_flipped_is_repaired_as_if_it_were_not) {
    // The floor is turned by the winding number of the rest before the volumetric stage decides inside from
    // outside, so that the repair sees the cup as modelled right: the same solid, triangle for triangle (208
    // each when measured; left flipped, the floor and its hole patch give another surface).
    mf_repair_result r[2]{};
    mf_inspect_report after[2]{};
    for (int flipped = 0; flipped < 2; ++flipped) {
        const Mesh input = cup(flipped == 1);
        mf_mesh m = input.view();
        mf_repair_options o = repair_options();
        mf_error e{};
        CHECK_EQ(mf_repair(&m, &o, &r[flipped], &e), int32_t(MF_OK));
        after[flipped] = inspect_result(r[flipped]);
        std::printf("  cup, floor %s: stage %d, %llu triangles, lost %.4f%%, volume %.4f, out->in %.4f%%\n",
                    flipped ? "flipped" : "outward", r[flipped].stage, (unsigned long long)r[flipped].triangle_count,
                    100 * r[flipped].lost, after[flipped].volume, 100 * r[flipped].hausdorff_out_in);
        CHECK(guaranteed(after[flipped]));
        CHECK_EQ(r[flipped].stage, int32_t(MF_REPAIR_VOLUMETRIC));
        CHECK(r[flipped].lost >= 0 && r[flipped].lost < 0.005);
        // The cup's material: the box less the cavity (0.8 x 0.8 x 0.8), and the handle outside the wall.
        CHECK_NEAR(after[flipped].volume, 1 - 0.8 * 0.8 * 0.8 + 0.3 * 0.1 * 0.2, 0.01);
    }
    CHECK_EQ(r[1].triangle_count, r[0].triangle_count);
    CHECK_NEAR(after[1].volume, after[0].volume, 1e-9);
    // The floor is on the output: every point of it within 0.5% of the diagonal of the output's surface.
    Mesh floor;
    add_quad(floor, {0.1f, 0.1f, 0.2f}, {0.9f, 0.1f, 0.2f}, {0.9f, 0.9f, 0.2f}, {0.1f, 0.9f, 0.2f});
    mf_mesh fm = floor.view(), out{};
    out.positions = r[1].positions;
    out.vertex_count = r[1].vertex_count;
    out.indices = r[1].indices;
    out.triangle_count = r[1].triangle_count;
    mf_hausdorff_report h{};
    mf_error e{};
    CHECK_EQ(mf_hausdorff(&fm, &out, nullptr, &h, &e), int32_t(MF_OK));
    CHECK(h.a_to_b < 0.005 * std::sqrt(1.3 * 1.3 + 1 + 1));
    release(r[0]);
    release(r[1]);
}

TEST(a_pocket_that_crossing_sheets_wall_in_is_filled) {
    // Six open squares on the planes x, y, z = 0 and 1, each reaching half a unit beyond the others: they cross,
    // so the repair rebuilds them as slabs, and the slabs wall in the unit cube between them, a pocket of
    // outside no path from afar reaches. Kept, it would be a void shell of its own inside the slabs (a soup of
    // crossing triangles had 1,028 of them); filled, the solid is one shell holding the cube.
    Mesh sheets;
    for (int axis = 0; axis < 3; ++axis)
        for (float at : {0.0f, 1.0f}) {
            float corners[4][3];
            const float uv[4][2] = {{-0.5f, -0.5f}, {1.5f, -0.5f}, {1.5f, 1.5f}, {-0.5f, 1.5f}};
            for (int c = 0; c < 4; ++c) {
                corners[c][axis] = at;
                corners[c][(axis + 1) % 3] = uv[c][0];
                corners[c][(axis + 2) % 3] = uv[c][1];
            }
            uint32_t v[4];
            for (int c = 0; c < 4; ++c) v[c] = sheets.add_vertex(corners[c][0], corners[c][1], corners[c][2]);
            sheets.add_triangle(v[0], v[1], v[2]);
            sheets.add_triangle(v[0], v[2], v[3]);
        }
    mf_mesh m = sheets.view();
    mf_repair_options o = repair_options();
    o.resolution = 60;
    mf_repair_result r{};
    mf_error e{};
    CHECK_EQ(mf_repair(&m, &o, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.stage, int32_t(MF_REPAIR_VOLUMETRIC));
    const mf_inspect_report after = inspect_result(r);
    std::printf("  crossing sheets around a pocket: %llu components, volume %.4f, lost %.4f%%\n",
                (unsigned long long)after.components, after.volume, 100 * r.lost);
    CHECK(guaranteed(after));
    CHECK_EQ(after.components, uint64_t(1));
    // The cube and the slabs (1.2 cells of 2 / 60 thick over 6 x 4 square units: 0.96) less their overlap
    // (half a slab on each face of the cube: 0.12): 1.84; the slabs without the cube would hold 0.96.
    CHECK(after.volume > 1.75 && after.volume < 1.95);
    CHECK(r.lost >= 0 && r.lost < 0.005);
    release(r);
}

TEST(parts_that_touch_or_overlap_are_unioned_and_a_free_part_stays_a_shell_of_its_own) {
    // A: the unit cube; B: a bar through A's face x = 1 (overlapping it), ending at x = 1.5; C: a cube touching
    // B's end face to face; D: a cube floating free at x = 4. The solid is their union, volume 1 + 0.5^3 + 1 + 1
    // (the parts apart would hold 3.25), with nothing in the gap between C and D: two shells. The faces inside
    // the union lie on grid planes, so grid points on them must count as inside (an inner wall's point once
    // came out as outside, a flat bubble of a shell: 15 shells in all).
    Mesh bar = mf_test::cube();
    for (size_t v = 0; v < bar.vertex_count(); ++v) {
        bar.positions[3 * v] = 0.5f + bar.positions[3 * v];
        bar.positions[3 * v + 1] = 0.25f + 0.5f * bar.positions[3 * v + 1];
        bar.positions[3 * v + 2] = 0.25f + 0.5f * bar.positions[3 * v + 2];
    }
    const Mesh input = mf_test::merged(
        mf_test::merged(mf_test::merged(mf_test::cube(), bar), mf_test::cube(1, 1.5f)), mf_test::cube(1, 4));
    mf_inspect_report after{};
    mf_repair_result r = repair_by_default_volumetrically(input, after);
    std::printf("  touching, overlapping and free parts: %llu components, volume %.4f, lost %.4f%%\n",
                (unsigned long long)after.components, after.volume, 100 * r.lost);
    CHECK(guaranteed(after));
    CHECK_NEAR(after.volume, 3.125, 0.01);
    CHECK_EQ(after.components, uint64_t(2));
    bool in_gap = false;
    for (uint64_t v = 0; v < r.vertex_count; ++v) in_gap |= r.positions[3 * v] > 2.51f && r.positions[3 * v] < 3.99f;
    CHECK(!in_gap);
    CHECK(r.lost >= 0 && r.lost < 0.005);
    release(r);
}

TEST(an_open_quad_standing_on_a_cube_comes_back_with_thickness) {
    // One open quad standing on the unit cube's top face, upright and square to the grid: x = 0.5, y from 0.2
    // to 0.8, z from 1 to 1.6. Closed by its hole patch alone, it would be a shell of two coincident sides that
    // encloses nothing: watertight, manifold and free of crossings (coincident faces do not cross), yet no
    // printer can make it. It must come back as a slab on the cube: one solid, more than the cube's volume.
    Mesh quad;
    const uint32_t a = quad.add_vertex(0.5f, 0.2f, 1.0f), b = quad.add_vertex(0.5f, 0.8f, 1.0f),
                   c = quad.add_vertex(0.5f, 0.8f, 1.6f), d = quad.add_vertex(0.5f, 0.2f, 1.6f);
    quad.add_triangle(a, b, c);
    quad.add_triangle(a, c, d);
    const Mesh input = mf_test::merged(mf_test::cube(), quad);
    mf_mesh m = input.view();
    mf_repair_result r{};
    mf_error e{};
    CHECK_EQ(mf_repair(&m, nullptr, &r, &e), int32_t(MF_OK));
    const mf_inspect_report after = inspect_result(r);
    std::printf("  quad on a cube: stage %d, %llu triangles, %llu components, volume %.5f, lost %.4f%%\n", r.stage,
                (unsigned long long)r.triangle_count, (unsigned long long)after.components, after.volume, 100 * r.lost);
    CHECK(guaranteed(after));
    CHECK_EQ(after.components, uint64_t(1));
    const float cell = 1.6f / 200;
    CHECK(after.volume > 1.0 + 1e-6 && after.volume < 1.0 + 0.36 * 2 * cell);
    CHECK(r.lost >= 0 && r.lost < 0.005);
    float hi_z = -1e9f;
    for (uint64_t v = 0; v < r.vertex_count; ++v) hi_z = std::max(hi_z, r.positions[3 * v + 2]);
    CHECK(hi_z > 1.595f && hi_z < 1.6f + 2 * cell);
    release(r);
}

// mf_simplify through the C ABI: targets reached with the surface kept watertight and close (sampled Hausdorff),
// UV seams kept (islands stay apart and whole), borders locked on request, no face turned over, bad targets and
// weights refused in one sentence.
#include "check.hpp"
#include "mesh_fixtures.hpp"

#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <vector>

namespace {

mf_simplify_options simplify_options(uint64_t triangles, double ratio = 0, double error = 0, uint32_t flags = 0) {
    mf_simplify_options o{};
    o.size = sizeof o;
    o.flags = flags;
    o.target_triangles = triangles;
    o.target_ratio = ratio;
    o.target_error = error;
    return o;
}

struct Simplified {
    int32_t status;
    mf_simplify_result r{};
    mf_error error{};
    std::vector<uint32_t> indices;
};

Simplified simplify(const mf_mesh &m, const mf_simplify_options &o) {
    Simplified s;
    s.status = mf_simplify(&m, &o, &s.r, &s.error);
    if (s.status == MF_OK) s.indices.assign(s.r.indices, s.r.indices + 3 * s.r.triangle_count);
    mf_free(s.r.indices);
    return s;
}

mf_inspect_report inspect_indices(const mf_test::Mesh &m, const std::vector<uint32_t> &indices) {
    mf_test::Mesh out = m;
    out.indices = indices;
    mf_inspect_report report{};
    mf_error error{};
    CHECK_EQ(mf_test::inspect(out, mf_test::options(), report, error), int32_t(MF_OK));
    return report;
}

double hausdorff_both(const mf_test::Mesh &m, const std::vector<uint32_t> &indices) {
    mf_test::Mesh out = m;
    out.indices = indices;
    mf_mesh a = m.view(), b = out.view();
    mf_hausdorff_options o{};
    o.size = sizeof o;
    o.samples = 20000;
    mf_hausdorff_report r{};
    mf_error error{};
    CHECK_EQ(mf_hausdorff(&a, &b, &o, &r, &error), int32_t(MF_OK));
    return std::max(r.a_to_b, r.b_to_a);
}

// An icosphere whose faces with a centroid at x < 0 use their own copies of the vertices: two UV islands
// meeting at a seam, the island number the one attribute.
struct SeamedSphere {
    mf_test::Mesh mesh;
    std::vector<float> island;
};

SeamedSphere seamed_sphere(int levels) {
    SeamedSphere s;
    s.mesh = mf_test::icosphere(levels);
    const size_t n = s.mesh.vertex_count();
    s.island.assign(n, 0.0f);
    std::vector<uint32_t> copy(n, UINT32_MAX);
    for (size_t f = 0; f < s.mesh.triangle_count(); ++f) {
        float cx = 0;
        for (int k = 0; k < 3; ++k) cx += s.mesh.positions[3 * s.mesh.indices[3 * f + k]];
        if (cx >= 0) continue;
        for (int k = 0; k < 3; ++k) {
            uint32_t &v = s.mesh.indices[3 * f + k];
            if (copy[v] == UINT32_MAX) {
                copy[v] = s.mesh.add_vertex(s.mesh.positions[3 * v], s.mesh.positions[3 * v + 1], s.mesh.positions[3 * v + 2]);
                s.island.push_back(1.0f);
            }
            v = copy[v];
        }
    }
    return s;
}

// Pieces connected through shared vertex ids (not positions): the UV islands.
size_t islands(size_t vertex_count, const std::vector<uint32_t> &indices) {
    std::vector<uint32_t> parent(vertex_count);
    for (uint32_t i = 0; i < vertex_count; ++i) parent[i] = i;
    auto find = [&](uint32_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    for (size_t i = 0; i < indices.size(); i += 3)
        for (int k = 1; k < 3; ++k) parent[find(indices[i + k])] = find(indices[i]);
    std::set<uint32_t> roots;
    for (uint32_t v : indices) roots.insert(find(v));
    return roots.size();
}


// A latitude-longitude sphere (radius 1, `rings` bands, `segments` around) mapped as a globe: the attribute is the
// longitude u in [0, 1], so the column at u = 0 has a copy at u = 1 for the faces of the last segment, a seam from
// pole to pole. The two poles are one vertex each: the seam's ends, single points where the seam edges meet.
struct GlobeSphere {
    mf_test::Mesh mesh;
    std::vector<float> u;
    uint32_t north = 0, south = 0;
};

GlobeSphere globe_sphere(int rings, int segments) {
    GlobeSphere g;
    const double pi = 3.14159265358979323846;
    g.north = g.mesh.add_vertex(0, 0, 1);
    g.u.push_back(0.5f);
    std::vector<std::vector<uint32_t>> ring(size_t(rings - 1));
    for (int i = 1; i < rings; ++i) {
        const double lat = pi * i / rings;
        for (int j = 0; j <= segments; ++j) {
            const double lon = 2 * pi * (j % segments) / segments;
            ring[size_t(i - 1)].push_back(g.mesh.add_vertex(float(std::sin(lat) * std::cos(lon)),
                                                             float(std::sin(lat) * std::sin(lon)),
                                                             float(std::cos(lat))));
            g.u.push_back(float(j) / float(segments));
        }
    }
    g.south = g.mesh.add_vertex(0, 0, -1);
    g.u.push_back(0.5f);
    for (int j = 0; j < segments; ++j) {
        g.mesh.add_triangle(g.north, ring[0][size_t(j)], ring[0][size_t(j + 1)]);
        for (int i = 0; i + 1 < rings - 1; ++i) {
            const uint32_t a = ring[size_t(i)][size_t(j)], b = ring[size_t(i)][size_t(j + 1)],
                           c = ring[size_t(i + 1)][size_t(j)], d = ring[size_t(i + 1)][size_t(j + 1)];
            g.mesh.add_triangle(a, c, d);
            g.mesh.add_triangle(a, d, b);
        }
        g.mesh.add_triangle(g.south, ring.back()[size_t(j + 1)], ring.back()[size_t(j)]);
    }
    return g;
}

} // namespace

// An icosphere of `levels` (radius 1) simplified to `target` triangles reaches it, stays watertight and manifold,
// and keeps close to the sphere.
static void sphere_reaches_target_watertight_and_close(int levels, uint64_t target) {
    mf_test::Mesh m = mf_test::icosphere(levels);
    Simplified s = simplify(m.view(), simplify_options(target));
    CHECK_EQ(s.status, int32_t(MF_OK));
    CHECK(s.r.triangle_count <= target && s.r.triangle_count >= target - 10);
    CHECK_EQ(s.r.stop, int32_t(MF_SIMPLIFY_REACHED_TARGET));
    mf_inspect_report after = inspect_indices(m, s.indices);
    CHECK_EQ(after.watertight, 1);
    CHECK_EQ(after.non_manifold_edges, uint64_t(0));
    CHECK_EQ(after.degenerate_faces, uint64_t(0));
    // 1000 triangles or more on a unit sphere: chords of about 0.15 or less, so the surface stays within about 0.01.
    const double h = hausdorff_both(m, s.indices);
    CHECK(h < 0.02);
    CHECK(s.r.error > 0 && s.r.error < 0.02);
}

TEST(sphere_reaches_its_triangle_target_watertight_and_close) {
    sphere_reaches_target_watertight_and_close(5, 2000); // 20480 triangles
}

// Above kTwoThreadFaces live faces (simplify_mesh.cpp), classification and the full gathers run on two threads.
TEST(large_sphere_on_two_threads_reaches_its_target_watertight_and_close) {
    sphere_reaches_target_watertight_and_close(6, 1000); // 81920 triangles
}

TEST(no_face_of_the_result_turns_away_from_the_sphere) {
    mf_test::Mesh m = mf_test::icosphere(4);
    Simplified s = simplify(m.view(), simplify_options(0, 0.02));
    CHECK_EQ(s.status, int32_t(MF_OK));
    size_t away = 0;
    for (size_t f = 0; f < s.indices.size(); f += 3) {
        const float *a = &m.positions[3 * s.indices[f]], *b = &m.positions[3 * s.indices[f + 1]],
                    *c = &m.positions[3 * s.indices[f + 2]];
        const double e1[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]}, e2[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
        const double n[3] = {e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]};
        const double centroid[3] = {a[0] + b[0] + c[0], a[1] + b[1] + c[1], a[2] + b[2] + c[2]};
        away += n[0] * centroid[0] + n[1] * centroid[1] + n[2] * centroid[2] <= 0;
    }
    CHECK_EQ(away, size_t(0));
    CHECK(s.r.triangle_count <= 103); // 2% of 5120
}

TEST(uv_seam_keeps_both_islands_whole_and_apart) {
    SeamedSphere s = seamed_sphere(4);
    mf_mesh view = s.mesh.view();
    view.attributes = s.island.data();
    view.attribute_count = 1;
    CHECK_EQ(islands(s.mesh.vertex_count(), s.mesh.indices), size_t(2));
    Simplified r = simplify(view, simplify_options(500));
    CHECK_EQ(r.status, int32_t(MF_OK));
    CHECK(r.r.triangle_count <= 500);
    CHECK_EQ(islands(s.mesh.vertex_count(), r.indices), size_t(2));
    // Welded by position the surface is still closed: the seam kept its two sides together.
    CHECK_EQ(inspect_indices(s.mesh, r.indices).watertight, 1);
    // Seam vertices stay on the seam plane x = 0 (they moved only along it).
    size_t off_plane = 0;
    for (uint32_t v : r.indices)
        if (s.island[v] == 1.0f) {
            bool on_seam = false;
            for (uint32_t w : r.indices)
                if (s.island[w] == 0.0f && std::memcmp(&s.mesh.positions[3 * v], &s.mesh.positions[3 * w], 12) == 0) {
                    on_seam = true;
                    break;
                }
            off_plane += on_seam && std::fabs(s.mesh.positions[3 * v]) > 0.35f;
        }
    CHECK_EQ(off_plane, size_t(0));
}

// The end of a seam is a point of one wedge: it moves as a manifold point does, along edges that are not the seam,
// and the seam keeps both its sides (each seam vertex kept with its twin at the same position). Held in place, the
// globe's poles stay in every result, whatever the target.
TEST(seam_ends_move_and_the_seam_keeps_both_sides) {
    GlobeSphere g = globe_sphere(32, 64);
    CHECK_EQ(inspect_indices(g.mesh, g.mesh.indices).watertight, 1);
    mf_mesh view = g.mesh.view();
    view.attributes = g.u.data();
    view.attribute_count = 1;
    Simplified r = simplify(view, simplify_options(120)); // of 3968
    CHECK_EQ(r.status, int32_t(MF_OK));
    CHECK_EQ(r.r.stop, int32_t(MF_SIMPLIFY_REACHED_TARGET));
    CHECK(r.r.triangle_count <= 120);
    mf_inspect_report after = inspect_indices(g.mesh, r.indices);
    CHECK_EQ(after.watertight, 1);
    CHECK_EQ(after.non_manifold_edges, uint64_t(0));
    // At least one pole moved onto a neighbour (a pole vertex is in no face of the result).
    bool north = false, south = false;
    for (uint32_t v : r.indices) north |= v == g.north, south |= v == g.south;
    CHECK(!north || !south);
    // Both sides of the seam kept together: the positions of the u = 1 copies used are those of the u = 0 column used.
    std::set<std::vector<float>> at0, at1;
    for (uint32_t v : r.indices) {
        const std::vector<float> p(&g.mesh.positions[3 * v], &g.mesh.positions[3 * v] + 3);
        if (g.u[v] == 0.0f) at0.insert(p);
        if (g.u[v] == 1.0f) at1.insert(p);
    }
    CHECK(!at0.empty());
    CHECK(at0 == at1);
}

TEST(locked_border_keeps_every_border_vertex) {
    // A 40 x 40 grid of squares over a gentle bump: an open sheet with 160 border vertices.
    mf_test::Mesh m;
    const int n = 40;
    for (int y = 0; y <= n; ++y)
        for (int x = 0; x <= n; ++x) {
            const float fx = float(x) / n - 0.5f, fy = float(y) / n - 0.5f;
            m.add_vertex(fx, fy, 0.1f * std::exp(-10 * (fx * fx + fy * fy)));
        }
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x) {
            const uint32_t a = y * (n + 1) + x, b = a + 1, c = a + n + 1, d = c + 1;
            m.add_triangle(a, b, d);
            m.add_triangle(a, d, c);
        }
    std::set<uint32_t> border;
    for (int i = 0; i <= n; ++i)
        border.insert({uint32_t(i), uint32_t(n * (n + 1) + i), uint32_t(i * (n + 1)), uint32_t(i * (n + 1) + n)});
    Simplified locked = simplify(m.view(), simplify_options(0, 0.1, 0, MF_SIMPLIFY_LOCK_BORDER));
    CHECK_EQ(locked.status, int32_t(MF_OK));
    std::set<uint32_t> kept(locked.indices.begin(), locked.indices.end());
    size_t missing = 0;
    for (uint32_t v : border) missing += kept.count(v) == 0;
    CHECK_EQ(missing, size_t(0));
    CHECK(locked.r.triangle_count < m.triangle_count() / 2);
    Simplified free = simplify(m.view(), simplify_options(0, 0.1));
    std::set<uint32_t> kept_free(free.indices.begin(), free.indices.end());
    missing = 0;
    for (uint32_t v : border) missing += kept_free.count(v) == 0;
    CHECK(missing > 0); // unlocked, the straight border sides lose their inner vertices
    CHECK_EQ(inspect_indices(m, free.indices).holes, uint64_t(1));
}

TEST(error_target_stops_at_the_bound) {
    mf_test::Mesh m = mf_test::icosphere(5);
    Simplified s = simplify(m.view(), simplify_options(0, 0, 0.005));
    CHECK_EQ(s.status, int32_t(MF_OK));
    CHECK_EQ(s.r.stop, int32_t(MF_SIMPLIFY_ERROR_BOUND));
    CHECK(s.r.relative_error <= 0.005);
    CHECK(s.r.triangle_count < m.triangle_count() / 2);
    // The same bound in mesh units: the extent is 2.
    Simplified a = simplify(m.view(), simplify_options(0, 0, 0.01, MF_SIMPLIFY_ABSOLUTE_ERROR));
    CHECK_EQ(a.r.triangle_count, s.r.triangle_count);
}

TEST(target_above_the_input_returns_it_whole) {
    mf_test::Mesh m = mf_test::icosphere(2);
    Simplified s = simplify(m.view(), simplify_options(m.triangle_count() + 10));
    CHECK_EQ(s.status, int32_t(MF_OK));
    CHECK_EQ(s.r.triangle_count, m.triangle_count());
    CHECK_EQ(s.r.stop, int32_t(MF_SIMPLIFY_REACHED_TARGET));
}

TEST(bad_targets_weights_and_meshes_are_refused_in_one_sentence) {
    mf_test::Mesh m = mf_test::icosphere(2);
    Simplified none = simplify(m.view(), simplify_options(0));
    CHECK_EQ(none.status, int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(std::string(none.error.message).find("needs a target") != std::string::npos);
    Simplified ratio = simplify(m.view(), simplify_options(0, 1.5));
    CHECK_EQ(ratio.status, int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(std::string(ratio.error.message).find("target_ratio") != std::string::npos);
    Simplified nan_ratio = simplify(m.view(), simplify_options(0, NAN));
    CHECK_EQ(nan_ratio.status, int32_t(MF_ERR_INVALID_ARGUMENT));

    std::vector<float> normals(3 * m.vertex_count(), 0.5f);
    mf_mesh view = m.view();
    view.attributes = normals.data();
    view.attribute_count = 3;
    const float weights[3] = {1, NAN, 1};
    mf_simplify_options o = simplify_options(10);
    o.attribute_weights = weights;
    Simplified nan = simplify(view, o);
    CHECK_EQ(nan.status, int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(std::string(nan.error.message).find("attribute_weights[1]") != std::string::npos);

    mf_test::Mesh empty;
    Simplified e = simplify(empty.view(), simplify_options(10));
    CHECK_EQ(e.status, int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(std::string(e.error.message).find("triangles") != std::string::npos);
}

TEST(non_manifold_fan_with_locked_border_stops_on_topology) {
    // Three sheets sharing one edge: the edge's ends are non-manifold, the others on a locked border.
    mf_test::Mesh m;
    const uint32_t a = m.add_vertex(0, 0, 0), b = m.add_vertex(0, 0, 1);
    for (int k = 0; k < 3; ++k) {
        const float angle = float(k) * 2.0944f;
        const uint32_t c = m.add_vertex(std::cos(angle), std::sin(angle), 0.5f);
        m.add_triangle(a, b, c);
    }
    Simplified s = simplify(m.view(), simplify_options(1, 0, 0, MF_SIMPLIFY_LOCK_BORDER));
    CHECK_EQ(s.status, int32_t(MF_OK));
    CHECK_EQ(s.r.triangle_count, uint64_t(3));
    CHECK_EQ(s.r.stop, int32_t(MF_SIMPLIFY_TOPOLOGY));
}

// m simplified toward one face with its border locked keeps every face, held by topology.
static void locked_border_keeps_every_face(const mf_test::Mesh &m) {
    Simplified s = simplify(m.view(), simplify_options(1, 0, 0, MF_SIMPLIFY_LOCK_BORDER));
    CHECK_EQ(s.status, int32_t(MF_OK));
    CHECK_EQ(s.r.triangle_count, m.triangle_count());
    CHECK_EQ(s.r.stop, int32_t(MF_SIMPLIFY_TOPOLOGY));
}

TEST(locked_border_is_never_spanned_by_a_new_edge) {
    // A square of four locked border points around one raised inner point: moving the inner point onto a corner
    // would join that corner to the opposite one, an edge the caller may hold already beyond the border.
    mf_test::Mesh m;
    const uint32_t a = m.add_vertex(0, 0, 0), b = m.add_vertex(1, 0, 0), c = m.add_vertex(1, 1, 0),
                   d = m.add_vertex(0, 1, 0), u = m.add_vertex(0.5f, 0.5f, 0.01f);
    m.add_triangle(u, a, b);
    m.add_triangle(u, b, c);
    m.add_triangle(u, c, d);
    m.add_triangle(u, d, a);
    locked_border_keeps_every_face(m);
    // Unlocked, the same square loses its inner point.
    Simplified free = simplify(m.view(), simplify_options(2));
    CHECK_EQ(free.status, int32_t(MF_OK));
    CHECK_EQ(free.r.triangle_count, uint64_t(2));
}

TEST(locked_border_keeps_a_triangular_hole_open) {
    // Three faces around inner point u cap a triangle of border points a, v, b (v also holds a face of its own, so
    // that the link condition lets u move onto v): that collapse would leave one face over three border points,
    // which may stand beyond the border already, the joined surface then holding edges of four faces.
    mf_test::Mesh m;
    const uint32_t a = m.add_vertex(0, 0, 0), v = m.add_vertex(1, 0, 0), b = m.add_vertex(0, 1, 0),
                   u = m.add_vertex(0.3f, 0.3f, 0.02f), w = m.add_vertex(2, -1, 0), x = m.add_vertex(2, 0, 0);
    m.add_triangle(u, a, v);
    m.add_triangle(u, v, b);
    m.add_triangle(u, b, a);
    m.add_triangle(v, w, x);
    locked_border_keeps_every_face(m);
}

int main() { return mf_test::run_all_tests(); }

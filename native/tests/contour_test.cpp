// Dual contouring on hand-made fields: the surfaces it returns are closed 2-manifolds, outward, free of
// crossings, where a cell's sign pattern makes one sheet meet its neighbour's through both segments of an
// ambiguous face.
#include "check.hpp"

#include "contour.hpp"
#include "progress.hpp"
#include "self_intersections.hpp"

#include <cmath>
#include <map>

namespace {

mf::ScalarGrid grid_of(int n, float value) {
    mf::ScalarGrid g;
    g.dims[0] = g.dims[1] = g.dims[2] = n;
    g.h = 1;
    g.field.assign(size_t(n) * n * n, value);
    return g;
}

struct Shape {
    int euler = 0;           // V - E + F
    bool manifold = true;    // every edge has two faces, one each way round
    double volume = 0;       // signed
    size_t crossing_faces = 0;
};

Shape shape_of(const mf::IndexedMesh &m) {
    Shape s;
    std::map<std::pair<uint32_t, uint32_t>, int> directed;
    for (size_t f = 0; f < m.tris.size(); f += 3)
        for (int k = 0; k < 3; ++k) ++directed[{m.tris[f + k], m.tris[f + (k + 1) % 3]}];
    size_t edges = 0;
    for (const auto &[e, count] : directed) {
        const auto back = directed.find({e.second, e.first});
        if (count != 1 || back == directed.end() || back->second != 1) s.manifold = false;
        if (e.first < e.second) ++edges;
    }
    s.euler = int(m.positions.size()) - int(edges) + int(m.tris.size() / 3);
    for (size_t f = 0; f < m.tris.size(); f += 3) {
        const mf::Vec3d &a = m.positions[m.tris[f]], &b = m.positions[m.tris[f + 1]], &c = m.positions[m.tris[f + 2]];
        s.volume += mf::dot(a, mf::cross(b, c)) / 6;
    }
    s.crossing_faces = mf::find_crossing_faces(m.tris, m.positions, nullptr).size();
    return s;
}

// Planes through the crossing, square to the direction from the middle of the inside points.
mf::TangentPlane tangent_from(const mf::Vec3d &centre, const mf::Vec3d &x) {
    mf::Vec3d d = x - centre;
    double l = mf::norm(d);
    return {x, l > 0 ? d * (1 / l) : mf::Vec3d{0, 0, 1}};
}

} // namespace

TEST(two_inside_points_bridged_across_an_ambiguous_face_make_one_closed_surface) {
    // Inside: the grid points (2,2,2) and (3,3,2), diagonal on the face z = 2 between the cells below and
    // above it; its other two corners are barely outside, so the asymptotic decider joins the inside
    // points across the face. Each of the two cells then holds one sheet with both of the face's
    // segments: one vertex each, joined twice, unless each segment gets a vertex of its own.
    mf::ScalarGrid g = grid_of(6, 1.0f);
    g.field[g.id(2, 2, 2)] = -1.0f;
    g.field[g.id(3, 3, 2)] = -1.0f;
    g.field[g.id(3, 2, 2)] = 0.5f;
    g.field[g.id(2, 3, 2)] = 0.5f;
    const mf::Vec3d centre{2.5, 2.5, 2};
    mf::Progress progress(nullptr, nullptr, 0);
    mf::IndexedMesh out;
    const bool ok = mf::contour_dual(
        g, [&](const mf::Vec3d &x) { return tangent_from(centre, x); }, [](const mf::Vec3d &) { return 0.0; },
        progress, out);
    CHECK(ok);
    const Shape s = shape_of(out);
    CHECK(s.manifold);
    CHECK_EQ(s.euler, 2); // one sphere: the two points and the bridge between them
    CHECK(s.volume > 0);
    CHECK_EQ(s.crossing_faces, size_t(0));
}

TEST(a_single_inside_point_makes_an_octahedron_like_closed_surface) {
    mf::ScalarGrid g = grid_of(5, 1.0f);
    g.field[g.id(2, 2, 2)] = -1.0f;
    const mf::Vec3d centre{2, 2, 2};
    mf::Progress progress(nullptr, nullptr, 0);
    mf::IndexedMesh out;
    CHECK(mf::contour_dual(
        g, [&](const mf::Vec3d &x) { return tangent_from(centre, x); }, [](const mf::Vec3d &) { return 0.0; },
        progress, out));
    const Shape s = shape_of(out);
    CHECK(s.manifold);
    CHECK_EQ(s.euler, 2);
    CHECK(s.volume > 0);
    CHECK_EQ(out.positions.size(), size_t(8)); // one vertex in each of the eight cells around the point
    CHECK_EQ(s.crossing_faces, size_t(0));
}

int main() { return mf_test::run_all_tests(); }

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

#include "remesh_volume.hpp"

namespace {

// The unit cube as an IndexedMesh, moved by d.
void add_cube(mf::IndexedMesh &m, double dx) {
    const uint32_t base = uint32_t(m.positions.size());
    for (int v = 0; v < 8; ++v) m.positions.push_back({dx + (v & 1), double((v >> 1) & 1), double((v >> 2) & 1)});
    const uint32_t faces[12][3] = {{0, 2, 3}, {0, 3, 1}, {4, 5, 7}, {4, 7, 6}, {0, 1, 5}, {0, 5, 4},
                                   {2, 6, 7}, {2, 7, 3}, {0, 4, 6}, {0, 6, 2}, {1, 3, 7}, {1, 7, 5}};
    for (const auto &f : faces)
        for (uint32_t c : f) m.tris.push_back(base + c);
}

} // namespace

TEST(a_second_rebuild_with_more_slabs_equals_a_fresh_one_with_them) {
    // A cube and a second one beside it whose faces are made slabs: reusing the first rebuild's field must give
    // the very surface a rebuild from scratch with the same slab faces gives.
    mf::IndexedMesh input;
    add_cube(input, 0);
    add_cube(input, 1.5);
    std::vector<uint8_t> slabs(input.tris.size() / 3, 0);
    for (size_t f = 12; f < 24; f += 3) slabs[f] = 1;
    mf::Progress progress(nullptr, nullptr, 0);
    mf::VolumeRebuildSettings settings;
    settings.resolution = 40;
    mf::VolumeRebuild first = mf::remesh_by_winding_number(input, input, settings, progress);
    const uint64_t plain = first.mesh.tris.size();
    mf::VolumeRebuild again = mf::remesh_with_slabs(std::move(first), input, input, slabs, settings, progress);
    settings.slab_faces = &slabs;
    const mf::VolumeRebuild fresh = mf::remesh_by_winding_number(input, input, settings, progress);
    CHECK(fresh.mesh.tris.size() != plain); // the slabs changed the surface
    CHECK_EQ(again.sheet_faces, fresh.sheet_faces);
    CHECK(again.mesh.tris == fresh.mesh.tris);
    bool same = again.mesh.positions.size() == fresh.mesh.positions.size();
    for (size_t v = 0; same && v < fresh.mesh.positions.size(); ++v)
        same = again.mesh.positions[v].x == fresh.mesh.positions[v].x &&
               again.mesh.positions[v].y == fresh.mesh.positions[v].y &&
               again.mesh.positions[v].z == fresh.mesh.positions[v].z;
    CHECK(same);
}

// fill_holes on boundaries known by construction: the edges of one face walk into loops; with
// whole_boundary the boundary of the faces as an oriented chain is closed, through crowded and
// same-way edges too, so that nothing of it is left (the winding number becomes a whole number).
#include "check.hpp"
#include "fill_holes.hpp"
#include "internal_fixtures.hpp"

#include <map>
#include <numeric>
#include <utility>

namespace {

// Undirected edges whose faces do not cancel: (faces running it from the lower id) - (the other way).
int uncancelled_edges(const mf::IndexedMesh &m) {
    std::map<std::pair<uint32_t, uint32_t>, int> net;
    for (size_t f = 0; f < m.tris.size() / 3; ++f)
        for (int k = 0; k < 3; ++k) {
            uint32_t a = m.tris[3 * f + k], b = m.tris[3 * f + (k + 1) % 3];
            net[{std::min(a, b), std::max(a, b)}] += a < b ? 1 : -1;
        }
    int left = 0;
    for (const auto &[edge, n] : net) left += n != 0;
    return left;
}

struct Filled {
    mf::IndexedMesh mesh;
    mf::RepairCounters counters;
};

Filled fill(const mf_test::Mesh &m, bool whole_boundary) {
    Filled r{mf_test::repair_mesh(m), {}};
    std::vector<uint32_t> welded(r.mesh.positions.size());
    std::iota(welded.begin(), welded.end(), 0u);
    mf::fill_holes(r.mesh, welded, r.counters, false, whole_boundary);
    return r;
}

// The unit cube with a flap (0, 1, q) on its edge 0-1, which then has three faces.
mf_test::Mesh cube_with_flap() {
    mf_test::Mesh m = mf_test::cube();
    uint32_t q = m.add_vertex(0.5f, -1, -1);
    m.add_triangle(0, 1, q);
    return m;
}

} // namespace

TEST(a_missing_face_is_one_loop_either_way) {
    mf_test::Mesh open = mf_test::cube();
    open.indices.resize(open.indices.size() - 3);
    for (bool whole : {false, true}) {
        Filled r = fill(open, whole);
        CHECK_EQ(r.counters.holes_filled, uint64_t(1));
        CHECK(!r.counters.holes_left);
        CHECK_EQ(uncancelled_edges(r.mesh), 0);
    }
}

TEST(edges_of_one_face_cannot_walk_through_a_crowded_edge) {
    Filled r = fill(cube_with_flap(), false);
    CHECK(r.counters.holes_left);
    CHECK_EQ(r.counters.holes_filled, uint64_t(0));
    CHECK_EQ(uncancelled_edges(r.mesh), 3);
}

TEST(the_whole_boundary_closes_a_flap_on_a_crowded_edge) {
    Filled r = fill(cube_with_flap(), true);
    CHECK(!r.counters.holes_left);
    CHECK_EQ(r.counters.holes_filled, uint64_t(1));
    CHECK_EQ(r.counters.hole_triangles, uint64_t(1));
    CHECK_EQ(uncancelled_edges(r.mesh), 0);
}

TEST(the_whole_boundary_covers_a_face_turned_the_wrong_way_twice) {
    // A closed cube with one triangle reversed: its three edges each have two faces running the same way,
    // no edge of one face. As a chain the cube less twice the triangle: two patches put it back.
    mf_test::Mesh m = mf_test::cube();
    std::swap(m.indices[1], m.indices[2]);
    Filled plain = fill(m, false);
    CHECK_EQ(plain.counters.holes_filled, uint64_t(0));
    CHECK_EQ(uncancelled_edges(plain.mesh), 3);
    Filled whole = fill(m, true);
    CHECK_EQ(whole.counters.holes_filled, uint64_t(2));
    CHECK(!whole.counters.holes_left);
    CHECK_EQ(uncancelled_edges(whole.mesh), 0);
    // Both patches run like the cube's own triangle (0, 2, 3).
    for (size_t f = 12; f < whole.mesh.tris.size() / 3; ++f) {
        std::vector<uint32_t> t(whole.mesh.tris.begin() + 3 * f, whole.mesh.tris.begin() + 3 * f + 3);
        std::rotate(t.begin(), std::min_element(t.begin(), t.end()), t.end());
        CHECK(t == std::vector<uint32_t>({0, 2, 3}));
    }
}

int main() { return mf_test::run_all_tests(); }

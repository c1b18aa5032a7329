// simplify's crossing guard: two nested spheres one percent apart, simplified hard (unguarded, hundreds of
// pairs cross), stay clear of each other, also when decimated in two halves at once; its grid stays within a
// few cells and entries a face, however long the faces.
#include "check.hpp"
#include "mesh_fixtures.hpp"

#include "progress.hpp"
#include "simplify.hpp"
#include "simplify_guard.hpp"
#include "self_intersections.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace {

mf::IndexedMesh nested_spheres() {
    mf_test::Mesh outer = mf_test::icosphere(4, 1.0f), inner = mf_test::icosphere(4, 0.99f);
    mf::IndexedMesh m;
    for (const mf_test::Mesh *s : {&outer, &inner}) {
        const uint32_t base = uint32_t(m.positions.size());
        for (size_t i = 0; i < s->positions.size(); i += 3)
            m.positions.push_back({s->positions[i], s->positions[i + 1], s->positions[i + 2]});
        for (size_t i = 0; i < s->indices.size(); i += 3) {
            if (s == &outer) m.tris.insert(m.tris.end(), {base + s->indices[i], base + s->indices[i + 1], base + s->indices[i + 2]});
            else m.tris.insert(m.tris.end(), {base + s->indices[i], base + s->indices[i + 2], base + s->indices[i + 1]});
        }
    }
    return m;
}

} // namespace

TEST(guarded_simplification_of_nested_spheres_leaves_no_crossing) {
    mf::IndexedMesh m = nested_spheres();
    CHECK_EQ(mf::count_crossing_pairs(m.tris, m.positions, nullptr, 0, 1), 0u);
    const size_t before = m.tris.size() / 3;
    mf::Progress quiet(nullptr, nullptr, 0);
    mf::simplify(m, 200, 0.1 * 0.1, quiet, 0.05);
    CHECK(m.tris.size() / 3 < before / 4); // it still simplifies
    CHECK_EQ(mf::count_crossing_pairs(m.tris, m.positions, nullptr, 0, 1), 0u);
}

TEST(guarded_simplification_in_two_halves_leaves_no_crossing_and_a_closed_manifold) {
    mf::IndexedMesh m = nested_spheres();
    const size_t before = m.tris.size() / 3;
    mf::Progress quiet(nullptr, nullptr, 0);
    std::string log;
    quiet.set_log([](void *user, const char *line) { *static_cast<std::string *>(user) += line; }, &log);
    mf::simplify(m, 200, 0.1 * 0.1, quiet, 0.05, 1000); // halves from 1,000 faces: these 10,240
    CHECK(log.find("two halves") != std::string::npos);
    CHECK(m.tris.size() / 3 < before / 4);
    CHECK_EQ(mf::count_crossing_pairs(m.tris, m.positions, nullptr, 0, 1), 0u);
    // Every edge has two faces, one each way round: the seam joined the halves again.
    std::vector<std::pair<uint32_t, uint32_t>> directed, reversed;
    for (size_t t = 0; t < m.tris.size(); t += 3)
        for (int k = 0; k < 3; ++k) {
            const uint32_t a = m.tris[t + k], b = m.tris[t + (k + 1) % 3];
            directed.push_back({a, b});
            reversed.push_back({b, a});
        }
    std::sort(directed.begin(), directed.end());
    std::sort(reversed.begin(), reversed.end());
    CHECK(std::adjacent_find(directed.begin(), directed.end()) == directed.end());
    CHECK(directed == reversed);
}

TEST(guard_grid_keeps_long_faces_at_a_coarse_level_and_its_cells_within_eight_a_face) {
    // A fan of 3,000 long slivers from one corner of the unit cube to points near the opposite one, and one small
    // face: each sliver's box covers nearly the whole cube. With cells of 1/1000 asked for, the grid was 257 cells a
    // side (17 million cells, 400 MB of empty lists) and every sliver an entry in each cell of its box.
    const size_t slivers = 3000;
    mf::IndexedMesh m;
    m.positions.push_back({0, 0, 0});
    for (size_t i = 0; i < slivers; ++i) {
        const double t = double(i) / slivers;
        m.positions.push_back({1, 1 - 0.01 * t, 1});
        m.positions.push_back({1, 1, 1 - 0.01 * t});
        m.tris.insert(m.tris.end(), {0, uint32_t(1 + 2 * i), uint32_t(2 + 2 * i)});
    }
    const uint32_t small = uint32_t(m.positions.size());
    m.positions.push_back({0.5, 0.5, 0.1});
    m.positions.push_back({0.5001, 0.5, 0.1});
    m.positions.push_back({0.5, 0.5001, 0.1});
    m.tris.insert(m.tris.end(), {small, small + 1, small + 2});
    const size_t faces = m.tris.size() / 3;
    mf::simplify_guard::FaceGrid grid(m.positions, 1e-3, faces);
    CHECK(grid.cell_count(0) <= 8 * faces);
    CHECK(grid.cell_count(0) >= 4 * faces); // coarsened to about eight a face, not further
    CHECK(grid.levels() >= 5);
    CHECK_EQ(grid.cell_count(grid.levels() - 1), size_t(1));
    for (size_t f = 0; f < faces; ++f) {
        mf::Vec3d t[3] = {m.positions[m.tris[3 * f]], m.positions[m.tris[3 * f + 1]], m.positions[m.tris[3 * f + 2]]}, lo, hi;
        mf::simplify_guard::box_of(t, lo, hi);
        grid.insert(uint32_t(f), lo, hi);
    }
    size_t entries = 0;
    for (size_t l = 0; l < grid.levels(); ++l) entries += grid.entry_count(l);
    CHECK_EQ(grid.entry_count(0), size_t(1)); // the small face in its fine cell
    CHECK(entries <= 1 + 8 * slivers);         // each sliver in at most eight cells
    // A query at the small face meets it once and every sliver (each box spans the cube) once or a few times.
    size_t met = 0;
    grid.for_entries({0.5, 0.5, 0.1}, {0.5001, 0.5001, 0.1},
                     [&](const std::vector<mf::simplify_guard::FaceGrid::Entry> &cell) { met += cell.size(); });
    CHECK(met >= 1 + slivers);
    CHECK(met <= 1 + 8 * slivers);
}

int main() { return mf_test::run_all_tests(); }

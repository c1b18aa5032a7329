// simplify's crossing guard: two nested spheres one percent apart, simplified hard (unguarded, hundreds of
// pairs cross), stay clear of each other, also when decimated in two halves at once.
#include "check.hpp"
#include "mesh_fixtures.hpp"

#include "progress.hpp"
#include "simplify.hpp"
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

int main() { return mf_test::run_all_tests(); }

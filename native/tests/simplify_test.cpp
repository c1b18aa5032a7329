// simplify's crossing guard: two nested spheres one percent apart, simplified hard (unguarded, hundreds of
// pairs cross), stay clear of each other.
#include "check.hpp"
#include "mesh_fixtures.hpp"

#include "progress.hpp"
#include "simplify.hpp"
#include "self_intersections.hpp"

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

int main() { return mf_test::run_all_tests(); }

// The BVH and the self-intersection search: same pairs as testing every pair, for shapes that cross
// themselves a lot, and a sound tree.
#include "check.hpp"
#include "mesh_fixtures.hpp"

#include "bvh.hpp"
#include "intersect.hpp"
#include "self_intersections.hpp"
#include "weld.hpp"

#include <algorithm>
#include <random>

namespace {

struct Welded {
    std::vector<uint32_t> tris;
    std::vector<mf::Vec3d> positions;
};

Welded weld(const mf_test::Mesh &m) {
    mf::MeshView view;
    view.positions = reinterpret_cast<const unsigned char *>(m.positions.data());
    view.vertex_count = m.vertex_count();
    view.indices = m.indices.data();
    view.triangle_count = m.triangle_count();
    mf::WeldResult w = mf::weld_exact(view, nullptr);
    Welded out{{}, w.positions};
    for (uint32_t i : m.indices) out.tris.push_back(w.remap[i]);
    return out;
}

uint64_t brute_force_pairs(const Welded &w) {
    const size_t n = w.tris.size() / 3;
    uint64_t count = 0;
    for (size_t i = 0; i < n; ++i) {
        const uint32_t *p = &w.tris[3 * i];
        const mf::Vec3d a[3] = {w.positions[p[0]], w.positions[p[1]], w.positions[p[2]]};
        for (size_t j = i + 1; j < n; ++j) {
            const uint32_t *q = &w.tris[3 * j];
            bool shared = false;
            for (int k = 0; k < 3; ++k) shared |= p[k] == q[0] || p[k] == q[1] || p[k] == q[2];
            if (shared) continue;
            const mf::Vec3d b[3] = {w.positions[q[0]], w.positions[q[1]], w.positions[q[2]]};
            count += mf::triangles_intersect(a, b);
        }
    }
    return count;
}

} // namespace

TEST(bvh_search_finds_the_same_pairs_as_testing_every_pair) {
    // Three overlapping spheres (two threads, many leaves) and a soup of random triangles.
    mf_test::Mesh spheres = mf_test::merged(mf_test::merged(mf_test::icosphere(3), mf_test::icosphere(3, 0.8f, 0.7f, 0.2f)),
                                            mf_test::icosphere(3, 1.1f, 0.3f, -0.9f, 0.4f));
    mf_test::Mesh random_soup;
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(0, 1);
    for (int t = 0; t < 3000; ++t) {
        float cx = u(rng) * 10, cy = u(rng) * 10, cz = u(rng) * 10;
        uint32_t a = random_soup.add_vertex(cx, cy, cz);
        uint32_t b = random_soup.add_vertex(cx + u(rng) * 2 - 1, cy + u(rng) * 2 - 1, cz + u(rng) * 2 - 1);
        uint32_t c = random_soup.add_vertex(cx + u(rng) * 2 - 1, cy + u(rng) * 2 - 1, cz + u(rng) * 2 - 1);
        random_soup.add_triangle(a, b, c);
    }
    for (const mf_test::Mesh *m : {&spheres, &random_soup}) {
        Welded w = weld(*m);
        uint64_t expected = brute_force_pairs(w);
        CHECK(expected > 100);
        CHECK_EQ(mf::count_crossing_pairs(w.tris, w.positions, nullptr, 0, 1), expected);
    }
}

TEST(bvh_leaves_hold_every_item_once_inside_nested_boxes) {
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(-100, 100);
    std::vector<mf::Aabb> boxes(5000);
    for (auto &b : boxes)
        for (int k = 0; k < 3; ++k) {
            float x = u(rng), y = u(rng);
            b.lo[k] = std::min(x, y), b.hi[k] = std::max(x, y);
        }
    mf::Bvh bvh = mf::build_bvh(boxes, 4, nullptr);
    std::vector<int> seen(boxes.size(), 0);
    bool nested = true;
    auto inside = [](const mf::Aabb &in, const mf::Aabb &out) {
        for (int k = 0; k < 3; ++k)
            if (in.lo[k] < out.lo[k] || in.hi[k] > out.hi[k]) return false;
        return true;
    };
    for (const mf::BvhNode &node : bvh.nodes) {
        if (node.is_leaf()) {
            CHECK(node.count <= 4);
            for (uint32_t i = node.first; i < node.first + node.count; ++i) {
                ++seen[bvh.order[i]];
                nested &= inside(boxes[bvh.order[i]], node.box);
            }
        } else {
            nested &= inside(bvh.nodes[node.first].box, node.box) && inside(bvh.nodes[node.first + 1].box, node.box);
        }
    }
    CHECK(nested);
    CHECK(std::all_of(seen.begin(), seen.end(), [](int s) { return s == 1; }));
}

TEST(closed_sphere_has_no_crossing_pairs) {
    Welded w = weld(mf_test::icosphere(5));
    CHECK_EQ(mf::count_crossing_pairs(w.tris, w.positions, nullptr, 0, 1), uint64_t(0));
}

int main() { return mf_test::run_all_tests(); }

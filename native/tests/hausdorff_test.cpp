// The sampled one-sided Hausdorff distance: exact where the farthest point is a vertex, and never below
// the largest distance of a vertex found by testing every triangle.
#include "check.hpp"
#include "internal_fixtures.hpp"

#include "hausdorff.hpp"
#include "transfer_attributes.hpp"
#include "triangle_tree.hpp"

#include <algorithm>
#include <cmath>

namespace {

using Surface = mf::IndexedMesh;
const auto surface_of = mf_test::repair_mesh;

// Distance from p to b, trying every triangle.
double brute_distance(const mf::Vec3d &p, const Surface &b) {
    double best = INFINITY;
    for (size_t f = 0; f < b.tris.size(); f += 3) {
        const mf::Vec3d &x = b.positions[b.tris[f]], &y = b.positions[b.tris[f + 1]], &z = b.positions[b.tris[f + 2]];
        double w[3];
        mf::closest_on_triangle(p, x, y, z, w);
        best = std::min(best, mf::norm(x * w[0] + y * w[1] + z * w[2] - p));
    }
    return best;
}

double hausdorff(const Surface &a, const Surface &b, uint32_t samples) {
    return mf::one_sided_hausdorff(a.positions, a.tris, b.positions, b.tris, samples, nullptr);
}

} // namespace

TEST(a_cube_and_the_same_cube_moved_a_tenth_are_a_tenth_apart) {
    const Surface a = surface_of(mf_test::cube()), b = surface_of(mf_test::cube(1, 0.1f, 0, 0));
    // The farthest points are the faces square to x, a tenth from the other cube's; corners among them.
    CHECK(std::fabs(hausdorff(a, b, 5000) - 0.1) < 1e-6);
    CHECK(std::fabs(hausdorff(b, a, 5000) - 0.1) < 1e-6);
}

TEST(spheres_apart_measure_at_least_their_farthest_vertex) {
    // Many samples in two threads, each search stopping once it is within the largest distance so far: the
    // result must still be at least every vertex's own distance, and within an edge of it.
    const Surface a = surface_of(mf_test::icosphere(4, 1.0f)), b = surface_of(mf_test::icosphere(3, 1.2f, 0.3f, 0.1f, 0));
    double farthest_vertex = 0, longest_edge = 0;
    for (const mf::Vec3d &p : a.positions) farthest_vertex = std::max(farthest_vertex, brute_distance(p, b));
    for (size_t f = 0; f < a.tris.size(); f += 3)
        for (int k = 0; k < 3; ++k)
            longest_edge = std::max(longest_edge, mf::norm(a.positions[a.tris[f + k]] - a.positions[a.tris[f + (k + 1) % 3]]));
    const double h = hausdorff(a, b, 200000);
    std::printf("spheres: sampled %.6f, farthest vertex %.6f, longest edge %.4f\n", h, farthest_vertex, longest_edge);
    CHECK(h >= farthest_vertex - 1e-9);
    CHECK(h <= farthest_vertex + longest_edge);
}

int main() { return mf_test::run_all_tests(); }

// The exact predicates and the triangle-triangle test, checked against independent integer arithmetic.
#include "check.hpp"

#include "intersect.hpp"
#include "predicates.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

using mf::Vec3d;

namespace {

// Reference orientation on integer coordinates: the determinant in 128-bit integers.
int orient_int(const int64_t a[3], const int64_t b[3], const int64_t c[3], const int64_t d[3]) {
    __int128 u[3], v[3], w[3];
    for (int k = 0; k < 3; ++k) u[k] = b[k] - a[k], v[k] = c[k] - a[k], w[k] = d[k] - a[k];
    __int128 det = u[0] * (v[1] * w[2] - v[2] * w[1]) + u[1] * (v[2] * w[0] - v[0] * w[2]) +
                   u[2] * (v[0] * w[1] - v[1] * w[0]);
    return det > 0 ? 1 : det < 0 ? -1 : 0;
}

Vec3d to_vec(const int64_t p[3], double scale = 1) { return {double(p[0]) * scale, double(p[1]) * scale, double(p[2]) * scale}; }

// Reference crossing test on small integer coordinates: the separating-axis theorem with the two
// normals and nine edge-edge axes (zero ones skipped), where touching projections separate. A zero-area
// triangle is its segment; two of them never cross (a plane through both always separates them).
// Independent of the orientation-based algorithm under test.
bool cross_reference(const int64_t a[3][3], const int64_t b[3][3]) {
    auto sub = [](const int64_t *p, const int64_t *q, int64_t *r) {
        for (int k = 0; k < 3; ++k) r[k] = p[k] - q[k];
    };
    auto cross = [](const int64_t *u, const int64_t *v, int64_t *r) {
        r[0] = u[1] * v[2] - u[2] * v[1], r[1] = u[2] * v[0] - u[0] * v[2], r[2] = u[0] * v[1] - u[1] * v[0];
    };
    int64_t ea[3][3], eb[3][3], axes[11][3];
    for (int i = 0; i < 3; ++i) sub(a[(i + 1) % 3], a[i], ea[i]), sub(b[(i + 1) % 3], b[i], eb[i]);
    cross(ea[0], ea[1], axes[0]);
    cross(eb[0], eb[1], axes[1]);
    auto zero = [](const int64_t *v) { return v[0] == 0 && v[1] == 0 && v[2] == 0; };
    if (zero(axes[0]) && zero(axes[1])) return false;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) cross(ea[i], eb[j], axes[2 + 3 * i + j]);
    for (const auto &axis : axes) {
        if (zero(axis)) continue;
        int64_t pa[3], pb[3];
        for (int i = 0; i < 3; ++i) {
            pa[i] = a[i][0] * axis[0] + a[i][1] * axis[1] + a[i][2] * axis[2];
            pb[i] = b[i][0] * axis[0] + b[i][1] * axis[1] + b[i][2] * axis[2];
        }
        if (*std::max_element(pa, pa + 3) <= *std::min_element(pb, pb + 3) ||
            *std::max_element(pb, pb + 3) <= *std::min_element(pa, pa + 3))
            return false;
    }
    return true;
}

bool cross_of(const int64_t a[3][3], const int64_t b[3][3], double scale = 1) {
    Vec3d va[3] = {to_vec(a[0], scale), to_vec(a[1], scale), to_vec(a[2], scale)};
    Vec3d vb[3] = {to_vec(b[0], scale), to_vec(b[1], scale), to_vec(b[2], scale)};
    return mf::triangles_cross(va, vb);
}

} // namespace

TEST(orient3d_follows_the_right_hand_rule) {
    Vec3d o{0, 0, 0}, x{1, 0, 0}, y{0, 1, 0};
    CHECK_EQ(mf::orient3d(o, x, y, {0, 0, 1}), 1);
    CHECK_EQ(mf::orient3d(o, x, y, {0, 0, -1}), -1);
    CHECK_EQ(mf::orient3d(o, x, y, {5, 7, 0}), 0);
}

TEST(orient3d_is_exact_on_tilted_planes) {
    // Points on a tilted plane with coordinates up to 2^22 (exact in float): the filter cannot decide,
    // and the answer must still match 128-bit integer arithmetic, for the plane and one unit off it.
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<int64_t> small(-9, 9), big(-(1 << 20), 1 << 20), nudge(-1, 1);
    int zeros = 0, checked = 0;
    for (int trial = 0; trial < 20000; ++trial) {
        int64_t n[3] = {small(rng), small(rng), 1}; // plane z = -(n0 x + n1 y) + k
        int64_t k = big(rng);
        int64_t p[4][3];
        for (auto &q : p) {
            q[0] = big(rng), q[1] = big(rng);
            q[2] = k - n[0] * q[0] - n[1] * q[1];
        }
        p[3][2] += nudge(rng);
        bool representable = true;
        for (auto &q : p)
            for (int64_t c : q) representable &= std::llabs(c) < (int64_t(1) << 24);
        if (!representable) continue;
        for (double scale : {1.0, 0.0009765625}) { // 2^-10 keeps them exact
            int expected = orient_int(p[0], p[1], p[2], p[3]);
            Vec3d a = to_vec(p[0], scale), b = to_vec(p[1], scale), c = to_vec(p[2], scale), d = to_vec(p[3], scale);
            CHECK_EQ(mf::orient3d(a, b, c, d), expected);
            CHECK_EQ(mf::orient3d_exact(a, b, c, d), expected);
            zeros += expected == 0;
            ++checked;
        }
    }
    CHECK(checked > 10000);
    CHECK(zeros > 1000);
}

TEST(orient3d_handles_subtractions_that_are_not_exact_in_double) {
    // 2^40 and 2^-40 in one determinant: b - a rounds in double, the exact path must keep the difference.
    Vec3d a{std::ldexp(1.0, 40), 0, 0}, b{std::ldexp(1.0, -40), 0, 0}, c{0, 1, 0};
    CHECK_EQ(mf::orient3d_exact(a, b, c, {0, 0, 1}), mf::orient3d(a, b, c, {0, 0, 1}));
    // d on the line through a and b (so coplanar with a, b, c): y = z = 0.
    CHECK_EQ(mf::orient3d(a, b, c, {std::ldexp(1.0, -30), 0, 0}), 0);
    CHECK_EQ(mf::orient3d(a, b, c, {0, 0, std::ldexp(1.0, -60)}), mf::orient3d(a, b, c, {0, 0, 1}));
}

TEST(crossing_triangles_cross) {
    const int64_t a[3][3] = {{-4, -4, 0}, {8, -4, 0}, {-4, 8, 0}};
    const int64_t b[3][3] = {{0, 0, -4}, {2, 0, 4}, {0, 2, 4}};
    CHECK(cross_of(a, b));
    CHECK(cross_of(b, a));
}

TEST(touching_triangles_do_not_cross) {
    const int64_t a[3][3] = {{0, 0, 0}, {8, 0, 0}, {0, 8, 0}};
    const int64_t vertex_on_face[3][3] = {{2, 2, 0}, {4, 2, 4}, {2, 4, 4}};
    const int64_t edge_on_face[3][3] = {{2, 1, 0}, {4, 1, 0}, {3, 1, 4}};
    const int64_t edge_on_edge[3][3] = {{2, 0, 0}, {6, 0, 0}, {4, -3, 3}};
    const int64_t vertex_on_edge[3][3] = {{4, 0, 0}, {4, -2, 2}, {4, -2, -2}};
    CHECK(!cross_of(a, vertex_on_face));
    CHECK(!cross_of(a, edge_on_face));
    CHECK(!cross_of(a, edge_on_edge));
    CHECK(!cross_of(a, vertex_on_edge));
}

TEST(coplanar_triangles_do_not_cross) {
    const int64_t a[3][3] = {{0, 0, 0}, {8, 0, 0}, {0, 8, 0}};
    const int64_t overlapping[3][3] = {{1, 1, 0}, {9, 1, 0}, {1, 9, 0}};
    CHECK(!cross_of(a, overlapping));
    CHECK(!cross_of(overlapping, a));
}

TEST(zero_area_triangle_crosses_as_its_segment) {
    const int64_t a[3][3] = {{0, 0, 0}, {8, 0, 0}, {0, 8, 0}};
    const int64_t piercing[3][3] = {{1, 1, -4}, {1, 1, 4}, {1, 1, 0}};    // middle vertex on a
    const int64_t collapsed[3][3] = {{1, 1, -4}, {1, 1, -4}, {1, 1, 4}};  // two corners equal
    const int64_t through_edge[3][3] = {{4, 0, -4}, {4, 0, 4}, {4, 0, 1}}; // crosses a's boundary
    const int64_t short_of_it[3][3] = {{1, 1, 1}, {1, 1, 4}, {1, 1, 2}};  // does not reach a
    const int64_t in_plane[3][3] = {{1, 1, 0}, {3, 1, 0}, {2, 1, 0}};     // lies in a's plane
    const int64_t point[3][3] = {{1, 1, 0}, {1, 1, 0}, {1, 1, 0}};
    CHECK(cross_of(a, piercing) && cross_of(piercing, a));
    CHECK(cross_of(a, collapsed) && cross_of(collapsed, a));
    CHECK(!cross_of(a, through_edge) && !cross_of(through_edge, a));
    CHECK(!cross_of(a, short_of_it));
    CHECK(!cross_of(a, in_plane));
    CHECK(!cross_of(a, point) && !cross_of(point, a));
    CHECK(!cross_of(piercing, collapsed)); // two segments never cross
}

TEST(crossing_through_a_vertex_on_the_other_plane_counts) {
    // b's vertex lies in a's plane inside a, and b still passes through a: signs (+, 0, -).
    const int64_t a[3][3] = {{0, 0, 0}, {8, 0, 0}, {0, 8, 0}};
    const int64_t b[3][3] = {{2, 2, 0}, {1, 1, 4}, {4, 4, -4}};
    CHECK(cross_of(a, b));
    CHECK(cross_reference(a, b));
}

TEST(triangles_cross_agrees_with_the_separating_axis_reference) {
    // Tiny integer grids produce every kind of contact: shared points, collinear edges, coplanar faces.
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int64_t> coord(-2, 2);
    int crossing = 0;
    for (int trial = 0; trial < 200000; ++trial) {
        int64_t a[3][3], b[3][3];
        for (auto &p : a)
            for (auto &c : p) c = coord(rng);
        for (auto &p : b)
            for (auto &c : p) c = coord(rng);
        bool expected = cross_reference(a, b);
        crossing += expected;
        bool got = cross_of(a, b, 0.25); // scaled by an exact power of two
        CHECK_EQ(got, expected);
        // Symmetric, and blind to vertex order and winding.
        const int64_t a_rotated[3][3] = {{a[1][0], a[1][1], a[1][2]}, {a[2][0], a[2][1], a[2][2]}, {a[0][0], a[0][1], a[0][2]}};
        const int64_t b_reversed[3][3] = {{b[0][0], b[0][1], b[0][2]}, {b[2][0], b[2][1], b[2][2]}, {b[1][0], b[1][1], b[1][2]}};
        CHECK_EQ(cross_of(b, a), expected);
        CHECK_EQ(cross_of(a_rotated, b_reversed), expected);
    }
    CHECK(crossing > 10000);
}

TEST(overlap_depth_measures_the_shallowest_axis) {
    Vec3d a[3] = {{-1, -1, 0}, {2, -1, 0}, {-1, 2, 0}};
    Vec3d b[3] = {{0, 0, -0.25}, {0.5, 0, 1}, {0, 0.5, 1}};
    CHECK_NEAR(mf::overlap_depth(a, b), 0.25, 1e-12); // along a's normal
    Vec3d apart[3] = {{0, 0, 5}, {1, 0, 5}, {0, 1, 6}};
    CHECK(mf::overlap_depth(a, apart) < 0);
}

TEST(triangles_intersect_ignores_contacts_below_the_tolerance) {
    Vec3d a[3] = {{-1, -1, 0}, {2, -1, 0}, {-1, 2, 0}};
    for (double depth : {1e-7, 1e-12}) {
        for (double offset : {0.0, 1000.0}) { // the tolerance grows with the coordinates
            Vec3d aa[3], b[3] = {{0, 0, -depth}, {0.5, 0, 1}, {0, 0.5, 1}};
            for (int i = 0; i < 3; ++i) {
                aa[i] = {a[i].x + offset, a[i].y, a[i].z};
                b[i].x += offset;
            }
            CHECK(mf::triangles_cross(aa, b));
            bool expected = depth > mf::kContactTolerance * (1.0 + offset);
            CHECK_EQ(mf::triangles_intersect(aa, b), expected);
        }
    }
}

int main() { return mf_test::run_all_tests(); }

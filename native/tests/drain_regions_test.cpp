// The grid-level pieces of hollowing's speed-ups, on hand-made inputs: the drainage proof by regions of runs,
// and the crossing search restricted to faces near moved corners.
#include "check.hpp"

#include "crossing_near.hpp"
#include "drain_holes.hpp"
#include "progress.hpp"
#include "self_intersections.hpp"

#include <algorithm>

namespace {

// A 14 x 12 x 12 grid: material (negative) in the box 1..12 x 1..10 x 1..10, two cavities (positive, labelled
// 1 and 2) inside it, and `channel`: a column of empty points from cavity 1 straight down to the outside.
struct Solid {
    mf::ScalarGrid grid;
    mf::CavityMap cavities;
};

Solid solid_with_cavities(bool channel) {
    Solid s;
    mf::ScalarGrid &g = s.grid;
    g.dims[0] = 14, g.dims[1] = 12, g.dims[2] = 12;
    g.h = 1;
    g.field.assign(g.point_count(), 1.0f);
    s.cavities.label.assign(g.point_count(), 0);
    s.cavities.count = 2;
    for (int64_t k = 1; k <= 10; ++k)
        for (int64_t j = 1; j <= 10; ++j)
            for (int64_t i = 1; i <= 12; ++i) g.field[g.id(i, j, k)] = -1.0f;
    for (int64_t k = 4; k <= 7; ++k)
        for (int64_t j = 4; j <= 7; ++j) {
            for (int64_t i = 3; i <= 5; ++i) g.field[g.id(i, j, k)] = 1.0f, s.cavities.label[g.id(i, j, k)] = 1;
            for (int64_t i = 8; i <= 10; ++i) g.field[g.id(i, j, k)] = 1.0f, s.cavities.label[g.id(i, j, k)] = 2;
        }
    if (channel)
        for (int64_t k = 0; k < 4; ++k) g.field[g.id(4, 5, k)] = 1.0f;
    return s;
}

TEST(a_cavity_drains_through_a_channel_of_one_point_and_a_sealed_one_does_not) {
    mf::Progress progress(nullptr, nullptr, 0);
    Solid open = solid_with_cavities(true);
    std::vector<uint8_t> drained = mf::drained_cavities(open.grid, open.cavities, progress);
    CHECK_EQ(drained.size(), size_t(3));
    CHECK_EQ(int(drained[1]), 1);
    CHECK_EQ(int(drained[2]), 0);
    Solid sealed = solid_with_cavities(false);
    drained = mf::drained_cavities(sealed.grid, sealed.cavities, progress);
    CHECK_EQ(int(drained[1]), 0);
    CHECK_EQ(int(drained[2]), 0);
    // The channel stops one point short of the outside: still sealed.
    open.grid.field[open.grid.id(4, 5, 0)] = -1.0f;
    drained = mf::drained_cavities(open.grid, open.cavities, progress);
    CHECK_EQ(int(drained[1]), 0);
}

TEST(crossings_after_a_move_are_found_near_the_moved_corner_as_a_full_search_finds_them) {
    mf::Progress progress(nullptr, nullptr, 0);
    // A strip of 20 flat unit squares along x at z = 0, and one triangle standing above square 7.
    std::vector<mf::Vec3d> positions;
    std::vector<uint32_t> tris;
    for (int i = 0; i <= 20; ++i) positions.push_back({double(i), 0, 0}), positions.push_back({double(i), 1, 0});
    for (uint32_t i = 0; i < 20; ++i) {
        const uint32_t a = 2 * i, b = 2 * i + 2, c = 2 * i + 3, d = 2 * i + 1;
        tris.insert(tris.end(), {a, b, c, a, c, d});
    }
    const uint32_t top = uint32_t(positions.size());
    positions.push_back({7.2, 0.3, 0.5});
    positions.push_back({7.8, 0.3, 0.5});
    positions.push_back({7.5, 0.7, 1.5});
    tris.insert(tris.end(), {top, top + 1, top + 2});
    std::vector<uint8_t> moved(positions.size(), 0);
    CHECK(mf::find_crossing_faces(tris, positions, &progress).empty());
    // Its top corner pushed down through the strip.
    positions[top + 2].z = -1.0;
    moved[top + 2] = 1;
    const std::vector<uint32_t> near = mf::find_crossing_faces_near(tris, positions, moved, progress);
    const std::vector<uint32_t> full = mf::find_crossing_faces(tris, positions, &progress);
    CHECK(!full.empty());
    CHECK(near == full);
    CHECK(std::find(near.begin(), near.end(), 40u) != near.end());
    // Nothing marked moved: no pair is searched (the crossing above is one the caller vouches did not happen).
    std::fill(moved.begin(), moved.end(), 0);
    CHECK(mf::find_crossing_faces_near(tris, positions, moved, progress).empty());
}

} // namespace

int main() { return mf_test::run_all_tests(); }

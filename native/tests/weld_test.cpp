// The exact weld: bit-equal positions merge (with -0.0 == +0.0), anything else stays apart.
#include "check.hpp"

#include "weld.hpp"
#include "weld_tolerance.hpp"

#include <bit>
#include <cmath>
#include <map>
#include <random>
#include <tuple>
#include <vector>

namespace {

mf::MeshView view_of(const std::vector<float> &xyz, uint32_t stride = 12) {
    mf::MeshView v;
    v.positions = reinterpret_cast<const unsigned char *>(xyz.data());
    v.vertex_count = xyz.size() * sizeof(float) / stride;
    v.stride = stride;
    return v;
}

} // namespace

TEST(equal_positions_weld_to_one_vertex) {
    std::vector<float> xyz = {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1, 2, 3};
    mf::WeldResult w = mf::weld_exact(view_of(xyz), nullptr);
    CHECK_EQ(w.positions.size(), 2u);
    CHECK_EQ(w.remap[0], 0u);
    CHECK_EQ(w.remap[1], 1u);
    CHECK_EQ(w.remap[2], 0u);
    CHECK_EQ(w.remap[3], 1u);
    CHECK_EQ(w.remap[4], 0u);
    CHECK_EQ(w.positions[1].x, 4.0f); // first occurrence order
}

TEST(negative_zero_welds_with_positive_zero_and_comes_out_positive) {
    std::vector<float> xyz = {-0.0f, 0.0f, -0.0f, 0.0f, -0.0f, 0.0f};
    mf::WeldResult w = mf::weld_exact(view_of(xyz), nullptr);
    CHECK_EQ(w.positions.size(), 1u);
    CHECK(!std::signbit(w.positions[0].x) && !std::signbit(w.positions[0].z));
}

TEST(nearly_equal_positions_stay_apart) {
    float next = std::nextafter(1.0f, 2.0f);
    std::vector<float> xyz = {1, 1, 1, 1, 1, next, 1, next, 1, next, 1, 1};
    CHECK_EQ(mf::weld_exact(view_of(xyz), nullptr).positions.size(), 4u);
}

TEST(stride_skips_interleaved_attributes) {
    // position, normal, position, normal: normals differ, positions are equal.
    std::vector<float> xyz = {1, 2, 3, 0, 0, 1, 1, 2, 3, 1, 0, 0};
    mf::WeldResult w = mf::weld_exact(view_of(xyz, 24), nullptr);
    CHECK_EQ(w.remap.size(), 2u);
    CHECK_EQ(w.positions.size(), 1u);
}

TEST(many_random_positions_match_an_ordered_map) {
    // Few distinct values per axis force many exact repeats and hash collisions.
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> pick(0, 15);
    const float values[16] = {0.0f, -0.0f, 1.0f, -1.0f, 0.5f, 1e-30f, 3e30f, 0.1f,
                              0.2f, 0.3f, 7.0f, 1e-45f, -2.5f, 1024.0f, 1025.0f, 1e6f};
    std::vector<float> xyz;
    for (int i = 0; i < 200000; ++i)
        for (int k = 0; k < 3; ++k) xyz.push_back(values[pick(rng)]);
    mf::WeldResult w = mf::weld_exact(view_of(xyz), nullptr);

    auto key = [](float f) { return f == 0.0f ? 0u : std::bit_cast<uint32_t>(f); };
    std::map<std::tuple<uint32_t, uint32_t, uint32_t>, uint32_t> reference;
    bool all_match = true;
    for (size_t v = 0; v < xyz.size() / 3; ++v) {
        auto k = std::make_tuple(key(xyz[3 * v]), key(xyz[3 * v + 1]), key(xyz[3 * v + 2]));
        auto [it, inserted] = reference.emplace(k, uint32_t(reference.size()));
        all_match &= w.remap[v] == it->second;
    }
    CHECK(all_match);
    CHECK_EQ(w.positions.size(), reference.size());
    CHECK_EQ(reference.size(), size_t(15 * 15 * 15)); // -0.0 folds into 0.0
}

TEST(float64_positions_weld_on_their_own_bits) {
    std::vector<double> xyz = {1, 2, 3, 1, 2, 3 + 1e-15, -0.0, 0, 0, 0, -0.0, 0, 1, 2, 3};
    mf::MeshView v;
    v.positions = reinterpret_cast<const unsigned char *>(xyz.data());
    v.vertex_count = 5;
    v.stride = 24;
    v.float64 = true;
    mf::WeldResult w = mf::weld_exact(v, nullptr);
    CHECK_EQ(w.positions.size(), 3u);
    CHECK_EQ(w.remap[4], 0u);
    CHECK_EQ(w.remap[3], 2u);
    CHECK_EQ(w.positions[1].z, 3 + 1e-15);
}

// Coordinates 1e30 tolerances from the origin lie beyond int64 cells and are clamped into the outermost cell
// (converting them was undefined behaviour, a libFuzzer finding: testdata/fuzz/kernel/repair/
// weld_cell_out_of_int64); two distinct doubles there are never within the tolerance, so they stay apart, and
// vertices near the origin still merge.
TEST(tolerance_weld_beyond_int64_cells_keeps_far_vertices_apart) {
    mf::IndexedMesh mesh;
    mesh.positions = {{1e30, 0, 0}, {2e30, 0, 0}, {-1e30, 5, 0}, {-1e30, 5, -3e30}, {0, 0, 0}, {0.5, 0, 0}};
    uint64_t merged = 0;
    std::vector<uint32_t> ids = mf::weld_with_tolerance(mesh, 1, merged);
    CHECK_EQ(merged, 1u);
    CHECK_EQ(ids[4], ids[5]);
    CHECK(ids[0] != ids[1] && ids[1] != ids[2] && ids[2] != ids[3] && ids[0] != ids[4]);
    CHECK_EQ(mesh.positions[5].x, 0.0);
}

int main() { return mf_test::run_all_tests(); }

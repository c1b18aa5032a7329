// The C boundary: every mf_ entry point refuses a bad mesh through the one validator, with the same code and
// the same sentence, and leaves its outputs zeroed.
#include "check.hpp"
#include "mesh_fixtures.hpp"

#include <meshforge/kernel.h>

#include <cstring>
#include <limits>
#include <string>

using mf_test::Mesh;

namespace {

bool contains(const char *text, const char *part) { return std::strstr(text, part) != nullptr; }

struct Answers {
    int32_t inspect, repair, hausdorff;
    std::string inspect_message, repair_message, hausdorff_message;
};

// Runs the three entry points that take meshes on `bad` (mf_hausdorff as its first mesh, a good cube second).
Answers ask_every_entry_point(const mf_mesh &bad) {
    Answers a{};
    mf_error e{};
    mf_inspect_report report{};
    a.inspect = mf_inspect(&bad, nullptr, &report, &e);
    a.inspect_message = e.message;
    mf_repair_result result{};
    a.repair = mf_repair(&bad, nullptr, &result, &e);
    a.repair_message = e.message;
    CHECK(result.positions == nullptr && result.indices == nullptr && result.attributes == nullptr);
    const Mesh cube = mf_test::cube();
    const mf_mesh good = cube.view();
    mf_hausdorff_report h{};
    a.hausdorff = mf_hausdorff(&bad, &good, nullptr, &h, &e);
    a.hausdorff_message = e.message;
    CHECK_EQ(h.a_to_b, 0.0);
    return a;
}

// The three answer with `code`, inspect and repair in the same words (hausdorff names its mesh "mesh a"),
// and every sentence holds `part`.
void check_same_refusal(const mf_mesh &bad, int32_t code, const char *part) {
    Answers a = ask_every_entry_point(bad);
    CHECK_EQ(a.inspect, code);
    CHECK_EQ(a.repair, code);
    CHECK_EQ(a.hausdorff, code);
    CHECK_EQ(a.inspect_message, a.repair_message);
    CHECK(contains(a.inspect_message.c_str(), part));
    CHECK(contains(a.hausdorff_message.c_str(), part));
    CHECK(contains(a.hausdorff_message.c_str(), "mesh a"));
}

} // namespace

TEST(an_index_out_of_range_is_refused_alike_everywhere) {
    Mesh m = mf_test::cube();
    m.indices[7] = 99;
    check_same_refusal(m.view(), MF_ERR_INVALID_ARGUMENT, "Triangle 2 of the mesh");
}

TEST(a_non_finite_coordinate_is_refused_alike_everywhere) {
    Mesh m = mf_test::cube();
    m.positions[4] = std::numeric_limits<float>::infinity();
    check_same_refusal(m.view(), MF_ERR_INVALID_ARGUMENT, "non-finite coordinate");
}

TEST(a_float64_coordinate_beyond_the_float_range_is_refused_alike_everywhere) {
    Mesh m = mf_test::cube();
    std::vector<double> xyz(m.positions.begin(), m.positions.end());
    xyz[5] = 1e300;
    mf_mesh view = m.view();
    view.positions = reinterpret_cast<const float *>(xyz.data());
    view.position_type = MF_POSITIONS_FLOAT64;
    check_same_refusal(view, MF_ERR_INVALID_ARGUMENT, "beyond the supported range");
}

TEST(a_short_stride_and_an_unknown_position_type_are_refused_alike_everywhere) {
    Mesh m = mf_test::cube();
    mf_mesh view = m.view();
    view.position_stride = 8;
    check_same_refusal(view, MF_ERR_INVALID_ARGUMENT, "position_stride is 8 bytes");
    view = m.view();
    view.position_type = 7;
    check_same_refusal(view, MF_ERR_INVALID_ARGUMENT, "position_type is 7");
}

TEST(bad_attributes_are_refused_alike_everywhere) {
    Mesh m = mf_test::cube();
    std::vector<float> uv(16, 0.5f);
    uv[13] = std::numeric_limits<float>::quiet_NaN();
    mf_mesh view = m.view();
    view.attributes = uv.data();
    view.attribute_count = 2;
    check_same_refusal(view, MF_ERR_INVALID_ARGUMENT, "Attribute 1 of vertex 6");
    view.attribute_count = MF_MAX_ATTRIBUTES + 1;
    check_same_refusal(view, MF_ERR_INVALID_ARGUMENT, "attribute_count is 65");
    view.attribute_count = 2;
    view.attribute_stride = 4;
    check_same_refusal(view, MF_ERR_INVALID_ARGUMENT, "attribute_stride is 4 bytes");
    view.attribute_stride = 0;
    view.attributes = nullptr;
    check_same_refusal(view, MF_ERR_INVALID_ARGUMENT, "attributes is null");
}

TEST(counts_beyond_the_limits_are_a_limit_error_before_any_buffer_is_read) {
    Mesh m = mf_test::cube();
    mf_mesh view = m.view();
    view.triangle_count = MF_MAX_TRIANGLES + 1; // the indices buffer is far shorter: it must not be read
    check_same_refusal(view, MF_ERR_LIMIT, "more than the 1431655765");
    view = m.view();
    view.vertex_count = MF_MAX_VERTICES + 1;
    check_same_refusal(view, MF_ERR_LIMIT, "more than the 4294967295");
}

TEST(null_buffers_and_a_null_mesh_are_refused_alike_everywhere) {
    Mesh m = mf_test::cube();
    mf_mesh view = m.view();
    view.positions = nullptr;
    check_same_refusal(view, MF_ERR_INVALID_ARGUMENT, "positions is null");
    view = m.view();
    view.indices = nullptr;
    check_same_refusal(view, MF_ERR_INVALID_ARGUMENT, "indices is null");
    mf_error e{};
    mf_inspect_report report{};
    CHECK_EQ(mf_inspect(nullptr, nullptr, &report, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(contains(e.message, "The mesh is null"));
}

TEST(a_good_call_after_a_refused_one_leaves_no_stale_message) {
    Mesh m = mf_test::cube();
    m.indices[0] = 50;
    mf_mesh bad = m.view();
    mf_error e{};
    mf_inspect_report report{};
    CHECK_EQ(mf_inspect(&bad, nullptr, &report, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    const Mesh cube = mf_test::cube();
    const mf_mesh good = cube.view();
    CHECK_EQ(mf_inspect(&good, nullptr, &report, &e), int32_t(MF_OK));
    CHECK_EQ(e.code, int32_t(MF_OK));
    CHECK_EQ(std::string(e.message), std::string());
}

TEST(hausdorff_options_carry_their_limits) {
    const Mesh a = mf_test::cube(), b = mf_test::cube(1, 0.25f, 0, 0);
    const mf_mesh ma = a.view(), mb = b.view();
    mf_hausdorff_options o{};
    o.size = sizeof o;
    o.max_memory_bytes = 1000;
    mf_hausdorff_report h{};
    mf_error e{};
    CHECK_EQ(mf_hausdorff(&ma, &mb, &o, &h, &e), int32_t(MF_ERR_OUT_OF_MEMORY));
    CHECK(contains(e.message, "max_memory_bytes"));
    o.max_memory_bytes = 0;
    o.time_limit_seconds = -1;
    CHECK_EQ(mf_hausdorff(&ma, &mb, &o, &h, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(contains(e.message, "time_limit_seconds"));
    o.size = 16;
    CHECK_EQ(mf_hausdorff(&ma, &mb, &o, &h, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(contains(e.message, "sizeof(mf_hausdorff_options)"));
}

int main() { return mf_test::run_all_tests(); }

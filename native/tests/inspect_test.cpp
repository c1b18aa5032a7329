// mf_inspect through the C ABI: reports on meshes whose answers are known by construction, argument
// checks, progress, cancellation and limits.
#include "check.hpp"
#include "mesh_fixtures.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

using namespace mf_test;

namespace {

mf_inspect_report report_of(const Mesh &m, uint32_t flags = 0) {
    mf_inspect_report report;
    mf_error error;
    int32_t status = inspect(m, options(flags), report, error);
    if (status != MF_OK) fail(__FILE__, __LINE__, std::string("mf_inspect failed: ") + error.message);
    return report;
}

int32_t status_of(const Mesh &m, const mf_inspect_options &o, mf_error &error) {
    mf_inspect_report report;
    return inspect(m, o, report, error);
}

Mesh with_triangle_removed(Mesh m, size_t t) {
    m.indices.erase(m.indices.begin() + 3 * t, m.indices.begin() + 3 * t + 3);
    return m;
}

Mesh flipped(Mesh m, size_t t) {
    std::swap(m.indices[3 * t + 1], m.indices[3 * t + 2]);
    return m;
}

bool contains(const char *text, const char *part) { return std::strstr(text, part) != nullptr; }

} // namespace

TEST(cube_is_watertight_with_volume_one) {
    mf_inspect_report r = report_of(cube());
    CHECK_EQ(r.vertices, 8u);
    CHECK_EQ(r.triangles, 12u);
    CHECK_EQ(r.holes, 0u);
    CHECK_EQ(r.open_edges, 0u);
    CHECK_EQ(r.non_manifold_edges, 0u);
    CHECK_EQ(r.inconsistent_orientation_edges, 0u);
    CHECK_EQ(r.degenerate_faces, 0u);
    CHECK_EQ(r.duplicate_faces, 0u);
    CHECK_EQ(r.components, 1u);
    CHECK_EQ(r.intersecting_pairs, 0u);
    CHECK_EQ(r.watertight, 1);
    CHECK_NEAR(r.volume, 1.0, 1e-12);
    CHECK_NEAR(r.area, 6.0, 1e-12);
    for (int k = 0; k < 3; ++k) {
        CHECK_EQ(r.bbox_min[k], 0.0);
        CHECK_EQ(r.bbox_max[k], 1.0);
    }
}

TEST(triangle_soup_cube_welds_to_eight_vertices) {
    mf_inspect_report r = report_of(soup(cube(2, 1, 0, 0)));
    CHECK_EQ(r.vertices, 8u);
    CHECK_EQ(r.watertight, 1);
    CHECK_EQ(r.components, 1u);
    CHECK_NEAR(r.volume, 8.0, 1e-12);
    CHECK_NEAR(r.area, 24.0, 1e-12);
    CHECK_EQ(r.bbox_min[0], 1.0);
    CHECK_EQ(r.bbox_max[0], 3.0);
}

TEST(inverted_cube_is_watertight_with_negative_volume) {
    Mesh m = cube();
    for (size_t t = 0; t < 12; ++t) m = flipped(m, t);
    mf_inspect_report r = report_of(m);
    CHECK_EQ(r.watertight, 1);
    CHECK_EQ(r.inconsistent_orientation_edges, 0u);
    CHECK_NEAR(r.volume, -1.0, 1e-12);
}

TEST(flipped_face_counts_three_inconsistent_edges) {
    mf_inspect_report r = report_of(flipped(cube(), 4));
    CHECK_EQ(r.inconsistent_orientation_edges, 3u);
    CHECK_EQ(r.open_edges, 0u);
    CHECK_EQ(r.non_manifold_edges, 0u);
    CHECK_EQ(r.watertight, 0);
}

TEST(open_box_has_one_hole_of_four_edges) {
    mf_inspect_report r = report_of(with_triangle_removed(with_triangle_removed(cube(), 3), 2));
    CHECK_EQ(r.holes, 1u);
    CHECK_EQ(r.open_edges, 4u);
    CHECK_EQ(r.components, 1u);
    CHECK_EQ(r.watertight, 0);
}

TEST(two_open_boxes_have_two_holes) {
    Mesh open = with_triangle_removed(with_triangle_removed(cube(), 3), 2);
    mf_inspect_report r = report_of(merged(open, soup(with_triangle_removed(cube(1, 5, 0, 0), 0))));
    CHECK_EQ(r.holes, 2u);
    CHECK_EQ(r.open_edges, 7u);
    CHECK_EQ(r.components, 2u);
}

TEST(boundaries_meeting_at_a_vertex_are_one_hole) {
    // Two triangles touching at one vertex: a figure-eight boundary, one connected piece.
    Mesh m;
    uint32_t c = m.add_vertex(0, 0, 0);
    m.add_triangle(c, m.add_vertex(1, 0, 0), m.add_vertex(1, 1, 0));
    m.add_triangle(c, m.add_vertex(-1, 0, 0), m.add_vertex(-1, -1, 0));
    mf_inspect_report r = report_of(m);
    CHECK_EQ(r.open_edges, 6u);
    CHECK_EQ(r.holes, 1u);
    CHECK_EQ(r.components, 1u); // connected through the shared vertex
}

TEST(separate_triangles_are_separate_components_and_holes) {
    Mesh m;
    m.add_triangle(m.add_vertex(0, 0, 0), m.add_vertex(1, 0, 0), m.add_vertex(0, 1, 0));
    m.add_triangle(m.add_vertex(5, 0, 0), m.add_vertex(6, 0, 0), m.add_vertex(5, 1, 0));
    mf_inspect_report r = report_of(m);
    CHECK_EQ(r.components, 2u);
    CHECK_EQ(r.holes, 2u);
    CHECK_EQ(r.open_edges, 6u);
}

TEST(fin_on_a_cube_edge_is_non_manifold) {
    Mesh m = cube();
    m.add_triangle(0, 1, m.add_vertex(0.5f, -1, -1)); // runs 0 -> 1 like face 4 does
    mf_inspect_report r = report_of(m);
    CHECK_EQ(r.non_manifold_edges, 1u);
    CHECK_EQ(r.inconsistent_orientation_edges, 1u);
    CHECK_EQ(r.open_edges, 2u);
    CHECK_EQ(r.holes, 1u);
    CHECK_EQ(r.watertight, 0);
}

TEST(bowtie_of_two_cubes_sharing_an_edge_is_non_manifold) {
    // Four faces on the shared edge, two running each way.
    mf_inspect_report r = report_of(soup(merged(cube(), cube(1, 1, 1, 0))));
    CHECK_EQ(r.vertices, 14u);
    CHECK_EQ(r.non_manifold_edges, 1u);
    CHECK_EQ(r.inconsistent_orientation_edges, 2u);
    CHECK_EQ(r.open_edges, 0u);
    CHECK_EQ(r.components, 1u);
    CHECK_EQ(r.intersecting_pairs, 0u);
    CHECK_NEAR(r.volume, 2.0, 1e-12);
}

TEST(collinear_and_repeated_vertex_faces_are_degenerate) {
    Mesh m;
    m.add_triangle(m.add_vertex(0, 0, 0), m.add_vertex(1, 1, 1), m.add_vertex(3, 3, 3)); // collinear
    uint32_t a = m.add_vertex(5, 0, 0);
    m.add_triangle(a, a, m.add_vertex(6, 0, 0)); // repeated vertex: no proper edges
    m.add_triangle(m.add_vertex(9, 0, 0), m.add_vertex(10, 0, 0), m.add_vertex(9, 1, 0));
    mf_inspect_report r = report_of(m);
    CHECK_EQ(r.degenerate_faces, 2u);
    CHECK_EQ(r.open_edges, 6u); // the collinear face keeps its edges, the collapsed one has none
    CHECK_EQ(r.holes, 2u);
    CHECK_EQ(r.components, 3u);
    CHECK_NEAR(r.area, 0.5, 1e-12);
}

TEST(sliver_far_below_the_model_size_is_degenerate) {
    Mesh m = cube(1000);
    // Height 1e-9 on a 1000-unit model: area ratio to the squared diagonal far below 1e-12.
    m.add_triangle(m.add_vertex(0, 0, 2000), m.add_vertex(1, 0, 2000), m.add_vertex(0.5f, 1e-9f, 2000));
    CHECK_EQ(report_of(m).degenerate_faces, 1u);
}

TEST(duplicate_faces_count_extra_copies_in_any_order) {
    Mesh m = cube();
    m.add_triangle(0, 2, 3); // copy of face 0
    m.add_triangle(3, 0, 2); // rotated copy of face 0
    m.add_triangle(0, 1, 3); // face 1 reversed
    mf_inspect_report r = report_of(m);
    CHECK_EQ(r.duplicate_faces, 3u);
    CHECK_EQ(r.watertight, 0);
}

TEST(negative_zero_welds_with_positive_zero) {
    Mesh m;
    m.add_triangle(m.add_vertex(0, 0, 0), m.add_vertex(1, 0, 0), m.add_vertex(0, 1, 0));
    m.add_triangle(m.add_vertex(1, -0.0f, 0), m.add_vertex(1, 1, 0), m.add_vertex(-0.0f, 1, -0.0f));
    mf_inspect_report r = report_of(m);
    CHECK_EQ(r.vertices, 4u);
    CHECK_EQ(r.open_edges, 4u);
    CHECK_EQ(r.holes, 1u);
}

TEST(two_crossing_triangles_intersect) {
    Mesh m;
    m.add_triangle(m.add_vertex(-1, -1, 0), m.add_vertex(2, -1, 0), m.add_vertex(-1, 2, 0));
    m.add_triangle(m.add_vertex(0, 0, -1), m.add_vertex(0.5f, 0, 1), m.add_vertex(0, 0.5f, 1));
    mf_inspect_report r = report_of(m);
    CHECK_EQ(r.intersecting_pairs, 1u);
    CHECK_EQ(report_of(m, MF_INSPECT_SKIP_INTERSECTIONS).intersecting_pairs, 0u);
}

TEST(shared_edge_triangles_do_not_count) {
    // Folded onto each other through their common edge: they overlap, but they are neighbours.
    Mesh m;
    uint32_t a = m.add_vertex(0, 0, 0), b = m.add_vertex(1, 0, 0);
    m.add_triangle(a, b, m.add_vertex(0.5f, 1, 0));
    m.add_triangle(b, a, m.add_vertex(0.6f, 1, 0.01f));
    CHECK_EQ(report_of(m).intersecting_pairs, 0u);
}

TEST(shared_vertex_triangles_do_not_count) {
    Mesh m;
    uint32_t o = m.add_vertex(0, 0, 0);
    m.add_triangle(o, m.add_vertex(2, 0, 0), m.add_vertex(0, 2, 0));
    m.add_triangle(o, m.add_vertex(0.5f, 0.5f, -1), m.add_vertex(0.5f, 0.5f, 1)); // cuts through the first
    CHECK_EQ(report_of(m).intersecting_pairs, 0u);
}

TEST(touching_triangles_do_not_count) {
    Mesh m;
    m.add_triangle(m.add_vertex(0, 0, 0), m.add_vertex(4, 0, 0), m.add_vertex(0, 4, 0));
    m.add_triangle(m.add_vertex(1, 1, 0), m.add_vertex(2, 1, 1), m.add_vertex(1, 2, 1)); // vertex on the face
    m.add_triangle(m.add_vertex(1, 0.5f, 0), m.add_vertex(2, 0.5f, 0), m.add_vertex(1.5f, 0.5f, 2)); // edge on it
    CHECK_EQ(report_of(m).intersecting_pairs, 0u);
}

TEST(coplanar_overlapping_triangles_do_not_count) {
    Mesh m;
    m.add_triangle(m.add_vertex(0, 0, 0), m.add_vertex(4, 0, 0), m.add_vertex(0, 4, 0));
    m.add_triangle(m.add_vertex(1, 1, 0), m.add_vertex(5, 1, 0), m.add_vertex(1, 5, 0));
    CHECK_EQ(report_of(m).intersecting_pairs, 0u);
}

TEST(crossing_shallower_than_the_contact_tolerance_does_not_count) {
    for (float depth : {1e-12f, 1e-6f}) {
        Mesh m;
        m.add_triangle(m.add_vertex(-1, -1, 0), m.add_vertex(2, -1, 0), m.add_vertex(-1, 2, 0));
        m.add_triangle(m.add_vertex(0, 0, -depth), m.add_vertex(0.5f, 0, 1), m.add_vertex(0, 0.5f, 1));
        CHECK_EQ(report_of(m).intersecting_pairs, depth > 1e-9f ? 1u : 0u);
    }
}

TEST(interpenetrating_spheres_intersect_and_stay_watertight) {
    Mesh one = icosphere(3);
    mf_inspect_report alone = report_of(one);
    CHECK_EQ(alone.intersecting_pairs, 0u);
    CHECK_EQ(alone.watertight, 1);
    mf_inspect_report r = report_of(merged(one, icosphere(3, 1, 1.0f, 0.1f, 0.05f)));
    CHECK_EQ(r.components, 2u);
    CHECK_EQ(r.watertight, 1);
    CHECK(r.intersecting_pairs > 0);
    CHECK_EQ(r.triangles, 2u * 1280u);
}

TEST(strided_positions_are_read) {
    Mesh c = cube();
    std::vector<float> interleaved; // position, then a normal-sized gap of garbage
    for (size_t v = 0; v < c.vertex_count(); ++v) {
        interleaved.insert(interleaved.end(), c.positions.begin() + 3 * v, c.positions.begin() + 3 * v + 3);
        interleaved.insert(interleaved.end(), {std::numeric_limits<float>::quiet_NaN(), 7, 7});
    }
    mf_mesh view = c.view();
    view.positions = interleaved.data();
    view.position_stride = 24;
    mf_inspect_options o = options();
    mf_inspect_report r;
    mf_error e;
    CHECK_EQ(mf_inspect(&view, &o, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.watertight, 1);
    CHECK_NEAR(r.volume, 1.0, 1e-12);
}

TEST(float64_positions_keep_apart_what_float32_would_merge) {
    // Two triangles meant to share an edge, one corner off by 1e-12: equal once rounded to float.
    std::vector<double> xyz = {0, 0, 0, 1, 0, 0, 0, 1, 0, 1 + 1e-12, 0, 0, 1, 1, 0, 0, 1, 0};
    std::vector<uint32_t> indices = {0, 1, 2, 3, 4, 5};
    mf_mesh view{};
    view.positions = reinterpret_cast<const float *>(xyz.data());
    view.position_type = MF_POSITIONS_FLOAT64;
    view.vertex_count = 6;
    view.indices = indices.data();
    view.triangle_count = 2;
    mf_inspect_options o = options();
    mf_inspect_report r;
    mf_error e;
    CHECK_EQ(mf_inspect(&view, &o, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.vertices, 5u);
    CHECK_EQ(r.open_edges, 6u);
    CHECK_NEAR(r.area, 1.0, 1e-9);

    std::vector<float> rounded(xyz.begin(), xyz.end());
    view.positions = rounded.data();
    view.position_type = MF_POSITIONS_FLOAT32;
    CHECK_EQ(mf_inspect(&view, &o, &r, &e), int32_t(MF_OK));
    CHECK_EQ(r.vertices, 4u);
    CHECK_EQ(r.open_edges, 4u);
}

TEST(float64_positions_are_checked_like_float32_ones) {
    std::vector<double> xyz = {0, 0, 0, 1, 0, 0, 0, 1e39, 0};
    std::vector<uint32_t> indices = {0, 1, 2};
    mf_mesh view{};
    view.positions = reinterpret_cast<const float *>(xyz.data());
    view.position_type = MF_POSITIONS_FLOAT64;
    view.vertex_count = 3;
    view.indices = indices.data();
    view.triangle_count = 1;
    mf_inspect_options o = options();
    mf_inspect_report r;
    mf_error e;
    CHECK_EQ(mf_inspect(&view, &o, &r, &e), int32_t(MF_ERR_INVALID_ARGUMENT)); // beyond the float range
    CHECK(contains(e.message, "Vertex 2 "));
    xyz[7] = std::nan("");
    CHECK_EQ(mf_inspect(&view, &o, &r, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    xyz[7] = 1;
    view.position_stride = 12; // shorter than three doubles
    CHECK_EQ(mf_inspect(&view, &o, &r, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    view.position_stride = 0;
    view.position_type = 7;
    CHECK_EQ(mf_inspect(&view, &o, &r, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(contains(e.message, "position_type"));
    view.position_type = MF_POSITIONS_FLOAT64;
    CHECK_EQ(mf_inspect(&view, &o, &r, &e), int32_t(MF_OK));
    CHECK_NEAR(r.area, 0.5, 1e-12);
}

TEST(zero_area_face_piercing_a_face_intersects_but_a_collapsed_one_does_not) {
    // A collinear face with three distinct corners is a flat sliver of the surface and still crosses
    // what it passes through; a face that repeats a vertex is no triangle at all (it has no edges
    // either) and is left out.
    Mesh m;
    m.add_triangle(m.add_vertex(-1, -1, 0), m.add_vertex(2, -1, 0), m.add_vertex(-1, 2, 0));
    m.add_triangle(m.add_vertex(0, 0, -1), m.add_vertex(0, 0, 1), m.add_vertex(0, 0, 0.5f));
    CHECK_EQ(report_of(m).intersecting_pairs, 1u);
    Mesh collapsed;
    collapsed.add_triangle(collapsed.add_vertex(-1, -1, 0), collapsed.add_vertex(2, -1, 0), collapsed.add_vertex(-1, 2, 0));
    uint32_t top = collapsed.add_vertex(0, 0, 1);
    collapsed.add_triangle(collapsed.add_vertex(0, 0, -1), top, top);
    CHECK_EQ(report_of(collapsed).intersecting_pairs, 0u);
}

TEST(empty_mesh_reports_zeros) {
    mf_inspect_report r = report_of(Mesh{});
    CHECK_EQ(r.vertices, 0u);
    CHECK_EQ(r.triangles, 0u);
    CHECK_EQ(r.components, 0u);
    CHECK_EQ(r.watertight, 0);
    CHECK_EQ(r.volume, 0.0);
}

TEST(index_out_of_range_is_refused) {
    Mesh m = cube();
    m.indices[7] = 99; // triangle 2
    mf_error e;
    CHECK_EQ(status_of(m, options(), e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK_EQ(e.code, int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(contains(e.message, "Triangle 2 "));
    CHECK(contains(e.message, "vertex 99"));
}

TEST(nan_coordinate_is_refused) {
    Mesh m = cube();
    m.positions[4] = std::numeric_limits<float>::quiet_NaN(); // vertex 1
    mf_error e;
    CHECK_EQ(status_of(m, options(), e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(contains(e.message, "Vertex 1 "));
}

TEST(infinite_coordinate_is_refused) {
    Mesh m = cube();
    m.positions[23] = -std::numeric_limits<float>::infinity();
    mf_error e;
    CHECK_EQ(status_of(m, options(), e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(contains(e.message, "Vertex 7 "));
}

TEST(null_arguments_are_refused) {
    Mesh m = cube();
    mf_mesh view = m.view();
    mf_inspect_options o = options();
    mf_inspect_report r;
    mf_error e;
    CHECK_EQ(mf_inspect(nullptr, &o, &r, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK_EQ(mf_inspect(&view, &o, nullptr, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK_EQ(mf_inspect(&view, &o, &r, nullptr), int32_t(MF_OK)); // the error is optional
    CHECK_EQ(mf_inspect(&view, nullptr, &r, &e), int32_t(MF_OK)); // so are the options
    view.positions = nullptr;
    CHECK_EQ(mf_inspect(&view, &o, &r, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(contains(e.message, "positions"));
    view = m.view();
    view.indices = nullptr;
    CHECK_EQ(mf_inspect(&view, &o, &r, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(contains(e.message, "indices"));
}

TEST(wrong_options_size_is_refused) {
    mf_inspect_options o = options();
    o.size = 8;
    mf_error e;
    CHECK_EQ(status_of(cube(), o, e), int32_t(MF_ERR_INVALID_ARGUMENT));
    CHECK(contains(e.message, "options.size"));
}

TEST(stride_shorter_than_a_position_is_refused) {
    Mesh m = cube();
    mf_mesh view = m.view();
    view.position_stride = 8;
    mf_inspect_options o = options();
    mf_inspect_report r;
    mf_error e;
    CHECK_EQ(mf_inspect(&view, &o, &r, &e), int32_t(MF_ERR_INVALID_ARGUMENT));
}

namespace {

struct Recorder {
    std::vector<double> fractions;
    std::vector<std::string> stages;
    int cancel_at = -1; // call index that returns "stop"
};

int32_t record(void *user, double fraction, const char *stage) {
    auto *r = static_cast<Recorder *>(user);
    r->fractions.push_back(fraction);
    r->stages.push_back(stage);
    return int32_t(r->fractions.size()) - 1 == r->cancel_at ? 1 : 0;
}

} // namespace

TEST(progress_is_reported_in_order_up_to_one) {
    Recorder rec;
    mf_inspect_options o = options();
    o.progress = record;
    o.progress_user = &rec;
    mf_error e;
    CHECK_EQ(status_of(icosphere(4), o, e), int32_t(MF_OK));
    CHECK(rec.fractions.size() >= 5);
    for (size_t i = 1; i < rec.fractions.size(); ++i) CHECK(rec.fractions[i] >= rec.fractions[i - 1]);
    CHECK_EQ(rec.fractions.back(), 1.0);
    CHECK_EQ(rec.stages.back(), std::string("done"));
}

TEST(cancelled_by_progress_callback) {
    for (int at : {0, 2, 4}) {
        Recorder rec;
        rec.cancel_at = at;
        mf_inspect_options o = options();
        o.progress = record;
        o.progress_user = &rec;
        mf_inspect_report r;
        mf_error e;
        CHECK_EQ(inspect(icosphere(4), o, r, e), int32_t(MF_ERR_CANCELLED));
        CHECK_EQ(e.code, int32_t(MF_ERR_CANCELLED));
        CHECK(contains(e.message, "cancelled"));
        CHECK_EQ(int(rec.fractions.size()), at + 1); // no call after the one that cancelled
        CHECK_EQ(r.triangles, 0u);                   // no half-filled report
    }
}

namespace {

struct StageCanceller {
    int intersection_calls = 0;
    int calls_after_cancel = 0;
    bool cancelled = false;
};

int32_t cancel_inside_search(void *user, double, const char *stage) {
    auto *c = static_cast<StageCanceller *>(user);
    if (c->cancelled) ++c->calls_after_cancel;
    if (std::string(stage) == "intersections" && ++c->intersection_calls == 3) c->cancelled = true;
    return c->cancelled ? 1 : 0;
}

} // namespace

TEST(cancelled_during_the_threaded_intersection_search) {
    StageCanceller canceller;
    mf_inspect_options o = options();
    o.progress = cancel_inside_search;
    o.progress_user = &canceller;
    mf_error e;
    CHECK_EQ(status_of(merged(icosphere(5), icosphere(5, 1, 0.5f)), o, e), int32_t(MF_ERR_CANCELLED));
    CHECK_EQ(canceller.intersection_calls, 3);
    CHECK_EQ(canceller.calls_after_cancel, 0);
}

TEST(time_limit_is_reported_as_limit) {
    mf_inspect_options o = options();
    o.time_limit_seconds = 1e-9;
    mf_error e;
    CHECK_EQ(status_of(icosphere(3), o, e), int32_t(MF_ERR_LIMIT));
    CHECK(contains(e.message, "time limit"));
    o.time_limit_seconds = -1;
    CHECK_EQ(status_of(cube(), o, e), int32_t(MF_ERR_INVALID_ARGUMENT));
}

TEST(memory_limit_is_refused_up_front) {
    mf_inspect_options o = options();
    o.max_memory_bytes = 1000;
    Recorder rec;
    o.progress = record;
    o.progress_user = &rec;
    mf_error e;
    CHECK_EQ(status_of(icosphere(3), o, e), int32_t(MF_ERR_OUT_OF_MEMORY));
    CHECK(contains(e.message, "max_memory_bytes"));
    CHECK(rec.fractions.empty()); // refused before any work
    o.max_memory_bytes = uint64_t(1) << 30;
    CHECK_EQ(status_of(icosphere(3), o, e), int32_t(MF_OK));
}

TEST(abi_version_is_the_headers_and_version_is_set) {
    CHECK_EQ(mf_abi_version(), MF_ABI_VERSION);
    CHECK(mf_version() != nullptr && std::strlen(mf_version()) > 0);
}

int main() { return mf_test::run_all_tests(); }

// libFuzzer harness of mf_simplify: any mesh, each of the three targets (triangles, ratio, error) with values in
// and out of range, every flag, attribute weights absent, valid, NaN or negative, a quarter second and 256 MiB at
// most, and a cancel at some progress call. What it promises is checked on every success: indices into the
// input's vertices, no more triangles than the input, no face with two corners at one position, and a
// watertight manifold input (by mf_inspect, with no degenerate or duplicate face) still watertight.
#include "fuzz_input.hpp"

namespace {

[[noreturn]] void breach(const char *what) {
    std::fprintf(stderr, "mf_simplify: %s\n", what);
    std::abort();
}

// mf_inspect's report of a mesh, or false where it fails (then nothing is asserted of watertightness).
bool inspect(const mf_mesh &mesh, mf_inspect_report &report) {
    mf_inspect_options options{};
    options.size = sizeof options;
    options.flags = MF_INSPECT_SKIP_INTERSECTIONS;
    mf_error error;
    return mf_inspect(&mesh, &options, &report, &error) == MF_OK;
}

bool same_position(const mf_fuzz::Input &input, uint32_t a, uint32_t b) {
    for (int k = 0; k < 3; ++k)
        if (!(input.coordinate(a, k) == input.coordinate(b, k))) return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mf_fuzz::Input input = mf_fuzz::decode(data, size);
    mf_mesh mesh = input.view();
    mf_fuzz::CancelAfter cancel{0, unsigned(input.b >> 4)};
    auto options = mf_fuzz::opening<mf_simplify_options>(cancel, 256ull << 20, 0.25);
    options.flags = input.a & 7u; // bit 3 beyond the defined flags is never set: unknown flags are ignored
    // The target: a triangle count (0 and more than the input included), a ratio (beyond 1 refused), an error
    // bound (NaN and negative refused), or none of them (refused).
    const double ratios[4] = {input.c / 255.0, 0.5, 1.5, -0.25};
    const double errors[4] = {input.c / 1000.0, 1e-9, std::nan(""), -1};
    switch ((input.a >> 3) & 3u) {
    case 0: options.target_triangles = uint64_t(input.c) * ((input.b & 8) ? 40 : 1); break;
    case 1: options.target_ratio = ratios[input.b & 3u]; break;
    case 2: options.target_error = errors[input.b & 3u]; break;
    default: break;
    }
    // Weights a float: none (1 each), the byte's own, one NaN, one negative.
    std::vector<float> weights(input.attribute_count, float(input.c & 15u) / 4);
    switch ((input.a >> 5) & 3u) {
    case 0: break;
    case 1: options.attribute_weights = weights.data(); break;
    case 2: if (!weights.empty()) weights[0] = std::nanf(""); options.attribute_weights = weights.data(); break;
    default: if (!weights.empty()) weights[0] = -1; options.attribute_weights = weights.data(); break;
    }
    mf_simplify_result result;
    mf_error error;
    int32_t status = mf_simplify(&mesh, &options, &result, &error);
    mf_fuzz::check_status(status, error, "mf_simplify");
    if (status != MF_OK) return 0;
    if (result.triangle_count > 0 && result.indices == nullptr) breach("returned triangles without indices");
    if (result.triangle_count > mesh.triangle_count) breach("returned more triangles than it was given");
    for (uint64_t i = 0; i < 3 * result.triangle_count; ++i)
        if (result.indices[i] >= mesh.vertex_count) breach("returned an index beyond the input's vertices");
    for (uint64_t f = 0; f < result.triangle_count; ++f) {
        const uint32_t *t = result.indices + 3 * f;
        if (same_position(input, t[0], t[1]) || same_position(input, t[1], t[2]) || same_position(input, t[0], t[2]))
            breach("returned a face with two corners at one position");
    }
    mf_inspect_report before, after;
    if (inspect(mesh, before) && before.watertight && before.non_manifold_edges == 0 &&
        before.degenerate_faces == 0 && before.duplicate_faces == 0 && before.triangles > 0) {
        mf_mesh out = mesh;
        out.indices = result.indices;
        out.triangle_count = result.triangle_count;
        if (inspect(out, after) && !(after.watertight && after.non_manifold_edges == 0))
            breach("turned a watertight manifold input into a mesh that is not");
    }
    mf_free(result.indices);
    return 0;
}

// libFuzzer harness of mf_hollow on tiny budgets: a wall of 4-34 % of the model's half diagonal (or one
// that is zero, negative or NaN), every hole mode with up to four hole points taken from the vertices,
// a quarter second and 512 MiB at most, and a cancel at some progress call.
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mf_fuzz::Input input = mf_fuzz::decode(data, size);
    mf_mesh mesh = input.view();
    double scale = input.size();
    mf_fuzz::CancelAfter cancel{0, unsigned(input.c >> 5)};
    double points[12] = {};
    uint32_t hole_count = input.a >> 6;
    for (uint32_t h = 0; h < hole_count; ++h)
        for (int k = 0; k < 3; ++k)
            points[3 * h + k] = input.vertex_count ? input.coordinate((h * 7919u) % input.vertex_count, k) : 0;
    const double walls[4] = {0.04 + 0.3 * (input.c & 31u) / 31, 0, -0.1, NAN};
    auto options = mf_fuzz::opening<mf_hollow_options>(cancel, 512ull << 20, 0.25);
    options.flags = input.a & 3u;
    options.wall_thickness = scale * walls[(input.b >> 6) == 3 ? (input.a >> 2) & 3u : 0];
    options.closing_distance = (input.a & 16) ? options.wall_thickness / 2 : 0;
    options.quality = int32_t(input.b & 3u);
    options.holes = int32_t((input.b >> 2) & 3u); // 3 is not a hole mode: refused
    options.up[(input.b >> 4) % 3] = (input.a & 32) ? -1 : 1;
    options.hole_diameter = scale * (0.05 + 0.1 * ((input.b >> 4) & 3u));
    options.hole_points = hole_count ? points : nullptr;
    options.hole_count = hole_count;
    mf_hollow_result result;
    mf_error error;
    int32_t status = mf_hollow(&mesh, &options, &result, &error);
    mf_fuzz::check_status(status, error, "mf_hollow");
    if (status == MF_OK)
        mf_fuzz::check_result_mesh(result.positions, result.vertex_count, result.indices, result.triangle_count,
                                   "mf_hollow");
    mf_free(result.positions);
    mf_free(result.indices);
    mf_free(result.hole_positions);
    return 0;
}

// libFuzzer harness of mf_repair on tiny budgets: a coarse grid (4-67 cells), every flag, the weld tolerances
// at and beyond their range, a quarter second and 512 MiB at most, and a cancel at some progress call.
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mf_fuzz::Input input = mf_fuzz::decode(data, size);
    mf_mesh mesh = input.view();
    mf_fuzz::CancelAfter cancel{0, unsigned(input.b >> 4)};
    const double tolerances[4] = {0, -1, 1e-4, 0.02 /* beyond the documented 0.01: refused */};
    auto options = mf_fuzz::opening<mf_repair_options>(cancel, 512ull << 20, 0.25);
    options.flags = input.a & 31u;
    options.quality = int32_t(input.b & 3u); // 3 is not a quality: refused
    options.resolution = 4 + (input.c & 63u);
    options.target_triangles = (input.a & 32) ? input.c : 0;
    options.weld_tolerance = tolerances[(input.b >> 2) & 3u];
    mf_repair_result result;
    mf_error error;
    int32_t status = mf_repair(&mesh, &options, &result, &error);
    mf_fuzz::check_status(status, error, "mf_repair");
    if (status == MF_OK) {
        mf_fuzz::check_result_mesh(result.positions, result.vertex_count, result.indices, result.triangle_count,
                                   "mf_repair");
        if (result.stage != MF_REPAIR_UNCHANGED && !result.after.watertight) {
            std::fprintf(stderr, "mf_repair: returned a mesh that is not watertight\n");
            std::abort();
        }
    }
    mf_free(result.positions);
    mf_free(result.indices);
    mf_free(result.attributes);
    return 0;
}

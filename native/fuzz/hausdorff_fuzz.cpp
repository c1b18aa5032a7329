// libFuzzer harness of mf_hausdorff: the mesh's first triangles against the rest (either may be empty), with
// 0-1020 samples, a time limit, a memory limit and a cancel at some progress call.
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mf_fuzz::Input input = mf_fuzz::decode(data, size);
    uint64_t split = input.triangle_count() * input.a / 255;
    mf_mesh a = input.view(0, split), b = input.view(split);
    mf_fuzz::CancelAfter cancel{0, input.b & 7u};
    auto options =
        mf_fuzz::opening<mf_hausdorff_options>(cancel, (input.b & 8) ? 4096 : 0, (input.b & 16) ? 0.001 : 0.25);
    options.samples = 4u * input.c;
    mf_hausdorff_report report;
    mf_error error;
    int32_t status = mf_hausdorff(&a, &b, &options, &report, &error);
    mf_fuzz::check_status(status, error, "mf_hausdorff");
    if (status == MF_OK && !(report.a_to_b >= 0 && report.b_to_a >= 0)) std::abort();
    return 0;
}

// libFuzzer harness of mf_lost: the mesh's first triangles as the input against the rest as the solid (either may
// be empty; the solid need not be closed), with 0-1020 samples, a time limit, a memory limit and a cancel at some
// progress call. On success both measures are numbers in range: lost a distance of 0 or more, lost_area a share.
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mf_fuzz::Input input = mf_fuzz::decode(data, size);
    uint64_t split = input.triangle_count() * input.a / 255;
    mf_mesh a = input.view(0, split), b = input.view(split);
    mf_fuzz::CancelAfter cancel{0, input.b & 7u};
    auto options =
        mf_fuzz::opening<mf_hausdorff_options>(cancel, (input.b & 8) ? 4096 : 0, (input.b & 16) ? 0.001 : 0.25);
    options.samples = 4u * input.c;
    mf_lost_report report;
    mf_error error;
    int32_t status = mf_lost(&a, &b, &options, &report, &error);
    mf_fuzz::check_status(status, error, "mf_lost");
    if (status == MF_OK && !(report.lost >= 0 && report.lost_area >= 0 && report.lost_area <= 1)) {
        std::fprintf(stderr, "mf_lost: lost %g, lost_area %g\n", report.lost, report.lost_area);
        std::abort();
    }
    return 0;
}

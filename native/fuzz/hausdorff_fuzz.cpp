// libFuzzer harness of mf_hausdorff: the mesh's first triangles against the rest (either may be empty), with
// 0-1020 samples, a time limit, a memory limit and a cancel at some progress call (mf_fuzz::SurfacePair).
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mf_fuzz::Input input = mf_fuzz::decode(data, size);
    mf_fuzz::SurfacePair pair(input);
    mf_hausdorff_report report;
    mf_error error;
    int32_t status = mf_hausdorff(&pair.first, &pair.rest, &pair.options, &report, &error);
    mf_fuzz::check_status(status, error, "mf_hausdorff");
    if (status == MF_OK && !(report.a_to_b >= 0 && report.b_to_a >= 0)) std::abort();
    return 0;
}

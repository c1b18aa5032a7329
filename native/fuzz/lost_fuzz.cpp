// libFuzzer harness of mf_lost: the mesh's first triangles as the input against the rest as the solid (either may
// be empty; the solid need not be closed), with samples, limits and a cancel as mf_hausdorff's harness
// (mf_fuzz::SurfacePair). On success both measures are in range: lost a distance of 0 or more, lost_area a share.
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mf_fuzz::Input input = mf_fuzz::decode(data, size);
    mf_fuzz::SurfacePair pair(input);
    mf_lost_report report;
    mf_error error;
    int32_t status = mf_lost(&pair.first, &pair.rest, &pair.options, &report, &error);
    mf_fuzz::check_status(status, error, "mf_lost");
    if (status == MF_OK && !(report.lost >= 0 && report.lost_area >= 0 && report.lost_area <= 1)) {
        std::fprintf(stderr, "mf_lost: lost %g, lost_area %g\n", report.lost, report.lost_area);
        std::abort();
    }
    return 0;
}

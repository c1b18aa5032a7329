// libFuzzer harness of mf_inspect: any mesh and options, with or without the intersection search, a memory
// limit and a cancel at some progress call.
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mf_fuzz::Input input = mf_fuzz::decode(data, size);
    mf_mesh mesh = input.view();
    mf_fuzz::CancelAfter cancel{0, input.b & 15u};
    // a second without the tiny limit: the crossing search is quadratic on scattered triangles, and an input
    // that outlives its limit is the finding
    auto options = mf_fuzz::opening<mf_inspect_options>(cancel, (input.a & 2) ? uint64_t(input.c) << 10 : 0,
                                                        (input.a & 4) ? 0.001 : 1);
    options.flags = input.a & MF_INSPECT_SKIP_INTERSECTIONS;
    mf_inspect_report report;
    mf_error error;
    int32_t status = mf_inspect(&mesh, &options, &report, &error);
    mf_fuzz::check_status(status, error, "mf_inspect");
    if (status == MF_OK && report.triangles != mesh.triangle_count) std::abort();
    return 0;
}

// mf_repair's pipeline: the topological stage, its verdict by inspect and, where that is not enough, the
// volumetric rebuild; the stages have headers of their own and api_repair.cpp is the C boundary.
#pragma once

#include "indexed_mesh.hpp"
#include "mesh_view.hpp"
#include "repair_counters.hpp"
#include <meshforge/kernel.h>
#include <cstdint>

namespace mf {

// Input surface farther than this (fraction of the diagonal) outside the output counts as lost area.
constexpr double kLostFraction = 0.005;

class Progress;

struct RepairSettings {
    uint32_t flags = 0;
    uint32_t resolution = 200;
    uint64_t target_triangles = 0;
    double weld_tolerance = 1e-6; // fraction of the diagonal; <= 0: exact only
};

struct RepairOutcome {
    IndexedMesh mesh;
    int stage = MF_REPAIR_UNCHANGED;
    RepairCounters counters;
    mf_inspect_report before{}, after{};
    uint64_t parts_merged = 0;
    uint32_t resolution = 0;
    bool simplified = false;
    double hausdorff_out_in = -1, hausdorff_in_out = -1;
    double hausdorff_out_in_patched = -1; // output -> input and the topological stage's hole patches
    double lost = -1, lost_area = -1;     // the input outside the output: largest distance, share of the area
};

// True when a report shows what repair guarantees.
bool meets_guarantee(const mf_inspect_report &r);

// Repairs a validated mesh (its attributes, when it has any, are carried to the output's vertices).
void repair(const MeshView &mesh, const RepairSettings &settings, Progress &progress, RepairOutcome &outcome);

// An upper estimate of the bytes repair() allocates at its peak, checked against max_memory_bytes first.
uint64_t repair_memory_bytes(const MeshView &mesh, const RepairSettings &settings);

} // namespace mf

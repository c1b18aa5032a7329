// The mf_repair pipeline: inspect the input (pass it through when it already meets the guarantee), the
// topological stage, its verdict by inspect, and where that falls short the volumetric rebuild, its
// simplification (kept only when inspect still finds nothing wrong), attribute transfer and the sampled
// Hausdorff distances against the input (and against the input with the hole patches).
#include "repair.hpp"

#include "fill_holes.hpp"
#include "hausdorff.hpp"
#include "inspect.hpp"
#include "kernel_error.hpp"
#include "orient.hpp"
#include "progress.hpp"
#include "remesh_volume.hpp"
#include "remove_faces.hpp"
#include "simplify.hpp"
#include "split_nonmanifold.hpp"
#include "transfer_attributes.hpp"
#include "weld_tolerance.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace mf {

namespace {

constexpr double kSmallPartFraction = 0.002;
constexpr uint32_t kHausdorffSamples = 50000;
// Grid cell of simplify's crossing guard, in cells of the volumetric grid.
constexpr double kGuardCells = 2.0;

mf_inspect_report inspect_mesh(const IndexedMesh &mesh) {
    // Measured on float32 positions: what the caller receives and writes.
    std::vector<float> xyz(3 * mesh.positions.size());
    for (size_t v = 0; v < mesh.positions.size(); ++v) {
        xyz[3 * v] = float(mesh.positions[v].x);
        xyz[3 * v + 1] = float(mesh.positions[v].y);
        xyz[3 * v + 2] = float(mesh.positions[v].z);
    }
    MeshView view;
    view.positions = reinterpret_cast<const unsigned char *>(xyz.data());
    view.vertex_count = mesh.positions.size();
    view.stride = 12;
    view.indices = mesh.tris.data();
    view.triangle_count = mesh.tris.size() / 3;
    mf_inspect_report report{};
    Progress quiet(nullptr, nullptr, 0);
    inspect(view, InspectSettings{}, quiet, report);
    return report;
}

IndexedMesh copy_input(const MeshView &view) {
    IndexedMesh mesh;
    mesh.positions.resize(view.vertex_count);
    for (uint64_t v = 0; v < view.vertex_count; ++v) mesh.positions[v] = view.position(v);
    mesh.tris.assign(view.indices, view.indices + 3 * view.triangle_count);
    mesh.attribute_count = view.attributes ? view.attribute_count : 0;
    if (mesh.attribute_count > 0) {
        mesh.attributes.resize(view.vertex_count * mesh.attribute_count);
        for (uint64_t v = 0; v < view.vertex_count; ++v)
            std::memcpy(&mesh.attributes[v * mesh.attribute_count], view.attributes + v * view.attribute_stride,
                        sizeof(float) * mesh.attribute_count);
    }
    return mesh;
}

} // namespace

uint64_t repair_memory_bytes(const MeshView &view, const RepairSettings &settings) {
    uint64_t r = settings.resolution + 6;
    // A grid point: its field value and band mark, and the region walk's order and seen mark.
    return r * r * r * 10 + view.triangle_count * 400 + view.vertex_count * (64 + 8 * uint64_t(view.attribute_count));
}

bool meets_guarantee(const mf_inspect_report &r) {
    return r.triangles > 0 && r.watertight && r.non_manifold_edges == 0 && r.inconsistent_orientation_edges == 0 &&
           r.degenerate_faces == 0 && r.intersecting_pairs == 0 && r.volume > 0;
}

void repair(const MeshView &view, const RepairSettings &settings, Progress &progress, RepairOutcome &outcome) {
    if (view.triangle_count == 0)
        throw KernelError(MF_ERR_INVALID_ARGUMENT, "The mesh has no triangles: there is no surface to repair.");
    progress.report(0.0, "inspect");
    const IndexedMesh input = copy_input(view);
    outcome.before = inspect_mesh(input);
    const double diagonal = bbox_diagonal(input.positions, input.tris);
    if (meets_guarantee(outcome.before) && !(settings.flags & MF_REPAIR_FORCE_VOLUMETRIC)) {
        outcome.stage = MF_REPAIR_UNCHANGED;
        outcome.after = outcome.before;
        outcome.hausdorff_out_in = outcome.hausdorff_in_out = outcome.hausdorff_out_in_patched = 0;
        progress.report(1.0, "done");
        return;
    }

    progress.report(0.1, "topology");
    // Refined and faired hole patches and non-manifold splitting where the result can stay topological;
    // the volumetric stage is given the plain triangulated patches (faired ones there moved its distances
    // both ways) and every face the split would drop as a fin (dropping them there lost whole sheets); its
    // patches close the whole boundary, crowded and same-way edges too, so that its winding number is whole
    // off the surface and no region hovers about 1/2 far from the input (Wuson's openings).
    // patch_faces: for every face of the result, whether fill_holes added it.
    std::vector<uint8_t> patch_faces;
    auto topological = [&](bool may_stay) {
        IndexedMesh topo = input;
        outcome.counters = RepairCounters{};
        std::vector<uint32_t> welded =
            weld_with_tolerance(topo, settings.weld_tolerance > 0 ? settings.weld_tolerance * diagonal : 0,
                                outcome.counters.vertices_welded);
        std::vector<uint8_t> twinned;
        outcome.counters.faces_removed = remove_bad_faces(topo, welded, diagonal, &twinned);
        if (may_stay) split_non_manifold(topo, welded, twinned, outcome.counters);
        orient_consistently(topo, welded, outcome.counters);
        const size_t unpatched = topo.tris.size() / 3;
        fill_holes(topo, welded, outcome.counters, may_stay, !may_stay);
        patch_faces.assign(topo.tris.size() / 3, 0);
        std::fill(patch_faces.begin() + unpatched, patch_faces.end(), uint8_t(1));
        orient_outward_and_drop_small(topo, welded,
                                      (settings.flags & MF_REPAIR_KEEP_SMALL_PARTS) ? 0.0 : kSmallPartFraction,
                                      outcome.counters, &patch_faces);
        compact_vertices(topo);
        return topo;
    };
    // Intersections are beyond the topological stage: no need to inspect its result then.
    const bool try_topological =
        !(settings.flags & MF_REPAIR_FORCE_VOLUMETRIC) && outcome.before.intersecting_pairs == 0;
    IndexedMesh topo = topological(try_topological);
    progress.check();

    bool done = false;
    if (try_topological && !topo.tris.empty()) {
        progress.report(0.15, "verify");
        mf_inspect_report report = inspect_mesh(topo);
        progress.log("topological: split %llu edges %llu vertices; open %llu nm %llu inc %llu deg %llu ix %llu vol %g holes left %d",
                         (unsigned long long)outcome.counters.edges_split, (unsigned long long)outcome.counters.vertices_split,
                         (unsigned long long)report.open_edges, (unsigned long long)report.non_manifold_edges,
                         (unsigned long long)report.inconsistent_orientation_edges,
                         (unsigned long long)report.degenerate_faces, (unsigned long long)report.intersecting_pairs,
                         report.volume, int(outcome.counters.holes_left));
        if (meets_guarantee(report)) {
            outcome.stage = MF_REPAIR_TOPOLOGICAL;
            outcome.after = report;
            outcome.mesh = std::move(topo);
            done = true;
        }
    }

    if (!done) {
        if (try_topological) topo = topological(false);
        const IndexedMesh &source = topo.tris.empty() ? input : topo;
        // Nothing enclosed (a sheet, a single triangle, a flat soup): a slab of about 1.5 cells instead.
        VolumeRebuildSettings rebuild_settings;
        rebuild_settings.resolution = settings.resolution;
        rebuild_settings.fraction_begin = 0.2;
        rebuild_settings.fraction_end = 0.7;
        rebuild_settings.thicken_cells_if_empty = 0.75;
        rebuild_settings.tetrahedra_only = (settings.flags & MF_REPAIR_TETRAHEDRA) != 0;
        VolumeRebuild rebuild = remesh_by_winding_number(source, input, rebuild_settings, progress);
        IndexedMesh &volume = rebuild.mesh;
        const double cell = rebuild.cell_size;
        progress.log("volumetric: %zu triangles, %llu sheet faces, thickened %d", volume.tris.size() / 3,
                     (unsigned long long)rebuild.sheet_faces, int(rebuild.thickened));
        if (volume.tris.empty())
            throw KernelError(MF_ERR_INVALID_ARGUMENT,
                              "The mesh encloses no volume that the repair grid can hold (a flat or open sheet, "
                              "or parts thinner than one grid cell).");
        outcome.resolution = settings.resolution;
        outcome.stage = MF_REPAIR_VOLUMETRIC;
        const uint64_t target = settings.target_triangles ? settings.target_triangles : view.triangle_count;
        bool simplified = false;
        if (!(settings.flags & MF_REPAIR_NO_SIMPLIFY) && volume.tris.size() / 3 > target) {
          // A collapse can push a sheet through its neighbour where two are a cell apart: on intersections
          // try once more with simplify's crossing guard (about three times slower, and exact since its
          // positions are rounded as inspect's are), then keep the unsimplified (intersection-free) surface.
          const std::pair<double, double> attempts[] = {{0.3 * cell, 0.0}, {0.3 * cell, kGuardCells * cell}};
          for (auto [error, guard] : attempts) {
            progress.report(0.7, "simplify");
            IndexedMesh reduced = volume;
            simplify(reduced, target, error * error, progress, guard);
            progress.report(0.85, "verify");
            mf_inspect_report report = inspect_mesh(reduced);
            progress.log("simplified %zu -> %zu: nm %llu inc %llu deg %llu ix %llu", volume.tris.size() / 3,
                             reduced.tris.size() / 3, (unsigned long long)report.non_manifold_edges,
                             (unsigned long long)report.inconsistent_orientation_edges,
                             (unsigned long long)report.degenerate_faces, (unsigned long long)report.intersecting_pairs);
            if (meets_guarantee(report)) {
                outcome.after = report;
                volume = std::move(reduced);
                simplified = true;
                break;
            }
          }
        }
        if (!simplified) {
            progress.report(0.85, "verify");
            outcome.after = inspect_mesh(volume);
        }
        outcome.simplified = simplified;
        if (outcome.after.components < outcome.before.components)
            outcome.parts_merged = outcome.before.components - outcome.after.components;
        progress.report(0.9, "attributes");
        transfer_attributes(volume, input, progress);
        outcome.mesh = std::move(volume);
    }

    if (!(settings.flags & MF_REPAIR_SKIP_HAUSDORFF) && diagonal > 0) {
        progress.report(0.93, "hausdorff");
        outcome.hausdorff_out_in = one_sided_hausdorff(outcome.mesh.positions, outcome.mesh.tris, input.positions,
                                                       input.tris, kHausdorffSamples, &progress) / diagonal;
        outcome.hausdorff_in_out = one_sided_hausdorff(input.positions, input.tris, outcome.mesh.positions,
                                                       outcome.mesh.tris, kHausdorffSamples, &progress) / diagonal;
        // A hole patch stands as far from the input as the hole is wide: measured again against the input
        // and the patches, out->in says how far the output strays from both (the same samples, so never more).
        outcome.hausdorff_out_in_patched = outcome.hausdorff_out_in;
        if (std::find(patch_faces.begin(), patch_faces.end(), uint8_t(1)) != patch_faces.end()) {
            const IndexedMesh &patched = outcome.stage == MF_REPAIR_TOPOLOGICAL ? outcome.mesh : topo;
            std::vector<Vec3d> positions = input.positions;
            std::vector<uint32_t> tris = input.tris;
            for (size_t f = 0; f < patch_faces.size(); ++f)
                if (patch_faces[f])
                    for (int k = 0; k < 3; ++k) {
                        tris.push_back(uint32_t(positions.size()));
                        positions.push_back(patched.positions[patched.tris[3 * f + k]]);
                    }
            outcome.hausdorff_out_in_patched = one_sided_hausdorff(outcome.mesh.positions, outcome.mesh.tris, positions,
                                                                   tris, kHausdorffSamples, &progress) / diagonal;
        }
    }
    progress.report(1.0, "done");
}

} // namespace mf

// The mf_repair pipeline: inspect the input (pass it through when it already meets the guarantee), the
// topological stage, its verdict by inspect, and where that falls short the volumetric rebuild, its
// simplification (kept only when inspect still finds nothing wrong), attribute transfer and the sampled
// Hausdorff distances against the input (and against the input with the hole patches), and what of the input
// the output lost: surface outside the solid and off it.
#include "repair.hpp"

#include "fill_holes.hpp"
#include "hausdorff.hpp"
#include "inspect.hpp"
#include "kernel_error.hpp"
#include "lost_faces.hpp"
#include "orient.hpp"
#include "parallel.hpp"
#include "progress.hpp"
#include "contour.hpp"
#include "remesh_volume.hpp"
#include "remove_faces.hpp"
#include "simplify.hpp"
#include "split_nonmanifold.hpp"
#include "transfer_attributes.hpp"
#include "triangle_tree.hpp"
#include "weld.hpp"
#include "weld_tolerance.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <utility>

namespace mf {

namespace {

constexpr double kSmallPartFraction = 0.002;
constexpr uint32_t kHausdorffSamples = 50000;
// Input faces farther than this (fraction of the diagonal) outside the first rebuild are made slabs in a
// second: half the aim, leaving the other half to simplification.
constexpr double kSlabFraction = 0.0025;
// Grid cell of simplify's crossing guard, in cells of the volumetric grid (a broad phase only: it changes the
// time, not the verdicts; on the soup's decimation 3 to 5 cells take about 15 % less than 2).
constexpr double kGuardCells = 3.0;
// The most surface the volumetric grid contours, in square cells: the band, the contour and the
// simplification grow with it. Models measure 3,000 to 120,000 at the default 200 cells; a soup of large
// crossing triangles (stl/broken/soup.stl: 586,000) gets a coarser grid instead of minutes of work.
constexpr double kMaxSurfaceCells = 300000;

mf_inspect_report inspect_mesh(const IndexedMesh &mesh, const Progress &progress) {
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
    // within repair's time limit (a libFuzzer finding: the crossing search ran unbounded), not its progress
    Progress quiet(Progress::Silent{}, progress);
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

namespace {

// The topological stage: tolerance weld, bad faces out, non-manifold edges and vertices split (may_stay),
// consistent orientation (for the volumetric stage, patches parted by open or non-manifold edges turned by
// the winding number of the rest), holes closed, parts turned outward and small ones dropped. may_stay: the result
// may be the answer, so hole patches are refined and faired and non-manifold edges split; otherwise it feeds
// the volumetric stage, which is given the plain triangulated patches (faired ones there moved its
// distances both ways) and every face the split would drop as a fin (dropping them there lost whole
// sheets); its patches close the whole boundary, crowded and same-way edges too, so that its winding number
// is whole off the surface and no region hovers about 1/2 far from the input (Wuson's openings).
// patch_faces: for every face of the result, whether fill_holes added it.
IndexedMesh topological_stage(const IndexedMesh &input, const RepairSettings &settings, double diagonal, bool may_stay,
                              RepairCounters &counters, std::vector<uint8_t> &patch_faces, Progress &progress) {
    IndexedMesh topo = input;
    counters = RepairCounters{};
    std::vector<uint32_t> welded = weld_with_tolerance(
        topo, settings.weld_tolerance > 0 ? settings.weld_tolerance * diagonal : 0, counters.vertices_welded);
    std::vector<uint8_t> twinned;
    counters.faces_removed = remove_bad_faces(topo, welded, diagonal, &twinned);
    if (may_stay) split_non_manifold(topo, welded, twinned, counters);
    Patches patches;
    orient_consistently(topo, welded, counters, &patches);
    // Before the volumetric stage's inside/outside decision only: the topological stage's own hole filling
    // settles a loose flipped floor there (turned, its T-junctions would leave slivers to the filler).
    if (!may_stay) orient_patches_by_winding(topo, patches, counters, progress);
    const size_t unpatched = topo.tris.size() / 3;
    fill_holes(topo, welded, counters, may_stay, !may_stay);
    patch_faces.assign(topo.tris.size() / 3, 0);
    std::fill(patch_faces.begin() + unpatched, patch_faces.end(), uint8_t(1));
    orient_outward_and_drop_small(topo, welded, (settings.flags & MF_REPAIR_KEEP_SMALL_PARTS) ? 0.0 : kSmallPartFraction,
                                  counters, &patch_faces);
    compact_vertices(topo);
    return topo;
}

// Simplifies the volumetric surface toward target when it has more triangles, keeping the result only when
// inspect still finds it meets the guarantee; sets outcome.after and outcome.simplified either way.
// guard_first: the surface is mostly slabs, a cell or two apart where they cross (a soup of crossing
// sheets), so that a collapse without the crossing guard all but surely pushes one through another.
void simplify_checked(IndexedMesh &volume, uint64_t target, double cell, bool guard_first, const RepairSettings &settings,
                      Progress &progress, RepairOutcome &outcome) {
    outcome.simplified = false;
    if (!(settings.flags & MF_REPAIR_NO_SIMPLIFY) && volume.tris.size() / 3 > target) {
        // A collapse can push a sheet through its neighbour where two are a cell apart: on intersections try
        // once more with simplify's crossing guard (about three times slower, and exact since its positions
        // are rounded as inspect's are), then keep the unsimplified (intersection-free) surface.
        std::pair<double, double> attempts[] = {{0.3 * cell, 0.0}, {0.3 * cell, kGuardCells * cell}};
        if (guard_first) std::swap(attempts[0], attempts[1]);
        for (auto [error, guard] : attempts) {
            progress.report(0.7, "simplify");
            IndexedMesh reduced = volume;
            simplify(reduced, target, error * error, progress, guard);
            progress.report(0.85, "verify");
            mf_inspect_report report = inspect_mesh(reduced, progress);
            progress.log("simplified %zu -> %zu: nm %llu inc %llu deg %llu ix %llu", volume.tris.size() / 3,
                         reduced.tris.size() / 3, (unsigned long long)report.non_manifold_edges,
                         (unsigned long long)report.inconsistent_orientation_edges,
                         (unsigned long long)report.degenerate_faces, (unsigned long long)report.intersecting_pairs);
            if (meets_guarantee(report)) {
                outcome.after = report;
                volume = std::move(reduced);
                outcome.simplified = true;
                return;
            }
        }
    }
    progress.report(0.85, "verify");
    outcome.after = inspect_mesh(volume, progress);
}

// The grid resolution for the input: the one asked, lowered where its surface would span more than
// kMaxSurfaceCells square cells (the input's: hole patches that close a sheet lie on it).
uint32_t resolution_for(const IndexedMesh &source, uint32_t asked, Progress &progress) {
    double lo[3], hi[3], area = 0;
    triangle_box(source, lo, hi);
    const double extent = std::max({hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]});
    for (size_t f = 0; f < source.tris.size() / 3; ++f) {
        const Vec3d &a = source.positions[source.tris[3 * f]], &b = source.positions[source.tris[3 * f + 1]],
                    &c = source.positions[source.tris[3 * f + 2]];
        area += 0.5 * norm(cross(b - a, c - a));
    }
    const double cells = area * (asked / extent) * (asked / extent);
    if (!(extent > 0) || !(cells > kMaxSurfaceCells)) return asked;
    const uint32_t lowered = std::max(1u, uint32_t(asked * std::sqrt(kMaxSurfaceCells / cells)));
    progress.log("volumetric: a surface of %.0f square cells at resolution %u, lowered to %u", cells, asked, lowered);
    return lowered;
}

// Whether faces left outside a rebuild (lost) include some it did not already make slabs: only then can a
// second rebuild with them as slabs differ from the first (the same slabs give the same field).
bool adds_slabs(const std::vector<uint8_t> &lost, const std::vector<uint8_t> &sheets, Progress &progress) {
    uint64_t outside = 0, added = 0;
    for (size_t f = 0; f < lost.size(); ++f)
        if (lost[f]) ++outside, added += f < sheets.size() && sheets[f] ? 0 : 1;
    if (added > 0)
        progress.log("volumetric: %llu input faces left outside, rebuilt as slabs", (unsigned long long)outside);
    else
        progress.log("volumetric: %llu input faces left outside, all slabs already: no second rebuild",
                     (unsigned long long)outside);
    return added > 0;
}

// The volumetric stage over `source` (the topological stage's closed result, or the input where that left
// nothing), its simplification and the attributes carried over from the input. Where the rebuild leaves
// input faces outside its solid (a region whose flipped faces turned the winding number, a part thinner than
// a cell), it runs again with those faces as slabs, so that no part of the input is lost.
// small_faces: the input's faces in parts the repair drops as small, which it does not keep as slabs.
// open_faces: faces_of_open_parts(input), or empty where not made yet.
void volumetric_stage(const IndexedMesh &source, const IndexedMesh &input, const std::vector<uint8_t> &small_faces,
                      const std::vector<uint8_t> &open_faces, uint64_t input_triangles, double diagonal,
                      const RepairSettings &settings, Progress &progress, RepairOutcome &outcome) {
    // Nothing enclosed (a sheet, a single triangle, a flat soup): a slab of about 1.5 cells instead.
    VolumeRebuildSettings rebuild_settings;
    rebuild_settings.resolution = resolution_for(input, settings.resolution, progress);
    rebuild_settings.fraction_begin = 0.2;
    rebuild_settings.fraction_end = 0.6;
    rebuild_settings.thicken_cells_if_empty = 0.75;
    rebuild_settings.tetrahedra_only = (settings.flags & MF_REPAIR_TETRAHEDRA) != 0;
    if (!open_faces.empty()) rebuild_settings.open_faces = &open_faces;
    VolumeRebuild rebuild = remesh_by_winding_number(source, input, rebuild_settings, progress);
    std::vector<uint8_t> lost;
    if (!rebuild.mesh.tris.empty() &&
        lost_faces(input, rebuild.mesh, rebuild.cell_size, kSlabFraction * diagonal, &small_faces, progress, lost) > 0 &&
        adds_slabs(lost, rebuild.sheets, progress)) {
        rebuild_settings.fraction_begin = 0.6;
        rebuild_settings.fraction_end = 0.7;
        rebuild = remesh_with_slabs(std::move(rebuild), source, input, lost, rebuild_settings, progress);
    }
    rebuild.field.reset(); // the grid, the band's samples and the contour's queries: not needed from here on
    IndexedMesh &volume = rebuild.mesh;
    progress.log("volumetric: %zu triangles, %llu sheet faces, thickened %d", volume.tris.size() / 3,
                 (unsigned long long)rebuild.sheet_faces, int(rebuild.thickened));
    if (volume.tris.empty())
        throw KernelError(MF_ERR_INVALID_ARGUMENT,
                          "The mesh encloses no volume that the repair grid can hold (a flat or open sheet, "
                          "or parts thinner than one grid cell).");
    outcome.resolution = rebuild_settings.resolution;
    outcome.stage = MF_REPAIR_VOLUMETRIC;
    const uint64_t target = settings.target_triangles ? settings.target_triangles : input_triangles;
    const bool mostly_slabs = rebuild.thickened || 2 * rebuild.sheet_faces > rebuild.sheets.size();
    simplify_checked(volume, target, rebuild.cell_size, mostly_slabs, settings, progress, outcome);
    if (outcome.after.components < outcome.before.components)
        outcome.parts_merged = outcome.before.components - outcome.after.components;
    progress.report(0.9, "attributes");
    transfer_attributes(volume, input, progress);
    outcome.mesh = std::move(volume);
}

// What the distances measure the output against, made from the input alone (on a helper during the
// topological stage): its tree, its samples, and those of the faces kept (the input less the small parts the
// repair drops by design; empty where that is all of it).
struct InputMeasures {
    std::optional<TriangleTree> tree;
    SurfaceSamples samples, kept_samples;
    std::vector<uint32_t> kept;

    InputMeasures(const IndexedMesh &input, const std::vector<uint8_t> &small_faces) {
        kept.reserve(input.tris.size());
        for (size_t f = 0; f < small_faces.size(); ++f)
            if (!small_faces[f]) kept.insert(kept.end(), input.tris.begin() + 3 * f, input.tris.begin() + 3 * f + 3);
        tree.emplace(input.positions, input.tris, nullptr);
        samples = sample_surface(input.positions, input.tris, kHausdorffSamples);
        if (kept != input.tris) kept_samples = sample_surface(input.positions, kept, kHausdorffSamples);
    }
};

// The sampled Hausdorff distances of the outcome's mesh against the input, as fractions of its diagonal; a
// hole patch stands as far from the input as the hole is wide, so out->in is measured again against the
// input and the patches (of `patched`, flagged in patch_faces): how far the output strays from both (the
// same samples, so never more). Lost is measured on the input less the small parts the repair drops by
// design (counted in small_parts_removed). The output's tree and samples are made on two threads.
void measure_distances(const IndexedMesh &input, const InputMeasures &measures, double diagonal,
                       const IndexedMesh &patched, const std::vector<uint8_t> &patch_faces, Progress &progress,
                       RepairOutcome &outcome) {
    progress.report(0.93, "hausdorff");
    const IndexedMesh &out = outcome.mesh;
    const std::vector<uint32_t> &kept = measures.kept;
    const TriangleTree &input_tree = *measures.tree;
    const SurfaceSamples &input_samples = measures.samples, &kept_samples = measures.kept_samples;
    std::optional<TriangleTree> out_tree;
    SurfaceSamples out_samples;
    run_with_helper([&] { out_tree.emplace(out.positions, out.tris, &progress); },
                    [&] { out_samples = sample_surface(out.positions, out.tris, kHausdorffSamples); });
    progress.check();
    // The patches alone, each corner its own vertex (as the input's are its own): the distance to the input
    // and the patches is the nearer of the distances to each.
    std::vector<Vec3d> positions;
    std::vector<uint32_t> tris;
    for (size_t f = 0; f < patch_faces.size(); ++f)
        if (patch_faces[f])
            for (int k = 0; k < 3; ++k) {
                tris.push_back(uint32_t(positions.size()));
                positions.push_back(patched.positions[patched.tris[3 * f + k]]);
            }
    const TriangleTree patch_tree(positions, tris, &progress);
    double to_both = 0;
    const bool to_input = !input_tree.empty() && !out.tris.empty();
    outcome.hausdorff_out_in =
        to_input ? farthest_sample(out_samples, input_tree, tris.empty() ? nullptr : &patch_tree, &to_both, &progress)
                 : 0;
    outcome.hausdorff_out_in_patched = tris.empty() ? outcome.hausdorff_out_in : to_both;
    outcome.hausdorff_out_in /= diagonal;
    outcome.hausdorff_out_in_patched /= diagonal;
    // In->out and lost from the same samples of the input, in one pass, unless small parts are left out.
    double in_out = 0;
    const LostSurface lost = out_tree->empty() || kept.empty()
                                 ? LostSurface{}
                                 : lost_samples(kept != input.tris ? kept_samples : input_samples, *out_tree,
                                                kLostFraction * diagonal, kept != input.tris ? nullptr : &in_out,
                                                &progress, outcome.after.watertight != 0);
    if (kept != input.tris && !out_tree->empty()) in_out = farthest_sample(input_samples, *out_tree, nullptr, nullptr, &progress);
    outcome.hausdorff_in_out = in_out / diagonal;
    outcome.lost = lost.distance / diagonal;
    outcome.lost_area = lost.area_fraction;
    progress.log("lost: %.4f%% of the diagonal, %.4f%% of the area", 100 * outcome.lost, 100 * outcome.lost_area);
}

} // namespace

void repair(const MeshView &view, const RepairSettings &settings, Progress &progress, RepairOutcome &outcome) {
    if (view.triangle_count == 0)
        throw KernelError(MF_ERR_INVALID_ARGUMENT, "The mesh has no triangles: there is no surface to repair.");
    progress.report(0.0, "inspect");
    const IndexedMesh input = copy_input(view);
    outcome.before = inspect_mesh(input, progress);
    const double diagonal = bbox_diagonal(input.positions, input.tris);
    const bool forced = (settings.flags & MF_REPAIR_FORCE_VOLUMETRIC) != 0;
    // Parts by positions, not vertex ids: the mesh may hold a vertex per corner (as an STL file does).
    auto encloses_nothing = [&](const IndexedMesh &mesh) {
        return has_part_enclosing_nothing(mesh, weld_exact(mesh.positions, nullptr).remap, diagonal);
    };
    if (meets_guarantee(outcome.before) && !forced && !encloses_nothing(input)) {
        outcome.stage = MF_REPAIR_UNCHANGED;
        outcome.after = outcome.before;
        outcome.hausdorff_out_in = outcome.hausdorff_in_out = outcome.hausdorff_out_in_patched = 0;
        outcome.lost = outcome.lost_area = 0;
        progress.report(1.0, "done");
        return;
    }

    progress.report(0.1, "topology");
    std::vector<uint8_t> small_faces, patch_faces;
    // Intersections are beyond the topological stage: no need to inspect its result then.
    const bool try_topological = !forced && outcome.before.intersecting_pairs == 0;
    IndexedMesh topo;
    const bool measure = !(settings.flags & MF_REPAIR_SKIP_HAUSDORFF) && diagonal > 0;
    std::vector<uint8_t> open_faces;
    std::optional<InputMeasures> measures;
    // What depends on the input alone on a helper meanwhile (serial, each): its small parts (a weld and a
    // union of its parts), its tree and samples for the distances, and where the volumetric stage is sure to
    // follow, its open parts (the sheet candidates there).
    run_with_helper(
        [&] {
            topo = topological_stage(input, settings, diagonal, try_topological, outcome.counters, patch_faces, progress);
        },
        [&] {
            small_faces = faces_of_small_parts(input, weld_exact(input.positions, nullptr).remap,
                                               (settings.flags & MF_REPAIR_KEEP_SMALL_PARTS) ? 0.0 : kSmallPartFraction);
            if (measure) measures.emplace(input, small_faces);
            if (!try_topological) open_faces = faces_of_open_parts(input);
        });
    progress.check();
    bool done = false;
    if (try_topological && !topo.tris.empty()) {
        progress.report(0.15, "verify");
        mf_inspect_report report = inspect_mesh(topo, progress);
        progress.log("topological: split %llu edges %llu vertices; open %llu nm %llu inc %llu deg %llu ix %llu vol %g "
                     "holes left %d",
                     (unsigned long long)outcome.counters.edges_split, (unsigned long long)outcome.counters.vertices_split,
                     (unsigned long long)report.open_edges, (unsigned long long)report.non_manifold_edges,
                     (unsigned long long)report.inconsistent_orientation_edges,
                     (unsigned long long)report.degenerate_faces, (unsigned long long)report.intersecting_pairs,
                     report.volume, int(outcome.counters.holes_left));
        const bool flat = meets_guarantee(report) && encloses_nothing(topo);
        if (flat) progress.log("topological: a part encloses no volume (two sides that coincide); volumetric");
        if (meets_guarantee(report) && !flat) {
            outcome.stage = MF_REPAIR_TOPOLOGICAL;
            outcome.after = report;
            outcome.mesh = std::move(topo);
            done = true;
        }
    }
    if (!done) {
        if (try_topological)
            topo = topological_stage(input, settings, diagonal, false, outcome.counters, patch_faces, progress);
        volumetric_stage(topo.tris.empty() ? input : topo, input, small_faces, open_faces, view.triangle_count, diagonal,
                         settings, progress, outcome);
    }
    if (measure)
        measure_distances(input, *measures, diagonal, outcome.stage == MF_REPAIR_TOPOLOGICAL ? outcome.mesh : topo, patch_faces,
                          progress, outcome);
    progress.report(1.0, "done");
}

} // namespace mf

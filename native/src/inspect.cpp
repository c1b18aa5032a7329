// The inspect pipeline: every count is taken on the exactly welded mesh, so that a mesh split into
// per-face vertices (STL) and the same mesh indexed (OBJ, glTF) report the same.
#include "inspect.hpp"

#include "faces.hpp"
#include "measure.hpp"
#include "progress.hpp"
#include "self_intersections.hpp"
#include "topology.hpp"
#include "weld.hpp"

#include <algorithm>

namespace mf {

uint64_t inspect_memory_bytes(const MeshView &mesh, const InspectSettings &settings) {
    const uint64_t v = mesh.vertex_count, t = mesh.triangle_count;
    const uint64_t resident = v * (sizeof(uint32_t) + sizeof(Vec3d)) + 3 * t * sizeof(uint32_t);
    uint64_t stage = weld_memory_bytes(v);
    stage = std::max(stage, topology_memory_bytes(v, t));
    stage = std::max(stage, (v + 1) * 16 + t * 8); // duplicate faces
    if (settings.find_intersections) stage = std::max(stage, crossing_pairs_memory_bytes(t));
    return resident + stage;
}

void inspect(const MeshView &mesh, const InspectSettings &settings, Progress &progress, mf_inspect_report &report) {
    progress.report(0.0, "weld");
    WeldResult welded = weld_exact(mesh, &progress);
    const uint32_t vertex_count = uint32_t(welded.positions.size());
    std::vector<uint32_t> tris(3 * mesh.triangle_count);
    for (uint64_t i = 0; i < tris.size(); ++i) tris[i] = welded.remap[mesh.indices[i]];
    welded.remap.clear();
    welded.remap.shrink_to_fit();
    report.vertices = vertex_count;
    report.triangles = mesh.triangle_count;

    const double after_topology = settings.find_intersections ? 0.35 : 0.95;
    progress.report(0.1 * after_topology / 0.35, "measure");
    Measures measures = measure(tris, welded.positions);
    report.volume = measures.volume;
    report.area = measures.area;
    for (int k = 0; k < 3; ++k) {
        report.bbox_min[k] = measures.bbox_min[k];
        report.bbox_max[k] = measures.bbox_max[k];
    }

    progress.report(0.15 * after_topology / 0.35, "faces");
    report.degenerate_faces = count_degenerate_faces(tris, welded.positions, measures.diagonal());
    report.duplicate_faces = count_duplicate_faces(tris, vertex_count, &progress);

    progress.report(0.2 * after_topology / 0.35, "topology");
    TopologyCounts topology = analyze_topology(tris, vertex_count, &progress);
    report.open_edges = topology.open_edges;
    report.non_manifold_edges = topology.non_manifold_edges;
    report.inconsistent_orientation_edges = topology.inconsistent_edges;
    report.holes = topology.holes;
    report.components = topology.components;
    report.watertight = mesh.triangle_count > 0 && topology.open_edges == 0 && topology.non_manifold_edges == 0 &&
                        topology.inconsistent_edges == 0;

    if (settings.find_intersections)
        report.intersecting_pairs = count_crossing_pairs(tris, welded.positions, &progress, after_topology, 0.99);
    progress.report(1.0, "done");
}

} // namespace mf

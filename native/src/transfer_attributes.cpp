// Attributes for the vertices of a rebuilt surface: interpolated at the closest point of the source surface
// (barycentric on the closest face), through a triangle BVH.
#include "transfer_attributes.hpp"

#include "parallel.hpp"
#include "progress.hpp"
#include "triangle_tree.hpp"

namespace mf {

void transfer_attributes(IndexedMesh &mesh, const IndexedMesh &source, Progress &progress) {
    const uint32_t m = source.attribute_count;
    mesh.attribute_count = m;
    mesh.attributes.assign(mesh.positions.size() * m, 0.0f);
    if (m == 0) return;
    TriangleTree tree(source.positions, source.tris, &progress);
    parallel_for(mesh.positions.size(), progress, 0.0, 0.0, "attributes", [&](size_t v) {
        ClosestHit hit = tree.closest(mesh.positions[v]);
        if (hit.face == 0xFFFFFFFFu) return;
        const uint32_t *t = &source.tris[3 * uint64_t(hit.face)];
        for (uint32_t k = 0; k < m; ++k) {
            double x = 0;
            for (int c = 0; c < 3; ++c) x += hit.bary[c] * source.attributes[size_t(t[c]) * m + k];
            mesh.attributes[v * m + k] = float(x);
        }
    });
}

} // namespace mf

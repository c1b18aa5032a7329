// The working mesh's own operations: a vertex blended from others, and dropping unused vertices.
#include "indexed_mesh.hpp"

#include "large_pages.hpp"

namespace mf {

void compact_vertices(IndexedMesh &mesh) {
    std::vector<uint32_t> remap(mesh.positions.size(), 0xFFFFFFFFu);
    uint32_t next = 0;
    for (uint32_t v : mesh.tris)
        if (remap[v] == 0xFFFFFFFFu) remap[v] = 0; // mark used
    for (size_t v = 0; v < remap.size(); ++v)
        if (remap[v] == 0) remap[v] = next++;
    std::vector<Vec3d> positions;
    resize_on_huge_pages(positions, next);
    std::vector<float> attributes(size_t(next) * mesh.attribute_count);
    for (size_t v = 0; v < remap.size(); ++v) {
        if (remap[v] == 0xFFFFFFFFu) continue;
        positions[remap[v]] = mesh.positions[v];
        for (uint32_t k = 0; k < mesh.attribute_count; ++k)
            attributes[size_t(remap[v]) * mesh.attribute_count + k] = mesh.attributes[v * mesh.attribute_count + k];
    }
    for (uint32_t &v : mesh.tris) v = remap[v];
    mesh.positions.swap(positions);
    mesh.attributes.swap(attributes);
}

uint32_t IndexedMesh::add_vertex(const Vec3d &p, const uint32_t *from, const double *weights, int n) {
    positions.push_back(p);
    for (uint32_t k = 0; k < attribute_count; ++k) {
        double v = 0;
        for (int i = 0; i < n; ++i) v += weights[i] * attributes[size_t(from[i]) * attribute_count + k];
        attributes.push_back(float(v));
    }
    return uint32_t(positions.size() - 1);
}

} // namespace mf

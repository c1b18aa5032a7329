// Face removal for repair: collapsed and zero-area faces, then repeated faces (same welded vertex set,
// either winding), keeping the first.
#include "repair.hpp"

#include <algorithm>
#include <array>

namespace mf {

uint64_t remove_bad_faces(RepairMesh &mesh, const std::vector<uint32_t> &welded, double diagonal,
                          std::vector<uint8_t> *twinned) {
    const double limit = 1e-12 * diagonal * diagonal;
    const size_t n = mesh.tris.size() / 3;
    std::vector<std::array<uint32_t, 4>> keys; // sorted welded ids, face
    keys.reserve(n);
    for (size_t f = 0; f < n; ++f) {
        const uint32_t *t = &mesh.tris[3 * f];
        uint32_t a = welded[t[0]], b = welded[t[1]], c = welded[t[2]];
        if (a == b || b == c || a == c) continue;
        const Vec3d &p = mesh.positions[t[0]], &q = mesh.positions[t[1]], &r = mesh.positions[t[2]];
        if (norm2(cross(q - p, r - p)) <= limit * limit) continue;
        std::array<uint32_t, 3> s{a, b, c};
        std::sort(s.begin(), s.end());
        keys.push_back({s[0], s[1], s[2], uint32_t(f)});
    }
    std::sort(keys.begin(), keys.end());
    // Same welded cycle read from its smallest id: equal for equal windings.
    auto winding = [&](uint32_t f) {
        const uint32_t *t = &mesh.tris[3 * f];
        uint32_t a = welded[t[0]], b = welded[t[1]], c = welded[t[2]];
        return a < b && a < c ? b : b < a && b < c ? c : a;
    };
    std::vector<std::pair<uint32_t, uint8_t>> kept; // face, twinned
    kept.reserve(keys.size());
    for (size_t i = 0; i < keys.size();) {
        size_t j = i + 1;
        while (j < keys.size() && keys[j][0] == keys[i][0] && keys[j][1] == keys[i][1] && keys[j][2] == keys[i][2]) ++j;
        uint8_t twin = 0;
        for (size_t k = i + 1; k < j; ++k) twin |= winding(keys[k][3]) != winding(keys[i][3]);
        kept.push_back({keys[i][3], twin});
        i = j;
    }
    std::sort(kept.begin(), kept.end()); // input order
    std::vector<uint32_t> tris;
    tris.reserve(3 * kept.size());
    if (twinned) twinned->clear();
    for (auto [f, twin] : kept) {
        tris.insert(tris.end(), mesh.tris.begin() + 3 * f, mesh.tris.begin() + 3 * f + 3);
        if (twinned) twinned->push_back(twin);
    }
    uint64_t removed = n - kept.size();
    mesh.tris.swap(tris);
    return removed;
}

void compact_vertices(RepairMesh &mesh) {
    std::vector<uint32_t> remap(mesh.positions.size(), 0xFFFFFFFFu);
    uint32_t next = 0;
    for (uint32_t v : mesh.tris)
        if (remap[v] == 0xFFFFFFFFu) remap[v] = 0; // mark used
    for (size_t v = 0; v < remap.size(); ++v)
        if (remap[v] == 0) remap[v] = next++;
    std::vector<Vec3d> positions(next);
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

uint32_t RepairMesh::add_vertex(const Vec3d &p, const uint32_t *from, const double *weights, int n) {
    positions.push_back(p);
    for (uint32_t k = 0; k < attribute_count; ++k) {
        double v = 0;
        for (int i = 0; i < n; ++i) v += weights[i] * attributes[size_t(from[i]) * attribute_count + k];
        attributes.push_back(float(v));
    }
    return uint32_t(positions.size() - 1);
}

} // namespace mf

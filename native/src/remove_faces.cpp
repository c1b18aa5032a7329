// Face removal for repair: collapsed and zero-area faces, then repeated faces (same welded vertex set,
// either winding), keeping the first.
#include "remove_faces.hpp"

#include <algorithm>
#include <array>

namespace mf {

uint64_t remove_bad_faces(IndexedMesh &mesh, const std::vector<uint32_t> &welded, double diagonal,
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

} // namespace mf

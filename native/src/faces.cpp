// Degenerate and duplicate face counts. Duplicates are found by bucketing faces on their lowest
// vertex (a counting sort, linear) and sorting the small buckets, instead of hashing whole triples.
#include "faces.hpp"

#include "progress.hpp"

#include <algorithm>

namespace mf {

uint64_t count_degenerate_faces(const std::vector<uint32_t> &tris, const std::vector<Vec3d> &positions,
                                double bbox_diagonal) {
    const double limit = 1e-12 * bbox_diagonal * bbox_diagonal;
    const double limit2 = limit * limit;
    uint64_t count = 0;
    const uint64_t n = tris.size() / 3;
    for (uint64_t f = 0; f < n; ++f) {
        const uint32_t *t = &tris[3 * f];
        if (is_collapsed(t)) {
            ++count;
            continue;
        }
        const Vec3d &a = positions[t[0]], &b = positions[t[1]], &c = positions[t[2]];
        double ux = b.x - a.x, uy = b.y - a.y, uz = b.z - a.z;
        double vx = c.x - a.x, vy = c.y - a.y, vz = c.z - a.z;
        double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
        if (nx * nx + ny * ny + nz * nz <= limit2) ++count;
    }
    return count;
}

uint64_t count_duplicate_faces(const std::vector<uint32_t> &tris, uint32_t vertex_count, Progress *progress) {
    const uint64_t n = tris.size() / 3;
    std::vector<uint64_t> offsets(uint64_t(vertex_count) + 1, 0);
    for (uint64_t f = 0; f < n; ++f) {
        const uint32_t *t = &tris[3 * f];
        ++offsets[std::min({t[0], t[1], t[2]}) + 1];
    }
    for (uint64_t v = 0; v < vertex_count; ++v) offsets[v + 1] += offsets[v];
    if (progress != nullptr) progress->check();

    // Each face lands in the bucket of its lowest vertex as (middle << 32 | highest).
    std::vector<uint64_t> keys(n);
    std::vector<uint64_t> fill(offsets.begin(), offsets.end() - 1);
    for (uint64_t f = 0; f < n; ++f) {
        uint32_t s[3] = {tris[3 * f], tris[3 * f + 1], tris[3 * f + 2]};
        std::sort(s, s + 3);
        keys[fill[s[0]]++] = (uint64_t(s[1]) << 32) | s[2];
    }
    fill.clear();
    fill.shrink_to_fit();
    if (progress != nullptr) progress->check();

    uint64_t duplicates = 0;
    for (uint64_t v = 0; v < vertex_count; ++v) {
        uint64_t begin = offsets[v], end = offsets[v + 1];
        if (end - begin < 2) continue;
        std::sort(keys.begin() + begin, keys.begin() + end);
        for (uint64_t i = begin + 1; i < end; ++i) duplicates += keys[i] == keys[i - 1];
    }
    return duplicates;
}

} // namespace mf

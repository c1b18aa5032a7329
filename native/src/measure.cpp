// Volume by the divergence theorem (sum of signed tetrahedra against a reference point), area as the sum
// of triangle areas, and the bounding box. The reference point is the box centre rather than the origin:
// far from the origin the tetrahedra become huge and cancel, losing digits.
#include "measure.hpp"

#include "faces.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mf {

double Measures::diagonal() const {
    double dx = bbox_max[0] - bbox_min[0], dy = bbox_max[1] - bbox_min[1], dz = bbox_max[2] - bbox_min[2];
    return std::sqrt(dx * dx + dy * dy + dz * dz);
}

Measures measure(const std::vector<uint32_t> &tris, const std::vector<Vec3d> &positions) {
    Measures m;
    if (tris.empty()) return m;
    double lo[3], hi[3];
    for (int k = 0; k < 3; ++k) {
        lo[k] = std::numeric_limits<double>::infinity();
        hi[k] = -lo[k];
    }
    for (uint32_t v : tris) {
        const Vec3d &p = positions[v];
        const double c[3] = {p.x, p.y, p.z};
        for (int k = 0; k < 3; ++k) {
            lo[k] = std::min(lo[k], c[k]);
            hi[k] = std::max(hi[k], c[k]);
        }
    }
    double centre[3];
    for (int k = 0; k < 3; ++k) {
        m.bbox_min[k] = lo[k];
        m.bbox_max[k] = hi[k];
        centre[k] = 0.5 * (lo[k] + hi[k]);
    }

    double volume6 = 0, area2 = 0;
    const uint64_t n = tris.size() / 3;
    for (uint64_t f = 0; f < n; ++f) {
        const uint32_t *t = &tris[3 * f];
        if (is_collapsed(t)) continue; // exactly zero area and volume
        double p[3][3];
        for (int i = 0; i < 3; ++i) {
            const Vec3d &q = positions[t[i]];
            p[i][0] = q.x - centre[0];
            p[i][1] = q.y - centre[1];
            p[i][2] = q.z - centre[2];
        }
        // Cross of the edge vectors for the area, cross of positions for the volume.
        double u[3] = {p[1][0] - p[0][0], p[1][1] - p[0][1], p[1][2] - p[0][2]};
        double w[3] = {p[2][0] - p[0][0], p[2][1] - p[0][1], p[2][2] - p[0][2]};
        double nx = u[1] * w[2] - u[2] * w[1], ny = u[2] * w[0] - u[0] * w[2], nz = u[0] * w[1] - u[1] * w[0];
        area2 += std::sqrt(nx * nx + ny * ny + nz * nz);
        // p0 . (p1 x p2) == p0 . (u x w) for u = p1 - p0, w = p2 - p0: reuse the edge cross.
        volume6 += p[0][0] * nx + p[0][1] * ny + p[0][2] * nz;
    }
    m.volume = volume6 / 6.0;
    m.area = area2 / 2.0;
    return m;
}

} // namespace mf

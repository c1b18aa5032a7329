// Least-squares fit of a point to tangent planes, truncated where the planes leave a direction free (the QEF
// of dual contouring), by a symmetric 3x3 eigen-decomposition.
#include "plane_fit.hpp"

#include <algorithm>
#include <cmath>

namespace mf {

namespace {

// Eigenvalues below this fraction of the largest are dropped from the fit: planes closer than about 35
// degrees count as one, and the vertex stays near the mean of the crossings along what they leave free.
constexpr double kTruncate = 0.1;

// Eigen-decomposition of a symmetric 3x3 matrix by cyclic Jacobi rotations: a = V diag(w) V^T, columns
// of v the eigenvectors.
void symmetric_eigen(double a[3][3], double w[3], double v[3][3]) {
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) v[i][j] = i == j;
    for (int sweep = 0; sweep < 12; ++sweep) {
        double off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
        if (off < 1e-30) break;
        for (int p = 0; p < 2; ++p)
            for (int q = p + 1; q < 3; ++q) {
                if (std::fabs(a[p][q]) < 1e-300) continue;
                double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
                double c = 1 / std::sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < 3; ++k) {
                    double akp = a[k][p], akq = a[k][q];
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for (int k = 0; k < 3; ++k) {
                    double apk = a[p][k], aqk = a[q][k];
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for (int k = 0; k < 3; ++k) {
                    double vkp = v[k][p], vkq = v[k][q];
                    v[k][p] = c * vkp - s * vkq;
                    v[k][q] = s * vkp + c * vkq;
                }
            }
    }
    for (int i = 0; i < 3; ++i) w[i] = a[i][i];
}

} // namespace

Vec3d fit_planes(const TangentPlane *planes, const uint32_t *which, int count, const Vec3d &m, int *rank) {
    double ata[3][3] = {}, atb[3] = {};
    for (int i = 0; i < count; ++i) {
        const TangentPlane &t = planes[which[i]];
        const double n[3] = {t.normal.x, t.normal.y, t.normal.z};
        const double d = dot(t.normal, t.point - m); // fit about m: solve for the offset from it
        for (int r = 0; r < 3; ++r) {
            for (int c = 0; c < 3; ++c) ata[r][c] += n[r] * n[c];
            atb[r] += n[r] * d;
        }
    }
    double w[3], v[3][3];
    symmetric_eigen(ata, w, v);
    const double largest = std::max({w[0], w[1], w[2]});
    double x[3] = {0, 0, 0};
    if (rank) *rank = 0;
    for (int k = 0; k < 3; ++k) {
        if (!(w[k] > kTruncate * largest)) continue;
        if (rank) ++*rank;
        double proj = (v[0][k] * atb[0] + v[1][k] * atb[1] + v[2][k] * atb[2]) / w[k];
        for (int r = 0; r < 3; ++r) x[r] += proj * v[r][k];
    }
    return m + Vec3d{x[0], x[1], x[2]};
}

} // namespace mf

// orient3d with a floating-point filter and an exact fallback.
// The filter evaluates the determinant in double and trusts its sign when it exceeds a forward error
// bound proportional to the permanent (the same sum with absolute values). Only near-coplanar inputs
// reach the fallback, which rebuilds the determinant from error-free transformations (two-sum and
// fma-based two-product) into a nonoverlapping floating-point expansion whose top component carries
// the exact sign. Meshes are full of exactly coplanar faces, so the filter also certifies the common
// exact zero where every term of the permanent vanishes (faces in an axis-aligned plane).
#include "predicates.hpp"

#include <cmath>

namespace mf {

namespace {

// Forward error bounds of the filtered determinants, relative to their permanents: the classic analysis
// gives (7 + 56 eps) eps for 3x3 and (3 + 16 eps) eps for 2x2, eps = 2^-53; rounded up for headroom.
constexpr double kOrientErrorBound = 1e-15;
constexpr double kMinorErrorBound = 5e-16;

inline void two_sum(double a, double b, double &sum, double &err) {
    sum = a + b;
    double bv = sum - a;
    double av = sum - bv;
    err = (a - av) + (b - bv);
}

inline void two_product(double a, double b, double &product, double &err) {
    product = a * b;
    err = std::fma(a, b, -product);
}

// A sum of doubles kept as a nonoverlapping expansion in increasing magnitude, zeros dropped.
class Expansion {
public:
    void add(double b) {
        if (b == 0) return;
        int m = 0;
        double q = b;
        for (int i = 0; i < n_; ++i) {
            double s, e;
            two_sum(q, c_[i], s, e);
            if (e != 0) c_[m++] = e;
            q = s;
        }
        if (q != 0) c_[m++] = q;
        n_ = m;
    }
    int sign() const { return n_ == 0 ? 0 : (c_[n_ - 1] > 0 ? 1 : -1); }

private:
    // 6 triple products x 8 part combinations x 4 exact terms, and each add grows the length by one.
    double c_[200];
    int n_ = 0;
};

// An exact difference as hi + lo (lo is 0 whenever the subtraction was exact, the usual case).
struct Diff {
    double part[2];
};

inline Diff exact_diff(double a, double b) {
    Diff d;
    two_sum(a, -b, d.part[0], d.part[1]);
    return d;
}

// Adds sign * x * y * z to e exactly.
void add_triple(Expansion &e, double sign, const Diff &x, const Diff &y, const Diff &z) {
    for (double xi : x.part) {
        if (xi == 0) continue;
        for (double yi : y.part) {
            if (yi == 0) continue;
            double p, pe;
            two_product(xi * sign, yi, p, pe);
            for (double zi : z.part) {
                if (zi == 0) continue;
                double q, qe, r, re;
                two_product(p, zi, q, qe);
                two_product(pe, zi, r, re);
                e.add(q);
                e.add(qe);
                e.add(r);
                e.add(re);
            }
        }
    }
}

// Adds sign * x * y to e exactly.
void add_pair(Expansion &e, double sign, const Diff &x, const Diff &y) {
    for (double xi : x.part)
        for (double yi : y.part) {
            if (xi == 0 || yi == 0) continue;
            double p, pe;
            two_product(xi * sign, yi, p, pe);
            e.add(p);
            e.add(pe);
        }
}

// Sign of u0 v1 - u1 v0 for u = b - a, v = c - a in the coordinate plane (i, j).
int minor_sign(const double *a, const double *b, const double *c, int i, int j) {
    double u0 = b[i] - a[i], u1 = b[j] - a[j], v0 = c[i] - a[i], v1 = c[j] - a[j];
    double l = u0 * v1, r = u1 * v0;
    double det = l - r, bound = kMinorErrorBound * (std::fabs(l) + std::fabs(r));
    if (det > bound) return 1;
    if (det < -bound) return -1;
    if (l == 0 && r == 0) return 0;
    Expansion e;
    add_pair(e, 1, exact_diff(b[i], a[i]), exact_diff(c[j], a[j]));
    add_pair(e, -1, exact_diff(b[j], a[j]), exact_diff(c[i], a[i]));
    return e.sign();
}

} // namespace

bool collinear(const Vec3d &a, const Vec3d &b, const Vec3d &c) {
    const double pa[3] = {a.x, a.y, a.z}, pb[3] = {b.x, b.y, b.z}, pc[3] = {c.x, c.y, c.z};
    return minor_sign(pa, pb, pc, 0, 1) == 0 && minor_sign(pa, pb, pc, 1, 2) == 0 && minor_sign(pa, pb, pc, 2, 0) == 0;
}

int orient3d_exact(const Vec3d &a, const Vec3d &b, const Vec3d &c, const Vec3d &d) {
    Diff ux = exact_diff(b.x, a.x), uy = exact_diff(b.y, a.y), uz = exact_diff(b.z, a.z);
    Diff vx = exact_diff(c.x, a.x), vy = exact_diff(c.y, a.y), vz = exact_diff(c.z, a.z);
    Diff wx = exact_diff(d.x, a.x), wy = exact_diff(d.y, a.y), wz = exact_diff(d.z, a.z);
    Expansion e;
    add_triple(e, 1, ux, vy, wz);
    add_triple(e, -1, ux, vz, wy);
    add_triple(e, 1, uy, vz, wx);
    add_triple(e, -1, uy, vx, wz);
    add_triple(e, 1, uz, vx, wy);
    add_triple(e, -1, uz, vy, wx);
    return e.sign();
}

int orient3d(const Vec3d &a, const Vec3d &b, const Vec3d &c, const Vec3d &d) {
    double ux = b.x - a.x, uy = b.y - a.y, uz = b.z - a.z;
    double vx = c.x - a.x, vy = c.y - a.y, vz = c.z - a.z;
    double wx = d.x - a.x, wy = d.y - a.y, wz = d.z - a.z;
    double m1 = vy * wz, m2 = vz * wy, m3 = vz * wx, m4 = vx * wz, m5 = vx * wy, m6 = vy * wx;
    double det = ux * (m1 - m2) + uy * (m3 - m4) + uz * (m5 - m6);
    double permanent = std::fabs(ux) * (std::fabs(m1) + std::fabs(m2)) +
                       std::fabs(uy) * (std::fabs(m3) + std::fabs(m4)) +
                       std::fabs(uz) * (std::fabs(m5) + std::fabs(m6));
    double bound = kOrientErrorBound * permanent;
    if (det > bound) return 1;
    if (det < -bound) return -1;
    if (permanent == 0) return 0; // every product vanished exactly, so did the determinant
    return orient3d_exact(a, b, c, d);
}

} // namespace mf

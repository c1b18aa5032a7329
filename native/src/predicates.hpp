// Exact geometric predicates. Coordinates are doubles holding float32 values: within that range no
// intermediate of a degree-3 predicate can overflow or underflow, which the exactness relies on.
#pragma once

namespace mf {

struct Vec3d {
    double x, y, z;
};

// Sign (-1, 0, +1) of det[b-a, c-a, d-a], exactly: +1 when d lies on the side of the plane through
// a, b, c that (b-a) x (c-a) points to, 0 when the four points are coplanar.
int orient3d(const Vec3d &a, const Vec3d &b, const Vec3d &c, const Vec3d &d);

// The same determinant by exact expansion arithmetic only (no floating-point filter); for tests.
int orient3d_exact(const Vec3d &a, const Vec3d &b, const Vec3d &c, const Vec3d &d);

} // namespace mf

// Exact geometric predicates. Exact as long as no intermediate overflows or underflows: guaranteed for
// float32 values, and for doubles within the float32 range (which api.cpp enforces) unless coordinates
// differ from each other only below about 1e-100.
#pragma once

#include "vec3.hpp"

namespace mf {

// Sign (-1, 0, +1) of det[b-a, c-a, d-a], exactly: +1 when d lies on the side of the plane through
// a, b, c that (b-a) x (c-a) points to, 0 when the four points are coplanar.
int orient3d(const Vec3d &a, const Vec3d &b, const Vec3d &c, const Vec3d &d);

// True when a, b and c lie on one line (or coincide), exactly: (b-a) x (c-a) is the zero vector.
bool collinear(const Vec3d &a, const Vec3d &b, const Vec3d &c);

// The same determinant by exact expansion arithmetic only (no floating-point filter); for tests.
int orient3d_exact(const Vec3d &a, const Vec3d &b, const Vec3d &c, const Vec3d &d);

} // namespace mf

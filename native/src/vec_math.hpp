// Arithmetic on Vec3d for the repair algorithms (inspect keeps its own explicit arithmetic).
#pragma once

#include "vec3.hpp"

#include <cmath>

namespace mf {

inline Vec3d operator+(const Vec3d &a, const Vec3d &b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline Vec3d operator-(const Vec3d &a, const Vec3d &b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline Vec3d operator*(const Vec3d &a, double s) { return {a.x * s, a.y * s, a.z * s}; }
inline double dot(const Vec3d &a, const Vec3d &b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline Vec3d cross(const Vec3d &a, const Vec3d &b) {
    return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline double norm2(const Vec3d &a) { return dot(a, a); }
inline double norm(const Vec3d &a) { return std::sqrt(dot(a, a)); }
// The float32 point that the caller receives and inspect measures, -0 made +0 as inspect's weld does. The
// volatile stores keep the rounding: with `double(float(x)) + 0.0` written directly, GCC 12 at -O2 was
// seen to return x unrounded in a loop, and simplify's crossing guard then missed crossings that inspect
// found after rounding.
inline Vec3d rounded_to_float(const Vec3d &p) {
    volatile float x = float(p.x), y = float(p.y), z = float(p.z);
    return {double(x) + 0.0, double(y) + 0.0, double(z) + 0.0};
}

inline double coord(const Vec3d &a, int k) { return k == 0 ? a.x : (k == 1 ? a.y : a.z); }

} // namespace mf

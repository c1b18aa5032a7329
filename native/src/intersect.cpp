// Triangle-triangle crossing in the manner of Guigue and Devillers: only orientation predicates, so
// with exact orient3d the answer is exact, and touching configurations are decided by strict versus
// non-strict signs rather than by epsilons.
//
// Each triangle must have vertices strictly on both sides of the other's plane (otherwise that plane
// separates them, which also rejects coplanar pairs). The planes then meet in a line L, and each
// triangle cuts L in a segment whose interior lies in the triangle's interior. The triangles cross
// exactly when these open segments overlap, and the order of segment ends along L is read from
// orientations of one edge of each triangle.
//
// A zero-area triangle is a segment (or a point): it crosses a proper triangle when it passes through
// that triangle's interior from one side to the other, and never crosses another zero-area triangle.
#include "intersect.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace mf {

namespace {

// Index of the vertex alone on its side: sign non-zero, both others of the opposite sign or zero.
// Callers guarantee one strictly positive and one strictly negative sign.
int lone_vertex(const int s[3]) {
    for (int i = 0; i < 3; ++i)
        if (s[i] != 0 && s[(i + 1) % 3] != s[i] && s[(i + 2) % 3] != s[i]) return i;
    return 0; // unreachable under the precondition
}

bool straddles(const int s[3]) {
    bool positive = s[0] > 0 || s[1] > 0 || s[2] > 0;
    bool negative = s[0] < 0 || s[1] < 0 || s[2] < 0;
    return positive && negative;
}

double coordinate(const Vec3d &p, int axis) { return axis == 0 ? p.x : axis == 1 ? p.y : p.z; }

// Collinear s (a segment, possibly with a vertex inside it) against a proper triangle t.
bool segment_crosses(const Vec3d s[3], const Vec3d t[3]) {
    // The two ends: the extreme points along any axis on which the three differ.
    int axis = -1;
    for (int k = 0; k < 3 && axis < 0; ++k) {
        double c0 = coordinate(s[0], k), c1 = coordinate(s[1], k), c2 = coordinate(s[2], k);
        if (c0 != c1 || c1 != c2) axis = k;
    }
    if (axis < 0) return false; // a point touches at most
    int lo = 0, hi = 0;
    for (int i = 1; i < 3; ++i) {
        if (coordinate(s[i], axis) < coordinate(s[lo], axis)) lo = i;
        if (coordinate(s[i], axis) > coordinate(s[hi], axis)) hi = i;
    }
    const Vec3d &p = s[lo], &q = s[hi];
    int op = orient3d(t[0], t[1], t[2], p), oq = orient3d(t[0], t[1], t[2], q);
    if (op * oq >= 0) return false; // does not pass from one side to the other
    // The line pq meets the plane strictly inside t when it turns the same way around all three edges.
    int e0 = orient3d(p, q, t[0], t[1]), e1 = orient3d(p, q, t[1], t[2]), e2 = orient3d(p, q, t[2], t[0]);
    return e0 != 0 && e0 == e1 && e1 == e2;
}

bool all_zero(const int s[3]) { return s[0] == 0 && s[1] == 0 && s[2] == 0; }

} // namespace

bool triangles_cross(const Vec3d a[3], const Vec3d b[3]) {
    int sb[3]; // b's vertices against a's plane
    for (int j = 0; j < 3; ++j) sb[j] = orient3d(a[0], a[1], a[2], b[j]);
    if (all_zero(sb)) {
        // Coplanar, unless a has no plane at all.
        if (!collinear(a[0], a[1], a[2]) || collinear(b[0], b[1], b[2])) return false;
        return segment_crosses(a, b);
    }
    if (!straddles(sb)) return false;
    int sa[3]; // a's vertices against b's plane
    for (int i = 0; i < 3; ++i) sa[i] = orient3d(b[0], b[1], b[2], a[i]);
    // b is not coplanar with a (sb straddles), so all zeros here mean b has no plane: a segment.
    if (all_zero(sa)) return segment_crosses(b, a);
    if (!straddles(sa)) return false;

    // Rotate (keeping each winding) so that a[0] and b[0] are the lone vertices.
    int ia = lone_vertex(sa), ib = lone_vertex(sb);
    Vec3d p0 = a[ia], p1 = a[(ia + 1) % 3], p2 = a[(ia + 2) % 3];
    Vec3d q0 = b[ib], q1 = b[(ib + 1) % 3], q2 = b[(ib + 2) % 3];
    // Put p0 above q's plane and q0 above p's plane; swapping two vertices flips a plane.
    if (sa[ia] < 0) std::swap(q1, q2);
    if (sb[ib] < 0) std::swap(p1, p2);

    // p's segment on L runs between its edges p0p1 and p0p2, q's between q0q1 and q0q2. Strict signs:
    // segments that only share an end point touch and do not cross.
    return orient3d(p0, p1, q0, q1) < 0 && orient3d(p0, p2, q2, q0) < 0;
}

double overlap_depth(const Vec3d a[3], const Vec3d b[3]) {
    auto sub = [](const Vec3d &u, const Vec3d &v) { return Vec3d{u.x - v.x, u.y - v.y, u.z - v.z}; };
    auto cross = [](const Vec3d &u, const Vec3d &v) {
        return Vec3d{u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x};
    };
    auto dot = [](const Vec3d &u, const Vec3d &v) { return u.x * v.x + u.y * v.y + u.z * v.z; };
    const Vec3d ea[3] = {sub(a[1], a[0]), sub(a[2], a[1]), sub(a[0], a[2])};
    const Vec3d eb[3] = {sub(b[1], b[0]), sub(b[2], b[1]), sub(b[0], b[2])};
    // A zero-area triangle has no normal: its rounded cross product would be noise, not a direction.
    const Vec3d none{0, 0, 0};
    Vec3d axes[11] = {collinear(a[0], a[1], a[2]) ? none : cross(ea[0], ea[1]),
                      collinear(b[0], b[1], b[2]) ? none : cross(eb[0], eb[1])};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) axes[2 + 3 * i + j] = cross(ea[i], eb[j]);

    double depth = INFINITY;
    for (const Vec3d &axis : axes) {
        double length = std::sqrt(dot(axis, axis));
        if (length == 0) continue; // parallel edges or no normal: no direction to test
        double a0 = dot(a[0], axis), a1 = dot(a[1], axis), a2 = dot(a[2], axis);
        double b0 = dot(b[0], axis), b1 = dot(b[1], axis), b2 = dot(b[2], axis);
        double overlap = std::min(std::max({a0, a1, a2}) - std::min({b0, b1, b2}),
                                  std::max({b0, b1, b2}) - std::min({a0, a1, a2}));
        depth = std::min(depth, overlap / length);
    }
    return depth;
}

bool triangles_intersect(const Vec3d a[3], const Vec3d b[3]) {
    if (!triangles_cross(a, b)) return false;
    double magnitude = 0;
    for (int i = 0; i < 3; ++i)
        magnitude = std::max({magnitude, std::fabs(a[i].x), std::fabs(a[i].y), std::fabs(a[i].z),
                              std::fabs(b[i].x), std::fabs(b[i].y), std::fabs(b[i].z)});
    return overlap_depth(a, b) > kContactTolerance * magnitude;
}

} // namespace mf

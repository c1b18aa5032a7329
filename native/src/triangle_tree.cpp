// Closest-point and winding-number queries over a triangle BVH. Closest point: depth-first, nearer child
// first, pruned by the box distance (both children's at once) and, in a leaf, by each face's plane. Winding:
// exact solid angles near the query, one dipole per node far away (the dipole is the first term of the far-field
// expansion; beta = 2 keeps the sign reliable).
#include "triangle_tree.hpp"

#include "faces.hpp"
#include "large_pages.hpp"
#include "progress.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <limits>

namespace mf {

namespace {

constexpr double kFourPi = 12.566370614359172;

double box_distance2(const Aabb &b, const Vec3d &q) {
    double d = 0;
    for (int k = 0; k < 3; ++k) {
        double c = coord(q, k);
        double e = c < b.lo[k] ? b.lo[k] - c : (c > b.hi[k] ? c - b.hi[k] : 0.0);
        d += e * e;
    }
    return d;
}

// box_distance2 of two boxes at once (a node's children), the same bits: per axis the larger of lo - c, c - hi
// and 0 is the value box_distance2 picks, and the axes are summed in the same order.
void box_distance2_pair(const Aabb &a, const Aabb &b, const Vec3d &q, double &da, double &db) {
#if defined(__SSE2__)
    const __m128d zero = _mm_setzero_pd();
    __m128d d = zero;
    for (int k = 0; k < 3; ++k) {
        const __m128d c = _mm_set1_pd(coord(q, k));
        const __m128d lo = _mm_set_pd(double(b.lo[k]), double(a.lo[k])), hi = _mm_set_pd(double(b.hi[k]), double(a.hi[k]));
        const __m128d e = _mm_max_pd(_mm_max_pd(_mm_sub_pd(lo, c), _mm_sub_pd(c, hi)), zero);
        d = _mm_add_pd(d, _mm_mul_pd(e, e));
    }
    da = _mm_cvtsd_f64(d);
    db = _mm_cvtsd_f64(_mm_unpackhi_pd(d, d));
#else
    da = box_distance2(a, q);
    db = box_distance2(b, q);
#endif
}

double solid_angle(const Vec3d &q, const Vec3d &a, const Vec3d &b, const Vec3d &c) {
    Vec3d A = a - q, B = b - q, C = c - q;
    double la = norm(A), lb = norm(B), lc = norm(C);
    double det = dot(A, cross(B, C));
    if (det == 0) return 0; // in the triangle's plane: on the surface itself, count neither side
    double den = la * lb * lc + dot(A, B) * lc + dot(B, C) * la + dot(C, A) * lb;
    return 2.0 * std::atan2(det, den);
}

float down(double d) {
    float f = float(d);
    return double(f) > d ? std::nextafter(f, -INFINITY) : f;
}
float up(double d) {
    float f = float(d);
    return double(f) < d ? std::nextafter(f, INFINITY) : f;
}

} // namespace

void closest_on_triangle(const Vec3d &p, const Vec3d &a, const Vec3d &b, const Vec3d &c, double bary[3]) {
    Vec3d ab = b - a, ac = c - a, ap = p - a;
    double d1 = dot(ab, ap), d2 = dot(ac, ap);
    if (d1 <= 0 && d2 <= 0) { bary[0] = 1, bary[1] = 0, bary[2] = 0; return; }
    Vec3d bp = p - b;
    double d3 = dot(ab, bp), d4 = dot(ac, bp);
    if (d3 >= 0 && d4 <= d3) { bary[0] = 0, bary[1] = 1, bary[2] = 0; return; }
    double vc = d1 * d4 - d3 * d2;
    if (vc <= 0 && d1 >= 0 && d3 <= 0) {
        double v = d1 / (d1 - d3);
        bary[0] = 1 - v, bary[1] = v, bary[2] = 0;
        return;
    }
    Vec3d cp = p - c;
    double d5 = dot(ab, cp), d6 = dot(ac, cp);
    if (d6 >= 0 && d5 <= d6) { bary[0] = 0, bary[1] = 0, bary[2] = 1; return; }
    double vb = d5 * d2 - d1 * d6;
    if (vb <= 0 && d2 >= 0 && d6 <= 0) {
        double w = d2 / (d2 - d6);
        bary[0] = 1 - w, bary[1] = 0, bary[2] = w;
        return;
    }
    double va = d3 * d6 - d5 * d4;
    if (va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0) {
        double w = (d4 - d3) / ((d4 - d3) + (d5 - d6));
        bary[0] = 0, bary[1] = 1 - w, bary[2] = w;
        return;
    }
    double sum = va + vb + vc;
    if (!(sum > 0)) { // degenerate triangle: fall back to the nearest corner
        double da = norm2(p - a), db = norm2(p - b), dc = norm2(p - c);
        bary[0] = da <= db && da <= dc, bary[1] = !bary[0] && db <= dc, bary[2] = !bary[0] && !bary[1];
        return;
    }
    double denom = 1.0 / sum;
    double v = vb * denom, w = vc * denom;
    bary[0] = 1 - v - w, bary[1] = v, bary[2] = w;
}

TriangleTree::TriangleTree(const std::vector<Vec3d> &positions, const std::vector<uint32_t> &tris,
                           Progress *progress) {
    const uint64_t n = tris.size() / 3;
    // The tree's arrays (tens of MiB on a large mesh) on huge pages: one fault per 2 MiB filled.
    std::vector<uint32_t> faces;
    reserve_on_huge_pages(faces, n);
    for (uint64_t f = 0; f < n; ++f)
        if (!is_collapsed(&tris[3 * f])) faces.push_back(uint32_t(f));
    std::vector<Aabb> boxes;
    resize_on_huge_pages(boxes, faces.size());
    for (size_t i = 0; i < faces.size(); ++i) {
        const uint32_t *t = &tris[3 * uint64_t(faces[i])];
        for (int k = 0; k < 3; ++k) {
            double lo = std::min({coord(positions[t[0]], k), coord(positions[t[1]], k), coord(positions[t[2]], k)});
            double hi = std::max({coord(positions[t[0]], k), coord(positions[t[1]], k), coord(positions[t[2]], k)});
            boxes[i].lo[k] = down(lo);
            boxes[i].hi[k] = up(hi);
        }
    }
    bvh_ = build_bvh(boxes, 4, progress);
    resize_on_huge_pages(corners_, 3 * faces.size());
    resize_on_huge_pages(face_, faces.size());
    for (size_t i = 0; i < faces.size(); ++i) {
        uint32_t f = faces[bvh_.order[i]];
        face_[i] = f;
        for (int k = 0; k < 3; ++k) corners_[3 * i + k] = positions[tris[3 * uint64_t(f) + k]];
    }
    resize_on_huge_pages(plane_, faces.size());
    double largest = 0;
    for (const Vec3d &c : corners_) largest = std::max({largest, std::fabs(c.x), std::fabs(c.y), std::fabs(c.z)});
    slack_ = 1e-12 * largest;
    for (size_t i = 0; i < faces.size(); ++i) {
        const Vec3d *c = &corners_[3 * i];
        Vec3d n = cross(c[1] - c[0], c[2] - c[0]);
        const double l = norm(n);
        n = l > 0 ? n * (1 / l) : Vec3d{0, 0, 0}; // no plane: a zero normal culls nothing
        plane_[i] = {n, dot(n, c[0])};
    }
    // Dipoles bottom-up: children always come after their parent in nodes.
    const size_t m = bvh_.nodes.size();
    reserve_on_huge_pages(far_, m), far_.assign(m, Far{{0, 0, 0}, {0, 0, 0}, 0, 0});
    std::vector<double> area(m, 0);
    for (size_t i = m; i-- > 0;) {
        const BvhNode &node = bvh_.nodes[i];
        Vec3d weighted{0, 0, 0}, normal{0, 0, 0};
        double total = 0;
        if (node.is_leaf()) {
            for (uint32_t j = node.first; j < node.first + node.count; ++j) {
                const Vec3d *c = &corners_[3 * uint64_t(j)];
                Vec3d an = cross(c[1] - c[0], c[2] - c[0]) * 0.5;
                double a = norm(an);
                normal = normal + an;
                weighted = weighted + (c[0] + c[1] + c[2]) * (a / 3.0);
                total += a;
            }
        } else {
            for (uint32_t j = node.first; j < node.first + 2; ++j) {
                normal = normal + far_[j].normal;
                weighted = weighted + far_[j].centre * area[j];
                total += area[j];
            }
        }
        Vec3d centre = total > 0 ? weighted * (1.0 / total)
                                 : Vec3d{0.5 * (node.box.lo[0] + node.box.hi[0]), 0.5 * (node.box.lo[1] + node.box.hi[1]),
                                         0.5 * (node.box.lo[2] + node.box.hi[2])};
        double r2 = 0;
        for (int k = 0; k < 8; ++k) {
            Vec3d corner{(k & 1) ? node.box.hi[0] : node.box.lo[0], (k & 2) ? node.box.hi[1] : node.box.lo[1],
                         (k & 4) ? node.box.hi[2] : node.box.lo[2]};
            r2 = std::max(r2, norm2(corner - centre));
        }
        far_[i] = Far{centre, normal, r2, std::sqrt(r2)};
        area[i] = total;
    }
}

ClosestHit TriangleTree::closest(const Vec3d &q, double enough2, double limit2) const {
    ClosestHit best;
    best.distance2 = limit2;
    if (bvh_.nodes.empty()) return best;
    // Each entry carries its box's distance, measured once when its parent pushed it.
    struct Entry {
        uint32_t node;
        double box2;
    } stack[128];
    int top = 0;
    stack[top++] = {0, box_distance2(bvh_.nodes[0].box, q)};
    while (top > 0) {
        const Entry e = stack[--top];
        if (e.box2 >= best.distance2) continue;
        const BvhNode &node = bvh_.nodes[e.node];
        if (node.is_leaf()) {
            for (uint32_t j = node.first; j < node.first + node.count; ++j) {
                // The plane's distance is at most the face's: where even it, less a slack far above its rounding, is
                // beyond the best hit, the face cannot come out nearer, and the answer is the one the test would give.
                const double off = std::fabs(dot(plane_[j].normal, q) - plane_[j].offset) - slack_;
                if (off > 0 && off * off > best.distance2 * (1 + 1e-9)) continue;
                const Vec3d *c = &corners_[3 * uint64_t(j)];
                double b[3];
                closest_on_triangle(q, c[0], c[1], c[2], b);
                Vec3d p = c[0] * b[0] + c[1] * b[1] + c[2] * b[2];
                double d2 = norm2(p - q);
                if (d2 < best.distance2) {
                    best.distance2 = d2;
                    best.face = face_[j];
                    best.bary[0] = b[0], best.bary[1] = b[1], best.bary[2] = b[2];
                    if (d2 <= enough2) return best;
                }
            }
            continue;
        }
        uint32_t l = node.first, r = node.first + 1;
        double dl, dr;
        box_distance2_pair(bvh_.nodes[l].box, bvh_.nodes[r].box, q, dl, dr);
        if (top + 2 > 128) top = 0; // cannot happen for a 30-bit Morton tree; stay safe rather than overflow
        if (dl < dr) {
            if (dr < best.distance2) stack[top++] = {r, dr};
            if (dl < best.distance2) stack[top++] = {l, dl};
        } else {
            if (dl < best.distance2) stack[top++] = {l, dl};
            if (dr < best.distance2) stack[top++] = {r, dr};
        }
    }
    return best;
}

template <class Dipole, class Leaf>
double TriangleTree::winding_walk(const Vec3d &centre, double spread, double beta, Dipole dipole, Leaf leaf) const {
    if (bvh_.nodes.empty()) return 0;
    double omega = 0;
    uint32_t stack[128];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
        uint32_t i = stack[--top];
        const Far &far = far_[i];
        // (A single point keeps the plain beta^2 r^2.)
        const double reach = beta * (far.radius + spread);
        const double reach2 = spread > 0 ? reach * reach : beta * beta * far.radius2;
        if (norm2(far.centre - centre) > reach2) {
            omega += dipole(far.centre, far.normal);
            continue;
        }
        const BvhNode &node = bvh_.nodes[i];
        if (node.is_leaf()) {
            for (uint32_t j = node.first; j < node.first + node.count; ++j) omega += leaf(&corners_[3 * uint64_t(j)]);
            continue;
        }
        if (top + 2 > 128) continue;
        stack[top++] = node.first;
        stack[top++] = node.first + 1;
    }
    return omega;
}

namespace {

// The far field of a node (area-weighted centre c, summed area vector n) seen from q, as a solid angle.
double dipole_at(const Vec3d &q, const Vec3d &c, const Vec3d &n) {
    Vec3d d = c - q;
    double d2 = norm2(d);
    return dot(d, n) / (d2 * std::sqrt(d2));
}

} // namespace

double TriangleTree::winding(const Vec3d &q, double beta) const {
    return winding_walk(
               q, 0.0, beta, [&](const Vec3d &c, const Vec3d &n) { return dipole_at(q, c, n); },
               [&](const Vec3d *t) { return solid_angle(q, t[0], t[1], t[2]); }) /
           kFourPi;
}

double TriangleTree::winding_mean(const Vec3d &a, const Vec3d &b, double beta) const {
    // One walk for both points: a node far enough from their midpoint, by its radius and half their
    // distance, is far enough from each; its dipole is taken at each point as winding() would.
    return winding_walk(
               (a + b) * 0.5, 0.5 * norm(b - a), beta,
               [&](const Vec3d &c, const Vec3d &n) { return dipole_at(a, c, n) + dipole_at(b, c, n); },
               [&](const Vec3d *t) { return solid_angle(a, t[0], t[1], t[2]) + solid_angle(b, t[0], t[1], t[2]); }) /
           (2 * kFourPi);
}

bool TriangleTree::ray_crossings(const Vec3d &q, int &crossings) const {
    crossings = 0;
    if (bvh_.nodes.empty()) return true;
    // Out along the axis where the root's box is nearest, tilted off it so that the ray runs along no
    // axis-aligned face or edge (CAD models are full of them) and every component is nonzero.
    const Aabb &root = bvh_.nodes[0].box;
    int axis = 0;
    bool up = true;
    double nearest = std::numeric_limits<double>::infinity();
    for (int k = 0; k < 3; ++k) {
        const double below = coord(q, k) - double(root.lo[k]), above = double(root.hi[k]) - coord(q, k);
        if (below < nearest) nearest = below, axis = k, up = false;
        if (above < nearest) nearest = above, axis = k, up = true;
    }
    double d[3];
    d[axis] = up ? 1.0 : -1.0;
    d[(axis + 1) % 3] = 0.0123456789;
    d[(axis + 2) % 3] = -0.0076543211;
    const Vec3d dir{d[0], d[1], d[2]};
    const double inv[3] = {1 / d[0], 1 / d[1], 1 / d[2]};
    const double o[3] = {q.x, q.y, q.z};
    uint32_t stack[128];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
        const BvhNode &node = bvh_.nodes[stack[--top]];
        double t0 = 0, t1 = std::numeric_limits<double>::infinity();
        for (int k = 0; k < 3 && t0 <= t1; ++k) {
            double a = (double(node.box.lo[k]) - o[k]) * inv[k], b = (double(node.box.hi[k]) - o[k]) * inv[k];
            if (a > b) std::swap(a, b);
            t0 = std::max(t0, a), t1 = std::min(t1, b);
        }
        if (!(t0 <= t1)) continue;
        if (!node.is_leaf()) {
            if (top + 2 > 128) return false;
            stack[top++] = node.first;
            stack[top++] = node.first + 1;
            continue;
        }
        for (uint32_t j = node.first; j < node.first + node.count; ++j) {
            const Vec3d *c = &corners_[3 * uint64_t(j)];
            // Moller-Trumbore, with margins: a face with no area turns no solid angle; anything within
            // rounding of an edge, of the ray's plane or of q is left to the walk.
            const Vec3d e1 = c[1] - c[0], e2 = c[2] - c[0], n = cross(e1, e2);
            const double area2 = norm(n);
            if (!(area2 > 0)) continue;
            const Vec3d p = cross(dir, e2);
            const double det = dot(e1, p);
            if (std::fabs(det) <= 1e-6 * area2) return false;
            const double f = 1 / det;
            const Vec3d s = q - c[0], r = cross(s, e1);
            const double u = dot(s, p) * f, v = dot(dir, r) * f, t = dot(e2, r) * f;
            constexpr double margin = 1e-8;
            if (u < -margin || v < -margin || u + v > 1 + margin) continue;
            const double reach = 1e-9 * (norm(e1) + norm(e2));
            if (t < -reach) continue;
            if (u < margin || v < margin || u + v > 1 - margin || t <= reach) return false;
            crossings += det < 0 ? 1 : -1; // det = -dir . n: leaving through the front counts +1
        }
    }
    return true;
}

double TriangleTree::winding_closed(const Vec3d &q, double beta) const {
    int crossings = 0;
    return ray_crossings(q, crossings) ? double(crossings) : winding(q, beta);
}

} // namespace mf

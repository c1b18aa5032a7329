// A BVH over triangles answering closest-point and generalized winding number queries (the latter with
// the dipole far-field approximation of Barill et al. 2018, "fast winding numbers").
#pragma once

#include "bvh.hpp"
#include "vec_math.hpp"

#include <cstdint>
#include <limits>
#include <vector>

namespace mf {

class Progress;

struct ClosestHit {
    double distance2 = std::numeric_limits<double>::infinity();
    uint32_t face = 0xFFFFFFFFu; // index into the tris the tree was built from
    double bary[3] = {0, 0, 0};  // weights of the face's corners at the closest point
};

class TriangleTree {
public:
    // tris: 3 vertex ids a face into positions. Collapsed faces are skipped.
    TriangleTree(const std::vector<Vec3d> &positions, const std::vector<uint32_t> &tris, Progress *progress);

    bool empty() const { return bvh_.nodes.empty(); }
    // The closest point of the surface to q. With enough2 > 0 the search stops at the first point within
    // sqrt(enough2) of q: the answer is exact only when it is farther than that. Only points nearer than
    // sqrt(limit2) are looked for: with none, the hit has no face and distance2 is limit2.
    ClosestHit closest(const Vec3d &q, double enough2 = 0,
                       double limit2 = std::numeric_limits<double>::infinity()) const;
    // Generalized winding number at q: about 1 inside a closed outward surface, 0 outside. beta is the
    // far-field acceptance ratio (distance / node radius).
    double winding(const Vec3d &q, double beta = 2.0) const;
    // The mean of the winding numbers at a and b, in one walk (for two points close together, such as
    // just off both sides of a face).
    double winding_mean(const Vec3d &a, const Vec3d &b, double beta = 2.0) const;
    // The winding number at q where the faces form a closed chain (the faces on every edge cancel, as a
    // closed surface's do; then it is a whole number off the surface): the signed count of the faces a ray
    // from q crosses, exact and, near the surface, far cheaper than the walk, which it falls back on where
    // the ray passes within rounding of a face's edge or q lies on a face. Of any other surface, a count
    // that means nothing: ask winding() there.
    double winding_closed(const Vec3d &q, double beta = 2.0) const;
    // The signed count winding_closed takes: the faces a ray from q out of the tree's box crosses, +1 where
    // it leaves through a face's front, -1 through its back. False (crossings undefined) where a crossing is
    // too near a face's edge, a face too near parallel to the ray, or q too near a face to count.
    bool ray_crossings(const Vec3d &q, int &crossings) const;
    // winding_closed where closed (the faces form a closed chain), winding otherwise; and the mean of the two at a
    // and b (just off both sides of a face).
    double winding_of(const Vec3d &q, bool closed) const { return closed ? winding_closed(q) : winding(q); }
    double winding_mean_of(const Vec3d &a, const Vec3d &b, bool closed) const {
        return closed ? 0.5 * (winding_closed(a) + winding_closed(b)) : winding_mean(a, b);
    }

private:
    // The solid angle of the surface about centre: nodes farther than beta times (their radius plus
    // spread) count by dipole(node centre, node area vector), the faces of the other leaves by leaf(corners).
    template <class Dipole, class Leaf>
    double winding_walk(const Vec3d &centre, double spread, double beta, Dipole dipole, Leaf leaf) const;

    Bvh bvh_;
    std::vector<Vec3d> corners_;  // 3 a face, in tree order
    std::vector<uint32_t> face_;  // original face id, in tree order
    // Per face in tree order, its plane (unit normal, offset): the distance to the plane bounds the distance to the
    // face from below, so a face whose plane is already farther than the best hit needs no closest-point test.
    struct Plane {
        Vec3d normal;
        double offset;
    };
    std::vector<Plane> plane_;
    double slack_ = 0; // far above the rounding of a plane distance: 1e-12 of the largest coordinate
    // Per node, what a winding walk reads of it, in one cache line: the area-weighted centroid, the sum of
    // area vectors, and the squared radius around the centroid that holds the node's box and its root.
    struct alignas(64) Far {
        Vec3d centre, normal;
        double radius2, radius;
    };
    std::vector<Far> far_;
};

// Closest point of triangle abc to p (Ericson, Real-Time Collision Detection 5.1.5), as barycentrics.
void closest_on_triangle(const Vec3d &p, const Vec3d &a, const Vec3d &b, const Vec3d &c, double bary[3]);

} // namespace mf

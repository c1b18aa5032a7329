// Bounding volume hierarchy over axis-aligned boxes, as flat arrays.
#pragma once

#include <cstdint>
#include <vector>

namespace mf {

class Progress;

struct Aabb {
    float lo[3], hi[3];
};

inline bool overlaps(const Aabb &a, const Aabb &b) {
    // Closed boxes: a flat triangle's interior lies on the faces of its own box.
    return a.lo[0] <= b.hi[0] && b.lo[0] <= a.hi[0] && a.lo[1] <= b.hi[1] && b.lo[1] <= a.hi[1] &&
           a.lo[2] <= b.hi[2] && b.lo[2] <= a.hi[2];
}

struct BvhNode {
    Aabb box;
    uint32_t first; // leaf: first position in Bvh::order; inner: index of the left child (right is +1)
    uint32_t count; // leaf: number of items; inner: 0
    bool is_leaf() const { return count != 0; }
};

struct Bvh {
    std::vector<BvhNode> nodes;  // nodes[0] is the root; empty when there are no items
    std::vector<uint32_t> order; // leaf ranges index this: the item ids in tree order
};

// Linear BVH: items sorted along a Morton curve of their box centres, split where the leading code bit
// changes, leaves of at most `leaf_size` items. Building is a sort and one pass, which matters more here
// than the last few percent of tree quality.
Bvh build_bvh(const std::vector<Aabb> &boxes, uint32_t leaf_size, Progress *progress);

// Bytes build_bvh allocates for n items, for the up-front memory estimate.
uint64_t bvh_memory_bytes(uint64_t n);

} // namespace mf

// Linear BVH construction: 30-bit Morton codes of box centres, an LSD radix sort, then a recursive split
// at the highest differing code bit (the binary radix tree), with node boxes filled in bottom-up.
#include "bvh.hpp"

#include "large_pages.hpp"
#include "progress.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace mf {

namespace {

// Spreads the low 10 bits of v so that two zero bits follow each one.
uint32_t spread_bits(uint32_t v) {
    v &= 0x3FFu;
    v = (v | (v << 16)) & 0x030000FFu;
    v = (v | (v << 8)) & 0x0300F00Fu;
    v = (v | (v << 4)) & 0x030C30C3u;
    v = (v | (v << 2)) & 0x09249249u;
    return v;
}

struct Keyed {
    uint32_t code;
    uint32_t item;
};

// Sorts by code, keeping equal codes in their order (items come in ascending order, so by item). Small inputs
// (a patch, a hole) take a comparison sort: the radix passes' 65,536 counters would cost more than the items.
void radix_sort(std::vector<Keyed> &a) {
    if (a.size() < 4096) {
        std::sort(a.begin(), a.end(),
                  [](const Keyed &x, const Keyed &y) { return x.code != y.code ? x.code < y.code : x.item < y.item; });
        return;
    }
    std::vector<Keyed> tmp;
    reserve_on_huge_pages(tmp, a.size());
    tmp.resize(a.size());
    for (int shift = 0; shift < 32; shift += 16) {
        std::vector<uint64_t> count(65537, 0);
        for (const Keyed &k : a) ++count[((k.code >> shift) & 0xFFFFu) + 1];
        if (count[((a.empty() ? 0 : a[0].code >> shift) & 0xFFFFu) + 1] == a.size()) continue;
        for (size_t i = 1; i < count.size(); ++i) count[i] += count[i - 1];
        for (const Keyed &k : a) tmp[count[(k.code >> shift) & 0xFFFFu]++] = k;
        a.swap(tmp);
    }
}

class Builder {
public:
    Builder(const std::vector<Aabb> &boxes, const std::vector<Keyed> &sorted, uint32_t leaf_size, Bvh &bvh)
        : boxes_(boxes), sorted_(sorted), leaf_size_(leaf_size), bvh_(bvh) {}

    // Fills node `index` for the sorted range [begin, end) and returns its box.
    Aabb build(uint32_t index, uint32_t begin, uint32_t end) {
        if (end - begin <= leaf_size_) {
            Aabb box = boxes_[sorted_[begin].item];
            for (uint32_t i = begin + 1; i < end; ++i) grow(box, boxes_[sorted_[i].item]);
            bvh_.nodes[index] = {box, begin, end - begin};
            return box;
        }
        uint32_t split = find_split(begin, end);
        uint32_t left = uint32_t(bvh_.nodes.size());
        bvh_.nodes.emplace_back();
        bvh_.nodes.emplace_back();
        Aabb box = build(left, begin, split);
        grow(box, build(left + 1, split, end));
        bvh_.nodes[index] = {box, left, 0};
        return box;
    }

private:
    static void grow(Aabb &a, const Aabb &b) {
        for (int k = 0; k < 3; ++k) {
            a.lo[k] = std::min(a.lo[k], b.lo[k]);
            a.hi[k] = std::max(a.hi[k], b.hi[k]);
        }
    }

    // First index of the upper part: where the highest bit that differs across the range turns to 1.
    uint32_t find_split(uint32_t begin, uint32_t end) const {
        uint32_t first = sorted_[begin].code, last = sorted_[end - 1].code;
        if (first == last) return begin + (end - begin) / 2; // identical codes: halve
        int bit = 31 - std::countl_zero(first ^ last);
        uint32_t prefix = last >> bit; // codes in the upper part share this prefix
        auto it = std::partition_point(sorted_.begin() + begin, sorted_.begin() + end,
                                       [&](const Keyed &k) { return (k.code >> bit) < prefix; });
        return uint32_t(it - sorted_.begin());
    }

    const std::vector<Aabb> &boxes_;
    const std::vector<Keyed> &sorted_;
    uint32_t leaf_size_;
    Bvh &bvh_;
};

} // namespace

uint64_t bvh_memory_bytes(uint64_t n) {
    // Keyed array and its radix buffer, the order, and at most 2n nodes (plus vector slack).
    return n * (2 * sizeof(Keyed) + sizeof(uint32_t)) + 3 * n * sizeof(BvhNode);
}

Bvh build_bvh(const std::vector<Aabb> &boxes, uint32_t leaf_size, Progress *progress) {
    Bvh bvh;
    const uint32_t n = uint32_t(boxes.size());
    if (n == 0) return bvh;
    if (leaf_size == 0) leaf_size = 1;

    float lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (const Aabb &b : boxes)
        for (int k = 0; k < 3; ++k) {
            float c = 0.5f * b.lo[k] + 0.5f * b.hi[k];
            lo[k] = std::min(lo[k], c);
            hi[k] = std::max(hi[k], c);
        }
    double scale[3];
    for (int k = 0; k < 3; ++k) scale[k] = hi[k] > lo[k] ? 1023.0 / (double(hi[k]) - lo[k]) : 0.0;

    // The build's arrays (tens of MiB on a large mesh) on huge pages: one fault per 2 MiB filled.
    std::vector<Keyed> keyed;
    reserve_on_huge_pages(keyed, n);
    keyed.resize(n);
    for (uint32_t i = 0; i < n; ++i) {
        uint32_t cell[3];
        for (int k = 0; k < 3; ++k) {
            double c = 0.5 * double(boxes[i].lo[k]) + 0.5 * double(boxes[i].hi[k]);
            cell[k] = uint32_t(std::clamp((c - lo[k]) * scale[k], 0.0, 1023.0));
        }
        keyed[i] = {(spread_bits(cell[0]) << 2) | (spread_bits(cell[1]) << 1) | spread_bits(cell[2]), i};
    }
    radix_sort(keyed);
    if (progress != nullptr) progress->check();

    reserve_on_huge_pages(bvh.nodes, 2 * (n / std::max(1u, leaf_size / 2)) + 1);
    bvh.nodes.emplace_back();
    Builder(boxes, keyed, leaf_size, bvh).build(0, 0, n);
    reserve_on_huge_pages(bvh.order, n);
    bvh.order.resize(n);
    for (uint32_t i = 0; i < n; ++i) bvh.order[i] = keyed[i].item;
    return bvh;
}

} // namespace mf

// Disjoint sets over dense uint32 ids, used for connected components and boundary loops.
#pragma once

#include <cstdint>
#include <numeric>
#include <vector>

namespace mf {

class UnionFind {
public:
    explicit UnionFind(uint32_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }

    uint32_t find(uint32_t x) {
        // Path halving: keeps trees flat without a second pass or recursion.
        while (parent_[x] != x) {
            parent_[x] = parent_[parent_[x]];
            x = parent_[x];
        }
        return x;
    }

    void unite(uint32_t a, uint32_t b) {
        a = find(a);
        b = find(b);
        if (a == b) return;
        // Lower id wins: deterministic, and with path halving good enough for mesh graphs.
        if (a < b) parent_[b] = a;
        else parent_[a] = b;
    }

private:
    std::vector<uint32_t> parent_;
};

} // namespace mf

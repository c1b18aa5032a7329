// Exact weld by hashing the bit patterns of positions (as doubles, which float32 inputs convert to
// exactly) in an open-addressing table. Bits rather than values, so that the table needs no float
// compare; -0.0 is folded into +0.0 first because the two compare equal and would otherwise stay apart.
// Callers guarantee no NaN.
#include "weld.hpp"

#include "progress.hpp"

#include <bit>
#include <cstring>

namespace mf {

namespace {

struct Key {
    uint64_t x, y, z;
    bool operator==(const Key &) const = default;
};

uint64_t coordinate_key(double d) {
    uint64_t bits = std::bit_cast<uint64_t>(d);
    return bits == 0x8000000000000000ull ? 0u : bits;
}

uint64_t mix(uint64_t h) {
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
    return h;
}

uint64_t hash_key(const Key &k) {
    // Mixed per coordinate: bit patterns of floats share exponents and (for float32 values) zero low
    // bits, so plain xor of the raw bits would collide badly.
    return mix(mix(mix(k.x) ^ k.y) ^ k.z);
}

uint64_t table_capacity(uint64_t n) {
    uint64_t capacity = 16;
    while (capacity < n + n / 2 + 1) capacity <<= 1; // load factor <= 2/3
    return capacity;
}

} // namespace

WeldResult weld_exact(const std::vector<Vec3d> &positions, Progress *progress) {
    MeshView view;
    view.positions = reinterpret_cast<const unsigned char *>(positions.data());
    view.vertex_count = positions.size();
    view.stride = sizeof(Vec3d);
    view.float64 = true;
    return weld_exact(view, progress);
}

uint64_t weld_memory_bytes(uint64_t n) {
    return n * sizeof(uint32_t) + n * (sizeof(Vec3d) + sizeof(Key)) + table_capacity(n) * sizeof(uint32_t);
}

WeldResult weld_exact(const MeshView &mesh, Progress *progress) {
    const uint64_t n = mesh.vertex_count;
    WeldResult result;
    result.remap.resize(n);
    std::vector<Key> keys;
    keys.reserve(n);
    result.positions.reserve(n);

    const uint64_t capacity = table_capacity(n);
    const uint64_t mask = capacity - 1;
    constexpr uint32_t empty = 0xFFFFFFFFu;
    std::vector<uint32_t> table(capacity, empty);

    for (uint64_t v = 0; v < n; ++v) {
        if (progress != nullptr && (v & 0xFFFFF) == 0xFFFFF) progress->check();
        Vec3d p = mesh.position(v);
        Key key{coordinate_key(p.x), coordinate_key(p.y), coordinate_key(p.z)};
        uint64_t slot = hash_key(key) & mask;
        while (true) {
            uint32_t id = table[slot];
            if (id == empty) {
                id = uint32_t(keys.size());
                table[slot] = id;
                keys.push_back(key);
                // Store the canonical +0.0 so that later geometry never sees both zeros.
                result.positions.push_back({std::bit_cast<double>(key.x), std::bit_cast<double>(key.y),
                                            std::bit_cast<double>(key.z)});
                result.remap[v] = id;
                break;
            }
            if (keys[id] == key) {
                result.remap[v] = id;
                break;
            }
            slot = (slot + 1) & mask;
        }
    }
    return result;
}

} // namespace mf

// A read-only view of the caller's triangle mesh (strided float32 positions, uint32 indices), already
// validated by api.cpp: every index is in range and every coordinate is finite.
#pragma once

#include <cstdint>
#include <cstring>

namespace mf {

struct Vec3f {
    float x, y, z;
};

struct MeshView {
    const unsigned char *positions = nullptr; // bytes, so that any stride works
    uint64_t vertex_count = 0;
    uint32_t stride = 12;
    const uint32_t *indices = nullptr;
    uint64_t triangle_count = 0;

    // memcpy, because an interleaved stride need not keep floats 4-byte aligned.
    Vec3f position(uint64_t vertex) const {
        Vec3f p;
        std::memcpy(&p, positions + vertex * stride, sizeof p);
        return p;
    }
};

} // namespace mf

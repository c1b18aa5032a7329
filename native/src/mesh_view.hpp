// A read-only view of the caller's triangle mesh (strided float32 or float64 positions, uint32 indices,
// optional strided float attributes), already checked by validate_mesh (boundary.cpp): every index is in
// range and every coordinate and attribute is finite.
#pragma once

#include "vec3.hpp"

#include <cstdint>
#include <cstring>

namespace mf {

struct MeshView {
    const unsigned char *positions = nullptr; // bytes, so that any stride works
    uint64_t vertex_count = 0;
    uint32_t stride = 12;
    bool float64 = false; // records hold doubles rather than floats
    const uint32_t *indices = nullptr;
    uint64_t triangle_count = 0;
    const unsigned char *attributes = nullptr; // bytes, like positions
    uint32_t attribute_count = 0;              // floats a vertex
    uint32_t attribute_stride = 0;             // bytes between records

    // memcpy, because an interleaved stride need not keep the coordinates aligned.
    Vec3d position(uint64_t vertex) const {
        const unsigned char *record = positions + vertex * stride;
        if (float64) {
            Vec3d p;
            std::memcpy(&p, record, sizeof p);
            return p;
        }
        float p[3];
        std::memcpy(p, record, sizeof p);
        return {p[0], p[1], p[2]};
    }

    float attribute(uint64_t vertex, uint32_t k) const {
        float a;
        std::memcpy(&a, attributes + vertex * attribute_stride + 4 * k, sizeof a);
        return a;
    }
};

} // namespace mf

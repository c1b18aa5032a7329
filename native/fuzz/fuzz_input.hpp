// The bytes a kernel fuzz harness is given, read as a small indexed mesh and the option bytes of one entry
// point, so that libFuzzer's mutations land on coordinates, indices and options rather than on a file syntax.
// Layout (little-endian; missing bytes read as zero):
//   byte 0     shape: bit 0 coordinates as int8 / 8 (grids: coincident, coplanar, degenerate faces), else raw
//              float32 (bit 1: raw float64 positions); bit 2 an out-of-range index is possible; bits 3-5
//              attribute floats a vertex (0-7); bits 6-7 a stride padding of 0-3 coordinates
//   bytes 1-3  options a, b, c: each harness reads them its own way
//   bytes 4-5  vertex count (at most 4095), 6-7 triangle count (at most 8191), each cut to what the bytes hold
//   then the vertices (positions padded to the stride), then the attributes (int8 / 16), then u16 indices
//   taken modulo the vertex count (plus one where bit 2 lets an index fall outside).
// make_seeds.cpp writes this layout; keep the two in step.
#pragma once

#include <meshforge/kernel.h>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <vector>

namespace mf_fuzz {

constexpr uint8_t kQuantized = 1, kFloat64 = 2, kIndexOutside = 4;
constexpr size_t kMaxVertices = 4095, kMaxTriangles = 8191;

class Bytes {
public:
    Bytes(const uint8_t *data, size_t size) : data_(data), size_(size) {}
    size_t left() const { return size_ - at_; }
    template <class T>
    T take() {
        T v{};
        size_t n = sizeof(T) < left() ? sizeof(T) : left();
        std::memcpy(&v, data_ + at_, n);
        at_ += n;
        return v;
    }

private:
    const uint8_t *data_;
    size_t size_;
    size_t at_ = 0;
};

struct Input {
    uint8_t shape = 0, a = 0, b = 0, c = 0;
    std::vector<float> positions32;
    std::vector<double> positions64;
    std::vector<float> attributes;
    uint32_t attribute_count = 0;
    uint32_t stride_padding = 0; // coordinates of padding a position record
    std::vector<uint32_t> indices;
    uint64_t vertex_count = 0;

    uint64_t triangle_count() const { return indices.size() / 3; }
    bool float64() const { return !positions64.empty(); }

    // Coordinate k (0-2) of vertex v, whatever the stored type.
    double coordinate(uint64_t v, int k) const {
        size_t record = 3 + stride_padding;
        return float64() ? positions64[v * record + k] : double(positions32[v * record + k]);
    }

    // The mesh over triangles [first, first + count).
    mf_mesh view(uint64_t first = 0, uint64_t count = ~uint64_t(0)) const {
        mf_mesh m{};
        m.vertex_count = vertex_count;
        size_t coordinate_bytes = float64() ? 8 : 4;
        m.position_type = float64() ? MF_POSITIONS_FLOAT64 : MF_POSITIONS_FLOAT32;
        m.position_stride = uint32_t((3 + stride_padding) * coordinate_bytes);
        m.positions = float64() ? reinterpret_cast<const float *>(positions64.data()) : positions32.data();
        if (first > triangle_count()) first = triangle_count();
        if (count > triangle_count() - first) count = triangle_count() - first;
        m.indices = indices.data() + 3 * first;
        m.triangle_count = count;
        if (attribute_count > 0) {
            m.attributes = attributes.data();
            m.attribute_count = attribute_count;
        }
        return m;
    }

    // Half the bounding box diagonal of the finite coordinates: a length to scale options by (1 when none).
    double size() const {
        double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
        for (uint64_t v = 0; v < vertex_count; ++v)
            for (int k = 0; k < 3; ++k) {
                double x = coordinate(v, k);
                if (!std::isfinite(x)) continue;
                lo[k] = x < lo[k] ? x : lo[k];
                hi[k] = x > hi[k] ? x : hi[k];
            }
        double d2 = 0;
        for (int k = 0; k < 3; ++k)
            if (hi[k] >= lo[k]) d2 += (hi[k] - lo[k]) * (hi[k] - lo[k]);
        double d = std::sqrt(d2) / 2;
        return std::isfinite(d) && d > 0 ? d : 1;
    }
};

inline Input decode(const uint8_t *data, size_t size) {
    Bytes in(data, size);
    Input m;
    m.shape = in.take<uint8_t>();
    m.a = in.take<uint8_t>();
    m.b = in.take<uint8_t>();
    m.c = in.take<uint8_t>();
    size_t declared_vertices = in.take<uint16_t>() & kMaxVertices;
    size_t declared_triangles = in.take<uint16_t>() & kMaxTriangles;
    bool quantized = m.shape & kQuantized;
    bool wide = !quantized && (m.shape & kFloat64);
    m.attribute_count = (m.shape >> 3) & 7;
    m.stride_padding = m.shape >> 6;
    size_t vertex_bytes = 3 * (quantized ? 1 : wide ? 8 : 4) + m.attribute_count;
    m.vertex_count = declared_vertices < in.left() / vertex_bytes ? declared_vertices : in.left() / vertex_bytes;
    size_t record = 3 + m.stride_padding;
    if (wide)
        m.positions64.assign(m.vertex_count * record + 1, 0.0);
    else
        m.positions32.assign(m.vertex_count * record + 1, 0.0f);
    for (uint64_t v = 0; v < m.vertex_count; ++v)
        for (size_t k = 0; k < 3; ++k) {
            if (quantized)
                m.positions32[v * record + k] = float(in.take<int8_t>()) / 8;
            else if (wide)
                m.positions64[v * record + k] = in.take<double>();
            else
                m.positions32[v * record + k] = in.take<float>();
        }
    m.attributes.assign(m.vertex_count * m.attribute_count + 1, 0.0f);
    for (size_t i = 0; i < m.vertex_count * m.attribute_count; ++i) m.attributes[i] = float(in.take<int8_t>()) / 16;
    size_t triangles = declared_triangles < in.left() / 6 ? declared_triangles : in.left() / 6;
    uint64_t modulus = m.vertex_count + ((m.shape & kIndexOutside) ? 1 : 0);
    m.indices.resize(3 * triangles);
    for (auto &i : m.indices) {
        uint16_t raw = in.take<uint16_t>();
        i = modulus == 0 ? raw : uint32_t(raw % modulus);
    }
    return m;
}

// A progress callback that asks to stop at its n-th call (never when n is 0), to reach every cancel path.
struct CancelAfter {
    unsigned calls = 0, at = 0;
    static int32_t call(void *user, double, const char *) {
        auto *self = static_cast<CancelAfter *>(user);
        return self->at != 0 && ++self->calls >= self->at ? 1 : 0;
    }
};

// An options struct zeroed with the fields every one opens with: its size, the cancelling progress callback,
// the memory and the time limit.
template <class Options>
Options opening(CancelAfter &cancel, uint64_t max_memory_bytes, double time_limit_seconds) {
    Options o{};
    o.size = sizeof o;
    o.progress = CancelAfter::call;
    o.progress_user = &cancel;
    o.max_memory_bytes = max_memory_bytes;
    o.time_limit_seconds = time_limit_seconds;
    return o;
}

// Two surfaces from one input for the sampling measures (mf_hausdorff, mf_lost): its first triangles (byte a
// splits them; either part may be empty) and the rest, with 0-1020 samples (byte c), a memory limit of 4 KiB or
// none, a time limit of a millisecond or a quarter second and a cancel at some progress call (byte b).
struct SurfacePair {
    mf_mesh first, rest;
    CancelAfter cancel;
    mf_hausdorff_options options;

    explicit SurfacePair(const Input &input)
        : first(input.view(0, input.triangle_count() * input.a / 255)),
          rest(input.view(input.triangle_count() * input.a / 255)), cancel{0, input.b & 7u},
          options(opening<mf_hausdorff_options>(cancel, (input.b & 8) ? 4096 : 0, (input.b & 16) ? 0.001 : 0.25)) {
        options.samples = 4u * input.c;
    }
    SurfacePair(const SurfacePair &) = delete; // options point at cancel
    SurfacePair &operator=(const SurfacePair &) = delete;
};

// What every entry point promises about its status and error, whatever the input: a known code, a
// sentence on failure, and MF_ERR_INTERNAL never (it means a bug: an unexpected exception inside the kernel).
void check_status(int32_t status, const mf_error &error, const char *entry);

// Every index of a kernel result below its vertex count and every coordinate finite.
void check_result_mesh(const float *positions, uint64_t vertex_count, const uint32_t *indices,
                       uint64_t triangle_count, const char *entry);

} // namespace mf_fuzz

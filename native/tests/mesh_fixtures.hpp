// Small meshes whose inspect answers are known by construction, and helpers to run mf_inspect on them.
#pragma once

#include <meshforge/kernel.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace mf_test {

struct Mesh {
    std::vector<float> positions; // xyz a vertex
    std::vector<uint32_t> indices;

    uint32_t add_vertex(float x, float y, float z) {
        positions.insert(positions.end(), {x, y, z});
        return uint32_t(positions.size() / 3 - 1);
    }
    void add_triangle(uint32_t a, uint32_t b, uint32_t c) { indices.insert(indices.end(), {a, b, c}); }
    uint64_t vertex_count() const { return positions.size() / 3; }
    uint64_t triangle_count() const { return indices.size() / 3; }

    mf_mesh view() const {
        mf_mesh m{};
        m.positions = positions.data();
        m.vertex_count = vertex_count();
        m.indices = indices.data();
        m.triangle_count = triangle_count();
        return m;
    }
};

// Unit cube [0,1]^3, vertex x + 2y + 4z, faces wound counter-clockwise seen from outside; faces 2 and 3
// are the top (z = 1).
inline Mesh cube(float size = 1, float dx = 0, float dy = 0, float dz = 0) {
    Mesh m;
    for (int v = 0; v < 8; ++v)
        m.add_vertex(dx + size * float(v & 1), dy + size * float((v >> 1) & 1), dz + size * float((v >> 2) & 1));
    const uint32_t faces[12][3] = {{0, 2, 3}, {0, 3, 1}, {4, 5, 7}, {4, 7, 6}, {0, 1, 5}, {0, 5, 4},
                                   {2, 6, 7}, {2, 7, 3}, {0, 4, 6}, {0, 6, 2}, {1, 3, 7}, {1, 7, 5}};
    for (const auto &f : faces) m.add_triangle(f[0], f[1], f[2]);
    return m;
}

// Appends b to a, its indices shifted.
inline Mesh merged(Mesh a, const Mesh &b) {
    uint32_t base = uint32_t(a.vertex_count());
    a.positions.insert(a.positions.end(), b.positions.begin(), b.positions.end());
    for (uint32_t i : b.indices) a.indices.push_back(base + i);
    return a;
}

// Three vertices per triangle, as an STL file holds them.
inline Mesh soup(const Mesh &m) {
    Mesh s;
    for (uint32_t i : m.indices) s.add_vertex(m.positions[3 * i], m.positions[3 * i + 1], m.positions[3 * i + 2]);
    for (uint32_t t = 0; t < m.triangle_count(); ++t) s.add_triangle(3 * t, 3 * t + 1, 3 * t + 2);
    return s;
}

// Sphere by subdividing an icosahedron `levels` times: 20 * 4^levels faces, closed, outward.
inline Mesh icosphere(int levels, float radius = 1, float dx = 0, float dy = 0, float dz = 0) {
    const double t = (1 + std::sqrt(5.0)) / 2;
    std::vector<double> p = {-1, t, 0, 1, t, 0, -1, -t, 0, 1, -t, 0, 0, -1, t, 0, 1, t,
                             0, -1, -t, 0, 1, -t, t, 0, -1, t, 0, 1, -t, 0, -1, -t, 0, 1};
    std::vector<uint32_t> f = {0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11, 1, 5, 9, 5, 11, 4, 11, 10, 2, 10, 7, 6,
                               7, 1, 8, 3, 9, 4, 3, 4, 2, 3, 2, 6, 3, 6, 8, 3, 8, 9, 4, 9, 5, 2, 4, 11, 6, 2, 10,
                               8, 6, 7, 9, 8, 1};
    auto normalize = [&](size_t v) {
        double l = std::sqrt(p[3 * v] * p[3 * v] + p[3 * v + 1] * p[3 * v + 1] + p[3 * v + 2] * p[3 * v + 2]);
        for (int k = 0; k < 3; ++k) p[3 * v + k] /= l;
    };
    for (size_t v = 0; v < p.size() / 3; ++v) normalize(v);
    for (int level = 0; level < levels; ++level) {
        std::map<std::pair<uint32_t, uint32_t>, uint32_t> midpoints;
        auto mid = [&](uint32_t a, uint32_t b) {
            auto key = std::minmax(a, b);
            auto it = midpoints.find(key);
            if (it != midpoints.end()) return it->second;
            uint32_t v = uint32_t(p.size() / 3);
            for (int k = 0; k < 3; ++k) p.push_back((p[3 * a + k] + p[3 * b + k]) / 2);
            normalize(v);
            midpoints.emplace(key, v);
            return v;
        };
        std::vector<uint32_t> next;
        for (size_t i = 0; i < f.size(); i += 3) {
            uint32_t a = f[i], b = f[i + 1], c = f[i + 2];
            uint32_t ab = mid(a, b), bc = mid(b, c), ca = mid(c, a);
            next.insert(next.end(), {a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca});
        }
        f.swap(next);
    }
    Mesh m;
    for (size_t v = 0; v < p.size() / 3; ++v)
        m.add_vertex(float(dx + radius * p[3 * v]), float(dy + radius * p[3 * v + 1]), float(dz + radius * p[3 * v + 2]));
    m.indices = f;
    return m;
}

inline mf_inspect_options options(uint32_t flags = 0) {
    mf_inspect_options o{};
    o.size = sizeof o;
    o.flags = flags;
    return o;
}

// Inspects m and returns the status; report and error are filled as mf_inspect leaves them.
inline int32_t inspect(const Mesh &m, const mf_inspect_options &o, mf_inspect_report &report, mf_error &error) {
    mf_mesh view = m.view();
    return mf_inspect(&view, &o, &report, &error);
}

} // namespace mf_test

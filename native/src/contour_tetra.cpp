// Marching tetrahedra: the six tetrahedra of every cell's Kuhn split share the main diagonal, and the
// split of each face is the same from both of its cells, so the pieces join into a closed manifold.
#include "contour.hpp"

#include "progress.hpp"

#include <algorithm>
#include <unordered_map>

namespace mf {

namespace {

constexpr double kEdgeMargin = 0.02;
constexpr int kTets[6][4] = {{0, 1, 3, 7}, {0, 1, 5, 7}, {0, 2, 3, 7}, {0, 2, 6, 7}, {0, 4, 5, 7}, {0, 4, 6, 7}};

} // namespace

IndexedMesh contour_tetrahedra(const ScalarGrid &grid, Progress &progress) {
    const int64_t *dims = grid.dims;
    const std::vector<float> &field = grid.field;
    auto point = [&](uint64_t p) { return grid.point(p); };
    auto id = [&](int64_t i, int64_t j, int64_t k) { return grid.id(i, j, k); };
    IndexedMesh out;
    std::unordered_map<uint64_t, uint32_t> vertex_of_edge;
    vertex_of_edge.reserve(field.size() / 64);
    const int64_t offset[8] = {0, 1, dims[0], dims[0] + 1, dims[0] * dims[1], dims[0] * dims[1] + 1,
                               dims[0] * dims[1] + dims[0], dims[0] * dims[1] + dims[0] + 1};
    auto edge_vertex = [&](uint64_t base, int c1, int c2) {
        if ((c1 & c2) != c1) std::swap(c1, c2); // the lower corner is the subset
        uint64_t p1 = base + offset[c1], p2 = base + offset[c2];
        uint64_t key = p1 * 8 + uint64_t(c1 ^ c2);
        auto [it, fresh] = vertex_of_edge.try_emplace(key, uint32_t(out.positions.size()));
        if (fresh) {
            double f1 = field[p1], f2 = field[p2];
            double t = std::clamp(f1 / (f1 - f2), kEdgeMargin, 1.0 - kEdgeMargin);
            out.positions.push_back(point(p1) * (1 - t) + point(p2) * t);
        }
        return it->second;
    };
    auto emit = [&](uint32_t a, uint32_t b, uint32_t c, uint64_t inside_point, uint64_t outside_point) {
        Vec3d n = cross(out.positions[b] - out.positions[a], out.positions[c] - out.positions[a]);
        if (dot(n, point(outside_point) - point(inside_point)) < 0) std::swap(b, c);
        out.tris.insert(out.tris.end(), {a, b, c});
    };
    for (int64_t k = 0; k + 1 < dims[2]; ++k) {
        progress.check();
        for (int64_t j = 0; j + 1 < dims[1]; ++j)
            for (int64_t i = 0; i + 1 < dims[0]; ++i) {
                uint64_t base = id(i, j, k);
                int inside = 0;
                for (int c = 0; c < 8; ++c) inside += field[base + offset[c]] < 0;
                if (inside == 0 || inside == 8) continue;
                for (const auto &tet : kTets) {
                    int in[4], out_[4], ni = 0, no = 0;
                    for (int c : tet) (field[base + offset[c]] < 0 ? in[ni++] : out_[no++]) = c;
                    if (ni == 0 || no == 0) continue;
                    if (ni == 1 || no == 1) {
                        int lone = ni == 1 ? in[0] : out_[0];
                        const int *others = ni == 1 ? out_ : in;
                        uint32_t v[3];
                        for (int e = 0; e < 3; ++e) v[e] = edge_vertex(base, lone, others[e]);
                        uint64_t pin = base + offset[ni == 1 ? lone : others[0]];
                        uint64_t pout = base + offset[ni == 1 ? others[0] : lone];
                        // The first vertex lies on the edge lone-others[0]: that edge orients the face.
                        emit(v[0], v[1], v[2], pin, pout);
                    } else {
                        int a = in[0], b = in[1], c = out_[0], d = out_[1];
                        uint32_t ac = edge_vertex(base, a, c), ad = edge_vertex(base, a, d), bd = edge_vertex(base, b, d),
                                 bc = edge_vertex(base, b, c);
                        Vec3d n = cross(out.positions[ad] - out.positions[ac], out.positions[bd] - out.positions[ac]);
                        bool flip = dot(n, point(base + offset[c]) - point(base + offset[a])) < 0;
                        if (flip) out.tris.insert(out.tris.end(), {ac, bd, ad, ac, bc, bd});
                        else out.tris.insert(out.tris.end(), {ac, ad, bd, ac, bd, bc});
                    }
                }
            }
    }
    return out;
}

} // namespace mf

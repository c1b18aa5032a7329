// Orientation for repair: faces made to agree across every manifold edge by a breadth-first walk, then
// every vertex-connected part turned outward (positive signed volume); tiny parts dropped on request.
#include "orient.hpp"

#include "union_find.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mf {

namespace {

struct HalfEdge {
    uint64_t key; // lower welded id << 32 | upper
    uint32_t face;
    uint8_t forward; // 1 when the face runs lower -> upper
    bool operator<(const HalfEdge &o) const { return key < o.key || (key == o.key && face < o.face); }
};

std::vector<HalfEdge> half_edges(const IndexedMesh &mesh, const std::vector<uint32_t> &welded) {
    const size_t n = mesh.tris.size() / 3;
    std::vector<HalfEdge> edges;
    edges.reserve(3 * n);
    for (size_t f = 0; f < n; ++f)
        for (int k = 0; k < 3; ++k) {
            uint32_t a = welded[mesh.tris[3 * f + k]], b = welded[mesh.tris[3 * f + (k + 1) % 3]];
            if (a == b) continue;
            edges.push_back({edge_key(a, b), uint32_t(f), uint8_t(a < b)});
        }
    std::sort(edges.begin(), edges.end());
    return edges;
}

void flip(IndexedMesh &mesh, size_t f) { std::swap(mesh.tris[3 * f + 1], mesh.tris[3 * f + 2]); }

void grow_box(Vec3d &lo, Vec3d &hi, const Vec3d &p) {
    lo = {std::min(lo.x, p.x), std::min(lo.y, p.y), std::min(lo.z, p.z)};
    hi = {std::max(hi.x, p.x), std::max(hi.y, p.y), std::max(hi.z, p.z)};
}

} // namespace

void orient_consistently(IndexedMesh &mesh, const std::vector<uint32_t> &welded, RepairCounters &counters) {
    const size_t n = mesh.tris.size() / 3;
    std::vector<HalfEdge> edges = half_edges(mesh, welded);
    // Neighbours across manifold edges: (face, other face, same direction?)
    std::vector<uint64_t> offsets(n + 1, 0);
    struct Link { uint32_t other; uint8_t same; };
    std::vector<std::pair<uint32_t, Link>> links;
    for (size_t i = 0; i < edges.size();) {
        size_t j = i;
        while (j < edges.size() && edges[j].key == edges[i].key) ++j;
        if (j - i == 2) {
            uint8_t same = edges[i].forward == edges[i + 1].forward;
            links.push_back({edges[i].face, {edges[i + 1].face, same}});
            links.push_back({edges[i + 1].face, {edges[i].face, same}});
        } else if (j - i > 2) {
            counters.non_manifold = true;
        }
        i = j;
    }
    for (auto &l : links) ++offsets[l.first + 1];
    for (size_t f = 0; f < n; ++f) offsets[f + 1] += offsets[f];
    std::vector<Link> adjacency(links.size());
    {
        std::vector<uint64_t> fill(offsets.begin(), offsets.end() - 1);
        for (auto &l : links) adjacency[fill[l.first]++] = l.second;
    }
    std::vector<int8_t> state(n, -1); // -1 unvisited, 0 keep, 1 flip
    std::vector<uint32_t> queue;
    for (size_t seed = 0; seed < n; ++seed) {
        if (state[seed] >= 0) continue;
        state[seed] = 0;
        queue.assign(1, uint32_t(seed));
        for (size_t q = 0; q < queue.size(); ++q) {
            uint32_t f = queue[q];
            for (uint64_t a = offsets[f]; a < offsets[f + 1]; ++a) {
                const Link &l = adjacency[a];
                // Consistent neighbours traverse the shared edge in opposite directions.
                int8_t want = int8_t(state[f] ^ l.same);
                if (state[l.other] < 0) {
                    state[l.other] = want;
                    queue.push_back(l.other);
                } else if (state[l.other] != want) {
                    counters.non_orientable = true;
                }
            }
        }
    }
    for (size_t f = 0; f < n; ++f)
        if (state[f] == 1) {
            flip(mesh, f);
            ++counters.faces_flipped;
        }
}

namespace {

// The vertex-connected parts of the faces (by welded id), and the bounding box of everything.
UnionFind parts_of(const IndexedMesh &mesh, const std::vector<uint32_t> &welded, uint32_t &ids, Vec3d &lo, Vec3d &hi) {
    ids = 0;
    for (uint32_t w : welded) ids = std::max(ids, w + 1);
    UnionFind parts(ids);
    const double inf = std::numeric_limits<double>::infinity();
    lo = {inf, inf, inf}, hi = {-inf, -inf, -inf};
    for (size_t f = 0; f < mesh.tris.size() / 3; ++f) {
        parts.unite(welded[mesh.tris[3 * f]], welded[mesh.tris[3 * f + 1]]);
        parts.unite(welded[mesh.tris[3 * f]], welded[mesh.tris[3 * f + 2]]);
        for (int k = 0; k < 3; ++k) grow_box(lo, hi, mesh.positions[mesh.tris[3 * f + k]]);
    }
    return parts;
}

} // namespace

std::vector<uint8_t> faces_of_small_parts(const IndexedMesh &mesh, const std::vector<uint32_t> &welded,
                                          double small_fraction) {
    const size_t n = mesh.tris.size() / 3;
    uint32_t ids = 0;
    Vec3d all_lo, all_hi;
    UnionFind parts = parts_of(mesh, welded, ids, all_lo, all_hi);
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<Vec3d> lo(ids, {inf, inf, inf}), hi(ids, {-inf, -inf, -inf});
    for (size_t f = 0; f < n; ++f) {
        const uint32_t part = parts.find(welded[mesh.tris[3 * f]]);
        for (int k = 0; k < 3; ++k) grow_box(lo[part], hi[part], mesh.positions[mesh.tris[3 * f + k]]);
    }
    const double diagonal = norm(all_hi - all_lo);
    std::vector<uint8_t> small(n, 0);
    if (small_fraction > 0)
        for (size_t f = 0; f < n; ++f) {
            const uint32_t part = parts.find(welded[mesh.tris[3 * f]]);
            small[f] = norm(hi[part] - lo[part]) < small_fraction * diagonal;
        }
    return small;
}

void orient_outward_and_drop_small(IndexedMesh &mesh, const std::vector<uint32_t> &welded, double small_fraction,
                                   RepairCounters &counters, std::vector<uint8_t> *face_marks) {
    const size_t n = mesh.tris.size() / 3;
    uint32_t vertex_ids = 0;
    Vec3d all_lo, all_hi;
    UnionFind parts = parts_of(mesh, welded, vertex_ids, all_lo, all_hi);
    std::vector<double> volume(vertex_ids, 0);
    Vec3d centre = (all_lo + all_hi) * 0.5;
    for (size_t f = 0; f < n; ++f) {
        uint32_t part = parts.find(welded[mesh.tris[3 * f]]);
        Vec3d a = mesh.positions[mesh.tris[3 * f]] - centre, b = mesh.positions[mesh.tris[3 * f + 1]] - centre,
              c = mesh.positions[mesh.tris[3 * f + 2]] - centre;
        volume[part] += dot(a, cross(b, c));
    }
    const std::vector<uint8_t> drop = faces_of_small_parts(mesh, welded, small_fraction);
    std::vector<uint8_t> counted(vertex_ids, 0);
    std::vector<uint32_t> tris;
    tris.reserve(mesh.tris.size());
    size_t kept = 0;
    for (size_t f = 0; f < n; ++f) {
        uint32_t part = parts.find(welded[mesh.tris[3 * f]]);
        if (drop[f]) {
            if (!counted[part]) ++counters.small_parts_removed, counted[part] = 1;
            continue;
        }
        if (face_marks) (*face_marks)[kept++] = (*face_marks)[f];
        uint32_t a = mesh.tris[3 * f], b = mesh.tris[3 * f + 1], c = mesh.tris[3 * f + 2];
        if (volume[part] < 0) {
            std::swap(b, c);
            ++counters.faces_flipped;
        }
        tris.insert(tris.end(), {a, b, c});
    }
    mesh.tris.swap(tris);
    if (face_marks) face_marks->resize(kept);
}

} // namespace mf

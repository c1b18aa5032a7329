// Non-manifold splitting for repair. Edges with more than two faces are first relieved of fins: faces that
// had a twin of opposite winding (a zero-thickness double sheet, or the wall between two touching solids)
// and faces hanging on the edge by their other two edges open. The faces left on an edge are sorted by
// angle around it and paired with an angular neighbour, so that each pair bounds one wedge (of solid where
// the input's winding says so). The endpoints of paired edges, and vertices whose closed fans touch only
// at the vertex, are then split into one vertex per fan. inspect welds equal positions, so every copy is
// moved a hair (a ten-thousandth of its shortest edge) into its own fan, away from the others.
#include "split_nonmanifold.hpp"

#include "union_find.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <unordered_map>

namespace mf {

namespace {

constexpr uint32_t kNone = 0xFFFFFFFFu;
constexpr double kShift = 1e-4; // of the shortest edge at a split vertex
constexpr double kTie = 1e-9;   // radians: faces this close around an edge are coplanar

struct Corner {
    uint64_t key; // lower welded id << 32 | upper
    uint32_t face;
    uint8_t edge; // edge k runs from corner k to corner k + 1
    bool operator<(const Corner &o) const { return key < o.key || (key == o.key && face < o.face); }
};

std::vector<Corner> face_edges(const IndexedMesh &mesh, const std::vector<uint32_t> &welded,
                               const std::vector<uint8_t> &alive) {
    std::vector<Corner> edges;
    edges.reserve(mesh.tris.size());
    for (size_t f = 0; f < mesh.tris.size() / 3; ++f) {
        if (!alive[f]) continue;
        for (int k = 0; k < 3; ++k) {
            uint32_t a = welded[mesh.tris[3 * f + k]], b = welded[mesh.tris[3 * f + (k + 1) % 3]];
            edges.push_back({edge_key(a, b), uint32_t(f), uint8_t(k)});
        }
    }
    std::sort(edges.begin(), edges.end());
    return edges;
}

// Drops twinned faces on an edge of three or more faces, then those left with an edge that only a removal
// opened, and faces on a crowded edge whose two other edges are open; a worklist until none is left.
uint64_t remove_fins(IndexedMesh &mesh, const std::vector<uint32_t> &welded, const std::vector<uint8_t> &twinned,
                     std::vector<uint8_t> &alive) {
    const size_t n = mesh.tris.size() / 3;
    const std::vector<Corner> edges = face_edges(mesh, welded, alive);
    std::vector<uint32_t> group(3 * n, kNone), begin, count;
    for (size_t i = 0; i < edges.size();) {
        size_t j = i;
        while (j < edges.size() && edges[j].key == edges[i].key) ++j;
        for (size_t e = i; e < j; ++e) group[3 * edges[e].face + edges[e].edge] = uint32_t(begin.size());
        begin.push_back(uint32_t(i));
        count.push_back(uint32_t(j - i));
        i = j;
    }
    begin.push_back(uint32_t(edges.size()));
    const std::vector<uint32_t> first = count;
    auto is_fin = [&](size_t f) {
        bool crowded = false, opened = false;
        int open = 0;
        for (int k = 0; k < 3; ++k) {
            const uint32_t g = group[3 * f + k];
            crowded |= count[g] > 2;
            opened |= count[g] == 1 && first[g] > 1;
            open += count[g] == 1;
        }
        return (twinned[f] && (crowded || opened)) || (crowded && open == 2);
    };
    std::vector<uint32_t> work;
    for (size_t f = 0; f < n; ++f)
        if (alive[f]) work.push_back(uint32_t(f));
    std::reverse(work.begin(), work.end()); // popped in input order
    uint64_t removed = 0;
    while (!work.empty()) {
        const uint32_t f = work.back();
        work.pop_back();
        if (!alive[f] || !is_fin(f)) continue;
        alive[f] = 0;
        ++removed;
        for (int k = 0; k < 3; ++k) {
            const uint32_t g = group[3 * f + k];
            --count[g];
            for (uint32_t e = begin[g]; e < begin[g + 1]; ++e)
                if (alive[edges[e].face]) work.push_back(edges[e].face);
        }
    }
    return removed;
}

struct Spoke {
    double angle;
    uint32_t face;
    uint8_t edge;
    bool forward;
};

// Pairs the m (even) faces on the crowded edge edges[i, i + m) by angle around it, so that each pair bounds
// one wedge; returns false (nothing paired) for an edge of zero length.
bool pair_around_edge(const IndexedMesh &mesh, const std::vector<uint32_t> &welded, const std::vector<Corner> &edges,
                      size_t i, size_t m, const std::vector<Vec3d> &at, std::vector<uint32_t> &across,
                      std::vector<Spoke> &spokes) {
    const uint32_t a = uint32_t(edges[i].key >> 32), b = uint32_t(edges[i].key);
    Vec3d u = at[b] - at[a];
    const double length = norm(u);
    if (!(length > 0)) return false;
    u = u * (1 / length);
    Vec3d e1 = std::fabs(u.x) < 0.9 ? Vec3d{1, 0, 0} : Vec3d{0, 1, 0};
    e1 = e1 - u * dot(e1, u);
    e1 = e1 * (1 / norm(e1));
    const Vec3d e2 = cross(u, e1);
    spokes.clear();
    for (size_t e = i; e < i + m; ++e) {
        const uint32_t *t = &mesh.tris[3 * edges[e].face];
        const int k = edges[e].edge;
        Vec3d d = mesh.positions[t[(k + 2) % 3]] - at[a];
        spokes.push_back({std::atan2(dot(d, e2), dot(d, e1)), edges[e].face, edges[e].edge, welded[t[k]] == a});
    }
    std::sort(spokes.begin(), spokes.end(), [](const Spoke &p, const Spoke &q) { return p.angle < q.angle; });
    // Coplanar faces (solids touching face to face): the forward one first, so that the zero-width wedge
    // between them is outside.
    for (size_t p = 1; p < m; ++p)
        if (spokes[p].angle - spokes[p - 1].angle < kTie && !spokes[p - 1].forward && spokes[p].forward)
            std::swap(spokes[p - 1], spokes[p]);
    // A face running a -> b has its outside toward larger angles: the wedge from a backward face to the next
    // forward one is solid. Score both ways of pairing angular neighbours.
    int best = -1, offset = 0;
    for (int o = 0; o < 2; ++o) {
        int score = 0;
        for (size_t p = 0; p < m; p += 2) {
            const Spoke &s = spokes[(p + o) % m], &t = spokes[(p + o + 1) % m];
            score += s.forward != t.forward ? (t.forward ? 2 : 1) : 0;
        }
        if (score > best) best = score, offset = o;
    }
    for (size_t p = 0; p < m; p += 2) {
        const Spoke &s = spokes[(p + offset) % m], &t = spokes[(p + offset + 1) % m];
        across[3 * s.face + s.edge] = t.face;
        across[3 * t.face + t.edge] = s.face;
    }
    return true;
}

// The face across each face edge (3 * face + edge): the other face of a two-face edge, the partner of a
// paired one, kNone on open and odd edges. Marks the endpoints of paired edges in split_here.
std::vector<uint32_t> faces_across(const IndexedMesh &mesh, const std::vector<uint32_t> &welded,
                                   const std::vector<Corner> &edges, const std::vector<Vec3d> &at,
                                   std::vector<uint8_t> &split_here, RepairCounters &counters) {
    std::vector<uint32_t> across(mesh.tris.size(), kNone);
    std::vector<Spoke> spokes;
    for (size_t i = 0; i < edges.size();) {
        size_t j = i;
        while (j < edges.size() && edges[j].key == edges[i].key) ++j;
        const size_t m = j - i;
        if (m == 2) {
            across[3 * edges[i].face + edges[i].edge] = edges[i + 1].face;
            across[3 * edges[i + 1].face + edges[i + 1].edge] = edges[i].face;
        } else if (m > 2 && m % 2 == 0 && pair_around_edge(mesh, welded, edges, i, m, at, across, spokes)) {
            split_here[uint32_t(edges[i].key >> 32)] = split_here[uint32_t(edges[i].key)] = 1;
            ++counters.edges_split;
        }
        i = j;
    }
    return across;
}

// Corners (3 * face + k) around each welded vertex, grouped into fans by the links across their edges at
// the vertex; open_at marks vertices on an edge with nothing across.
struct VertexFans {
    std::vector<uint32_t> offsets; // ring[offsets[v] .. offsets[v + 1]): the corners at v
    std::vector<uint32_t> ring;
    UnionFind fans;
    std::vector<uint8_t> open_at;

    VertexFans(const IndexedMesh &mesh, const std::vector<uint32_t> &welded, const std::vector<uint8_t> &alive,
               const std::vector<uint32_t> &across, uint32_t ids)
        : offsets(ids + 1, 0), fans(uint32_t(mesh.tris.size())), open_at(ids, 0) {
        const size_t n = mesh.tris.size() / 3;
        for (size_t f = 0; f < n; ++f)
            if (alive[f])
                for (int k = 0; k < 3; ++k) ++offsets[welded[mesh.tris[3 * f + k]] + 1];
        for (uint32_t v = 0; v < ids; ++v) offsets[v + 1] += offsets[v];
        ring.resize(offsets[ids]);
        std::vector<uint32_t> fill(offsets.begin(), offsets.end() - 1);
        for (size_t f = 0; f < n; ++f)
            if (alive[f])
                for (int k = 0; k < 3; ++k) ring[fill[welded[mesh.tris[3 * f + k]]]++] = uint32_t(3 * f + k);
        for (size_t f = 0; f < n; ++f) {
            if (!alive[f]) continue;
            for (int k = 0; k < 3; ++k) {
                // Edge k joins corners k and k + 1 of f; in the face across, the corners of the same vertices.
                const uint32_t g = across[3 * f + k];
                const uint32_t wk = welded[mesh.tris[3 * f + k]], wn = welded[mesh.tris[3 * f + (k + 1) % 3]];
                if (g == kNone) {
                    open_at[wk] = open_at[wn] = 1;
                    continue;
                }
                for (int c = 0; c < 3; ++c) {
                    const uint32_t w = welded[mesh.tris[3 * g + c]];
                    if (w == wk) fans.unite(uint32_t(3 * f + k), uint32_t(3 * g + c));
                    if (w == wn) fans.unite(uint32_t(3 * f + (k + 1) % 3), uint32_t(3 * g + c));
                }
            }
        }
    }
};

// Splits welded vertex v, at p, into one vertex per fan (roots): the first fan keeps v's vertices, the
// others get copies (welded id next_id onward); each moves a hair into its own fan, away from the others.
void split_fans_at(IndexedMesh &mesh, std::vector<uint32_t> &welded, VertexFans &fans, uint32_t v, const Vec3d &p,
                   const std::vector<uint32_t> &roots, uint32_t &next_id, RepairCounters &counters) {
    const size_t k = roots.size();
    std::vector<Vec3d> centre(k, Vec3d{0, 0, 0});
    std::vector<double> shortest(k, DBL_MAX);
    std::vector<uint32_t> fan_count(k, 0);
    const uint32_t *first = &fans.ring[fans.offsets[v]], *last = &fans.ring[fans.offsets[v + 1] - 1] + 1;
    for (const uint32_t *r = first; r != last; ++r) {
        const uint32_t corner = *r, f = corner / 3;
        const size_t fan = std::find(roots.begin(), roots.end(), fans.fans.find(corner)) - roots.begin();
        for (int c = 1; c < 3; ++c) {
            const Vec3d &q = mesh.positions[mesh.tris[3 * f + (corner % 3 + c) % 3]];
            centre[fan] = centre[fan] + q;
            shortest[fan] = std::min(shortest[fan], norm(q - p));
        }
        fan_count[fan] += 2;
    }
    for (size_t i = 0; i < k; ++i) centre[i] = centre[i] * (1.0 / fan_count[i]);
    const double magnitude = std::max({std::fabs(p.x), std::fabs(p.y), std::fabs(p.z)});
    std::unordered_map<uint32_t, uint32_t> copy; // raw vertex -> its copy in the current fan
    for (size_t i = 0; i < k; ++i) {
        Vec3d rest{0, 0, 0};
        for (size_t j = 0; j < k; ++j)
            if (j != i) rest = rest + centre[j] * (1.0 / double(k - 1));
        Vec3d inward = centre[i] - p, away = centre[i] - rest;
        Vec3d dir = (norm(inward) > 0 ? inward * (1 / norm(inward)) : inward) +
                    (norm(away) > 0 ? away * (1 / norm(away)) : away);
        if (norm(dir) == 0) dir = inward;
        if (norm(dir) == 0) continue;
        dir = dir * (1 / norm(dir));
        // Far enough for float32 to tell the copies apart, never more than a tenth of the shortest edge.
        const double shift = std::min(0.1 * shortest[i], std::max(kShift * shortest[i], 64 * magnitude * FLT_EPSILON));
        const Vec3d moved = p + dir * shift;
        const uint32_t id = i == 0 ? v : next_id++;
        if (i > 0) ++counters.vertices_split;
        copy.clear();
        for (const uint32_t *r = first; r != last; ++r) {
            const uint32_t corner = *r;
            if (fans.fans.find(corner) != roots[i]) continue;
            uint32_t &slot = mesh.tris[corner];
            if (i == 0) {
                mesh.positions[slot] = moved;
                continue;
            }
            auto [it, fresh] = copy.try_emplace(slot, 0);
            if (fresh) {
                const double one = 1;
                it->second = mesh.add_vertex(moved, &slot, &one, 1);
                welded.push_back(id);
            }
            slot = it->second;
        }
    }
}

// Every welded vertex of two or more fans is split, except where an open fan meets an unpaired vertex
// (holes pinched at a vertex are a matter for the hole filler).
void split_vertices(IndexedMesh &mesh, std::vector<uint32_t> &welded, VertexFans &fans, const std::vector<Vec3d> &at,
                    const std::vector<uint8_t> &split_here, uint32_t ids, RepairCounters &counters) {
    std::vector<uint32_t> roots;
    uint32_t next_id = ids;
    for (uint32_t v = 0; v < ids; ++v) {
        if (fans.offsets[v + 1] - fans.offsets[v] < 2) continue;
        roots.clear();
        for (uint32_t r = fans.offsets[v]; r < fans.offsets[v + 1]; ++r) {
            uint32_t root = fans.fans.find(fans.ring[r]);
            if (std::find(roots.begin(), roots.end(), root) == roots.end()) roots.push_back(root);
        }
        if (roots.size() < 2 || (!split_here[v] && fans.open_at[v])) continue;
        split_fans_at(mesh, welded, fans, v, at[v], roots, next_id, counters);
    }
}

} // namespace

void split_non_manifold(IndexedMesh &mesh, std::vector<uint32_t> &welded, const std::vector<uint8_t> &twinned,
                        RepairCounters &counters) {
    const size_t n = mesh.tris.size() / 3;
    std::vector<uint8_t> alive(n, 1);
    std::vector<Corner> edges = face_edges(mesh, welded, alive);
    bool crowded = false;
    for (size_t i = 2; i < edges.size() && !crowded; ++i) crowded = edges[i].key == edges[i - 2].key;
    if (crowded) {
        counters.faces_removed += remove_fins(mesh, welded, twinned, alive);
        edges = face_edges(mesh, welded, alive);
    }
    uint32_t ids = 0;
    for (uint32_t w : welded) ids = std::max(ids, w + 1);
    std::vector<Vec3d> at(ids);
    for (size_t v = 0; v < welded.size(); ++v) at[welded[v]] = mesh.positions[v];

    std::vector<uint8_t> split_here(ids, 0);
    const std::vector<uint32_t> across = faces_across(mesh, welded, edges, at, split_here, counters);
    VertexFans fans(mesh, welded, alive, across, ids);
    split_vertices(mesh, welded, fans, at, split_here, ids, counters);

    if (std::find(alive.begin(), alive.end(), 0) != alive.end()) {
        std::vector<uint32_t> tris;
        tris.reserve(mesh.tris.size());
        for (size_t f = 0; f < n; ++f)
            if (alive[f]) tris.insert(tris.end(), mesh.tris.begin() + 3 * f, mesh.tris.begin() + 3 * f + 3);
        mesh.tris.swap(tris);
    }
}

} // namespace mf

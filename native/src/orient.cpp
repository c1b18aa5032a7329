// Orientation for repair: faces made to agree across every manifold edge by a breadth-first walk; the
// patches that walk leaves apart (parted by open or non-manifold edges) turned by the winding number of the
// rest of the surface; then every vertex-connected part turned outward (positive signed volume); tiny parts
// dropped on request.
#include "orient.hpp"

#include "parallel.hpp"
#include "progress.hpp"
#include "triangle_tree.hpp"
#include "union_find.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>

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

void orient_consistently(IndexedMesh &mesh, const std::vector<uint32_t> &welded, RepairCounters &counters,
                         Patches *patches) {
    const size_t n = mesh.tris.size() / 3;
    std::vector<HalfEdge> edges = half_edges(mesh, welded);
    if (patches) patches->open.assign(n, 0);
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
        if (patches && j - i != 2)
            for (size_t e = i; e < j; ++e) patches->open[edges[e].face] = 1;
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
    if (patches) patches->of.assign(n, 0), patches->count = 0;
    for (size_t seed = 0; seed < n; ++seed) {
        if (state[seed] >= 0) continue;
        state[seed] = 0;
        queue.assign(1, uint32_t(seed));
        if (patches) ++patches->count;
        for (size_t q = 0; q < queue.size(); ++q) {
            uint32_t f = queue[q];
            if (patches) patches->of[f] = patches->count - 1;
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

// Faces sampled a patch (the largest), and the step off a face, a fraction of the patch's box diagonal: small,
// so that the two points stay between the patch and the next surface.
constexpr size_t kPatchSamples = 16;
constexpr double kPatchStep = 1e-3;
// A patch is turned only where the rest of the surface half encloses it (the rest's winding number there
// between these): a floor or lid of what the rest bounds, not a free sheet or a wall inside a solid.
constexpr double kHalfEnclosedLow = 0.25, kHalfEnclosedHigh = 0.75;

struct PatchVote {
    double rest_winding = 0; // area-weighted mean of the rest's winding number at the samples
    double side = 0;         // area-weighted votes: > 0 the rest encloses the patch's back, < 0 its front
    double area = 0;
};

// A tree over a patch's faces.
std::unique_ptr<TriangleTree> patch_tree(const IndexedMesh &mesh, const std::vector<uint32_t> &faces) {
    std::vector<uint32_t> tris;
    tris.reserve(3 * faces.size());
    for (uint32_t f : faces) tris.insert(tris.end(), mesh.tris.begin() + 3 * size_t(f), mesh.tris.begin() + 3 * size_t(f) + 3);
    return std::make_unique<TriangleTree>(mesh.positions, tris, nullptr);
}

// The rest's winding number, w(all) - w(patch), just behind and just in front of the patch's largest faces:
// the rest encloses the side where it is larger (on a correctly turned floor, its back).
// own: a tree over the patch's faces (patch_tree).
PatchVote vote_of_patch(const IndexedMesh &mesh, const std::vector<uint32_t> &faces, const TriangleTree &all,
                        const TriangleTree &own) {
    Vec3d lo = mesh.positions[mesh.tris[3 * size_t(faces[0])]], hi = lo;
    std::vector<std::pair<double, uint32_t>> by_area;
    by_area.reserve(faces.size());
    for (uint32_t f : faces) {
        const uint32_t *t = &mesh.tris[3 * size_t(f)];
        for (int k = 0; k < 3; ++k) grow_box(lo, hi, mesh.positions[t[k]]);
        by_area.push_back({norm(cross(mesh.positions[t[1]] - mesh.positions[t[0]], mesh.positions[t[2]] - mesh.positions[t[0]])), f});
    }
    const size_t samples = std::min(kPatchSamples, by_area.size());
    std::partial_sort(by_area.begin(), by_area.begin() + samples, by_area.end(), std::greater<>());
    const double step = kPatchStep * norm(hi - lo);
    PatchVote vote;
    for (size_t s = 0; s < samples && step > 0; ++s) {
        const auto [area2, f] = by_area[s];
        if (!(area2 > 0)) break;
        const uint32_t *t = &mesh.tris[3 * size_t(f)];
        const Vec3d &a = mesh.positions[t[0]], &b = mesh.positions[t[1]], &c = mesh.positions[t[2]];
        const Vec3d centre = (a + b + c) * (1.0 / 3.0), off = cross(b - a, c - a) * (step / area2);
        const double back = all.winding(centre - off, 4.0) - own.winding(centre - off, 4.0);
        const double front = all.winding(centre + off, 4.0) - own.winding(centre + off, 4.0);
        vote.rest_winding += area2 * 0.5 * (back + front);
        vote.side += area2 * (back > front ? 1 : back < front ? -1 : 0);
        vote.area += area2;
    }
    if (vote.area > 0) vote.rest_winding /= vote.area, vote.side /= vote.area;
    return vote;
}

} // namespace

void orient_patches_by_winding(IndexedMesh &mesh, const Patches &patches, RepairCounters &counters,
                               Progress &progress) {
    const size_t n = mesh.tris.size() / 3;
    if (patches.count < 2 || std::find(patches.open.begin(), patches.open.end(), uint8_t(1)) == patches.open.end())
        return;
    // Faces by patch; only open patches (a closed one is a part of its own, turned by its volume) are asked.
    std::vector<std::vector<uint32_t>> faces(patches.count);
    std::vector<uint8_t> open(patches.count, 0);
    for (size_t f = 0; f < n; ++f) {
        faces[patches.of[f]].push_back(uint32_t(f));
        open[patches.of[f]] |= patches.open[f];
    }
    std::vector<uint32_t> asked;
    for (uint32_t p = 0; p < patches.count; ++p)
        if (open[p]) asked.push_back(p);
    // The whole surface's tree on this thread, the asked patches' own on a helper meanwhile.
    std::optional<TriangleTree> all;
    std::vector<std::unique_ptr<TriangleTree>> own(asked.size());
    run_with_helper([&] { all.emplace(mesh.positions, mesh.tris, &progress); },
                    [&] {
                        for (size_t i = 0; i < asked.size(); ++i) own[i] = patch_tree(mesh, faces[asked[i]]);
                    });
    std::vector<uint8_t> turn(patches.count, 0);
    parallel_for(asked.size(), progress, 0.0, 0.0, "orient patches", [&](size_t i) {
        const PatchVote vote = vote_of_patch(mesh, faces[asked[i]], *all, *own[i]);
        turn[asked[i]] = vote.rest_winding > kHalfEnclosedLow && vote.rest_winding < kHalfEnclosedHigh && vote.side < -0.5;
    });
    progress.check();
    progress.log("orient: %zu open patches of %u judged by the rest's winding number, %zu turned", asked.size(),
                 patches.count, size_t(std::count(turn.begin(), turn.end(), uint8_t(1))));
    for (size_t f = 0; f < n; ++f)
        if (turn[patches.of[f]]) {
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

// Six times each part's signed volume (indexed by the part's root id), about the centre of the mesh's box so that
// rounding does not grow with the distance from the origin; area2 (optional): twice each part's area.
std::vector<double> part_volumes6(const IndexedMesh &mesh, const std::vector<uint32_t> &welded, UnionFind &parts,
                                  uint32_t ids, const Vec3d &centre, std::vector<double> *area2 = nullptr) {
    std::vector<double> volume(ids, 0);
    if (area2) area2->assign(ids, 0);
    for (size_t f = 0; f < mesh.tris.size() / 3; ++f) {
        const uint32_t part = parts.find(welded[mesh.tris[3 * f]]);
        const Vec3d a = mesh.positions[mesh.tris[3 * f]] - centre, b = mesh.positions[mesh.tris[3 * f + 1]] - centre,
                    c = mesh.positions[mesh.tris[3 * f + 2]] - centre;
        volume[part] += dot(a, cross(b, c));
        if (area2) (*area2)[part] += norm(cross(b - a, c - a));
    }
    return volume;
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
    const std::vector<double> volume = part_volumes6(mesh, welded, parts, vertex_ids, (all_lo + all_hi) * 0.5);
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

bool has_part_enclosing_nothing(const IndexedMesh &mesh, const std::vector<uint32_t> &welded, double diagonal) {
    if (mesh.tris.empty() || !(diagonal > 0)) return false;
    uint32_t ids = 0;
    Vec3d lo, hi;
    UnionFind parts = parts_of(mesh, welded, ids, lo, hi);
    std::vector<double> area2;
    const std::vector<double> volume6 = part_volumes6(mesh, welded, parts, ids, (lo + hi) * 0.5, &area2);
    // Thickness: twice the volume over the area.
    for (uint32_t p = 0; p < ids; ++p)
        if (area2[p] > 0 && 2 * std::abs(volume6[p] / 6) <= 1e-7 * diagonal * (area2[p] / 2)) return true;
    return false;
}

} // namespace mf

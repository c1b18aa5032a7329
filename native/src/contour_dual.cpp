// Dual contouring with one vertex for every sheet of surface in a cell. Crossed grid edges are found
// first (sorted by key, so that a binary search finds them again), their tangent planes next (in
// parallel: the caller's closest-point queries dominate), then every cell with corners of both signs: its
// sheets are the cycles that the face segments make of its crossed edges, and each sheet gets the vertex
// that fits its planes best. A crossed edge's quad joins the vertices of the four sheets around it, and
// the vertex of an ambiguous face's segment where one is needed.
#include "contour.hpp"
#include "crossing_near.hpp"

#include "faces.hpp"
#include "large_pages.hpp"
#include "parallel.hpp"
#include "parallel_blocks.hpp"
#include "plane_fit.hpp"
#include "progress.hpp"
#include "self_intersections.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <unordered_map>

namespace mf {

namespace {

// Vertices stay this many cells inside their own cell, so that no two coincide.
constexpr double kInset = 1e-3;
// Crossings stay this share of an edge away from its ends.
constexpr double kEdgeMargin = 0.02;
// A quad whose two splits both bend less than this (cosine between the halves) is split for shape alone.
constexpr double kFlatQuad = 0.985;
// Settling: rounds toward the mean of the crossings (the last of them all the way), then rounds toward
// the cell's centre, which give up after kStuckRounds rounds without fewer vertices to move.
constexpr int kMeanRounds = 4;
constexpr int kSettleRounds = 12;
constexpr int kStuckRounds = 3;
// Sharpening moves a vertex at most this many cells beyond its own cell; two corners nearer than
// kSameCorner cells are one.
constexpr double kReach = 0.5;
constexpr double kSameCorner = 0.1;
// The cell of a vertex that belongs to no cell (one on a segment of an ambiguous face).
constexpr uint64_t kNoCell = ~uint64_t(0);
// The serial passes over the grid run as about this many slabs of whole layers, two threads taking them in turn.
constexpr int64_t kSlabs = 64;

int64_t slab_layers(int64_t layers) { return std::max<int64_t>(1, (layers + kSlabs - 1) / kSlabs); }
// A fitted or sharpened vertex may stand at most this many cells farther from the input than the mean of
// its crossings does. Where the input has a sharp edge or corner the planes meet on it; where it is only
// strongly curved (the rim of a thin slab, a small cylinder) the tangent planes meet outside it, and the
// vertex stays at the mean.
constexpr double kDrift = 0.1;

// Cell corners: bit 0 is x, bit 1 y, bit 2 z. Edge e runs along axis e / 4 from the corner whose bits on
// the other two axes (ascending) are e % 4.
int edge_lower(int e) {
    int a = e / 4, r = e % 4, b = a == 0 ? 1 : 0, c = a == 2 ? 1 : 2;
    return ((r & 1) << b) | ((r >> 1) << c);
}

struct CellTables {
    int face_corner[6][4]; // around the face, counter-clockwise seen from +axis
    int face_edge[6][4];   // edge i joins corners i and i + 1
    CellTables() {
        for (int a = 0; a < 3; ++a)
            for (int s = 0; s < 2; ++s) {
                int f = 2 * a + s, u = (a + 1) % 3, v = (a + 2) % 3, q0 = s << a;
                int q[4] = {q0, q0 | 1 << u, q0 | 1 << u | 1 << v, q0 | 1 << v};
                for (int i = 0; i < 4; ++i) face_corner[f][i] = q[i];
                for (int i = 0; i < 4; ++i) {
                    int p = q[i], n = q[(i + 1) % 4], lower = p & n, axis = (p ^ n) == 1 ? 0 : ((p ^ n) == 2 ? 1 : 2);
                    int b = axis == 0 ? 1 : 0, c = axis == 2 ? 1 : 2;
                    face_edge[f][i] = 4 * axis + ((lower >> b) & 1) + 2 * ((lower >> c) & 1);
                }
            }
    }
};

const CellTables &tables() {
    static const CellTables t;
    return t;
}

double doubled_area(const Vec3d &a, const Vec3d &b, const Vec3d &c) { return norm(cross(b - a, c - a)); }

Vec3d unit(const Vec3d &a) {
    double l = norm(a);
    return l > 0 ? a * (1 / l) : a;
}

// Edges (edge_key) without exactly two faces, one each way round: the edges as their faces run them, from the
// lower id to the higher and back, sorted apart (the two sorts on two threads); an edge must be once in each.
std::vector<uint64_t> crowded_edges(const std::vector<uint32_t> &tris) {
    std::vector<uint64_t> up, down;
    reserve_on_huge_pages(up, tris.size() / 2 + 1), reserve_on_huge_pages(down, tris.size() / 2 + 1);
    for (size_t f = 0; f < tris.size(); f += 3)
        for (int k = 0; k < 3; ++k) {
            const uint32_t a = tris[f + k], b = tris[f + (k + 1) % 3];
            (a < b ? up : down).push_back(edge_key(a, b));
        }
    run_with_helper([&] { std::sort(up.begin(), up.end()); }, [&] { std::sort(down.begin(), down.end()); });
    std::vector<uint64_t> bad;
    size_t i = 0, j = 0;
    while (i < up.size() || j < down.size()) {
        const uint64_t key = j == down.size() || (i < up.size() && up[i] < down[j]) ? up[i] : down[j];
        size_t u = 0, d = 0;
        while (i < up.size() && up[i] == key) ++i, ++u;
        while (j < down.size() && down[j] == key) ++j, ++d;
        if (u != 1 || d != 1) bad.push_back(key);
    }
    return bad;
}

// Vertices of crossing or degenerate faces and coinciding vertices (as float32, which inspect measures)
// go back to where their own cell put them if sharpen() moved them, else a quarter of the way toward
// their mean crossing (all the way in round kMeanRounds), then halfway toward `centre` each round; true
// when none is left, false when that stops helping.
bool settle(IndexedMesh &mesh, const std::vector<Vec3d> &unsharpened, const std::vector<Vec3d> &mean,
            const std::vector<Vec3d> &centre, double diagonal, Progress &progress) {
    size_t fewest = SIZE_MAX;
    int stuck = 0;
    const double limit = 1e-12 * diagonal * diagonal;
    std::vector<uint8_t> moved_before; // the vertices the round before moved
    for (int round = 0; round <= kSettleRounds; ++round) {
        std::vector<Vec3d> rounded;
        reserve_on_huge_pages(rounded, mesh.positions.size());
        for (const Vec3d &p : mesh.positions) rounded.push_back(rounded_to_float(p));
        std::vector<uint8_t> bad;
        reserve_on_huge_pages(bad, rounded.size());
        bad.assign(rounded.size(), 0);
        size_t nx = 0, nd = 0, nu = 0;
        // The crossing search on the calling thread (its tree is built on one); meanwhile a helper finds the
        // degenerate faces and sorts the vertices by position. After the first round only faces near the
        // vertices the round before moved are searched: every face of a crossing pair had its corners moved, so a
        // pair of faces with no moved corner still does not cross.
        std::vector<uint32_t> crossing, order;
        std::vector<uint8_t> flat(mesh.tris.size() / 3, 0);
        auto less = [&](uint32_t a, uint32_t b) {
            const Vec3d &p = rounded[a], &q = rounded[b];
            return p.x != q.x ? p.x < q.x : (p.y != q.y ? p.y < q.y : p.z < q.z);
        };
        run_with_helper(
            [&] {
                crossing = round == 0 ? find_crossing_faces(mesh.tris, rounded, &progress)
                                      : find_crossing_faces_near(mesh.tris, rounded, moved_before, progress);
            },
            [&] {
                for (size_t f = 0; f < flat.size(); ++f) {
                    const uint32_t *t = &mesh.tris[3 * f];
                    flat[f] = doubled_area(rounded[t[0]], rounded[t[1]], rounded[t[2]]) <= 4 * limit;
                }
                reserve_on_huge_pages(order, rounded.size());
                for (size_t v = 0; v < rounded.size(); ++v) order.push_back(uint32_t(v));
                std::sort(order.begin(), order.end(), less);
            });
        for (uint32_t f : crossing) {
            ++nx;
            for (int k = 0; k < 3; ++k) bad[mesh.tris[3 * size_t(f) + k]] = 1;
        }
        for (size_t f = 0; f < flat.size(); ++f)
            if (flat[f]) {
                const uint32_t *t = &mesh.tris[3 * f];
                bad[t[0]] = bad[t[1]] = bad[t[2]] = 1, ++nd;
            }
        for (size_t i = 1; i < order.size(); ++i)
            if (!less(order[i - 1], order[i])) bad[order[i - 1]] = bad[order[i]] = 1, ++nu;
        size_t moved = 0;
        for (size_t v = 0; v < bad.size(); ++v) {
            if (!bad[v]) continue;
            ++moved;
            Vec3d &p = mesh.positions[v];
            if (p.x != unsharpened[v].x || p.y != unsharpened[v].y || p.z != unsharpened[v].z) p = unsharpened[v];
            else if (round < kMeanRounds) p = p + (mean[v] - p) * 0.25;
            else if (round == kMeanRounds) p = mean[v];
            else p = p + (centre[v] - p) * 0.5;
        }
        progress.log("settle round %d: %zu vertices moved (%zu crossing faces, %zu degenerate, %zu coinciding)", round, moved,
                     nx, nd, nu);
        if (moved == 0) return true;
        moved_before = std::move(bad);
        if (round <= kMeanRounds || moved < fewest) fewest = moved, stuck = 0;
        else if (++stuck == kStuckRounds) return false;
        progress.check();
    }
    return false;
}

// Whether x stands more than kDrift cells farther from the input than m does. The distance changes no
// faster than the point moves, so x within kDrift cells of m needs no query.
bool drifts(const Vec3d &x, const Vec3d &m, double h, const GapFn &gap) {
    return norm(x - m) > kDrift * h && gap(x) > gap(m) + kDrift * h;
}

// A corner or edge that passes through a cell may cross none of its edges on some of its faces (or pass
// through a cell of one sign only): the cell's own planes then fix fewer directions than the feature
// has. Where the planes of the vertex and its neighbours fix more and meet inside the vertex's cell (a
// corner: within kReach cells of it, one vertex a corner), the vertex moves there.
template <class NearCell>
void sharpen(IndexedMesh &mesh, const std::vector<TangentPlane> &plane, const std::vector<uint32_t> &crossings_of,
             const std::vector<uint32_t> &crossings_start, const std::vector<uint8_t> &rank_of,
             const std::vector<Vec3d> &mean, const std::vector<uint64_t> &cell_of, double h, const NearCell &near_cell,
             const GapFn &gap, Progress &progress) {
    const size_t nv = mesh.positions.size();
    // Neighbours through the faces, each listed about twice (once from each face over the edge), gathered on two
    // threads: a vertex's list comes in any order, which the sorted set of crossings below does not see.
    const size_t faces = mesh.tris.size() / 3;
    std::vector<uint32_t> start(nv + 1, 0), neighbours;
    resize_on_huge_pages(neighbours, 2 * mesh.tris.size());
    parallel_for(faces, progress, 0.0, 0.0, "contour", [&](size_t f) {
        for (int k = 0; k < 3; ++k) std::atomic_ref<uint32_t>(start[mesh.tris[3 * f + k] + 1]).fetch_add(2, std::memory_order_relaxed);
    });
    for (size_t v = 0; v < nv; ++v) start[v + 1] += start[v];
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    parallel_for(faces, progress, 0.0, 0.0, "contour", [&](size_t f) {
        for (int k = 0; k < 3; ++k) {
            const uint32_t v = mesh.tris[3 * f + k];
            const uint32_t at = std::atomic_ref<uint32_t>(fill[v]).fetch_add(2, std::memory_order_relaxed);
            neighbours[at] = mesh.tris[3 * f + (k + 1) % 3];
            neighbours[at + 1] = mesh.tris[3 * f + (k + 2) % 3];
        }
    });
    // Where each vertex would go (in parallel), then which of the corners among them are taken (in order).
    std::vector<Vec3d> moved = copy_on_huge_pages(mesh.positions);
    std::vector<uint8_t> rank_to(nv, 0);
    parallel_for(nv, progress, 0.0, 0.0, "contour", [&](size_t v) {
        if (rank_of[v] == 3) return;
        thread_local std::vector<uint32_t> which;
        which.assign(crossings_of.begin() + crossings_start[v], crossings_of.begin() + crossings_start[v + 1]);
        for (uint32_t i = start[v]; i < start[v + 1]; ++i) {
            uint32_t n = neighbours[i];
            which.insert(which.end(), crossings_of.begin() + crossings_start[n], crossings_of.begin() + crossings_start[n + 1]);
        }
        std::sort(which.begin(), which.end());
        which.erase(std::unique(which.begin(), which.end()), which.end());
        int rank = 0;
        Vec3d x = fit_planes(plane.data(), which.data(), int(which.size()), mean[v], &rank);
        if (rank <= rank_of[v] || !near_cell(cell_of[v], x, rank == 3 ? kReach : 0.0)) return;
        if (drifts(x, mean[v], h, gap)) return;
        moved[v] = x;
        rank_to[v] = uint8_t(rank);
    });
    progress.check();
    // Corners taken so far, binned by kSameCorner cells.
    std::unordered_map<uint64_t, std::vector<Vec3d>> corners;
    const double bin = kSameCorner * h;
    auto bin_key = [](int64_t i, int64_t j, int64_t k) {
        return (uint64_t(i & 0x1FFFFF) << 42) | (uint64_t(j & 0x1FFFFF) << 21) | uint64_t(k & 0x1FFFFF);
    };
    for (size_t v = 0; v < nv; ++v) {
        if (rank_to[v] != 3) continue; // one vertex a corner
        const Vec3d &x = moved[v];
        const int64_t i = int64_t(std::floor(x.x / bin)), j = int64_t(std::floor(x.y / bin)),
                      k = int64_t(std::floor(x.z / bin));
        bool taken = false;
        for (int64_t di = -1; di <= 1; ++di)
            for (int64_t dj = -1; dj <= 1; ++dj)
                for (int64_t dk = -1; dk <= 1; ++dk) {
                    auto it = corners.find(bin_key(i + di, j + dj, k + dk));
                    if (it == corners.end()) continue;
                    for (const Vec3d &c : it->second) taken = taken || norm2(c - x) < bin * bin;
                }
        if (taken) moved[v] = mesh.positions[v];
        else corners[bin_key(i, j, k)].push_back(x);
    }
    mesh.positions.swap(moved);
}

constexpr uint32_t kNoVertex = 0xFFFFFFFFu;

// One contouring: the steps of contour_dual and what they hand on to each other.
class DualContour {
public:
    DualContour(const ScalarGrid &grid, const TangentFn &tangent, const GapFn &gap, Progress &progress, IndexedMesh &out)
        : grid_(grid), field_(grid.field), tangent_(tangent), gap_(gap), progress_(progress), out_(out),
          step_{1, grid.dims[0], grid.dims[0] * grid.dims[1]},
          corner_offset_{0, step_[0], step_[1], step_[0] + step_[1], step_[2], step_[2] + step_[0], step_[2] + step_[1],
                         step_[2] + step_[1] + step_[0]} {}

    bool run() {
        out_ = IndexedMesh{};
        find_crossings();
        place_cell_vertices();
        count_ambiguous_joins();
        if (!make_faces()) return fail();
        const std::vector<uint64_t> crowded = crowded_edges(out_.tris);
        progress_.log("dual: %zu vertices %zu faces, %zu crowded edges", out_.positions.size(), out_.tris.size() / 3,
                      crowded.size());
        if (!crowded.empty()) return fail(); // not expected: every pair of sheets meets through one segment now
        return place_features() || fail();
    }

private:
    bool fail() {
        out_ = IndexedMesh{};
        return false;
    }

    // Crossed grid edges (key = 3 * lower point + axis, ascending), where each is crossed and its plane.
    // The keys of the crossed edges from the points of layers k0..k1 (ascending).
    void append_crossed_edges(int64_t k0, int64_t k1, std::vector<uint64_t> &keys) const {
        const int64_t *dims = grid_.dims;
        for (int64_t k = k0; k < k1; ++k)
            for (int64_t j = 0; j < dims[1]; ++j)
                for (int64_t i = 0; i < dims[0]; ++i) {
                    const uint64_t p = grid_.id(i, j, k);
                    const int64_t c[3] = {i, j, k};
                    const bool in = field_[p] < 0;
                    for (int a = 0; a < 3; ++a)
                        if (c[a] + 1 < dims[a] && in != (field_[p + step_[a]] < 0)) keys.push_back(3 * p + a);
                }
    }

    void find_crossings() {
        const int64_t *dims = grid_.dims;
        // Slabs of layers in parallel, joined in order: the keys come out ascending, as one pass makes them.
        const int64_t per = slab_layers(dims[2]);
        std::vector<std::vector<uint64_t>> part(size_t((dims[2] + per - 1) / per));
        parallel_blocks(part.size(), progress_, [&](size_t b) {
            append_crossed_edges(int64_t(b) * per, std::min(dims[2], int64_t(b + 1) * per), part[b]);
        });
        size_t crossings = 0;
        for (const auto &keys : part) crossings += keys.size();
        keys_.reserve(crossings);
        for (auto &keys : part) {
            keys_.insert(keys_.end(), keys.begin(), keys.end());
            std::vector<uint64_t>().swap(keys);
        }
        resize_on_huge_pages(where_, crossings);
        resize_on_huge_pages(plane_, crossings);
        parallel_for(crossings, progress_, 0.0, 0.0, "contour", [&](size_t i) {
            uint64_t p = keys_[i] / 3;
            int a = int(keys_[i] % 3);
            double f1 = field_[p], f2 = field_[p + step_[a]];
            // Kept off the grid points: where the input lies on a grid plane (CAD faces often do), crossings
            // on the edges from one point would coincide, and so would the vertices fitted to them.
            double t = std::clamp(f1 / (f1 - f2), kEdgeMargin, 1 - kEdgeMargin);
            Vec3d x = grid_.point(p);
            (a == 0 ? x.x : a == 1 ? x.y : x.z) += t * grid_.h;
            where_[i] = x;
            plane_[i] = tangent_(x);
        });
        progress_.check();
        reserve_on_huge_pages(quad_, 4 * crossings), quad_.assign(4 * crossings, kNoVertex);
    }

    size_t find(uint64_t key) const {
        return size_t(std::lower_bound(keys_.begin(), keys_.end(), key) - keys_.begin());
    }

    // The share of the way from m to x that stays inside the cell at `base` (less an inset).
    double inside_share(uint64_t base, const Vec3d &m, const Vec3d &x) const {
        Vec3d lo = grid_.point(base);
        double share = 1;
        for (int a = 0; a < 3; ++a) {
            double mn = coord(lo, a) + kInset * grid_.h, mx = coord(lo, a) + (1 - kInset) * grid_.h;
            double from = coord(m, a), to = coord(x, a);
            if (to > mx) share = std::min(share, (mx - from) / (to - from));
            if (to < mn) share = std::min(share, (mn - from) / (to - from));
        }
        return std::max(0.0, share);
    }

    // What a slab of cell layers adds: its vertices (ids from 0 in the slab, in the order of their cells) with
    // their crossings, and its ambiguous faces.
    struct Slab {
        std::vector<Vec3d> mean, position;
        std::vector<uint64_t> cell_of;
        std::vector<uint8_t> rank_of;
        std::vector<uint32_t> crossings_of, crossings_end; // per vertex: the end of its crossings in the slab's list
        std::unordered_map<uint64_t, std::array<std::array<size_t, 2>, 2>> ambiguous;
    };

    // Every cell with corners of both signs gets a vertex for each of its sheets: slabs of cell layers in
    // parallel, then their vertices joined in slab order (the order of their cells, as one pass numbers them)
    // and the quads' vertex ids moved on by the vertices of the slabs before.
    void place_cell_vertices() {
        const int64_t *dims = grid_.dims;
        const int64_t layers = std::max<int64_t>(0, dims[2] - 1), per = slab_layers(layers);
        std::vector<Slab> slabs(size_t((layers + per - 1) / per));
        parallel_blocks(slabs.size(), progress_, [&](size_t b) {
            const int64_t k0 = int64_t(b) * per, k1 = std::min(layers, k0 + per);
            Slab &slab = slabs[b];
            // About one vertex a crossing of the slab's points.
            const size_t guess = find(3 * grid_.id(0, 0, k1)) - find(3 * grid_.id(0, 0, k0));
            slab.mean.reserve(guess), slab.position.reserve(guess), slab.cell_of.reserve(guess);
            slab.rank_of.reserve(guess), slab.crossings_end.reserve(guess), slab.crossings_of.reserve(4 * guess);
            for (int64_t k = k0; k < k1; ++k)
                for (int64_t j = 0; j + 1 < dims[1]; ++j)
                    for (int64_t i = 0; i + 1 < dims[0]; ++i) {
                        const uint64_t base = grid_.id(i, j, k);
                        float f[8];
                        int inside = 0;
                        for (int c = 0; c < 8; ++c) inside += (f[c] = field_[base + corner_offset_[c]]) < 0;
                        if (inside == 0 || inside == 8) continue;
                        int link[12][2], links[12] = {};
                        link_face_segments(base, f, link, links, slab);
                        add_sheet_vertices(base, link, links, slab);
                    }
        });
        std::vector<uint32_t> first(slabs.size() + 1, 0); // the id of each slab's first vertex
        size_t crossing_slots = 0;
        for (size_t b = 0; b < slabs.size(); ++b)
            first[b + 1] = first[b] + uint32_t(slabs[b].mean.size()), crossing_slots += slabs[b].crossings_of.size();
        const size_t vertices = first.back() + keys_.size() / 8 + 16; // room for the vertices of split segments
        reserve_on_huge_pages(mean_, vertices), reserve_on_huge_pages(cell_of_, vertices);
        reserve_on_huge_pages(rank_of_, vertices), reserve_on_huge_pages(out_.positions, vertices);
        reserve_on_huge_pages(crossings_start_, vertices + 1), reserve_on_huge_pages(crossings_of_, crossing_slots + 64);
        crossings_start_.assign(1, 0);
        for (Slab &slab : slabs) {
            const uint32_t before = uint32_t(crossings_of_.size());
            mean_.insert(mean_.end(), slab.mean.begin(), slab.mean.end());
            out_.positions.insert(out_.positions.end(), slab.position.begin(), slab.position.end());
            cell_of_.insert(cell_of_.end(), slab.cell_of.begin(), slab.cell_of.end());
            rank_of_.insert(rank_of_.end(), slab.rank_of.begin(), slab.rank_of.end());
            crossings_of_.insert(crossings_of_.end(), slab.crossings_of.begin(), slab.crossings_of.end());
            for (uint32_t end : slab.crossings_end) crossings_start_.push_back(before + end);
            ambiguous_.insert(slab.ambiguous.begin(), slab.ambiguous.end()); // a face's two cells record it alike
            slab = Slab{};
        }
        // A quad slot holds the id its cell's slab gave: moved on by the vertices of the slabs before that one.
        const uint64_t layer = uint64_t(dims[0] * dims[1]);
        parallel_for(keys_.size(), progress_, 0.0, 0.0, "contour", [&](size_t c) {
            const int a = int(keys_[c] % 3), u = (a + 1) % 3, v = (a + 2) % 3;
            const int64_t k = int64_t(keys_[c] / 3 / layer);
            for (int slot = 0; slot < 4; ++slot) {
                uint32_t &q = quad_[4 * c + slot];
                if (q == kNoVertex) continue;
                const int du = slot == 1 || slot == 2, dv = slot >= 2;
                const int64_t cell_k = k - (u == 2 ? du : 0) - (v == 2 ? dv : 0);
                q += first[size_t(cell_k / per)];
            }
        });
    }

    // Face segments join crossed edges in pairs; every crossed edge lies on two faces. An ambiguous face's
    // two segments are recorded with the crossings they join.
    void link_face_segments(uint64_t base, const float f[8], int link[12][2], int links[12], Slab &slab) const {
        const CellTables &tab = tables();
        auto join = [&](int x, int y) { link[x][links[x]++] = y, link[y][links[y]++] = x; };
        for (int face = 0; face < 6; ++face) {
            const int *q = tab.face_corner[face], *e = tab.face_edge[face];
            bool in[4];
            int crossed = 0;
            for (int c = 0; c < 4; ++c) in[c] = f[q[c]] < 0;
            for (int c = 0; c < 4; ++c) crossed += in[c] != in[(c + 1) % 4];
            if (crossed == 2) {
                int ends[2], n = 0;
                for (int c = 0; c < 4; ++c)
                    if (in[c] != in[(c + 1) % 4]) ends[n++] = e[c];
                join(ends[0], ends[1]);
            } else if (crossed == 4) {
                // Asymptotic decider: the bilinear interpolant's saddle says whether the inside corners meet
                // across the face; the corners of the other sign are cut off.
                double f0 = f[q[0]], f1 = f[q[1]], f2 = f[q[2]], f3 = f[q[3]];
                bool inside_meets = (f0 * f2 - f1 * f3) / (f0 + f2 - f1 - f3) < 0;
                int a = face / 2, s = face % 2;
                auto &segments = slab.ambiguous[3 * (base + s * step_[a]) + a];
                int n = 0;
                for (int c = 0; c < 4; ++c)
                    if (in[c] != inside_meets) {
                        join(e[(c + 3) % 4], e[c]);
                        segments[n][0] = find(3 * (base + corner_offset_[edge_lower(e[(c + 3) % 4])]) + e[(c + 3) % 4] / 4);
                        segments[n][1] = find(3 * (base + corner_offset_[edge_lower(e[c])]) + e[c] / 4);
                        ++n;
                    }
            }
        }
    }

    // The cell's sheets are the cycles of linked edges; each gets the vertex that fits its planes best, kept
    // inside the cell, and takes its slot (the slab's id) in the quads of its crossings.
    void add_sheet_vertices(uint64_t base, const int link[12][2], const int links[12], Slab &slab) {
        int sheet_of[12];
        std::fill(sheet_of, sheet_of + 12, -1);
        for (int start = 0; start < 12; ++start) {
            if (links[start] == 0 || sheet_of[start] >= 0) continue;
            // Walk the cycle through `start`.
            uint32_t global[12];
            int count = 0, prev = -1, e = start;
            const uint32_t vertex = uint32_t(slab.mean.size());
            Vec3d sum{0, 0, 0};
            do {
                sheet_of[e] = int(vertex);
                int a = e / 4, lower = edge_lower(e);
                size_t g = find(3 * (base + corner_offset_[lower]) + a);
                global[count++] = uint32_t(g);
                sum = sum + where_[g];
                int u = (a + 1) % 3, v = (a + 2) % 3, du = (lower >> u) & 1, dv = (lower >> v) & 1;
                quad_[4 * g + (du ? (dv ? 2 : 1) : (dv ? 3 : 0))] = vertex;
                int next = link[e][0] == prev ? link[e][1] : link[e][0];
                prev = e;
                e = next;
            } while (e != start && count < 12);
            Vec3d m = sum * (1.0 / count);
            int rank = 0;
            Vec3d x = fit_planes(plane_.data(), global, count, m, &rank);
            slab.mean.push_back(m);
            slab.cell_of.push_back(base);
            slab.rank_of.push_back(uint8_t(rank));
            slab.crossings_of.insert(slab.crossings_of.end(), global, global + count);
            slab.crossings_end.push_back(uint32_t(slab.crossings_of.size()));
            slab.position.push_back(m + (x - m) * inside_share(base, m, x));
        }
    }

    // The face shared by the cells of quad slots i and i + 1 around crossing c.
    uint64_t shared_face(size_t c, int i) const {
        const uint64_t p = keys_[c] / 3;
        const int a = int(keys_[c] % 3), u = (a + 1) % 3, v = (a + 2) % 3;
        switch (i) {
        case 0: return 3 * p + u;
        case 1: return 3 * (p - step_[u]) + v;
        case 2: return 3 * (p - step_[v]) + u;
        default: return 3 * p + v;
        }
    }

    // Where one sheet on each side of an ambiguous face holds both its segments, the two sheets' vertices
    // would be joined twice (an edge with four faces): counts the joins of every such pair.
    // Only the crossings on an ambiguous face's edges (its segments join all four) can have one as a shared face:
    // they are marked, and only they are looked up.
    void count_ambiguous_joins() {
        if (ambiguous_.empty()) return;
        on_ambiguous_face_.assign(keys_.size(), 0);
        for (const auto &[face, segments] : ambiguous_)
            for (const auto &segment : segments) on_ambiguous_face_[segment[0]] = on_ambiguous_face_[segment[1]] = 1;
        for (size_t c = 0; c < keys_.size(); ++c)
            if (on_ambiguous_face_[c])
                for (int i = 0; i < 4; ++i)
                    if (ambiguous_.count(shared_face(c, i))) ++joins_[edge_key(quad_[4 * c + i], quad_[4 * c + (i + 1) % 4])];
    }

    // The vertex of its own that a segment of an ambiguous face gets (at its middle) where the sheets beside
    // it are joined more than twice, or kNoVertex.
    uint32_t split_vertex(size_t c, int i) {
        const uint64_t face = shared_face(c, i);
        auto it = ambiguous_.find(face);
        if (it == ambiguous_.end()) return kNoVertex;
        auto j = joins_.find(edge_key(quad_[4 * c + i], quad_[4 * c + (i + 1) % 4]));
        if (j == joins_.end() || j->second <= 2) return kNoVertex;
        const int which = it->second[0][0] == c || it->second[0][1] == c ? 0 : 1;
        auto [slot, fresh] = segment_vertex_.try_emplace(2 * face + which, uint32_t(out_.positions.size()));
        if (fresh) {
            const size_t g0 = it->second[which][0], g1 = it->second[which][1];
            const Vec3d m = (where_[g0] + where_[g1]) * 0.5;
            out_.positions.push_back(m);
            mean_.push_back(m);
            cell_of_.push_back(kNoCell);
            rank_of_.push_back(3); // not sharpened
            crossings_of_.push_back(uint32_t(g0));
            crossings_of_.push_back(uint32_t(g1));
            crossings_start_.push_back(uint32_t(crossings_of_.size()));
        }
        return slot->second;
    }

    // A quad for every crossing, outward: toward the end of the edge that is outside. False where a crossing
    // lacks a vertex around it.
    bool make_faces() {
        reserve_on_huge_pages(out_.tris, 6 * keys_.size());
        // Each quad's split first, in parallel (it may ask the caller's distance twice); the faces in order.
        reserve_on_huge_pages(split_, keys_.size()), split_.assign(keys_.size(), 0);
        parallel_for(keys_.size(), progress_, 0.0, 0.0, "contour", [&](size_t c) {
            const uint32_t *q = &quad_[4 * c];
            if (q[0] == kNoVertex || q[1] == kNoVertex || q[2] == kNoVertex || q[3] == kNoVertex) return;
            split_[c] = uint8_t(quad_split(c, q, field_[keys_[c] / 3] < 0));
        });
        progress_.check();
        for (size_t c = 0; c < keys_.size(); ++c) {
            const uint32_t *q = &quad_[4 * c];
            if (q[0] == kNoVertex || q[1] == kNoVertex || q[2] == kNoVertex || q[3] == kNoVertex) return false;
            const bool lower_inside = field_[keys_[c] / 3] < 0;
            uint32_t split_at[4] = {kNoVertex, kNoVertex, kNoVertex, kNoVertex}; // between slots i and i + 1, if any
            bool any_split = false;
            if (!on_ambiguous_face_.empty() && on_ambiguous_face_[c])
                for (int i = 0; i < 4; ++i) any_split |= (split_at[i] = split_vertex(c, i)) != kNoVertex;
            if (any_split) add_split_polygon(q, split_at, lower_inside);
            else add_quad(c, q, lower_inside);
        }
        progress_.check();
        return true;
    }

    // A fan from the first inserted vertex around the polygon of the quad and its split vertices, outward.
    void add_split_polygon(const uint32_t q[4], const uint32_t split_at[4], bool lower_inside) {
        uint32_t ring[8];
        int n = 0;
        const int order[4] = {0, lower_inside ? 1 : 3, 2, lower_inside ? 3 : 1};
        for (int j = 0; j < 4; ++j) {
            const int from = order[j], to = order[(j + 1) % 4];
            ring[n++] = q[from];
            const int i = (to == (from + 1) % 4) ? from : to; // slot pair {i, i + 1}
            if (split_at[i] != kNoVertex) ring[n++] = split_at[i];
        }
        int first = 0;
        while (ring[first] != split_at[0] && ring[first] != split_at[1] && ring[first] != split_at[2] &&
               ring[first] != split_at[3])
            ++first;
        for (int k = 1; k + 1 < n; ++k)
            out_.tris.insert(out_.tris.end(), {ring[first], ring[(first + k) % n], ring[(first + k + 1) % n]});
    }

    // Which diagonal splits the quad of crossing c (0: v0-v2, 1: v1-v3 of its corners in outward order): the
    // one whose halves both face outward, else the flatter quad's better-shaped split, else the one nearer the
    // surface.
    int quad_split(size_t c, const uint32_t q[4], bool lower_inside) const {
        const int a = int(keys_[c] % 3);
        uint32_t v[4] = {q[0], q[1], q[2], q[3]};
        if (!lower_inside) std::swap(v[1], v[3]);
        Vec3d outward{0, 0, 0};
        (a == 0 ? outward.x : a == 1 ? outward.y : outward.z) = lower_inside ? 1 : -1;
        const Vec3d P[4] = {out_.positions[v[0]], out_.positions[v[1]], out_.positions[v[2]], out_.positions[v[3]]};
        // Split 0: diagonal v0-v2; split 1: diagonal v1-v3.
        const Vec3d n[2][2] = {{cross(P[1] - P[0], P[2] - P[0]), cross(P[2] - P[0], P[3] - P[0])},
                               {cross(P[1] - P[0], P[3] - P[0]), cross(P[2] - P[1], P[3] - P[1])}};
        bool facing[2];
        double bend[2], smaller[2];
        for (int s = 0; s < 2; ++s) {
            facing[s] = dot(n[s][0], outward) > 0 && dot(n[s][1], outward) > 0;
            bend[s] = dot(unit(n[s][0]), unit(n[s][1]));
            smaller[s] = std::min(norm(n[s][0]), norm(n[s][1]));
        }
        int split;
        if (facing[0] != facing[1]) split = facing[0] ? 0 : 1;
        else if (bend[0] > kFlatQuad && bend[1] > kFlatQuad) split = smaller[0] >= smaller[1] ? 0 : 1;
        else split = gap_((P[0] + P[2]) * 0.5) <= gap_((P[1] + P[3]) * 0.5) ? 0 : 1;
        return split;
    }

    // Two triangles of the quad of crossing c, split as quad_split chose.
    void add_quad(size_t c, const uint32_t q[4], bool lower_inside) {
        uint32_t v[4] = {q[0], q[1], q[2], q[3]};
        if (!lower_inside) std::swap(v[1], v[3]);
        if (split_[c] == 0) out_.tris.insert(out_.tris.end(), {v[0], v[1], v[2], v[0], v[2], v[3]});
        else out_.tris.insert(out_.tris.end(), {v[0], v[1], v[3], v[1], v[2], v[3]});
    }

    // Fitted vertices that stand off the input go back to their mean (a strongly curved patch, not a
    // feature); then sharpening onto edges and corners, and settling until no face crosses another.
    bool place_features() {
        const int64_t *dims = grid_.dims;
        const double h = grid_.h;
        // Within half a cell of the vertex's cell: a corner can stand in a cell whose corners are all outside.
        auto near_cell = [&](uint64_t base, const Vec3d &x, double reach) {
            Vec3d lo = grid_.point(base);
            for (int a = 0; a < 3; ++a)
                if (coord(x, a) < coord(lo, a) - reach * h || coord(x, a) > coord(lo, a) + (1 + reach) * h) return false;
            return true;
        };
        parallel_for(mean_.size(), progress_, 0.0, 0.0, "contour", [&](size_t v) {
            if (drifts(out_.positions[v], mean_[v], h, gap_)) out_.positions[v] = mean_[v];
        });
        progress_.check();
        const std::vector<Vec3d> unsharpened = copy_on_huge_pages(out_.positions);
        sharpen(out_, plane_, crossings_of_, crossings_start_, rank_of_, mean_, cell_of_, h, near_cell, gap_, progress_);
        const double diagonal = std::sqrt(double(dims[0] * dims[0] + dims[1] * dims[1] + dims[2] * dims[2])) * h;
        // A cell's centre, where its vertex can go when no other place is free of crossings: vertices at the
        // centres of their cells make faces of the dual grid, which cross nowhere. Cells with more than one
        // sheet keep their vertices at the means.
        std::vector<Vec3d> centre = copy_on_huge_pages(mean_);
        for (size_t v = 0; v < centre.size(); ++v) {
            const bool alone = (v == 0 || cell_of_[v - 1] != cell_of_[v]) &&
                               (v + 1 == centre.size() || cell_of_[v + 1] != cell_of_[v]);
            if (alone && cell_of_[v] != kNoCell) centre[v] = grid_.point(cell_of_[v]) + Vec3d{0.5, 0.5, 0.5} * h;
        }
        return settle(out_, unsharpened, mean_, centre, diagonal, progress_);
    }

    const ScalarGrid &grid_;
    const std::vector<float> &field_;
    const TangentFn &tangent_;
    const GapFn &gap_;
    Progress &progress_;
    IndexedMesh &out_;
    const int64_t step_[3];
    const int64_t corner_offset_[8];
    std::vector<uint64_t, LargeAlloc<uint64_t>> keys_; // grows in one serial pass: on huge pages as it does
    std::vector<Vec3d> where_;
    std::vector<TangentPlane> plane_;
    // Per crossing: the vertex of each of the four cells around it, in the order (du, dv) = (0,0), (1,0),
    // (1,1), (0,1) of the cell's offset below the edge along the next two axes.
    std::vector<uint32_t> quad_;
    std::vector<uint8_t> split_; // per crossing: quad_split's choice
    // Ambiguous faces (3 * lower point + normal axis): the crossings their two segments join.
    std::unordered_map<uint64_t, std::array<std::array<size_t, 2>, 2>> ambiguous_;
    std::vector<uint8_t> on_ambiguous_face_;              // per crossing: an edge of an ambiguous face (empty: none)
    std::unordered_map<uint64_t, int> joins_;             // edge_key of two vertices across an ambiguous face
    std::unordered_map<uint64_t, uint32_t> segment_vertex_; // 2 * face + which segment
    std::vector<Vec3d> mean_;
    std::vector<uint64_t> cell_of_;  // per vertex: the grid point at its cell's lower corner
    std::vector<uint8_t> rank_of_;   // per vertex: how many directions its planes fix (1 face, 2 edge, 3 corner)
    std::vector<uint32_t> crossings_of_, crossings_start_; // per vertex: its crossings
};

} // namespace

bool contour_dual(const ScalarGrid &grid, const TangentFn &tangent, const GapFn &gap, Progress &progress,
                  IndexedMesh &out) {
    return DualContour(grid, tangent, gap, progress, out).run();
}

} // namespace mf

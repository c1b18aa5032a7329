// Volumetric rebuild. A signed distance on a regular grid: magnitude from the closest point of the input,
// sign from the generalized winding number (inside where it exceeds 1/2), so that overlapping shells,
// inner faces and soups resolve to the solid they bound. Only grid points near a triangle get a distance;
// the others, in connected regions the surface cannot cross, share one winding-number sign a region.
// The zero set is contoured dually, with vertices where the input's tangent planes meet so that sharp
// edges and corners stay sharp (contour_dual.cpp); where that surface is not closed, manifold and free of
// crossings, by marching tetrahedra, which always is (contour_tetra.cpp).
#include "remesh_volume.hpp"

#include "contour.hpp"
#include "grid_sides.hpp"

#include "kernel_error.hpp"
#include "parallel.hpp"
#include "progress.hpp"
#include "triangle_tree.hpp"
#include "union_find.hpp"
#include "weld.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <unordered_map>

namespace mf {

namespace {

constexpr int kPad = 2;
// A face where the winding number of the rest of the surface is below this is a sheet (outside on both
// sides); it is thickened to a slab reaching this many cells from it on each side.
constexpr double kSheetWinding = 0.25;
constexpr double kSheetCells = 0.6;
// Faces longer than this many cells along an axis measure the band points near them themselves
// (band_distances); band points within kRasterCells of one take its distance if no smaller face is nearer.
constexpr double kLargeCells = 6.0;
constexpr double kRasterCells = 2.0;
// Where no more than this share of the faces is large, band_distances leaves them to the tree (the ogre: 76 of
// 124,000; a tree over the small ones took longer than the tree's visits to the large).
constexpr double kFewLarge = 1.0 / 64;

// Whether the faces, as an oriented chain, have no boundary: the faces on every edge cancel. Then the
// winding number is a whole number off the surface, one value in each region of space the surface does
// not cut.
bool is_closed_chain(const IndexedMesh &mesh) {
    const std::vector<uint32_t> welded = weld_exact(mesh.positions, nullptr).remap;
    std::unordered_map<uint64_t, int32_t> net;
    net.reserve(mesh.tris.size());
    for (size_t c = 0; c < mesh.tris.size(); ++c) {
        const uint32_t a = welded[mesh.tris[c]], b = welded[mesh.tris[c - c % 3 + (c + 1) % 3]];
        if (a != b) net[edge_key(a, b)] += a < b ? 1 : -1;
    }
    return std::all_of(net.begin(), net.end(), [](const auto &e) { return e.second == 0; });
}

// The side of every grid point of a closed chain's field, with one winding number a region
// (grid_sides.cpp); points off the band are over 1.75 cells away. Returns the side of every grid point and
// sets enclosed[] of the band points. Uses grid.field as scratch.
std::vector<uint8_t> sides_by_region(ScalarGrid &grid, const std::vector<uint8_t> &band,
                                     const std::vector<uint32_t> &band_points, const std::vector<float> &distance,
                                     const TriangleTree &tree, std::vector<uint8_t> &enclosed, Progress &progress) {
    std::vector<float> &field = grid.field;
    field.resize(grid.point_count());
    for (size_t i = 0; i < band_points.size(); ++i) field[band_points[i]] = distance[i];
    std::vector<uint8_t> inside = enclosed_by_region(grid, band, field, 1.75f * float(grid.h), tree, progress);
    for (size_t i = 0; i < band_points.size(); ++i) enclosed[i] = inside[band_points[i]];
    return inside;
}

// The grid over the input's bounding box, `resolution` cells along its longest side and kPad cells of
// margin all round; the field is left empty.
ScalarGrid grid_around(const IndexedMesh &input, uint32_t resolution) {
    double lo[3], hi[3];
    triangle_box(input, lo, hi);
    const double extent = std::max({hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]});
    if (!(extent > 0)) throw KernelError(MF_ERR_INVALID_ARGUMENT, "The mesh has no extent: all its vertices coincide.");
    return grid_over(lo, hi, extent / resolution, kPad, "repair");
}

// Runs work(k_begin, k_end, main, stop) over the two halves of the grid's k range, the upper one on a helper
// thread where there is a second core. Each half writes only its own grid points, so the result does not
// depend on timing. Only the calling thread (main) may talk to progress; work returns once stop is set.
template <class Work>
void over_two_slabs(int64_t nk, Work work) {
    std::atomic<bool> stop{false};
    const int64_t mid = nk / 2;
    run_with_helper([&] { work(0, mid, true, stop); }, [&] { work(mid, nk, false, stop); }, &stop);
}

// The grid points of triangle f's box widened by `margin` cells (rounded outward: lo - margin .. hi +
// margin), within the k range [kb, ke); false where none.
bool face_range(const IndexedMesh &mesh, size_t f, const ScalarGrid &grid, double lo_margin, double hi_margin,
                int64_t kb, int64_t ke, int64_t r0[3], int64_t r1[3]) {
    const Vec3d &a = mesh.positions[mesh.tris[3 * f]], &b = mesh.positions[mesh.tris[3 * f + 1]],
                &c = mesh.positions[mesh.tris[3 * f + 2]];
    const double h = grid.h;
    for (int k = 0; k < 3; ++k) {
        double mn = std::min({coord(a, k), coord(b, k), coord(c, k)}), mx = std::max({coord(a, k), coord(b, k), coord(c, k)});
        r0[k] = std::max<int64_t>(k == 2 ? kb : 0, int64_t(std::floor((mn - grid.origin[k]) / h - lo_margin)));
        r1[k] = std::min<int64_t>(k == 2 ? ke - 1 : grid.dims[k] - 1, int64_t(std::ceil((mx - grid.origin[k]) / h + hi_margin)));
        if (r0[k] > r1[k]) return false;
    }
    return true;
}

// Band: grid points within sqrt(3) cells of a triangle's plane and box (one mark a grid point).
std::vector<uint8_t> mark_band(const IndexedMesh &input, const ScalarGrid &grid, Progress &progress) {
    std::vector<uint8_t> band(grid.point_count(), 0);
    const size_t faces = input.tris.size() / 3;
    const double h = grid.h, reach = 1.75 * h;
    over_two_slabs(grid.dims[2], [&](int64_t kb, int64_t ke, bool main, const std::atomic<bool> &stop) {
        for (size_t f = 0; f < faces; ++f) {
            if ((f & 0xFFFF) == 0xFFFF) {
                if (main) progress.check();
                if (stop.load(std::memory_order_relaxed)) return;
            }
            int64_t r0[3], r1[3];
            // floor - 1 .. ceil + 1 of the box's grid coordinates
            if (!face_range(input, f, grid, 1.0, 1.0, kb, ke, r0, r1)) continue;
            const Vec3d &a = input.positions[input.tris[3 * f]], &b = input.positions[input.tris[3 * f + 1]],
                        &c = input.positions[input.tris[3 * f + 2]];
            Vec3d n = cross(b - a, c - a);
            double len = norm(n);
            bool flat = !(len > 0);
            if (!flat) n = n * (1.0 / len);
            for (int64_t k = r0[2]; k <= r1[2]; ++k)
                for (int64_t j = r0[1]; j <= r1[1]; ++j)
                    for (int64_t i = r0[0]; i <= r1[0]; ++i) {
                        uint64_t p = grid.id(i, j, k);
                        if (band[p]) continue;
                        if (!flat && std::fabs(dot(grid.point(p) - a, n)) > reach) continue;
                        band[p] = 1;
                    }
        }
    });
    return band;
}

// The distance from every band point to the nearest of the large faces of `tris` (longer than kLargeCells
// along an axis; faces with three distinct corners, as the triangle tree holds), into dense (one value a
// grid point; +inf where no large face came within reach): each large face measures the band points within
// `reach` of it, the same arithmetic as the tree's, and the float rounding of a square root keeps the order.
// A large face spans many cells, where a tree query visits it from each (a soup of crossing triangles);
// small faces are better found through the tree. Returns whether large faces are more than kFewLarge of all:
// fewer, the tree finds them from the few band points near them for less than a second tree over the rest.
bool band_distances(const ScalarGrid &grid, const std::vector<uint8_t> &band, const std::vector<Vec3d> &positions,
                    const std::vector<uint32_t> &tris, double reach, Progress &progress, std::vector<float> &dense,
                    std::vector<uint32_t> &small) {
    const size_t faces = tris.size() / 3;
    const double h = grid.h, widen = reach * (1 + 1e-6) + 1e-9 * h;
    small.clear();
    std::vector<uint8_t> large(faces, 0);
    for (size_t f = 0; f < faces; ++f) {
        const Vec3d &a = positions[tris[3 * f]], &b = positions[tris[3 * f + 1]], &c = positions[tris[3 * f + 2]];
        const Vec3d lo{std::min({a.x, b.x, c.x}), std::min({a.y, b.y, c.y}), std::min({a.z, b.z, c.z})},
            hi{std::max({a.x, b.x, c.x}), std::max({a.y, b.y, c.y}), std::max({a.z, b.z, c.z})};
        large[f] = std::max({hi.x - lo.x, hi.y - lo.y, hi.z - lo.z}) > kLargeCells * h;
        if (!large[f]) small.insert(small.end(), tris.begin() + 3 * f, tris.begin() + 3 * f + 3);
    }
    if (faces - small.size() / 3 <= kFewLarge * faces) return false;
    dense.assign(grid.point_count(), std::numeric_limits<float>::infinity());
    over_two_slabs(grid.dims[2], [&](int64_t kb, int64_t ke, bool main, const std::atomic<bool> &stop) {
        for (size_t f = 0; f < faces; ++f) {
            if ((f & 0x3FFF) == 0x3FFF) {
                if (main) progress.check();
                if (stop.load(std::memory_order_relaxed)) return;
            }
            const uint32_t *t = &tris[3 * f];
            if (!large[f] || t[0] == t[1] || t[1] == t[2] || t[0] == t[2]) continue;
            const Vec3d &a = positions[t[0]], &b = positions[t[1]], &c = positions[t[2]];
            int64_t r0[3], r1[3];
            bool empty = false;
            for (int k = 0; k < 3 && !empty; ++k) {
                const double mn = std::min({coord(a, k), coord(b, k), coord(c, k)}),
                             mx = std::max({coord(a, k), coord(b, k), coord(c, k)});
                r0[k] = std::max<int64_t>(k == 2 ? kb : 0, int64_t(std::ceil((mn - widen - grid.origin[k]) / h)));
                r1[k] = std::min<int64_t>(k == 2 ? ke - 1 : grid.dims[k] - 1,
                                          int64_t(std::floor((mx + widen - grid.origin[k]) / h)));
                empty = r0[k] > r1[k];
            }
            if (empty) continue;
            Vec3d n = cross(b - a, c - a);
            const double len = norm(n);
            const bool flat = !(len > 0);
            if (!flat) n = n * (1.0 / len);
            for (int64_t k = r0[2]; k <= r1[2]; ++k)
                for (int64_t j = r0[1]; j <= r1[1]; ++j)
                    for (int64_t i = r0[0]; i <= r1[0]; ++i) {
                        const uint64_t p = grid.id(i, j, k);
                        if (!band[p]) continue;
                        const Vec3d q = grid.point(p);
                        if (!flat && std::fabs(dot(q - a, n)) > widen) continue;
                        double w[3];
                        closest_on_triangle(q, a, b, c, w);
                        const Vec3d x = a * w[0] + b * w[1] + c * w[2];
                        const float d = float(std::sqrt(norm2(x - q)));
                        if (d < dense[p]) dense[p] = d;
                    }
        }
    });
    return true;
}

// Sheets: faces with outside on both sides, where the winding number of the rest of the surface is near 0
// (on a solid's boundary it is 1/2, inside a solid 1). A solid drops them; they get a slab instead.
// Candidates are the caller's own faces, not the hole patches of the tree's surface (a patch spanning an
// open part's rim can stand far from anything the caller gave). Sets sheet: a mark a
// candidate face.
// open: faces_of_open_parts(candidates): only parts that are open, non-manifold or flat can hold sheets, so
// the winding-number test (slow this close to the surface) runs on their faces alone.
// closed: the tree's faces form a closed chain, whose winding number a ray's crossings count.
// first: serial work for this thread, done while a helper begins on the faces.
template <class First>
void find_sheets(const IndexedMesh &candidates, const std::vector<uint8_t> &open, const TriangleTree &tree, bool closed,
                 const std::vector<uint8_t> *slab_faces, Progress &progress, std::vector<uint8_t> &sheet, First first) {
    const size_t count = candidates.tris.size() / 3;
    sheet.assign(count, 0);
    const std::vector<Vec3d> &pos = candidates.positions;
    const std::vector<uint32_t> &tris = candidates.tris;
    auto judge = [&](size_t f) {
        if (slab_faces && (*slab_faces)[f]) {
            sheet[f] = 1;
            return;
        }
        if (!open[f]) return;
        const Vec3d &a = pos[tris[3 * f]], &b = pos[tris[3 * f + 1]], &c = pos[tris[3 * f + 2]];
        Vec3d n = cross(b - a, c - a);
        double area2 = norm(n);
        if (!(area2 > 0)) return;
        // On the face itself its own solid angle is +-2 pi by the sign of a rounded zero: take the mean of
        // the two sides just off it, where the face adds +1/2 and -1/2. (Subtracting its own solid angle
        // from one side would not do: the face may be missing from the tree's surface, welded or dropped.)
        Vec3d centre = (a + b + c) * (1.0 / 3.0), off = n * (1e-3 / std::sqrt(area2));
        sheet[f] = tree.winding_mean_of(centre + off, centre - off, closed) < kSheetWinding;
    };
    // Faces a chunk at a time from both threads; this thread joins once first() is done.
    std::atomic<size_t> cursor{0};
    std::atomic<bool> stop{false};
    auto drain = [&](bool main) {
        for (;;) {
            if (stop.load(std::memory_order_relaxed)) return;
            const size_t begin = cursor.fetch_add(1024);
            if (begin >= count) return;
            for (size_t f = begin, end = std::min(count, begin + 1024); f < end; ++f) judge(f);
            if (main) progress.check();
            else if (progress.poll_deadline()) return;
        }
    };
    run_with_helper(
        [&] {
            first();
            drain(true);
        },
        [&] { drain(false); }, &stop);
    progress.check();
}

// What the band points measure once: distance to the surface and to the sheets, and the winding-number
// side; the band's part of the field is made from them, with or without the thickening of everything.
struct BandSamples {
    std::vector<uint32_t> points; // grid ids, ascending
    std::vector<float> distance, sheet_distance;
    std::vector<uint8_t> enclosed;

    // A slab is the distance less its half thickness, on both sides of its surface, so that the contour
    // crosses grid edges where that distance does (flat slabs stay flat); the union with the solid is the
    // smaller of the two fields. No value is left zero, as contouring needs.
    void write(ScalarGrid &grid, double thicken_all, double sheet_thickness) const {
        const float tiny = float(1e-6 * grid.h);
        for (size_t i = 0; i < points.size(); ++i) {
            float f = enclosed[i] ? -distance[i] : distance[i];
            if (thicken_all > 0) f = std::min(f, float(distance[i] - thicken_all));
            else if (!sheet_distance.empty()) f = std::min(f, float(sheet_distance[i] - sheet_thickness));
            // A point on the surface of the solid (distance 0, as on an inner wall lying on a grid plane)
            // keeps its side by the sign of -0: `f < 0` would call it outside, a bubble in the solid.
            grid.field[points[i]] = std::signbit(f) ? std::min(f, -tiny) : std::max(f, tiny);
        }
    }
};

// The distance from grid point q to the nearest of the faces, the large ones' from dense (at most reach,
// else unknown) and the small ones' from `small`'s tree; where that is more than reach, the whole tree's.
float nearest(const Vec3d &q, float large, float exact, const TriangleTree *small, const TriangleTree &tree) {
    float d = large;
    if (small) {
        const double limit = std::isinf(large) ? std::numeric_limits<double>::infinity() : double(large) * double(large);
        d = std::min(d, float(std::sqrt(small->closest(q, 0.0, limit).distance2)));
    }
    return d <= exact ? d : float(std::sqrt(tree.closest(q).distance2));
}

// The sheets among the candidates: their triangles, the candidate face of each, and a tree over them.
struct Sheets {
    std::vector<uint32_t> faces, tris;
    TriangleTree tree;
    Sheets(const IndexedMesh &candidates, const std::vector<uint8_t> &marks)
        : faces(marked_faces(marks)), tris(triangles(candidates, faces)), tree(candidates.positions, tris, nullptr) {}

    static std::vector<uint32_t> marked_faces(const std::vector<uint8_t> &marks) {
        std::vector<uint32_t> faces;
        for (size_t f = 0; f < marks.size(); ++f)
            if (marks[f]) faces.push_back(uint32_t(f));
        return faces;
    }
    static std::vector<uint32_t> triangles(const IndexedMesh &mesh, const std::vector<uint32_t> &faces) {
        std::vector<uint32_t> tris;
        tris.reserve(3 * faces.size());
        for (uint32_t f : faces) tris.insert(tris.end(), mesh.tris.begin() + 3 * size_t(f), mesh.tris.begin() + 3 * size_t(f) + 3);
        return tris;
    }
};

// The distance from each band point (ascending grid ids) to the faces `tris` (the tree's), passed to
// take(i, q, distance) for the i-th point q on both threads. Uses grid.field as scratch.
template <class Take>
void band_point_distances(ScalarGrid &grid, const std::vector<uint8_t> &band, const std::vector<uint32_t> &points,
                          const std::vector<Vec3d> &positions, const std::vector<uint32_t> &tris,
                          const TriangleTree &tree, Progress &progress, double from, double to, Take take) {
    const double reach = kRasterCells * grid.h;
    const float exact = float(reach);
    std::vector<float> &dense = grid.field;
    std::vector<uint32_t> small;
    if (band_distances(grid, band, positions, tris, reach, progress, dense, small)) {
        const auto small_tree = small.empty() ? nullptr : std::make_unique<TriangleTree>(positions, small, &progress);
        parallel_for(points.size(), progress, from, to, "distance field", [&](size_t i) {
            const Vec3d q = grid.point(points[i]);
            take(i, q, nearest(q, dense[points[i]], exact, small_tree.get(), tree));
        });
    } else {
        parallel_for(points.size(), progress, from, to, "distance field", [&](size_t i) {
            const Vec3d q = grid.point(points[i]);
            take(i, q, float(std::sqrt(tree.closest(q).distance2)));
        });
    }
}

// Samples the band: its points, their distances to the input, and, for an input that is no closed chain,
// their sides. Uses grid.field as scratch.
BandSamples sample_band(ScalarGrid &grid, const std::vector<uint8_t> &band, const IndexedMesh &input,
                        const TriangleTree &tree, bool closed, Progress &progress, double from, double to) {
    BandSamples s;
    for (uint64_t p = 0; p < band.size(); ++p)
        if (band[p]) s.points.push_back(uint32_t(p));
    s.distance.resize(s.points.size());
    s.enclosed.resize(s.points.size());
    band_point_distances(grid, band, s.points, input.positions, input.tris, tree, progress, from, to,
                         [&](size_t i, const Vec3d &q, float d) {
                             s.distance[i] = d;
                             if (!closed) s.enclosed[i] = encloses(tree, q, d, grid.h, false);
                         });
    return s;
}

// The band points' distances to the sheets (none where there are none), into s. Uses grid.field as scratch.
void sample_sheets(ScalarGrid &grid, const std::vector<uint8_t> &band, const IndexedMesh &sheet_candidates,
                   const Sheets &sheets, Progress &progress, double from, double to, BandSamples &s) {
    s.sheet_distance.resize(sheets.tree.empty() ? 0 : s.points.size());
    if (sheets.tree.empty()) return;
    band_point_distances(grid, band, s.points, sheet_candidates.positions, sheets.tris, sheets.tree, progress, from, to,
                         [&](size_t i, const Vec3d &, float d) { s.sheet_distance[i] = d; });
}

// Regions away from the surface (field still NaN): one sign each, +-far, by flood fill from a point whose
// winding number decides.
void fill_regions(ScalarGrid &grid, const TriangleTree &tree, float far) {
    std::vector<float> &field = grid.field;
    const int64_t *dims = grid.dims;
    std::vector<uint32_t> queue;
    for (uint64_t seed = 0; seed < field.size(); ++seed) {
        if (!std::isnan(field[seed])) continue;
        const float v = tree.winding(grid.point(seed)) > 0.5 ? -far : far;
        field[seed] = v;
        queue.assign(1, uint32_t(seed));
        while (!queue.empty()) {
            uint64_t p = queue.back();
            queue.pop_back();
            int64_t i = int64_t(p % dims[0]), j = int64_t((p / dims[0]) % dims[1]), k = int64_t(p / (dims[0] * dims[1]));
            const int64_t nb[6][3] = {{i - 1, j, k}, {i + 1, j, k}, {i, j - 1, k}, {i, j + 1, k}, {i, j, k - 1}, {i, j, k + 1}};
            for (auto &q : nb) {
                if (q[0] < 0 || q[1] < 0 || q[2] < 0 || q[0] >= dims[0] || q[1] >= dims[1] || q[2] >= dims[2]) continue;
                uint64_t r = grid.id(q[0], q[1], q[2]);
                if (!std::isnan(field[r])) continue;
                field[r] = v;
                queue.push_back(uint32_t(r));
            }
        }
    }
}

// The closest point of the input and of the sheets to a query point (the sheets' face a candidate face;
// none where there are no sheets).
struct Nearest {
    ClosestHit input, sheet;
};

// The input's faces a contour's closest-point queries found, by query point. The next contour over the same
// field asks at the same points wherever the field did not change (everywhere but near added slabs): there
// the input's face stands (the same tree would find it again). The sheets are asked afresh: their tree
// changes with the slabs, and among faces at the same distance (neighbours sharing the closest point) a
// tree's order picks one. Recorded from both threads; sealed (into an open-addressing table: one cache line
// a lookup) before it is read.
class QueryMemo {
public:
    static constexpr uint32_t kNone = 0xFFFFFFFFu, kEmpty = 0xFFFFFFFEu;
    struct Entry {
        uint64_t key[3];
        uint32_t input_face = kEmpty;
        bool same(const uint64_t k[3]) const { return key[0] == k[0] && key[1] == k[1] && key[2] == k[2]; }
    };
    void record(const Vec3d &x, uint32_t input_face) {
        Entry e;
        key_of(x, e.key);
        e.input_face = input_face;
        const std::lock_guard<std::mutex> lock(mutex_);
        recorded_.push_back(e);
    }
    void seal() {
        size_t size = 16;
        while (size < 2 * recorded_.size()) size *= 2;
        table_.assign(size, Entry{});
        for (const Entry &e : recorded_) {
            size_t at = slot(e.key);
            while (table_[at].input_face != kEmpty && !table_[at].same(e.key)) at = (at + 1) & (size - 1);
            table_[at] = e;
        }
        recorded_ = {};
    }
    void clear() { recorded_ = {}, table_ = {}; }
    const Entry *find(const Vec3d &x) const {
        if (table_.empty()) return nullptr;
        uint64_t key[3];
        key_of(x, key);
        for (size_t at = slot(key);; at = (at + 1) & (table_.size() - 1)) {
            if (table_[at].input_face == kEmpty) return nullptr;
            if (table_[at].same(key)) return &table_[at];
        }
    }

private:
    static void key_of(const Vec3d &x, uint64_t key[3]) {
        std::memcpy(&key[0], &x.x, 8);
        std::memcpy(&key[1], &x.y, 8);
        std::memcpy(&key[2], &x.z, 8);
    }
    size_t slot(const uint64_t key[3]) const {
        uint64_t h = key[0] * 0x9E3779B97F4A7C15ull ^ key[1] * 0xC2B2AE3D27D4EB4Full ^ key[2] * 0x165667B19E3779F9ull;
        h ^= h >> 29;
        return size_t(h * 0xBF58476D1CE4E5B9ull >> 20) & (table_.size() - 1);
    }

    std::mutex mutex_;
    std::vector<Entry> recorded_, table_;
};

// Closest point of face f of (pos, tris) to q, as TriangleTree::closest measures it (the same arithmetic
// on the same corners, so the same bits).
ClosestHit hit_on_face(const std::vector<Vec3d> &pos, const std::vector<uint32_t> &tris, uint32_t f, const Vec3d &q) {
    ClosestHit hit;
    if (f == QueryMemo::kNone) return hit;
    const Vec3d &a = pos[tris[3 * size_t(f)]], &b = pos[tris[3 * size_t(f) + 1]], &c = pos[tris[3 * size_t(f) + 2]];
    closest_on_triangle(q, a, b, c, hit.bary);
    const Vec3d p = a * hit.bary[0] + b * hit.bary[1] + c * hit.bary[2];
    hit.distance2 = norm2(p - q);
    hit.face = f;
    return hit;
}

// Tangent planes for dual contouring. Where the solid's surface crosses: the input's face at the closest
// point, through that point while it is near (farther, across a gap the winding number closes, through the
// crossing itself). Where a slab's surface crosses (a thickened sheet, or the whole surface thickened): the
// plane at its half thickness square to the direction from the closest point.
struct SurfacePlanes {
    const IndexedMesh &input;
    const TriangleTree &tree;
    const IndexedMesh &candidates;
    const Sheets &sheets;
    double h, sheet_thickness, thicken; // thicken > 0: the whole surface is a slab that thick
    // Optional: the last contour's queries of the input (read), and where this contour's are recorded.
    const QueryMemo *before = nullptr;
    QueryMemo *record = nullptr;

    bool with_sheets() const { return thicken == 0 && !sheets.tree.empty(); }

    Nearest nearest(const Vec3d &x) const {
        Nearest n;
        if (const QueryMemo::Entry *e = before ? before->find(x) : nullptr) {
            n.input = hit_on_face(input.positions, input.tris, e->input_face, x);
        } else {
            n.input = tree.closest(x);
            if (record) record->record(x, n.input.face);
        }
        if (with_sheets()) {
            n.sheet = sheets.tree.closest(x);
            if (n.sheet.face != QueryMemo::kNone) n.sheet.face = sheets.faces[n.sheet.face];
        }
        return n;
    }

    static Vec3d closest_point(const std::vector<Vec3d> &pos, const std::vector<uint32_t> &tris, const ClosestHit &hit) {
        // No face is found where every distance overflows (coordinates near the double range): refuse, never index.
        if (size_t(hit.face) >= tris.size() / 3)
            throw KernelError(MF_ERR_INVALID_ARGUMENT,
                              "The mesh's coordinates are too large for distances to be measured between them.");
        const uint32_t *t = &tris[3 * size_t(hit.face)];
        return pos[t[0]] * hit.bary[0] + pos[t[1]] * hit.bary[1] + pos[t[2]] * hit.bary[2];
    }
    static Vec3d face_normal(const std::vector<Vec3d> &pos, const std::vector<uint32_t> &tris, uint32_t f) {
        if (size_t(f) >= tris.size() / 3)
            throw KernelError(MF_ERR_INVALID_ARGUMENT,
                              "The mesh's coordinates are too large for distances to be measured between them.");
        const uint32_t *t = &tris[3 * size_t(f)];
        Vec3d n = cross(pos[t[1]] - pos[t[0]], pos[t[2]] - pos[t[0]]);
        double l = norm(n);
        return l > 0 ? n * (1 / l) : Vec3d{0, 0, 0};
    }

    TangentPlane plane(const Vec3d &x) const {
        const Nearest n = nearest(x);
        const ClosestHit &hit = n.input;
        const double d = std::sqrt(hit.distance2);
        const bool slabs = with_sheets();
        if (thicken > 0 || slabs) {
            const ClosestHit &slab = slabs ? n.sheet : hit;
            const double t = slabs ? sheet_thickness : thicken;
            const std::vector<Vec3d> &pos = slabs ? candidates.positions : input.positions;
            const std::vector<uint32_t> &tris = slabs ? candidates.tris : input.tris;
            if (std::fabs(std::sqrt(slab.distance2) - t) < d || thicken > 0) {
                Vec3d c = closest_point(pos, tris, slab), away = x - c;
                double l = norm(away);
                Vec3d normal = l > 1e-6 * h ? away * (1 / l) : face_normal(pos, tris, slab.face);
                return {c + normal * t, normal};
            }
        }
        Vec3d c = closest_point(input.positions, input.tris, hit);
        return {d < 0.5 * h ? c : x, face_normal(input.positions, input.tris, hit.face)};
    }

    // How far q is from the nearest surface the field describes.
    double gap(const Vec3d &q) const {
        const Nearest n = nearest(q);
        double d = std::sqrt(n.input.distance2);
        if (thicken > 0) return std::fabs(d - thicken);
        if (with_sheets()) d = std::min(d, std::fabs(std::sqrt(n.sheet.distance2) - sheet_thickness));
        return d;
    }
};

} // namespace

// What a rebuild measured that does not depend on its slabs: the input's tree, the grid with the sides of the
// points off the band, and the band's samples.
struct VolumeField {
    TriangleTree tree;
    ScalarGrid grid;
    BandSamples samples;
    std::vector<uint32_t> pockets; // grid points the last contour filled as pockets between slabs
    QueryMemo memo;                 // the first contour's closest-point queries, for remesh_with_slabs
    VolumeField(const IndexedMesh &input, Progress &progress) : tree(input.positions, input.tris, &progress) {}
};

namespace {

// Pockets of outside that slabs wall in: crossing sheets (a soup of large triangles) enclose cells of
// outside that no path from the grid's margin reaches, each contoured as a void shell of its own (a thousand
// of them on 100 random triangles). Where every inside point next to such a pocket is inside by a slab alone
// (not enclosed by the winding number: a cavity of a solid is kept), the pocket is filled: the sheets on its
// walls end up inside the solid, which the repair allows. Returns the grid points filled (their values negated).
// Only outside points next to a point inside by a slab alone can start a pocket: each such region is walked
// from there, and given up (marked, so that no later walk goes through it again) as soon as it reaches the
// margin or an inside point the winding number encloses; the rest of the grid is never walked.
std::vector<uint32_t> fill_slab_pockets(ScalarGrid &grid, const BandSamples &samples) {
    std::vector<float> &field = grid.field;
    const int64_t *dims = grid.dims;
    const uint64_t n = field.size();
    // 0: outside, not reached; 1: outside in a region given up; 2: inside; 3: outside, in the region being walked
    std::vector<uint8_t> mark(n, 0);
    for (uint64_t p = 0; p < n; ++p)
        if (std::signbit(field[p])) mark[p] = 2;
    // Whether an inside point is inside by the winding number (band points: their side; others: the sign
    // the regions gave, as only slabs make band points inside otherwise).
    auto by_winding = [&](uint64_t p) {
        const auto at = std::lower_bound(samples.points.begin(), samples.points.end(), uint32_t(p));
        if (at != samples.points.end() && *at == p) return samples.enclosed[size_t(at - samples.points.begin())] != 0;
        return true;
    };
    std::vector<uint32_t> filled, queue;
    auto walk_from = [&](uint64_t seed) {
        queue.assign(1, uint32_t(seed));
        mark[seed] = 3;
        bool pocket = true;
        for (size_t head = 0; head < queue.size() && pocket; ++head) {
            const uint64_t p = queue[head];
            const int64_t i = int64_t(p % dims[0]), j = int64_t((p / dims[0]) % dims[1]), k = int64_t(p / (dims[0] * dims[1]));
            // the grid's margin: this is the outside, no pocket
            if (i == 0 || j == 0 || k == 0 || i == dims[0] - 1 || j == dims[1] - 1 || k == dims[2] - 1) pocket = false;
            const int64_t nb[6][3] = {{i - 1, j, k}, {i + 1, j, k}, {i, j - 1, k}, {i, j + 1, k}, {i, j, k - 1}, {i, j, k + 1}};
            for (auto &q : nb) {
                if (!pocket) break;
                if (q[0] < 0 || q[1] < 0 || q[2] < 0 || q[0] >= dims[0] || q[1] >= dims[1] || q[2] >= dims[2]) continue;
                const uint64_t r = grid.id(q[0], q[1], q[2]);
                if (mark[r] == 2) pocket = !by_winding(r);
                else if (mark[r] == 1) pocket = false;
                else if (mark[r] == 0) mark[r] = 3, queue.push_back(uint32_t(r));
            }
        }
        for (uint32_t q : queue) mark[q] = 1; // walked: a later walk into it ends (its verdict is known)
        if (!pocket) return;
        for (uint32_t q : queue) field[q] = -field[q];
        filled.insert(filled.end(), queue.begin(), queue.end());
    };
    for (size_t b = 0; b < samples.points.size(); ++b) {
        const uint64_t p = samples.points[b];
        if (mark[p] != 2 || samples.enclosed[b]) continue; // inside by a slab alone
        const int64_t i = int64_t(p % dims[0]), j = int64_t((p / dims[0]) % dims[1]), k = int64_t(p / (dims[0] * dims[1]));
        const int64_t nb[6][3] = {{i - 1, j, k}, {i + 1, j, k}, {i, j - 1, k}, {i, j + 1, k}, {i, j, k - 1}, {i, j, k + 1}};
        for (auto &q : nb) {
            if (q[0] < 0 || q[1] < 0 || q[2] < 0 || q[0] >= dims[0] || q[1] >= dims[1] || q[2] >= dims[2]) continue;
            const uint64_t r = grid.id(q[0], q[1], q[2]);
            if (mark[r] == 0) walk_from(r);
        }
    }
    return filled;
}

// Writes the band's part of the field with the sheets as slabs (everything thickened where that leaves
// nothing enclosed) and contours it. The first contour of a field records its queries of the input; `again`
// (a second contour, with slabs added) reads them.
void contour_field(VolumeField &field, const IndexedMesh &input, const IndexedMesh &sheet_candidates,
                   const Sheets &sheets, bool again, const VolumeRebuildSettings &settings,
                   Progress &progress, VolumeRebuild &rebuild) {
    const double begin = settings.fraction_begin, span = settings.fraction_end - settings.fraction_begin;
    ScalarGrid &grid = field.grid;
    const double h = grid.h, sheet_thickness = kSheetCells * h;
    rebuild.cell_size = h;
    rebuild.sheet_faces = sheets.tris.size() / 3;
    for (uint32_t p : field.pockets) grid.field[p] = -grid.field[p]; // a contour before this one filled them
    field.pockets.clear();
    field.samples.write(grid, 0.0, sheet_thickness);
    // Nothing enclosed (a sheet, a single triangle, a flat soup): a slab around the surface instead.
    const std::vector<float> &values = grid.field;
    if (settings.thicken_cells_if_empty > 0 && std::none_of(values.begin(), values.end(), [](float f) { return f < 0; })) {
        field.samples.write(grid, settings.thicken_cells_if_empty * h, sheet_thickness);
        rebuild.thickened = true;
    }
    if (rebuild.thickened || !sheets.tris.empty()) {
        field.pockets = fill_slab_pockets(grid, field.samples);
        if (!field.pockets.empty())
            progress.log("volumetric: %zu grid points of pockets between slabs filled", field.pockets.size());
    }
    SurfacePlanes planes{input, field.tree, sheet_candidates, sheets, h, sheet_thickness,
                         rebuild.thickened ? settings.thicken_cells_if_empty * h : 0.0};
    if (again) {
        field.memo.seal();
        planes.before = &field.memo;
    } else {
        planes.record = &field.memo;
    }
    const TangentFn tangent = [&](const Vec3d &x) { return planes.plane(x); };
    const GapFn gap = [&](const Vec3d &q) { return planes.gap(q); };
    progress.report(begin + 0.8 * span, "contour");
    rebuild.dual = !settings.tetrahedra_only && contour_dual(grid, tangent, gap, progress, rebuild.mesh);
    if (!rebuild.dual) rebuild.mesh = contour_tetrahedra(grid, progress);
    if (again) field.memo.clear();
    progress.log("contour: %s", rebuild.dual ? "dual" : "tetrahedra");
    progress.report(settings.fraction_end, "contour");
}

} // namespace

std::vector<uint8_t> faces_of_open_parts(const IndexedMesh &mesh) {
    const size_t nf = mesh.tris.size() / 3;
    const WeldResult weld = weld_exact(mesh.positions, nullptr);
    const std::vector<uint32_t> &welded = weld.remap;
    const uint32_t ids = uint32_t(weld.positions.size());
    UnionFind parts(ids);
    std::unordered_map<uint64_t, uint32_t> edges;
    edges.reserve(3 * nf);
    for (size_t f = 0; f < nf; ++f)
        for (int k = 0; k < 3; ++k) {
            uint32_t a = welded[mesh.tris[3 * f + k]], b = welded[mesh.tris[3 * f + (k + 1) % 3]];
            parts.unite(a, b);
            ++edges[edge_key(a, b)];
        }
    std::vector<uint8_t> open_part(ids, 0);
    for (const auto &[key, count] : edges)
        if (count != 2) open_part[parts.find(uint32_t(key >> 32))] = 1;
    std::vector<double> volume(ids, 0), area(ids, 0);
    for (size_t f = 0; f < nf; ++f) {
        const Vec3d &a = mesh.positions[mesh.tris[3 * f]], &b = mesh.positions[mesh.tris[3 * f + 1]],
                    &c = mesh.positions[mesh.tris[3 * f + 2]];
        uint32_t part = parts.find(welded[mesh.tris[3 * f]]);
        volume[part] += dot(a, cross(b, c)) / 6;
        area[part] += 0.5 * norm(cross(b - a, c - a));
    }
    std::vector<uint8_t> open(nf, 0);
    for (size_t f = 0; f < nf; ++f) {
        uint32_t part = parts.find(welded[mesh.tris[3 * f]]);
        open[f] = open_part[part] || std::fabs(volume[part]) < 1e-3 * area[part] * std::sqrt(area[part]);
    }
    return open;
}

VolumeRebuild remesh_by_winding_number(const IndexedMesh &input, const IndexedMesh &sheet_candidates,
                                       const VolumeRebuildSettings &settings, Progress &progress) {
    const double begin = settings.fraction_begin, span = settings.fraction_end - settings.fraction_begin;
    progress.report(begin, "winding tree");
    VolumeRebuild rebuild;
    // The tree and the band on this thread; the topology of the candidates (unless the caller has it) and of
    // the input (each a weld and an edge table, all serial) on a helper meanwhile.
    std::vector<uint8_t> band, open;
    bool closed = false;
    run_with_helper(
        [&] {
            rebuild.field = std::make_shared<VolumeField>(input, progress);
            if (rebuild.field->tree.empty())
                throw KernelError(MF_ERR_INVALID_ARGUMENT, "The mesh has no triangle with three distinct corners.");
            rebuild.field->grid = grid_around(input, settings.resolution);
            progress.report(begin + 0.05 * span, "band");
            band = mark_band(input, rebuild.field->grid, progress);
        },
        [&] {
            if (!settings.open_faces) open = faces_of_open_parts(sheet_candidates);
            // A closed chain's winding number needs judging once a region, not at every band point.
            closed = is_closed_chain(input);
        });
    VolumeField &field = *rebuild.field;
    const TriangleTree &tree = field.tree;
    ScalarGrid &grid = field.grid;
    const double h = grid.h;
    field.samples = sample_band(grid, band, input, tree, closed, progress, begin + 0.1 * span, begin + 0.4 * span);
    BandSamples &samples = field.samples;
    // The sides of a closed chain (a walk of the whole grid, serial) on this thread while a helper begins on
    // the sheets.
    std::vector<uint8_t> inside;
    const std::vector<uint8_t> &open_parts = settings.open_faces ? *settings.open_faces : open;
    find_sheets(sheet_candidates, open_parts, tree, closed, settings.slab_faces, progress, rebuild.sheets, [&] {
        if (closed)
            inside = sides_by_region(grid, band, samples.points, samples.distance, tree, samples.enclosed, progress);
    });
    open.clear();
    open.shrink_to_fit();
    const Sheets sheets(sheet_candidates, rebuild.sheets);
    sample_sheets(grid, band, sheet_candidates, sheets, progress, begin + 0.5 * span, begin + 0.75 * span, samples);
    grid.field.assign(grid.point_count(), std::numeric_limits<float>::quiet_NaN());
    const float far = float(2 * h);
    if (closed) {
        for (uint64_t p = 0; p < grid.field.size(); ++p)
            if (!band[p]) grid.field[p] = inside[p] ? -far : far;
        inside = {};
    }
    samples.write(grid, 0.0, kSheetCells * h);

    progress.report(begin + 0.75 * span, "regions");
    fill_regions(grid, tree, far);
    band.clear();
    band.shrink_to_fit();
    contour_field(field, input, sheet_candidates, sheets, false, settings, progress, rebuild);
    return rebuild;
}

VolumeRebuild remesh_with_slabs(VolumeRebuild &&first, const IndexedMesh &input, const IndexedMesh &sheet_candidates,
                                const std::vector<uint8_t> &slab_faces, const VolumeRebuildSettings &settings,
                                Progress &progress) {
    progress.report(settings.fraction_begin, "slabs");
    VolumeRebuild rebuild;
    rebuild.field = std::move(first.field);
    VolumeField &field = *rebuild.field;
    // The first's sheets and the slab faces it did not already hold: the distance to the union of the two is
    // the smaller of the distances to each, so only the added faces are measured.
    rebuild.sheets = std::move(first.sheets);
    rebuild.sheets.resize(slab_faces.size(), 0);
    std::vector<uint8_t> added(slab_faces.size(), 0);
    for (size_t f = 0; f < slab_faces.size(); ++f)
        if (slab_faces[f] && !rebuild.sheets[f]) added[f] = rebuild.sheets[f] = 1;
    const Sheets sheets(sheet_candidates, rebuild.sheets), more(sheet_candidates, added);
    BandSamples &samples = field.samples;
    if (samples.sheet_distance.empty())
        samples.sheet_distance.assign(samples.points.size(), std::numeric_limits<float>::infinity());
    if (!more.tree.empty())
        parallel_for(samples.points.size(), progress, 0.0, 0.0, "slabs", [&](size_t i) {
            const float d = float(std::sqrt(more.tree.closest(field.grid.point(samples.points[i])).distance2));
            samples.sheet_distance[i] = std::min(samples.sheet_distance[i], d);
        });
    contour_field(field, input, sheet_candidates, sheets, true, settings, progress, rebuild);
    return rebuild;
}

} // namespace mf

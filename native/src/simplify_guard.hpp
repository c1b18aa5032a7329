// The crossing guard of the simplifiers: live faces in a uniform grid and the test that a half-edge collapse
// leaves the faces it moves clear of every other face (the exact crossing test of inspect, on float32-rounded
// positions), so that a result stays free of self-intersections.
#pragma once

#include "indexed_mesh.hpp"
#include "intersect.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace mf::simplify_guard {

// Live faces registered in the cells of a stack of uniform grids their boxes overlap, each entry with the box it
// was registered with (float32 bounds: exact for float32 corners), so that a query passes over the entries whose
// boxes miss its own without reading anything else. A face that changes is registered again where it now is;
// stale entries stay until clear() and are filtered by the caller's test of the face's present box.
//
// Each level's cells are twice the side of the level below, up to one cell over everything, and a face goes to
// the finest level where its box covers at most eight cells: a long face across the mesh costs a few entries at a
// coarse level, not one in each fine cell it crosses (which took memory and time growing with the grid's cells
// a face: out of memory on a few thousand long faces). The finest level keeps the cell asked for where that makes
// at most eight cells a face (and 4,096), and is coarsened to that otherwise: each cell costs its list whether or
// not a face is in it.
class FaceGrid {
public:
    struct Entry {
        uint32_t face;
        float lo[3], hi[3];
        bool meets(const Vec3d &qlo, const Vec3d &qhi) const {
            return qlo.x <= hi[0] && lo[0] <= qhi.x && qlo.y <= hi[1] && lo[1] <= qhi.y && qlo.z <= hi[2] &&
                   lo[2] <= qhi.z;
        }
    };

    static constexpr size_t kMaxCellsAFace = 8;

    FaceGrid(const std::vector<Vec3d> &positions, double cell, size_t faces) {
        lo_ = {1e300, 1e300, 1e300};
        Vec3d hi{-1e300, -1e300, -1e300};
        for (const Vec3d &p : positions) {
            lo_ = {std::min(lo_.x, p.x), std::min(lo_.y, p.y), std::min(lo_.z, p.z)};
            hi = {std::max(hi.x, p.x), std::max(hi.y, p.y), std::max(hi.z, p.z)};
        }
        double extent = std::max({hi.x - lo_.x, hi.y - lo_.y, hi.z - lo_.z, 0.0});
        double side = std::max(cell, extent / 256.0 + 1e-300);
        const double most = double(std::max<size_t>(4096, kMaxCellsAFace * faces));
        while (true) {
            Level level;
            level.inv = 1.0 / side;
            double cells = 1;
            for (int k = 0; k < 3; ++k) {
                level.dims[k] = 1 + index(level, coord(hi, k), k, 1 << 20);
                cells *= level.dims[k];
            }
            if (levels_.empty() && cells > most) {
                side *= 1.25;
                continue;
            }
            level.cells.resize(size_t(cells));
            levels_.push_back(std::move(level));
            if (cells == 1) break;
            side *= 2;
        }
    }

    // Calls f with the entries of each cell that the box lo-hi overlaps, at every level holding any.
    template <class F> void for_entries(const Vec3d &lo, const Vec3d &hi, F &&f) const {
        for (const Level &level : levels_) {
            if (level.entries == 0) continue;
            int a[3], b[3];
            span(level, lo, hi, a, b);
            each_cell(level, a, b, f);
        }
    }

    void insert(uint32_t face, const Vec3d &lo, const Vec3d &hi) {
        const Entry entry{face, {float(lo.x), float(lo.y), float(lo.z)}, {float(hi.x), float(hi.y), float(hi.z)}};
        for (Level &level : levels_) {
            int a[3], b[3];
            span(level, lo, hi, a, b);
            const size_t covered = size_t(b[0] - a[0] + 1) * size_t(b[1] - a[1] + 1) * size_t(b[2] - a[2] + 1);
            if (covered > kMaxCellsAFace && &level != &levels_.back()) continue;
            each_cell(level, a, b, [&](std::vector<Entry> &cell) { cell.push_back(entry); });
            level.entries += covered;
            return;
        }
    }
    // Empties every cell (keeping its storage).
    void clear() {
        for (Level &level : levels_) {
            for (std::vector<Entry> &c : level.cells) c.clear();
            level.entries = 0;
        }
    }
    size_t levels() const { return levels_.size(); }
    size_t cell_count(size_t level) const { return levels_[level].cells.size(); }
    size_t entry_count(size_t level) const { return levels_[level].entries; }

private:
    struct Level {
        double inv = 1;
        int dims[3] = {1, 1, 1};
        std::vector<std::vector<Entry>> cells;
        size_t entries = 0;
    };

    // Calls f with each cell of the level from a to b (corners included).
    template <class L, class F> static void each_cell(L &level, const int a[3], const int b[3], F &&f) {
        for (int z = a[2]; z <= b[2]; ++z)
            for (int y = a[1]; y <= b[1]; ++y)
                for (int x = a[0]; x <= b[0]; ++x) f(level.cells[(size_t(z) * level.dims[1] + y) * level.dims[0] + x]);
    }

    // The cells [a, b] (clamped to the level's grid) that the box lo-hi overlaps.
    void span(const Level &level, const Vec3d &lo, const Vec3d &hi, int a[3], int b[3]) const {
        for (int k = 0; k < 3; ++k) {
            a[k] = index(level, coord(lo, k), k, level.dims[k] - 1);
            b[k] = index(level, coord(hi, k), k, level.dims[k] - 1);
        }
    }

    // The cell along axis k of coordinate x, within [0, last]: clamped as a double first, so that a coordinate
    // far outside the grid (a float-rounded one, a huge one over a tiny cell) or not a number converts safely.
    int index(const Level &level, double x, int k, int last) const {
        const double c = std::floor((x - coord(lo_, k)) * level.inv);
        return c >= 0 ? (c < last ? int(c) : last) : 0;
    }

    Vec3d lo_;
    std::vector<Level> levels_;
};

inline void box_of(const Vec3d t[3], Vec3d &lo, Vec3d &hi) {
    lo = {std::min({t[0].x, t[1].x, t[2].x}), std::min({t[0].y, t[1].y, t[2].y}), std::min({t[0].z, t[1].z, t[2].z})};
    hi = {std::max({t[0].x, t[1].x, t[2].x}), std::max({t[0].y, t[1].y, t[2].y}), std::max({t[0].z, t[1].z, t[2].z})};
}

// The crossing guard: the live faces in a FaceGrid, on float32-rounded corners, and the test that the faces
// of u moved onto v stay clear of every face sharing none of their vertices. Collapses move faces, never
// vertices (half-edge collapses), so each vertex is rounded once and each face's box is kept from its last
// registration: a query reads the boxes of the faces it meets and only the corners of those it must test.
class CrossingGuard {
public:
    CrossingGuard(const IndexedMesh &mesh, const std::vector<uint8_t> &dead, double cell)
        : mesh_(mesh), dead_(dead), grid_(mesh.positions, cell, dead.size()), rounded_(mesh.positions.size()),
          boxes_(dead.size()), stamp_(dead.size(), 0), moving_(dead.size(), 0) {
        for (size_t v = 0; v < rounded_.size(); ++v) rounded_[v] = rounded_to_float(mesh.positions[v]);
        for (size_t f = 0; f < dead.size(); ++f) insert(uint32_t(f));
        registered_ = inserted_;
        inserted_ = 0;
    }

    // Registers face f where its corners are now.
    void insert(uint32_t f) {
        Vec3d t[3], lo, hi;
        corners(f, kNone, kNone, t);
        box_of(t, lo, hi);
        boxes_[f] = {f, {float(lo.x), float(lo.y), float(lo.z)}, {float(hi.x), float(hi.y), float(hi.z)}};
        grid_.insert(f, lo, hi);
        ++inserted_;
    }

    // Registers the live faces alone again, dropping the stale and dead entries that collapses left behind,
    // once the registrations since the last time are a quarter of those made then.
    void tidy() {
        if (4 * inserted_ < registered_) return;
        grid_.clear();
        for (size_t f = 0; f < dead_.size(); ++f)
            if (!dead_[f]) insert(uint32_t(f));
        registered_ = inserted_;
        inserted_ = 0;
    }

    // Whether the faces of u (u_faces), with u moved onto v, stay clear of every face that shares none of
    // their vertices. The grid is read once for all of them, over the box of the moved faces together: each
    // face met there is tested against each moved face whose box its own meets.
    bool clear_after(uint32_t u, uint32_t v, const std::vector<uint32_t> &u_faces) {
        for (uint32_t f : u_faces) moving_[f] = 1;
        moved_.clear();
        Vec3d all_lo{1e300, 1e300, 1e300}, all_hi{-1e300, -1e300, -1e300};
        for (uint32_t f : u_faces) {
            const uint32_t *t = &mesh_.tris[3 * uint64_t(f)];
            if (t[0] == v || t[1] == v || t[2] == v) continue; // goes with the collapse
            Moved m;
            for (int k = 0; k < 3; ++k) m.ids[k] = t[k] == u ? v : t[k];
            corners(f, u, v, m.a);
            box_of(m.a, m.lo, m.hi);
            all_lo = {std::min(all_lo.x, m.lo.x), std::min(all_lo.y, m.lo.y), std::min(all_lo.z, m.lo.z)};
            all_hi = {std::max(all_hi.x, m.hi.x), std::max(all_hi.y, m.hi.y), std::max(all_hi.z, m.hi.z)};
            moved_.push_back(m);
        }
        bool clear = true;
        if (!moved_.empty()) {
            if (++stamp_now_ == 0) std::fill(stamp_.begin(), stamp_.end(), 0), stamp_now_ = 1;
            auto test = [&](const std::vector<FaceGrid::Entry> &entries) {
                for (const FaceGrid::Entry &entry : entries) {
                    if (!entry.meets(all_lo, all_hi)) continue;
                    const uint32_t g = entry.face;
                    if (stamp_[g] == stamp_now_ || dead_[g] || moving_[g]) continue;
                    stamp_[g] = stamp_now_;
                    if (!boxes_[g].meets(all_lo, all_hi)) continue; // a stale entry: the face has moved since
                    if (!crosses_none(g)) {
                        clear = false;
                        return;
                    }
                }
            };
            grid_.for_entries(all_lo, all_hi, [&](const std::vector<FaceGrid::Entry> &entries) {
                if (clear) test(entries);
            });
        }
        for (uint32_t f : u_faces) moving_[f] = 0;
        return clear;
    }

private:
    static constexpr uint32_t kNone = 0xFFFFFFFFu;

    // A face of u as it would be after the collapse: its vertices, float32-rounded corners and box.
    struct Moved {
        uint32_t ids[3];
        Vec3d a[3], lo, hi;
    };

    // The float32-rounded corners of face f with vertex `from` replaced by `to`.
    void corners(size_t f, uint32_t from, uint32_t to, Vec3d t[3]) const {
        for (int k = 0; k < 3; ++k) {
            uint32_t w = mesh_.tris[3 * f + k];
            t[k] = rounded_[w == from ? to : w];
        }
    }

    // Whether face g crosses none of the moved faces whose boxes its present box meets and that share none of
    // its vertices.
    bool crosses_none(uint32_t g) const {
        const uint32_t *q = &mesh_.tris[3 * uint64_t(g)];
        Vec3d b[3];
        bool read = false;
        for (const Moved &m : moved_) {
            if (!boxes_[g].meets(m.lo, m.hi)) continue;
            const uint32_t *ids = m.ids;
            if (q[0] == ids[0] || q[0] == ids[1] || q[0] == ids[2] || q[1] == ids[0] || q[1] == ids[1] ||
                q[1] == ids[2] || q[2] == ids[0] || q[2] == ids[1] || q[2] == ids[2])
                continue;
            if (!read) corners(g, kNone, kNone, b), read = true;
            if (triangles_cross(m.a, b)) return false;
        }
        return true;
    }

    const IndexedMesh &mesh_;
    const std::vector<uint8_t> &dead_;
    FaceGrid grid_;
    std::vector<Vec3d> rounded_;                // float32-rounded vertex positions
    std::vector<FaceGrid::Entry> boxes_;        // each face's box where it was last registered
    std::vector<uint32_t> stamp_;
    uint32_t stamp_now_ = 0;
    size_t inserted_ = 0, registered_ = 0; // registrations since the last rebuild, and at it
    std::vector<uint8_t> moving_;
    std::vector<Moved> moved_; // the faces of the collapse being judged
};

} // namespace mf::simplify_guard

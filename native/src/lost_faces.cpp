// Which faces of the input a volumetric rebuild left outside its solid: each face is walked on a barycentric
// grid (its corners, judged once a vertex, and its centroid when it is small, as most are) and a point counts when it is both off the solid's
// surface and outside it; the winding number is asked only of points off the surface, and a vertex of the
// solid within the threshold (looked up in bins) settles most points of a kept surface without a query.
#include "lost_faces.hpp"

#include "faces.hpp"
#include "parallel.hpp"
#include "progress.hpp"
#include "triangle_tree.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <optional>

namespace mf {

namespace {

// Points of a face per side at most: a face 64 spacings long is still looked at every spacing or so.
constexpr int kMaxSteps = 64;

// The solid's vertices (those of faces the tree holds) binned in cubes at least `reach` wide: a vertex
// within reach of a point proves the surface is, without a walk of the tree. On a kept surface most points
// have one (a rebuild's vertices are about a cell apart).
class VertexBins {
public:
    VertexBins(const IndexedMesh &solid, double reach) : reach_(reach) {
        std::vector<uint8_t> used(solid.positions.size(), 0);
        for (size_t f = 0; f < solid.tris.size() / 3; ++f)
            if (!is_collapsed(&solid.tris[3 * f]))
                for (int k = 0; k < 3; ++k) used[solid.tris[3 * f + k]] = 1;
        const uint64_t count = uint64_t(std::count(used.begin(), used.end(), uint8_t(1)));
        if (count == 0 || !(reach > 0)) return;
        double hi[3];
        for (int k = 0; k < 3; ++k) lo_[k] = INFINITY, hi[k] = -INFINITY;
        for (size_t v = 0; v < used.size(); ++v)
            if (used[v])
                for (int k = 0; k < 3; ++k)
                    lo_[k] = std::min(lo_[k], coord(solid.positions[v], k)), hi[k] = std::max(hi[k], coord(solid.positions[v], k));
        for (int k = 0; k < 3; ++k)
            if (!std::isfinite(hi[k] - lo_[k])) return;
        // At most about four bins a vertex: wider bins where reach would make more.
        side_ = reach;
        auto bins = [&] {
            double total = 1;
            for (int k = 0; k < 3; ++k) total *= std::floor((hi[k] - lo_[k]) / side_) + 1;
            return total;
        };
        while (bins() > 4.0 * double(count) + 64) side_ *= 1.25;
        for (int k = 0; k < 3; ++k) dims_[k] = int64_t(std::floor((hi[k] - lo_[k]) / side_)) + 1;
        start_.assign(size_t(dims_[0] * dims_[1] * dims_[2]) + 1, 0);
        std::vector<uint32_t> bin_of(used.size(), 0);
        for (size_t v = 0; v < used.size(); ++v)
            if (used[v]) ++start_[(bin_of[v] = uint32_t(bin(solid.positions[v]))) + 1];
        for (size_t b = 1; b < start_.size(); ++b) start_[b] += start_[b - 1];
        points_.resize(count);
        std::vector<uint32_t> fill(start_.begin(), start_.end() - 1);
        for (size_t v = 0; v < used.size(); ++v)
            if (used[v]) points_[fill[bin_of[v]]++] = solid.positions[v];
    }

    // Whether a vertex lies nearer p than reach, with a margin for the rounding of the tree's distances.
    bool near(const Vec3d &p) const {
        if (points_.empty()) return false;
        const double limit2 = reach_ * reach_ * (1 - 1e-9);
        int64_t r0[3], r1[3];
        for (int k = 0; k < 3; ++k) {
            const double c = coord(p, k) - lo_[k];
            r0[k] = std::max<int64_t>(0, int64_t(std::floor((c - reach_) / side_)));
            r1[k] = std::min<int64_t>(dims_[k] - 1, int64_t(std::floor((c + reach_) / side_)));
            if (!(r0[k] <= r1[k])) return false;
        }
        for (int64_t k = r0[2]; k <= r1[2]; ++k)
            for (int64_t j = r0[1]; j <= r1[1]; ++j)
                for (int64_t i = r0[0]; i <= r1[0]; ++i) {
                    const size_t b = size_t((k * dims_[1] + j) * dims_[0] + i);
                    for (uint32_t q = start_[b]; q < start_[b + 1]; ++q)
                        if (norm2(points_[q] - p) <= limit2) return true;
                }
        return false;
    }

private:
    size_t bin(const Vec3d &v) const {
        int64_t c[3];
        for (int k = 0; k < 3; ++k) c[k] = std::clamp<int64_t>(int64_t((coord(v, k) - lo_[k]) / side_), 0, dims_[k] - 1);
        return size_t((c[2] * dims_[1] + c[1]) * dims_[0] + c[0]);
    }

    double reach_, side_ = 0, lo_[3] = {0, 0, 0};
    int64_t dims_[3] = {0, 0, 0};
    std::vector<uint32_t> start_;
    std::vector<Vec3d> points_;
};

bool point_lost(const TriangleTree &solid, const VertexBins &bins, const Vec3d &p, double threshold2) {
    return !bins.near(p) && solid.closest(p, threshold2).distance2 > threshold2 && !(solid.winding_closed(p) > 0.5);
}

} // namespace

uint64_t lost_faces(const IndexedMesh &surface, const IndexedMesh &solid, double spacing, double threshold,
                    const std::vector<uint8_t> *skip, Progress &progress, std::vector<uint8_t> &lost) {
    const size_t faces = surface.tris.size() / 3;
    lost.assign(faces, 0);
    // The solid's tree on this thread, its vertices binned on a helper meanwhile.
    std::optional<TriangleTree> built;
    std::optional<VertexBins> binned;
    run_with_helper([&] { built.emplace(solid.positions, solid.tris, &progress); },
                    [&] { binned.emplace(solid, threshold); });
    const TriangleTree &tree = *built;
    const VertexBins &bins = *binned;
    if (tree.empty()) {
        for (size_t f = 0; f < faces; ++f) lost[f] = !(skip && (*skip)[f]);
        return uint64_t(std::count(lost.begin(), lost.end(), uint8_t(1)));
    }
    const double threshold2 = threshold * threshold;
    // Corners are shared by about six faces each: each is judged once, before the faces.
    std::vector<uint8_t> corner_lost(surface.positions.size(), 0), used(surface.positions.size(), 0);
    for (size_t f = 0; f < faces; ++f)
        if (!(skip && (*skip)[f]))
            for (int k = 0; k < 3; ++k) used[surface.tris[3 * f + k]] = 1;
    parallel_for(surface.positions.size(), progress, 0.0, 0.0, "lost faces", [&](size_t v) {
        if (used[v]) corner_lost[v] = point_lost(tree, bins, surface.positions[v], threshold2);
    });
    auto steps_of = [&](const Vec3d &a, const Vec3d &b, const Vec3d &c) {
        const double longest = std::max({norm(b - a), norm(c - b), norm(a - c)});
        return std::clamp(int(std::ceil(longest / spacing)), 1, kMaxSteps);
    };
    // The corners and the centroid (on a small face the one point between the corners) of every face first.
    parallel_for(faces, progress, 0.0, 0.0, "lost faces", [&](size_t f) {
        if (skip && (*skip)[f]) return;
        const uint32_t *t = &surface.tris[3 * f];
        const Vec3d &a = surface.positions[t[0]], &b = surface.positions[t[1]], &c = surface.positions[t[2]];
        lost[f] = corner_lost[t[0]] || corner_lost[t[1]] || corner_lost[t[2]] ||
                  point_lost(tree, bins, (a + b + c) * (1.0 / 3.0), threshold2);
    });
    // Then the barycentric grids of the larger faces still kept, in pieces of a few points, so that a few
    // large faces (a soup's) share both threads too. A face is lost when any of its points is: a piece
    // stops once another has found its face lost, which leaves the answer the same.
    struct Piece {
        uint32_t face;
        uint32_t begin, end; // row-major indices of the points (i, j), i + j <= steps
    };
    std::vector<Piece> pieces;
    std::vector<int> steps(faces, 1);
    uint64_t points = 0;
    for (size_t f = 0; f < faces; ++f) {
        if (lost[f] || (skip && (*skip)[f])) continue;
        const uint32_t *t = &surface.tris[3 * f];
        steps[f] = steps_of(surface.positions[t[0]], surface.positions[t[1]], surface.positions[t[2]]);
        if (steps[f] > 1) points += uint64_t(steps[f] + 1) * uint64_t(steps[f] + 2) / 2;
    }
    const uint32_t piece = uint32_t(std::clamp<uint64_t>(points / 8192, 1, 64));
    for (size_t f = 0; f < faces; ++f) {
        if (steps[f] < 2 || lost[f] || (skip && (*skip)[f])) continue;
        const uint32_t total = uint32_t((steps[f] + 1) * (steps[f] + 2) / 2);
        for (uint32_t b = 0; b < total; b += piece) pieces.push_back({uint32_t(f), b, std::min(total, b + piece)});
    }
    std::vector<std::atomic<uint8_t>> found(faces);
    parallel_for(pieces.size(), progress, 0.0, 0.0, "lost faces", [&](size_t n) {
        const Piece &w = pieces[n];
        const int s = steps[w.face];
        const uint32_t *t = &surface.tris[3 * size_t(w.face)];
        const Vec3d &a = surface.positions[t[0]], &b = surface.positions[t[1]], &c = surface.positions[t[2]];
        int i = 0, j = int(w.begin);
        while (j > s - i) j -= s - i + 1, ++i;
        for (uint32_t q = w.begin; q < w.end; ++q) {
            if (found[w.face].load(std::memory_order_relaxed)) return;
            // corners were judged above
            if (!((i == 0 || i == s) && (j == 0 || j == s))) {
                const double u = double(i) / s, v = double(j) / s;
                if (point_lost(tree, bins, a * (1 - u - v) + b * u + c * v, threshold2))
                    found[w.face].store(1, std::memory_order_relaxed);
            }
            if (++j > s - i) j = 0, ++i;
        }
    });
    uint64_t count = 0;
    for (size_t f = 0; f < faces; ++f) {
        lost[f] = lost[f] || found[f].load();
        count += lost[f];
    }
    progress.check();
    return count;
}

} // namespace mf

// Crossings after a local change: bins of the moved faces' boxes pick the faces they can meet, and the
// crossing search runs over those alone, so a change of a few corners costs about as little as it touches.
#include "crossing_near.hpp"

#include "parallel.hpp"
#include "progress.hpp"
#include "self_intersections.hpp"
#include "vec_math.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mf {

std::vector<uint32_t> find_crossing_faces_near(const std::vector<uint32_t> &tris, const std::vector<Vec3d> &positions,
                                               const std::vector<uint8_t> &moved, Progress &progress) {
    const size_t faces = tris.size() / 3;
    auto touched = [&](size_t f) { return moved[tris[3 * f]] || moved[tris[3 * f + 1]] || moved[tris[3 * f + 2]]; };
    auto box = [&](size_t f, double lo[3], double hi[3]) {
        for (int k = 0; k < 3; ++k) {
            lo[k] = std::numeric_limits<double>::infinity(), hi[k] = -lo[k];
            for (int e = 0; e < 3; ++e) {
                const double c = coord(positions[tris[3 * f + e]], k);
                lo[k] = std::min(lo[k], c), hi[k] = std::max(hi[k], c);
            }
        }
    };
    double bin = 0;
    for (size_t f = 0; f < faces; ++f)
        if (touched(f)) {
            double lo[3], hi[3];
            box(f, lo, hi);
            for (int k = 0; k < 3; ++k) bin = std::max(bin, hi[k] - lo[k]);
        }
    if (!(bin > 0) || !std::isfinite(bin)) {
        // Nothing moved (or only collapsed or unbounded faces did): a full search rather than a guess.
        bool any = false;
        for (size_t f = 0; f < faces && !any; ++f) any = touched(f);
        return any ? find_crossing_faces(tris, positions, &progress) : std::vector<uint32_t>{};
    }
    // The bins a face's box covers (a box a little larger than the face, for the float rounding of the check).
    // A face over more than 64 bins (much larger than every moved one) counts as near without its bins visited.
    auto for_bins = [&](size_t f, auto visit) {
        double lo[3], hi[3];
        box(f, lo, hi);
        int64_t first[3], last[3];
        const double slack = 1e-6 * bin;
        double covered = 1;
        for (int k = 0; k < 3; ++k) {
            const double a = std::floor((lo[k] - slack) / bin), b = std::floor((hi[k] + slack) / bin);
            covered *= b - a + 1;
            first[k] = int64_t(a), last[k] = int64_t(b);
        }
        if (!(covered <= 64)) return true;
        for (int64_t i = first[0]; i <= last[0]; ++i)
            for (int64_t j = first[1]; j <= last[1]; ++j)
                for (int64_t k = first[2]; k <= last[2]; ++k)
                    if (visit((uint64_t(i & 0x1FFFFF) << 42) | (uint64_t(j & 0x1FFFFF) << 21) | uint64_t(k & 0x1FFFFF)))
                        return true;
        return false;
    };
    std::vector<uint64_t> bins;
    for (size_t f = 0; f < faces; ++f)
        if (touched(f))
            for_bins(f, [&](uint64_t key) {
                bins.push_back(key);
                return false;
            });
    std::sort(bins.begin(), bins.end());
    bins.erase(std::unique(bins.begin(), bins.end()), bins.end());
    std::vector<uint8_t> near(faces, 0);
    parallel_for(faces, progress, 0.0, 0.0, "intersections", [&](size_t f) {
        near[f] = for_bins(f, [&](uint64_t key) { return std::binary_search(bins.begin(), bins.end(), key); });
    });
    std::vector<uint32_t> id, near_tris;
    for (size_t f = 0; f < faces; ++f)
        if (near[f]) {
            id.push_back(uint32_t(f));
            near_tris.insert(near_tris.end(), tris.begin() + 3 * f, tris.begin() + 3 * f + 3);
        }
    std::vector<uint32_t> crossing = find_crossing_faces(near_tris, positions, &progress);
    for (uint32_t &f : crossing) f = id[f];
    return crossing;
}

} // namespace mf

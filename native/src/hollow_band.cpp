// Narrow-band distances: the exact distance costs a tree query a point, far too many for every point of a
// hollowing grid, and most points need no more than "deeper than the cap". Faces are scattered onto the
// points beside them, then the nearest face of each point is handed on inward, a layer of neighbours at a
// time, which costs a few point-to-triangle distances a point.
#include "hollow_band.hpp"

#include "hollow_pages.hpp"
#include "parallel.hpp"
#include "parallel_blocks.hpp"
#include "progress.hpp"
#include "triangle_tree.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>

namespace mf {

namespace {

constexpr uint64_t kNone = ~uint64_t(0);

// A point's best so far: the float distance's bits above (ordered as the distance, for non-negative
// floats), the face below, so that one atomic minimum keeps both.
uint64_t pack(float distance, uint32_t face) { return uint64_t(std::bit_cast<uint32_t>(distance)) << 32 | face; }
float distance_of(uint64_t packed) { return std::bit_cast<float>(uint32_t(packed >> 32)); }
uint32_t face_of(uint64_t packed) { return uint32_t(packed); }

// Whether value went in (it was below what the slot held).
bool lower_to(std::atomic_ref<uint64_t> slot, uint64_t value) {
    uint64_t old = slot.load(std::memory_order_relaxed);
    while (value < old)
        if (slot.compare_exchange_weak(old, value, std::memory_order_relaxed)) return true;
    return false;
}

double face_distance(const IndexedMesh &mesh, uint32_t f, const Vec3d &p) {
    const Vec3d &a = mesh.positions[mesh.tris[3 * size_t(f)]], &b = mesh.positions[mesh.tris[3 * size_t(f) + 1]],
                &c = mesh.positions[mesh.tris[3 * size_t(f) + 2]];
    double bary[3];
    closest_on_triangle(p, a, b, c, bary);
    return norm(a * bary[0] + b * bary[1] + c * bary[2] - p);
}

} // namespace

std::vector<float> banded_distances(const ScalarGrid &grid, const IndexedMesh &mesh, const std::vector<uint8_t> &spread,
                                    double cap, Progress &progress, std::vector<uint32_t> *nearest_faces) {
    const int64_t *dims = grid.dims;
    const double h = grid.h;
    const uint64_t n = grid.point_count();
    // Each point's best so far, used atomically; on huge pages and first written in parallel (no zeroing pass).
    std::vector<uint64_t, LargeAlloc<uint64_t>> best_values(n);
    std::vector<uint8_t, LargeAlloc<uint8_t>> settled(n);
    parallel_for(n, progress, 0.0, 0.0, "distance field", [&](size_t p) { best_values[p] = kNone, settled[p] = 0; });
    auto best = [&](uint64_t p) { return std::atomic_ref<uint64_t>(best_values[p]); };
    // Every face against the points within a cell of its box: exact wherever the surface is within a cell.
    const size_t faces = mesh.tris.size() / 3;
    parallel_for(faces, progress, 0.05, 0.3, "distance field", [&](size_t f) {
        const uint32_t *t = &mesh.tris[3 * f];
        if (t[0] == t[1] || t[1] == t[2] || t[2] == t[0]) return;
        const Vec3d &a = mesh.positions[t[0]], &b = mesh.positions[t[1]], &c = mesh.positions[t[2]];
        Vec3d normal = cross(b - a, c - a);
        const double area2 = norm(normal);
        normal = area2 > 0 ? normal * (1 / area2) : Vec3d{0, 0, 0};
        int64_t lo[3], hi[3];
        for (int k = 0; k < 3; ++k) {
            const double u = coord(a, k), v = coord(b, k), w = coord(c, k);
            lo[k] = std::max<int64_t>(0, int64_t(std::floor((std::min({u, v, w}) - grid.origin[k]) / h)) - 1);
            hi[k] = std::min<int64_t>(dims[k] - 1, int64_t(std::ceil((std::max({u, v, w}) - grid.origin[k]) / h)) + 1);
        }
        for (int64_t k = lo[2]; k <= hi[2]; ++k)
            for (int64_t j = lo[1]; j <= hi[1]; ++j)
                for (int64_t i = lo[0]; i <= hi[0]; ++i) {
                    const Vec3d x{grid.origin[0] + double(i) * h, grid.origin[1] + double(j) * h,
                                  grid.origin[2] + double(k) * h};
                    // Farther than a cell from the face's plane: farther from the face, and not needed.
                    if (area2 > 0 && std::fabs(dot(x - a, normal)) > h) continue;
                    const uint64_t p = grid.id(i, j, k);
                    double bary[3];
                    closest_on_triangle(x, a, b, c, bary);
                    const float d = float(norm(a * bary[0] + b * bary[1] + c * bary[2] - x));
                    lower_to(best(p), pack(d, uint32_t(f)));
                }
    });
    // Then outward in order of distance (Dijkstra's order, in buckets a quarter cell wide): a point settled
    // offers its face to its neighbours, each keeping the nearer. Settling in order of distance, rather than
    // of steps from the surface, lets the face of a point reached late still win where it is the nearest.
    // A bucket is settled in waves: the points of a wave are settled together, then offer in parallel (each
    // offer an atomic minimum, so the outcome does not depend on the order), and the points they lowered into
    // the same bucket make the next wave.
    const double width = 0.25 * h;
    const size_t last_bucket = size_t(cap / width) + 1;
    auto bucket_of = [&](float d) {
        const double b = double(d) / width; // NaN (an overflowed distance) and beyond the cap go in the last bucket
        return b < double(last_bucket) ? size_t(b) : last_bucket;
    };
    // Points reached so far into their buckets: blocks of points on two threads, joined in block order (the
    // order one pass makes).
    std::vector<std::vector<uint32_t>> buckets(last_bucket + 1);
    {
        const size_t blocks = 64;
        std::vector<std::vector<std::vector<uint32_t>>> part(blocks, std::vector<std::vector<uint32_t>>(last_bucket + 1));
        parallel_blocks(blocks, progress, [&](size_t k) {
            for (uint64_t p = n * k / blocks; p < n * (k + 1) / blocks; ++p) {
                const uint64_t b = best_values[p];
                if (b != kNone) part[k][bucket_of(distance_of(b))].push_back(uint32_t(p));
            }
        });
        for (size_t b = 0; b <= last_bucket; ++b) {
            size_t size = 0;
            for (size_t k = 0; k < blocks; ++k) size += part[k][b].size();
            buckets[b].reserve(size);
            for (size_t k = 0; k < blocks; ++k) {
                buckets[b].insert(buckets[b].end(), part[k][b].begin(), part[k][b].end());
                std::vector<uint32_t>().swap(part[k][b]);
            }
        }
    }
    progress.report(0.3, "distance field");
    const int64_t step[3] = {1, dims[0], dims[0] * dims[1]};
    const float cap_f = float(cap);
    uint64_t count = 0;
    std::vector<uint32_t> wave;
    std::vector<uint64_t> offers; // per point of the wave and neighbour: the offer that went in, else kNone
    for (size_t at = 0; at <= last_bucket; ++at) {
        progress.check();
        std::vector<uint32_t> next = std::move(buckets[at]);
        std::vector<uint32_t>().swap(buckets[at]);
        while (!next.empty()) {
            wave.clear();
            for (uint32_t p : next)
                if (!settled[p] && bucket_of(distance_of(best(p).load(std::memory_order_relaxed))) == at)
                    settled[p] = 1, wave.push_back(p); // else settled, or moved to a nearer bucket
            next.clear();
            count += wave.size();
            if (at == last_bucket) break; // past the cap: hands nothing on
            offers.assign(6 * wave.size(), kNone);
            parallel_for(wave.size(), progress, 0.0, 0.0, "distance field", [&](size_t w) {
                const uint32_t p = wave[w];
                const uint32_t f = face_of(best(p).load(std::memory_order_relaxed));
                const int64_t c[3] = {int64_t(p % dims[0]), int64_t((p / dims[0]) % dims[1]), int64_t(p / (dims[0] * dims[1]))};
                for (int a = 0; a < 3; ++a)
                    for (int side = -1; side <= 1; side += 2) {
                        if (c[a] + side < 0 || c[a] + side >= dims[a]) continue;
                        const uint64_t q = p + side * step[a];
                        if (settled[q] || !spread[q]) continue;
                        const uint64_t now = best(q).load(std::memory_order_relaxed);
                        if (now != kNone && face_of(now) == f) continue;
                        const uint64_t candidate = pack(float(face_distance(mesh, f, grid.point(q))), f);
                        if (lower_to(best(q), candidate)) offers[6 * w + 2 * a + (side + 1) / 2] = candidate;
                    }
            });
            for (size_t w = 0; w < wave.size(); ++w)
                for (int e = 0; e < 6; ++e) {
                    const uint64_t candidate = offers[6 * w + e];
                    if (candidate == kNone) continue;
                    const int a = e / 2, side = 2 * (e % 2) - 1;
                    const uint32_t q = uint32_t(wave[w] + side * step[a]);
                    // Never behind the bucket being settled (a neighbour is at most a cell nearer).
                    const size_t b = std::max(at, bucket_of(distance_of(candidate)));
                    (b == at ? next : buckets[b]).push_back(q);
                }
        }
    }
    progress.log("distance band: %llu points settled", (unsigned long long)count);
    // The distances and the nearest faces in one pass over the packed values.
    std::vector<float> distance;
    assign_on_huge_pages(distance, n, 0.0f);
    uint32_t *faces_out = nullptr;
    if (nearest_faces) {
        assign_on_huge_pages(*nearest_faces, n, kNoBandFace);
        faces_out = nearest_faces->data();
    }
    parallel_for(n, progress, 0.3, 0.35, "distance field", [&](size_t p) {
        const uint64_t b = best_values[p];
        distance[p] = b == kNone ? cap_f : std::min(distance_of(b), cap_f);
        if (faces_out) faces_out[p] = b == kNone ? kNoBandFace : face_of(b);
    });
    return distance;
}

} // namespace mf

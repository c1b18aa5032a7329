// mf_simplify's decimation: vertices welded by exact position into points, each point's corners grouped into
// wedges (one per distinct input vertex), points classified once (manifold, border, seam, locked), then passes of
// half-edge collapses: every live edge costed once at its cheaper legal direction (on two threads), ordered by
// cost (a radix sort on the float costs), and taken cheapest first, each judged on the surface as it is at that
// moment; a point moved or moved onto waits for the next pass (its costs are stale). A pass ends at half of what
// is left to remove, or once costs pass 1.2 times the cost at that goal; where such a pass touched few points (the
// slow end of a run held up by seams), the next keeps the list and costs only the touched points' edges again (a
// collapse it refused is not tried again until something near it changes), and a pass that tried every candidate
// is followed by one over the touched points' surroundings. Each point keeps its
// live faces as a linked list of corners, spliced on collapse, so that nothing is rebuilt between passes and nothing
// allocated per collapse.
#include "simplify_mesh.hpp"

#include "kept_blocks.hpp"
#include "parallel.hpp"
#include "progress.hpp"
#include "simplify_guard.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>

namespace mf {

namespace {

enum Kind : uint8_t { Manifold, Border, Seam, Locked };

// Plane quadric of a point, weighted: a2 ab ac ad b2 bc bd c2 cd d2, then the total weight, over coordinates
// centred on the point itself and scaled by the extent (a point never moves: collapses are half-edge ones), with
// weights (lengths: see face_quadrics) in the unit box. Centred, a plane through the point has d = 0 and the error
// of a nearby position is not the small difference of large terms, so single precision (44 bytes a point, not 88)
// loses nothing the decimation can see; sums and evaluation are in double.
struct Quadric {
    float q[10] = {};
    float w = 0;

    // The terms of a plane through the point (every plane added to a point holds it: its faces' planes and its
    // edges' planes), unit normal n, weighted: only the square part, its d being 0.
    struct Plane {
        double t[6], w; // a2 ab ac b2 bc c2, times the weight; the weight
        Plane(const Vec3d &n, double weight)
            : t{weight * n.x * n.x, weight * n.x * n.y, weight * n.x * n.z, weight * n.y * n.y, weight * n.y * n.z,
                weight * n.z * n.z},
              w(weight) {}
    };
    void add_plane(const Plane &p) {
        q[0] = float(q[0] + p.t[0]), q[1] = float(q[1] + p.t[1]), q[2] = float(q[2] + p.t[2]);
        q[4] = float(q[4] + p.t[3]), q[5] = float(q[5] + p.t[4]), q[7] = float(q[7] + p.t[5]);
        w = float(w + p.w);
    }
    // Adds o, a quadric centred at offset t from this one's centre (t = o's centre less this one's): over this
    // one's coordinates y, o's are y - t, so its linear part b becomes b - A t and its constant
    // c - 2 b.t + t.A.t (A, its square part, stays).
    void add_moved(const Quadric &o, const Vec3d &t) {
        double e[10];
        for (int k = 0; k < 10; ++k) e[k] = o.q[k];
        const double *Q = e; // o's terms, widened
        const double At[3] = {Q[0] * t.x + Q[1] * t.y + Q[2] * t.z, Q[1] * t.x + Q[4] * t.y + Q[5] * t.z,
                              Q[2] * t.x + Q[5] * t.y + Q[7] * t.z};
        const double bt = Q[3] * t.x + Q[6] * t.y + Q[8] * t.z;
        const double tAt = t.x * At[0] + t.y * At[1] + t.z * At[2];
        e[3] -= At[0], e[6] -= At[1], e[8] -= At[2];
        e[9] += tAt - 2 * bt;
        for (int k = 0; k < 10; ++k) q[k] = float(q[k] + e[k]);
        w += o.w;
    }
    // The weighted mean squared distance from the planes of the position p in this quadric's coordinates.
    double mean_error(const Vec3d &p) const {
        if (!(w > 0)) return 0;
        const double x = p.x, y = p.y, z = p.z;
        double e = q[0] * x * x + 2 * q[1] * x * y + 2 * q[2] * x * z + 2 * q[3] * x + q[4] * y * y +
                   2 * q[5] * y * z + 2 * q[6] * y + q[7] * z * z + 2 * q[8] * z + q[9];
        return std::max(0.0, e / w);
    }
};

// A face's input normal, kept in single precision (it only steers the flip test and the edge planes).
struct Normal {
    float x, y, z;
    Normal() = default;
    explicit Normal(const Vec3d &n) : x(float(n.x)), y(float(n.y)), z(float(n.z)) {}
    Vec3d d() const { return {x, y, z}; }
};

// The working arrays, a value per point, face or corner, their blocks kept with the thread for its next call
// (kept_blocks.hpp).
template <class T> using Array = std::vector<T, KeptAlloc<T>>;

// Welds vertices with bit-equal positions (-0 as +0): remap[v] is the first vertex at v's position.
Array<uint32_t> weld_positions(const std::vector<Vec3d> &pos) {
    const size_t n = pos.size();
    size_t cap = 1;
    while (cap < 2 * n + 2) cap <<= 1;
    Array<uint32_t> table(cap, UINT32_MAX), remap(n);
    auto bits = [&](uint32_t v, uint64_t out[3]) {
        const double c[3] = {pos[v].x + 0.0, pos[v].y + 0.0, pos[v].z + 0.0};
        std::memcpy(out, c, sizeof c);
    };
    for (uint32_t v = 0; v < n; ++v) {
        uint64_t b[3];
        bits(v, b);
        uint64_t h = (b[0] * 0x9E3779B97F4A7C15ull) ^ (b[1] * 0xC2B2AE3D27D4EB4Full) ^ (b[2] * 0x165667B19E3779F9ull);
        h ^= h >> 29;
        for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
            if (table[i] == UINT32_MAX) {
                table[i] = v;
                remap[v] = v;
                break;
            }
            uint64_t o[3];
            bits(table[i], o);
            if (o[0] == b[0] && o[1] == b[1] && o[2] == b[2]) {
                remap[v] = table[i];
                break;
            }
        }
    }
    return remap;
}

constexpr uint32_t kNil = UINT32_MAX;

// Classification and the full gathers run on two threads only above this many live faces. Below it the sections
// are short and memory-bound over arrays the calling thread has just written (the helper reads them from the other
// core's cache): two threads saved no wall time for much more CPU. On two cores, DamagedHelmet (15k faces) to 10 %,
// six same-minute pairs with nothing else running: 7.2-7.7 ms a call and 9.0-9.6 ms of CPU at 4096, against
// 7.0-7.3 ms and 7.0-7.3 ms on one thread; on a loaded machine (load 5.6, calls alternating in one process) 1.03x
// the wall time and 0.85x the CPU. hunyuan (40k faces) keeps its first pass on two threads (on one: 1.05x the wall
// time, 0.82x the CPU).
constexpr uint64_t kTwoThreadFaces = 32768;


// Whether a point of kind u may move onto one of kind v along some edge (a seam or border point only along its
// line, onto its like or a locked point).
constexpr bool kinds_may_leave(Kind u, Kind v) { return u == Manifold || (u != Locked && (v == u || v == Locked)); }

// kinds_may_leave as bits 4 * u + v: one lookup, not the chain of tests that its kinds made a branch each.
constexpr uint16_t may_leave_bits() {
    uint16_t bits = 0;
    for (int u = 0; u < 4; ++u)
        for (int v = 0; v < 4; ++v)
            if (kinds_may_leave(Kind(u), Kind(v))) bits = uint16_t(bits | 1u << (4 * u + v));
    return bits;
}
constexpr uint16_t kMayLeave = may_leave_bits();

// The gather's test of an edge a-b of a face by its ends' kinds, bit 4 * kind(a) + kind(b): [0] where a < b, some
// end may leave; [1] where a > b, besides, neither end a manifold or seam point (whose faces form a closed fan: the
// edge then has a face where a < b, which gives it; otherwise twin_ says).
constexpr uint16_t edge_costed(bool greater) {
    uint16_t bits = 0;
    for (int ka = 0; ka < 4; ++ka)
        for (int kb = 0; kb < 4; ++kb) {
            const Kind a = Kind(ka), b = Kind(kb);
            const bool leaves = kinds_may_leave(a, b) || kinds_may_leave(b, a);
            const bool closed = a == Manifold || a == Seam || b == Manifold || b == Seam;
            if (leaves && !(greater && closed)) bits = uint16_t(bits | 1u << (4 * ka + kb));
        }
    return bits;
}
constexpr uint16_t kEdgeCosted[2] = {edge_costed(false), edge_costed(true)};

// A collapse of `from` onto `to` and its cost.
struct Candidate {
    float cost;
    uint32_t from, to;
};

// Which wedge of the removed point goes to which wedge of the kept one (at most a few pairs).
struct WedgeMap {
    uint32_t from[8], to[8];
    int n = 0;
    int shared = 0;   // faces holding both points
    bool seam = false; // the faces across the edge hold different wedges of an end
    bool ok = true;

    // Empty again (the pairs are left as they are: only the first n are read).
    void clear() {
        n = 0, shared = 0, seam = false, ok = true;
    }

    uint32_t find(uint32_t f) const {
        for (int i = 0; i < n; ++i)
            if (from[i] == f) return to[i];
        return UINT32_MAX;
    }
};

class Decimator {
public:
    Decimator(IndexedMesh &mesh, const SimplifySettings &settings, Progress &progress, SimplifyOutcome &out)
        : mesh_(mesh), settings_(settings), out_(out), nv_(uint32_t(mesh.positions.size())),
          nf_(mesh.tris.size() / 3), k_(mesh.attribute_count), otris_(mesh.tris.begin(), mesh.tris.end()), dead_(nf_, 0), kind_(nv_, Locked),
          quadric_(nv_), mark_(nv_, 0), moved_(nv_, 0), dirty_round_(nv_, 0) {
        remap_ = weld_positions(mesh.positions);
        for (uint32_t &v : mesh_.tris) v = remap_[v]; // the working triangles speak of points
        live_ = nf_;
        const std::vector<uint32_t> &t = mesh_.tris;
        for (size_t f = 0; f < nf_; ++f)
            if (t[3 * f] == t[3 * f + 1] || t[3 * f + 1] == t[3 * f + 2] || t[3 * f] == t[3 * f + 2])
                dead_[f] = 1, --live_, ++out_.dropped;
        link_corners();
        measure_extent();
        normals_.resize(nf_);
        if (settings.lock_border) rim_.assign(nv_, 0);
        seam_end_.assign(nv_, 0);
        classify(progress); // with face_quadrics beside it
        if (settings.no_intersections) {
            double cell = extent_ / std::clamp(std::sqrt(double(live_)) / 2, 16.0, 256.0);
            guard_ = std::make_unique<simplify_guard::CrossingGuard>(mesh_, dead_, cell);
        }
        refused_bit_ = !guard_ && nv_ < kRefused ? kRefused : 0;
    }

    void run(Progress &progress) {
        const uint64_t target = settings_.target_triangles;
        const double max_cost = settings_.max_error >= 1e150 ? 1e300 : settings_.max_error * settings_.max_error;
        const uint64_t start = live_;
        uint64_t over_error = 0, over_everywhere = 0;
        bool near_only = false; // the last pass tried every candidate: the next costs only the touched points' edges
        bool complete = false;  // cands_ holds every legal live edge (a full gather's list, less what a pass touched)
        while (live_ > target) {
            progress.report(start > target ? 0.05 + 0.9 * double(start - live_) / double(start - target) : 0.5,
                            "simplify");
            // After a pass that stopped early having touched few points (the slow end of a run held up by seams or
            // topology), the list is kept and only the touched points' edges are costed again (no error bound:
            // then no edge is ever left out for its cost).
            const bool keep = complete && !near_only && pass_ > 0 && max_cost >= 1e300 &&
                              (dirty_.size() + killed_.size()) * 32 < live_;
            if (near_only) {
                over_error = over_everywhere + gather_near_dirty(max_cost);
                complete = false;
            } else if (keep) {
                regather_touched(max_cost);
            } else {
                over_error = over_everywhere = gather(max_cost, progress);
                complete = true;
            }
            if (cands_.empty()) {
                // A full gather does not read the input-normal bound: relaxing it would find none there either.
                if (!(near_only || keep) || !relax_input_bound()) break;
                near_only = complete = false;
                continue;
            }
            if (!keep) sort_candidates();
            // Collapses above the cost this pass needs (about one per two faces left to remove) wait for a later
            // pass, where cheaper ones may have appeared; a pass that took few goes on regardless. At 1.2 times that
            // cost, not meshoptimizer's 1.5, more of a run's collapses are costed on the surface they change, for no
            // time that shows beyond the noise: the sampled Hausdorff distance (2M samples) of hunyuan to 10 % 0.00711
            // of the diagonal, was 0.00757; DamagedHelmet with normals 0.055, was 0.070; scallop to 1 % with normals
            // 0.0064, was 0.0073; 2CylinderEngine with normals 0.0072, was 0.0130; no row of SimplifyErrorTable went
            // past meshoptimizer's.
            const uint64_t goal = (live_ - target) / 2 + 1;
            const float pass_limit = goal < cands_.size() ? 1.2f * cands_[goal].cost : 3e38f;
            ++pass_;
            const uint8_t pass = next_pass_tag();
            uint64_t collapsed = 0;
            float reached = 0;
            bool stopped_early = false;
            dirty_.clear(), killed_.clear();
            // A kept list may hold candidates refused before (regather_touched); this pass's collapses mark what they
            // change as they go, so that one made near such a candidate before its turn has it tried again.
            const bool flagged = keep && refused_bit_;
            for (Candidate &c : cands_) {
                if (live_ <= target || (c.cost > pass_limit && c.cost > reached && collapsed > goal / 6)) {
                    stopped_early = true;
                    break;
                }
                if (c.from & refused_bit_) {
                    const uint32_t from = c.from & ~refused_bit_;
                    if (near_round_[from] != pass_ && near_round_[c.to] != pass_) continue; // would be refused again
                    c.from = from;
                }
                if (moved_[c.from] == pass || moved_[c.to] == pass) continue;
                const size_t killed_before = killed_.size();
                if (!try_collapse(c.from, c.to)) {
                    c.from |= refused_bit_;
                    continue;
                }
                if (flagged) mark_near(&c.to, 1, killed_.data() + killed_before, killed_.size() - killed_before, pass_);
                moved_[c.from] = moved_[c.to] = pass;
                dirty_.push_back(c.to); // each point is moved onto at most once a pass
                reached = std::max(reached, c.cost);
                ++collapsed;
            }
            if (collapsed == 0) {
                if (!relax_input_bound()) break;
                near_only = complete = false;
                continue;
            }
            near_only = !stopped_early;
        }
        out_.stop = live_ <= target ? SimplifyStop::Target : over_error ? SimplifyStop::Error : SimplifyStop::Topology;
    }

    // Once no collapse is left within the input-normal bound, lets faces turn up to 90 degrees against their input
    // normals, so that a run held there goes on toward its target (SimplifyBenchmark's DamagedHelmet to 10 %: 3693
    // triangles, not 3892; hunyuan to 1 %: 770, not 796); returns false where that was done already. Runs that
    // reach their target within the bound are as before.
    bool relax_input_bound() {
        if (input_cos_ <= 0) return false;
        input_cos_ = 0;
        return true;
    }

    // Orders cands_ by cost: a least-significant-digit radix sort on the bits of the (non-negative) float costs,
    // whose order as unsigned integers is their order as numbers. Three passes of 11 bits; from 2^19 candidates
    // (lists past the second-level cache) four passes of 8 bits, whose 256 places written at a time stay cached
    // (the sort alone, 12-byte candidates: 4.1 against 4.4 ms at 600k, 8.8 against 10.7 at 1M, 28.7 against 34.7
    // at 3M; but 1.6 against 1.2 ms at 300k). Under 2048 candidates (the later passes of a run) also 8 bits, whose
    // counts (4 x 256, not 3 x 2048) cost less to clear and sum than the fourth pass adds (DamagedHelmet to 10 %:
    // 0.38 M instructions fewer a call, of 2.75 M in 13 sorts). Either gives the same order.
    void sort_candidates() {
        if (cands_.size() >= (size_t(1) << 19) || cands_.size() < 2048) radix_sort<8>();
        else radix_sort<11>();
    }

    template <int kBits> void radix_sort() {
        constexpr int kDigits = (32 + kBits - 1) / kBits;
        constexpr uint32_t kMask = (1u << kBits) - 1;
        sorted_.resize(cands_.size());
        uint32_t count[kDigits][kMask + 1] = {};
        for (const Candidate &c : cands_) {
            uint32_t key;
            std::memcpy(&key, &c.cost, 4);
            for (int d = 0; d < kDigits; ++d) ++count[d][(key >> (kBits * d)) & kMask];
        }
        for (int d = 0; d < kDigits; ++d) {
            uint32_t sum = 0;
            for (uint32_t &k : count[d]) {
                const uint32_t here = k;
                k = sum, sum += here;
            }
            for (const Candidate &c : cands_) {
                uint32_t key;
                std::memcpy(&key, &c.cost, 4);
                sorted_[count[d][(key >> (kBits * d)) & kMask]++] = c;
            }
            cands_.swap(sorted_);
        }
    }

    // The kept faces over the input's vertex ids, written over the working triangles (read no more: no new array).
    void finish() {
        std::vector<uint32_t> &kept = mesh_.tris;
        size_t n = 0;
        for (size_t f = 0; f < nf_; ++f)
            if (!dead_[f]) kept[n] = otris_[3 * f], kept[n + 1] = otris_[3 * f + 1], kept[n + 2] = otris_[3 * f + 2], n += 3;
        kept.resize(n);
        out_.extent = extent_;
        out_.error = std::sqrt(max_geometric_) * extent_;
        out_.attribute_error = std::sqrt(max_attribute_);
    }

private:
    // The bounding box of the points of live faces (those with a corner list: link_corners comes first).
    void measure_extent() {
        Vec3d lo{1e300, 1e300, 1e300}, hi{-1e300, -1e300, -1e300};
        for (uint32_t v = 0; v < nv_; ++v) {
            if (head_[v] == kNil) continue;
            const Vec3d &p = mesh_.positions[v];
            lo = {std::min(lo.x, p.x), std::min(lo.y, p.y), std::min(lo.z, p.z)};
            hi = {std::max(hi.x, p.x), std::max(hi.y, p.y), std::max(hi.z, p.z)};
        }
        extent_ = live_ ? std::max({hi.x - lo.x, hi.y - lo.y, hi.z - lo.z}) : 0;
        origin_ = live_ ? lo : Vec3d{0, 0, 0};
        inv_extent2_ = extent_ > 0 ? 1 / (extent_ * extent_) : 0;
        inv_extent_ = extent_ > 0 ? 1 / extent_ : 1.0;
    }

    Vec3d face_normal(size_t f) const {
        const std::vector<Vec3d> &p = mesh_.positions;
        const uint32_t *t = &mesh_.tris[3 * f];
        return cross(p[t[1]] - p[t[0]], p[t[2]] - p[t[0]]);
    }

    // Plane quadrics of the faces at their points, each weighted by the square root of twice its area in the unit
    // box (a length, as the edge planes' weights are), and each face's attribute quadric at its wedges. A point's
    // error is the weighted mean over its planes; weighted by area (and edges by squared length) the large faces a
    // point gathers outweighed the small ones of fine detail far more, and the early collapses cost the shape more
    // (positions alone, Hausdorff at the same count against meshoptimizer's: DamagedHelmet to 12,000 triangles
    // 2.19x by area, 0.95x by length; to 10,000 1.98x, 1.19x; retroufo to 10,000 1.37x, 1.04x).
    void face_quadrics() {
        if (k_) attr_.assign(size_t(nv_) * stride(), 0.0f);
        for (size_t f = 0; f < nf_; ++f) {
            if (dead_[f]) continue;
            const Vec3d n = face_normal(f);
            normals_[f] = Normal(n);
            const double len = norm(n);
            if (!(len > 0)) continue;
            const Quadric::Plane plane(n * (1 / len), std::sqrt(len * inv_extent2_));
            for (int c = 0; c < 3; ++c) quadric_[mesh_.tris[3 * f + c]].add_plane(plane);
            if (k_) add_attribute_quadric(f);
        }
    }

    float *attribute_quadric(uint32_t wedge) { return &attr_[size_t(wedge) * stride()]; }
    const float *attribute_quadric(uint32_t wedge) const { return &attr_[size_t(wedge) * stride()]; }
    size_t stride() const { return 11 + 4 * size_t(k_); }
    Vec3d unit(const Vec3d &p) const { return (p - origin_) * inv_extent_; }
    // p in the coordinates of point v's quadric: centred on v, over the extent.
    Vec3d local(const Vec3d &p, uint32_t v) const { return (p - mesh_.positions[v]) * inv_extent_; }

    // Each attribute float of face f as the linear function over its plane that takes the corners' values
    // (s(p) = g.p + d, positions over the extent, centred on the wedge's point as the plane quadrics are), and the
    // squared deviation of a value s at p from it,
    // a (g_j.p + d_j - s_j)^2 summed over the floats j and weighted by the face's area a in the unit box, as a
    // quadric in p and s (Hoppe's memory-efficient form: the p-p block, linear and constant terms shared, per float
    // its gradient and offset), added to each corner's wedge. A value that varies linearly over the surface costs
    // nothing to collapse; a value that bends does. Weighting by the area (a squared length, like the geometric
    // term's squared distance) keeps a change of 1 in a weighted value over a distance d about as costly as moving
    // the surface by d, so that on fine faces geometry comes first.
    void add_attribute_quadric(size_t f) {
        const uint32_t *o = &otris_[3 * f];
        const Vec3d p0 = unit(mesh_.positions[o[0]]), e1 = unit(mesh_.positions[o[1]]) - p0,
                    e2 = unit(mesh_.positions[o[2]]) - p0;
        const Vec3d n = cross(e1, e2);
        const double n2 = norm2(n);
        if (!(n2 > 0)) return;
        const Vec3d a1 = cross(e2, n) * (1 / n2), a2 = cross(n, e1) * (1 / n2);
        const double w = 0.5 * std::sqrt(n2);
        // The face's terms in double, then added to each corner's wedge. The area, the p-p block and the weighted
        // gradients are the same at every corner; the offsets d (over the corner's centre) and their terms are not.
        std::vector<double> &add = face_terms_;
        grads_.resize(k_);
        add.assign(stride(), 0.0);
        add[0] = w;
        const float *s0 = &mesh_.attributes[size_t(o[0]) * k_];
        for (uint32_t j = 0; j < k_; ++j) {
            const Vec3d g = a1 * (mesh_.attributes[size_t(o[1]) * k_ + j] - double(s0[j])) +
                            a2 * (mesh_.attributes[size_t(o[2]) * k_ + j] - double(s0[j]));
            grads_[j] = g;
            add[1] += w * g.x * g.x, add[2] += w * g.x * g.y, add[3] += w * g.x * g.z;
            add[4] += w * g.y * g.y, add[5] += w * g.y * g.z, add[6] += w * g.z * g.z;
            double *gj = &add[11 + 4 * j];
            gj[0] = w * g.x, gj[1] = w * g.y, gj[2] = w * g.z;
        }
        for (int c = 0; c < 3; ++c) {
            const Vec3d p0c = local(mesh_.positions[o[0]], o[c]);
            double d7 = 0, d8 = 0, d9 = 0, d10 = 0;
            for (uint32_t j = 0; j < k_; ++j) {
                const Vec3d &g = grads_[j];
                const double dj = s0[j] - dot(g, p0c);
                d7 += w * dj * g.x, d8 += w * dj * g.y, d9 += w * dj * g.z, d10 += w * dj * dj;
                add[11 + 4 * j + 3] = w * dj;
            }
            add[7] = d7, add[8] = d8, add[9] = d9, add[10] = d10;
            float *q = attribute_quadric(o[c]);
            for (size_t i = 0; i < add.size(); ++i) q[i] = float(q[i] + add[i]);
        }
    }

    // Adds wedge from's attribute quadric to wedge to's, whose centre is t away (from's centre less to's): over
    // to's coordinates y, from's are y - t, so each offset d becomes d - g.t; the shared p-p block G and the
    // gradient sums stay, the sums of w d g lose G t, of w d^2 gain t.G.t - 2 t.(w d g) and each float's w d loses
    // its (w g).t.
    void add_attribute_moved(uint32_t from, uint32_t to, const Vec3d &t) {
        const float *q = attribute_quadric(from);
        std::vector<double> &e = face_terms_;
        e.assign(q, q + stride());
        const double Gt[3] = {e[1] * t.x + e[2] * t.y + e[3] * t.z, e[2] * t.x + e[4] * t.y + e[5] * t.z,
                              e[3] * t.x + e[5] * t.y + e[6] * t.z};
        e[10] += t.x * Gt[0] + t.y * Gt[1] + t.z * Gt[2] - 2 * (t.x * e[7] + t.y * e[8] + t.z * e[9]);
        e[7] -= Gt[0], e[8] -= Gt[1], e[9] -= Gt[2];
        for (uint32_t j = 0; j < k_; ++j) {
            double *gj = &e[11 + 4 * j];
            gj[3] -= gj[0] * t.x + gj[1] * t.y + gj[2] * t.z;
        }
        float *out = attribute_quadric(to);
        for (size_t j = 0; j < e.size(); ++j) out[j] = float(out[j] + e[j]);
    }

    // The area-weighted sum of squared deviations of wedge `to`'s values at point p from the faces wedge `from`
    // gathered; `mean` gets it divided by their area (the mean squared deviation, for the outcome).
    double attribute_error(uint32_t from, uint32_t to, const Vec3d &p, double &mean) const {
        const float *q = attribute_quadric(from);
        mean = 0;
        if (!(q[0] > 0)) return 0;
        const double x = p.x, y = p.y, z = p.z;
        double e = q[1] * x * x + 2 * q[2] * x * y + 2 * q[3] * x * z + q[4] * y * y + 2 * q[5] * y * z +
                   q[6] * z * z + 2 * (q[7] * x + q[8] * y + q[9] * z) + q[10];
        const float *s = &mesh_.attributes[size_t(to) * k_];
        for (uint32_t j = 0; j < k_; ++j) {
            const float *gj = q + 11 + 4 * j;
            e += -2 * s[j] * (gj[0] * x + gj[1] * y + gj[2] * z + gj[3]) + q[0] * double(s[j]) * s[j];
        }
        e = std::max(0.0, e);
        mean = e / q[0];
        return e;
    }

    // Each point's live faces as a doubly linked list of corners (corner 3f + c of face f holds the point):
    // head_[p], next_[c], prev_[c].
    void link_corners() {
        head_.assign(nv_, kNil);
        next_.resize(3 * nf_); // a dead face's corners are in no list and never read
        prev_.resize(3 * nf_);
        const std::vector<uint32_t> &t = mesh_.tris;
        for (size_t f = nf_; f-- > 0;) {
            if (dead_[f]) continue;
            for (int c = 2; c >= 0; --c) {
                const uint32_t k = uint32_t(3 * f + c);
                next_[k] = head_[t[k]], prev_[k] = kNil;
                if (next_[k] != kNil) prev_[next_[k]] = k;
                head_[t[k]] = k;
            }
        }
    }

    // Takes corner k out of its point's list.
    void unlink(uint32_t k) {
        const uint32_t before = prev_[k], after = next_[k];
        if (before == kNil) head_[mesh_.tris[k]] = after;
        else next_[before] = after;
        if (after != kNil) prev_[after] = before;
    }

    int corner(size_t f, uint32_t v) const {
        const uint32_t *t = &mesh_.tris[3 * f];
        return t[0] == v ? 0 : t[1] == v ? 1 : t[2] == v ? 2 : -1;
    }

    // Each point's kind from its directed edges (open: no face runs the other way; seam: the face that does holds
    // other wedges; non-manifold: more than one face either way) and its wedges, read from its own faces only, so
    // that the points are classified on two threads (run_with_helper, points taken in chunks), each writing its
    // own. The calling thread first adds the faces' quadrics (face_quadrics: it reads none of what classification
    // writes) while the helper classifies. Open and seam edges add an edge plane to their ends, so that borders and
    // seams keep their line: those are added afterwards on one thread, point by point, each point's edges in the
    // order of its corners, after the face planes as before.
    void classify(Progress &progress) {
        std::vector<uint8_t> leads(nv_, 0); // a point with an open or seam edge leading out of it
        edge_weight_.resize(3 * nf_);        // written for every corner in a list
        twin_.resize(3 * nf_);               // likewise
        std::atomic<size_t> cursor{0};
        std::atomic<bool> failed{false};
        auto work = [&] {
            Neighbours scratch(nv_);
            while (!failed.load() && !progress.stop_requested()) {
                const size_t begin = cursor.fetch_add(1024);
                if (begin >= nv_) break;
                for (size_t a = begin; a < std::min<size_t>(nv_, begin + 1024); ++a)
                    if (head_[a] != kNil) leads[a] = classify_point(uint32_t(a), scratch);
                if (progress.poll_deadline()) break;
            }
        };
        if (live_ > kTwoThreadFaces) {
            run_with_helper(
                [&] {
                    face_quadrics();
                    work();
                },
                work, &failed);
        } else {
            face_quadrics();
            work();
        }
        progress.check();
        const uint32_t *t = mesh_.tris.data();
        for (uint32_t a = 0; a < nv_; ++a) {
            if (!leads[a]) continue;
            for (uint32_t ci = head_[a]; ci != kNil; ci = next_[ci])
                if (edge_weight_[ci]) edge_plane(ci / 3, a, t[next_corner(ci)], edge_weight_[ci] == 2 ? 10.0 : 1.0);
        }
        edge_weight_ = Array<uint8_t>();
    }

    static uint32_t next_corner(uint32_t c) { return c % 3 == 2 ? c - 2 : c + 1; }
    static uint32_t prev_corner(uint32_t c) { return c % 3 == 0 ? c + 2 : c - 1; }

    // One thread's counts of a point's faces toward each neighbour, indexed by the neighbour (zero between points):
    // faces out to it and in from it (to 2), and the point's corner in the last of each.
    struct Neighbours {
        std::vector<uint8_t> outs, ins;
        std::unique_ptr<uint32_t[]> out_corner, in_corner; // left unset: read only where a count says written
        explicit Neighbours(size_t n)
            : outs(n, 0), ins(n, 0), out_corner(new uint32_t[n]), in_corner(new uint32_t[n]) {}
    };

    // Classifies point a (kind_[a]) from its corners, its edges grouped by neighbour: a neighbour with two faces
    // either way makes a non-manifold point (Locked); one face out and none in is an open edge leading out, none
    // out and one in an open edge leading in; one each way a seam edge where the two faces hold different wedges of
    // a or of the neighbour. Sets edge_weight_ for each of a's corners (2: open edge out of it, 1: seam edge out of
    // it, 0: neither); returns whether one was set. A closed point of one wedge is Manifold even where seam edges
    // reach it (the end of a seam, its neighbours' wedges differing across them): its own value is one all round,
    // and as a manifold point it moves only along an edge that is not a seam (kinds_allow), so the seam then ends
    // at the point it moved onto, its two sides as they were. Locked, such ends held a run at a floor it reached
    // only through costly collapses elsewhere: retroufo (SimplifyBenchmark, positions) stopped at 6,722 triangles
    // at 0.062 of its diagonal, where meshoptimizer driven to that count is at 0.0097; it now stops at 5,512 and
    // passes 6,224 (where meshoptimizer stops, at 0.080) at 0.0096 (sampled Hausdorff distance, both ways).
    bool classify_point(uint32_t a, Neighbours &nb) {
        const uint32_t *t = mesh_.tris.data();
        for (uint32_t ci = head_[a]; ci != kNil; ci = next_[ci]) {
            const uint32_t x = t[next_corner(ci)], y = t[prev_corner(ci)];
            nb.outs[x] = uint8_t(std::min(nb.outs[x] + 1, 2)), nb.out_corner[x] = ci;
            nb.ins[y] = uint8_t(std::min(nb.ins[y] + 1, 2)), nb.in_corner[y] = ci;
            edge_weight_[ci] = 0, twin_[ci] = kNil;
        }
        int open_out = 0, open_in = 0, seam = 0;
        bool leads = false, broken = false;
        // Each neighbour once (its counts cleared once read; what it adds up does not depend on the order): first
        // as the next point of a corner, then those left as the previous one. Two walks, not both ends a corner in
        // one: inside a closed fan the second finds every neighbour done, where alternating the two made the test
        // below a coin toss the branch predictor lost about half the time.
        auto edge = [&](uint32_t x) {
            const int outs = nb.outs[x], ins = nb.ins[x];
            if (outs + ins == 0) return;
            nb.outs[x] = nb.ins[x] = 0;
            // a's corners in the faces out to x (k) and in from x (h), read only where there is such a face
            if (outs > 1 || ins > 1) {
                broken = true; // non-manifold: stays Locked (its other edges still give their planes)
            } else if (ins == 0) {
                ++open_out, edge_weight_[nb.out_corner[x]] = 2, leads = true;
            } else if (outs == 0) {
                ++open_in;
            } else {
                // a seam edge (counted out of a and into a), found without a branch: the inner edges of a closed
                // fan are seams or not as the UV layout has it
                const uint32_t k = nb.out_corner[x], h = nb.in_corner[x];
                const bool across = (otris_[k] != otris_[h]) | (otris_[next_corner(k)] != otris_[prev_corner(h)]);
                seam += across, edge_weight_[k] = uint8_t(across), leads |= across;
                twin_[k] = prev_corner(h); // the edge x -> a, the other side of a -> x
            }
        };
        for (uint32_t ci = head_[a]; ci != kNil; ci = next_[ci]) edge(t[next_corner(ci)]);
        for (uint32_t ci = head_[a]; ci != kNil; ci = next_[ci]) edge(t[prev_corner(ci)]);
        if ((open_out || open_in) && settings_.lock_border) rim_[a] = 1;
        if (broken) return leads;
        // a's distinct wedges, up to three, counted without a branch a corner (unused places hold kNil, which no
        // wedge is; a corner whose wedge is known writes it again at the next place, which changes no count)
        uint32_t wedges[3] = {kNil, kNil, kNil};
        int w = 0;
        for (uint32_t ci = head_[a]; ci != kNil && w < 3; ci = next_[ci]) {
            const uint32_t o = otris_[ci];
            const bool fresh = (o != wedges[0]) & (o != wedges[1]) & (o != wedges[2]);
            wedges[w] = o, w += fresh;
        }
        const bool open = open_out || open_in;
        if (w == 1 && !open) kind_[a] = Manifold, seam_end_[a] = seam > 0;
        else if (w == 1 && !seam && open_out == 1 && open_in == 1) kind_[a] = settings_.lock_border ? Locked : Border;
        else if (w == 2 && !open && seam == 2) kind_[a] = Seam;
        return leads;
    }

    // A plane through edge a-b square to face f, weighted by the edge's length (in the unit box) times `weight`:
    // lengths, as the face planes' weights are.
    void edge_plane(uint32_t f, uint32_t a, uint32_t b, double weight) {
        const Vec3d e = local(mesh_.positions[b], a);
        Vec3d n = cross(e, normals_[f].d());
        const double len = norm(n), l2 = norm2(e);
        if (!(len > 0)) return;
        const Quadric::Plane plane(n * (1 / len), weight * std::sqrt(l2));
        quadric_[a].add_plane(plane);
        quadric_[b].add_plane(plane);
    }

    // How the wedges of u pair with those of v across their shared faces, given as the corners of u and v in each:
    // ku, kv in one, tu, tv in the one running the other way (kNil where there is none). At a point that is not
    // Locked no edge has more than one face either way (classify_point; collapses keep the link condition), so
    // these are all of them; a seam point whose two wedges are both mapped then has none left unmapped (it has no
    // third: a collapse onto it gives the corners it takes its own wedges), and one not along its seam may not
    // move there whatever the rest of the map (kinds_allow), so its other faces are not walked. With at most two
    // pairs, their order (which the sums in cost follow) does not change a cost. The two faces are mapped as
    // map_shared_corner would map them, without its branches (whether the faces share u's or v's wedge is the UV
    // layout's, and as a branch it was often lost).
    void map_wedges(uint32_t u, uint32_t ku, uint32_t kv, uint32_t tu, uint32_t tv, WedgeMap &m) const {
        const uint32_t ou = otris_[ku], ov = otris_[kv];
        m.from[0] = ou, m.to[0] = ov;
        m.n = 1, m.shared = 1, m.seam = false, m.ok = true;
        if (tu != kNil) {
            const uint32_t ou2 = otris_[tu], ov2 = otris_[tv];
            const bool same_u = ou2 == ou;
            m.from[1] = ou2, m.to[1] = ov2; // a second pair where u's wedge differs across the edge
            m.n = 2 - same_u, m.shared = 2;
            m.seam = !same_u | (ov2 != ov);
            m.ok = !same_u | (ov2 == ov); // else one wedge of u would have to become two of v
        }
        if (!m.ok || (kind_[u] == Seam && (m.n == 2 || !m.seam))) return;
        every_wedge_mapped(u, m);
    }

    // One face holding both points in the wedge map: corner ci of u, whose face holds v at corner cv. Returns
    // false (and m.ok false) when a wedge of u would have to become two of v, or there are too many.
    bool map_shared_corner(uint32_t ci, int cv, WedgeMap &m, uint32_t &first_u, uint32_t &first_v) const {
        ++m.shared;
        const uint32_t ou = otris_[ci], ov = otris_[ci - ci % 3 + cv];
        if (first_u == kNil) first_u = ou, first_v = ov;
        else if (ou != first_u || ov != first_v) m.seam = true;
        const uint32_t known = m.find(ou);
        if (known == kNil) {
            if (m.n == 8) return m.ok = false;
            m.from[m.n] = ou, m.to[m.n] = ov, ++m.n;
        } else if (known != ov) {
            return m.ok = false; // one wedge of u would have to become two of v
        }
        return true;
    }

    // Every wedge of u has somewhere to go (m.ok false where not); a manifold or border point has one wedge, mapped
    // wherever a face is shared.
    void every_wedge_mapped(uint32_t u, WedgeMap &m) const {
        if (kind_[u] == Manifold || kind_[u] == Border) return;
        for (uint32_t ci = head_[u]; ci != kNil; ci = next_[ci]) {
            if (m.find(otris_[ci]) == kNil) {
                m.ok = false;
                return;
            }
        }
    }

    // Whether the kinds allow u to move onto v along this edge (a seam or border point only along its line).
    bool kinds_allow(uint32_t u, uint32_t v, const WedgeMap &m) const {
        if (!m.ok) return false;
        switch (kind_[u]) {
        case Manifold: return m.shared == 2 && !m.seam;
        case Border: return m.shared == 1 && (kind_[v] == Border || kind_[v] == Locked);
        case Seam: return m.shared == 2 && m.seam && (kind_[v] == Seam || kind_[v] == Locked);
        default: return false;
        }
    }

    // The cost of moving u onto v: the mean squared distance of u's planes, as a fraction of the extent, plus for
    // each wedge of u the area-weighted squared deviation of the values it takes (v's wedge's) from its faces'
    // attributes. `attribute` gets the sum of the wedges' mean squared deviations.
    double cost(uint32_t u, uint32_t v, const WedgeMap &m, double &geometric, double &attribute) const {
        const Vec3d p = local(mesh_.positions[v], u); // u's quadric and wedges are centred on u
        geometric = quadric_[u].mean_error(p);
        attribute = 0;
        double weighted = 0;
        if (k_) {
            for (int i = 0; i < m.n; ++i) {
                double mean;
                weighted += attribute_error(m.from[i], m.to[i], p, mean);
                attribute += mean;
            }
        }
        return geometric + weighted;
    }

    // Edge a-b of a live face, a at its corner ka and b at kb (manifold: both manifold points), at its cheaper legal
    // direction into c: 0 when neither is legal, 1 within max_cost, 2 beyond.
    int cheaper_direction(uint32_t a, uint32_t b, uint32_t ka, uint32_t kb, bool manifold, double max_cost,
                          Candidate &c) const {
        double best = 1e301, g, at;
        if (manifold) {
            // One wedge each, two faces on the edge: the kinds allow both ways (tried in full when taken). b in a's
            // coordinates, and a in b's (the same difference, negated); cost's sum, one wedge each way.
            const Vec3d d = local(mesh_.positions[b], a), back{-d.x, -d.y, -d.z};
            double ea = quadric_[a].mean_error(d), eb = quadric_[b].mean_error(back);
            if (k_) {
                const uint32_t wa = otris_[head_[a]], wb = otris_[head_[b]];
                double mean;
                ea += attribute_error(wa, wb, d, mean);
                eb += attribute_error(wb, wa, back, mean);
            }
            best = eb < ea ? eb : ea;
            c.from = eb < ea ? b : a, c.to = eb < ea ? a : b;
            if (best > 1e300) return 0;
            if (best > max_cost) return 2;
            c.cost = float(best);
            return 1;
        }
        WedgeMap m;
        // The face running b -> a, for both directions (a's corner ta, b's tb), as twin_ has it.
        const uint32_t tb = twin_[ka], ta = tb == kNil ? kNil : next_corner(tb);
        for (int dir = 0; dir < 2; ++dir) {
            const uint32_t u = dir ? b : a, v = dir ? a : b;
            if (!may_leave(u, v)) continue; // before walking u's faces
            if (kind_[u] == Manifold && !k_) {
                // Without attributes, a manifold point (one wedge, two faces on every edge) may move onto any
                // neighbour (kinds_allow) at the cost of its quadric alone: no wedge map is needed. (Where a seam ends
                // at it, the move along the seam is costed so too, and refused when taken: its wedge map fails.)
                const double e = quadric_[u].mean_error(local(mesh_.positions[v], u));
                if (e < best) best = e, c.from = u, c.to = v;
                continue;
            }
            map_wedges(u, dir ? kb : ka, dir ? ka : kb, dir ? tb : ta, dir ? ta : tb, m);
            if (!kinds_allow(u, v, m)) continue;
            const double e = cost(u, v, m, g, at);
            if (e < best) best = e, c.from = u, c.to = v;
        }
        if (best > 1e300) return 0;
        if (best > max_cost) return 2;
        c.cost = float(best);
        return 1;
    }

    // Lists every live edge once in cands_, at its cheaper legal direction, within max_cost; returns how many legal
    // edges cost more. The faces are costed in blocks on two threads (parallel.hpp), each block into its own slots
    // of cands_ (three a face), and the blocks' candidates then moved down in face order into one list, the one a
    // single thread makes (a block's candidates never move past the start of its own slots).
    uint64_t gather(double max_cost, Progress &progress) {
        constexpr size_t kBlock = 16;
        // The live faces in order (the last gather's list less the faces that died since): a later pass's gather
        // walks these, not every face (most are dead by then).
        const bool first = live_faces_.empty();
        if (first) live_faces_.resize(nf_);
        size_t m = 0;
        for (size_t i = 0, end = first ? nf_ : live_faces_.size(); i < end; ++i) {
            const uint32_t f = first ? uint32_t(i) : live_faces_[i];
            live_faces_[m] = f;
            m += !dead_[f];
        }
        live_faces_.resize(m);
        const size_t blocks = (m + kBlock - 1) / kBlock;
        if (block_count_.size() < blocks) block_count_.resize(blocks);
        if (sorted_.capacity() > cands_.capacity()) cands_.swap(sorted_); // the sort may have left the slots there
        cands_.clear();
        cands_.resize(3 * m); // left unset (LargeAlloc), the slots
        Candidate *slots = cands_.data();
        const uint32_t *faces = live_faces_.data();
        std::atomic<uint64_t> over{0};
        // Two threads from kTwoThreadFaces live faces on, taking 64 blocks (1024 faces, some 0.1 ms) at a time.
        const size_t alone = live_ > kTwoThreadFaces ? 0 : blocks;
        parallel_for(blocks, progress, 0.0, 0.0, "simplify", [&](size_t b) {
            Candidate *out = slots + 3 * kBlock * b;
            uint32_t n = 0, beyond = 0;
            for (size_t i = kBlock * b; i < std::min(m, kBlock * (b + 1)); ++i)
                n += face_candidates(faces[i], max_cost, out + n, beyond);
            block_count_[b] = uint8_t(n);
            if (beyond) over += beyond;
        }, 64, alone);
        size_t n = 0;
        for (size_t b = 0; b < blocks; ++b) {
            const Candidate *from = slots + 3 * kBlock * b;
            if (from != slots + n) std::memmove(slots + n, from, block_count_[b] * sizeof(Candidate));
            n += block_count_[b];
        }
        cands_.resize(n);
        return over.load();
    }

    // Marks with `round` in near_round_ the points within two edges of the points `moved_onto` and within one of the
    // points that `lost` a face, on the faces as they are now, each point's ring walked once.
    void mark_near(const uint32_t *moved_onto, size_t moved, const uint32_t *lost, size_t losing, uint32_t round) {
        if (near_round_.empty()) near_round_.assign(nv_, 0);
        const uint32_t *t = mesh_.tris.data();
        const uint32_t seen = next_stamp();
        ring_.clear();
        auto ring = [&](uint32_t p, bool collect) {
            near_round_[p] = round;
            for (uint32_t ci = head_[p]; ci != kNil; ci = next_[ci]) {
                const uint32_t *f = t + (ci - ci % 3);
                for (int k = 0; k < 3; ++k) {
                    near_round_[f[k]] = round;
                    if (collect && mark_[f[k]] != seen) mark_[f[k]] = seen, ring_.push_back(f[k]);
                }
            }
        };
        for (size_t i = 0; i < moved; ++i) ring(moved_onto[i], true);
        for (uint32_t y : ring_) ring(y, false);
        for (size_t i = 0; i < losing; ++i) ring(lost[i], false);
    }

    // The same over the live faces at the points the last pass touched (the points moved onto, dirty_, and their
    // neighbours): after a pass that tried every candidate, only there can a refused collapse have become legal.
    uint64_t gather_near_dirty(double max_cost) {
        cands_.clear();
        if (face_round_.empty()) face_round_.assign(nf_, 0);
        const uint32_t round = pass_;
        const uint32_t *t = mesh_.tris.data();
        uint64_t over = 0;
        auto gather_at = [&](uint32_t p) {
            if (dirty_round_[p] == round) return;
            dirty_round_[p] = round;
            for (uint32_t ci = head_[p]; ci != kNil; ci = next_[ci])
                if (face_round_[ci / 3] != round) face_round_[ci / 3] = round, over += gather_face(ci / 3, max_cost);
        };
        for (uint32_t v : dirty_)
            for (uint32_t ci = head_[v]; ci != kNil; ci = next_[ci])
                for (uint32_t k = ci - ci % 3; k < ci - ci % 3 + 3; ++k) gather_at(t[k]);
        return over;
    }

    // The list after a pass that stopped early, as a full gather would make it (but for the order of equal costs):
    // an edge keeps its cost unless an end was moved, moved onto, or lost a face in the pass (its quadric, wedges
    // and faces are as they were). Those edges leave the list (which stays sorted); the live faces at the touched
    // points give theirs again, sorted and merged in. Only without an error bound (nothing is then over it).
    //
    // A kept edge whose collapse the pass tried and refused (marked kRefused) stays marked, and is not tried again,
    // unless an end lies within two edges of a point moved onto or one of a point that lost a face (mark_near), in the
    // pass just made or, before its turn, in the pass that reads the list: only there did the faces that the collapse's
    // tests read change (the ends' faces and, for the island test, those of the points beside the edge), so elsewhere
    // the collapse would be refused again. The run takes the same collapses in the same order; near a floor that the
    // topology holds, each pass of a handful of collapses no longer tries again the hundreds of cheaper edges refused
    // before (DamagedHelmet to 3,600 triangles: 36 passes, each trying some 500 to 900 edges).
    void regather_touched(double max_cost) {
        const uint32_t round = pass_; // the pass just made: moved_ holds its tag for its moved points
        const uint8_t tag = pass_tag_;
        if (face_round_.empty()) face_round_.assign(nf_, 0);
        for (uint32_t v : dirty_) dirty_round_[v] = round;
        for (uint32_t v : killed_) dirty_round_[v] = round;
        auto touched = [&](uint32_t p) { return dirty_round_[p] == round || moved_[p] == tag; };
        if (refused_bit_) mark_near(dirty_.data(), dirty_.size(), killed_.data(), killed_.size(), round);
        size_t kept = 0;
        for (const Candidate &c : cands_) {
            const uint32_t from = c.from & ~refused_bit_;
            if (touched(from) || touched(c.to)) continue;
            cands_[kept] = c;
            if (from != c.from && (near_round_[from] == round || near_round_[c.to] == round)) cands_[kept].from = from;
            ++kept;
        }
        cands_.resize(kept);
        fresh_.clear();
        uint32_t over = 0;
        auto faces_at = [&](uint32_t p) {
            for (uint32_t ci = head_[p]; ci != kNil; ci = next_[ci]) {
                const uint32_t f = ci / 3;
                if (face_round_[f] == round) continue;
                face_round_[f] = round;
                Candidate c[3];
                fresh_.insert(fresh_.end(), c, c + face_candidates<true>(f, max_cost, c, over, round));
            }
        };
        for (uint32_t v : dirty_) faces_at(v);
        for (uint32_t v : killed_) faces_at(v);
        std::stable_sort(fresh_.begin(), fresh_.end(),
                         [](const Candidate &a, const Candidate &b) { return a.cost < b.cost; });
        sorted_.resize(kept + fresh_.size());
        std::merge(cands_.begin(), cands_.end(), fresh_.begin(), fresh_.end(), sorted_.begin(),
                   [](const Candidate &a, const Candidate &b) { return a.cost < b.cost; });
        cands_.swap(sorted_);
    }

    // The edges of live face f into cands_, each edge once over the mesh; returns how many cost over max_cost.
    uint64_t gather_face(size_t f, double max_cost) {
        Candidate c[3];
        uint32_t over = 0;
        const int n = face_candidates(f, max_cost, c, over);
        cands_.insert(cands_.end(), c, c + n);
        return over;
    }

    // The edges of live face f, each edge once over the mesh, within max_cost into out (returns how many); over
    // counts those costing more; with kTouchedOnly, only the edges with an end whose dirty_round_ is `touched`.
    // Reads the mesh only.
    template <bool kTouchedOnly = false>
    int face_candidates(size_t f, double max_cost, Candidate *out, uint32_t &over, uint32_t touched = 0) const {
        const uint32_t *tf = &mesh_.tris[3 * f];
        const uint32_t ring[4] = {tf[0], tf[1], tf[2], tf[0]};
        const uint32_t kinds[4] = {kind_[tf[0]], kind_[tf[1]], kind_[tf[2]], kind_[tf[0]]};
        // Which edges (edge k from ring[k] to ring[k + 1]) are costed here, as bits. Not one where neither end may
        // leave (between locked points, most of a held run's edges), nor an inner edge seen from the face where
        // a > b: it is taken from the face where a < b (every edge of a manifold or seam point is one: collapses
        // keep the link condition, so such a point's faces stay a closed fan; other edges ask twin_). One test
        // of the ends' kinds for both (kEdgeCosted), without a branch: inside a manifold whether a < b is a coin
        // toss, and as a branch an edge it was mispredicted about half the time; a face there has one or two such
        // edges, taken in order below.
        uint32_t todo = 0;
#pragma GCC unroll 3
        for (int k = 0; k < 3; ++k) {
            const uint32_t a = ring[k], b = ring[k + 1];
            uint32_t bit = (kEdgeCosted[a > b] >> (4 * kinds[k] + kinds[k + 1])) & 1;
            if (kTouchedOnly) bit &= uint32_t(dirty_round_[a] == touched || dirty_round_[b] == touched); // else kept
            todo |= bit << k;
        }
        int n = 0;
        while (todo) {
            const int k = __builtin_ctz(todo);
            todo &= todo - 1;
            const uint32_t a = ring[k], b = ring[k + 1];
            const uint32_t pair = 4 * kinds[k] + kinds[k + 1];
            const uint32_t ka = uint32_t(3 * f + k), kb = uint32_t(3 * f + (k == 2 ? 0 : k + 1));
            if (a > b && twin_[ka] != kNil) continue; // some end may leave: twin_ is right for the edge
            const int r = cheaper_direction(a, b, ka, kb, pair == 4 * Manifold + Manifold, max_cost, out[n]);
            if (r == 1) ++n;
            else if (r == 2) ++over;
        }
        return n;
    }

    // Whether the kinds let u move onto v along some edge (kinds_allow's test before the wedges are known).
    bool may_leave(uint32_t u, uint32_t v) const { return (kMayLeave >> (4 * kind_[u] + kind_[v])) & 1; }

    // The tag of a new pass in moved_: one byte (a quarter of the reads a wider mark would cost in the collapse
    // loop), moved_ cleared when the tags wrap.
    uint8_t next_pass_tag() {
        if (++pass_tag_ == 0) {
            std::fill(moved_.begin(), moved_.end(), 0);
            pass_tag_ = 1;
        }
        return pass_tag_;
    }

    // A fresh value for mark_ (cleared when the counter wraps).
    uint32_t next_stamp() {
        if (++stamp_ == 0) {
            std::fill(mark_.begin(), mark_.end(), 0);
            stamp_ = 1;
        }
        return stamp_;
    }

    // u's faces walked once for the collapse of u onto v: the faces holding v give the wedge map (map_), each other
    // face must stay sound (face_stays_sound), and u's neighbours are marked with stamp su for the link condition
    // (nu counts them). Returns false as soon as one of these fails. Each corner's point is marked and counted
    // without a branch (u marked first, so that it counts as seen, and unmarked after): whether a neighbour was
    // seen already, as a branch, was lost about half the time. The faces holding v are noted as found (u's
    // corner and v's place in each, in shared_corner_ and shared_at_, also without a branch) and mapped after the
    // walk, in the same order; the later checks read them there, not by a search of every face of u for v.
    bool examine_ring(uint32_t u, uint32_t v, uint32_t su, size_t &nu) {
        map_.clear();
        uint32_t first_u = kNil, first_v = kNil;
        const uint32_t *t = mesh_.tris.data();
        const double tiny = 1e-24 / (inv_extent2_ > 0 ? inv_extent2_ * inv_extent2_ : 1);
        mark_[u] = su;
        uint32_t shared = 0;
        for (uint32_t ci = head_[u]; ci != kNil; ci = next_[ci]) {
            const uint32_t *f = t + (ci - ci % 3);
            for (int k = 0; k < 3; ++k) {
                nu += mark_[f[k]] != su;
                mark_[f[k]] = su;
            }
            const uint32_t at1 = f[1] == v, at2 = f[2] == v, holds = uint32_t(f[0] == v) | at1 | at2;
            shared_corner_[shared % kSharedNoted] = ci, shared_at_[shared % kSharedNoted] = uint8_t(at1 + 2 * at2);
            shared += holds;
            if (!holds && !face_stays_sound(ci / 3, f, u, v, tiny)) return false;
        }
        mark_[u] = 0; // no stamp: link_condition_holds counts u as v's neighbour only
        if (shared < kSharedNoted) { // else the places wrapped (a later face wrote over the first): walk again
            for (uint32_t i = 0; i < shared; ++i)
                if (!map_shared_corner(shared_corner_[i], shared_at_[i], map_, first_u, first_v)) return false;
        } else {
            for (uint32_t ci = head_[u]; ci != kNil; ci = next_[ci])
                if (const int cv = corner(ci / 3, v); cv >= 0 && !map_shared_corner(ci, cv, map_, first_u, first_v))
                    return false;
        }
        every_wedge_mapped(u, map_);
        return map_.ok;
    }

    // The link condition: the points next to both u and v are exactly the corners opposite their edge, and a
    // closed piece keeps at least a tetrahedron's worth of neighbours. The nu neighbours of u are marked with stamp
    // su (examine_ring), those of v then with another (v marked first, as seen), counting the ones u had, without
    // a branch a corner.
    bool link_condition_holds(uint32_t v, int shared, uint32_t su, size_t nu) {
        const uint32_t *t = mesh_.tris.data();
        size_t nv = 0;
        int common = 0;
        const uint32_t sv = next_stamp();
        if (sv < su) return false; // the stamps wrapped between the two rings: refuse this once
        mark_[v] = sv;
        for (uint32_t ci = head_[v]; ci != kNil; ci = next_[ci]) {
            const uint32_t *f = t + (ci - ci % 3);
            for (int k = 0; k < 3; ++k) {
                const uint32_t m = mark_[f[k]];
                common += m == su;
                nv += m != sv;
                mark_[f[k]] = sv;
            }
        }
        if (common != shared) return false;
        if (shared == 2) return nu >= 3 && nv >= 3 && nu + nv - 4 >= 3;
        return nu + nv - 3 >= 2; // a border edge: something is left beside the edge
    }

    // Face f of u (points t, not holding v) with u moved onto v does not turn by 90 degrees or more against its
    // current normal, or by about 87 (cos 0.05, input_cos_) against its input normal, or lose its area; once no
    // collapse is left within that bound, by 90 against its input normal (relax_input_bound).
    bool face_stays_sound(uint32_t f, const uint32_t *t, uint32_t u, uint32_t v, double tiny) const {
        const std::vector<Vec3d> &pos = mesh_.positions;
        Vec3d q[3];
        for (int k = 0; k < 3; ++k) q[k] = pos[t[k] == u ? v : t[k]];
        const Vec3d n1 = cross(q[1] - q[0], q[2] - q[0]);
        if (!(norm2(n1) > tiny)) return false;
        if (!(dot(n1, face_normal(f)) > 0)) return false;
        // Against its input normal, within about 87 degrees: a face drifts over many collapses, and one turned
        // further would be at odds with the surface it stands for. (60 degrees held back cheap collapses on curved
        // parts: hunyuan to 10 % reached 1.27x meshoptimizer's Hausdorff distance, 1.06x at 75.5. At 75.5 the
        // DamagedHelmet's run near its topology floor, 3,505 triangles, took costlier collapses for the cheap ones
        // it refused: 0.067 of the diagonal against 0.039 at this bound, 0.079 against 0.070 with its normals
        // weighed; scallop to 1 % with normals 0.0071 against 0.0073, 2M samples; no row of SimplifyErrorTable
        // went past meshoptimizer's.)
        const Vec3d n0 = normals_[f].d();
        return dot(n1, n0) > input_cos_ * std::sqrt(norm2(n1) * norm2(n0));
    }

    // With the border locked, the caller may join the mesh to other faces along it, which this one never sees (the
    // hollow's inner surface is simplified in halves, each joined to the other and to the faces left as they were):
    // an edge between two points of the border, or a face over three, may stand there already. So u moving onto v,
    // a point of the border, makes no new edge from v to another point of the border (u's neighbours that are not
    // v's keep the stamp su from examine_ring, link_condition_holds having marked v's with another) and no face
    // over three of them; otherwise the joined surface would hold an edge of four faces.
    bool rim_stays_apart(uint32_t u, uint32_t v, uint32_t su) const {
        const uint32_t *t = mesh_.tris.data();
        for (uint32_t ci = head_[u]; ci != kNil; ci = next_[ci]) {
            const uint32_t *f = t + (ci - ci % 3);
            if (f[0] == v || f[1] == v || f[2] == v) continue;
            const uint32_t x = t[next_corner(ci)], y = t[prev_corner(ci)];
            if ((rim_[x] && mark_[x] == su) || (rim_[y] && mark_[y] == su) || (rim_[x] && rim_[y])) return false;
        }
        return true;
    }

    // Every wedge of v that u's wedges go to keeps a face: a seam collapse must not delete the last face of a UV
    // island (or of a material's piece). The faces holding both points are the one or two examine_ring noted
    // (kinds_allow has passed: map_.shared is 1 or 2).
    bool wedges_keep_faces(uint32_t u, uint32_t v) const {
        const uint32_t s0 = shared_corner_[0], s1 = shared_corner_[map_.shared - 1];
        const uint32_t f0 = s0 / 3, f1 = s1 / 3;
        for (int i = 0; i < map_.n; ++i) {
            const uint32_t w = map_.to[i];
            bool kept = false;
            for (uint32_t cj = head_[u]; cj != kNil && !kept; cj = next_[cj])
                kept = (cj != s0) & (cj != s1) && map_.find(otris_[cj]) == w;
            for (uint32_t cj = head_[v]; cj != kNil && !kept; cj = next_[cj])
                kept = (cj / 3 != f0) & (cj / 3 != f1) && otris_[cj] == w;
            if (!kept) return false;
        }
        return true;
    }

    // The faces of the edge u-v die with its collapse. Where such a face's third corner y has a wedge whose other
    // faces share no wedge of u or v (both its edges to them seams: the face an ear of its UV island), those faces
    // would be joined to the rest of the island through that face alone, and would become an island of their own:
    // refused. (Conservative: they may reach the island another way.) A manifold point with no seam edge never
    // meets this: the face across its edge to y holds its wedge and y's. Unchecked, retroufo (SimplifyBenchmark's
    // input, positions) went from 1,685 islands to 1,701 on its way to 10 %; seam points moved onto locked ones.
    bool islands_stay_whole(uint32_t u, uint32_t v) const {
        const uint32_t *t = mesh_.tris.data();
        for (int i = 0; i < map_.shared; ++i) { // the faces holding u and v, as examine_ring noted them
            const uint32_t ci = shared_corner_[i];
            const int cv = shared_at_[i];
            const uint32_t base = ci - ci % 3, cy = base + uint32_t(3 - int(ci % 3) - cv); // the third corner
            const uint32_t y = t[cy], wy = otris_[cy], wu = otris_[ci], wv = otris_[base + uint32_t(cv)];
            bool other = false, attached = false;
            for (uint32_t cj = head_[y]; cj != kNil && !attached; cj = next_[cj]) {
                if (cj == cy || otris_[cj] != wy) continue;
                other = true;
                const uint32_t b = cj - cj % 3;
                for (int k = 0; k < 3; ++k)
                    attached |= (t[b + k] == u && otris_[b + k] == wu) || (t[b + k] == v && otris_[b + k] == wv);
            }
            if (other && !attached) return false;
        }
        return true;
    }

    // One walk of u's faces (the wedge map, the flip test, u's side of the link condition), the kinds, v's side of
    // the link condition, the UV islands, the crossing guard last.
    bool try_collapse(uint32_t u, uint32_t v) {
        const uint32_t su = next_stamp();
        size_t nu = 0;
        if (!examine_ring(u, v, su, nu) || !kinds_allow(u, v, map_)) return false;
        if (!link_condition_holds(v, map_.shared, su, nu) || !wedges_keep_faces(u, v)) return false;
        if ((kind_[u] != Manifold || seam_end_[u]) && !islands_stay_whole(u, v)) return false;
        if (rim_.size() && rim_[v] && !rim_stays_apart(u, v, su)) return false;
        if (guard_) {
            u_faces_.clear();
            for (uint32_t ci = head_[u]; ci != kNil; ci = next_[ci]) u_faces_.push_back(ci / 3);
            if (!guard_->clear_after(u, v, u_faces_)) return false;
        }
        double g, a;
        cost(u, v, map_, g, a);
        max_geometric_ = std::max(max_geometric_, g);
        max_attribute_ = std::max(max_attribute_, a);
        if (seam_end_[u]) seam_end_[v] = 1; // the seam now ends at v
        collapse(u, v);
        return true;
    }

    // Moves u onto v: the faces of the edge die, u's others take v and v's wedges, and their corners join v's
    // list; the dead faces leave the lists of their other corners. Quadrics and attribute sums add up. The faces
    // of the edge are the one or two examine_ring noted (kinds_allow has passed), in the order of u's list: they
    // leave all three lists first, so that the walk of u's others tests no face for v (as a branch, where the two
    // stood in the fan was a coin toss).
    void collapse(uint32_t u, uint32_t v) {
        for (int i = 0; i < map_.shared; ++i) {
            const uint32_t ci = shared_corner_[i], f = ci / 3;
            const uint32_t *t = &mesh_.tris[3 * uint64_t(f)];
            dead_[f] = 1;
            --live_;
            killed_.push_back(t[0] + t[1] + t[2] - u - v); // the face's third point loses a face
            unlink(next_corner(ci)), unlink(prev_corner(ci)), unlink(ci);
            // The face's edges to its third point x, u-x and v-x, become one edge v-x: the faces beyond them
            // are each other's other side (or have none, where one was open).
            const uint32_t cx = 3 * f + (3 - ci % 3 - shared_at_[i]); // x's corner (shared_at_: v's place)
            const uint32_t out = twin_[cx], in = twin_[prev_corner(cx)];
            if (out != kNil) twin_[out] = in;
            if (in != kNil) twin_[in] = out;
        }
        uint32_t first = kNil, last = kNil;
        for (uint32_t ci = head_[u], next; ci != kNil; ci = next) {
            next = next_[ci];
            const uint32_t f = ci / 3;
            uint32_t *t = &mesh_.tris[3 * uint64_t(f)];
            t[ci % 3] = v;
            otris_[ci] = map_.find(otris_[ci]);
            if (guard_) guard_->insert(f);
            prev_[ci] = last, next_[ci] = kNil;
            if (last == kNil) first = ci;
            else next_[last] = ci;
            last = ci;
        }
        head_[u] = kNil;
        if (last != kNil) {
            next_[last] = head_[v];
            if (head_[v] != kNil) prev_[head_[v]] = last;
            head_[v] = first;
        }
        quadric_[v].add_moved(quadric_[u], local(mesh_.positions[u], v));
        for (int i = 0; i < map_.n && k_; ++i) {
            add_attribute_moved(map_.from[i], map_.to[i], local(mesh_.positions[u], v));
        }
        ++out_.collapses;
    }

    IndexedMesh &mesh_;
    const SimplifySettings &settings_;
    SimplifyOutcome &out_;
    const uint32_t nv_;
    const size_t nf_;
    const uint32_t k_;
    Array<uint32_t> remap_, otris_;
    std::vector<uint8_t> dead_; // as the crossing guard reads it
    uint64_t live_ = 0;
    double extent_ = 0, inv_extent_ = 1, inv_extent2_ = 0, max_geometric_ = 0, max_attribute_ = 0;
    std::vector<uint32_t> u_faces_;
    Array<uint32_t> head_, next_, prev_;
    Array<Kind> kind_;
    Array<uint8_t> rim_; // with lock_border, the points on an open edge (rim_stays_apart); empty otherwise
    Array<uint8_t> seam_end_; // manifold points that seam edges reach (classify_point; passed on when one moves)
    Array<uint8_t> edge_weight_; // classify's: per corner, the edge plane of the edge out of it (see classify_point)
    // Per corner c of a live face, the corner that starts the other side of the edge out of c (the face running
    // the other way), kNil where there is none or more than one; right wherever an end is not Locked (classified
    // there, kept by collapse), which is where cheaper_direction reads it.
    Array<uint32_t> twin_;
    Array<Quadric> quadric_;
    Array<uint32_t> mark_;    // neighbour marks for the link condition
    uint32_t stamp_ = 0;
    Array<Normal> normals_; // per face, written for the live ones
    Array<float> attr_; // per input vertex (wedge): its attribute quadric, stride() floats
    std::vector<Vec3d> grads_;       // one face's attribute gradients
    std::vector<double> face_terms_; // one face's attribute quadric, before it is added to its wedges
    Vec3d origin_{0, 0, 0};
    Array<Candidate> cands_, sorted_; // cands_: three slots a face while gather's blocks fill it
    Array<uint8_t> block_count_;      // how many of a block's slots gather filled
    Array<uint32_t> live_faces_;      // gather's: the live faces in order, as of its last call
    Array<uint8_t> moved_; // the tag of the pass in which a point last moved or was moved onto
    uint8_t pass_tag_ = 0;
    std::vector<uint32_t> dirty_;              // the points moved onto in the last pass
    std::vector<uint32_t> killed_;             // the third points of the faces the last pass removed
    Array<Candidate> fresh_;                   // regather_touched's newly costed edges
    Array<uint32_t> dirty_round_, face_round_; // visit marks of gather_near_dirty
    Array<uint32_t> near_round_;               // mark_near's marks
    std::vector<uint32_t> ring_;               // mark_near's points beside those moved onto
    // A candidate's `from` with this bit: its collapse was refused when last tried (regather_touched). 0 where that
    // is not noted: with the crossing guard (whose test reads faces anywhere near the edge), or where point numbers
    // reach the bit.
    static constexpr uint32_t kRefused = 1u << 31;
    uint32_t refused_bit_ = 0;
    uint32_t pass_ = 0;
    double input_cos_ = 0.05; // face_stays_sound's bound on a face's turn against its input normal (cos)
    WedgeMap map_;
    // examine_ring's faces holding both u and v: u's corner in each, v's place (0 to 2) in it; read where there
    // are fewer than kSharedNoted (a point that is not Locked has at most two)
    static constexpr uint32_t kSharedNoted = 4;
    uint32_t shared_corner_[kSharedNoted] = {};
    uint8_t shared_at_[kSharedNoted] = {};
    std::unique_ptr<simplify_guard::CrossingGuard> guard_;
};

} // namespace

void simplify_mesh(IndexedMesh &mesh, const SimplifySettings &settings, Progress &progress, SimplifyOutcome &out) {
    out = SimplifyOutcome{};
    Decimator d(mesh, settings, progress, out);
    d.run(progress);
    d.finish();
}

} // namespace mf

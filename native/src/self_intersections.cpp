// Self-intersection search: a BVH over the faces, traversed against itself so that every pair of leaves
// whose boxes overlap is visited once, then the exact crossing test on face pairs that share no vertex.
// The traversal is cut into tasks a few levels below the root and shared by two threads through an
// atomic cursor; the calling thread works too and alone talks to the progress callback.
#include "self_intersections.hpp"

#include "bvh.hpp"
#include "faces.hpp"
#include "intersect.hpp"
#include "large_pages.hpp"
#include "progress.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <thread>

namespace mf {

namespace {

// Two threads: enough to halve the wall time of a large search, while a server running several
// inspections at once keeps cores for the others.
constexpr unsigned kMaxThreads = 2;
constexpr uint32_t kLeafSize = 4;
// Task granularity: self tasks at this depth, cross tasks split down to the same depth.
constexpr int kTaskDepth = 9;

// Float boxes that still contain the double coordinates (exact for float32 inputs).
float round_down(double d) {
    float f = float(d);
    return double(f) > d ? std::nextafter(f, -INFINITY) : f;
}

float round_up(double d) {
    float f = float(d);
    return double(f) < d ? std::nextafter(f, INFINITY) : f;
}

struct Task {
    uint32_t a, b; // a == b: all pairs inside node a; otherwise pairs between nodes a and b
};

class CrossingSearch {
public:
    // collect: also keep the faces of every crossing pair (crossing_faces()).
    CrossingSearch(const std::vector<uint32_t> &tris, const std::vector<Vec3d> &positions, Progress *progress,
                   bool collect = false)
        : positions_(positions), progress_(progress), collect_(collect) {
        const uint64_t n = tris.size() / 3;
        // Collapsed faces (a repeated vertex) are no triangles: left out here as they are left out of the
        // edge map. Zero-area faces with three distinct corners stay; they cross as segments.
        // The search's arrays (tens of MiB on a large mesh) on huge pages: one fault per 2 MiB filled.
        std::vector<uint32_t> faces;
        reserve_on_huge_pages(faces, n);
        for (uint64_t f = 0; f < n; ++f)
            if (!is_collapsed(&tris[3 * f])) faces.push_back(uint32_t(f));
        std::vector<Aabb> boxes;
        reserve_on_huge_pages(boxes, faces.size());
        boxes.resize(faces.size());
        for (size_t i = 0; i < faces.size(); ++i) {
            const uint32_t *t = &tris[3 * uint64_t(faces[i])];
            double lo[3], hi[3];
            for (int k = 0; k < 3; ++k) {
                const Vec3d &q = positions[t[k]];
                const double c[3] = {q.x, q.y, q.z};
                for (int a = 0; a < 3; ++a) {
                    lo[a] = k == 0 ? c[a] : std::min(lo[a], c[a]);
                    hi[a] = k == 0 ? c[a] : std::max(hi[a], c[a]);
                }
            }
            for (int a = 0; a < 3; ++a) boxes[i].lo[a] = round_down(lo[a]), boxes[i].hi[a] = round_up(hi[a]);
        }
        if (progress_ != nullptr) progress_->check();
        bvh_ = build_bvh(boxes, kLeafSize, progress_);
        // Face data in tree order, so that a leaf reads one contiguous stretch.
        resize_on_huge_pages(tri_, 3 * faces.size());
        resize_on_huge_pages(box_, faces.size());
        if (collect_) resize_on_huge_pages(face_, faces.size());
        for (size_t i = 0; i < faces.size(); ++i) {
            uint32_t item = bvh_.order[i];
            if (collect_) face_[i] = faces[item];
            const uint32_t *t = &tris[3 * uint64_t(faces[item])];
            tri_[3 * i] = t[0], tri_[3 * i + 1] = t[1], tri_[3 * i + 2] = t[2];
            box_[i] = boxes[item];
        }
        if (!bvh_.nodes.empty()) plan({0, 0}, kTaskDepth);
    }

    uint64_t run(double fraction_begin, double fraction_end) {
        if (tasks_.empty()) return 0;
        unsigned threads = std::min(kMaxThreads, std::max(1u, std::thread::hardware_concurrency()));
        if (tri_.size() / 3 < 4096) threads = 1; // not worth a thread start
        std::atomic<size_t> cursor{0};
        std::atomic<uint64_t> total{0};
        std::exception_ptr worker_error;

        std::vector<uint32_t> found[2];
        auto work = [&](bool reporting) {
            uint64_t count = 0;
            size_t reported = 0;
            std::vector<Task> stack; // reused across tasks
            std::vector<uint32_t> &mine = found[reporting ? 0 : 1];
            while (true) {
                size_t t = cursor.fetch_add(1, std::memory_order_relaxed);
                if (t >= tasks_.size() || stopped()) break;
                count += run_task(tasks_[t], stack, mine);
                if (reporting && progress_ != nullptr && t >= reported + tasks_.size() / 64) {
                    reported = t;
                    double f = fraction_begin + (fraction_end - fraction_begin) * double(t) / double(tasks_.size());
                    if (!progress_->notify(f, "intersections")) break;
                }
            }
            total.fetch_add(count, std::memory_order_relaxed);
        };

        std::thread helper;
        if (threads > 1) {
            helper = std::thread([&] {
                try {
                    work(false);
                } catch (...) {
                    worker_error = std::current_exception();
                    failed_.store(true);
                }
            });
        }
        try {
            work(true);
        } catch (...) {
            failed_.store(true);
            if (helper.joinable()) helper.join();
            throw;
        }
        if (helper.joinable()) helper.join();
        if (worker_error) std::rethrow_exception(worker_error);
        if (progress_ != nullptr) progress_->check();
        if (collect_) {
            crossing_.clear();
            for (auto &list : found)
                for (uint32_t i : list) crossing_.push_back(face_[i]);
            std::sort(crossing_.begin(), crossing_.end());
            crossing_.erase(std::unique(crossing_.begin(), crossing_.end()), crossing_.end());
        }
        return total.load();
    }

    // After run() with collect: the faces of the crossing pairs, ascending, once each.
    const std::vector<uint32_t> &crossing_faces() const { return crossing_; }

private:
    bool stopped() const { return failed_.load(std::memory_order_relaxed) || (progress_ && progress_->stop_requested()); }

    const BvhNode &node(uint32_t i) const { return bvh_.nodes[i]; }

    static float extent(const Aabb &b) { return (b.hi[0] - b.lo[0]) + (b.hi[1] - b.lo[1]) + (b.hi[2] - b.lo[2]); }

    // Splits the traversal below `task` into tasks of about `depth` levels.
    void plan(Task task, int depth) {
        const BvhNode &a = node(task.a), &b = node(task.b);
        if (task.a == task.b) {
            if (depth == 0 || a.is_leaf()) return tasks_.push_back(task);
            plan({a.first, a.first}, depth - 1);
            plan({a.first + 1, a.first + 1}, depth - 1);
            plan({a.first, a.first + 1}, depth - 1);
            return;
        }
        if (!overlaps(a.box, b.box)) return;
        if (depth == 0 || (a.is_leaf() && b.is_leaf())) return tasks_.push_back(task);
        if (a.is_leaf()) {
            plan({task.a, b.first}, depth - 1);
            plan({task.a, b.first + 1}, depth - 1);
        } else if (b.is_leaf()) {
            plan({a.first, task.b}, depth - 1);
            plan({a.first + 1, task.b}, depth - 1);
        } else {
            for (uint32_t i = 0; i < 2; ++i)
                for (uint32_t j = 0; j < 2; ++j) plan({a.first + i, b.first + j}, depth - 1);
        }
    }

    uint64_t run_task(Task task, std::vector<Task> &stack, std::vector<uint32_t> &found) {
        uint64_t count = 0;
        stack.clear();
        stack.push_back(task);
        uint32_t steps = 0;
        while (!stack.empty()) {
            if ((++steps & 0xFFF) == 0 && (stopped() || (progress_ && progress_->poll_deadline()))) break;
            Task t = stack.back();
            stack.pop_back();
            const BvhNode &a = node(t.a);
            if (t.a == t.b) {
                if (a.is_leaf()) {
                    for (uint32_t i = a.first; i < a.first + a.count; ++i)
                        for (uint32_t j = i + 1; j < a.first + a.count; ++j) count += visit(i, j, found);
                } else {
                    stack.push_back({a.first, a.first + 1});
                    stack.push_back({a.first + 1, a.first + 1});
                    stack.push_back({a.first, a.first});
                }
                continue;
            }
            const BvhNode &b = node(t.b);
            if (!overlaps(a.box, b.box)) continue;
            if (a.is_leaf() && b.is_leaf()) {
                for (uint32_t i = a.first; i < a.first + a.count; ++i)
                    for (uint32_t j = b.first; j < b.first + b.count; ++j) count += visit(i, j, found);
            } else if (b.is_leaf() || (!a.is_leaf() && extent(a.box) >= extent(b.box))) {
                stack.push_back({a.first, t.b});
                stack.push_back({a.first + 1, t.b});
            } else {
                stack.push_back({t.a, b.first});
                stack.push_back({t.a, b.first + 1});
            }
        }
        return count;
    }

    bool visit(uint32_t i, uint32_t j, std::vector<uint32_t> &found) const {
        if (!crosses(i, j)) return false;
        if (collect_) found.insert(found.end(), {i, j});
        return true;
    }

    // i, j: positions in tree order.
    bool crosses(uint32_t i, uint32_t j) const {
        if (!overlaps(box_[i], box_[j])) return false;
        const uint32_t *p = &tri_[3 * uint64_t(i)], *q = &tri_[3 * uint64_t(j)];
        for (int k = 0; k < 3; ++k)
            if (p[k] == q[0] || p[k] == q[1] || p[k] == q[2]) return false; // adjacent: shares a vertex
        const Vec3d a[3] = {positions_[p[0]], positions_[p[1]], positions_[p[2]]};
        const Vec3d b[3] = {positions_[q[0]], positions_[q[1]], positions_[q[2]]};
        return triangles_intersect(a, b);
    }

    const std::vector<Vec3d> &positions_;
    Progress *progress_;
    const bool collect_;
    Bvh bvh_;
    std::vector<uint32_t> face_; // original face id, in tree order (collect only)
    std::vector<uint32_t> crossing_;
    std::vector<uint32_t> tri_;
    std::vector<Aabb> box_;
    std::vector<Task> tasks_;
    std::atomic<bool> failed_{false};
};

} // namespace

uint64_t crossing_pairs_memory_bytes(uint64_t n) {
    return n * (sizeof(uint32_t) + 2 * sizeof(Aabb) + 3 * sizeof(uint32_t)) + bvh_memory_bytes(n);
}

uint64_t count_crossing_pairs(const std::vector<uint32_t> &tris, const std::vector<Vec3d> &positions,
                              Progress *progress, double fraction_begin, double fraction_end) {
    CrossingSearch search(tris, positions, progress);
    if (progress != nullptr) progress->report(fraction_begin, "intersections");
    return search.run(fraction_begin, fraction_end);
}

std::vector<uint32_t> find_crossing_faces(const std::vector<uint32_t> &tris, const std::vector<Vec3d> &positions,
                                          Progress *progress) {
    CrossingSearch search(tris, positions, progress, true);
    search.run(0.0, 0.0);
    return search.crossing_faces();
}

} // namespace mf

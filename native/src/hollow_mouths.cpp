// Drain holes through a kept outer surface. Contouring the whole solid to cut a few holes rebuilds the outer
// surface on the grid (most of the faces and most of the time); here the input stays, and only each hole's two
// openings are cut: a disk of faces out of the outer surface where the axis leaves the solid, one out of the inner
// surface where it leaves the cavity, both cut along the hole's cylinder, joined by a band of faces ordered by
// their angle round the axis.
#include "hollow_mouths.hpp"

#include "faces.hpp"
#include "large_pages.hpp"
#include "parallel.hpp"
#include "progress.hpp"
#include "self_intersections.hpp"
#include "triangle_tree.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace mf {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr uint32_t kNone = 0xFFFFFFFFu;
// An opening's edges stay at least this share of the radius from the axis: the hole stays open.
constexpr double kCore = 0.75;
// Edge splits near one opening, at most: past that the faces there are far too coarse for this.
constexpr size_t kMaxSplits = 200000;

// A hole's axis, from its inner end, with two unit vectors across it.
struct Axis {
    Vec3d origin, dir, e1, e2;
    double length;

    explicit Axis(const DrainHole &hole) : origin(hole.inner) {
        const Vec3d a = hole.outer - hole.inner;
        length = norm(a);
        dir = a * (1 / length);
        const Vec3d t = std::fabs(dir.x) < 0.9 ? Vec3d{1, 0, 0} : Vec3d{0, 1, 0};
        e1 = cross(dir, t);
        e1 = e1 * (1 / norm(e1));
        e2 = cross(dir, e1);
    }
    double along(const Vec3d &p) const { return dot(p - origin, dir); }
    double radial(const Vec3d &p) const {
        const Vec3d q = p - origin;
        return norm(q - dir * dot(q, dir));
    }
    double angle(const Vec3d &p) const {
        const Vec3d q = p - origin;
        return std::atan2(dot(q, e2), dot(q, e1));
    }
    // How near the segment pq comes to the axis, across it.
    double chord_radial(const Vec3d &p, const Vec3d &q) const {
        const double px = dot(p - origin, e1), py = dot(p - origin, e2);
        const double dx = dot(q - origin, e1) - px, dy = dot(q - origin, e2) - py, l2 = dx * dx + dy * dy;
        const double t = l2 > 0 ? std::clamp(-(px * dx + py * dy) / l2, 0.0, 1.0) : 0.0;
        return std::hypot(px + t * dx, py + t * dy);
    }
};

double wrapped(double a) {
    while (a > kPi) a -= 2 * kPi;
    while (a <= -kPi) a += 2 * kPi;
    return a;
}

uint64_t edge_key(uint32_t a, uint32_t b) { return uint64_t(a) << 32 | b; }

// Where the axis line passes through triangle abc (its parameter along the axis), or NaN.
double axis_hit(const Axis &axis, const Vec3d &a, const Vec3d &b, const Vec3d &c) {
    const Vec3d e1 = b - a, e2 = c - a, p = cross(axis.dir, e2);
    const double det = dot(e1, p);
    if (!(std::fabs(det) > 0)) return std::numeric_limits<double>::quiet_NaN();
    const Vec3d s = axis.origin - a;
    const double u = dot(s, p) / det;
    if (u < 0 || u > 1) return std::numeric_limits<double>::quiet_NaN();
    const Vec3d q = cross(s, e1);
    const double v = dot(axis.dir, q) / det;
    if (v < 0 || u + v > 1) return std::numeric_limits<double>::quiet_NaN();
    return dot(e2, q) / det;
}

// One opening cut in m, along the cylinder of the hole's radius: corners within a hair of it (1 % of `longest`)
// count as on it; the faces with a corner inside it, joined through such faces to the one the axis passes
// through nearest `expected` (within [lo, hi] along it), keep their part outside (a new vertex where an edge runs
// from a corner inside to one outside, shared with the face across), or go where no part is left. `loop` is the
// opening's boundary, every vertex on the cylinder, in the direction the kept faces run along it. Faces made or
// cut by an earlier opening are marked in `touched`. False where the opening is not bounded by one loop, or
// meets a face an earlier opening touched.
bool cut_opening(IndexedMesh &m, const Axis &axis, double radius, double longest, double expected, double lo,
                 double hi, std::vector<uint8_t> &touched, std::vector<uint32_t> &loop) {
    const size_t faces = m.tris.size() / 3;
    touched.resize(faces, 0);
    const double hair = 0.01 * longest;
    auto side = [&](uint32_t v) { // -1 inside, 0 on, 1 outside
        const double r = axis.radial(m.positions[v]);
        return r < radius - hair ? -1 : r > radius + hair ? 1 : 0;
    };
    std::vector<uint32_t> candidates; // a corner inside or on
    for (size_t f = 0; f < faces; ++f)
        for (int e = 0; e < 3; ++e)
            if (side(m.tris[3 * f + e]) <= 0) {
                candidates.push_back(uint32_t(f));
                break;
            }
    auto holds_inside = [&](uint32_t f) {
        return side(m.tris[3 * size_t(f)]) < 0 || side(m.tris[3 * size_t(f) + 1]) < 0 || side(m.tris[3 * size_t(f) + 2]) < 0;
    };
    uint32_t seed = kNone;
    double nearest = std::numeric_limits<double>::infinity();
    for (uint32_t f : candidates) {
        if (!holds_inside(f)) continue;
        const uint32_t *t = &m.tris[3 * size_t(f)];
        const double hit = axis_hit(axis, m.positions[t[0]], m.positions[t[1]], m.positions[t[2]]);
        if (hit >= lo && hit <= hi && std::fabs(hit - expected) < nearest) nearest = std::fabs(hit - expected), seed = f;
    }
    if (seed == kNone) return false;
    std::unordered_map<uint64_t, uint32_t> face_of; // directed edge -> candidate face
    for (uint32_t f : candidates)
        for (int e = 0; e < 3; ++e) face_of[edge_key(m.tris[3 * size_t(f) + e], m.tris[3 * size_t(f) + (e + 1) % 3])] = f;
    std::unordered_set<uint32_t> region{seed};
    std::vector<uint32_t> stack{seed};
    while (!stack.empty()) {
        const uint32_t f = stack.back();
        stack.pop_back();
        if (touched[f]) return false;
        for (int e = 0; e < 3; ++e) {
            const auto it = face_of.find(edge_key(m.tris[3 * size_t(f) + (e + 1) % 3], m.tris[3 * size_t(f) + e]));
            if (it != face_of.end() && holds_inside(it->second) && region.insert(it->second).second)
                stack.push_back(it->second);
        }
    }
    // Where an edge runs from inside to outside: one new vertex on the cylinder for both faces over it.
    std::unordered_map<uint64_t, uint32_t> cut_at;
    auto cut_point = [&](uint32_t p, uint32_t q) {
        const uint64_t key = edge_key(std::min(p, q), std::max(p, q));
        const auto it = cut_at.find(key);
        if (it != cut_at.end()) return it->second;
        const Vec3d &a = m.positions[p], &b = m.positions[q];
        const double ax = dot(a - axis.origin, axis.e1), ay = dot(a - axis.origin, axis.e2);
        const double dx = dot(b - a, axis.e1), dy = dot(b - a, axis.e2);
        // |(ax, ay) + t (dx, dy)| = radius, the root in [0, 1].
        const double qa = dx * dx + dy * dy, qb = 2 * (ax * dx + ay * dy), qc = ax * ax + ay * ay - radius * radius;
        const double disc = std::sqrt(std::max(0.0, qb * qb - 4 * qa * qc));
        double t = (-qb + disc) / (2 * qa);
        if (!(t >= 0 && t <= 1)) t = (-qb - disc) / (2 * qa);
        t = std::clamp(std::isfinite(t) ? t : 0.5, 0.0, 1.0);
        const uint32_t v = uint32_t(m.positions.size());
        m.positions.push_back(a + (b - a) * t);
        cut_at.emplace(key, v);
        return v;
    };
    const size_t first_cut = m.positions.size();
    std::vector<uint32_t> pieces;
    for (uint32_t f : region) {
        const uint32_t t[3] = {m.tris[3 * size_t(f)], m.tris[3 * size_t(f) + 1], m.tris[3 * size_t(f) + 2]};
        uint32_t ring[4];
        int n = 0;
        for (int e = 0; e < 3; ++e) {
            const uint32_t p = t[e], q = t[(e + 1) % 3];
            const int sp = side(p), sq = side(q);
            if (sp >= 0) ring[n++] = p;
            if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0)) {
                if (n == 4) return false;
                ring[n++] = cut_point(p, q);
            }
        }
        // Nothing left outside: the face goes (left collapsed, dropped when the mesh is joined).
        if (n < 3) {
            m.tris[3 * size_t(f)] = m.tris[3 * size_t(f) + 1] = m.tris[3 * size_t(f) + 2] = t[0];
            continue;
        }
        m.tris[3 * size_t(f)] = ring[0], m.tris[3 * size_t(f) + 1] = ring[1], m.tris[3 * size_t(f) + 2] = ring[2];
        pieces.push_back(f);
        if (n == 4) {
            pieces.push_back(uint32_t(m.tris.size() / 3));
            m.tris.insert(m.tris.end(), {ring[0], ring[2], ring[3]});
        }
    }
    touched.resize(m.tris.size() / 3, 0);
    for (uint32_t f : region) touched[f] = 1;
    for (uint32_t f : pieces) touched[f] = 1;
    // The opening's boundary: edges of the faces left round it (the pieces, and the candidates not cut) with no
    // face across, both ends on the cylinder.
    std::unordered_set<uint64_t> present;
    std::vector<uint32_t> around(pieces);
    for (uint32_t f : candidates)
        if (!region.count(f)) around.push_back(f);
    for (uint32_t f : around)
        for (int e = 0; e < 3; ++e) present.insert(edge_key(m.tris[3 * size_t(f) + e], m.tris[3 * size_t(f) + (e + 1) % 3]));
    auto on_cylinder = [&](uint32_t v) { return v >= first_cut || side(v) == 0; };
    std::unordered_map<uint32_t, uint32_t> next;
    for (uint32_t f : around)
        for (int e = 0; e < 3; ++e) {
            const uint32_t u = m.tris[3 * size_t(f) + e], v = m.tris[3 * size_t(f) + (e + 1) % 3];
            if (u == v || present.count(edge_key(v, u)) || !on_cylinder(u) || !on_cylinder(v)) continue;
            if (!next.emplace(u, v).second) return false;
        }
    if (next.size() < 3) return false;
    loop.clear();
    const uint32_t start = next.begin()->first;
    uint32_t v = start;
    do {
        loop.push_back(v);
        const auto it = next.find(v);
        if (it == next.end()) return false;
        v = it->second;
    } while (v != start && loop.size() <= next.size());
    return v == start && loop.size() == next.size();
}

// The loop's angles round the axis, unwrapped from its first vertex and never decreasing (phi, one more than the
// loop, ending a turn on: a step back, where the loop runs outward, counts as no step), and the way it turns (+1
// or -1). False unless it turns once round the axis, every step less than a quarter turn, with every edge clear
// of the cylinder's core.
bool turns_once(const Axis &axis, const std::vector<Vec3d> &pos, const std::vector<uint32_t> &loop, double radius,
                std::vector<double> &phi, int &sense) {
    const size_t n = loop.size();
    std::vector<double> step(n);
    double total = 0;
    for (size_t i = 0; i < n; ++i) {
        const Vec3d &p = pos[loop[i]], &q = pos[loop[(i + 1) % n]];
        if (axis.chord_radial(p, q) < kCore * radius) return false;
        step[i] = wrapped(axis.angle(q) - axis.angle(p));
        total += step[i];
    }
    if (std::fabs(total - 2 * kPi) < 1e-3) sense = 1;
    else if (std::fabs(total + 2 * kPi) < 1e-3) sense = -1;
    else return false;
    phi.assign(n + 1, 0.0);
    double at = 0;
    for (size_t i = 0; i < n; ++i) {
        if (std::fabs(step[i]) >= 0.5 * kPi) return false;
        at += step[i] * sense;
        phi[i + 1] = std::max(phi[i], at);
    }
    phi[n] = 2 * kPi;
    return true;
}

double distance_to_face(const IndexedMesh &m, size_t f, const Vec3d &x) {
    const Vec3d &a = m.positions[m.tris[3 * f]], &b = m.positions[m.tris[3 * f + 1]], &c = m.positions[m.tris[3 * f + 2]];
    double bary[3];
    closest_on_triangle(x, a, b, c, bary);
    return norm(a * bary[0] + b * bary[1] + c * bary[2] - x);
}

// Splits the edges longer than `longest` of the faces within `reach` of centre, each at its midpoint together with
// the face across it, longest edge first, until none is left: the surface stays where it was and conforming, and
// an opening cut from it follows the cylinder within about `longest`. False where an edge has no face across or
// the splits run past kMaxSplits.
bool refine_near(IndexedMesh &m, const Vec3d &centre, double reach, double longest, Progress &progress) {
    const size_t faces = m.tris.size() / 3;
    auto edge_length = [&](size_t f, int e) {
        return norm(m.positions[m.tris[3 * f + (e + 1) % 3]] - m.positions[m.tris[3 * f + e]]);
    };
    // Every face's distance from centre (on two threads), then the faces whose edges can be split: the near ones
    // and those across their edges.
    std::vector<double> distance;
    resize_on_huge_pages(distance, faces);
    parallel_for(faces, progress, 0.0, 0.0, "holes", [&](size_t f) { distance[f] = distance_to_face(m, f, centre); });
    double widest = 0;
    std::vector<uint32_t> work;
    for (size_t f = 0; f < faces; ++f)
        if (distance[f] < reach) {
            work.push_back(uint32_t(f));
            for (int e = 0; e < 3; ++e) widest = std::max(widest, edge_length(f, e));
        }
    std::unordered_map<uint64_t, uint32_t> face_of;
    for (size_t f = 0; f < faces; ++f)
        if (distance[f] < reach + widest)
            for (int e = 0; e < 3; ++e) face_of[edge_key(m.tris[3 * f + e], m.tris[3 * f + (e + 1) % 3])] = uint32_t(f);
    size_t splits = 0;
    while (!work.empty()) {
        const size_t f = work.back();
        work.pop_back();
        if (distance_to_face(m, f, centre) >= reach) continue;
        int e = 0;
        for (int k = 1; k < 3; ++k)
            if (edge_length(f, k) > edge_length(f, e)) e = k;
        if (edge_length(f, e) <= longest) continue;
        if (++splits > kMaxSplits) return false;
        const uint32_t u = m.tris[3 * f + e], v = m.tris[3 * f + (e + 1) % 3], w = m.tris[3 * f + (e + 2) % 3];
        const auto across = face_of.find(edge_key(v, u));
        if (across == face_of.end()) return false;
        const size_t g = across->second;
        int k = 0;
        while (k < 3 && m.tris[3 * g + k] != v) ++k;
        if (k == 3 || m.tris[3 * g + (k + 1) % 3] != u) return false;
        const uint32_t x = m.tris[3 * g + (k + 2) % 3];
        const uint32_t mid = uint32_t(m.positions.size());
        m.positions.push_back((m.positions[u] + m.positions[v]) * 0.5);
        const uint32_t f2 = uint32_t(m.tris.size() / 3), g2 = f2 + 1;
        m.tris[3 * f] = u, m.tris[3 * f + 1] = mid, m.tris[3 * f + 2] = w;
        m.tris[3 * g] = v, m.tris[3 * g + 1] = mid, m.tris[3 * g + 2] = x;
        m.tris.insert(m.tris.end(), {mid, v, w, mid, u, x});
        face_of.erase(edge_key(u, v));
        face_of.erase(edge_key(v, u));
        const uint32_t ff = uint32_t(f), gg = uint32_t(g);
        face_of[edge_key(u, mid)] = ff, face_of[edge_key(mid, w)] = ff, face_of[edge_key(w, u)] = ff;
        face_of[edge_key(mid, v)] = f2, face_of[edge_key(v, w)] = f2, face_of[edge_key(w, mid)] = f2;
        face_of[edge_key(v, mid)] = gg, face_of[edge_key(mid, x)] = gg, face_of[edge_key(x, v)] = gg;
        face_of[edge_key(mid, u)] = g2, face_of[edge_key(u, x)] = g2, face_of[edge_key(x, mid)] = g2;
        work.insert(work.end(), {ff, f2, gg, g2});
    }
    return true;
}

// A surface's copy for refine_near to split, with room for its splits, on huge pages (large_pages.hpp): the
// copies of the cavity's surface are tens of MiB, whose first touch a 4 KiB page at a time costs more than the
// copying.
IndexedMesh working_copy(const IndexedMesh &m) {
    IndexedMesh copy;
    reserve_on_huge_pages(copy.positions, m.positions.size() + m.positions.size() / 16 + 1024);
    copy.positions.assign(m.positions.begin(), m.positions.end());
    reserve_on_huge_pages(copy.tris, m.tris.size() + m.tris.size() / 8 + 6144);
    copy.tris.assign(m.tris.begin(), m.tris.end());
    return copy;
}

} // namespace

bool cut_hole_mouths(const IndexedMesh &outer, const IndexedMesh &inner, const std::vector<DrainHole> &holes,
                     double radius, double h, Progress &progress, IndexedMesh &out) {
    if (holes.empty()) return false;
    // Both surfaces split finely round where each hole passes through them, so that the cut follows them closely.
    IndexedMesh o = working_copy(outer), i = working_copy(inner);
    std::vector<uint8_t> touched_o, touched_i;
    std::vector<std::vector<uint32_t>> loops_o, loops_i;
    for (const DrainHole &hole : holes) {
        progress.check();
        const Axis axis(hole);
        const double reach = radius + 2 * h, longest = 0.5 * h;
        if (!refine_near(o, hole.opening, reach, longest, progress) ||
            !refine_near(i, hole.inner + axis.dir * (0.5 * h), reach, longest, progress)) {
            progress.log("hollow mouths: not cut, the faces round an opening could not be split");
            return false;
        }
        loops_o.emplace_back(), loops_i.emplace_back();
        // The outer opening near where the axis leaves the solid; the inner one where it leaves the cavity, near
        // the hole's inner end.
        if (!cut_opening(o, axis, radius, longest, axis.along(hole.opening), 0.0, axis.length, touched_o, loops_o.back()) ||
            !cut_opening(i, axis, radius, longest, 0.0, -reach, axis.length, touched_i, loops_i.back())) {
            progress.log("hollow mouths: not cut, an opening is not one loop round the axis");
            return false;
        }
    }
    // Faces taken out were left collapsed: dropped here, the two surfaces joined into one mesh.
    out = IndexedMesh{};
    size_t band_indices = 0; // at most: each loop edge makes one face
    for (size_t k = 0; k < holes.size(); ++k) band_indices += 3 * (loops_o[k].size() + loops_i[k].size());
    reserve_on_huge_pages(out.positions, o.positions.size() + i.positions.size());
    reserve_on_huge_pages(out.tris, o.tris.size() + i.tris.size() + band_indices);
    out.positions.insert(out.positions.end(), o.positions.begin(), o.positions.end());
    out.positions.insert(out.positions.end(), i.positions.begin(), i.positions.end());
    const uint32_t base = uint32_t(o.positions.size());
    for (size_t f = 0; f < o.tris.size(); f += 3)
        if (!(o.tris[f] == o.tris[f + 1] && o.tris[f + 1] == o.tris[f + 2]))
            out.tris.insert(out.tris.end(), o.tris.begin() + f, o.tris.begin() + f + 3);
    for (size_t f = 0; f < i.tris.size(); f += 3)
        if (!(i.tris[f] == i.tris[f + 1] && i.tris[f + 1] == i.tris[f + 2]))
            out.tris.insert(out.tris.end(), {base + i.tris[f], base + i.tris[f + 1], base + i.tris[f + 2]});
    const std::vector<Vec3d> &pos = out.positions;
    std::vector<uint32_t> band;
    for (size_t k = 0; k < holes.size(); ++k) {
        const Axis axis(holes[k]);
        std::vector<uint32_t> a = loops_o[k], b = loops_i[k];
        for (uint32_t &v : b) v += base;
        std::reverse(b.begin(), b.end()); // the band runs along the inner loop against its kept faces
        std::vector<double> phi_a, phi_b;
        int sense_a = 0, sense_b = 0;
        if (!turns_once(axis, pos, a, radius, phi_a, sense_a) || !turns_once(axis, pos, b, radius, phi_b, sense_b) ||
            sense_a != sense_b) {
            progress.log("hollow mouths: not cut, an opening does not turn once round the axis");
            return false;
        }
        // The inner loop from its vertex nearest in angle to the outer loop's first, on the same scale.
        const double start = axis.angle(pos[a[0]]);
        size_t first = 0;
        double best = std::numeric_limits<double>::infinity();
        for (size_t j = 0; j < b.size(); ++j) {
            const double d = std::fabs(wrapped(axis.angle(pos[b[j]]) - start));
            if (d < best) best = d, first = j;
        }
        std::rotate(b.begin(), b.begin() + first, b.end());
        if (!turns_once(axis, pos, b, radius, phi_b, sense_b)) return false;
        const double offset = sense_a * wrapped(axis.angle(pos[b[0]]) - start);
        for (double &p : phi_b) p += offset;
        // Zipped in order of angle: every band face holds one loop edge the other way round.
        const size_t n = a.size(), m = b.size();
        for (size_t x = 0, y = 0; x < n || y < m;) {
            if (y == m || (x < n && phi_a[x + 1] <= phi_b[y + 1])) {
                band.insert(band.end(), {a[(x + 1) % n], a[x], b[y % m]});
                ++x;
            } else {
                band.insert(band.end(), {b[y], b[(y + 1) % m], a[x % n]});
                ++y;
            }
        }
    }
    out.tris.insert(out.tris.end(), band.begin(), band.end());
    // No face near a hole degenerate once rounded (at four times inspect's limit, as the contour settles its
    // faces), and none crossing another there.
    std::vector<Axis> axes;
    for (const DrainHole &hole : holes) axes.emplace_back(hole);
    const double reach = radius + 3 * h;
    std::vector<uint8_t> close(out.tris.size() / 3, 0);
    parallel_for(close.size(), progress, 0.0, 0.0, "holes", [&](size_t f) {
        for (const Axis &axis : axes)
            for (int e = 0; e < 3 && !close[f]; ++e) {
                const Vec3d &p = pos[out.tris[3 * f + e]];
                const double t = axis.along(p);
                close[f] = t > -reach && t < axis.length + reach && axis.radial(p) < reach;
            }
    });
    std::vector<uint32_t> near;
    for (size_t f = 0; f < close.size(); ++f)
        if (close[f]) near.insert(near.end(), out.tris.begin() + 3 * f, out.tris.begin() + 3 * f + 3);
    std::vector<Vec3d> rounded;
    reserve_on_huge_pages(rounded, pos.size());
    for (const Vec3d &p : pos) rounded.push_back(rounded_to_float(p));
    double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (const Vec3d &p : outer.positions)
        for (int k = 0; k < 3; ++k) lo[k] = std::min(lo[k], coord(p, k)), hi[k] = std::max(hi[k], coord(p, k));
    const double diagonal = std::sqrt((hi[0] - lo[0]) * (hi[0] - lo[0]) + (hi[1] - lo[1]) * (hi[1] - lo[1]) +
                                      (hi[2] - lo[2]) * (hi[2] - lo[2]));
    const uint64_t degenerate = count_degenerate_faces(near, rounded, 2 * diagonal);
    const size_t crossing = degenerate ? 0 : find_crossing_faces(near, pos, &progress).size();
    progress.log("hollow mouths: %zu holes, %zu band faces, %llu degenerate, %zu crossing (of %zu faces near them)",
                 holes.size(), band.size() / 3, (unsigned long long)degenerate, crossing, near.size() / 3);
    if (degenerate != 0 || crossing != 0) {
        out = IndexedMesh{};
        return false;
    }
    compact_vertices(out);
    return true;
}

} // namespace mf
